"""Retrieval quality on the gold set and the real out-of-scope questions (real model, real index).

The figures asserted here are the floor this build reaches; `bilex eval` prints them all.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.evaluation import Question, evaluate, read_questions
from tests.conftest import ROOT

GOLD = ROOT / "tests" / "bot" / "data" / "gold.jsonl"
BSARD = ROOT.parent / "shared" / "corpora" / "bsard" / "questions_fr_test.csv"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gold_report(real_bot):  # type: ignore[no-untyped-def]
    return evaluate(real_bot, read_questions(GOLD)).figures()


def test_gold_set_french(gold_report) -> None:  # type: ignore[no-untyped-def]
    fr = gold_report["fr"]
    assert fr["in_scope"] >= 40
    assert fr["hit@3"] == 1.0
    assert fr["hit@1"] >= 0.9
    assert fr["in_scope_refused"] == 0


def test_gold_set_english(gold_report) -> None:  # type: ignore[no-untyped-def]
    en = gold_report["en"]
    assert en["in_scope"] >= 40
    assert en["hit@3"] == 1.0
    assert en["hit@1"] >= 0.9
    assert en["in_scope_refused"] == 0


def test_own_out_of_scope_questions_mostly_refused(gold_report) -> None:  # type: ignore[no-untyped-def]
    refused = sum(gold_report[lang]["out_of_scope_refused"] for lang in ("fr", "en"))
    total = sum(gold_report[lang]["out_of_scope"] for lang in ("fr", "en"))
    assert total >= 10 and refused / total >= 0.65


@pytest.mark.skipif(not BSARD.is_file(), reason="BSARD questions not beside the repo")
def test_bsard_questions_are_refused_and_detected_french(real_bot) -> None:  # type: ignore[no-untyped-def]
    with Path(BSARD).open(encoding="utf-8") as handle:
        rows = [Question(r["question"], None, ()) for r in csv.DictReader(handle)]
    assert len(rows) == 111
    report = evaluate(real_bot, rows)
    refused = sum(1 for o in report.outcomes if not o.answered)
    assert refused / len(rows) >= 0.95
    assert all(o.language == "fr" for o in report.outcomes)
