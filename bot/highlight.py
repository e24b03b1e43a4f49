"""The sentence of a result that best answers the question, as a character span per side.

Sentences (and the clauses of a sentence cut by semicolons) are scored by the question's
content words they use, stemmed in both languages, plus the glossary's wording of the
question's terms; a rarer word counts more. Where the index holds a side's sentences
embedded, how near e5 reads each to the question counts as much (`combined_piece`; `scored`:
each embedded sentence's cosine and span). The other side's span is the sentence at the same
position when both sides have as many sentences (aligned text), else its own best.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from indexer.lexical import query_tokens, tokenize

_BREAK = re.compile(r"(?<=[.;!?])\s+|\n+")
# Words after which a full stop does not end a sentence ("art. L. 321-4-3", "al. 2", "n° 5").
_ABBREVIATION = re.compile(r"(?:^|[\s'’])(?:[^\W\d_]{1,2}|art|arts|al|cf|para|sect|ch|etc|no|n°)\.$",
                           re.IGNORECASE)


# Texts whose pieces and their tokens are kept (about 1 KB each): a result's sides are read
# again by most answers that show it, and analysing each piece in both languages was most of
# the time an answer spends on its highlights.
PIECES_CACHED = 8192


def pieces(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences and semicolon clauses of `text` (trimmed)."""
    return list(_pieces(text))


@lru_cache(maxsize=PIECES_CACHED)
def _pieces(text: str) -> tuple[tuple[int, int], ...]:
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
    return tuple(spans)


@lru_cache(maxsize=PIECES_CACHED)
def _piece_tokens(text: str, lang: str) -> tuple[frozenset[str], ...]:
    """The query tokens (`lang` first, then the other language's) of each piece of `text`."""
    return tuple(frozenset(query_tokens(text[start:end], lang)) for start, end in _pieces(text))


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
    for index, (span, tokens) in enumerate(zip(spans, _piece_tokens(text, lang), strict=True)):
        scored.append((sum(weights[t] for t in tokens & question_tokens), -index, span))
    score, _, span = max(scored)
    return span if score > 0 else None


def combined_piece(text: str, question_tokens: set[str], lang: str,
                   frequency: dict[str, int] | None,
                   scored: Iterable[tuple[float, int, int]]) -> tuple[int, int] | None:
    """The span of the piece of `text` that best answers: its share of the best word score
    (`best_span`'s weights) plus its share of the range of the embedded sentences' closeness
    to the question (`scored`: cosine, start, end in `text`), the two counted alike. Words
    alone where no sentence of `text` is embedded; nothing for a question without words (a
    reference alone asks for the provision, no sentence of it in particular)."""
    spans = pieces(text)
    scored = list(scored)
    if not spans or not question_tokens:
        return None
    if not scored:
        return best_span(text, question_tokens, lang, frequency)
    weights = _weights(question_tokens, frequency)
    words = [sum(weights[t] for t in tokens & question_tokens)
             for tokens in _piece_tokens(text, lang)]
    near = [max((c for c, a, b in scored if a < end and start < b), default=None)
            for start, end in spans]
    known = [c for c in near if c is not None]
    if not known:
        return best_span(text, question_tokens, lang, frequency)
    top, low, high = max(words), min(known), max(known)
    best: tuple[float, int, tuple[int, int]] | None = None
    for index, span in enumerate(spans):
        closeness = near[index]
        score = (words[index] / top if top > 0 else 0.0) + (
            0.0 if closeness is None else (closeness - low) / (high - low) if high > low
            else 1.0)
        if best is None or (score, -index) > best[:2]:
            best = (score, -index, span)
    return best[2] if best else None


def highlight(sides: dict[str, str | None], question: str, extra: str, lang: str,
              frequency: dict[str, int] | None = None,
              scored: Mapping[str, Sequence[tuple[float, int, int]]] | None = None
              ) -> dict[str, list[int] | None]:
    """`{"fr": [start, end] | null, "en": ...}` for a result's sides; `scored`: per side, the
    embedded sentences' closeness to the question (`combined_piece`)."""
    tokens = set(tokenize(question, lang)) | set(query_tokens(extra, None) if extra else ())
    out: dict[str, list[int] | None] = {"fr": None, "en": None}
    present = {k: v for k, v in sides.items() if v}
    own = lang if lang in present else next(iter(present), None)
    if own is None:
        return out

    def best(side: str) -> tuple[int, int] | None:
        return combined_piece(present[side], tokens, side, frequency, (scored or {}).get(side, ()))

    span = best(own)
    out[own] = list(span) if span else None
    other = "en" if own == "fr" else "fr"
    if other in present and span is not None:
        mine, theirs = pieces(present[own]), pieces(present[other])
        if len(mine) == len(theirs) and span in mine:
            out[other] = list(theirs[mine.index(span)])
        else:
            found = best(other)
            out[other] = list(found) if found else None
    return out
