"""`bilex sources add`: an act pair copied into the sources with a validated manifest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from corpus.adding import add_act
from corpus.errors import CorpusError
from corpus.manifest import load_manifest
from tests.conftest import ROOT

BILEX = str(Path(sys.executable).parent / "bilex")
DATA = ROOT / "tests" / "corpus" / "data"
EN, FR = DATA / "canada_sample_en.txt", DATA / "canada_sample_fr.txt"


def run(args: list[str], src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BILEX_SOURCES_DIR": str(src), "BILEX_DATA_DIR": str(src.parent / "d")}
    return subprocess.run([BILEX, "sources", "add", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_add_writes_files_and_a_manifest_with_origins(tmp_path: Path) -> None:
    src = tmp_path / "sources"
    src.mkdir()
    done = run([str(EN), str(FR), "--act", "L-2.5", "--title", "Sample “Act”",
                "--jurisdiction", "Canada", "--citation-en", "Sample Act, c. L-2.5"], src)
    assert done.returncode == 0, done.stderr
    manifest = load_manifest(src / "L-2.5.toml")
    assert manifest.layout == "bitext" and manifest.value("act") == "L-2.5"
    assert manifest.value("title") == "Sample “Act”"
    assert manifest.value("citation") == {"en": "Sample Act, c. L-2.5"}
    assert all(f["origin"] for f in manifest.fields.values())
    assert (src / "L-2.5_en.txt").read_bytes() == EN.read_bytes()
    raw = tomllib.loads((src / "L-2.5.toml").read_text(encoding="utf-8"))
    assert "sha256" in raw["languages"]["origin"]

    again = run([str(EN), str(FR), "--act", "L-2.5", "--title", "Again"], src)
    assert again.returncode == 2 and "already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("en", "fr", "act", "title", "fragment"), [
    (EN, FR, "bad code!", "T", "act code"),
    (EN, FR, "X-1", " ", "--title"),
    (EN, DATA / "missing.txt", "X-1", "T", "not found"),
    (EN, DATA / "article_fr.txt", "X-1", "T", "article_fr.txt"),
])
def test_bad_input_is_refused_and_writes_nothing(tmp_path: Path, en: Path, fr: Path, act: str,
                                                 title: str, fragment: str) -> None:
    with pytest.raises(CorpusError, match=re.escape(fragment)):
        add_act(tmp_path, en, fr, act=act, title=title)
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    done = run([str(EN), str(FR), "--title", "T"], tmp_path)
    assert done.returncode == 2 and "--act" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
