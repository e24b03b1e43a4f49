"""`bilex align EN_FILE FR_FILE` as a translator runs it: JSONL, TMX, CSV, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.api.test_cli_corpus import run
from tests.conftest import ROOT

DATA = ROOT / "tests" / "corpus" / "data"
pytestmark = pytest.mark.slow


def _pair() -> tuple[Path, Path]:
    en = sorted(DATA.glob("*en*.txt"))
    fr = sorted(DATA.glob("*fr*.txt"))
    assert en and fr
    return en[0], fr[0]


def test_jsonl_units_in_document_order(tmp_path: Path) -> None:
    en, fr = _pair()
    done = run(["align", str(en), str(fr)], tmp_path)
    assert done.returncode == 0, done.stderr
    units = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(units) >= 3
    for unit in units:
        assert set(unit) >= {"en", "fr", "section", "confidence", "flags"}
        assert 0 <= unit["confidence"] <= 1 and isinstance(unit["flags"], list)
    en_lines = [n for u in units for n in u["en_lines"]]
    assert en_lines == sorted(en_lines)


def test_tmx_and_csv_parse_back(tmp_path: Path) -> None:
    en, fr = _pair()
    out = tmp_path / "out.tmx"
    done = run(["align", str(en), str(fr), "--format", "tmx", "--output", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    root = ElementTree.parse(out).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.findall("./body/tu")
    done = run(["align", str(en), str(fr), "--format", "csv"], tmp_path)
    assert done.stdout.startswith("\ufeff")  # byte-order mark: spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
    assert rows and list(rows[0])[:2] == ["source", "target"]  # French (source) first


def test_sentence_tmx_and_semicolon_csv_read_back_with_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage.csvl10n import csvfile
    from translate.storage.tmx import tmxfile

    en, fr = _pair()
    out = tmp_path / "sentences.tmx"
    done = run(["align", str(en), str(fr), "--no-model", "--format", "tmx", "--segments", "sentence",
                "--fr-lang", "fr-CA", "--en-lang", "en-CA", "--output", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    root = ElementTree.parse(out).getroot()
    assert root.find("header").get("segtype") == "sentence"  # type: ignore[union-attr]
    assert root.find("header").get("srclang") == "fr-CA"  # type: ignore[union-attr]
    store = tmxfile.parsestring(out.read_bytes())
    pairs = [(u.source, u.target) for u in store.units]
    assert len(pairs) >= 3 and all(s.strip() and t.strip() for s, t in pairs)
    assert not any(s.startswith(("(1)", "a)", "(a)")) for s, _ in pairs)  # numbering kept out
    labels = [p.text for p in root.iter("prop") if p.get("type") == "x-label"]
    assert labels and all(label.strip() for label in labels if label)

    done = run(["align", str(en), str(fr), "--no-model", "--format", "csv", "--delimiter", ";"],
               tmp_path)
    assert done.returncode == 0, done.stderr
    store = csvfile.parsestring(done.stdout.encode("utf-8"))
    assert store.units and all(u.source or u.target for u in store.units)


@pytest.mark.parametrize("option", [["--delimiter", "|"], ["--fr-lang", "en-CA"], ["--segments", "word"]])
def test_bad_export_options_exit_2_with_one_line(tmp_path: Path, option: list[str]) -> None:
    en, fr = _pair()
    done = run(["align", str(en), str(fr), "--no-model", "--format", "tmx", *option], tmp_path)
    assert done.returncode == 2, done.stdout[:200]
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("bad", ["empty", "binary", "missing", "other_law"])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, bad: str) -> None:
    en, fr = _pair()
    target = tmp_path / "fr.txt"
    if bad == "empty":
        target.write_text("")
    elif bad == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    elif bad == "other_law":
        target = ROOT / "corpus" / "sources" / "001_24733fa58d0b5c4f.txt"
    done = run(["align", str(en), str(target)], tmp_path)
    assert done.returncode == 2, done.stdout[:200]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
