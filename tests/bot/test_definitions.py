"""Terms an act defines, found by definition questions (the Canada sample, no model)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.definitions import DefinedTerms
from bot.fusion import lead_with
from corpus.bitext import align_texts

DATA = Path(__file__).parent.parent / "corpus" / "data"


@pytest.fixture(scope="module")
def defined() -> tuple[DefinedTerms, dict[str, Any]]:
    en = (DATA / "canada_sample_en.txt").read_text(encoding="utf-8")
    fr = (DATA / "canada_sample_fr.txt").read_text(encoding="utf-8")
    units = [SimpleNamespace(id=f"u{i}", section=u.section, fr=SimpleNamespace(text=u.fr),
                             en=SimpleNamespace(text=u.en))
             for i, u in enumerate(align_texts(en, fr, None))]
    corpus: Any = SimpleNamespace(units=units)
    return DefinedTerms.of_corpus(corpus), {u.id: u for u in units}


def test_a_defined_term_leads_to_the_unit_opening_its_definition(defined) -> None:  # type: ignore[no-untyped-def]
    terms, units = defined
    (board,) = terms.find(("board",))
    assert units[board].en.text.startswith("Board means")
    assert terms.find(("conseil",)) == (board,)  # the French term, by its own stemmer
    assert terms.find(("boards",)) == (board,)  # inflected
    (loss,) = terms.find(("financial", "loss"))
    assert units[loss].en.text.startswith("financial loss means")
    assert terms.find(("perte", "financiere")) == (loss,)


def test_each_name_a_definition_lists_is_found(defined) -> None:  # type: ignore[no-untyped-def]
    """"federal work, undertaking or business means ...": each name leads to it."""
    terms, units = defined
    (whole,) = terms.find(("federal", "work", "undertaking", "business"))
    assert units[whole].en.text.startswith("federal work, undertaking")
    assert terms.find(("undertaking",)) == (whole,)


def test_a_subject_that_is_more_than_a_term_is_not_a_definition(defined) -> None:  # type: ignore[no-untyped-def]
    terms, _ = defined
    assert terms.find(("board", "role")) == ()  # "what is the Board's role"
    assert terms.find(("loss",)) == ()  # part of a term is not the term
    assert terms.find(()) == ()
    assert DefinedTerms({}).find(("board",)) == ()


def test_the_definition_is_put_first_even_when_retrieval_missed_it() -> None:
    ranked = [("a", 3.0), ("b", 2.0)]
    assert lead_with(ranked, "b") == [("b", 3.0), ("a", 3.0)]
    assert lead_with(ranked, "z") == ranked  # a passage retrieval missed stays out
    assert lead_with(ranked, "z", insert=True) == [("z", 3.0), ("a", 3.0), ("b", 2.0)]
    assert lead_with([], "z", insert=True) == []


def test_of_two_acts_defining_a_term_the_one_retrieval_ranks_first_leads() -> None:
    from bot.engine import Bot

    units = {uid: SimpleNamespace(article=uid.split(".")[0])
             for uid in ("A.2.1", "A.9.1", "B.2.4", "B.7.1")}
    directors = DefinedTerms({("en", ("director",)): ("A.2.1", "B.2.4")})
    bot: Any = SimpleNamespace(units=units, defined_terms=directors)
    assert Bot._act_definition(bot, ("director",), "en",
                               [("B.7.1", 2.0), ("A.9.1", 1.0)]) == "B.2.4"
    assert Bot._act_definition(bot, ("director",), "en", [("A.9.1", 2.0)]) == "A.2.1"
    assert Bot._act_definition(bot, ("director",), "en", [("x", 1.0)]) == "A.2.1"  # corpus order
    assert Bot._act_definition(bot, ("officer",), "en", [("B.7.1", 1.0)]) is None


def test_a_question_naming_an_act_gets_that_acts_definition_or_none() -> None:
    """"What is a director under the B Act": B's definition, even when retrieval ranks A's
    provisions first; an act named that does not define the term leads with no other's."""
    from bot.engine import Bot

    units = {uid: SimpleNamespace(article=uid.split(".")[0])
             for uid in ("A.2.1", "A.9.1", "B.2.4", "B.7.1", "C.1.1")}
    directors = DefinedTerms({("en", ("director",)): ("A.2.1", "B.2.4")})
    bot: Any = SimpleNamespace(units=units, defined_terms=directors)
    ranked = [("A.9.1", 2.0), ("B.7.1", 1.0)]
    assert Bot._act_definition(bot, ("director",), "en", ranked, frozenset({"B"})) == "B.2.4"
    assert Bot._act_definition(bot, ("director",), "en", ranked, frozenset({"C"})) is None


def test_the_questions_language_is_tried_first() -> None:
    """A word of both languages may be another term in the other one: English "employer"
    is stemmed by the French stemmer as French "emploi" (employment)."""
    terms = DefinedTerms({("fr", ("emploi",)): ("u-employment",),
                          ("en", ("employ",)): ("u-employer",)})
    assert terms.find(("employer",), "en") == ("u-employer",)
    assert terms.find(("emploi",), "fr") == ("u-employment",)
    with pytest.raises(ValueError, match="language"):
        terms.find(("employer",), "de")


def test_a_term_is_found_as_written_before_the_terms_sharing_its_stems() -> None:
    """"what is an employer?" led with the definition of "employee": English "employer" and
    French "employé" both stem to "employ", and the languages' stems were one table; and
    "employment" stems as "employer" does."""
    def unit(uid: str, en: str, fr: str) -> SimpleNamespace:
        return SimpleNamespace(id=uid, section="3", en=SimpleNamespace(text=en),
                               fr=SimpleNamespace(text=fr))

    corpus: Any = SimpleNamespace(units=[
        unit("W.3.1", "employee means any person employed by an employer; (employé)",
             "employé Personne au service d’un employeur. (employee)"),
        unit("W.3.2", "employment means the state of being employed; (emploi)",
             "emploi Le fait d’être employé. (employment)"),
        unit("W.3.3", "employer means any person who employs one or more employees; (employeur)",
             "employeur Quiconque emploie un ou plusieurs employés. (employer)")])
    terms = DefinedTerms.of_corpus(corpus)
    assert terms.find(("employer",), "en") == ("W.3.3",)
    assert terms.find(("employee",), "en") == ("W.3.1",)
    assert terms.find(("employment",), "en") == ("W.3.2",)
    assert terms.find(("employe",), "fr") == ("W.3.1",)
    assert terms.find(("employeur",), "fr") == ("W.3.3",)
    # by its stems, the nearest term written first
    assert terms.find(("employers",), "en") == ("W.3.3", "W.3.2")


def test_a_question_asking_how_long_a_term_lasts_is_not_asking_what_it_is(real_bot) -> None:  # type: ignore[no-untyped-def]
    # read as "CRP ?" (its other words are stop words), it led with I, al. 1, which introduces
    # the CRP; the duration is al. 5's ("la durée de cette convention")
    for question, lang in (("How long does the CRP last?", "en"), ("quand la CRP ?", "fr")):
        assert real_bot.read(question, lang).definition == (), question
    answer = real_bot.ask("How long does the CRP last?", "en")
    assert answer.answered and answer.results[0].id == "L321-4-2.I.5"
    assert real_bot.read("CRP ?", "fr").definition == ("crp",)


def test_a_term_holding_a_word_the_stop_lists_have_is_asked_whole(defined) -> None:  # type: ignore[no-untyped-def]
    """Words the stop lists hold and laws define ("work", "personne", "member": the index
    keeps them) stay in a definition question's term: "What is a federal work?" was read as
    "federal", and "Qu'est-ce qu'une personne insolvable ?" as "insolvable", and neither found
    its definition; the words naming a law still go ("under the Act")."""
    from collections import Counter

    from bot.phrasing import Phrasing
    from corpus.profile import Phrases

    terms, units = defined
    phrasing = Phrasing(Counter(), greetings=Phrases(), spelling={}, definition=Phrases(
        {"fr": ("qu'est-ce qu'",), "en": ("what is",)}, "test"))
    term = phrasing.definition("What is a federal work?", most=None)
    assert term == ("federal", "work")
    (unit,) = terms.find(term, "en")
    assert units[unit].en.text.startswith("federal work, undertaking or business means")
    assert phrasing.definition("Qu'est-ce qu'une personne insolvable ?", most=None) == (
        "personne", "insolvable")
    assert phrasing.definition("What is a member under the Act?", most=None) == ("member",)
