"""FAISS inner-product index over unit vectors: exact below a size threshold, HNSW above it."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from indexer.errors import ChunkError, IndexCorruptError, IndexMissingError, QueryError

FLAT = "flat"
HNSW = "hnsw"


class DenseIndex:
    """Cosine search (inner product of L2-normalised vectors); row i is chunk i.

    Rows left at zero (texts indexed for their words only, such as an act's provisions) score
    0 for every query: an exact index searches only the others (`_live`), which for a corpus
    of acts is a fraction of the rows, and ranks zero rows after them as the full search
    would (vectors of a real model score above 0 for any query).
    """

    def __init__(self, index: faiss.Index) -> None:
        self.index = index
        # An exact index is scanned by FAISS on one thread (`search`), over the rows that hold
        # a vector only. Against a NumPy product over the same rows with a partial sort, each
        # of 600 marginal notes asked both ways in alternating order in one process, twice:
        # the search alone 0.35 against 0.56 ms, ask 0.26 / 0.28 ms less at the paired median
        # on two acts (3,011 rows scanned) and 0.74 / 0.81 ms on five (6,706). The NumPy
        # product had been chosen when FAISS searched on its OpenMP team (1.1 ms against
        # 0.46 ms over 6,700 rows).
        self._searched: faiss.Index = index  # what a query scans
        self._live: np.ndarray | None = None  # positions the scanned rows stand for
        self._exact = isinstance(index, faiss.IndexFlatIP)
        if isinstance(index, faiss.IndexFlatIP) and index.ntotal:
            # a view of FAISS's own storage, not a copy
            vectors = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d).reshape(
                index.ntotal, index.d)
            live = np.flatnonzero(np.any(vectors != 0, axis=1))
            if len(live) < index.ntotal:
                self._searched = faiss.IndexFlatIP(index.d)
                if len(live):
                    self._searched.add(np.ascontiguousarray(vectors[live]))
                self._live = live

    @classmethod
    def build(cls, vectors: np.ndarray, *, hnsw_threshold: int = 20_000, hnsw_m: int = 32,
              ef_construction: int = 200, ef_search: int = 128) -> DenseIndex:
        """IndexFlatIP for fewer than `hnsw_threshold` rows, IndexHNSWFlat (IP) otherwise."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] == 0 or vectors.shape[1] == 0:
            raise ChunkError(f"dense index needs a non-empty (n, dim) matrix, got shape "
                             f"{vectors.shape}")
        dim = vectors.shape[1]
        index: faiss.Index
        if vectors.shape[0] < hnsw_threshold:
            index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = ef_search
        index.add(vectors)
        return cls(index)

    @property
    def kind(self) -> str:
        """"hnsw" or "flat"."""
        return HNSW if isinstance(self.index, faiss.IndexHNSW) else FLAT

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(positions, scores) of the `k` best rows, best first; fewer if the index is small."""
        if k < 1:
            raise QueryError(f"k must be at least 1, got {k!r}")
        vector = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        if vector.shape[1] != self.dim:
            raise QueryError(f"query vector has {vector.shape[1]} dimensions, the index has "
                             f"{self.dim}: embed the query with the index's model")
        k = min(k, len(self))
        # One query gains nothing from FAISS's OpenMP team, whose workers then spin for
        # milliseconds beside the next query embedding (the setting is per calling thread).
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self._search(vector, k)
        finally:
            faiss.omp_set_num_threads(threads)

    def _search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not self._exact:
            scores, positions = self._searched.search(vector, k)
            keep = positions[0] >= 0
            return positions[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)
        found, found_scores = _exact(self._searched, vector, k)
        live = self._live
        if live is None:
            return found, found_scores
        found = live[found]
        if len(found) < k or (len(found) and found_scores[-1] < 0):
            # the zero rows score 0: after the positive scores, before the negative ones
            zero = np.setdiff1d(np.arange(len(self)), live, assume_unique=True)[:k]
            cut = int(np.searchsorted(-found_scores, 0.0, side="right"))
            found = np.concatenate([found[:cut], zero, found[cut:]])[:k]
            found_scores = np.concatenate([found_scores[:cut], np.zeros(len(zero), np.float32),
                                           found_scores[cut:]])[:k]
        return found.astype(np.int64), found_scores

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        """The stored vectors of rows `positions` (flat and HNSW indexes both keep them)."""
        keys = np.ascontiguousarray(np.asarray(positions, dtype=np.int64))
        if not len(keys):
            return np.zeros((0, self.dim), np.float32)
        return np.asarray(self.index.reconstruct_batch(keys), dtype=np.float32).reshape(
            len(keys), self.dim)

    def save(self, path: str | Path) -> None:
        """Write with faiss.write_index (callers write into a temporary directory)."""
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: str | Path, *, ef_search: int | None = None) -> DenseIndex:
        """Read a file written by `save`; clear errors for a missing or corrupt file."""
        path = Path(path)
        if not path.is_file():
            raise IndexMissingError(str(path.parent), f"FAISS file {path.name} is missing: "
                                    "run `bilex build`")
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(str(path.parent), f"FAISS file {path.name} is corrupt or "
                                    "truncated: run `bilex build`") from exc
        if ef_search is not None and isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = ef_search
        return cls(index)


def _exact(index: faiss.Index, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and scores of the `k` best rows of a flat index, best first, equal scores (a text
    indexed twice) in row order, whatever the machine (FAISS's heap gave them last first)."""
    k = min(k, int(index.ntotal))
    if k < 1:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    scores, rows = index.search(vector, k)
    rows, scores = rows[0], scores[0]
    order = np.lexsort((rows, -scores))
    return rows[order].astype(np.int64), scores[order].astype(np.float32)
