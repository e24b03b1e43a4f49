"""Structural anchors inside one section: provision labels, definitions, marginal notes.

A section is planned as runs (one per matched definition, one for the rest), each a list of
steps in document order: `Link`s that structure alone decides (same label path, same
defined term, marginal notes of the same subsection), `Gap`s, the lines between two links,
which the residual aligner resolves, and `Bag`s of lines that pair in an unknown order.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from corpus.bitext.labels import label_paths
from corpus.bitext.terms import match_definitions

_ENDS_SENTENCE = re.compile(r"[.;:,]\s*$")


@dataclass(frozen=True)
class Link:
    """Lines (indices into the section's lines) that form one unit, and how it was found."""

    en: tuple[int, ...]
    fr: tuple[int, ...]
    how: str
    similarity: float | None = None


@dataclass(frozen=True)
class Gap:
    """Lines between two links, left to the residual aligner."""

    en: tuple[int, ...]
    fr: tuple[int, ...]


@dataclass(frozen=True)
class Bag:
    """Lines that pair one to one in an unknown order (repealed terms sharing a citation)."""

    en: tuple[int, ...]
    fr: tuple[int, ...]


Step = Link | Gap | Bag
Path = tuple[str, ...]


@dataclass(frozen=True)
class Run:
    """Steps in document order, and the label path of each line they cover (None: unlabelled)."""

    steps: tuple[Step, ...]
    en_paths: dict[int, Path | None]
    fr_paths: dict[int, Path | None]


Key = tuple[str, tuple[str, ...]]
T = TypeVar("T")


def _keys(paths: Sequence[Path | None], texts: Sequence[str], term: bool) -> dict[Key, list[int]]:
    """Structural keys of a run of lines: label paths, notes before subsections, the term."""
    keys: dict[Key, list[int]] = defaultdict(list)
    for pos, path in enumerate(paths):
        if path is not None:
            keys[("label", path)].append(pos)
        elif pos + 1 < len(paths) and (nxt := paths[pos + 1]) is not None and len(nxt) == 1 \
                and not _ENDS_SENTENCE.search(texts[pos]) and len(texts[pos]) < 250:
            keys[("note", nxt)].append(pos)
    if term and texts:
        keys[("term", ())].append(0)
    return keys


def increasing(pairs: list[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """The longest chain of anchors increasing on both sides, in English order."""
    pairs = sorted(pairs, key=lambda p: (p[0], p[1]))
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for i, (_, fr, _) in enumerate(pairs):
        k = bisect.bisect_left(tails, fr)
        if k == len(tails):
            tails.append(fr)
            tail_at.append(i)
        else:
            tails[k] = fr
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    out = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(pairs[i])
        i = back[i]
    return out[::-1]


def plan_run(
    en_idx: Sequence[int], fr_idx: Sequence[int], en_lines: Sequence[str],
    fr_lines: Sequence[str], *, term: bool = False,
) -> Run:
    """Links on unique structural keys, gaps between them (indices are section lines)."""
    en_texts = [en_lines[i] for i in en_idx]
    fr_texts = [fr_lines[j] for j in fr_idx]
    en_paths, fr_paths = label_paths(en_texts, "en"), label_paths(fr_texts, "fr")
    en_keys = _keys(en_paths, en_texts, term)
    fr_keys = _keys(fr_paths, fr_texts, term)
    anchors = [  # a key found as often on both sides pairs in order ("(1)" of quoted text)
        (e, f, key[0])
        for key in en_keys.keys() & fr_keys.keys()
        if len(en_keys[key]) == len(fr_keys[key])
        for e, f in zip(en_keys[key], fr_keys[key], strict=True)
    ]
    steps: list[Step] = []
    prev_e = prev_f = -1
    for pe, pf, how in [*increasing(anchors), (len(en_idx), len(fr_idx), "")]:
        gap_en = tuple(en_idx[prev_e + 1 : pe])
        gap_fr = tuple(fr_idx[prev_f + 1 : pf])
        if gap_en or gap_fr:
            steps.append(Gap(gap_en, gap_fr))
        if how:
            steps.append(Link((en_idx[pe],), (fr_idx[pf],), how))
        prev_e, prev_f = pe, pf
    return Run(tuple(steps), dict(zip(en_idx, en_paths, strict=True)),
               dict(zip(fr_idx, fr_paths, strict=True)))


def plan_section(en_lines: Sequence[str], fr_lines: Sequence[str]) -> list[Run]:
    """Runs of steps for one section pair: one per definition matched by its cross tags (the
    languages sort definitions differently), one for the rest, each in document order."""
    matches = match_definitions(en_lines, fr_lines)
    taken_en: set[int] = set()
    taken_fr: set[int] = set()
    runs: list[Run] = []
    for en_defs, fr_defs in matches.groups:
        e_idx = [i for d in en_defs for i in range(d.start, d.end + 1)]
        f_idx = [j for d in fr_defs for j in range(d.start, d.end + 1)]
        if taken_en.intersection(e_idx) or taken_fr.intersection(f_idx):
            continue
        taken_en.update(e_idx)
        taken_fr.update(f_idx)
        if len(en_defs) == 1 and len(fr_defs) == 1:
            runs.append(plan_run(e_idx, f_idx, en_lines, fr_lines, term=True))
        else:
            runs.append(Run((Link(tuple(e_idx), tuple(f_idx), "term"),), {}, {}))
    for bag_en, bag_fr in matches.bags:
        if not taken_en.intersection(bag_en) and not taken_fr.intersection(bag_fr):
            taken_en.update(bag_en)
            taken_fr.update(bag_fr)
            runs.append(Run((Bag(tuple(bag_en), tuple(bag_fr)),), {}, {}))
    for d in matches.only_en:
        if not taken_en.intersection(range(d.start, d.end + 1)):
            taken_en.update(range(d.start, d.end + 1))
            runs.append(Run((Link(tuple(range(d.start, d.end + 1)), (), "one_language"),), {}, {}))
    for d in matches.only_fr:
        if not taken_fr.intersection(range(d.start, d.end + 1)):
            taken_fr.update(range(d.start, d.end + 1))
            runs.append(Run((Link((), tuple(range(d.start, d.end + 1)), "one_language"),), {}, {}))
    rest_en = [i for i in range(len(en_lines)) if i not in taken_en]
    rest_fr = [j for j in range(len(fr_lines)) if j not in taken_fr]
    runs.append(plan_run(rest_en, rest_fr, en_lines, fr_lines))
    return runs
