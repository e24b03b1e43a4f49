"""The dense and lexical retrievers on synthetic vectors and scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.retrievers import (
    DenseRetriever,
    LexicalRetriever,
    best_per_unit,
    hubness,
    language_axis,
    standardise,
)
from indexer.chunk import Chunk


def test_best_per_unit_keeps_each_units_best_chunk() -> None:
    out = best_per_unit(["a", "b", "c"], np.array([0, 0, 1]), np.array([0.2, 0.7, -1.0]))
    assert out == {"a": 0.7, "b": -1.0}  # "c" has no chunk among the hits
    mixed = best_per_unit(["a", "b", "c", "d"], np.array([2, 0, 2, 3, 0]),
                          np.array([0.1, 0.3, 0.9, -np.inf, 0.5]))
    assert list(mixed.items()) == [("a", 0.5), ("c", 0.9)]  # in unit order; no finite score: out
    with pytest.raises(ValueError, match="one unit position per value"):
        best_per_unit(["a"], np.array([0, 0]), np.array([1.0]))
    with pytest.raises(ValueError, match="outside"):
        best_per_unit(["a"], np.array([3]), np.array([1.0]))


def test_standardise_takes_the_language_gap_out() -> None:
    scores = np.array([0.90, 0.80, 0.84, 0.74])  # the same two texts, English then French
    english = np.array([True, True, False, False])
    # e5 likes the English side 0.06 better for this question: once corrected, each French
    # side scores as its English twin
    z = standardise(scores, english, gap=0.06)
    assert z[0] == pytest.approx(z[2]) and z[1] == pytest.approx(z[3])
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
    apart = standardise(scores, english, gap=None)  # no aligned units: each language apart
    assert apart[0] == pytest.approx(apart[2]) and apart[0] > apart[1]
    with pytest.raises(ValueError, match="one language flag per score"):
        standardise(scores, english[:2], gap=None)


class _Dense:
    def __init__(self, vectors: np.ndarray) -> None:
        self.rows = vectors

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        sims = self.rows @ vector
        order = np.argsort(-sims)[:k]
        return order, sims[order]

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        return self.rows[positions]


class _Index:
    """Four chunks of two aligned units; English vectors carry a same-language bonus axis."""

    def __init__(self) -> None:
        self.chunks = [Chunk("u1:fr", "u1", "fr", "statute", "un"),
                       Chunk("u1:en", "u1", "en", "statute", "one"),
                       Chunk("u2:fr", "u2", "fr", "statute", "deux"),
                       Chunk("u2:en", "u2", "en", "statute", "two"),
                       Chunk("u3:en:s1", "u3", "en", "statute", "three, a sentence")]
        self.dense = _Dense(np.array([[1, 0, 0], [1, 0, 0.5], [0, 1, 0], [0, 1, 0.5],
                                      [0, 0.9, 0.5]], dtype=np.float32))
        self.lexical = self

    def __len__(self) -> int:
        return len(self.chunks)

        self.lexical = self

    def search(self, query: str, language: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 stand-in: (positions, scores) of the chunks in `language`, best first."""
        hits = sorted(((2.0 if c.text.startswith(query) else 1.0, i)
                       for i, c in enumerate(self.chunks) if c.lang == language),
                      key=lambda h: (-h[0], h[1]))[:k]
        return np.array([i for _, i in hits]), np.array([s for s, _ in hits])


def test_dense_retriever_corrects_the_gap_and_keeps_passages_apart() -> None:
    index: Any = _Index()
    axis = language_axis(index, ["u1", "u2"])
    assert axis is not None and axis[2] == pytest.approx(0.5)  # measured on the pairs
    retriever = DenseRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), axis)
    question = np.array([0.0, 1.0, 0.3], dtype=np.float32)  # about u2, slightly "English"
    hits = retriever.search(question)
    assert max(hits.raw, key=hits.raw.__getitem__) == "u2"
    assert "u3" in hits.sentence and "u3" not in hits.passage  # only a sentence of u3 is indexed
    assert retriever.gap(question) == pytest.approx(0.15)
    with pytest.raises(ValueError, match="one unit position per chunk"):
        DenseRetriever(index, ["u1", "u2"], np.array([0, 1]), axis)


def _unit(*parts: float) -> list[float]:
    vector = np.array(parts, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def test_hubness_is_closeness_to_other_units_only() -> None:
    # u0 sits between u1, u2 and u3 (a passage naming every part of a scheme); u4 is far
    # from all; u1 has a translation (same unit) identical to itself; the last row is zero.
    rows = np.array([_unit(1, 1, 1, 0), _unit(1, 0.2, 0, 0), _unit(0.2, 1, 0, 0),
                     _unit(0, 0.2, 1, 0), _unit(0, 0, 0, 1), _unit(1, 0.2, 0, 0), [0, 0, 0, 0]],
                    dtype=np.float32)
    units = np.array([0, 1, 2, 3, 4, 1, 5])
    hub = hubness(rows, units, k=2)
    assert hub[-1] == 0.0  # a text indexed for its words only
    assert hub[0] == hub[:-1].max() and hub[4] == hub[:-1].min()
    assert hub[:-1].mean() == pytest.approx(0.0, abs=1e-6)
    # had u1's translation counted, u1 would look as generic as the hub
    assert hub[1] < hub[0] and hub[1] == pytest.approx(hub[5])
    assert not hubness(rows[:2], units[:2], k=2).any()  # each is the other's only neighbour
    with pytest.raises(ValueError, match="one unit position per row"):
        hubness(rows, units[:3])
    with pytest.raises(ValueError, match="k must be"):
        hubness(rows, units, k=0)


def test_dense_retriever_takes_hubness_off_the_ranking_not_the_raw_cosine() -> None:
    index: Any = _Index()
    plain = DenseRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), None)
    corrected = DenseRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), None,
                               hub_weight=1.0)
    # u3's sentence is near u2's English side: the most generic chunk of the three units
    assert corrected.hub.argmax() == 4
    question = np.array([0.0, 1.0, 0.45], dtype=np.float32)
    before, after = plain.search(question), corrected.search(question)
    # the scope model reads the cosines, and how far the best stands out, as e5 measured them
    assert after.raw == before.raw and after.peak == pytest.approx(before.peak)
    assert after.sentence["u3"] < before.sentence["u3"]
    for weight in (-0.1, float("nan")):
        with pytest.raises(ValueError, match="hub_weight"):
            DenseRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), None,
                           hub_weight=weight)


def test_lexical_retriever_keeps_each_units_best_chunk() -> None:
    index: Any = _Index()
    retriever = LexicalRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]))
    found = retriever.search("two", "en")
    assert found == {"u1": 1.0, "u2": 2.0, "u3": 1.0} and next(iter(found)) == "u2"
    with pytest.raises(ValueError, match="language"):
        retriever.search("two", "de")
    with pytest.raises(ValueError, match="one unit position per chunk"):
        LexicalRetriever(index, ["u1"], np.array([0]))


def test_lexical_retriever_keeps_the_best_pool_of_units() -> None:
    index: Any = _Index()
    retriever = LexicalRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), pool=1)
    assert retriever.search("two", "en") == {"u2": 2.0}
    with pytest.raises(ValueError, match="pool"):
        LexicalRetriever(index, ["u1", "u2", "u3"], np.array([0, 0, 1, 1, 2]), pool=0)


def test_sentence_spans_give_each_embedded_sentence_its_closeness_and_place() -> None:
    text = "First sentence here. Second one, about pay."
    index: Any = _Index()
    index.chunks = [Chunk("p:en", "p", "en", "commentary", f"Place\nHeading\n{text}"),
                    Chunk("p:en:s1", "p", "en", "commentary", "Place\nHeading\nFirst sentence here."),
                    Chunk("p:en:s2", "p", "en", "commentary", "Place\nHeading\nSecond one, about pay."),
                    Chunk("p:en:c1", "p", "en", "commentary", "a clause not in the text"),
                    Chunk("p:en:s3", "p", "en", "commentary", "Second one")]
    index.dense = _Dense(np.array([[0.6, 0.8], [1, 0], [0, 1], [0, 1], [0, 0]], dtype=np.float32))
    retriever = DenseRetriever(index, ["p"], np.zeros(5, dtype=np.int64), None)
    spans = retriever.sentence_spans(np.array([0.0, 1.0], dtype=np.float32), "p", "en", text)
    # the heading lines the sentences were indexed under are not in the passage's text; a
    # chunk not found in it and a chunk with no vector (indexed for its words) give nothing
    assert spans == [(0.0, 0, 20), (1.0, 21, 43)]
    assert retriever.sentence_spans(np.ones(2, dtype=np.float32), "p", "fr", text) == []
