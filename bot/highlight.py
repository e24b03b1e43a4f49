"""The sentence of a result that best answers the question, as a character span per side.

Sentences (and the clauses of a sentence cut by semicolons) are scored by the question's
content words they use, stemmed in both languages, plus the glossary's wording of the
question's terms; a rarer word counts more. The other side's span is the sentence at the
same position when both sides have as many sentences (aligned text), else its own best.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from indexer.lexical import query_tokens, tokenize

_BREAK = re.compile(r"(?<=[.;!?])\s+|\n+")
# Words after which a full stop does not end a sentence ("art. L. 321-4-3", "al. 2", "n° 5").
_ABBREVIATION = re.compile(r"(?:^|[\s'’])(?:[^\W\d_]{1,2}|art|arts|al|cf|para|sect|ch|etc|no|n°)\.$",
                           re.IGNORECASE)


def pieces(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences and semicolon clauses of `text` (trimmed)."""
    cuts = [0]
    for match in _BREAK.finditer(text):
        before, after = text[:match.start()], text[match.end():match.end() + 1]
        if match.group().startswith("\n") or before.endswith((";", "!", "?")) or (
                not _ABBREVIATION.search(before[-8:]) and (not after or not after.islower())):
            cuts.append(match.end())
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 3:
            spans.append((start, end))
    return spans


def _weights(tokens: Iterable[str], frequency: dict[str, int] | None) -> dict[str, float]:
    return {t: 1.0 / math.log(2.0 + (frequency or {}).get(t, 0)) for t in tokens}


def best_span(text: str, question_tokens: set[str], lang: str,
              frequency: dict[str, int] | None = None) -> tuple[int, int] | None:
    """The span of the piece of `text` sharing the most (weighted) tokens with the question."""
    spans = pieces(text)
    if not spans or not question_tokens:
        return None
    weights = _weights(question_tokens, frequency)
    scored = []
    for index, (start, end) in enumerate(spans):
        found = set(query_tokens(text[start:end], lang)) & question_tokens
        scored.append((sum(weights[t] for t in found), -index, (start, end)))
    score, _, span = max(scored)
    return span if score > 0 else None


def highlight(sides: dict[str, str | None], question: str, extra: str, lang: str,
              frequency: dict[str, int] | None = None) -> dict[str, list[int] | None]:
    """`{"fr": [start, end] | null, "en": ...}` for a result's sides."""
    tokens = set(tokenize(question, lang)) | set(query_tokens(extra, None) if extra else ())
    out: dict[str, list[int] | None] = {"fr": None, "en": None}
    present = {k: v for k, v in sides.items() if v}
    own = lang if lang in present else next(iter(present), None)
    if own is None:
        return out
    span = best_span(present[own], tokens, own, frequency)
    out[own] = list(span) if span else None
    other = "en" if own == "fr" else "fr"
    if other in present and span is not None:
        mine, theirs = pieces(present[own]), pieces(present[other])
        if len(mine) == len(theirs) and span in mine:
            out[other] = list(theirs[mine.index(span)])
        else:
            found = best_span(present[other], tokens, other, frequency)
            out[other] = list(found) if found else None
    return out
