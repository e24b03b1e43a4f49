"""Section-level aggregation, with synthetic scores: an act's provisions count for their section."""

from __future__ import annotations

import pytest

from bot.sections import Sections, SectionWeights

GROUPS = {"A.1.1": "A/1", "A.1.2": "A/1", "A.1.3": "A/1", "A.2.1": "A/2", "A.3.1": "A/3"}


def test_one_unit_per_section_before_the_next_unit_of_any() -> None:
    ranked = [("A.1.1", 0.9), ("A.1.2", 0.8), ("A.1.3", 0.7), ("A.2.1", 0.6), ("A.3.1", 0.5)]
    out = Sections(GROUPS).aggregate(ranked)
    assert [uid for uid, _ in out] == ["A.1.1", "A.2.1", "A.3.1", "A.1.2", "A.1.3"]
    assert {uid for uid, _ in out} == {uid for uid, _ in ranked}


def test_a_section_with_several_matching_provisions_outranks_a_single_match() -> None:
    ranked = [("A.2.1", 0.80), ("A.1.1", 0.78), ("A.1.2", 0.70)]
    out = Sections(GROUPS, SectionWeights(support=0.15)).aggregate(ranked)
    assert out[0][0] == "A.1.1" and out[0][1] == pytest.approx(0.78 + 0.15 * 0.70)
    assert [uid for uid, _ in out][:2] == ["A.1.1", "A.2.1"]


def test_close_second_unit_stays_beside_its_first() -> None:
    ranked = [("A.1.1", 0.90), ("A.1.2", 0.88), ("A.2.1", 0.50)]
    out = Sections(GROUPS, SectionWeights(support=0.0, close=0.05)).aggregate(ranked)
    assert [uid for uid, _ in out] == ["A.1.1", "A.1.2", "A.2.1"]


def test_units_outside_sections_keep_their_order() -> None:
    ranked = [("L1.I.1", 0.9), ("doc.p3", 0.85), ("L1.I.2", 0.8)]
    assert Sections(GROUPS).aggregate(ranked) == ranked
    assert Sections({}).aggregate(ranked) == ranked
    assert Sections(GROUPS).aggregate([]) == []


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="support"):
        SectionWeights(support=-1)


def test_only_the_pool_is_regrouped() -> None:
    ranked = [("A.1.1", 0.9), ("A.1.2", 0.8), ("A.2.1", 0.7), ("A.3.1", 0.6)]
    out = Sections(GROUPS, SectionWeights(close=0.0, pool=2)).aggregate(ranked)
    assert [uid for uid, _ in out] == ["A.1.1", "A.1.2", "A.2.1", "A.3.1"]
    with pytest.raises(ValueError, match="pool"):
        SectionWeights(pool=0)
