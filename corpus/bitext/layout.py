"""Which layout a legal text follows, and its split into sections of numbered lines.

Two layouts are known:
- ``consolidated_act``: blocks separated by blank lines, each opening with a heading such as
  "Section 240 — Complaint" / "Article 240 — Plainte", then one provision per line;
- ``article``: a code article ("Article L123-4-5"), paragraphs one per line,
  parts opening with a roman numeral ("I.-", "II –", "II.-").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corpus.errors import LayoutError, SourceError
from corpus.reading import read_text

Layout = Literal["consolidated_act", "article"]
CONSOLIDATED_ACT: Layout = "consolidated_act"  # "Section N — note" blocks, one provision per line

_HEADING = re.compile(r"^(?:Section|Article)\s+(\d+(?:\.\d+)*(?:\.?[A-Z])?)(?:\s+[—–-]\s+(.*))?$")
_ROMAN_PART = re.compile(r"^\s*([IVX]{1,5})\s*\.?\s*[-–—]")
_ARTICLE_HEADING = re.compile(r"^\s*Article\s+[LRD]\.?\s?\d+(?:-\d+)*\b")


@dataclass(frozen=True)
class Section:
    """A section: its label (None when it has none), heading, and body lines with their
    1-based line numbers in the source text."""

    label: str | None
    heading: str | None
    heading_line: int | None
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...]


def check_text(text: str, name: str) -> None:
    """Refuse text that is empty or binary, with a message naming the file."""
    if "\x00" in text:
        raise SourceError(name, "contains NUL bytes: a binary file, not UTF-8 text")
    if not text.strip():
        raise SourceError(name, "is empty: give a file holding the text to align")


def read_source(path: str | Path) -> str:
    """The UTF-8 text of a file; SourceError if it is missing, empty or not text."""
    return read_text(Path(path))


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Non-empty lines (1-based number, text) grouped into blank-line-separated blocks."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks[-1].append((number, line.strip()))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def detect_layout(text: str, name: str = "text") -> Layout:
    """``consolidated_act`` or ``article``; LayoutError naming `name` when neither fits."""
    check_text(text, name)
    blocks = _blocks(text)
    headed = sum(1 for block in blocks if _HEADING.match(block[0][1]))
    if headed and headed * 2 >= len(blocks):
        return "consolidated_act"
    lines = [line for block in blocks for _, line in block]
    if any(_ROMAN_PART.match(line) or _ARTICLE_HEADING.match(line) for line in lines):
        return "article"
    raise LayoutError(
        f"{name}: unknown layout: expected blocks headed 'Section N — title' / 'Article N — "
        "titre' (consolidated act) or paragraphs in parts 'I.-', 'II –' (Labour Code article)"
    )


def split_sections(text: str, layout: Layout) -> list[Section]:
    """The sections of a text in document order."""
    return _split_consolidated(text) if layout == "consolidated_act" else _split_article(text)


def _split_consolidated(text: str) -> list[Section]:
    sections = []
    for block in _blocks(text):
        (head_no, head), body = block[0], block[1:]
        match = _HEADING.match(head)
        sections.append(Section(
            label=match.group(1) if match else None,
            heading=head,
            heading_line=head_no,
            lines=tuple(line for _, line in body),
            line_numbers=tuple(no for no, _ in body),
        ))
    return sections


def _split_article(text: str) -> list[Section]:
    parts: list[tuple[str | None, list[tuple[int, str]]]] = [(None, [])]
    for block in _blocks(text):
        for number, line in block:
            match = _ROMAN_PART.match(line)
            if match:
                parts.append((match.group(1), []))
            parts[-1][1].append((number, line))
    return [
        Section(label, None, None, tuple(line for _, line in lines), tuple(n for n, _ in lines))
        for label, lines in parts
        if lines
    ]
