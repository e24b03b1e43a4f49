"""The translators' review API against the real built corpus: units and filters, misalignment
reports (durable across a restart, exported as CSV and JSON), TMX/CSV exports, the glossary."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from api.app import create_app
from api.build import build_all
from api.reports import REASONS, ReportStore, reports_path
from api.settings import Settings
from tests.conftest import ROOT, SOURCES

UNITS = ["L321-4-2.I.1", "L321-4-2.I.2", "L321-4-2.I.3", "L321-4-2.I.4", "L321-4-2.I.5",
         "L321-4-2.I.6", "L321-4-2.I.7", "L321-4-2.I.8", "L321-4-2.II.1"]
FLAGGED = ["L321-4-2.I.4", "L321-4-2.I.5"]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATIC = ROOT / "api" / "static"


def assert_error(response: Any, status: int, *words: str) -> str:
    """The one error shape, with the given status and words in the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": status}
    assert "Traceback" not in body["error"]
    for word in words:
        assert word.lower() in body["error"].lower(), body["error"]
    return str(body["error"])


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> Iterator[TestClient]:
    """The app over the real corpus, for the read-only routes."""
    with TestClient(create_app(built_settings)) as test_client:
        yield test_client


def copy_of(built: Settings, tmp_path: Path) -> Settings:
    """Settings over a copy of the built data dir, so reports land in a fresh database."""
    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data, ignore=shutil.ignore_patterns("reports.sqlite3*"))
    return built.model_copy(update={"data_dir": data})


@pytest.fixture()
def review_settings(built_settings: Settings, tmp_path: Path) -> Settings:
    return copy_of(built_settings, tmp_path)


@pytest.fixture()
def review(review_settings: Settings) -> Iterator[TestClient]:
    """The app over a copy of the built data dir: reports go to a fresh database."""
    with TestClient(create_app(review_settings)) as test_client:
        yield test_client


# -- units and filters -------------------------------------------------------------------------
def test_units_of_the_article_in_order_with_their_place(client: TestClient) -> None:
    response = client.get("/align/units", params={"article": "L321-4-2"})
    assert response.status_code == 200
    units = response.json()
    assert [u["id"] for u in units] == UNITS
    for unit in units:
        assert unit["kind"] == "statute" and unit["article"] == "L321-4-2"
        assert unit["section"] in ("I", "II") and isinstance(unit["number"], int)
        assert unit["citation"]["fr"].startswith("Code du travail, art. L. 321-4-2, ")
        assert unit["citation"]["en"].startswith("French Labour Code, Article L321-4-2, ")
        assert unit["fr"]["text"] and unit["en"]["text"]
        assert unit["fr"]["source"] == "003_1e6b081e43e3fa0e.txt"
        assert 0 <= unit["alignment"]["confidence"] <= 1
    assert (units[3]["section"], units[3]["number"]) == ("I", 4)
    assert [u["id"] for u in client.get("/align/units").json()] == UNITS  # the whole corpus


def test_filter_by_flag(client: TestClient) -> None:
    def ids(**params: Any) -> list[str]:
        response = client.get("/align/units", params={"article": "L321-4-2", **params})
        assert response.status_code == 200, response.text
        return [u["id"] for u in response.json()]

    assert ids(flag="term_inconsistent") == FLAGGED
    assert ids(flag="any") == FLAGGED
    assert ids(flag="none") == [u for u in UNITS if u not in FLAGGED]
    assert ids(flag="number_mismatch") == []  # a known flag that no unit of this article carries


def test_filter_by_confidence_below_a_threshold(client: TestClient) -> None:
    units = client.get("/align/units", params={"article": "L321-4-2"}).json()
    confidence = {u["id"]: u["alignment"]["confidence"] for u in units}
    for threshold in (0.75, 0.85, 0.9, 1.0):
        response = client.get("/align/units", params={"article": "L321-4-2", "max_confidence": threshold})
        expected = [uid for uid in UNITS if confidence[uid] < threshold]
        assert [u["id"] for u in response.json()] == expected
    assert [u["id"] for u in client.get("/align/units", params={"max_confidence": 0.75}).json()] == [
        "L321-4-2.I.4"]
    both = client.get("/align/units", params={"flag": "any", "max_confidence": 0.8}).json()
    assert [u["id"] for u in both] == ["L321-4-2.I.4"]


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"flag": "bogus"}, 422, ["flag must be", "'any'", "term_inconsistent", "'bogus'"]),
        ({"max_confidence": 2}, 422, ["max_confidence", "1"]),
        ({"max_confidence": -0.5}, 422, ["max_confidence", "0"]),
        ({"max_confidence": "high"}, 422, ["max_confidence", "number"]),
        ({"article": "L999"}, 404, ["no article 'L999'", "L321-4-2"]),
    ],
    ids=["unknown-flag", "confidence-over-1", "confidence-negative", "confidence-text", "unknown-article"],
)
def test_bad_filters_say_what_to_fix(client: TestClient, params: dict[str, Any], status: int,
                                     words: list[str]) -> None:
    assert_error(client.get("/align/units", params=params), status, *words)


def test_articles_list_with_flag_counts(client: TestClient) -> None:
    articles = client.get("/align/articles").json()
    assert articles == [{"id": "L321-4-2", "title": articles[0]["title"],
                         "titles": {"fr": "Code du travail", "en": "French Labour Code"},
                         "units": 9, "flagged": 2, "flags": {"term_inconsistent": 2}}]
    assert "L321-4-2" in articles[0]["title"]


# -- exports -----------------------------------------------------------------------------------
def test_tmx_export_parses_back_with_ids_citations_and_texts(client: TestClient) -> None:
    response = client.get("/align/export.tmx", params={"article": "L321-4-2"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-tmx+xml")
    assert response.headers["content-disposition"] == 'attachment; filename="bilex-L321-4-2.tmx"'
    root = etree.fromstring(response.content)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    # the manifest gives the French text's region (fr-FR), not the English translation's
    assert header is not None and header.get("srclang") == "fr-FR"
    assert header.get("segtype") == "paragraph"
    units = {u["id"]: u for u in client.get("/align/units").json()}
    tus = root.findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == UNITS
    for tu in tus:
        unit = units[tu.get("tuid")]
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["fr-FR", "en"]  # French prevails
        segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.findall("tuv")}
        assert segs == {"fr-FR": unit["fr"]["text"], "en": unit["en"]["text"]}
        props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
        assert props["x-citation_fr"] == unit["citation"]["fr"]
        assert props["x-citation_en"] == unit["citation"]["en"]
        assert props["x-section"] == unit["section"]
        assert float(props["x-confidence"]) == pytest.approx(unit["alignment"]["confidence"], abs=1e-3)
        assert props["x-flags"].split() == unit["alignment"]["flags"]


def test_csv_export_parses_back(client: TestClient) -> None:
    response = client.get("/align/export.csv", params={"article": "L321-4-2"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="bilex-L321-4-2.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]).index("source") < list(rows[0]).index("target")  # French first
    units = {u["id"]: u for u in client.get("/align/units").json()}
    assert [r["id"] for r in rows] == UNITS
    for row in rows:
        unit = units[row["id"]]
        assert (row["source"], row["target"]) == (unit["fr"]["text"], unit["en"]["text"])
        assert (row["citation_fr"], row["citation_en"]) == (unit["citation"]["fr"], unit["citation"]["en"])
        assert row["article"] == "L321-4-2" and row["section"] == unit["section"]
        assert row["flags"].split() == unit["alignment"]["flags"]
    assert rows[3]["flags"] == "term_inconsistent"


def test_csv_with_semicolons_reads_back_in_translate_toolkit(client: TestClient) -> None:
    from translate.storage.csvl10n import csvfile

    response = client.get("/align/export.csv", params={"article": "L321-4-2", "delimiter": "semicolon"})
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith('"id";"article";"citation_fr";"citation_en";"source";"target";')
    store = csvfile.parsestring(response.content)
    units = client.get("/align/units").json()
    assert [(u.source, u.target) for u in store.units] == [(u["fr"]["text"], u["en"]["text"]) for u in units]


def test_exports_honour_the_review_filters(client: TestClient) -> None:
    params = {"article": "L321-4-2", "flag": "term_inconsistent"}
    rows = list(csv.DictReader(io.StringIO(
        client.get("/align/export.csv", params=params).content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == FLAGGED
    tmx = etree.fromstring(client.get("/align/export.tmx", params=params).content)
    assert [tu.get("tuid") for tu in tmx.findall("body/tu")] == FLAGGED
    low = client.get("/align/export.csv", params={"max_confidence": 0.01})
    assert low.status_code == 200 and len(low.content.decode("utf-8-sig").splitlines()) == 1
    assert_error(client.get("/align/export.tmx", params={"flag": "nonsense"}), 422, "flag must be")


def test_units_and_exports_filter_on_reviewers_reports(review: TestClient) -> None:
    assert review.get("/align/units", params={"reported": "true"}).json() == []  # a fresh database
    for unit_id in ("L321-4-2.I.2", "L321-4-2.I.5"):
        made = review.post("/align/reports", json={"unit_id": unit_id, "reason": "wrong_pair"})
        assert made.status_code == 201
    ids = [u["id"] for u in review.get("/align/units", params={"reported": "true"}).json()]
    assert ids == ["L321-4-2.I.2", "L321-4-2.I.5"]
    both = review.get("/align/units", params={"reported": "true", "flag": "term_inconsistent"})
    assert [u["id"] for u in both.json()] == ["L321-4-2.I.5"]  # a report and a drift flag
    rows = list(csv.DictReader(io.StringIO(review.get(
        "/align/export.csv", params={"reported": "true"}).content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ids


def test_sentence_tmx_reads_back_with_translate_toolkit(client: TestClient) -> None:
    from translate.storage.tmx import tmxfile

    response = client.get("/align/export.tmx", params={"article": "L321-4-2", "segments": "sentence"})
    assert response.status_code == 200
    assert 'filename="bilex-L321-4-2-sentences.tmx"' in response.headers["content-disposition"]
    root = etree.fromstring(response.content)
    assert root.find("header").get("segtype") == "sentence"
    store = tmxfile.parsestring(response.content)
    pairs = [(u.source, u.target) for u in store.units]
    units = client.get("/align/units").json()
    assert len(pairs) > len(units)  # alinéas of several sentences are split
    longest = max(len(u["fr"]["text"]) for u in units)
    assert all(src.strip() and tgt.strip() for src, tgt in pairs)  # no empty segment
    assert max(len(src) for src, _ in pairs) < longest
    # numbering ("I.-", "II.-") is a property, not part of the text
    assert not any(src.startswith(("I.", "II.", "I -", "II -")) for src, _ in pairs)
    labels = [p.text for p in root.iter("prop") if p.get("type") == "x-label"]
    assert labels and set(labels) <= {"I.-", "II.-", "I. -", "II. -", "I -", "II -", "I.–", "II.–"}
    # every segment is text of the article, and together they cover all of it
    whole = " ".join(u["fr"]["text"] for u in units)
    assert all(src in whole for src, _ in pairs)
    covered = sum(len(src) for src, _ in pairs)
    assert covered > 0.95 * sum(len(u["fr"]["text"]) for u in units)
    assert_error(client.get("/align/export.tmx", params={"segments": "word"}), 422, "segments")


def test_export_file_names_use_the_articles_own_id(client: TestClient) -> None:
    response = client.get("/align/export.csv", params={"article": "l 321-4-2"})
    assert response.headers["content-disposition"] == 'attachment; filename="bilex-L321-4-2.csv"'
    whole = client.get("/align/export.tmx")
    assert whole.headers["content-disposition"] == 'attachment; filename="bilex-corpus.tmx"'
    assert whole.text.count("<tu ") == len(UNITS)


def test_exports_of_an_unknown_article_are_404(client: TestClient) -> None:
    for path in ("/align/export.tmx", "/align/export.csv", "/align/glossary", "/align/glossary.csv"):
        assert_error(client.get(path, params={"article": "nope"}), 404, "no article 'nope'")


# -- glossary ----------------------------------------------------------------------------------
def test_glossary_has_the_crp_pair_and_flags_delai_conge(client: TestClient) -> None:
    response = client.get("/align/glossary", params={"article": "L321-4-2"})
    assert response.status_code == 200
    rows = response.json()
    for row in rows:
        assert set(row) >= {"fr", "en", "kind", "consistent", "renderings", "units", "origin"}
        assert row["kind"] in ("defined_term", "paired_term", "variant") and row["origin"]
    crp = next(r for r in rows if r["fr"] == "convention de reclassement personnalisé")
    assert crp["en"] == "personalised redeployment agreement"
    assert crp["kind"] == "paired_term" and crp["consistent"] is True
    assert "L321-4-2.I.1" in crp["units"]
    variant = next(r for r in rows if r["fr"] == "durée légale du délai-congé")
    assert variant["kind"] == "variant" and variant["consistent"] is False
    assert variant["renderings"] == ["legal notice period", "statutory period of leave"]
    assert variant["units"] == FLAGGED


def test_glossary_csv_parses_back(client: TestClient) -> None:
    response = client.get("/align/glossary.csv", params={"article": "L321-4-2"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="bilex-glossary-L321-4-2.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(client.get("/align/glossary", params={"article": "L321-4-2"}).json())
    variant = next(r for r in rows if r["source"] == "durée légale du délai-congé")
    assert variant["consistent"] == "no"
    assert variant["renderings"] == "legal notice period | statutory period of leave"


def test_glossary_tbx_reads_back_with_no_empty_or_fragment_term(client: TestClient) -> None:
    from translate.storage.tbx import tbxfile

    response = client.get("/align/glossary.tbx", params={"article": "L321-4-2"})
    assert response.status_code == 200
    assert 'filename="bilex-glossary-L321-4-2.tbx"' in response.headers["content-disposition"]
    store = tbxfile.parsestring(response.content)
    rows = client.get("/align/glossary", params={"article": "L321-4-2"}).json()
    assert [(u.source, u.target) for u in store.units] == [(r["fr"], r["en"]) for r in rows]
    for unit in store.units:
        assert unit.source.strip() and unit.target.strip()
    terms = {u.source: u.target for u in store.units}
    assert terms["convention de reclassement personnalisé"] == "personalised redeployment agreement"
    # fragments the earlier glossary paired: a quantity, a clause cut in two, half a term
    assert "mois de salaire" not in terms
    assert not any(t.startswith(("equal to", "benefit of")) for t in terms.values())
    assert terms.get("licenciement pour motif économique") != "economic reasons"
    assert all(" d une " not in f" {s} " for s in terms)  # apostrophes kept, not blanked


# -- reports -----------------------------------------------------------------------------------
def test_report_is_stored_with_the_unit_as_it_is(review: TestClient) -> None:
    body = {"unit_id": "L321-4-2.I.4", "reason": "translation_drift",
            "comment": "« délai-congé » rendu par « notice period » ici, « period of leave » en I.5"}
    response = review.post("/align/reports", json=body)
    assert response.status_code == 201, response.text
    report = response.json()
    unit = review.get("/passages/L321-4-2.I.4").json()
    assert isinstance(report["id"], int)
    assert (report["unit_id"], report["reason"], report["comment"]) == (
        body["unit_id"], body["reason"], body["comment"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", report["created_at"])
    assert report["citation"] == unit["citation"]
    assert report["fr"] == unit["fr"] and report["en"] == unit["en"]
    assert report["alignment"] == {"confidence": unit["alignment"]["confidence"],
                                   "flags": ["term_inconsistent"]}
    assert report["article"] == "L321-4-2" and len(report["corpus_hash"]) == 64
    assert review.get("/align/reports").json() == [report]


def test_reports_are_listed_newest_first_and_exported(review: TestClient) -> None:
    made = [review.post("/align/reports", json={"unit_id": uid, "reason": reason, "comment": comment}).json()
            for uid, reason, comment in [("L321-4-2.I.1", "wrong_pair", ""),
                                         ("L321-4-2.I.5", "bad_split", 'a "quoted",\nline'),
                                         ("L321-4-2.II.1", "other", "=HYPERLINK(\"x\")")]]
    listed = review.get("/align/reports").json()
    assert [r["id"] for r in listed] == [r["id"] for r in reversed(made)]

    exported = review.get("/align/reports.json")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"] == 'attachment; filename="bilex-reports.json"'
    assert json.loads(exported.text) == listed

    response = review.get("/align/reports.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="bilex-reports.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["unit_id"] for r in rows] == ["L321-4-2.II.1", "L321-4-2.I.5", "L321-4-2.I.1"]
    assert rows[1]["comment"] == 'a "quoted",\nline' and rows[1]["reason"] == "bad_split"
    assert rows[0]["comment"] == "'=HYPERLINK(\"x\")"  # not run as a formula by a spreadsheet
    assert rows[2]["citation_fr"] == "Code du travail, art. L. 321-4-2, I, al. 1"
    assert rows[2]["text_en"] == made[0]["en"]["text"]


def test_reports_survive_a_restart(review_settings: Settings) -> None:
    with TestClient(create_app(review_settings)) as first:
        made = first.post("/align/reports", json={"unit_id": "L321-4-2.I.5", "reason": "wrong_pair",
                                                  "comment": "kept across restarts"}).json()
    with TestClient(create_app(review_settings)) as restarted:  # a new app over the same data dir
        assert restarted.get("/align/reports").json() == [made]
    assert reports_path(review_settings.data_dir).is_file()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, ["unit_id and reason are missing", "unit_id"]),
        ({"unit_id": "L321-4-2.I.4"}, ["reason is missing"]),
        ({"unit_id": "L321-4-2.I.4", "reason": "typo"},
         ["reason must be one of", "wrong_pair", "translation_drift", "bad_split", "other", "typo"]),
        ({"unit_id": "L321-4-2.I.4", "reason": None}, ["reason must be one of"]),
        ({"unit_id": "L321-4-2.I.4", "reason": "wrong_pair", "comment": "x" * 2001},
         ["comment is 2001 characters long", "2000"]),
        ({"unit_id": "L321-4-2.I.4", "reason": "wrong_pair", "comment": 5}, ["comment must be text"]),
        ({"unit_id": 4, "reason": "wrong_pair"}, ["unit_id must be text"]),
        ({"unit_id": "", "reason": "wrong_pair"}, ["unit_id is empty"]),
        ({"unit_id": "L321-4-2.I.4", "reason": "wrong_pair", "severity": 3},
         ["'severity' is not a known field", "unit_id, reason and comment"]),
        (["L321-4-2.I.4"], ["JSON object"]),
        ("L321-4-2.I.4", ["JSON object"]),
    ],
    ids=["empty", "no-reason", "bad-reason", "null-reason", "comment-too-long", "comment-int", "unit-int",
         "unit-empty", "unknown-field", "list", "string"],
)
def test_bad_report_body_is_422_saying_what_to_fix(review: TestClient, body: Any, words: list[str]) -> None:
    assert_error(review.post("/align/reports", json=body), 422, *words)
    assert review.get("/align/reports").json() == []


@pytest.mark.parametrize(
    ("content", "content_type", "words"),
    [
        (b'{"unit_id": "L321-4-2.I', "application/json", ["not valid JSON", "unit_id"]),
        (b"", "application/json", ["not valid JSON"]),
        (b"\xff\xfe\x00", "application/json", ["not valid JSON"]),
    ],
    ids=["truncated", "empty", "binary"],
)
def test_unreadable_report_body_is_422(review: TestClient, content: bytes, content_type: str,
                                       words: list[str]) -> None:
    response = review.post("/align/reports", content=content, headers={"content-type": content_type})
    assert_error(response, 422, *words)


def test_report_body_not_sent_as_json_is_415(review: TestClient) -> None:
    body = b'{"unit_id": "L321-4-2.I.4", "reason": "other", "comment": "x"}'
    response = review.post("/align/reports", content=body, headers={"content-type": "text/plain"})
    assert_error(response, 415, "Content-Type: application/json")


def test_other_reason_may_come_without_comment(review: TestClient) -> None:
    """The page asks for a comment with "other"; the API takes the report as it is."""
    response = review.post("/align/reports", json={"unit_id": "L321-4-2.I.2", "reason": "other"})
    assert response.status_code == 201 and response.json()["comment"] == ""


def test_report_on_an_unknown_unit_is_404(review: TestClient) -> None:
    response = review.post("/align/reports", json={"unit_id": "L321-4-2.IX.9", "reason": "wrong_pair"})
    assert_error(response, 404, "no aligned unit", "'L321-4-2.IX.9'", "GET /align/units")
    commentary = review.post("/align/reports", json={"unit_id": "001_24733fa58d0b5c4f.p2",
                                                     "reason": "wrong_pair"})
    assert_error(commentary, 404, "no aligned unit")  # a commentary passage is not an aligned unit
    assert review.get("/align/reports").json() == []


def test_corrupt_reports_database_gives_a_clear_error(review_settings: Settings) -> None:
    path = reports_path(review_settings.data_dir)
    path.write_bytes(b"this is not a SQLite database, it is a text file\n" * 50)
    with TestClient(create_app(review_settings), raise_server_exceptions=False) as broken:
        for response in (broken.get("/align/reports"), broken.get("/align/reports.csv"),
                         broken.post("/align/reports", json={"unit_id": "L321-4-2.I.4",
                                                             "reason": "wrong_pair"})):
            message = assert_error(response, 503, "reports database", "log")
            assert str(path) not in message and "move" not in message
            assert "sqlite3." not in message and "File \"" not in message
        assert broken.get("/align/units").status_code == 200  # the rest of the service still works
        path.unlink()  # moved aside: the next request creates a new database
        assert broken.get("/align/reports").json() == []


def test_foreign_reports_table_is_refused(review_settings: Settings) -> None:
    path = reports_path(review_settings.data_dir)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, note TEXT)")
    with TestClient(create_app(review_settings)) as client:
        assert_error(client.get("/align/reports"), 503, "lacks the columns", "unit_id")


def test_store_takes_concurrent_reports(built_settings: Settings, tmp_path: Path) -> None:
    """Reports from several threads at once: every one stored, none lost, ids unique."""
    from corpus.build import load_corpus

    corpus, _ = load_corpus(built_settings.corpus_path)
    store = ReportStore.open(tmp_path / "reports.sqlite3")
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                store.add(corpus.units[(n + i) % len(corpus.units)], REASONS[i % 4], f"t{n}-{i}",
                          corpus.corpus_hash)
        except BaseException as exc:  # collected, then asserted empty
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    reports = store.list()
    assert len(reports) == 80 and len({r["id"] for r in reports}) == 80
    assert {r["comment"] for r in reports} == {f"t{n}-{i}" for n in range(8) for i in range(10)}
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- the page and the schema -------------------------------------------------------------------
def test_review_page_is_served_without_inline_code(client: TestClient) -> None:
    response = client.get("/align")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<style" not in html and " style=" not in html
    assert re.findall(r"<script\b[^>]*>", html) == ['<script type="module" src="/static/align.js">']
    assert not re.search(r"\son[a-z]+=", html)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    for name in ("align.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    script = (STATIC / "align.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert 'href="/align"' in client.get("/").text  # reachable from the chat


def test_openapi_documents_the_review_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    expected = {("get", "/align/articles"), ("get", "/align/units"), ("post", "/align/reports"),
                ("get", "/align/reports"), ("get", "/align/reports.csv"), ("get", "/align/reports.json"),
                ("get", "/align/export.tmx"), ("get", "/align/export.csv"), ("get", "/align/glossary"),
                ("get", "/align/glossary.csv"), ("get", "/align/glossary.tbx")}
    found = {(m, p) for p, ops in paths.items() if p.startswith("/align") for m in ops}
    assert found == expected  # the page itself (/align) is not part of the API
    for method, path in expected:
        responses = paths[path][method]["responses"]
        errors = {code: r for code, r in responses.items() if code[0] in "45"}
        assert "500" in errors, (method, path)
        for answer in errors.values():
            assert answer["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorBody"
    post = paths["/align/reports"]["post"]
    assert {"201", "404", "422", "503"} <= set(post["responses"])
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["reason"]["enum"] == list(REASONS)
    assert body["properties"]["comment"]["maxLength"] == 2000
    assert set(body["required"]) == {"unit_id", "reason"}
    assert "text/csv" in paths["/align/reports.csv"]["get"]["responses"]["200"]["content"]
    assert "application/x-tmx+xml" in paths["/align/export.tmx"]["get"]["responses"]["200"]["content"]
    assert "application/x-tbx+xml" in paths["/align/glossary.tbx"]["get"]["responses"]["200"]["content"]
    tmx_params = {p["name"] for p in paths["/align/export.tmx"]["get"]["parameters"]}
    assert {"segments", "flag", "max_confidence", "reported"} <= tmx_params
    params = {p["name"] for p in paths["/align/units"]["get"]["parameters"]}
    assert params == {"article", "flag", "max_confidence", "reported"}


# -- an act added by a bitext manifest -----------------------------------------------------------
MANIFEST = (ROOT / "tests" / "corpus" / "test_bitext_source.py").read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_added_act_is_reviewable_with_its_defined_terms(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("bilex-act")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    for name in ("canada_sample_en.txt", "canada_sample_fr.txt"):
        shutil.copy(ROOT / "tests" / "corpus" / "data" / name, sources / name)
    manifest = re.search(r'MANIFEST = """(.*?)"""', MANIFEST, re.S)
    assert manifest is not None
    (sources / "l2.toml").write_text(manifest.group(1), encoding="utf-8")
    settings = Settings(data_dir=root / "data", sources_dir=sources)
    build_all(settings)
    with TestClient(create_app(settings)) as client:
        articles = {a["id"]: a for a in client.get("/align/articles").json()}
        assert set(articles) == {"L321-4-2", "L-2"}
        assert articles["L-2"]["title"] == "Canada Labour Code (sample)"
        units = client.get("/align/units", params={"article": "L-2"}).json()
        assert len(units) == articles["L-2"]["units"] and units[0]["id"] == "L-2.1.1"
        flagged = client.get("/align/units", params={"article": "L-2", "flag": "any"}).json()
        assert len(flagged) == articles["L-2"]["flagged"] > 0
        glossary = client.get("/align/glossary", params={"article": "L-2"}).json()
        defined = {(r["fr"], r["en"]) for r in glossary if r["kind"] == "defined_term"}
        assert {("Conseil", "Board"), ("ministre", "Minister"), ("arbitre externe", "external adjudicator"),
                ("entreprises fédérales", "federal work, undertaking or business")} <= defined
        board = next(r for r in glossary if r["en"] == "Board")
        assert board["units"] == ["L-2.2.2"] and board["consistent"] is True
        assert "(Conseil)" in board["origin"]
        tmx = etree.fromstring(client.get("/align/export.tmx", params={"article": "L-2"}).content)
        assert len(tmx.findall("body/tu")) == len(units)
        report = client.post("/align/reports", json={"unit_id": "L-2.2.2", "reason": "wrong_pair"})
        assert report.status_code == 201
        assert report.json()["citation"]["en"] == "Canada Labour Code, R.S.C., 1985, c. L-2, s. 2"
