"""The `bilex` CLI as a user runs it: build, pairs, and one-line errors with exit 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SOURCES

BILEX = str(Path(sys.executable).parent / "bilex")


def run(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "BILEX_DATA_DIR": str(tmp / "data"), **env}
    return subprocess.run([BILEX, *args], capture_output=True, text=True, env=full_env,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    done = run(["build"], tmp)
    assert done.returncode == 0, done.stderr
    assert "9 aligned statute units" in done.stdout
    assert "délai-congé" in done.stdout
    return tmp


def test_build_twice_is_a_noop(built: Path) -> None:
    again = run(["build"], built)
    assert again.returncode == 0 and again.stdout.startswith("Nothing changed")


def test_an_index_whose_words_were_analysed_otherwise_is_built_again(built: Path) -> None:
    # the corpus and the chunks are the same, but BM25's tokens came from another stemming,
    # folding or stop list (the version before recorded none): a question would be analysed
    # into tokens the index does not hold
    manifest_path = built / "data" / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    current = manifest["params"]["analysis"]
    del manifest["params"]["analysis"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    again = run(["build"], built)
    assert again.returncode == 0 and again.stdout.startswith("Built"), again.stdout
    rebuilt = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert rebuilt["params"]["analysis"] == current
    assert run(["build"], built).stdout.startswith("Nothing changed")


def test_pairs_json_gives_nine_cited_units(built: Path) -> None:
    done = run(["pairs", "--json"], built)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["id"] for r in results][:2] == ["L321-4-2.I.1", "L321-4-2.I.2"]
    assert len(results) == 9
    for r in results:
        assert r["kind"] == "statute" and r["fr"]["text"] and r["en"]["text"]
        assert r["citation"]["fr"].startswith("Code du travail, art. L. 321-4-2, ")
        assert r["citation"]["en"].startswith("French Labour Code, Article L321-4-2, ")
        assert r["fr"]["source"] == "003_1e6b081e43e3fa0e.txt"
        assert 0 <= r["alignment"]["confidence"] <= 1
        assert isinstance(r["alignment"]["flags"], list)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: p.unlink(), "file not found"),
        (lambda p: p.write_text(""), "is empty"),
        (lambda p: p.write_bytes(b"caf\xe9 \xff"), "not valid UTF-8"),
    ],
    ids=["missing", "empty", "undecodable"],
)
def test_bad_source_exits_2_with_one_line(tmp_path: Path, damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "sources"
    shutil.copytree(SOURCES, src)
    damage(src / "000_a2ce5ef13f623cff.txt")
    done = run(["build"], tmp_path, BILEX_SOURCES_DIR=str(src))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "000_a2ce5ef13f623cff.txt" in lines[0] and reason in lines[0]
    assert "Traceback" not in done.stderr


def test_pairs_before_build_says_to_build(tmp_path: Path) -> None:
    done = run(["pairs"], tmp_path)
    assert done.returncode == 2 and "bilex build" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_option_and_bad_setting_exit_2(tmp_path: Path) -> None:
    done = run(["pairs", "--nope"], tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    done = run(["pairs"], tmp_path, BILEX_PORT="0")
    assert done.returncode == 2 and "BILEX_PORT" in done.stderr
