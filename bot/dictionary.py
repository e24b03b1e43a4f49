"""Which words a language has: a typo is a word neither the sources nor the language know.

The word lists are pyspellchecker's French and English frequency dictionaries (built from
public subtitle and text corpora), loaded on first use. A word counts as known when it
appears at least `min_count` times in either list, so a correctly spelled word the sources
happen not to use ("répondre", "considered") is never "corrected" into one they do. Accents
are optional, as people type them: "coute" and "repondre" are "coûte" and "répondre", not typos
("combien coute un widget" had been read as "combien toute un widget").
"""

from __future__ import annotations

import threading
from functools import cache

from spellchecker import SpellChecker

from corpus.drift import fold

MIN_COUNT = 10  # rarer entries of the frequency lists are often misspellings themselves


class Dictionary:
    """French and English word lists, asked whether a word exists and how common it is."""

    def __init__(self, languages: tuple[str, ...] = ("fr", "en"), min_count: int = MIN_COUNT):
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        unknown = set(languages) - {"fr", "en"}
        if unknown:
            raise ValueError(f"no word list for {sorted(unknown)[0]!r}; known: en, fr")
        self.languages = languages
        self.min_count = min_count
        self._lists: list[SpellChecker] | None = None
        self._unaccented: frozenset[str] = frozenset()  # known words' forms without accents
        self._lock = threading.Lock()

    def _loaded(self) -> list[SpellChecker]:
        if self._lists is None:
            with self._lock:
                if self._lists is None:
                    lists = [SpellChecker(language=lang) for lang in self.languages]
                    self._unaccented = frozenset(
                        folded for checker in lists
                        for word, count in checker.word_frequency.dictionary.items()
                        if count >= self.min_count and (folded := fold(word)) != word)
                    self._lists = lists
        return self._lists

    def load(self) -> None:
        """Read the lists now (half a second; otherwise the first question that needs them
        waits for it)."""
        self._loaded()

    def frequency(self, word: str, lang: str) -> int:
        """How often `word` (any case, accents as typed) occurs in one language's list."""
        if lang not in self.languages:
            raise ValueError(f"no word list for {lang!r}; loaded: {', '.join(self.languages)}")
        return int(self._loaded()[self.languages.index(lang)].word_frequency[word.lower()])

    def total(self, lang: str) -> int:
        """Words counted in one language's list (to compare frequencies across lists)."""
        if lang not in self.languages:
            raise ValueError(f"no word list for {lang!r}; loaded: {', '.join(self.languages)}")
        return int(self._loaded()[self.languages.index(lang)].word_frequency.total_words)

    def knows(self, word: str) -> bool:
        """True when `word` (any case; its accents as typed, or none of them) is a word of one
        of the languages."""
        lowered = word.lower()
        lists = self._loaded()
        return (any(checker.word_frequency[lowered] >= self.min_count for checker in lists)
                or fold(lowered) in self._unaccented)


@cache
def word_lists() -> Dictionary:
    """The French and English lists, shared by the process (each load takes most of a second
    and tens of MB)."""
    return Dictionary()
