"""Turning a source file into clean text blocks: HTML parsed, web boilerplate removed.

Every removal is recorded with the rule that made it, so a test can show that nothing but
boilerplate was dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.text import sentences, squash

if TYPE_CHECKING:
    from bs4 import NavigableString, Tag

_FLAGS = re.compile("[\U0001f1e6-\U0001f1ff]")
_PHONE = re.compile(r"\+\s?\d{1,3}(?:[\s.()-]*\d){6,}")

# Lines dropped whole: (rule name, pattern). Patterns are case-insensitive.
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("navigation", r"^(skip to (main )?content|aller au contenu( principal)?)$"),
        ("navigation", r"^(useful links|liens utiles)$"),
        ("navigation", r"^[^.!?:>]{1,60}\s>\s[^.!?:>]{1,60}$"),  # breadcrumb "A > B"
        ("call_to_action", r"^(call( us)?|contact us|contactez[- ]nous|appelez[- ]nous)\b"),
        ("call_to_action", r"^need help with this article\b"),
        ("call_to_action", r"\bget help from an? .*lawyer\b"),
        ("call_to_action", r"\bfree evaluation\b|\bévaluation gratuite\b"),
        ("call_to_action", r"^our .*lawyers are here to help"),
        ("call_to_action", r"^you have a question in\b"),
        ("call_to_action", r"\bsend us an email\b|\benvoyez-nous un (e-)?mail\b"),
        ("confidentiality", r"\bwill remain confidential\b|\bresteront? confidentiel"),
        ("translation_header", r"^original (text )?in (french|english)\b"),
        ("translation_header", r"^(version )?originale? en (français|anglais)\b"),
        ("phone_number", _PHONE.pattern),
    )
)

# Sentences dropped from inside a paragraph (navigation prompts that lost their link).
SENTENCE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("navigation", r"^(en savoir plus|lire la suite|read more|learn more)\b"),
        # A sentence pointing to another website with its address ("Vous trouverez toute
        # l'information sur la législation ... sur https://...") is kept: it answers "where do I
        # read the law on this?", and its address is what the reader needs.
    )
)


@dataclass(frozen=True)
class Block:
    """A paragraph-like block of source text, with its first line in the file."""

    text: str
    line: int
    heading: bool = False


@dataclass(frozen=True)
class Removal:
    """Text the cleaning dropped and the rule that dropped it."""

    text: str
    rule: str
    line: int


def _line_of(raw: str, needle: str) -> int:
    """1-based line of `raw` where `needle` starts (tags in between tolerated); 0 if unknown."""
    words = needle.split()
    for size in (8, 4, 2, 1):
        probe = " ".join(words[:size])
        at = raw.find(probe) if probe else -1
        if at >= 0:
            return raw.count("\n", 0, at) + 1
    return 0


def _looks_like_heading(text: str) -> bool:
    """A single short line with no sentence-ending punctuation (or a short question)."""
    return (
        "\n" not in text
        and len(text) <= 90
        and not text.startswith("•")
        and not re.search(r"[.:;,]$", text)
    )


def text_blocks(raw: str) -> list[Block]:
    """Blocks of a plain-text file: blank-line separated, or one per line if none are."""
    text = _FLAGS.sub("", raw)
    lines = text.split("\n")
    has_blank_separators = any(not ln.strip() for ln in lines[1:-1])
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                blocks.append(_block(current, start))
                current = []
            continue
        if not has_blank_separators:
            blocks.append(_block([line], number))
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_block(current, start))
    return blocks


def _block(lines: list[str], start: int) -> Block:
    text = squash("\n".join(lines))
    return Block(text, start, heading=_looks_like_heading(text))


def html_blocks(raw: str) -> tuple[list[Block], list[Removal]]:
    """Blocks of an HTML page: headings, paragraphs, list items; images and buttons dropped."""
    # imported here: only a build reads HTML, and bs4 with soupsieve and lxml took 0.09 s of
    # every server start
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(raw, "html.parser")
    # Line lookups search the page with its tags blanked out (tags never span lines here).
    plain = re.sub(r"<[^>\n]*>", "", raw).replace("&gt;", ">").replace("&amp;", "&")
    plain = re.sub(r"[ \t]+", " ", plain)
    pieces: list[tuple[str, bool]] = []  # (text, is_heading); "" marks a paragraph break
    removed: list[Removal] = []

    def walk(node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            pieces.append((str(node), False))
            return
        name = node.name
        if name in ("img", "script", "style", "noscript", "svg", "iframe", "form", "nav"):
            removed.append(Removal(str(node)[:120], "image" if name == "img" else name,
                                   _line_of(raw, str(node)[:40])))
            return
        if name == "a" and node.get("role") == "button":
            text = squash(node.get_text(" "))
            removed.append(Removal(text, "call_to_action", _line_of(raw, text)))
            return
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            pieces.extend([("\n\n", False), (squash(node.get_text(" ")), True), ("\n\n", False)])
            return
        if name in ("li", "p", "div", "section", "article", "br", "tr"):
            pieces.append(("\n\n", False))
            for child in node.children:
                walk(child)  # type: ignore[arg-type]
            pieces.append(("\n\n", False))
            return
        for child in node.children:
            walk(child)  # type: ignore[arg-type]

    for child in soup.children:
        walk(child)  # type: ignore[arg-type]

    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        text = squash(" ".join(" ".join(buffer).split()))
        buffer.clear()
        if text:
            blocks.append(Block(text, _line_of(plain, text)))

    for text, is_heading in pieces:
        if is_heading:
            flush()
            if text:
                blocks.append(Block(text, _line_of(plain, text), heading=True))
            continue
        parts = re.split(r"\n\s*\n", text)
        for i, part in enumerate(parts):
            if i > 0:
                flush()
            buffer.append(part)
    flush()
    return blocks, removed


def clean_blocks(blocks: list[Block]) -> tuple[list[Block], list[Removal]]:
    """Drop boilerplate lines and sentences; headings with nothing under them go too."""
    kept: list[Block] = []
    removed: list[Removal] = []
    for block in blocks:
        lines: list[str] = []
        for line in block.text.split("\n"):
            rule = next((name for name, rx in LINE_RULES if rx.search(line.strip())), None)
            if rule:
                removed.append(Removal(line.strip(), rule, block.line))
                continue
            kept_sentences = []
            for sentence in sentences(line):
                srule = next((n for n, rx in SENTENCE_RULES if rx.search(sentence)), None)
                if srule:
                    removed.append(Removal(sentence, srule, block.line))
                else:
                    kept_sentences.append(sentence)
            if len(kept_sentences) != len(sentences(line)):
                line = " ".join(kept_sentences)
            if line.strip():
                lines.append(line)
        if lines:
            kept.append(Block("\n".join(lines), block.line, block.heading))
    # A heading followed by another heading or by nothing introduces no content.
    final: list[Block] = []
    for i, block in enumerate(kept):
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        if block.heading and (nxt is None or nxt.heading):
            removed.append(Removal(block.text, "empty_heading", block.line))
            continue
        final.append(block)
    return final, removed
