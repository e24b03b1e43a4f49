"""FAISS backends with random normalised vectors: exact and HNSW find the nearest row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from indexer_support import random_unit_vectors

from indexer.dense import FLAT, HNSW, DenseIndex
from indexer.errors import IndexCorruptError, IndexMissingError, QueryError


def _noisy(row: np.ndarray, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).standard_normal(row.shape).astype(np.float32) * 0.05
    query = row + noise
    return query / np.linalg.norm(query)


@pytest.mark.parametrize(("threshold", "kind"), [(20_000, FLAT), (100, HNSW)])
def test_nearest_neighbour_is_found(threshold: int, kind: str) -> None:
    vectors = random_unit_vectors(2000, 48)
    index = DenseIndex.build(vectors, hnsw_threshold=threshold)
    assert index.kind == kind and len(index) == 2000 and index.dim == 48
    for target in (0, 517, 1999):
        positions, scores = index.search(_noisy(vectors[target], target), 5)
        assert positions[0] == target
        assert list(scores) == sorted(scores, reverse=True)
        assert scores[0] == pytest.approx(float(vectors[target] @ _noisy(vectors[target], target)),
                                          abs=1e-4)


@pytest.mark.parametrize("threshold", [20_000, 10])
def test_save_and_load_keep_results(tmp_path: Path, threshold: int) -> None:
    vectors = random_unit_vectors(300, 16, seed=3)
    index = DenseIndex.build(vectors, hnsw_threshold=threshold, ef_search=64)
    index.save(tmp_path / "dense.faiss")
    loaded = DenseIndex.load(tmp_path / "dense.faiss")
    assert loaded.kind == index.kind
    for before, after in zip(index.search(vectors[7], 10), loaded.search(vectors[7], 10),
                             strict=True):
        np.testing.assert_array_equal(before, after)


def test_k_larger_than_the_index_returns_every_row() -> None:
    positions, _ = DenseIndex.build(random_unit_vectors(3, 8)).search(np.ones(8), 50)
    assert sorted(positions.tolist()) == [0, 1, 2]


def test_wrong_query_dimension_and_bad_k_are_refused() -> None:
    index = DenseIndex.build(random_unit_vectors(3, 8))
    with pytest.raises(QueryError, match="4 dimensions, the index has 8"):
        index.search(np.ones(4), 1)
    with pytest.raises(QueryError, match="got 0"):
        index.search(np.ones(8), 0)


def test_missing_and_corrupt_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="dense.faiss is missing"):
        DenseIndex.load(tmp_path / "dense.faiss")
    (tmp_path / "dense.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexCorruptError, match="corrupt.*bilex build"):
        DenseIndex.load(tmp_path / "dense.faiss")


@pytest.mark.parametrize("threshold", [20_000, 10])
def test_stored_vectors_come_back(threshold: int) -> None:
    vectors = random_unit_vectors(50, 8, seed=5)
    index = DenseIndex.build(vectors, hnsw_threshold=threshold)
    assert np.allclose(index.vectors(np.array([3, 0, 49])), vectors[[3, 0, 49]], atol=1e-6)
    assert index.vectors(np.array([], dtype=np.int64)).shape == (0, 8)


def test_zero_rows_are_left_out_of_the_search_and_ranked_as_a_full_search_would() -> None:
    """An act's provisions have zero vectors: the exact index searches the other rows only,
    with the same scores and order as FAISS over every row (zero rows scoring 0)."""
    import faiss

    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(400, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[rng.random(400) < 0.75] = 0
    full = faiss.IndexFlatIP(16)
    full.add(vectors)
    index = DenseIndex.build(vectors)
    assert index._live is not None and len(index._live) < 400
    for k in (1, 10, 90, 120, 300, 400):
        query = rng.normal(size=16).astype(np.float32)
        query /= np.linalg.norm(query)
        positions, scores = index.search(query, k)
        want_scores, want = full.search(query.reshape(1, -1), k)
        assert np.allclose(scores, want_scores[0], atol=1e-6)
        nonzero = want_scores[0] != 0
        assert positions[scores != 0].tolist() == want[0][nonzero].tolist()
        assert not set(positions[scores == 0].tolist()) & set(index._live.tolist())
    assert np.array_equal(index.vectors(np.array([0, 7, 399])), vectors[[0, 7, 399]])


@pytest.mark.parametrize("threshold", [10, 20_000])
def test_a_query_is_searched_on_one_faiss_thread_and_the_caller_keeps_its_setting(
        threshold: int) -> None:
    """A spinning FAISS team slowed the next query embedding by half in a measured loop. An
    exact index is scanned by FAISS too (on one thread): in one process on two acts, the
    search took 0.35 ms against 0.56 ms for a NumPy product over the rows with a partial sort."""
    import faiss

    index = DenseIndex.build(random_unit_vectors(50, 8), hnsw_threshold=threshold)
    assert index.kind == ("hnsw" if threshold == 10 else "flat")
    seen: list[int] = []
    real = index._searched

    class Recording:
        d = real.d
        ntotal = real.ntotal

        def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
            seen.append(faiss.omp_get_max_threads())
            return real.search(vector, k)

    index._searched = Recording()  # type: ignore[assignment]
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    try:
        positions, _ = index.search(np.ones(8), 3)
        assert seen == [1] and len(positions) == 3
        assert faiss.omp_get_max_threads() == 2
    finally:
        faiss.omp_set_num_threads(before)


def test_an_exact_index_finds_what_faiss_finds_best_first_equal_scores_in_row_order() -> None:
    """The exact search (FAISS's scan of the rows that hold a vector) returns FAISS's flat
    search's scores over every row, for k below, at and above the row count, zero rows after the positive
    scores, and duplicates (equal scores) in row order (FAISS's heap gave them last first)."""
    import faiss

    vectors = random_unit_vectors(300, 16, seed=5)
    vectors[40] = vectors[7]  # a text indexed twice: equal scores
    vectors[200] = vectors[7]
    vectors[100:150] = 0  # rows indexed for their words only
    index = DenseIndex.build(vectors)
    assert index.kind == "flat"
    plain = faiss.IndexFlatIP(16)
    plain.add(vectors)
    for query in (vectors[7], random_unit_vectors(1, 16, seed=9)[0]):
        for k in (1, 5, 60, 300, 400):
            positions, scores = index.search(query, k)
            want_scores, _ = plain.search(query.reshape(1, -1), min(k, 300))
            assert np.allclose(scores, want_scores[0], atol=1e-5)
            assert len(positions) == min(k, 300) == len(set(positions.tolist()))
    positions, _ = index.search(vectors[7], 3)
    assert positions.tolist() == [7, 40, 200]
