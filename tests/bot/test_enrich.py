"""The gaps line: which of the question's words the passages shown do not use."""

from __future__ import annotations

from bot.enrich import Enricher, subject_words
from bot.results import Result


def _shown(uid: str, jurisdiction: str) -> Result:
    return Result(uid, "commentary", 1.0, {"fr": "x", "en": None}, {"text": "x"}, None, None,
                  {"jurisdiction": jurisdiction})


def _gaps(results: list[Result], places=None):  # type: ignore[no-untyped-def]
    enricher = Enricher({}, None, None)  # type: ignore[arg-type]
    vocab = {r.id: frozenset({"widget"}) for r in results}
    return enricher.gaps("widget lasts forever under sunshine in Ruritania", "en", results, vocab, 0.0,
                         places=places)


def _ruritania(word: str) -> tuple[str, ...]:
    return ("Ruritania",) if word.lower() == "ruritania" else ()


def test_a_place_the_shown_passages_are_about_is_not_called_missing() -> None:
    gaps = _gaps([_shown("a.p1", "Ruritania"), _shown("a.p2", "Ruritania")], _ruritania)
    assert gaps is not None and "Ruritania" not in gaps["words"] and "lasts" in gaps["words"]


def test_a_place_no_shown_passage_is_about_is_still_called_missing() -> None:
    assert "Ruritania" in _gaps([_shown("b.p1", "Elbonia")], _ruritania)["words"]
    assert "Ruritania" in _gaps([_shown("a.p1", "Ruritania")])["words"]  # no place names known


def test_only_words_naming_what_is_asked_are_called_missing() -> None:
    # grammar ("ai-je", "c'est"), a figure of the asker's situation and the words of a
    # provision reference are not subjects the sources could be silent on
    assert subject_words("Combien de temps ai-je, c'est pour 1000 widgets ?", "fr") == [
        "temps", "widgets"]
    assert subject_words("L12-3 I al. 2", "fr") == []
    assert subject_words("What does section 12(3) say about the fee?", "en") == ["fee"]
    assert subject_words("Et l'argent, il va où ?", "fr") == ["argent"]


def test_a_long_post_is_judged_on_the_sentences_that_ask() -> None:
    enricher = Enricher({}, None, None)  # type: ignore[arg-type]
    shown = [_shown("a.p1", "Ruritania")]
    vocab = {"a.p1": frozenset({"widget", "fee"})}
    post = "My cousin in Elbonia bought three gadgets yesterday. What is the widget fee?"
    assert enricher.gaps(post, "en", shown, vocab, 0.0) is not None  # the context's words
    assert enricher.gaps(post, "en", shown, vocab, 0.0,
                         asked=("What is the widget fee?",)) is None
