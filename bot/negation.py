"""Negation agreement: a question that negates a word ("if the company does not give the
notice") is nearer the passages that negate it too ("without giving notice") than those that
state it ("shall give notice"), which dense and lexical scores cannot tell apart.

The cue words come from the profile, per language (`[negation]`), with the particles that open
a negation where the language has them (`[negation_opening]`, French "ne"): the words between
the particle and the cue are negated, and so are the few words after the cue. Words are
compared by their stems in the text's own language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus.drift import fold
from corpus.profile import Phrases
from indexer.lexical import tokenize

WINDOW = 3  # words after a cue that it negates
OPENING_REACH = 4  # words back from a cue where its opening particle may stand
POOL = 20  # ranked units whose texts are compared with the question
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

Ranked = list[tuple[str, float]]


class Negation:
    """The stems a text negates, and the ranking nudged toward the passages that agree."""

    def __init__(self, cues: Phrases, openings: Phrases | None = None) -> None:
        self.cues = {lang: frozenset(fold(w) for w in cues.get(lang)) for lang in cues.words}
        openings = openings or Phrases()
        self.openings = {lang: frozenset(fold(w).rstrip("'") for w in openings.get(lang))
                         for lang in openings.words}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}

    def __bool__(self) -> bool:
        return any(self.cues.values())

    def scope(self, text: str, lang: str, spoken: bool = False) -> frozenset[str]:
        """Stems (in `lang`) of the words `text` negates. `spoken`: a question typed as people
        speak, where a language's opening particle is often dropped (informal French drops
        "ne": "il me propose pas", http://french-linguistics.co.uk/grammar/negative_ne_omission.shtml):
        with no particle before a cue, the word just before it, the verb, is negated too."""
        cues = self.cues.get(lang)
        if not cues:
            return frozenset()
        openings = self.openings.get(lang, frozenset())
        # "doesn't" -> "does not": the contraction is a cue like the word
        words = _WORD.findall(fold(text).replace("’", "'").replace("n't", " not"))
        negated: list[str] = []
        for i, word in enumerate(words):
            if word not in cues:
                continue
            window = words[i + 1:i + 1 + WINDOW]
            for j in range(i - 1, max(-1, i - 1 - OPENING_REACH), -1):
                if words[j] in openings:
                    window = words[j + 1:i] + window
                    break
            else:
                if spoken and openings and i > 0:
                    window = words[i - 1:i] + window
            negated += [w for w in window if w not in cues and w not in openings]
        return frozenset(tokenize(" ".join(negated), lang)) if negated else frozenset()

    def favour(self, ranked: Ranked, question: str, lang: str,
               text_of: Callable[[str, str], str | None], weight: float) -> Ranked:
        """`ranked` with `weight` added to each of its first POOL units whose text in `lang`
        (`text_of(uid, lang)`, None when it has none) negates a word the question negates."""
        if weight < 0:
            raise ValueError(f"weight must be >= 0, got {weight}")
        wanted = self.scope(question, lang, spoken=True)
        if not wanted or not weight:
            return ranked
        head = ranked[:POOL]
        agreeing = [(uid, score + weight) for uid, score in head
                    if wanted & self._unit_scope(uid, lang, text_of)]
        if not agreeing:
            return ranked
        moved = {uid for uid, _ in agreeing}
        # The others keep their order (law first, sections grouped); each agreeing unit goes
        # before the first of them it now outscores.
        merged: Ranked = []
        for pair in head:
            if pair[0] in moved:
                continue
            while agreeing and agreeing[0][1] > pair[1]:
                merged.append(agreeing.pop(0))
            merged.append(pair)
        return merged + agreeing + list(ranked[POOL:])

    def _unit_scope(self, uid: str, lang: str,
                    text_of: Callable[[str, str], str | None]) -> frozenset[str]:
        key = (uid, lang)
        found = self._cache.get(key)
        if found is None:
            text = text_of(uid, lang)
            found = self.scope(text, lang) if text else frozenset()
            self._cache[key] = found
        return found

