"""The words of a corpus, counted once when it is built and loaded when the bot starts.

Two artifacts, each keyed by the corpus and the code that makes it: `CorpusWords` (below) and
`UnitTerms`, which passages hold which index tokens (the bot's definition questions look for
the first passage of each source that holds their subject).

The bot corrects typos against the folded words of every text the corpus holds (with their
counts) and takes no language signal from the words both languages' texts use. Over a corpus
of acts that is hundreds of thousands of words to fold and count: done at start it took most
of a second on every `bilex serve`. `bilex build` computes `CorpusWords` and saves them beside
the corpus (`words.json`); the bot loads them, and computes them itself when the file is
missing or was made from another corpus or by other code (its key says which).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType

import numpy as np

import bot.phrasing as phrasing
import corpus.drift as drift
from bot.artifacts import dump_keyed, load_keyed
from bot.phrasing import stop_words, words
from corpus.drift import fold
from corpus.models import AlignedUnit, Corpus, Passage
from indexer.lexical import analysis_version, query_tokens

WORDS_FILE = "words.json"
TERMS_FILE = "terms.npz"
FORMAT = 3


@dataclass(frozen=True)
class CorpusWords:
    """Folded words of the corpus's texts (units, commentary with its headings and titles,
    source titles) with their counts, and those both languages' texts use."""

    counts: Counter[str]
    both: frozenset[str]
    capitals: frozenset[str] = frozenset()  # acronyms: words the texts write only in capitals
    # per language, a word typed without its accents -> as the texts write it ("salarie" ->
    # "salarié"), for words the texts never write unaccented
    accented: dict[str, dict[str, str]] = field(default_factory=dict)
    # a word (seen twice or more) that one language's texts write and the other's do not
    # really use (not in `both`) -> that language: a short question's words that say which
    # language it is in when the detector cannot tell ("Expiration of notice")
    written_in: dict[str, str] = field(default_factory=dict)


ACRONYM = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,6}(?![^\W\d_])")  # a word of 2 to 6 letters
LETTERS = re.compile(r"[^\W\d_]+")


def accented_forms(forms: dict[str, Counter[str]]) -> dict[str, str]:
    """Folded word -> its commonest written form, for words whose folded form the texts never
    write ("salarie" -> "salarié"; nothing for "a", which they write beside "à")."""
    out = {}
    for folded, written in forms.items():
        if folded not in written:
            out[folded] = written.most_common(1)[0][0]
    return out


def corpus_words(corpus: Corpus) -> CorpusWords:
    """Count the corpus's words (what `bilex build` saves and the bot would compute)."""
    counts: Counter[str] = Counter()
    per_lang: dict[str, Counter[str]] = {"fr": Counter(), "en": Counter()}
    texts = [(u.fr.text, "fr") for u in corpus.units]
    texts += [(u.en.text, "en") for u in corpus.units]
    texts += [(f"{p.heading or ''} {p.title or ''} {p.text}", p.lang) for p in corpus.commentary]
    texts += [(s.title, "") for s in corpus.sources]
    upper: set[str] = set()
    other: set[str] = set()
    written: dict[str, Counter[str]] = {"fr": Counter(), "en": Counter()}
    for text, lang in texts:
        found = words(text)
        counts.update(found)
        if lang in per_lang:
            per_lang[lang].update(found)
            written[lang].update(LETTERS.findall(text.lower()))
        for word in set(ACRONYM.findall(text)):
            (upper if word.isupper() else other).add(fold(word))
    capitals = frozenset(upper - other - stop_words())
    accented = {}
    for lang, seen in written.items():
        forms: dict[str, Counter[str]] = {}
        for word, n in seen.items():
            forms.setdefault(fold(word), Counter())[word] += n
        accented[lang] = accented_forms(forms)
    both = shared_words(per_lang["fr"], per_lang["en"])
    return CorpusWords(counts, both, capitals, accented,
                       one_language_words(per_lang["fr"], per_lang["en"], both))


SHARED_SHARE = 0.1  # a word is shared when its rarer language uses it this often, relatively


def shared_words(fr: Counter[str], en: Counter[str]) -> frozenset[str]:
    """Words both languages' texts really use: each language's relative frequency at least
    SHARED_SHARE of the other's. An English term quoted once in a French definition
    ("délai de carence ... (waiting period)") does not make "waiting" a French word."""
    fr_total, en_total = sum(fr.values()) or 1, sum(en.values()) or 1
    out = set()
    for word in fr.keys() & en.keys():
        a, b = fr[word] / fr_total, en[word] / en_total
        if min(a, b) >= SHARED_SHARE * max(a, b):
            out.add(word)
    return frozenset(out)


ONE_LANGUAGE_MIN = 2  # a word seen once (a name, a quoted foreign term) says nothing


def one_language_words(fr: Counter[str], en: Counter[str], both: frozenset[str]
                       ) -> dict[str, str]:
    """Word -> the language whose texts write it, for words seen ONE_LANGUAGE_MIN times or
    more that are not in `both`: the language with the higher relative frequency."""
    fr_total, en_total = sum(fr.values()) or 1, sum(en.values()) or 1
    out = {}
    for word in fr.keys() | en.keys():
        if word in both or fr[word] + en[word] < ONE_LANGUAGE_MIN:
            continue
        out[word] = "fr" if fr[word] / fr_total > en[word] / en_total else "en"
    return out


def _code_key(head: str, corpus: Corpus, modules: tuple[ModuleType, ...]) -> str:
    """sha256 of `head`, the corpus hash, and the source of `modules` and of this module."""
    digest = hashlib.sha256(f"{head}\n{corpus.corpus_hash}\n".encode())
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def words_key(corpus: Corpus) -> str:
    """What the saved words depend on: the corpus, and the code that finds and folds words."""
    return _code_key(str(FORMAT), corpus, (phrasing, drift))


def dump_words(found: CorpusWords, corpus: Corpus) -> bytes:
    """The saved form (deterministic: the same corpus gives the same bytes)."""
    payload = {"key": words_key(corpus), "counts": dict(sorted(found.counts.items())),
               "both": sorted(found.both), "capitals": sorted(found.capitals),
               "accented": {lang: dict(sorted(m.items())) for lang, m in sorted(found.accented.items())},
               "written_in": dict(sorted(found.written_in.items()))}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_words(blob: bytes | None, corpus: Corpus) -> CorpusWords | None:
    """The saved words if `blob` holds them for this corpus and code; None otherwise."""
    if not blob:
        return None
    try:
        data = json.loads(blob.decode("utf-8"))
        if data.get("key") != words_key(corpus):
            return None
        counts = Counter({str(w): int(n) for w, n in data["counts"].items()})
        accented = {str(lang): {str(k): str(v) for k, v in m.items()}
                    for lang, m in data["accented"].items()}
        written_in = {str(w): str(lang) for w, lang in data["written_in"].items()
                      if lang in ("fr", "en")}
        return CorpusWords(counts, frozenset(str(w) for w in data["both"]),
                           frozenset(str(w) for w in data["capitals"]), accented, written_in)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def document_order(corpus: Corpus) -> list[str]:
    """Every unit and passage id, source by source, in document order."""
    order: dict[str, list[str]] = {}
    for u in corpus.units:
        order.setdefault(u.fr.source, []).append(u.id)
    for p in corpus.commentary:
        order.setdefault(p.source, []).append(p.id)
    return [uid for ids in order.values() for uid in ids]


def passage_vocabulary(corpus_units: dict[str, AlignedUnit], commentary: dict[str, Passage],
                       uid: str) -> frozenset[str]:
    """Every token a unit's texts yield, analysed in both languages (a commentary passage:
    its heading and text)."""
    if uid in corpus_units:
        unit = corpus_units[uid]
        texts = [(unit.fr.text, "fr"), (unit.en.text, "en")]
    else:
        p = commentary[uid]
        texts = [(f"{p.heading or ''} {p.text}", p.lang)]
    return frozenset(t for body, lang in texts for t in query_tokens(body, lang))


class UnitTerms:
    """Which passages' vocabularies (`passage_vocabulary`) hold given tokens: for each token,
    the passages holding it, as positions in `document_order`. Built by `bilex build` (it
    analyses every passage, seconds for a corpus of acts) so that the bot's "first passage of
    each source that holds the subject" is a few array intersections, not a scan."""

    def __init__(self, order: list[str], tokens: list[str], indptr: np.ndarray,
                 indices: np.ndarray, blocks: np.ndarray) -> None:
        self.order = order
        self.token_row = {t: i for i, t in enumerate(tokens)}
        self.indptr = indptr
        self.indices = indices
        self.blocks = blocks  # per position: which source's run of positions it is in

    @classmethod
    def of_corpus(cls, corpus: Corpus) -> UnitTerms:
        units = {u.id: u for u in corpus.units}
        commentary = {p.id: p for p in corpus.commentary}
        order = document_order(corpus)
        postings: dict[str, list[int]] = {}
        for position, uid in enumerate(order):
            for token in passage_vocabulary(units, commentary, uid):
                postings.setdefault(token, []).append(position)
        tokens = sorted(postings)
        indptr = np.zeros(len(tokens) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(postings[t]) for t in tokens])
        indices = np.array([p for t in tokens for p in postings[t]], dtype=np.int32)
        return cls(order, tokens, indptr, indices, _blocks(corpus, order))

    def holding(self, tokens: set[str] | frozenset[str]) -> np.ndarray:
        """Positions of the passages that hold every token, in document order."""
        lists = []
        for token in tokens:
            row = self.token_row.get(token)
            if row is None:
                return np.zeros(0, dtype=np.int32)
            lists.append(self.indices[self.indptr[row]:self.indptr[row + 1]])
        if not lists:
            return np.zeros(0, dtype=np.int32)
        lists.sort(key=len)
        found = lists[0]
        for more in lists[1:]:
            found = np.intersect1d(found, more, assume_unique=True)
        return found

    def vocabulary(self, uid: str) -> frozenset[str]:
        """The tokens passage `uid` holds (its `passage_vocabulary`, read back from the
        postings: no analysis at question time); empty for an id the corpus does not hold."""
        position = self._position.get(uid)
        if position is None:
            return frozenset()
        rows = self._rows_by_position
        start, end = self._by_position_ptr[position], self._by_position_ptr[position + 1]
        return frozenset(self._tokens[row] for row in rows[start:end].tolist())

    @cached_property
    def _position(self) -> dict[str, int]:
        return {uid: position for position, uid in enumerate(self.order)}

    @cached_property
    def _tokens(self) -> list[str]:
        return list(self.token_row)

    @cached_property
    def _rows_by_position(self) -> np.ndarray:
        """The postings turned around: each position's token rows, positions in order (one
        stable sort of the postings, made on first use)."""
        rows = np.repeat(np.arange(len(self.token_row), dtype=np.int32), np.diff(self.indptr))
        return rows[np.argsort(self.indices, kind="stable")]

    @cached_property
    def _by_position_ptr(self) -> np.ndarray:
        counts = np.bincount(self.indices, minlength=len(self.order))
        pointer = np.zeros(len(self.order) + 1, dtype=np.int64)
        pointer[1:] = np.cumsum(counts)
        return pointer

    def frequencies(self) -> dict[str, int]:
        """How many passages hold each token (document frequency)."""
        counts = np.diff(self.indptr).tolist()
        return dict(zip(self.token_row, counts, strict=True))

    def first_holding(self, wordings: list[set[str]]) -> dict[int, str]:
        """Per source (its run of positions), the first passage that holds every token of
        one of `wordings`."""
        first: dict[int, int] = {}
        for wording in wordings:
            hits = self.holding(wording)
            blocks, at = np.unique(self.blocks[hits], return_index=True)
            for block, position in zip(blocks.tolist(), hits[at].tolist(), strict=True):
                if position < first.get(block, len(self.order)):
                    first[block] = position
        return {block: self.order[position] for block, position in first.items()}

    def dump(self, corpus: Corpus) -> bytes:
        tokens = np.array(list(self.token_row), dtype=str)
        return dump_keyed(terms_key(corpus), tokens=tokens, indptr=self.indptr,
                          indices=self.indices)

    @classmethod
    def parse(cls, blob: bytes | None, corpus: Corpus) -> UnitTerms | None:
        """The saved postings if `blob` holds them for this corpus and code; None otherwise."""
        saved = load_keyed(blob, terms_key(corpus), "tokens", "indptr", "indices")
        if saved is None:
            return None
        tokens = [str(t) for t in saved["tokens"]]
        indptr, indices = saved["indptr"], saved["indices"]
        order = document_order(corpus)
        if len(indptr) != len(tokens) + 1 or (len(indices) and indices.max() >= len(order)):
            return None
        return cls(order, tokens, indptr, indices, _blocks(corpus, order))


def _blocks(corpus: Corpus, order: list[str]) -> np.ndarray:
    source = {u.id: u.fr.source for u in corpus.units} | {p.id: p.source
                                                          for p in corpus.commentary}
    names: dict[str, int] = {}
    return np.array([names.setdefault(source[uid], len(names)) for uid in order],
                    dtype=np.int32)


def terms_key(corpus: Corpus) -> str:
    """What the saved postings depend on: the corpus, and how its words are analysed."""
    return _code_key(f"terms {FORMAT} {analysis_version()}", corpus, ())
