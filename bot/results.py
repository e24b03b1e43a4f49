"""The Result and Answer records of the public interface (shape in CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus.models import AlignedUnit, Passage


@dataclass(frozen=True)
class Result:
    """One answer card: an aligned statute unit or a commentary passage, with citations."""

    id: str
    kind: str
    score: float
    citation: dict[str, str | None]
    fr: dict[str, str] | None
    en: dict[str, str] | None
    alignment: dict[str, Any] | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract's Result object, plus extra fields (added, never renamed)."""
        body: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "score": round(self.score, 4),
            "citation": self.citation, "fr": self.fr, "en": self.en,
            "alignment": self.alignment,
        }
        body.update(self.extra)
        return body


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question."""

    question: str
    language: str
    answered: bool
    message: str | None
    results: tuple[Result, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "question": self.question, "language": self.language, "answered": self.answered,
            "message": self.message, "results": [r.to_dict() for r in self.results],
        }
        body.update(self.extra)
        return body


def _side(p: Passage) -> dict[str, str]:
    return {"text": p.text, "source": p.source}


# Which text is the law, by the languages the source's manifest says are authentic.
_AUTHORITY = {
    frozenset({"fr"}): {"fr": "Le texte français fait foi ; l’anglais en est une traduction.",
                        "en": "The French text prevails; the English is a translation."},
    frozenset({"en"}): {"fr": "Le texte anglais fait foi ; le français en est une traduction.",
                        "en": "The English text prevails; the French is a translation."},
    frozenset({"en", "fr"}): {"fr": "Les versions française et anglaise font également foi.",
                              "en": "The English and French versions are equally authoritative."},
}


def translation_note(authentic: Sequence[str] | None) -> dict[str, str] | None:
    """What a reader is told about the two texts of a unit, from the languages that are
    legally authentic (`status.authentic`); None when they are not known."""
    return _AUTHORITY.get(frozenset(authentic or ()))


def unit_result(unit: AlignedUnit, score: float, **extra: Any) -> Result:
    """A statute unit as a Result: both sides, both citations, alignment and flags; with its
    `status` (bot/status.py), a note saying which text prevails."""
    status = extra.get("status")
    authentic = status.get("authentic") if isinstance(status, dict) else None
    return Result(
        id=unit.id, kind="statute", score=score,
        citation={"fr": unit.fr.citation, "en": unit.en.citation},
        fr=_side(unit.fr), en=_side(unit.en),
        alignment={"confidence": unit.confidence, "flags": list(unit.flags),
                   "details": unit.details},
        extra={"article": unit.article, "section": unit.section or None,
               "number": unit.number, "translation_note": translation_note(authentic),
               **extra},
    )


def passage_result(passage: Passage, score: float, **extra: Any) -> Result:
    """A commentary passage as a Result: only its own language's side and citation."""
    side = _side(passage)
    return Result(
        id=passage.id, kind=passage.kind, score=score,
        citation={"fr": passage.citation if passage.lang == "fr" else None,
                  "en": passage.citation if passage.lang == "en" else None},
        fr=side if passage.lang == "fr" else None, en=side if passage.lang == "en" else None,
        alignment=None,
        extra={"heading": passage.heading, "title": passage.title, "number": passage.number,
               "line": passage.line, **extra},
    )
