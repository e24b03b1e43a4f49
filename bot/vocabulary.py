"""The words of a corpus, counted once when it is built and loaded when the bot starts.

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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import bot.phrasing as phrasing
import corpus.drift as drift
from bot.phrasing import words
from corpus.models import Corpus

WORDS_FILE = "words.json"
FORMAT = 1


@dataclass(frozen=True)
class CorpusWords:
    """Folded words of the corpus's texts (units, commentary with its headings and titles,
    source titles) with their counts, and those both languages' texts use."""

    counts: Counter[str]
    both: frozenset[str]


def corpus_words(corpus: Corpus) -> CorpusWords:
    """Count the corpus's words (what `bilex build` saves and the bot would compute)."""
    counts: Counter[str] = Counter()
    per_lang: dict[str, set[str]] = {"fr": set(), "en": set()}
    texts = [(u.fr.text, "fr") for u in corpus.units]
    texts += [(u.en.text, "en") for u in corpus.units]
    texts += [(f"{p.heading or ''} {p.title or ''} {p.text}", p.lang) for p in corpus.commentary]
    texts += [(s.title, "") for s in corpus.sources]
    for text, lang in texts:
        found = words(text)
        counts.update(found)
        if lang in per_lang:
            per_lang[lang].update(found)
    return CorpusWords(counts, frozenset(per_lang["fr"] & per_lang["en"]))


def words_key(corpus: Corpus) -> str:
    """What the saved words depend on: the corpus, and the code that finds and folds words."""
    digest = hashlib.sha256(f"{FORMAT}\n{corpus.corpus_hash}\n".encode())
    for module in (phrasing, drift):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def dump_words(found: CorpusWords, corpus: Corpus) -> bytes:
    """The saved form (deterministic: the same corpus gives the same bytes)."""
    payload = {"key": words_key(corpus), "counts": dict(sorted(found.counts.items())),
               "both": sorted(found.both)}
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
        return CorpusWords(counts, frozenset(str(w) for w in data["both"]))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None
