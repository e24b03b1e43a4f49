"""Cross-references inside a text ("L. 122-9", "s. 12(3)"): where each points in the corpus,
or nothing when the sources do not hold it (the page then says "not in the sources")."""

from __future__ import annotations

import re
from typing import Any

from corpus.models import AlignedUnit, Corpus

# "L. 122-9", "L122-9", "R. 1233-1": an article of a code, by its number.
_CODE_ARTICLE = re.compile(r"(?<![\w-])([LRD])\.?\s?(\d{1,4}(?:-\d+)+)(?![\w-])")
# "s. 12(3)", "section 12", "art. 12(3)", "article 12", "paragraphe 12(3)": a provision of an act.
_PROVISION = re.compile(
    r"(?<!\w)(?:ss?\.|sections?|arts?\.|articles?|paragraphes?|paragraphs?)\s?"
    r"(\d+(?:\.\d+)?)((?:\(\w{1,4}\))*)(?![\w.-]*\d-)", re.IGNORECASE)


def _key(article: str) -> str:
    return article.replace("-", "").replace(" ", "").replace(".", "").upper()


class CrossReferences:
    """Finds the references of a unit's text and resolves them against the corpus."""

    def __init__(self, corpus: Corpus) -> None:
        self.articles = {_key(u.article): u.article for u in corpus.units}
        self.first_unit: dict[tuple[str, str], str] = {}
        for u in corpus.units:
            self.first_unit.setdefault((u.article, u.section), u.id)
        # acts (articles whose sections are numbered): their texts cite provisions by number
        self._numbered = frozenset(a for a, section in self.first_unit
                                   if isinstance(section, str) and section.isdigit())
        self._of_unit: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def of_unit(self, unit: AlignedUnit, lang: str) -> list[dict[str, Any]]:
        """`find` over the unit's text in `lang`, found once per unit and language (a served
        answer shows the same units again and again); a fresh copy each time."""
        key = (unit.id, lang)
        found = self._of_unit.get(key)
        if found is None:
            found = self._of_unit[key] = self.find(getattr(unit, lang).text, unit)
        return [dict(x) for x in found]

    def find(self, text: str, unit: AlignedUnit | None) -> list[dict[str, Any]]:
        """`[{"start", "end", "text", "article" | None, "unit" | None}]` in text order."""
        found: list[dict[str, Any]] = []
        taken: list[tuple[int, int]] = []
        for match in _CODE_ARTICLE.finditer(text):
            article = self.articles.get(_key(match.group(1) + match.group(2)))
            found.append({"start": match.start(), "end": match.end(), "text": match.group(0),
                          "article": article, "unit": None})
            taken.append(match.span())
        if unit is not None and unit.article in self._numbered:
            for match in _PROVISION.finditer(text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                target = self.first_unit.get((unit.article, match.group(1)))
                found.append({"start": match.start(), "end": match.end(),
                              "text": match.group(0), "article": unit.article if target else None,
                              "unit": target})
        return sorted(found, key=lambda x: x["start"])
