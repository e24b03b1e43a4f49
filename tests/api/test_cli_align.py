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
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {"en", "fr"} <= set(rows[0])


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
