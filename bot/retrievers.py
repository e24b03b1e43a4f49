"""Retrievers: one question in, one {unit id: score} map out per kind of evidence.

- `DenseRetriever`: e5 cosine over every chunk, best chunk per unit, with the language-gap
  correction (e5 scores same-language pairs higher than translations; the advantage is
  measured on the corpus's own aligned units and taken out), the hub correction (a passage
  near many others is near many questions too, whatever they ask; its closeness to its
  nearest neighbours is partly taken off, as CSLS does for word translation) and z-scores
  that make the scores of different questions comparable.
- `LexicalRetriever`: BM25 over the index's words in the question's language, best chunk
  per unit.

The reference router (`bot.references`) and the place booster (`bot.places`) are the other
retrievers; `bot.fusion` adds their maps up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.artifacts import dump_keyed, load_keyed
from indexer.chunk import Chunk
from indexer.chunking import is_sentence
from indexer.store import Index, IndexManifest, embedded_rows

DENSE_POOL = 256  # dense hits scored per question (the whole corpus when it is small)
CALIBRATION_PAIRS = 512  # aligned units that measure e5's same-language advantage
LEXICAL_POOL = 256  # best BM25 units kept per question (as many as dense hits are scored)
HUB_NEIGHBOURS = 10  # a chunk's hubness: its mean cosine to this many nearest other passages
_HUB_BLOCK = 256  # rows compared at once (memory: block x embedded chunks floats)
HUB_FILE = "hubness.npz"  # the chunks' hubness, saved by `bilex build` beside the index


@dataclass(frozen=True)
class DenseHits:
    """A question's dense evidence, per unit."""

    raw: dict[str, float]  # best cosine
    passage: dict[str, float]  # best z-score among whole passages
    sentence: dict[str, float]  # best z-score among passages, sentences and clauses
    peak: float = 0.0  # best z-score of the cosines before the hub correction (scope evidence)


def best_per_unit(unit_ids: Sequence[str], units: np.ndarray, values: np.ndarray) -> dict[str, float]:
    """Each unit's best value among its chunks' values (`units[i]`: the position in
    `unit_ids` of the unit that chunk i belongs to)."""
    units = np.asarray(units, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    if units.shape != values.shape or units.ndim != 1:
        raise ValueError("best_per_unit needs one unit position per value")
    if len(units) and (units.min() < 0 or units.max() >= len(unit_ids)):
        raise ValueError("a unit position is outside the unit list")
    best = np.full(len(unit_ids), -np.inf, dtype=np.float64)
    np.maximum.at(best, units, values)
    found = np.flatnonzero(np.isfinite(best))
    return dict(zip(map(unit_ids.__getitem__, found.tolist()), best[found].tolist(), strict=True))


def standardise(scores: np.ndarray, english: np.ndarray, gap: float | None) -> np.ndarray:
    """Dense scores made comparable across languages, then standardised (z-scores).

    With a measured `gap` (how much more e5 likes the English rendering of a text than the
    French one, for this question), half of it is taken off each English hit and added to
    each French one, and the hits are standardised together, so an English question reaches
    a French-only passage (and the reverse) on what it says. Without, each language's hits
    are standardised apart.
    """
    scores = np.asarray(scores, dtype=np.float64)
    english = np.asarray(english).astype(bool)
    if scores.shape != english.shape:
        raise ValueError("standardise needs one language flag per score")
    if gap is not None:
        adjusted = scores + np.where(english, -gap / 2, gap / 2)
        return (adjusted - adjusted.mean()) / (adjusted.std() or 1.0)
    z = np.zeros_like(scores)
    for flag in (False, True):
        mask = english == flag
        if mask.any():
            part = scores[mask]
            z[mask] = (part - part.mean()) / (part.std() or 1.0)
    return z


def language_axis(index: Index, unit_ids: Sequence[str], pairs: int = CALIBRATION_PAIRS
                  ) -> np.ndarray | None:
    """The mean difference English side - French side over aligned units' vectors.

    Its dot product with a question vector is how much more e5 likes the English rendering
    of the same text than the French one for this question: the same-language advantage,
    measured on real translations rather than assumed. None when no aligned unit has both
    sides embedded (sides indexed for their words only have zero vectors).
    """
    position = {c.id: i for i, c in enumerate(index.chunks)}
    sides = [(Chunk.make_id(u, "fr"), Chunk.make_id(u, "en")) for u in unit_ids]
    found = [(position[fr], position[en]) for fr, en in sides
             if fr in position and en in position][:pairs]
    if not found:
        return None
    fr, en = np.array(found, dtype=np.int64).T
    fr_rows, en_rows = index.dense.vectors(fr), index.dense.vectors(en)
    embedded = (np.abs(fr_rows).sum(axis=1) > 0) & (np.abs(en_rows).sum(axis=1) > 0)
    if not embedded.any():
        return None
    return (en_rows[embedded] - fr_rows[embedded]).mean(axis=0).astype(np.float32)


def hubness(vectors: np.ndarray, units: np.ndarray, k: int = HUB_NEIGHBOURS) -> np.ndarray:
    """Each row's mean cosine to its `k` nearest rows of other units (fewer in a corpus of
    fewer rows), minus the mean of that over the rows; 0 for zero rows (texts indexed for
    their words only).

    A passage that sits close to many others (a long provision that names every part of a
    scheme, a generic heading) is also close to questions about any of them; CSLS (Conneau et
    al., 2018) takes this out of cross-lingual word retrieval. Rows of the same unit (its
    other language, its own sentences) are not neighbours: closeness to its translation says
    nothing about how generic a passage is.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    units = np.asarray(units, dtype=np.int64)
    if vectors.ndim != 2 or units.shape != (len(vectors),):
        raise ValueError("hubness needs an (n, dim) matrix and one unit position per row")
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    out = np.zeros(len(vectors), dtype=np.float32)
    live = np.flatnonzero(np.any(vectors != 0, axis=1))
    if len(live) < 2:
        return out
    k = min(k, len(live) - 1)
    rows, owner = vectors[live], units[live]
    near = np.empty(len(live), dtype=np.float32)
    for start in range(0, len(live), _HUB_BLOCK):
        block = rows[start:start + _HUB_BLOCK] @ rows.T
        block[owner[start:start + _HUB_BLOCK, None] == owner[None, :]] = -np.inf
        top = np.partition(block, -k, axis=1)[:, -k:]
        finite = np.isfinite(top)
        # fewer than k rows of other units: the mean of those there are
        near[start:start + len(block)] = np.where(finite, top, 0).sum(axis=1) / np.maximum(
            finite.sum(axis=1), 1)
    out[live] = near - near.mean()
    return out


def chunk_hubness(index: Index) -> np.ndarray:
    """`hubness` of each of the index's chunks (0 for a chunk indexed for its words only), the
    rows of one unit never each other's neighbours. Only the embedded rows are held (a fifth
    of an act corpus's rows); the product is over all pairs of them: 0.6 s for 5,000 rows."""
    live, vectors = embedded_rows(index)
    owner = np.unique([c.unit_id for c in index.chunks], return_inverse=True)[1]
    hub = np.zeros(len(index), dtype=np.float32)
    hub[live] = hubness(vectors, owner[live])
    return hub


def hub_key(manifest: IndexManifest) -> str:
    """What a chunk's hubness depends on: the index it was computed on (its manifest, which
    names the model, the chunks' hash and the time of the build), the neighbours counted and
    the code that computes it."""
    digest = hashlib.sha256(f"{HUB_NEIGHBOURS}\n{manifest.to_json()}\n".encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def dump_hub(hub: np.ndarray, index: Index) -> bytes:
    """The saved form of `chunk_hubness(index)`."""
    return dump_keyed(hub_key(index.manifest), hub=np.asarray(hub, dtype=np.float32))


def parse_hub(blob: bytes | None, manifest: IndexManifest) -> np.ndarray | None:
    """The saved hubness if `blob` holds it for the index of `manifest` and this code; None
    otherwise (a server then computes it in its warm-up)."""
    saved = load_keyed(blob, hub_key(manifest), "hub")
    if saved is None:
        return None
    hub = saved["hub"]
    if hub.dtype != np.float32 or hub.shape != (manifest.chunk_count,) or not np.isfinite(hub).all():
        return None
    return hub


class DenseRetriever:
    """Dense search over an index's chunks, scored per unit.

    `hub_weight`: how much of each chunk's hubness (`hubness`) is taken off its cosine
    before the z-scores; 0 turns the correction off. `hub`: the chunks' hubness as the build
    saved it (`chunk_hubness`), or None to compute it on first use. The raw cosines and the best z-score
    without the correction (`peak`) are kept for the scope model, which weighs how far the
    best passage stands out on what e5 measured.
    """

    def __init__(self, index: Index, unit_ids: Sequence[str], chunk_unit: np.ndarray,
                 axis: np.ndarray | None, pool: int = DENSE_POOL, hub_weight: float = 0.0,
                 hub: np.ndarray | None = None) -> None:
        if len(chunk_unit) != len(index.chunks):
            raise ValueError("chunk_unit needs one unit position per chunk")
        if pool < 1:
            raise ValueError(f"pool must be >= 1, got {pool}")
        if not np.isfinite(hub_weight) or hub_weight < 0:
            raise ValueError(f"hub_weight must be a finite number >= 0, got {hub_weight!r}")
        if hub is not None and np.shape(hub) != (len(index.chunks),):
            raise ValueError("hub needs one hubness per chunk")
        self.index = index
        self.unit_ids = list(unit_ids)
        self.chunk_unit = np.asarray(chunk_unit, dtype=np.int64)
        self.english = np.array([c.lang == "en" for c in index.chunks], dtype=bool)
        self.sentence = np.array([is_sentence(c) for c in index.chunks], dtype=bool)
        self.axis = axis
        self.pool = pool
        self.hub_weight = float(hub_weight)
        self._hub = None if hub is None else np.asarray(hub, dtype=np.float32)

    @property
    def hub(self) -> np.ndarray:
        """Each chunk's hubness: the build's, or computed on first use (`chunk_hubness`)."""
        if self._hub is None:
            self._hub = chunk_hubness(self.index)
        return self._hub

    def sentence_spans(self, vector: np.ndarray, unit_id: str, lang: str,
                       text: str) -> list[tuple[float, int, int]]:
        """The cosine of `vector` to each embedded sentence and clause the index holds for
        one side of a unit, with that sentence's character span in `text` (the side's text):
        which of its sentences answers the question, as e5 reads it. Empty for a side
        indexed whole only (an act's provisions) or a text the sentences are not found in."""
        rows = self.sentence_rows.get((unit_id, lang))
        if not rows:
            return []
        vectors = self.index.dense.vectors(np.asarray(rows, dtype=np.int64))
        out: list[tuple[float, int, int]] = []
        for row, vec, cosine in zip(rows, vectors, vectors @ vector, strict=True):
            if not vec.any():  # indexed for its words only
                continue
            found = _span_in(self.index.chunks[row].text, text)
            if found is not None:
                out.append((float(cosine), *found))
        return out

    @cached_property
    def sentence_rows(self) -> dict[tuple[str, str], list[int]]:
        """The sentence and clause chunks' rows of each (unit, language), on first use."""
        rows: dict[tuple[str, str], list[int]] = {}
        for row, chunk in enumerate(self.index.chunks):
            if is_sentence(chunk):
                rows.setdefault((chunk.unit_id, chunk.lang), []).append(row)
        return rows

    def gap(self, vector: np.ndarray) -> float | None:
        """e5's same-language advantage for this question (negative: French), or None."""
        return None if self.axis is None else float(self.axis @ vector)

    def search(self, vector: np.ndarray) -> DenseHits:
        positions, scores = self.index.dense.search(vector, min(len(self.index), self.pool))
        positions = positions.astype(np.int64)
        units = self.chunk_unit[positions]
        gap = self.gap(vector)
        ranked = scores - self.hub_weight * self.hub[positions] if self.hub_weight else scores
        z = standardise(ranked, self.english[positions], gap)
        peak = z if ranked is scores else standardise(scores, self.english[positions], gap)
        whole = ~self.sentence[positions]
        passage = standardise(ranked[whole], self.english[positions[whole]], gap)
        return DenseHits(raw=best_per_unit(self.unit_ids, units, scores),
                         passage=best_per_unit(self.unit_ids, units[whole], passage),
                         sentence=best_per_unit(self.unit_ids, units, z),
                         peak=float(peak.max()) if len(peak) else 0.0)


def _span_in(piece: str, text: str) -> tuple[int, int] | None:
    """Where the chunk text `piece` lies in `text`; a commentary sentence is indexed after
    lines naming its place and heading, which the passage's text does not hold."""
    piece = piece.strip()
    while piece:
        start = text.find(piece)
        if start >= 0:
            return start, start + len(piece)
        if "\n" not in piece:
            return None
        piece = piece.split("\n", 1)[1].strip()
    return None


class LexicalRetriever:
    """BM25 over the index's words, best chunk per unit, units in the order of their best
    chunk (in arrays: a common word matches thousands of chunks)."""

    def __init__(self, index: Index, unit_ids: Sequence[str], chunk_unit: np.ndarray,
                 pool: int = LEXICAL_POOL) -> None:
        if len(chunk_unit) != len(index.chunks):
            raise ValueError("chunk_unit needs one unit position per chunk")
        if pool < 1:
            raise ValueError(f"pool must be >= 1, got {pool}")
        self.pool = pool
        self.index = index
        self.unit_ids = list(unit_ids)
        self.chunk_unit = np.asarray(chunk_unit, dtype=np.int64)

    def search(self, query: str, language: str) -> dict[str, float]:
        if language not in ("fr", "en"):
            raise ValueError(f"language must be 'fr' or 'en', got {language!r}")
        # Hits come best first, so units come in the order of their best hit: the first
        # `pool` are the best. A common word matches thousands of units; the others cannot
        # reach an answer's results, and fusing them all costs milliseconds.
        return self.per_unit(*self.index.lexical.search(query, language, len(self.index)),
                             limit=self.pool)

    def per_unit(self, positions: np.ndarray, scores: np.ndarray,
                 limit: int | None = None) -> dict[str, float]:
        """Each unit's best score among its chunks' (`positions`), units in the order their
        first chunk comes (the first `limit` of them when given)."""
        units = self.chunk_unit[np.asarray(positions, dtype=np.int64)]
        values = np.asarray(scores, dtype=np.float64)
        found, first = np.unique(units, return_index=True)
        order = np.argsort(first)[:limit]
        if np.all(values[1:] <= values[:-1]):  # best first (as searches return): first is best
            best = values[first[order]]
        else:
            most = np.full(len(found), -np.inf)
            np.maximum.at(most, np.searchsorted(found, units), values)
            best = most[order]
        return dict(zip(map(self.unit_ids.__getitem__, found[order].tolist()), best.tolist(),
                        strict=True))
