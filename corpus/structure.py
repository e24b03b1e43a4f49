"""Splitting clean blocks into an article's sections and alinéas, or commentary paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.cleaning import Block
from corpus.errors import LayoutError
from corpus.text import guess_language

# "Article L123-4-5", "Article L. 123-4-5 of the French Labour Code", "Art. L 123-4-5".
ARTICLE_HEADING = re.compile(r"^art(?:icle|\.)\s+([LRD])\.?\s?(\d[\d-]*\d)\b", re.IGNORECASE)
# A section marker opening an alinéa: "I.-", "II –", "II.-", "III. ".
SECTION_MARK = re.compile(r"^(?P<sec>[IVX]{1,4})\s*(?:\.\s*[-–—]|[-–—]|\.(?=\s))\s*")


@dataclass(frozen=True)
class Alinea:
    """One alinéa of an article in one language."""

    section: str
    number: int
    text: str
    line: int


@dataclass(frozen=True)
class ArticleText:
    """An article's text in one language: its heading (if any) and its alinéas in order."""

    article: str | None
    lang: str
    heading: str | None
    alineas: tuple[Alinea, ...]


@dataclass(frozen=True)
class Paragraph:
    """A commentary paragraph with the heading it sits under."""

    number: int
    text: str
    line: int
    heading: str | None


def article_id(letter: str, number: str) -> str:
    """Canonical article id: "L123-4-5"."""
    return f"{letter.upper()}{number}"


def split_article(blocks: list[Block], name: str) -> list[ArticleText]:
    """The article texts in a statute file: one per heading "Article ...", or one if none."""
    parts: list[tuple[Block | None, list[Block]]] = []
    for block in blocks:
        if ARTICLE_HEADING.match(block.text) and "\n" not in block.text:
            parts.append((block, []))
        elif not parts:
            parts.append((None, [block]))
        else:
            parts[-1][1].append(block)
    texts: list[ArticleText] = []
    for heading, body in parts:
        if not body:
            continue
        match = ARTICLE_HEADING.match(heading.text) if heading else None
        article = article_id(match.group(1), match.group(2)) if match else None
        lang = guess_language(" ".join(b.text for b in body))
        texts.append(ArticleText(article, lang, heading.text if heading else None,
                                 _alineas(body, name)))
    if not texts:
        raise LayoutError(f"{name}: no article text found")
    return texts


def _alineas(body: list[Block], name: str) -> tuple[Alinea, ...]:
    section = ""
    number = 0
    out: list[Alinea] = []
    for block in body:
        mark = SECTION_MARK.match(block.text)
        if mark:
            section, number = mark.group("sec"), 0
        number += 1
        out.append(Alinea(section, number, block.text, block.line))
    if out and out[0].section == "" and any(a.section for a in out):
        raise LayoutError(f"{name}: text before the first section marker (I, II, ...)")
    return tuple(out)


def split_commentary(blocks: list[Block]) -> list[Paragraph]:
    """Paragraphs under their headings; a lead-in ending in ':' keeps its bullet list."""
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    pending: Block | None = None
    for block in blocks:
        if block.heading:
            heading = block.text
            continue
        if pending is not None:
            if block.text.startswith("•"):
                paragraphs.append(Paragraph(len(paragraphs) + 1,
                                            f"{pending.text}\n{block.text}", pending.line,
                                            heading))
                pending = None
                continue
            paragraphs.append(Paragraph(len(paragraphs) + 1, pending.text, pending.line,
                                        heading))
            pending = None
        if block.text.endswith(":"):
            pending = block
            continue
        paragraphs.append(Paragraph(len(paragraphs) + 1, block.text, block.line, heading))
    if pending is not None:
        paragraphs.append(Paragraph(len(paragraphs) + 1, pending.text, pending.line, heading))
    return paragraphs
