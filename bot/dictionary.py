"""Which words a language has: a typo is a word neither the sources nor the language know.

The word lists are pyspellchecker's French and English frequency dictionaries (built from
public subtitle and text corpora), loaded on first use: read from the package as its
`SpellChecker` reads them, but decoded by msgspec and without the spelling corrector's own
indexes, which Bilex does not use (0.33-0.41 s for both lists instead of 0.49-0.72 s, in
every server's warm-up). A word counts as known when it
appears at least `min_count` times in either list, so a correctly spelled word the sources
happen not to use ("répondre", "considered") is never "corrected" into one they do. Accents
are optional, as people type them: "coute" and "repondre" are "coûte" and "répondre", not typos
("combien coute un widget" had been read as "combien toute un widget").
"""

from __future__ import annotations

import gzip
import pkgutil
import threading
from dataclasses import dataclass
from functools import cache

import msgspec

from corpus.drift import fold

MIN_COUNT = 10  # rarer entries of the frequency lists are often misspellings themselves


@dataclass(frozen=True)
class WordList:
    """One language's frequency list: lower-cased word -> count, and the count of all words."""

    counts: dict[str, int]
    total: int

    @classmethod
    def read(cls, lang: str) -> WordList:
        """pyspellchecker's list for `lang` (`resources/<lang>.json.gz` in its package, which
        `SpellChecker(language=lang)` reads), its words lower-cased as that class does: the
        counts of words that differ only in case are added up."""
        blob = pkgutil.get_data("spellchecker", f"resources/{lang}.json.gz")
        if not blob:
            raise ValueError(f"pyspellchecker has no word list for {lang!r}")
        counts = msgspec.json.decode(gzip.decompress(blob), type=dict[str, int])
        if not "".join(counts).islower():  # some word has a capital
            lowered: dict[str, int] = {}
            for word, n in counts.items():
                lowered[word.lower()] = lowered.get(word.lower(), 0) + n
            counts = lowered
        return cls(counts, sum(counts.values()))


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
        self._lists: list[WordList] | None = None
        self._unaccented: frozenset[str] = frozenset()  # known words' forms without accents
        self._lock = threading.Lock()

    def _loaded(self) -> list[WordList]:
        if self._lists is None:
            with self._lock:
                if self._lists is None:
                    lists = [WordList.read(lang) for lang in self.languages]
                    self._unaccented = self._folded(lists)
                    self._lists = lists
        return self._lists

    def _folded(self, lists: list[WordList]) -> frozenset[str]:
        """The known words' folded forms that differ from the words: those not in ASCII (a
        lower-case word in ASCII folds to itself), folded as one text (a word folds alone:
        `fold` works character by character), half the time of folding them one by one."""
        words = [word for wordlist in lists for word, count in wordlist.counts.items()
                 if count >= self.min_count and not word.isascii()]
        folded = fold("\n".join(words)).split("\n")
        if len(folded) != len(words):  # a word with a line break: one by one
            folded = [fold(word) for word in words]
        return frozenset(f for word, f in zip(words, folded, strict=True) if f != word)

    def load(self) -> None:
        """Read the lists now (a third of a second; otherwise the first question that needs them
        waits for it)."""
        self._loaded()

    def frequency(self, word: str, lang: str) -> int:
        """How often `word` (any case, accents as typed) occurs in one language's list."""
        if lang not in self.languages:
            raise ValueError(f"no word list for {lang!r}; loaded: {', '.join(self.languages)}")
        return self._loaded()[self.languages.index(lang)].counts.get(word.lower(), 0)

    def total(self, lang: str) -> int:
        """Words counted in one language's list (to compare frequencies across lists)."""
        if lang not in self.languages:
            raise ValueError(f"no word list for {lang!r}; loaded: {', '.join(self.languages)}")
        return self._loaded()[self.languages.index(lang)].total

    def knows(self, word: str) -> bool:
        """True when `word` (any case; its accents as typed, or none of them) is a word of one
        of the languages."""
        lowered = word.lower()
        lists = self._loaded()
        return (any(wordlist.counts.get(lowered, 0) >= self.min_count for wordlist in lists)
                or fold(lowered) in self._unaccented)


@cache
def word_lists() -> Dictionary:
    """The French and English lists, shared by the process (tens of MB)."""
    return Dictionary()
