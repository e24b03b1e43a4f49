"""Acronyms and lay words expanded into the sources' own wording, in both languages.

Entries come from the corpus profile's `term` entries (each with its origin) and from the
terms the alignment paired in the built corpus. Expansions only widen the search; answers
quote the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.references import acronyms, law_name
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
    """Finds glossary terms in a question (accents and case ignored, whole words only), and
    `capitals` entries (acronyms that are words too) only as typed, in capitals."""

    def __init__(self, entries: list[Entry], capitals: list[Entry] | None = None) -> None:
        self.entries = entries + list(capitals or ())
        self._patterns = [
            (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(t)) for t in e.terms) + r")(?!\w)"), e)
            for e in entries if e.terms
        ]
        self._capitals = [
            (re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in e.terms) + r")(?![\w-])"), e)
            for e in capitals or () if e.terms
        ]

    @classmethod
    def load(cls, profile: Profile, corpus: Corpus | None = None, *,
             use_profile: bool = True) -> Glossary:
        """The profile's terms (unless `use_profile` is False), the corpus's term pairs, and
        the initials of the acts' titles (`act_acronyms`)."""
        entries = list(profile.terms if use_profile else ())
        for pair in corpus.term_pairs if corpus else ():
            entries.append(Entry((pair["fr"], pair["en"]), pair["fr"], pair["en"], pair["origin"]))
        return cls(entries, act_acronyms(corpus) if corpus else [])

    def expand(self, question: str) -> Expansion:
        folded = fold(question).replace("’", "'")
        hits: list[tuple[str, Entry]] = []
        for pattern, entry in self._patterns:
            hit = pattern.search(folded)
            if hit:
                hits.append((hit.group(0), entry))
        for pattern, entry in self._capitals:
            hit = pattern.search(question)
            if hit:
                hits.append((hit.group(0), entry))
        return Expansion(" ".join(e.fr for _, e in hits), " ".join(e.en for _, e in hits),
                         tuple(word for word, _ in hits), sum(e.scope for _, e in hits),
                         tuple((word, f"{e.fr} {e.en}") for word, e in hits))


def act_acronyms(corpus: Corpus) -> list[Entry]:
    """For each act (a source whose manifest names an `act`), the initials its titles give
    ("EIA", "LAE", and "EI" of "EI Act": `bot.references.acronyms`), meaning its titles in
    both languages ("EI" -> "Employment Insurance Act" / "Loi sur l'assurance-emploi")."""
    entries: dict[str, Entry] = {}
    for source in corpus.sources:
        act = source.fields.get("act", {}).get("value")
        if not act or act in entries:
            continue
        en, fr = law_name(source, "en"), law_name(source, "fr")
        terms = tuple(sorted(acronyms(en) | acronyms(fr)))
        entries[act] = Entry(terms, fr, en, f"initials of the titles of {source.file} "
                                            "(its manifest's title and citation)")
    return [e for e in entries.values() if e.terms]
