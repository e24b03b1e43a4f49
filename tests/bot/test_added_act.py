"""Calibration beside an added act: the seeds' labels speak for the seeds only (real model, real
calibration, four sections of a labour code beside the seeds)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.api.test_acts_build import MANIFEST
from tests.conftest import ROOT, SOURCES

DATA = ROOT / "tests" / "corpus" / "data"


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
    (src / "leave.toml").write_text(MANIFEST.format(stem="leave", code="L-2"), encoding="utf-8")
    settings = Settings(data_dir=tmp / "data", sources_dir=src)
    shutil.copytree(built_settings.data_dir / "embedding-cache", settings.data_dir / "embedding-cache")
    build_all(settings)
    model = fit_scope_model(settings, list(DEFAULT_CALIBRATION), BSARD if BSARD.is_file() else None)
    return load_bot(settings), model


def test_calibration_beside_an_act_speaks_for_the_seeds_only(beside: Any) -> None:
    """The seeds' labels speak for the seeds' files; the act's subjects its headings name are no
    longer the profile's neighbouring subjects; and questions on the act are answered from it.
    (How much this answers on five whole acts: README, "Scope beside an added act".)"""
    bot, model = beside
    seeds = {p.name for p in SOURCES.glob("*.txt")}
    assert model.labelled and set(model.labelled) <= seeds
    assert bot.scope.labelled == model.labelled
    # a seed question an act's provision leads keeps the seed examples' vote when a seed
    # passage is among its first results
    seed = bot.sources_of("L321-4-2.I.1")
    assert seed and bot.leading_sources([("L-2.174.1", 2.0), ("L321-4-2.I.1", 1.0)]) >= seed
    assert not bot.leading_sources([("L-2.174.1", 2.0), ("L-2.184.1", 1.0)]) & seed
    # the profile's "overtime pay" is what a heading of the act says, "remote work" is not
    terms = [t for n in bot.neighbours for ts in n.terms.values() for t in ts]
    assert "overtime pay" not in terms and "heures supplémentaires" not in terms
    assert "remote work" in terms
    answer = bot.ask("Quel est le taux de majoration des heures supplémentaires ?", "fr", 3)
    assert answer.answered and answer.results[0].id.startswith("L-2.174.")
    for question in ("What is the capital of Peru?", "Comment produire ma déclaration de revenus ?"):
        assert not bot.ask(question, None, 3).answered, question


def test_the_seeds_alone_keep_every_source_labelled(real_bot: Any) -> None:
    assert real_bot.scope.labelled == ()  # every served source: the vote applies everywhere
    assert real_bot.neighbours == real_bot.profile.neighbours  # no term a heading covers




def test_a_near_refusal_shows_passages_only_when_the_labelled_sources_lead(beside: Any) -> None:
    """Every question taken as refused by little: one an act's provisions lead shows nothing
    (the seeds' labels say nothing of the act; beside five acts, a third of the BSARD questions
    were refused by little with an act leading), one the seeds lead shows its passages."""
    from dataclasses import fields

    from bot.scope import Evidence, ScopeModel

    class RefusedByLittle(ScopeModel):
        def covered(self, e: Evidence) -> bool:
            return False

        def near(self, e: Evidence) -> bool:
            return True

    bot, _ = beside
    fitted = bot.scope
    bot.scope = RefusedByLittle(**{f.name: getattr(fitted, f.name) for f in fields(fitted)})
    try:
        act = bot.ask("Quel est le taux de majoration des heures supplémentaires ?", "fr", 3)
        assert not act.answered and act.results == () and "uncertain" not in act.extra
        seeds = bot.ask("Combien de temps dure la convention de reclassement personnalisé ?",
                        "fr", 3)
        assert not seeds.answered and seeds.extra.get("uncertain") is True
        assert seeds.results and seeds.results[0].id.startswith("L321-4-2.")
    finally:
        bot.scope = fitted


def test_the_refusal_the_greeting_and_the_page_name_the_added_act(beside: Any, real_bot: Any) -> None:
    """The profile's replies and the chat page's introduction (`/about`) were written for the
    seeds: beside an act they also name it (its manifest's title) and say how to search it,
    so a question on the act refused by the scope model does not leave its asker thinking
    Bilex holds no such law. The seeds alone keep the profile's text as written."""
    from bot.references import law_name

    bot, _ = beside
    source = next(s for s in bot.corpus.sources if s.fields.get("act", {}).get("value") == "L-2")
    refused = bot.ask("Quelle est la capitale de la France ?", "fr", 3)
    assert not refused.answered and refused.message
    assert refused.message.startswith(bot.profile.refusal["fr"])
    assert law_name(source, "fr") in refused.message and "Nommez" in refused.message
    hello = bot.ask("Hello", "en", 3)
    assert hello.extra.get("greeting") and law_name(source, "en") in (hello.message or "")
    from api.routes.sources import about_served

    intro = about_served(bot)["intro"]
    assert intro["en"].startswith(bot.profile.about["intro"]["en"])
    assert law_name(source, "en") in intro["en"] and law_name(source, "fr") in intro["fr"]
    assert about_served(real_bot)["intro"] == dict(real_bot.profile.about["intro"])
    alone = real_bot.ask("What is the capital of France?", "en", 3)
    assert not alone.answered and "also hold" not in (alone.message or "")
    assert (alone.message or "").startswith(real_bot.profile.refusal["en"])


def test_a_refused_question_using_an_acts_title_word_is_suggested_under_that_act(
        beside: Any) -> None:
    """Refused, a question whose first result is a provision of a served act and that uses a
    word of that act's title is suggested again under the act; named, the act answers it.
    Beside the five shared acts: "qui peut déclarer faillite" gets "Loi sur la faillite et
    l'insolvabilité : qui peut déclarer faillite", answered from that act; none of the 109
    BSARD questions refused gets such a suggestion."""
    from dataclasses import fields

    from bot.references import law_name
    from bot.scope import Evidence, ScopeModel

    class Refused(ScopeModel):
        def covered(self, e: Evidence) -> bool:
            return False

    bot, _ = beside
    source = next(s for s in bot.corpus.sources if s.fields.get("act", {}).get("value") == "L-2")
    title = law_name(source, "en")
    question = "How is sample overtime paid?"
    fitted = bot.scope
    bot.scope = Refused(**{f.name: getattr(fitted, f.name) for f in fields(fitted)})
    try:
        refused = bot.ask(question, "en", 3)
        seeds = bot.ask("How long does the redeployment agreement last?", "en", 3)
    finally:
        bot.scope = fitted
    assert not refused.answered
    assert refused.extra["suggestions"][0] == f"{title}: {question}"
    assert not any(s.startswith(title) for s in seeds.extra.get("suggestions", []))
    named = bot.ask(refused.extra["suggestions"][0], "en", 3)
    assert named.answered and named.results[0].id.startswith("L-2.")
