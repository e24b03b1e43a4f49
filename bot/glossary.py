"""Acronyms and lay words expanded into the sources' own wording, in both languages.

Entries come from `glossary.toml` (each with its origin) and from the terms the alignment
paired in the built corpus. Expansions only widen the search; answers quote the sources.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from corpus.drift import fold
from corpus.models import Corpus

DEFAULT_PATH = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Entry:
    """Words a user may type, and what they mean in the sources' French and English."""

    terms: tuple[str, ...]
    fr: str
    en: str
    origin: str
    scope: bool = False  # a word only Bilex's subject uses (evidence for the scope decision)


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
    def load(cls, path: Path = DEFAULT_PATH, corpus: Corpus | None = None) -> Glossary:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = [Entry(tuple(e["terms"]), e["fr"], e["en"], e["origin"], bool(e.get("scope")))
                   for e in data["entry"]]
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
