"""Terminology consistency: the same French wording rendered two ways in one article.

Article references ("L. 122-6") are language-neutral anchors. Where the French words
leading up to the same reference are the same in two alinéas, the English words leading
up to it should be the same too; when they are not, the term was rendered two ways
(e.g. "délai-congé" as "notice period" in one alinéa and "period of leave" in another).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from stop_words import get_stop_words

from corpus.drift import _CODE_REF, fold
from corpus.encoder import TextEncoder

WINDOW = 3  # content words kept before an anchor
MAX_OVERLAP = 0.5  # English windows sharing at most this share of words are "different"
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_BOUNDARY = re.compile(r"[.,;:!?()]")
# Words that only introduce a reference ("à l'article", "in Article"): not part of a term.
_REF_WORDS = {"article", "articles", "art", "l", "d", "qu"}
# Participles that introduce a reference ("prévu à", "provided for in"): trimmed from the end.
_INTRODUCERS = {
    "prevu", "prevue", "prevus", "prevues", "mentionne", "mentionnee", "mentionnes",
    "mentionnees", "vise", "visee", "vises", "visees", "conformement", "provided", "mentioned",
    "set", "out", "referred", "pursuant", "defined", "as", "under",
}


@dataclass(frozen=True)
class Occurrence:
    """The words leading up to one reference in one alinéa, in French and English."""

    unit: int
    anchor: str
    fr_words: tuple[str, ...]
    fr_span: str
    en_words: tuple[str, ...]
    en_span: str


@dataclass(frozen=True)
class Inconsistency:
    """A French wording with the different English renderings it gets, by unit index."""

    term: str
    renderings: dict[str, list[int]]


@lru_cache(maxsize=2)
def _stops(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in get_stop_words(lang)) | _REF_WORDS


def _windows(text: str, lang: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(anchor, last content words before it, the span they cover) for every reference."""
    out = []
    for match in _CODE_REF.finditer(text):
        before = text[: match.start()]
        cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
        before = before[cut:]
        tokens = list(_TOKEN.finditer(before.replace("’", " ").replace("'", " ")))
        content = [t for t in tokens if fold(t.group()) not in _stops(lang)]
        while content and fold(content[-1].group()) in _INTRODUCERS:
            content.pop()
        kept = content[-WINDOW:]
        if not kept:
            continue
        span = before[kept[0].start() : kept[-1].end()].strip()
        words = tuple(fold(t.group()) for t in kept)
        out.append((f"{match.group(1)}{match.group(2)}", words, span))
    return out


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def inconsistencies(pairs: list[tuple[str, str]]) -> list[Inconsistency]:
    """Terms rendered two ways across the (French, English) alinéa pairs of one article."""
    groups: dict[tuple[str, tuple[str, ...]], list[Occurrence]] = defaultdict(list)
    for index, (fr, en) in enumerate(pairs):
        en_by_anchor: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for anchor, words, span in _windows(en, "en"):
            en_by_anchor[anchor].append((words, span))
        seen: dict[str, int] = defaultdict(int)
        for anchor, words, span in _windows(fr, "fr"):
            candidates = en_by_anchor.get(anchor, [])
            k = seen[anchor]
            seen[anchor] += 1
            if k >= len(candidates):
                continue  # a reference with no English counterpart: drift flags catch it
            en_words, en_span = candidates[k]
            groups[(anchor, words)].append(
                Occurrence(index, anchor, words, span, en_words, en_span))

    found: list[Inconsistency] = []
    for occurrences in groups.values():
        if len({o.unit for o in occurrences}) < 2:
            continue
        first = occurrences[0]
        differing = [o for o in occurrences[1:]
                     if o.unit != first.unit and _overlap(o.en_words, first.en_words) <= MAX_OVERLAP]
        if not differing:
            continue
        renderings: dict[str, list[int]] = defaultdict(list)
        for o in occurrences:
            if o.unit not in renderings[o.en_span]:
                renderings[o.en_span].append(o.unit)
        found.append(Inconsistency(first.fr_span, dict(renderings)))
    return found


@dataclass(frozen=True)
class TermPair:
    """A French term and its English rendering, paired because they occur in the same alinéas."""

    fr: str
    en: str
    units: tuple[int, ...]


def _ngrams(text: str, lang: str, sizes: range) -> dict[str, str]:
    """Folded n-gram -> its surface form, for n-grams that start and end on content words."""
    tokens = [t.group() for t in _TOKEN.finditer(text.replace("’", " ").replace("'", " "))]
    stops = _stops(lang)
    out: dict[str, str] = {}
    for n in sizes:
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if fold(gram[0]) in stops or fold(gram[-1]) in stops:
                continue
            out.setdefault(" ".join(fold(t) for t in gram), " ".join(gram))
    return out


def paired_terms(pairs: list[tuple[str, str]], encoder: TextEncoder | None = None,
                 min_units: int = 2, min_similarity: float = 0.85) -> list[TermPair]:
    """Multi-word terms whose French and English forms occur in exactly the same alinéas.

    "droit individuel à la formation" and "individual right to training"
    stand in the same alinéas of the article: they pair. Where several English terms
    share a French term's alinéas, the multilingual model picks the closest (or none).
    """
    fr_occ: dict[str, set[int]] = defaultdict(set)
    en_occ: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, str] = {}
    for index, (fr, en) in enumerate(pairs):
        for key, form in _ngrams(fr, "fr", range(2, 6)).items():
            fr_occ[key].add(index)
            surface.setdefault("fr:" + key, form)
        for key, form in _ngrams(en, "en", range(2, 5)).items():
            en_occ[key].add(index)
            surface.setdefault("en:" + key, form)

    def maximal(occ: dict[str, set[int]]) -> dict[frozenset[int], list[str]]:
        by_set: dict[frozenset[int], list[str]] = defaultdict(list)
        for key, units in occ.items():
            if len(units) >= min_units:
                by_set[frozenset(units)].append(key)
        return {units: [k for k in keys if not any(k != o and f" {k} " in f" {o} " for o in keys)]
                for units, keys in by_set.items()}

    fr_best, en_best = maximal(fr_occ), maximal(en_occ)
    found: list[TermPair] = []
    for units, fr_keys in fr_best.items():
        en_keys = en_best.get(units, [])
        for fr_key in fr_keys:
            if not en_keys:
                continue
            if encoder is None:
                if len(fr_keys) != 1 or len(en_keys) != 1:
                    continue
                en_key = en_keys[0]
            else:
                vectors = encoder.passages([surface["fr:" + fr_key]]
                                           + [surface["en:" + k] for k in en_keys])
                sims = vectors[1:] @ vectors[0]
                best = int(sims.argmax())
                if float(sims[best]) < min_similarity:
                    continue
                en_key = en_keys[best]
            found.append(TermPair(surface["fr:" + fr_key], surface["en:" + en_key],
                                  tuple(sorted(units))))
    return sorted(found, key=lambda t: (t.units, t.fr))
