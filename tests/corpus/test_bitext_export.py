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


def test_csv_parses_back(units: list[BitextUnit]) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(units))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(units) + 1
    for row, unit in zip(rows[1:], units, strict=True):
        record = dict(zip(CSV_COLUMNS, row, strict=True))
        assert (record["en"], record["fr"]) == (unit.en, unit.fr)
        assert record["section"] == (unit.section or "")
        assert float(record["confidence"]) == pytest.approx(unit.confidence, abs=1e-3)
        assert record["flags"].split(";") == (list(unit.flags) or [""])
        assert [int(n) for n in record["en_lines"].split()] == list(unit.en_lines)
