"""Provision labels of consolidated acts ("(1)", "(a)" / "a)", "(i)", "(A)") and their nesting.

English writes paragraphs "(a)", French "a)"; both write subparagraphs "(i)" and clauses "(A)".
A line's *path* is the chain of labels above and including its own, e.g. ("2", "b", "ii").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Ranks, outermost first: subsection, paragraph, subparagraph, clause, subclause.
NUMBER, ALPHA, ROMAN, UPPER, UPPER_ROMAN = range(5)
Chain = tuple[tuple[int, str], ...]  # a line's labels with their ranks, outermost first

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_PAREN = re.compile(r"^\((\d+(?:\.\d+)*|[a-z]{1,4}(?:\.\d+)*|[A-Z]{1,4}(?:\.\d+)*)\)(?=\s|$)")
_FR_ALPHA = re.compile(r"^([a-z]{1,4}(?:\.\d+)*)\)(?=\s|$)")
_ROMAN = re.compile(r"^[ivx]+$", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


@dataclass(frozen=True)
class Label:
    """One provision label: its text without brackets ("b.1") and its candidate rank."""

    text: str
    rank: int
    ambiguous: bool = False  # "(i)", "(v)", "(x)", "(I)"...: a letter or a roman numeral


def clean(line: str) -> str:
    """The line without invisible joiners that sometimes sit inside labels."""
    return _INVISIBLE.sub("", line)


def parse_label(line: str, lang: str) -> Label | None:
    """The label a provision line starts with, or None."""
    line = clean(line)
    if lang == "fr":
        match = _FR_ALPHA.match(line)
        if match:
            return Label(match.group(1), ALPHA)
    match = _PAREN.match(line)
    if not match:
        return None
    text = match.group(1)
    base = text.split(".")[0]
    if base[0].isdigit():
        return Label(text, NUMBER)
    if base.islower():
        if not _ROMAN.match(base):
            return Label(text, ALPHA)
        if lang == "fr":  # French paragraphs are "a)", so "(i)" is always a subparagraph
            return Label(text, ROMAN)
        return Label(text, ROMAN, ambiguous=len(base) == 1)
    if not _ROMAN.match(base):
        return Label(text, UPPER)
    return Label(text, UPPER_ROMAN, ambiguous=len(base) == 1)


def roman_value(text: str) -> int:
    """The value of a lower- or upper-case roman numeral made of i, v and x."""
    values = [_ROMAN_VALUES[c] for c in text.lower()]
    total = 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total


def _is_successor(prev: str, cur: str) -> bool:
    return len(prev) == 1 and len(cur) == 1 and ord(cur) - ord(prev) == 1


def _resolve(label: Label, stack: list[tuple[int, str]], following: Label | None) -> int:
    """Rank of an ambiguous label: letter "(i)" after "(h)", numeral "(i)" below a letter."""
    letter_rank, numeral_rank = (ALPHA, ROMAN) if label.rank == ROMAN else (UPPER, UPPER_ROMAN)
    base = label.text.split(".")[0]
    last = {rank: text.split(".")[0] for rank, text in stack}
    numeral = last.get(numeral_rank)
    if numeral is not None and _ROMAN.match(numeral):
        if roman_value(base) == roman_value(numeral) + 1:
            return numeral_rank
    letter = last.get(letter_rank)
    if letter is not None and _is_successor(letter, base):
        next_base = following.text.split(".")[0] if following else ""
        if not (following and following.rank == label.rank and roman_value(next_base) == 2):
            return letter_rank
    if letter is not None or numeral is not None:
        return numeral_rank
    return letter_rank


def label_paths(lines: Sequence[str], lang: str) -> list[tuple[str, ...] | None]:
    """For each line, the path of labels down to its own, or None for an unlabelled line."""
    return [None if chain is None else tuple(text for _, text in chain)
            for chain in label_chains(lines, lang)]


def label_chains(lines: Sequence[str], lang: str) -> list[Chain | None]:
    """`label_paths` with each label's rank: ((NUMBER, "2"), (ALPHA, "b"), (ROMAN, "ii"))."""
    labels = [parse_label(line, lang) for line in lines]
    stack: list[tuple[int, str]] = []
    chains: list[Chain | None] = []
    for i, label in enumerate(labels):
        if label is None:
            chains.append(None)
            continue
        rank = label.rank
        if label.ambiguous:
            following = next((lab for lab in labels[i + 1 :] if lab is not None), None)
            rank = _resolve(label, stack, following)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, label.text))
        chains.append(tuple(stack))
    return chains
