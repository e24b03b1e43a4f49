"""Definitions of consolidated acts, paired across languages by their cross tags.

"Board means ... (Conseil)" in English pairs with "Conseil ... (Board)" in French; the two
lists are sorted alphabetically in each language, so definitions are matched, not aligned.
A definition may run over labelled lines; its tag ends its last line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.bitext.labels import parse_label

_TAG = re.compile(r"\(([^()]+)\)\s*[.;,]?\s*$")
_NOT_A_TERM = re.compile(r"^(?:[ivxIVX]+|[a-zA-Z]{1,2}(?:\.\d+)*|\d[\d.]*|[^A-Za-zÀ-ÿ]*)$")
_REPEALED = re.compile(r"^[^\[(][^\[]{0,150}\[\s*(?:Repealed|Abrog[ée]e?s?)\b([^\]]*)\]\s*$")
_ALTERNATIVES = re.compile(r",\s*|\s+(?:et|ou|and|or)\s+")
_ONE_LANGUAGE = ("version anglaise seulement", "french version only",
                 "version française seulement", "english version only")


def alternatives(term: str) -> list[str]:
    """The names one defined term lists ("inspector or chief inspector": both), normalised;
    pieces shorter than three characters are not names."""
    return [alt for alt in _ALTERNATIVES.split(normalise(term)) if len(alt) >= 3]


def normalise(text: str) -> str:
    """Case-, quote- and spacing-insensitive form used to compare terms."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Definition:
    """A definition's lines (start..end inclusive) in its section, and its cross tag."""

    start: int
    end: int
    tag: str | None  # the other language's term, None for a repealed definition
    repeal: tuple[str, ...] = ()  # numbers of the repealing citation


def is_repealed_term(line: str) -> bool:
    """True for a repealed definition's line ("child[Repealed, 2000, c. 12, s. 8]")."""
    return _REPEALED.match(line) is not None


def tag_of(line: str) -> str | None:
    """The parenthesised term that ends a line, when it looks like a cross tag."""
    match = _TAG.search(line)
    if not match:
        return None
    tag = match.group(1).strip()
    return None if _NOT_A_TERM.match(tag) else tag


@dataclass(frozen=True)
class _Tagged:
    """A line ending a definition: its index, its tag, and where its definition may start."""

    end: int
    tag: str
    earliest: int  # the line after the previous tagged line


def _tagged(lines: Sequence[str], lang: str) -> tuple[list[_Tagged], list[Definition]]:
    """Lines ending in a cross tag, and repealed terms ("child[Repealed, 2000, c. 12, s. 8]")."""
    tagged: list[_Tagged] = []
    repealed: list[Definition] = []
    earliest = 0
    for i, line in enumerate(lines):
        match = None if parse_label(line, lang) else _REPEALED.match(line)
        if match:
            citation = tuple(re.findall(r"\d+|\([A-Z]\)", match.group(1)))
            repealed.append(Definition(i, i, None, citation))
            earliest = i + 1
            continue
        tag = tag_of(line)
        if tag is not None:
            tagged.append(_Tagged(i, tag, earliest))
            earliest = i + 1
    return tagged, repealed


def _start(lines: Sequence[str], lang: str, item: _Tagged, term: str | None) -> int | None:
    """The line opening a definition: the last unlabelled line from `earliest` to its end
    that starts with `term` (or, without a term, the first unlabelled line going back)."""
    for k in range(item.end, item.earliest - 1, -1):
        if parse_label(lines[k], lang) is None:
            if term is None:
                return k
            if term_score(term, lines[k]):
                return k
    return None


def term_score(tag: str, line: str) -> int:
    """How well `line` opens with the term `tag` names: 3 exactly, 2 ignoring case and
    spacing, 1 with one of its alternatives ("director, directors and board..."), else 0."""

    def starts(prefix: str, text: str) -> bool:
        return (len(prefix) >= 2 and text.startswith(prefix)
                and (len(text) == len(prefix) or not text[len(prefix)].isalnum()))

    if starts(tag.strip(), line):
        return 3
    norm_tag, norm_line = normalise(tag), normalise(line)
    if starts(norm_tag, norm_line):
        return 2
    names = alternatives(norm_tag)
    return 1 if len(names) > 1 and any(starts(a, norm_line) for a in names) else 0


@dataclass(frozen=True)
class Matches:
    """What the definitions of a section pair resolve to."""

    groups: list[tuple[list[Definition], list[Definition]]]  # usually one to one
    bags: list[tuple[list[int], list[int]]]  # repealed terms sharing one citation: lines
    only_en: list[Definition]  # tagged "Version anglaise seulement"
    only_fr: list[Definition]  # tagged "French version only"


def match_definitions(en_lines: Sequence[str], fr_lines: Sequence[str]) -> Matches:
    """Definitions paired by cross tags (each runs from the line starting with the other's tag
    to the line ending with its own), repealed ones by their citation, ambiguous ones bagged."""
    en_tagged, en_repealed = _tagged(en_lines, "en")
    fr_tagged, fr_repealed = _tagged(fr_lines, "fr")
    en_defs: list[Definition] = []
    fr_defs: list[Definition] = []
    scores: dict[tuple[int, int], int] = {}
    for e in en_tagged:
        for f in fr_tagged:
            en_start = _start(en_lines, "en", e, f.tag)
            fr_start = _start(fr_lines, "fr", f, e.tag)
            if en_start is None and fr_start is None:
                continue
            en_start = en_start if en_start is not None else _start(en_lines, "en", e, None)
            fr_start = fr_start if fr_start is not None else _start(fr_lines, "fr", f, None)
            if en_start is None or fr_start is None:
                continue
            score = term_score(e.tag, fr_lines[fr_start]) + term_score(f.tag, en_lines[en_start])
            if score:
                en_defs.append(Definition(en_start, e.end, e.tag))
                fr_defs.append(Definition(fr_start, f.end, f.tag))
                scores[(len(en_defs) - 1, len(fr_defs) - 1)] = score
    bags: list[tuple[list[int], list[int]]] = []
    for citation in dict.fromkeys(d.repeal for d in en_repealed if d.repeal):
        same_en = [d for d in en_repealed if d.repeal == citation]
        same_fr = [d for d in fr_repealed if d.repeal == citation]
        if len(same_en) == 1 and len(same_fr) == 1:
            en_defs.append(same_en[0])
            fr_defs.append(same_fr[0])
            scores[(len(en_defs) - 1, len(fr_defs) - 1)] = 2
        elif same_en and same_fr:
            bags.append(([d.start for d in same_en], [d.start for d in same_fr]))
    groups = _resolve(scores, en_defs, fr_defs)
    used_en = {d.end for es, _ in groups for d in es}
    used_fr = {d.end for _, fs in groups for d in fs}
    only_en = _one_language(en_lines, "en", en_tagged, used_en)
    only_fr = _one_language(fr_lines, "fr", fr_tagged, used_fr)
    return Matches(groups, bags, only_en, only_fr)


def _one_language(
    lines: Sequence[str], lang: str, tagged: list[_Tagged], used: set[int]
) -> list[Definition]:
    """Definitions tagged as having no counterpart ("(Version anglaise seulement)")."""
    found = []
    for item in tagged:
        if item.end not in used and normalise(item.tag) in _ONE_LANGUAGE:
            start = _start(lines, lang, item, None)
            if start is not None:
                found.append(Definition(start, item.end, item.tag))
    return found


def _resolve(
    scores: dict[tuple[int, int], int], en_defs: list[Definition], fr_defs: list[Definition]
) -> list[tuple[list[Definition], list[Definition]]]:
    """Definitions that are each other's best match (ties allowed), grouped by end line;
    one English for several French or the reverse is a group, many to many is refused."""
    by_en: dict[int, dict[int, int]] = defaultdict(dict)
    by_fr: dict[int, dict[int, int]] = defaultdict(dict)
    defs: dict[tuple[int, int], tuple[Definition, Definition]] = {}
    for (i, j), score in scores.items():
        e, f = en_defs[i].end, fr_defs[j].end
        if score > by_en[e].get(f, 0):
            by_en[e][f] = by_fr[f][e] = score
            defs[(e, f)] = (en_defs[i], fr_defs[j])
    edges = [(e, f) for e, options in by_en.items() for f in _ties(options)
             if e in _ties(by_fr[f])]
    groups: list[tuple[set[int], set[int]]] = []
    for e, f in edges:
        joined = [g for g in groups if e in g[0] or f in g[1]]
        merged = ({e}, {f})
        for g in joined:
            merged[0].update(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    out = []
    for es, fs in groups:
        if len(es) > 1 and len(fs) > 1:
            continue
        pairs = [defs[(e, f)] for e in es for f in fs if (e, f) in defs]
        en_group = sorted({p[0] for p in pairs}, key=lambda d: d.start)
        fr_group = sorted({p[1] for p in pairs}, key=lambda d: d.start)
        out.append((en_group, fr_group))
    out.sort(key=lambda group: group[0][0].start)
    return out


def _ties(options: dict[int, int]) -> set[int]:
    top = max(options.values())
    return {k for k, v in options.items() if v == top}
