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


def test_terms_paired_by_the_alignment_feed_the_glossary(corpus) -> None:  # type: ignore[no-untyped-def]
    pairs = {(p["fr"], p["en"]) for p in corpus.term_pairs}
    assert ("convention de reclassement personnalisé", "personalised redeployment agreement") in pairs
    assert ("droit individuel à la formation", "individual right to training") in pairs
    expansion = Glossary.load(PROFILE, corpus).expand("what is a personalised redeployment agreement")
    assert "convention de reclassement personnalisé" in expansion.fr
