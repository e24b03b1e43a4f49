"""Places a question names (Belgium, France, ...) rank first the sources about that place."""

from __future__ import annotations

import pytest

from bot.places import Places, TermPlaces, known_place
from corpus.profile import load_profile
from tests.conftest import ROOT

PROFILE = load_profile(ROOT / "corpus" / "sources")


def test_every_place_says_where_it_comes_from() -> None:
    places = Places.load(PROFILE)
    assert {p.jurisdiction for p in places.places} >= {"France", "Belgium"}
    for place in places.places:
        assert place.origin.strip() and place.terms


def test_places_are_found_as_whole_words_in_either_language() -> None:
    places = Places.load(PROFILE)
    assert places.named("In a Belgian collective dismissal, who pays?") == ("Belgium",)
    assert places.named("Licenciement collectif en BELGIQUE") == ("Belgium",)
    assert places.named("le Code du travail français et le FOREM") == ("France", "Belgium")
    assert places.named("Quelle est la règle pour les belgicismes ?") == ()
    assert places.named("Combien d'heures de DIF je garde ?") == ()
    assert places.named("What is the notice period in the UK?") == ("United Kingdom",)
    assert places.named("Can you help us?") == ()
    # a city, or a region's adjective; the jurisdiction once however many entries name it
    assert places.named("DRH d'une PME à Liège, licenciement collectif") == ("Belgium",)
    assert places.named("a Flemish company in Ghent, near Brussels") == ("Belgium",)
    assert places.named("Il fait ses courses en mons... non, à Mons") == ("Belgium",)


def test_a_question_naming_belgium_is_answered_from_the_belgian_page(real_bot) -> None:  # type: ignore[no-untyped-def]
    for question in ("Who runs the information sessions and workshops in Belgium?",
                     "En Belgique, qui est le point de contact pendant l'outplacement ?"):
        answer = real_bot.ask(question, k=3)
        assert answer.answered, question
        top = answer.results[0]
        assert top.id.startswith("002_") and top.extra["jurisdiction"] == "Belgium", question


def test_english_question_reaches_french_only_commentary(real_bot) -> None:  # type: ignore[no-untyped-def]
    # 001 and 002 are French only: the English question must still find them, by meaning
    # (the same-language advantage of e5 taken out) and by words (the term base).
    answer = real_bot.ask("Is an outplacement consultant a psychologist?", k=3)
    assert "001_24733fa58d0b5c4f.p3" in [r.id for r in answer.results]
    plan = real_bot.ask("What is the individual action plan?", k=3)
    assert plan.results[0].id == "002_3303963e5140a752.p10"


def test_a_question_about_a_place_no_source_covers_is_refused(real_bot) -> None:  # type: ignore[no-untyped-def]
    # Shares words with 003 (notice period), but the sources say nothing of British law.
    for question in ("What is the notice period for resigning in the UK?",
                     "Quelle est la durée du préavis en Suisse ?"):
        answer = real_bot.ask(question)
        assert not answer.answered and answer.results == (), question
    assert real_bot.ask("What is the notice period if I accept the redeployment agreement?").answered


def test_english_question_in_other_words_reaches_a_french_only_passage(real_bot) -> None:  # type: ignore[no-untyped-def]
    # "extended" is the profile's English for "prolongé" (002 p9): found by retrieval (the
    # fitted scope model may still find the bare question too thin to answer).
    ranked, _ = real_bot.rank("Can the programme be extended?", "en")
    assert "002_3303963e5140a752.p9" in [uid for uid, _ in ranked[:3]]


def test_a_place_some_source_is_about_counts_as_a_word_the_sources_use(real_bot) -> None:  # type: ignore[no-untyped-def]
    # 002's manifest gives Belgium as its jurisdiction; its text never says "Belgique". The
    # place word counted as a word the sources never use, and this question was refused.
    question = "ça dure combien un outplacement en belgique"
    _, evidence = real_bot.rank(question, "fr")
    assert evidence.coverage == 1.0 and evidence.top_coverage >= 0.6
    answer = real_bot.ask(question, k=3)
    assert answer.answered and answer.results[0].id == "002_3303963e5140a752.p9"
    # a place no source is about still counts as unknown
    _, elsewhere = real_bot.rank("ça dure combien un outplacement en suisse", "fr")
    assert elsewhere.coverage < 1.0 and elsewhere.elsewhere


WIDGETS = [("Ruritania", "Every widget protection agreement lasts a year."),
           ("Ruritania", "The employer pays for the widgets."),
           ("Freedonia", "The widget cell and its employer meet monthly."),
           ("unspecified", "A widget protection agreement, wherever you are."),
           ("", "Widget protection agreement")]


def test_a_term_points_to_the_places_whose_sources_write_its_meaning() -> None:
    places = TermPlaces.of({"wpa": ("widget protection agreement",),
                            "cell": ("widget cell", "cellule widget"),
                            "boss": ("employer",), "none": ("gizmo",)}, WIDGETS)
    assert places.known == frozenset({"Ruritania", "Freedonia"})
    # sources of no stated place say nothing of where a term is used
    assert places.named(("wpa",)) == frozenset({"Ruritania"})
    assert places.named(("cell",)) == frozenset({"Freedonia"})
    # written everywhere, nowhere, or unknown to `of`: no place in particular
    assert places.named(("boss",)) == places.named(("none",)) == frozenset()
    assert places.named(("nobody asked",)) == places.named(()) == frozenset()
    # two terms of two places point to both, which is every place: none in particular
    assert places.named(("wpa", "cell")) == frozenset()
    # whole words as the sources write them, case and spacing aside
    assert TermPlaces.of({"x": ("WIDGET  Protection agreement",)}, WIDGETS).named(("x",)) == \
        frozenset({"Ruritania"})
    assert TermPlaces.of({"x": ("widget protection agreemen",)}, WIDGETS).places == {}


@pytest.mark.parametrize("where,known", [("France", True), ("", False), ("unspecified", False),
                                         ("Unspecified", False)])
def test_known_places(where: str, known: bool) -> None:
    assert known_place(where) is known


def test_an_acronym_one_place_uses_is_answered_from_that_place(real_bot) -> None:  # type: ignore[no-untyped-def]
    # The Belgian page's "parcours de minimum 3 ou 6 mois" is closest in meaning to "combien de
    # temps", but the acronym means an agreement only the French sources write of.
    answer = real_bot.ask("Combien de temps pour accepter la CRP ?", k=3)
    assert answer.answered
    assert answer.results[0].extra["jurisdiction"] == "France"
    assert answer.results[0].id == "L321-4-2.I.5"


def test_the_places_of_acronyms_are_made_on_first_use_not_at_start(built_settings) -> None:  # type: ignore[no-untyped-def]
    """Searching every text of the corpus for what each acronym stands for took 0.18-0.20 s
    of every start on five acts, before /health answered: the warm-up makes it instead."""
    from api.build import load_bot

    bot = load_bot(built_settings)
    assert bot._term_places is None  # not made by the load
    places = bot.term_places
    assert places is not None and places.places  # the seeds: an acronym one place writes
    assert bot.term_places is places  # made once
    warmed = load_bot(built_settings)
    warmed.warm_up()
    assert warmed._term_places is not None and warmed._term_places.places == places.places
