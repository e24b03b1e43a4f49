"""Article references in a question, in either language, routed to the alinéas they name.

"article L. 123-4-5", "L123-4-5 II", "art. L 123-4-5, al. 3", "II de l'article",
"paragraph 4 of section I", and references the article itself cites ("L. 933-6").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.drift import references as cited_references
from corpus.models import AlignedUnit

_ARTICLE = re.compile(
    r"\b(?:art(?:icle|\.)?\s*)?([LRD])\s?\.?\s?(\d{2,4}(?:\s?-\s?\d+)*)\b", re.IGNORECASE)
_SECTION_AFTER = re.compile(
    r"^[\s,]*(?:(?:section|partie|part|paragraphe|paragraph|§)\s+)?([IVX]{1,4})\b(?![-'’])")
_SECTION_ALONE = re.compile(
    r"(?:\b(?:section|partie|part|paragraphe|paragraph|§)\s+([IVX]{1,4})\b)"
    r"|(?:(?<![\w.])([IVX]{1,4})\s+(?:de l['’]\s?article|of (?:the )?article|du présent article))",
)
_ALINEA = re.compile(
    r"\b(?:al(?:in[ée]a)?\.?|para(?:graph)?\.?|§)\s*(\d{1,2})\b"
    r"|\b(\d{1,2})\s*(?:e|er|ème|eme|th|st|nd|rd)?\s+(?:alin[ée]a|paragraph)\b",
    re.IGNORECASE,
)
_ORDINALS = {
    "premier": 1, "first": 1, "deuxième": 2, "second": 2, "troisième": 3, "third": 3,
    "quatrième": 4, "fourth": 4, "cinquième": 5, "fifth": 5, "sixième": 6, "sixth": 6,
    "septième": 7, "seventh": 7, "huitième": 8, "eighth": 8, "dernier": -1, "last": -1,
}
_ORDINAL_ALINEA = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\s+(?:alin[ée]a|paragraph)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A reference found in a question: an article, maybe a section and an alinéa."""

    article: str | None
    section: str | None
    alinea: int | None
    text: str


def normalise_article(letter: str, number: str) -> str:
    digits = re.sub(r"\s", "", number)
    return f"{letter.upper()}{digits}"


def parse(question: str) -> list[Reference]:
    """Every reference in the question, in order of appearance."""
    refs: list[Reference] = []
    alinea = _first_alinea(question)
    for match in _ARTICLE.finditer(question):
        article = normalise_article(match.group(1), match.group(2))
        tail = question[match.end():]
        sec = _SECTION_AFTER.match(tail)
        section = sec.group(1).upper() if sec else None
        refs.append(Reference(article, section, alinea, match.group(0)))
    if not refs:
        alone = _SECTION_ALONE.search(question)
        if alone:
            refs.append(Reference(None, (alone.group(1) or alone.group(2)).upper(), alinea,
                                  alone.group(0)))
        elif alinea is not None and re.search(r"\barticle\b", question, re.IGNORECASE):
            refs.append(Reference(None, None, alinea, question))
    return refs


def _first_alinea(question: str) -> int | None:
    match = _ALINEA.search(question)
    if match:
        return int(match.group(1) or match.group(2))
    ordinal = _ORDINAL_ALINEA.search(question)
    if ordinal:
        return _ORDINALS[ordinal.group(1).lower()]
    return None


def route(refs: list[Reference], units: tuple[AlignedUnit, ...]) -> list[str]:
    """Unit ids the references point at, most specific first; [] when none resolve."""
    articles = {u.article for u in units}
    hits: list[str] = []
    for ref in refs:
        if ref.article and ref.article not in articles:
            # A reference the text itself cites ("L. 933-6"): the alinéas that cite it.
            hits += [u.id for u in units
                     if ref.article in cited_references(u.fr.text) or
                     ref.article in cited_references(u.en.text)]
            continue
        if ref.article is None and len(articles) != 1:
            continue
        article = ref.article or next(iter(articles))
        chosen = [u for u in units if u.article == article]
        if ref.section:
            chosen = [u for u in chosen if u.section == ref.section]
        if ref.alinea is not None and chosen:
            sections = list(dict.fromkeys(u.section for u in chosen))
            if ref.section is None and len(sections) > 1 and ref.alinea != -1:
                first = [u for u in chosen if u.section == sections[0]]
                chosen = first if ref.alinea <= len(first) else chosen
            if ref.alinea == -1:
                chosen = chosen[-1:]
            else:
                numbered = [u for u in chosen if u.number == ref.alinea]
                chosen = numbered or ([chosen[ref.alinea - 1]] if ref.alinea <= len(chosen) else [])
        hits += [u.id for u in chosen]
    return list(dict.fromkeys(hits))
