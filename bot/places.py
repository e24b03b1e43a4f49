"""Places a question names, matched to the sources' jurisdictions.

The names come from the corpus profile's `place` entries (each with its origin); a source's
jurisdiction comes from its manifest. A question that names a place is answered first from
that place's sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


def known_place(jurisdiction: str) -> bool:
    """A jurisdiction a manifest names ("" and "unspecified" name none)."""
    return bool(jurisdiction) and jurisdiction.lower() != "unspecified"


class TermPlaces:
    """The jurisdictions whose sources use a glossary entry's wording.

    An acronym or lay word means something the sources write ("WPA" -> "widget protection
    agreement"). When only one place's sources write it, a question using the word asks
    about that place, though it names none: a source about another place should not lead it.
    Derived from the corpus (the texts and their manifests' jurisdictions), never written;
    the bot asks it of acronyms only.
    """

    def __init__(self, places: dict[str, frozenset[str]], known: frozenset[str]) -> None:
        self.places = places  # an entry's key -> the places whose texts write its meaning
        self.known = known

    @classmethod
    def of(cls, meanings: Mapping[str, tuple[str, ...]],
           texts: list[tuple[str, str]]) -> TermPlaces:
        """`meanings`: each entry's key and the phrases it stands for, in the sources' wording
        (case and spacing aside); `texts`: (jurisdiction, text) of every passage and unit
        side. Only the places manifests name count."""
        by_place: dict[str, list[str]] = {}
        for where, text in texts:
            if known_place(where):
                by_place.setdefault(where, []).append(text)
        # one string per place, searched once per entry (five acts: 28,000 texts)
        joined = {where: _plain(" \x00 ".join(found)) for where, found in by_place.items()}
        known = frozenset(joined)
        places: dict[str, frozenset[str]] = {}
        for key, phrases in meanings.items():
            forms = sorted({tuple(_plain(p).split()) for p in phrases} - {()}, key=len,
                           reverse=True)
            if not forms:
                continue
            pattern = re.compile(r"(?<!\w)(?:" + "|".join(
                r"\s+".join(map(re.escape, words)) for words in forms) + r")(?!\w)")
            found = frozenset(
                where for where, text in joined.items()
                # the words first (a substring search is fast), then the phrase
                if any(all(w in text for w in words) for words in forms) and pattern.search(text))
            if found and found != known:
                places[key] = found
        return cls(places, known)

    def named(self, keys: tuple[str, ...]) -> frozenset[str]:
        """The places the entries `keys` point to; empty when they point nowhere in
        particular (or to every place)."""
        found = frozenset().union(*(self.places.get(k, frozenset()) for k in keys))
        return frozenset() if found == self.known else found


def _plain(text: str) -> str:
    """`text` in lower case, with one kind of apostrophe."""
    return text.lower().replace("’", "'")
