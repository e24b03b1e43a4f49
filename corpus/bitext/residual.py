"""Aligning the lines left between structural anchors, with a maintained aligner library.

With an encoder: sentweave (Vecalign's dynamic programme over sentence embeddings). Every
line is embedded once, through a shared cache; a candidate window of two lines is not
embedded again: its vector is the length-weighted sum of its lines' vectors, normalised
(the concatenation's embedding cost as much again as all the lines, for the same decisions
on the tuning acts). Without an encoder: galechurch (sentence lengths only).
Units may be 1-1, 1-2, 2-1, or one-sided (a line with no counterpart).
"""

from __future__ import annotations

import math
import random
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import galechurch
import numpy as np
from sentweave.dp_utils import (
    compute_norms,
    make_alignment_types,
    make_norm1,
    preprocess_line,
    vecalign,
)

from corpus.drift import normalise_numbers
from corpus.encoder import TextEncoder

MAX_UNIT = 2  # lines per side in one unit: 1-1, 1-2, 2-1
EMBED_CHARS = 300  # a line's opening is enough to align it; the model slows on long inputs
_BATCH = 64
_BACKGROUND = 200  # document lines sampled to normalise costs
_BACKGROUND_MIN = 8
_NORM_SAMPLES = 100
_LARGE_GAP = 100  # cells
_PAD = "PAD"  # sentweave's filler before the first window
# A lone line facing a lone line between two anchors is paired (the same place in the same
# structure). The model is asked only for the confidence, and only when the cheap evidence
# disagrees: different numbers, or a length outside this factor of the document's ratio.
_LONE_LENGTH = 1.6
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class EmbeddingCache:
    """Embeds each distinct text once, in batches, and serves rows from memory."""

    def __init__(self, encoder: TextEncoder) -> None:
        self.encoder = encoder
        self._rows: dict[str, np.ndarray] = {}
        self._pending: dict[str, None] = {}

    def want(self, texts: Iterable[str]) -> None:
        """Queue texts for the next batched call."""
        for text in texts:
            if text not in self._rows:
                self._pending[text] = None

    def flush(self) -> None:
        """Embed everything queued, `_BATCH` texts per encoder call."""
        pending = list(self._pending)
        self._pending.clear()
        for start in range(0, len(pending), _BATCH):
            chunk = pending[start : start + _BATCH]
            for text, row in zip(chunk, self.encoder.passages(chunk), strict=True):
                self._rows[text] = np.asarray(row, dtype=np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for `texts` (embedding any not seen yet)."""
        self.want(texts)
        self.flush()
        return np.stack([self._rows[text] for text in texts])

    def similarity(self, left: str, right: str) -> float:
        """Cosine similarity of two texts."""
        rows = self([left, right])
        return float(np.clip(rows[0] @ rows[1], -1.0, 1.0))

    def window(self, texts: Sequence[str]) -> np.ndarray:
        """The vector of several consecutive lines, from their own (no new embedding)."""
        rows = self(texts)
        weights = np.array([math.sqrt(len(t)) for t in texts], dtype=np.float32)
        vec = (rows * weights[:, None]).sum(axis=0)
        return vec / (float(np.linalg.norm(vec)) + 1e-9)

    def window_similarity(self, left: Sequence[str], right: Sequence[str]) -> float:
        """Cosine similarity of two runs of lines (each as `window`)."""
        return float(np.clip(self.window(left) @ self.window(right), -1.0, 1.0))


@dataclass(frozen=True)
class Bead:
    """One unit proposed by the aligner: positions in the gap's two line lists."""

    en: tuple[int, ...]
    fr: tuple[int, ...]
    similarity: float | None  # cosine of the two sides, None without an encoder


def clean(line: str) -> str:
    """The text embedded for one line."""
    return preprocess_line(line)[:EMBED_CHARS]


def joined(lines: Sequence[str]) -> str:
    """The text embedded for several consecutive lines."""
    return " ".join(clean(line) for line in lines)


def needed_texts(en: Sequence[str], fr: Sequence[str]) -> list[str]:
    """Every text `align` will embed for this gap (to batch them beforehand): its lines."""
    return [clean(line) for side in (en, fr) for line in side]


class GapAligner:
    """Aligns the gaps of one document; with an encoder, costs are normalised against a
    sample of the whole document rather than the few lines of each gap."""

    def __init__(self, cache: EmbeddingCache | None, ratio: float) -> None:
        self.cache = cache
        self.ratio = ratio
        self._background: dict[str, np.ndarray] = {}

    def prepare(self, gaps: Sequence[tuple[Sequence[str], Sequence[str]]]) -> None:
        """Embed every text the gaps need in batches, and sample the document background."""
        if self.cache is None:
            return
        gaps = [(en, fr) for en, fr in gaps if not self.settled(en, fr)]
        for en, fr in gaps:
            self.cache.want(needed_texts(en, fr))
        self.cache.want([_PAD])
        self.cache.flush()
        for lang, side in (("en", 0), ("fr", 1)):
            lines = [clean(line) for gap in gaps for line in gap[side]]
            pairs = [[clean(x) for x in gap[side][k : k + 2]] for gap in gaps
                     for k in range(len(gap[side]) - 1)]
            if len(lines) >= _BACKGROUND_MIN and pairs:
                self._background[lang] = self._sample(lines, pairs)

    def _sample(self, lines: list[str], pairs: list[list[str]]) -> np.ndarray:
        assert self.cache is not None
        picks = np.linspace(0, len(lines) - 1, num=min(len(lines), _BACKGROUND)).astype(int)
        pair_picks = np.linspace(0, len(pairs) - 1, num=len(picks)).astype(int)
        vecs = np.stack([self.cache([lines[k] for k in picks]),
                         np.stack([self.cache.window(pairs[k]) for k in pair_picks])], axis=0)
        make_norm1(vecs)
        return vecs

    def align(self, en: Sequence[str], fr: Sequence[str]) -> list[Bead]:
        """Units for two runs of lines lying between the same two anchors."""
        if not en or not fr:
            return [Bead((i,), (), None) for i in range(len(en))] + [
                Bead((), (j,), None) for j in range(len(fr))
            ]
        if self.settled(en, fr):
            return [Bead((0,), (0,), None)]
        if self.cache is None:
            return _galechurch(en, fr, self.ratio)
        if len(en) == 1 and len(fr) == 1:  # the same place between the same anchors
            return [Bead((0,), (0,), self.cache.similarity(joined(en), joined(fr)))]
        return self._sentweave(en, fr, self.cache)

    def settled(self, en: Sequence[str], fr: Sequence[str]) -> bool:
        """A lone line facing a lone line, with the same numbers and plausible lengths: a
        pair without asking the model (most single-provision sections and lead-ins)."""
        if len(en) != 1 or len(fr) != 1:
            return False
        e, f = en[0], fr[0]
        expected = self.ratio * len(e)
        if not (expected / _LONE_LENGTH <= len(f) + 10 and len(f) <= expected * _LONE_LENGTH + 10):
            return False
        return _numbers(e, "en") == _numbers(f, "fr")

    def _sentweave(self, en: Sequence[str], fr: Sequence[str], cache: EmbeddingCache) -> list[Bead]:
        random.seed(42)  # sentweave samples sentences and costs: keep runs reproducible
        np.random.seed(42)
        vecs0, vecs1 = _overlaps(en, cache), _overlaps(fr, cache)
        norms0 = norms1 = None
        if "en" in self._background and "fr" in self._background:
            norms0 = compute_norms(vecs0, self._background["fr"], _NORM_SAMPLES)
            norms1 = compute_norms(vecs1, self._background["en"], _NORM_SAMPLES)
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            # near-identical lines make sentweave cast a NaN cost; the DP still completes
            warnings.simplefilter("ignore", RuntimeWarning)
            stack = vecalign(
                vecs0=vecs0,
                vecs1=vecs1,
                final_alignment_types=make_alignment_types(MAX_UNIT + 1),
                del_percentile_frac=_deletion_knob(len(en), len(fr)),
                width_over2=math.ceil(MAX_UNIT / 2) + 5,
                max_size_full_dp=300,
                costs_sample_size=20_000,
                num_samps_for_norm=_NORM_SAMPLES,
                norms0=norms0,
                norms1=norms1,
            )
        beads = []
        for en_idx, fr_idx in stack[0]["final_alignments"]:
            sim = None
            if en_idx and fr_idx:
                sim = cache.window_similarity([clean(en[i]) for i in en_idx],
                                              [clean(fr[j]) for j in fr_idx])
            beads.append(Bead(tuple(en_idx), tuple(fr_idx), sim))
        return beads


def _numbers(text: str, lang: str) -> set[str]:
    """Numbers a line cites, number words as digits, decimal commas as points ("one" and
    "un"/"une" left out: the French article reads as a number)."""
    found = _NUMBER.findall(normalise_numbers(text, lang))
    return {n.replace(",", ".") if lang == "fr" else n.replace(",", "") for n in found} - {"0", "1"}


def _deletion_knob(n: int, m: int) -> float:
    """sentweave's deletion percentile: its cost sample is only meaningful for large gaps,
    and in small ones the "random" pairs include the true ones, so deleting must cost more."""
    return 0.2 if n * m >= _LARGE_GAP else 0.5


def match_bag(en: Sequence[str], fr: Sequence[str], cache: EmbeddingCache | None) -> list[Bead]:
    """One-to-one pairs in any order, most similar first; one unit for all without encoder."""
    if cache is None or not en or not fr:
        return [Bead(tuple(range(len(en))), tuple(range(len(fr))), None)]
    sims = cache([clean(line) for line in en]) @ cache([clean(line) for line in fr]).T
    beads = []
    free_en, free_fr = set(range(len(en))), set(range(len(fr)))
    for flat in np.argsort(-sims, axis=None):
        i, j = divmod(int(flat), len(fr))
        if i in free_en and j in free_fr:
            beads.append(Bead((i,), (j,), float(sims[i, j])))
            free_en.discard(i)
            free_fr.discard(j)
    beads += [Bead((i,), (), None) for i in sorted(free_en)]
    beads += [Bead((), (j,), None) for j in sorted(free_fr)]
    return beads


def _galechurch(en: Sequence[str], fr: Sequence[str], ratio: float) -> list[Bead]:
    """Gale-Church beads over the lines; every line in one of them. Where the lengths are too
    far apart for its costs ("Each of the following persons, namely," facing a French lead-in
    eight times as long), it gives no beads at all: the lines between the same two anchors
    are then one unit, not dropped."""
    block = galechurch.align(
        list(en), list(fr), mean_xy=max(ratio, 0.1), bead_costs={(2, 2): 10_000.0}
    )
    beads = [
        Bead(tuple(range(b.source_start, b.source_end)),
             tuple(range(b.target_start, b.target_end)), None)
        for b in block.beads
    ]
    covered_en = sorted(i for b in beads for i in b.en)
    covered_fr = sorted(j for b in beads for j in b.fr)
    if covered_en != list(range(len(en))) or covered_fr != list(range(len(fr))):
        return [Bead(tuple(range(len(en))), tuple(range(len(fr))), None)]
    return beads


def _overlaps(lines: Sequence[str], cache: EmbeddingCache) -> np.ndarray:
    """sentweave's layers (windows of 1 .. MAX_UNIT lines, front-padded), from line vectors."""
    texts = [clean(line) for line in lines]
    layers = [cache(texts)]
    for size in range(2, MAX_UNIT + 1):
        pad = [cache([_PAD])[0]] * min(size - 1, len(texts))
        windows = [cache.window(texts[i : i + size]) for i in range(len(texts) - size + 1)]
        layers.append(np.stack(pad + windows))
    vecs = np.stack(layers, axis=0)
    make_norm1(vecs)
    return vecs
