"""Exports of aligned units: JSON Lines (the contract's shape), TMX 1.4 and CSV round-trip."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from corpus.bitext import BitextUnit, align_texts, to_csv, to_jsonl, to_tmx
from corpus.bitext.export import CSV_COLUMNS

DATA = Path(__file__).parent / "data"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def units() -> list[BitextUnit]:
    en = (DATA / "canada_sample_en.txt").read_text(encoding="utf-8")
    fr = (DATA / "canada_sample_fr.txt").read_text(encoding="utf-8")
    aligned = align_texts(en, fr, None)
    # a unit with awkward characters, to check escaping
    odd = BitextUnit('A "quoted" <tag> & more,\nsecond line', "", None, 0.5,
                     ("no_counterpart",), (1, 2), ())
    return [*aligned, odd]


def test_jsonl_has_one_contract_object_per_unit(units: list[BitextUnit]) -> None:
    lines = to_jsonl(units).splitlines()
    assert len(lines) == len(units)
    for line, unit in zip(lines, units, strict=True):
        row = json.loads(line)
        assert {"en", "fr", "section", "confidence", "flags"} <= row.keys()
        assert (row["en"], row["fr"], row["section"]) == (unit.en, unit.fr, unit.section)
        assert isinstance(row["confidence"], float) and isinstance(row["flags"], list)
        assert row["flags"] == list(unit.flags)


def test_tmx_parses_back_and_round_trips_the_texts(units: list[BitextUnit]) -> None:
    tmx = to_tmx(units)
    root = ET.fromstring(tmx.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "en"
    tus = root.findall("body/tu")
    assert len(tus) == len(units)
    for tu, unit in zip(tus, units, strict=True):
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["en", "fr"]
        texts = {tuv.get(XML_LANG): tuv.findtext("seg") or "" for tuv in tu.findall("tuv")}
        assert (texts["en"], texts["fr"]) == (unit.en, unit.fr)
        props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
        assert float(props["x-confidence"]) == pytest.approx(unit.confidence, abs=1e-3)
        assert props["x-flags"].split() == list(unit.flags)
        assert props.get("x-section") == unit.section


def test_tmx_is_well_formed_for_lxml_and_can_start_from_french(units: list[BitextUnit]) -> None:
    tree = etree.fromstring(to_tmx(units, srclang="fr").encode("utf-8"))
    assert tree.find("header").get("srclang") == "fr"
    first = tree.find("body/tu")
    assert [tuv.get(XML_LANG) for tuv in first.findall("tuv")] == ["fr", "en"]


def test_csv_starts_with_a_bom_and_puts_french_first(units: list[BitextUnit]) -> None:
    text = to_csv(units)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0].index("source") < rows[0].index("target")
    assert len(rows) == len(units) + 1
    for row, unit in zip(rows[1:], units, strict=True):
        record = dict(zip(CSV_COLUMNS, row, strict=True))
        assert (record["source"], record["target"]) == (unit.fr, unit.en)
        assert record["section"] == (unit.section or "")
        assert float(record["confidence"]) == pytest.approx(unit.confidence, abs=1e-3)
        assert record["flags"].split() == list(unit.flags)
        assert [int(n) for n in record["en_lines"].split()] == list(unit.en_lines)
        assert [int(n) for n in record["fr_lines"].split()] == list(unit.fr_lines)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_translate_toolkit_reads_the_csv_as_french_source_english_target(
        units: list[BitextUnit], delimiter: str) -> None:
    from translate.storage.csvl10n import csvfile

    text = to_csv(units, delimiter=delimiter)  # type: ignore[arg-type]
    if delimiter == ";":
        assert text.splitlines()[0].removeprefix("\ufeff").startswith('"source";"target";')
    store = csvfile.parsestring(text.encode("utf-8"))
    read = [(u.source, u.target) for u in store.units]
    assert read == [(u.fr, u.en) for u in units]


def test_sentence_tmx_reads_back_with_translate_toolkit() -> None:
    from translate.storage.tmx import tmxfile

    from corpus.bitext.segments import sentence_segments

    unit = BitextUnit("(1) The employer shall pay. The Minister may act.\n(a) on request;",
                      "(1) L’employeur paie. Le ministre peut agir.\na) sur demande;", "3", 0.9,
                      (), (1, 2), (1, 2))
    segments = sentence_segments([unit], None)
    assert [(s.en, s.fr) for s in segments] == [
        ("The employer shall pay.", "L’employeur paie."),
        ("The Minister may act.", "Le ministre peut agir."),
        ("on request;", "sur demande;")]
    tmx = to_tmx([unit], srclang="fr", segments=segments, tuids=["s3"],
                 locales={"fr": "fr-CA", "en": "en-CA"})
    root = ET.fromstring(tmx.encode("utf-8"))
    assert root.find("header").get("segtype") == "sentence"  # type: ignore[union-attr]
    assert root.find("header").get("srclang") == "fr-CA"  # type: ignore[union-attr]
    labels = [{p.get("type"): p.text for p in tu.findall("prop")}.get("x-label")
              for tu in root.findall("body/tu")]
    assert labels == ["(1)", None, "a)"]
    store = tmxfile.parsestring(tmx.encode("utf-8"))
    pairs = [(u.source, u.target) for u in store.units]
    assert pairs == [(s.fr, s.en) for s in segments]
    assert all(src and tgt and not src.startswith("(") for src, tgt in pairs)
    assert [tu.get("tuid") for tu in root.findall("body/tu")] == ["s3#1", "s3#2", "s3#3"]
    assert {tuv.get(XML_LANG) for tuv in root.iter("tuv")} == {"fr-CA", "en-CA"}
