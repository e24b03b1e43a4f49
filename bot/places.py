"""Places a question names, matched to the sources' jurisdictions.

The names come from the corpus profile's `place` entries (each with its origin); a source's
jurisdiction comes from its manifest. A question that names a place is answered first from
that place's sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.drift import fold
from corpus.profile import Profile


@dataclass(frozen=True)
class Place:
    """A jurisdiction and the words that name it in French and English."""

    jurisdiction: str
    terms: tuple[str, ...]
    origin: str


class Places:
    """Finds the places a question names (accents and case ignored, whole words only)."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._patterns = [
            (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(t)) for t in p.terms) + r")(?!\w)"),
             p.jurisdiction)
            for p in places if p.terms
        ]

    @classmethod
    def load(cls, profile: Profile) -> Places:
        return cls([Place(p.jurisdiction, p.terms, p.origin) for p in profile.places])

    def named(self, question: str) -> tuple[str, ...]:
        """The jurisdictions `question` names, in file order, each once (a jurisdiction may
        have several entries, each with its origin)."""
        folded = fold(question).replace("’", "'")
        return tuple(dict.fromkeys(j for pattern, j in self._patterns if pattern.search(folded)))
