"""The gaps line: which of the question's words the passages shown do not use."""

from __future__ import annotations

from bot.enrich import Enricher
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
