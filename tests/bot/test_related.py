"""Related passages on synthetic vectors: nearest by cosine, several asked in one pass."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.related import Related


class _Dense:
    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        return self.rows[positions]


class _Index:
    def __init__(self, rows: np.ndarray) -> None:
        self.dense = _Dense(rows)


def _related(seed: int = 3) -> Related:
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(40, 8)).astype(np.float32)
    rows[[6, 7, 30]] = 0  # chunks indexed for their words only (both of unit 3)
    units = np.repeat(np.arange(20), 2)  # two chunks per unit
    index: Any = _Index(rows)
    return Related(index, [f"u{i}" for i in range(20)], units, np.ones(40, dtype=bool))


def test_nearest_passages_by_cosine_of_the_mean_vector() -> None:
    related = _related()
    rows = related.index.dense.rows
    mean = np.stack([rows[2 * i] + rows[2 * i + 1] for i in range(20)])
    mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
    sims = mean @ mean[0]
    sims[0] = -np.inf
    sims[3] = -np.inf  # unit 3's chunks are both zero: no vector, nobody's neighbour
    assert related.of("u0") == [f"u{i}" for i in np.argsort(-sims)[:3]]
    assert related.of("u3") == [] and "u3" not in related.of("u1", n=19)
    assert related.of("unknown") == [] and related.of("u0", n=0) == []


def test_several_passages_in_one_pass_give_what_one_at_a_time_gives() -> None:
    related = _related()
    asked = ["u4", "u0", "u3", "unknown", "u19", "u4"]
    together = related.of_many(asked, n=4)
    assert list(together) == ["u4", "u0", "u3", "unknown", "u19"]
    for uid in asked:
        assert together[uid] == related.of(uid, n=4)
    assert related.of_many([]) == {}


def test_the_table_made_once_gives_what_a_scan_gives() -> None:
    """The RELATED nearest of every passage are found in one all-pairs pass (in blocks) and
    looked up after; they are what scanning the matrix for each passage gives."""
    import bot.related as module

    for block in (7, 1024):  # several blocks, and one
        module._BLOCK, saved = block, module._BLOCK
        try:
            related = _related(seed=5)
            uids = [f"u{i}" for i in range(20)] + ["unknown"]
            looked_up = related.of_many(uids)
            scanned = related._scan({uid: [] for uid in uids}, module.RELATED)
            assert looked_up == scanned
            assert related._nearest is not None and "u3" not in related._nearest
            assert all(len(v) == module.RELATED for k, v in looked_up.items()
                       if k not in ("u3", "unknown"))
        finally:
            module._BLOCK = saved
