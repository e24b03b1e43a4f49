"""Bilingual BM25 (bm25s): accent folding, FR/EN stop words and stemmers, article references.

Each chunk is analysed in its own language. A query is analysed in its language and also in
the other one, and the two token sets are merged: a mis-detected language still matches, and
cognates ("économique" / "economic" -> "econom") match across languages. References such as
"L. 123-4-5" become one unstemmed token ("l123-4-5") that matches in both languages.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from stop_words import get_stop_words

import corpus.drift
from corpus.drift import fold
from indexer.errors import ChunkError, IndexCorruptError, IndexMissingError, QueryError

STEMMER_LANGS = {"fr": "french", "en": "english"}

# "L. 123-4-5", "L123-4-5", "L 123-4-5", "R.1233-1", "D. 933-6" (after folding: lower case).
_REFERENCE = re.compile(r"(?<![\w'’])([lrd])(?:\s?\.\s?|\s)?(\d{2,5}(?:-\d+)*)(?![\w-])")
_WORD = re.compile(r"[^\W_]+")

# Words the stop_words lists drop that carry meaning in legal text (folded forms).
_KEEP = frozenset("""
    act amount bill case cases date effect free general goods group groups half home
    information interest interests member members million billion thousand hundred name
    number numbers order orders part parts period place present provided research right
    section state states system terms test value work worked working works world year years
    young younger length problem problems changes copy detail first second third
    etat personne personnes valeur nom sujet devoir force piece parole essai debut
""".split())
# Legal boilerplate that every statute repeats: as common as stop words.
_EXTRA_STOP = frozenset({"art", "article", "articles"})
# Question words the French list lacks while the English one has theirs ("how", "what",
# "which"): "combien de temps", "c'est quoi" asked nothing the sources could say.
_QUESTION_WORDS = {"fr": frozenset({"combien", "quoi", "lequel", "laquelle", "lesquels",
                                    "lesquelles"}), "en": frozenset()}


@cache
def analysis_version() -> str:
    """What the words of an index and of a question are analysed with: this module's code,
    the folding's, and the stemmer and stop-word packages' versions (a hash). An index, or a
    scope model fitted on evidence counted in words, made with another analysis is stale:
    its tokens are not the ones a question is now analysed into."""
    digest = hashlib.sha256()
    for module in (__file__, corpus.drift.__file__):
        digest.update(Path(str(module)).read_bytes())
    for package in ("PyStemmer", "stop-words"):
        try:
            digest.update(f"{package} {importlib.metadata.version(package)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} none\n".encode())
    return digest.hexdigest()[:16]


@cache
def stop_words(lang: str) -> frozenset[str]:
    """Folded stop words of `lang` ("fr" or "en"), minus legal content words."""
    words = {fold(w) for w in get_stop_words(STEMMER_LANGS[lang])}
    return (frozenset(w for w in words if not any(c.isdigit() for c in w)) - _KEEP | _EXTRA_STOP
            | _QUESTION_WORDS[lang])


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_LANGS[lang])


def _check_lang(lang: str) -> None:
    if lang not in STEMMER_LANGS:
        raise QueryError(f"language {lang!r} is not supported: use 'fr' or 'en'")


def _analyse(text: str, lang: str, stops: frozenset[str]) -> list[str]:
    return list(_analysed(text, lang, stops))


@lru_cache(maxsize=4096)  # a question is analysed several times (search, coverage, highlights)
def _analysed(text: str, lang: str, stops: frozenset[str]) -> tuple[str, ...]:
    folded = fold(text)
    references = [f"{letter}{number}" for letter, number in _REFERENCE.findall(folded)]
    words = [w for w in _WORD.findall(_REFERENCE.sub(" ", folded))
             if w not in stops and (len(w) > 1 or w.isdigit())]
    numbers = [w for w in words if w.isdigit()]
    stems = _stemmer(lang).stemWords([w for w in words if not w.isdigit()])
    return tuple(references + numbers + stems)


def tokenize(text: str, lang: str) -> list[str]:
    """Index tokens of `text`: references whole, then folded, stop-filtered, stemmed words."""
    _check_lang(lang)
    return _analyse(text, lang, stop_words(lang))


def query_tokens(text: str, lang: str | None) -> list[str]:
    """Tokens of a query: its language's analysis, then the other language's new tokens.

    Words that are stop words in the query's own language stay out of the second analysis.
    """
    if lang is not None:
        _check_lang(lang)
    tokens = tokenize(text, lang) if lang else []
    for other in STEMMER_LANGS:
        if other != lang:
            tokens += _analyse(text, other, _stops_of_both(other, lang))
    return list(dict.fromkeys(tokens))


@cache
def _stops_of_both(lang: str, query_lang: str | None) -> frozenset[str]:
    """Stop words of `lang` and of the query's language (made once, not at every query)."""
    return stop_words(lang) | (stop_words(query_lang) if query_lang else frozenset())


class LexicalIndex:
    """BM25 over chunk texts, each analysed with its own language; doc i is chunk i."""

    def __init__(self, bm25: bm25s.BM25) -> None:
        self.bm25 = bm25

    @classmethod
    def build(cls, texts: Sequence[str], langs: Sequence[str], *, k1: float = 1.5,
              b: float = 0.75) -> LexicalIndex:
        """Index `texts[i]` analysed in `langs[i]`."""
        if len(texts) != len(langs):
            raise ChunkError(f"{len(texts)} texts but {len(langs)} languages: give one each")
        bm25 = bm25s.BM25(k1=k1, b=b)
        corpus_tokens = [tokenize(t, lang) for t, lang in zip(texts, langs, strict=True)]
        bm25.index(corpus_tokens, show_progress=False)
        return cls(bm25)

    def __len__(self) -> int:
        return int(self.bm25.scores["num_docs"])

    def search(self, query: str, lang: str | None, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(positions, scores) of the `k` best matching docs, best first; only scores > 0."""
        if k < 1:
            raise QueryError(f"k must be at least 1, got {k!r}")
        tokens = [t for t in query_tokens(query, lang) if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)
        # Only the matching docs are sorted (hundreds among tens of thousands of chunks), ties
        # in document order.
        hits = np.flatnonzero(scores > 0)
        if k < len(hits):
            hits = np.sort(hits[np.argpartition(-scores[hits], k - 1)[:k]])
        top = hits[np.argsort(-scores[hits], kind="stable")]
        return top.astype(np.int64), scores[top]

    def save(self, directory: str | Path) -> None:
        """Write the bm25s files into `directory` (callers use a temporary directory)."""
        self.bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: str | Path) -> LexicalIndex:
        """Read a directory written by `save`; clear errors if missing or unreadable."""
        directory = Path(directory)
        if not (directory / "params.index.json").is_file():
            raise IndexMissingError(str(directory.parent), f"BM25 directory {directory.name}/ "
                                    "is missing or incomplete: run `bilex build`")
        try:
            bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(str(directory.parent), f"BM25 files in {directory.name}/ "
                                    f"are corrupt ({type(exc).__name__}): run "
                                    "`bilex build`") from exc
        return cls(bm25)
