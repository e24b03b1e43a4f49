"""Fusion: one score per unit from the retrievers' {unit_id: score} maps, and the law-first rule.

Every retriever returns a mapping of unit ids to scores; fusion adds them with named weights
(dense z-scores divided by 3, BM25 divided by its best score, plus fixed boosts for a named
reference and a named place), ranks, and lets law lead when law and commentary both answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, fields
from itertools import zip_longest
from operator import itemgetter

import numpy as np

Ranked = list[tuple[str, float]]


@dataclass(frozen=True)
class Weights:
    """How the retrievers' evidence combines into one score per unit."""

    dense_passage: float = 0.35  # whole alinéa or paragraph
    dense_sentence: float = 0.65  # its best sentence
    lexical: float = 0.8
    hub: float = 0.25  # share of a chunk's hubness taken off its cosine (bot.retrievers)
    reference: float = 3.0  # a named article/alinéa outranks everything else
    place: float = 0.8  # a passage from a source about the place the question names
    law_margin: float = 0.03  # law goes first when it scores within this of commentary
    whole: float = 1.0  # a long post asked whole, beside its sub-questions
    part: float = 0.6  # each sub-question of a long post
    # a passage negating a word the question negates (bot.negation): 0.2 to 1.5 moved no
    # question of the gold, plain and tuning sets; 0.8 and up lead the profile's own example
    # question that negates a verb with the passage negating it too, where e5 and BM25 both
    # preferred one stating it (0.6 did not), and 1.0 lost one of 300 English marginal notes
    # of two shared acts
    negation: float = 0.8

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {f.name} must be a finite number >= 0, got {value!r}")


def _check_scores(name: str, scores: Mapping[str, float]) -> None:
    if not isinstance(scores, Mapping):
        raise TypeError(f"{name} must map unit ids to scores")
    # One pass in C over thousands of lexical hits; the loop below only names the culprit.
    kinds = set(map(type, scores.values()))
    if set(map(type, scores)) <= {str} and kinds <= {float, int, np.float64}:
        values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
        if np.isfinite(values).all():
            return
    for uid, value in scores.items():
        if not isinstance(uid, str) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{name}: {uid!r} -> {value!r} is not a unit id with a finite score")


def fuse(dense: Mapping[str, float], dense_sentence: Mapping[str, float],
         lexical: Mapping[str, float], *, routed: Sequence[str] = (),
         placed: AbstractSet[str] = frozenset(), weights: Weights | None = None) -> Ranked:
    """Units by fused score, best first (ties by id). `routed`: units a reference names, most
    specific first; `placed`: units of a source about a place the question names (each moved
    up by the `place` weight; a place's acts may hold thousands of provisions, and only those
    retrieved are looked up)."""
    w = weights or Weights()
    for name, given in (("dense", dense), ("dense_sentence", dense_sentence),
                         ("lexical", lexical)):
        _check_scores(name, given)
    if isinstance(routed, str) or not all(isinstance(u, str) for u in routed):
        raise TypeError("routed must be a sequence of unit ids")
    if not isinstance(placed, AbstractSet):
        raise TypeError("placed must be a set of unit ids")
    lex_max = max(lexical.values(), default=0.0) or 1.0
    scores: dict[str, float] = {}
    for uid in set(dense) | set(dense_sentence) | set(lexical):
        scores[uid] = (w.dense_passage * dense.get(uid, 0.0) / 3.0
                       + w.dense_sentence * dense_sentence.get(uid, 0.0) / 3.0
                       + w.lexical * lexical.get(uid, 0.0) / lex_max)
    for uid in scores.keys() & placed:  # walks the smaller of the two
        scores[uid] += w.place
    for position, uid in enumerate(routed):
        scores[uid] = scores.get(uid, 0.0) + w.reference * (1.0 - 0.01 * position)
    return _best_first(scores)


def _best_first(scores: Mapping[str, float]) -> Ranked:
    """(id, score) by score, best first, ties by id (two sorts in C: by id, then a stable
    sort by score)."""
    ranked = sorted(scores.items(), key=itemgetter(0))
    ranked.sort(key=itemgetter(1), reverse=True)
    return ranked


def law_first(ranked: Ranked, is_law: Callable[[str], bool], margin: float) -> Ranked:
    """Law ranks first when law and commentary both answer (scores within `margin`)."""
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    if not ranked:
        return ranked
    top_score = ranked[0][1]
    answering = [r for r in ranked if r[1] >= top_score - margin]
    rest = ranked[len(answering):]
    law = [r for r in answering if is_law(r[0])]
    commentary = [r for r in answering if not is_law(r[0])]
    return law + commentary + rest


def combine(rankings: Sequence[tuple[float, Ranked]]) -> Ranked:
    """Several rankings of the same question (a post asked whole and its sub-questions) as
    one: each unit keeps its best weighted score, so every sub-question's best unit can lead."""
    if not rankings:
        raise ValueError("combine needs at least one ranking")
    best: dict[str, float] = {}
    for weight, ranked in rankings:
        if weight < 0:
            raise ValueError(f"ranking weight must be >= 0, got {weight}")
        for uid, score in ranked:
            value = weight * score
            if value > best.get(uid, -math.inf):
                best[uid] = value
    return _best_first(best)


def lead_with(ranked: Ranked, first: str | None, *, insert: bool = False) -> Ranked:
    """`ranked` with unit `first` moved to the top (its score raised to the top score); a
    unit not in `ranked` is put there only with `insert`."""
    if first is None or not ranked or ranked[0][0] == first:
        return ranked
    found = [r for r in ranked if r[0] == first]
    if not found and not insert:
        return ranked
    score = max(ranked[0][1], found[0][1]) if found else ranked[0][1]
    return [(first, score)] + [r for r in ranked if r[0] != first]


def routed_first(ranked: Ranked, routed: Sequence[str], group: Callable[[str], str]) -> Ranked:
    """`ranked` with the units a reference names (`routed`, in document order) first, for a
    question that is only a reference: in document order, the first unit of each cited group
    (`group`: a unit's section or article) before the second of any, so "article 12" reads
    from its start and "sections 12 to 14" opens each of them in turn; then the others in
    their ranked order."""
    if isinstance(routed, str):
        raise TypeError("routed must be a sequence of unit ids")
    position = {uid: i for i, uid in enumerate(dict.fromkeys(routed))}
    cited = sorted((pair for pair in ranked if pair[0] in position),
                   key=lambda pair: position[pair[0]])
    if not cited:
        return ranked
    groups: dict[str, Ranked] = {}
    for pair in cited:
        groups.setdefault(group(pair[0]), []).append(pair)
    head = [pair for turn in zip_longest(*groups.values()) for pair in turn if pair]
    return head + [pair for pair in ranked if pair[0] not in position]
