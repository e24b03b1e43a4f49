"""FAISS inner-product index over unit vectors: exact below a size threshold, HNSW above it."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from indexer.errors import ChunkError, IndexCorruptError, IndexMissingError, QueryError

FLAT = "flat"
HNSW = "hnsw"


class DenseIndex:
    """Cosine search (inner product of L2-normalised vectors); row i is chunk i."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

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
        scores, positions = self.index.search(vector, min(k, len(self)))
        keep = positions[0] >= 0
        return positions[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        """The stored vectors of rows `positions` (flat and HNSW indexes both keep them)."""
        rows = [self.index.reconstruct(int(p)) for p in positions]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), np.float32)

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
