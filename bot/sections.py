"""Section-level retrieval for structured law: an act's provisions count for their section.

A question about a section's subject ("Complaint", "Benefit period") is answered by the
section as a whole: its marginal note, or any of its provisions, may carry the match. The
ranking therefore works on sections: each section scores as its best unit plus a share of what
its other units add, and the answer lists one unit per section (its best) before the next unit
of any section, so k results cover k sections rather than k provisions of one. The units
returned are still the cited provisions, best first within their section.

Units of sources that are not acts (articles cut into alinéas, commentary) are their own group
and keep their scores and order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from corpus.models import AlignedUnit, Corpus

Ranked = list[tuple[str, float]]


@dataclass(frozen=True)
class SectionWeights:
    """How a section's units combine into its score."""

    support: float = 0.15  # share of the second-best unit's score added to the section's
    close: float = 0.05  # a section's second unit stays beside its first within this score
    pool: int = 200  # ranked units regrouped (the rest follow in their order): answers are short

    def __post_init__(self) -> None:
        for name in ("support", "close"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"section weight {name} must be a number >= 0, got {value!r}")
        if not isinstance(self.pool, int) or self.pool < 1:
            raise ValueError(f"section pool must be an int >= 1, got {self.pool!r}")


class Sections:
    """Which section each act unit belongs to, and the aggregation over a ranking."""

    def __init__(self, groups: Mapping[str, str], weights: SectionWeights | None = None) -> None:
        self.group_of = dict(groups)
        self.weights = weights or SectionWeights()

    @classmethod
    def of_corpus(cls, corpus: Corpus, weights: SectionWeights | None = None) -> Sections:
        """Sections of every act in `corpus` (sources whose manifest names an act)."""
        acts = frozenset(s.file for s in corpus.sources if "act" in s.fields)
        return cls(section_groups(corpus.units, acts), weights)

    def __len__(self) -> int:
        return len(set(self.group_of.values()))

    def aggregate(self, ranked: Ranked) -> Ranked:
        """`ranked` (unit id, score; best first) reordered by section.

        A section scores as its best unit plus `support` times its second best. The result
        lists, by section score, each section's best unit (and its second when that scores
        within `close` of the best), then the remaining units by score; only the first `pool`
        ranked units are regrouped. Ranked ids outside any section are their own section, so
        a ranking without act units is unchanged.
        """
        if not self.group_of or not ranked:
            return ranked
        w = self.weights
        head, tail = ranked[:w.pool], ranked[w.pool:]
        group_of = self.group_of.get
        members: dict[str, list[tuple[str, float]]] = {}
        for pair in head:
            group = group_of(pair[0]) or f"\0{pair[0]}"
            found = members.get(group)
            if found is None:
                members[group] = [pair]
            else:
                found.append(pair)
        scored: list[tuple[float, int, str]] = []
        for order, (group, units) in enumerate(members.items()):
            if len(units) > 1:
                units.sort(key=_minus_score)
                scored.append((units[0][1] + w.support * max(units[1][1], 0.0), order, group))
            else:
                scored.append((units[0][1], order, group))
        scored.sort(key=_section_order)
        first: Ranked = []
        rest: Ranked = []
        for section_score, _, group in scored:
            units = members[group]
            first.append((units[0][0], section_score))
            if len(units) > 1:
                lead = 2 if units[0][1] - units[1][1] <= w.close else 1
                first += units[1:lead]
                rest += units[lead:]
        rest.sort(key=_minus_score)
        return first + rest + tail


def _minus_score(pair: tuple[str, float]) -> float:
    return -pair[1]


def _section_order(scored: tuple[float, int, str]) -> tuple[float, int]:
    return -scored[0], scored[1]


def section_groups(units: Iterable[AlignedUnit], act_files: frozenset[str]) -> dict[str, str]:
    """Unit id -> "act/section" for the units of act sources (others are left out)."""
    return {u.id: f"{u.article}/{u.section}" for u in units
            if u.section and (u.fr.source in act_files or u.en.source in act_files)}
