"""Related passages: for a unit or commentary passage, the others whose text is nearest to it
(mean of its whole-passage vectors, both sides for an aligned unit; cosine).

A passage indexed for its words only (an act's provision: its vector is zero) has no nearest
passages, and is nobody's: cosine with a zero vector says nothing.
"""

from __future__ import annotations

import numpy as np

from indexer.store import Index, embedded_rows

RELATED = 3  # related passages shown per result
_BLOCK = 1024  # rows of the all-pairs product at a time (a 1024 x units table)


class Related:
    """Nearest passages by the index's own vectors (computed once, lazily). The RELATED
    nearest of every passage are found in one pass when first needed (2,630 passages with a
    vector on five acts: 0.07 s), so an answer looks them up instead of reading every
    passage's vector again (1.1 ms per answer on five acts)."""

    def __init__(self, index: Index, unit_ids: list[str], chunk_unit: np.ndarray,
                 whole: np.ndarray) -> None:
        self.index = index
        self.unit_ids = unit_ids
        self.chunk_unit = chunk_unit
        self.whole = whole
        self._matrix: np.ndarray | None = None
        self._live = np.zeros(0, dtype=np.int64)  # rows of the matrix with a vector
        self._row = {uid: i for i, uid in enumerate(unit_ids)}
        self._nearest: dict[str, list[str]] | None = None  # uid -> its RELATED nearest

    def _vectors(self) -> np.ndarray:
        if self._matrix is None:
            # zero rows add nothing to any unit
            positions, vectors = embedded_rows(self.index, np.flatnonzero(self.whole))
            matrix = np.zeros((len(self.unit_ids), vectors.shape[1] if len(vectors) else 1),
                              dtype=np.float32)
            units = self.chunk_unit[positions]
            order = np.argsort(units, kind="stable")  # each unit's chunks together, in order
            ordered = units[order]
            if len(ordered):  # one sum per unit (np.add.at took a fifth of a second on acts)
                starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
                matrix[ordered[starts]] = np.add.reduceat(vectors[order], starts, axis=0)
            norms = np.linalg.norm(matrix, axis=1)
            live = np.flatnonzero(norms > 0)
            self._live = live
            self._matrix = np.ascontiguousarray(matrix[live] / norms[live, None])
        return self._matrix

    def of(self, uid: str, n: int = RELATED) -> list[str]:
        """The `n` passages nearest to `uid` (not itself); none for a passage without a vector."""
        return self.of_many([uid], n)[uid]

    def of_many(self, uids: list[str], n: int = RELATED) -> dict[str, list[str]]:
        """`of` for several passages: looked up for RELATED, else in one pass over the matrix
        (a pass reads every unit's vector: on acts, tens of megabytes)."""
        found: dict[str, list[str]] = {uid: [] for uid in uids}
        if n <= 0:
            return found
        if n == RELATED:
            nearest = self.nearest()
            return {uid: list(nearest.get(uid, ())) for uid in found}
        return self._scan(found, n)

    def nearest(self) -> dict[str, list[str]]:
        """Every passage with a vector -> its RELATED nearest, best first (made on first use,
        during the warm-up)."""
        if self._nearest is None:
            matrix = self._vectors()
            n = min(RELATED, len(matrix) - 1)
            nearest: dict[str, list[str]] = {}
            for start in range(0, len(matrix) if n > 0 else 0, _BLOCK):
                table = matrix[start:start + _BLOCK] @ matrix.T  # (block, units)
                rows = np.arange(len(table))
                table[rows, rows + start] = -np.inf  # not itself
                top = np.argpartition(-table, n - 1, axis=1)[:, :n]
                scores = np.take_along_axis(table, top, axis=1)
                order = np.argsort(-scores, axis=1, kind="stable")
                best = np.take_along_axis(top, order, axis=1)
                for row in rows:
                    nearest[self.unit_ids[self._live[start + row]]] = [
                        self.unit_ids[self._live[i]] for i in best[row]]
            self._nearest = nearest
        return self._nearest

    def _scan(self, found: dict[str, list[str]], n: int) -> dict[str, list[str]]:
        matrix = self._vectors()
        rows: list[tuple[str, int]] = []
        for uid in found:
            row = self._row.get(uid)
            if row is None:
                continue
            at = int(np.searchsorted(self._live, row))
            if at < len(self._live) and self._live[at] == row:
                rows.append((uid, at))
        n = min(n, len(matrix) - 1)
        if not rows or n <= 0:
            return found
        table = matrix @ matrix[[at for _, at in rows]].T  # (units, asked)
        for column, (uid, at) in enumerate(rows):
            scores = table[:, column]
            scores[at] = -np.inf
            top = np.argpartition(-scores, n - 1)[:n]
            best = top[np.argsort(-scores[top], kind="stable")]
            found[uid] = [self.unit_ids[self._live[i]] for i in best if np.isfinite(scores[i])]
        return found
