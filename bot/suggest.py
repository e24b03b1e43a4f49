"""Completions while typing, and what a refusal suggests instead.

Candidates come from the corpus (commentary headings, the terms the alignment paired, the
sources' titles) and from the profile's example questions, each in its language. Nothing here
names a subject: it all comes from the built corpus and the profile beside the sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.drift import fold
from corpus.models import Corpus
from corpus.profile import Profile

MAX_SUGGESTIONS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    text: str
    lang: str
    rank: int  # 0 example question, 1 heading or title, 2 glossary term
    words: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text).replace("’", "'")))


class Suggester:
    """Completions for a typed prefix, and in-scope questions and pointers for a refusal."""

    def __init__(self, corpus: Corpus, profile: Profile) -> None:
        self.profile = profile
        seen: set[tuple[str, str]] = set()
        self.candidates: list[Candidate] = []

        def add(text: str | None, lang: str, rank: int) -> None:
            text = (text or "").strip()
            key = (fold(text), lang)
            if len(text) < 3 or len(text) > 160 or key in seen or lang not in ("fr", "en"):
                return
            seen.add(key)
            self.candidates.append(Candidate(text, lang, rank, _words(text)))

        for example in profile.examples:
            add(example.q, example.lang, 0)
        for passage in corpus.commentary:
            add(passage.heading, passage.lang, 1)
        for source in corpus.sources:
            if len(source.languages) == 1:
                add(source.title, source.languages[0], 1)
        for pair in corpus.term_pairs:
            add(str(pair.get("fr", "")), "fr", 2)
            add(str(pair.get("en", "")), "en", 2)

    def complete(self, prefix: str, lang: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Up to `limit` candidates in `lang` whose words start with the typed words (the last
        one may be unfinished); the example questions when nothing matches."""
        typed = _words(prefix)
        pool = [c for c in self.candidates if c.lang == lang]
        if typed:
            whole, last = typed[:-1], typed[-1]
            hits = []
            for c in pool:
                if all(w in c.words for w in whole) and any(w.startswith(last) for w in c.words):
                    starts = " ".join(c.words).startswith(" ".join(typed))
                    hits.append((not starts, c.rank, len(c.text), c.text))
            if hits:
                return [text for *_, text in sorted(hits)[:limit]]
        return [c.text for c in pool if c.rank == 0][:limit] or [c.text for c in pool][:limit]

    def questions_like(self, question: str, lang: str, n: int = 3) -> list[str]:
        """`n` example questions in `lang`, those sharing most words with `question` first."""
        asked = set(_words(question))
        examples = [e.q for e in self.profile.examples if e.lang == lang]
        ranked = sorted(enumerate(examples),
                        key=lambda ie: (-len(asked & {w for w in _words(ie[1]) if len(w) > 3}), ie[0]))
        return [q for _, q in ranked[:n]]

    def elsewhere(self, question: str, lang: str) -> list[dict[str, str]]:
        """The neighbouring subjects the question names, with where to go, in `lang`."""
        folded = " " + " ".join(_words(question)) + " "
        out = []
        for neighbour in self.profile.neighbours:
            terms = [t for words in neighbour.terms.values() for t in words]
            if any(f" {' '.join(_words(t))} " in folded for t in terms):
                out.append({"name": neighbour.name.get(lang, ""),
                            "pointer": neighbour.pointer.get(lang, "")})
        return out
