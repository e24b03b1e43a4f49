"""Related passages: for a unit or commentary passage, the others whose text is nearest to it
(mean of its whole-passage vectors, both sides for an aligned unit; cosine)."""

from __future__ import annotations

import numpy as np

from indexer.store import Index


class Related:
    """Nearest passages by the index's own vectors (computed once, lazily)."""

    def __init__(self, index: Index, unit_ids: list[str], chunk_unit: np.ndarray,
                 whole: np.ndarray) -> None:
        self.index = index
        self.unit_ids = unit_ids
        self.chunk_unit = chunk_unit
        self.whole = whole
        self._matrix: np.ndarray | None = None
        self._row = {uid: i for i, uid in enumerate(unit_ids)}

    def _vectors(self) -> np.ndarray:
        if self._matrix is None:
            positions = np.flatnonzero(self.whole)
            vectors = self.index.dense.vectors(positions)
            matrix = np.zeros((len(self.unit_ids), vectors.shape[1] if len(vectors) else 1),
                              dtype=np.float32)
            np.add.at(matrix, self.chunk_unit[positions], vectors)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            self._matrix = matrix / np.where(norms > 0, norms, 1.0)
        return self._matrix

    def of(self, uid: str, n: int = 3) -> list[str]:
        """The `n` passages nearest to `uid` (not itself)."""
        row = self._row.get(uid)
        if row is None or n <= 0:
            return []
        matrix = self._vectors()
        scores = matrix @ matrix[row]
        scores[row] = -np.inf
        best = np.argsort(-scores)[:n]
        return [self.unit_ids[i] for i in best if np.isfinite(scores[i])]
