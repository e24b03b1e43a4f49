"""Acronyms and lay words expand into the sources' wording; every entry has its origin."""

from __future__ import annotations

from bot.glossary import Glossary
from corpus.profile import load_profile
from tests.conftest import ROOT

PROFILE = load_profile(ROOT / "corpus" / "sources")


def test_every_entry_says_where_it_comes_from(corpus) -> None:  # type: ignore[no-untyped-def]
    glossary = Glossary.load(PROFILE, corpus)
    assert len(glossary.entries) > 15
    for entry in glossary.entries:
        assert entry.origin.strip() and entry.fr.strip() and entry.en.strip()


def test_acronyms_and_lay_words_expand(corpus) -> None:  # type: ignore[no-untyped-def]
    glossary = Glossary.load(PROFILE, corpus)
    dif = glossary.expand("combien d'heures de DIF je garde ?")
    assert "droit individuel à la formation" in dif.fr and "individual right to training" in dif.en
    crp = glossary.expand("I was laid off, what is a CRP?")
    assert "convention de reclassement personnalisé" in crp.fr
    assert "laid off" in crp.matched
    assert "licenciement" in glossary.expand("j'ai été viré").fr
    assert glossary.expand("Quelle est la recette de la tarte ?").matched == ()


def test_the_verb_to_pay_is_not_read_as_a_salary(corpus) -> None:  # type: ignore[no-untyped-def]
    # "qui paie la formation ?" asks who finances it: read as "salaire" it led with the
    # trainee-status alinéa (the plain set's question was not in the top three)
    glossary = Glossary.load(PROFILE, corpus)
    for question in ("Qui paie les formations pendant le dispositif ?",
                     "Who will pay for the training?"):
        assert "salaire" not in glossary.expand(question).fr.split(), question
    assert "salaire" in glossary.expand("mon salaire baisse-t-il ?").fr


def test_who_pays_is_read_in_the_sources_wording_of_financing(corpus) -> None:  # type: ignore[no-untyped-def]
    glossary = Glossary.load(PROFILE, corpus)
    for question in ("Qui paie les formations ?", "c'est qui qui paye ça ?",
                     "Who funds it?", "Is this service paid for by the company?"):
        assert "financement" in glossary.expand(question).fr.split(), question
    assert "financement" not in glossary.expand("mon salaire baisse-t-il ?").fr.split()


def test_framework_and_line_manager_are_not_read_as_executives(corpus) -> None:  # type: ignore[no-untyped-def]
    # "dans ce cadre" (in this context) and "my manager" (a boss) are not the executives'
    # status the profile's entry brings in; "les cadres", "executives" and "managers" still are
    glossary = Glossary.load(PROFILE, corpus)
    for question in ("Mes heures non utilisées, elles servent à quoi dans ce cadre ?",
                     "My manager told me about outplacement"):
        assert "cadres" not in glossary.expand(question).fr.split(), question
    assert "cadres" in glossary.expand("c'est seulement pour les cadres ?").fr.split()
    assert "cadres" in glossary.expand("Is it only for executives?").fr.split()
    assert "cadres" in glossary.expand("is it only for managers?").fr.split()  # the category


def test_terms_paired_by_the_alignment_feed_the_glossary(corpus) -> None:  # type: ignore[no-untyped-def]
    pairs = {(p["fr"], p["en"]) for p in corpus.term_pairs}
    assert ("convention de reclassement personnalisé", "personalised redeployment agreement") in pairs
    assert ("droit individuel à la formation", "individual right to training") in pairs
    expansion = Glossary.load(PROFILE, corpus).expand("what is a personalised redeployment agreement")
    assert "convention de reclassement personnalisé" in expansion.fr


def test_an_acts_initials_mean_its_titles_typed_in_capitals_only(corpus) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from corpus.models import SourceInfo

    cited = {"en": "Widget Insurance Act, S.C. 1999, c. 9",
             "fr": "Loi sur l’assurance-gadget, L.C. 1999, ch. 9"}
    act = SourceInfo("w_en.txt", "0" * 64, "statute", ("en", "fr"), "Testland", "Widget Insurance Act",
                     {"act": {"value": "W-9", "origin": "test"},
                      "citation": {"value": cited, "origin": "test"}})
    glossary = Glossary.load(PROFILE, replace(corpus, sources=corpus.sources + (act,)))
    entry = next(e for e in glossary.entries if e.en == "Widget Insurance Act")
    assert set(entry.terms) == {"WI", "WIA", "LAG"}
    assert entry.fr == "Loi sur l’assurance-gadget"
    assert "w_en.txt" in entry.origin
    for question in ("Can I get WI if I quit?", "Que dit la LAG ?", "WIA s. 12"):
        assert "Widget Insurance Act" in glossary.expand(question).en
    for question in ("wi fi at work", "the lag between two payments", "WIAX"):
        assert "Widget Insurance Act" not in glossary.expand(question).en


def test_the_sources_own_wording_of_a_subject_counts_as_the_subject(corpus) -> None:  # type: ignore[no-untyped-def]
    # "motif économique" is the sources' own wording; only the lay short forms counted
    glossary = Glossary.load(PROFILE, corpus)
    for question in ("je viens d'être licencié pour motif économique", "licencié éco",
                     "licenciement économique : mes droits ?"):
        assert glossary.expand(question).domain >= 1, question
