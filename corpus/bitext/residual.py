"""Aligning the lines left between structural anchors, with a maintained aligner library.

With an encoder: sentweave (Vecalign's dynamic programme over sentence embeddings), every
text embedded once through a shared cache. Without one: galechurch (sentence lengths only).
Units may be 1-1, 1-2, 2-1, or one-sided (a line with no counterpart).
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import galechurch
import numpy as np
from sentweave.dp_utils import layer, make_alignment_types, make_norm1, preprocess_line, vecalign

from corpus.encoder import TextEncoder

MAX_UNIT = 2  # lines per side in one unit: 1-1, 1-2, 2-1
EMBED_CHARS = 300  # a line's opening is enough to align it; the model slows on long inputs
_BATCH = 64


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
    """Every text `align_gap` will embed for this gap (to batch them beforehand)."""
    texts: list[str] = []
    for side in (en, fr):
        lines = [clean(line) for line in side]
        for size in range(1, MAX_UNIT + 1):
            texts.extend(layer(lines, size))
    return texts


def align_gap(
    en: Sequence[str], fr: Sequence[str], cache: EmbeddingCache | None, ratio: float
) -> list[Bead]:
    """Units for two runs of lines; `ratio` is the document's French/English length ratio."""
    if not en or not fr:
        return [Bead((i,), (), None) for i in range(len(en))] + [
            Bead((), (j,), None) for j in range(len(fr))
        ]
    if cache is None:
        return _galechurch(en, fr, ratio)
    if len(en) == 1 and len(fr) == 1:
        return [Bead((0,), (0,), cache.similarity(joined(en), joined(fr)))]
    return _sentweave(en, fr, cache)


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
    block = galechurch.align(
        list(en), list(fr), mean_xy=max(ratio, 0.1), bead_costs={(2, 2): 10_000.0}
    )
    return [
        Bead(tuple(range(b.source_start, b.source_end)),
             tuple(range(b.target_start, b.target_end)), None)
        for b in block.beads
    ]


def _overlaps(lines: Sequence[str], cache: EmbeddingCache) -> np.ndarray:
    texts = [clean(line) for line in lines]
    vecs = np.stack([cache(layer(texts, size)) for size in range(1, MAX_UNIT + 1)], axis=0)
    make_norm1(vecs)
    return vecs


def _sentweave(en: Sequence[str], fr: Sequence[str], cache: EmbeddingCache) -> list[Bead]:
    random.seed(42)  # sentweave samples costs to set its deletion penalty
    np.random.seed(42)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        # near-identical lines make sentweave cast a NaN cost; the DP still completes
        warnings.simplefilter("ignore", RuntimeWarning)
        stack = _vecalign(en, fr, cache)
    beads = []
    for en_idx, fr_idx in stack[0]["final_alignments"]:
        sim = cache.similarity(joined([en[i] for i in en_idx]), joined([fr[j] for j in fr_idx])) \
            if en_idx and fr_idx else None
        beads.append(Bead(tuple(en_idx), tuple(fr_idx), sim))
    return beads


def _vecalign(en: Sequence[str], fr: Sequence[str], cache: EmbeddingCache) -> dict[int, dict]:
    return vecalign(
        vecs0=_overlaps(en, cache),
        vecs1=_overlaps(fr, cache),
        final_alignment_types=make_alignment_types(MAX_UNIT + 1),
        del_percentile_frac=0.2,
        width_over2=math.ceil(MAX_UNIT / 2) + 5,
        max_size_full_dp=300,
        costs_sample_size=20_000,
        num_samps_for_norm=100,
    )
