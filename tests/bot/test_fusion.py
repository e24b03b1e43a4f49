"""Fusion of the retrievers' {unit_id: score} maps, with synthetic scores."""

from __future__ import annotations

import math

import pytest

from bot.fusion import Weights, combine, fuse, law_first, lead_with, routed_first


def test_dense_and_lexical_add_with_named_weights() -> None:
    w = Weights(dense_passage=0.0, dense_sentence=3.0, lexical=1.0)
    ranked = fuse({"a": 0.0}, {"a": 1.0, "b": 0.0}, {"b": 4.0, "a": 2.0}, weights=w)
    assert ranked == [("a", 1.5), ("b", 1.0)]


def test_a_named_reference_outranks_everything_in_order() -> None:
    ranked = fuse({"a": 2.0}, {"a": 2.0}, {"a": 9.0}, routed=["x", "y"])
    assert [uid for uid, _ in ranked[:2]] == ["x", "y"]


def test_place_boost_only_for_retrieved_units() -> None:
    w = Weights(place=1.0)
    ranked = dict(fuse({"a": 0.0, "b": 0.0}, {}, {}, placed={"b", "zz"}, weights=w))
    assert ranked["b"] == pytest.approx(ranked["a"] + 1.0) and "zz" not in ranked
    many = frozenset(f"u{n}" for n in range(20_000)) | {"a"}  # a place's acts: thousands
    assert dict(fuse({"a": 0.0, "b": 0.0}, {}, {}, placed=many, weights=w)) == {
        "a": pytest.approx(1.0), "b": 0.0}
    with pytest.raises(TypeError, match="placed must be a set"):
        fuse({"a": 0.0}, {}, {}, placed={"a": 1.0})  # type: ignore[arg-type]


def test_law_leads_within_its_margin_only() -> None:
    ranked = [("c1", 1.0), ("law", 0.98), ("c2", 0.5), ("law2", 0.4)]
    is_law = {"law", "law2"}.__contains__
    assert [u for u, _ in law_first(ranked, is_law, 0.03)] == ["law", "c1", "c2", "law2"]
    assert [u for u, _ in law_first(ranked, is_law, 0.0)] == ["c1", "law", "c2", "law2"]
    assert law_first([], is_law, 0.1) == []


def test_combine_keeps_each_units_best_weighted_score() -> None:
    whole = [("a", 2.0), ("b", 1.0)]
    part = [("c", 3.0), ("a", 1.0)]
    assert combine([(1.0, whole), (0.5, part)]) == [("a", 2.0), ("c", 1.5), ("b", 1.0)]
    with pytest.raises(ValueError):
        combine([])


def test_lead_with_moves_one_unit_first() -> None:
    ranked = [("a", 2.0), ("b", 1.0), ("c", 0.5)]
    assert lead_with(ranked, "c") == [("c", 2.0), ("a", 2.0), ("b", 1.0)]
    assert lead_with(ranked, "zz") == ranked and lead_with(ranked, None) == ranked


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_weights_are_validated(bad: float) -> None:
    with pytest.raises(ValueError, match="lexical"):
        Weights(lexical=bad)


def test_scores_are_validated() -> None:
    with pytest.raises(ValueError, match="dense"):
        fuse({"a": math.nan}, {}, {})
    with pytest.raises(TypeError):
        fuse({}, {}, {}, routed="abc")
    with pytest.raises(ValueError):
        law_first([("a", 1.0)], bool, -0.1)


def _section(uid: str) -> str:
    return uid.rsplit(".", 1)[0]


def test_nothing_cited_leaves_the_ranking_as_it_is() -> None:
    ranked = [("X.12.3", 3.9), ("X.1.1", 1.6)]
    assert routed_first(ranked, [], _section) == ranked
    assert routed_first(ranked, ["Y.1.1"], _section) == ranked


def test_a_bare_reference_reads_each_cited_group_in_document_order() -> None:
    ranked = [("A.7.2", 3.5), ("B.7.1", 3.4), ("A.7.1", 3.2), ("B.7.2", 3.1), ("C.2.1", 1.0)]
    routed = ["A.7.1", "A.7.2", "B.7.1", "B.7.2"]
    ordered = routed_first(ranked, routed, _section)
    # document order, each group's first unit before any group's second; scores travel along
    assert ordered == [("A.7.1", 3.2), ("B.7.1", 3.4), ("A.7.2", 3.5), ("B.7.2", 3.1),
                       ("C.2.1", 1.0)]
    ranked = [("X.14.1", 3.9), ("X.12.1", 3.5), ("X.13.2", 3.3), ("X.13.1", 3.2)]
    routed = ["X.12.1", "X.13.1", "X.13.2", "X.14.1"]
    assert [u for u, _ in routed_first(ranked, routed, _section)] == [
        "X.12.1", "X.13.1", "X.14.1", "X.13.2"]
    with pytest.raises(TypeError):
        routed_first(ranked, "A.7.1", _section)

