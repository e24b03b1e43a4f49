"""Small text helpers shared by the corpus layer: sentences, whitespace, language cues."""

from __future__ import annotations

import re
from functools import lru_cache

from stop_words import get_stop_words

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[«\"“A-ZÀ-ÖØ-Þ0-9•])")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def squash(text: str) -> str:
    """Collapse runs of spaces (including no-break spaces) and trim each line."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def sentences(text: str) -> list[str]:
    """Split text into sentences (and list items); good enough for counting coverage."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip().lstrip("•").strip()
        if line:
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


@lru_cache(maxsize=2)
def _stops(lang: str) -> frozenset[str]:
    return frozenset(get_stop_words(lang))


def guess_language(text: str) -> str:
    """'fr' or 'en' by stop-word counts: enough to tell the two sides of an article apart."""
    words = [w.lower() for w in _WORD.findall(text)]
    fr = sum(w in _stops("fr") for w in words)
    en = sum(w in _stops("en") for w in words)
    return "fr" if fr > en else "en"
