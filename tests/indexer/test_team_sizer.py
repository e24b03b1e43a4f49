"""`TeamSizer`: which OpenMP team size the engine embeds a query on, from measured times
(synthetic times; the real engine is in test_real_embedders.py)."""

from __future__ import annotations

import pytest

from indexer.embedders import TeamSizer

QUIET = {2: 0.16e-3, 1: 0.28e-3}  # seconds per character, as measured on two cores
CROWDED = {2: 6.8e-3, 1: 0.5e-3}  # beside another process computing on its own team


def run(sizer: TeamSizer, costs: dict[int, float], queries: int) -> list[int]:
    """The sizes the sizer picked for `queries` fifty-character queries costing `costs`."""
    picked = []
    for _ in range(queries):
        size = sizer.next()
        sizer.record(size, costs[size] * 50, 50)
        picked.append(size)
    return picked


def test_the_faster_team_answers_and_the_other_is_tried_less_and_less_often() -> None:
    sizer = TeamSizer((2, 1), every=4, longest=32)
    picked = run(sizer, QUIET, 200)
    assert picked[:2] == [2, 1]  # each size measured once first
    assert sizer.best == 2
    tries = [i for i, n in enumerate(picked[2:], start=2) if n == 1]
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert gaps[:3] == [8, 16, 32] and set(gaps[3:]) == {32}  # doubling, up to `longest`
    assert picked.count(1) <= 10


def test_a_crowded_machine_moves_the_queries_to_one_thread_at_once_and_back_after_a_try() -> None:
    sizer = TeamSizer((2, 1), every=4, longest=16)
    run(sizer, QUIET, 50)
    assert sizer.best == 2
    crowded = run(sizer, CROWDED, 100)
    assert crowded[1:].count(2) <= 100 // 16 + 2  # one slow query, then the tries only
    assert sizer.best == 1
    quiet_again = run(sizer, QUIET, 40)
    assert quiet_again.index(2) <= 16  # the next try of two threads, within `longest`
    assert sizer.best == 2 and quiet_again[-8:].count(2) >= 7


def test_one_size_is_always_picked_and_bad_arguments_are_refused() -> None:
    single = TeamSizer((1,))
    assert run(single, QUIET, 20) == [1] * 20
    assert TeamSizer((2, 2, 1)).sizes == (2, 1)
    for bad in ((), (0,), (2, "1")):
        with pytest.raises(ValueError):
            TeamSizer(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TeamSizer((2, 1), every=0)
    with pytest.raises(ValueError):
        TeamSizer((2, 1), every=8, longest=4)
    with pytest.raises(ValueError):
        TeamSizer((2, 1), weight=0)
    with pytest.raises(ValueError):
        single.record(3, 0.01, 10)
