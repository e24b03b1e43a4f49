"""Acronyms and lay words expanded into the sources' own wording, in both languages.

Entries come from the corpus profile's `term` entries (each with its origin) and from the
terms the alignment paired in the built corpus. Expansions only widen the search; answers
quote the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.drift import fold
from corpus.models import Corpus
from corpus.profile import Profile
from corpus.profile import Term as Entry  # words a user may type, and their meaning


@dataclass(frozen=True)
class Expansion:
    """What a question's glossary terms add to the French and English searches."""

    fr: str
    en: str
    matched: tuple[str, ...]
    domain: int = 0  # matched entries marked `scope`
    # For each matched entry: the words the question used, and the entry's French and English.
    bridges: tuple[tuple[str, str], ...] = ()


class Glossary:
    """Finds glossary terms in a question (accents and case ignored, whole words only)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._patterns = [
            (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(t)) for t in e.terms) + r")(?!\w)"), e)
            for e in entries if e.terms
        ]

    @classmethod
    def load(cls, profile: Profile, corpus: Corpus | None = None, *,
             use_profile: bool = True) -> Glossary:
        """The profile's terms (unless `use_profile` is False) and the corpus's term pairs."""
        entries = list(profile.terms if use_profile else ())
        for pair in corpus.term_pairs if corpus else ():
            entries.append(Entry((pair["fr"], pair["en"]), pair["fr"], pair["en"], pair["origin"]))
        return cls(entries)

    def expand(self, question: str) -> Expansion:
        folded = fold(question).replace("’", "'")
        hits: list[tuple[str, Entry]] = []
        for pattern, entry in self._patterns:
            hit = pattern.search(folded)
            if hit:
                hits.append((hit.group(0), entry))
        return Expansion(" ".join(e.fr for _, e in hits), " ".join(e.en for _, e in hits),
                         tuple(word for word, _ in hits), sum(e.scope for _, e in hits),
                         tuple((word, f"{e.fr} {e.en}") for word, e in hits))
