"""Records of the corpus layer: passages, aligned units, and the built corpus.

Each record carries its provenance (source file, language, place in the source) so a
citation points at an exact spot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any


# Passages and units come by the tens of thousands with acts: with slots each takes the room
# of its fields only (msgspec, which loads them, makes plain instance dictionaries larger than
# those a constructor makes: 8.6 MB more for the 23,000 chunks of five acts, 1.2 MB less than
# before with slots).
@dataclass(frozen=True, slots=True)
class Passage:
    """One cited span of one source in one language: an alinéa or a commentary paragraph."""

    id: str
    source: str
    lang: str
    kind: str  # "statute" | "commentary"
    text: str
    citation: str
    number: int  # alinéa number within its section, or paragraph number within its source
    line: int  # 1-based line of the source file where the passage starts (0 if unknown)
    section: str | None = None  # "I", "II" for statute alinéas
    heading: str | None = None  # the heading a commentary paragraph sits under
    title: str | None = None  # the source's title (commentary)


@dataclass(frozen=True, slots=True)
class AlignedUnit:
    """A French alinéa beside its English counterpart, with confidence and drift flags."""

    id: str
    article: str
    section: str
    number: int
    fr: Passage
    en: Passage
    confidence: float
    flags: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def citation(self) -> dict[str, str]:
        return {"fr": self.fr.citation, "en": self.en.citation}


@dataclass(frozen=True)
class CopyCheck:
    """How a second copy of a text compares with the text it copies."""

    copy: str
    original: str
    lang: str
    identical: bool
    divergences: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class TermVariant:
    """A source-language term rendered in more than one way across an article."""

    term: str
    article: str
    renderings: dict[str, list[str]]  # rendering -> unit ids where it is used


@dataclass(frozen=True)
class SourceInfo:
    """A source file as the manifest describes it (every field with its origin)."""

    file: str
    sha256: str
    kind: str
    languages: tuple[str, ...]
    jurisdiction: str
    title: str
    fields: dict[str, dict[str, Any]]  # name -> {"value": ..., "origin": ...}
    passages: int = 0


@dataclass(frozen=True)
class Corpus:
    """Everything the build produced: aligned statute units and commentary passages."""

    units: tuple[AlignedUnit, ...]
    commentary: tuple[Passage, ...]
    sources: tuple[SourceInfo, ...]
    copies: tuple[CopyCheck, ...]
    terms: tuple[TermVariant, ...]
    encoder: str
    corpus_hash: str
    # Terms the alignment paired: {"fr", "en", "units": [ids], "origin"}.
    term_pairs: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def articles(self) -> list[str]:
        """Article ids in corpus order."""
        return list(self._articles)

    @cached_property
    def _articles(self) -> tuple[str, ...]:  # /health asks for them; acts have thousands of units
        return tuple(dict.fromkeys(u.article for u in self.units))
