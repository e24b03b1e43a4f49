"""An act added beside the seeds answers the plain questions on its subjects, although the
seeds' calibration questions call those subjects out of scope (real model, real calibration)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.conftest import ROOT, SOURCES

DATA = ROOT / "tests" / "corpus" / "data"
MANIFEST = """layout = "bitext"
format = "text"
files = { en = "leave_en.txt", fr = "leave_fr.txt" }
kind = { value = "statute", origin = "test fixture" }
languages = { value = ["en", "fr"], origin = "test fixture" }
jurisdiction = { value = "Canada", origin = "test fixture" }
title = { value = "Canada Labour Code", origin = "test fixture" }
act = { value = "L-2", origin = "test fixture" }
"""


@pytest.fixture(scope="module")
def beside(tmp_path_factory: pytest.TempPathFactory, built_settings: Any) -> Any:
    """The seeds and four sections of a labour code, built and calibrated (the seeds' texts
    taken from the session build's embedding cache)."""
    from api.build import build_all, load_bot
    from api.cli import DEFAULT_CALIBRATION, fit_scope_model
    from api.settings import Settings
    from tests.bot.conftest import BSARD

    tmp = tmp_path_factory.mktemp("added-act")
    src = tmp / "sources"
    shutil.copytree(SOURCES, src)
    for lang in ("en", "fr"):
        shutil.copy(DATA / f"canada_leave_{lang}.txt", src / f"leave_{lang}.txt")
    (src / "leave.toml").write_text(MANIFEST, encoding="utf-8")
    settings = Settings(data_dir=tmp / "data", sources_dir=src)
    shutil.copytree(built_settings.data_dir / "embedding-cache", settings.data_dir / "embedding-cache")
    build_all(settings)
    model = fit_scope_model(settings, list(DEFAULT_CALIBRATION), BSARD if BSARD.is_file() else None)
    return load_bot(settings), model


def test_an_added_acts_subjects_are_answered_from_it(beside: Any) -> None:
    bot, model = beside
    # "How much overtime pay am I owed ...?" is one of the seeds' near-domain negatives: its
    # label says the seeds do not cover it, nothing of the labour code answering it first
    for question, lang, section in [
            ("How much overtime pay am I owed if I work more than 40 hours a week?", "en", "174"),
            ("combien de semaines de congés annuels payés après cinq ans de service ?", "fr",
             "184")]:
        answer = bot.ask(question, lang, 3)
        assert answer.answered, question
        assert answer.results[0].id.startswith(f"L-2.{section}."), question
    for question in ("What is the capital of Peru?", "Comment produire ma déclaration de revenus ?"):
        assert not bot.ask(question, None, 3).answered, question
    # the labels speak for the seeds only, and the act's headings were asked as questions
    assert model.labelled and not any(name.startswith("leave_") for name in model.labelled)
    assert model.provenance["out_of_fold"]["headings"]["in_n"] >= 4
    # the profile's "overtime pay" is covered by the act's heading, "remote work" is not
    terms = [t for n in bot.neighbours for ts in n.terms.values() for t in ts]
    assert "overtime pay" not in terms and "heures supplémentaires" not in terms
    assert "remote work" in terms


def test_the_seeds_alone_keep_every_source_labelled(real_bot: Any) -> None:
    assert real_bot.scope.labelled == ()  # every served source: the vote applies everywhere
    assert len(real_bot.neighbours) == len(real_bot.profile.neighbours)


