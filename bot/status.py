"""Whether a statute text is in force, what replaced it, which languages are authentic.

Everything comes from the sources' manifests (`[status.*]` entries, each with its origin, see
`corpus/manifest.py`); nothing here knows a law. A source whose manifest gives no status is
"unknown" (`in_force` null), and its authentic languages default to the manifest's
`original_language` when it names one, else to its `languages`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corpus.drift import fold
from corpus.models import AlignedUnit, Corpus, Passage, SourceInfo

UNKNOWN_ORIGIN = "the source's manifest gives no status"


@dataclass(frozen=True)
class Successor:
    """A scheme that replaced a source's text, as a question may name it."""

    source: str
    pattern: re.Pattern[str]


class StatusBook:
    """The status of each statute source, and the successor schemes questions may name."""

    def __init__(self, corpus: Corpus) -> None:
        self.by_source: dict[str, dict[str, Any]] = {}
        self._cited_as: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        self.successors: list[Successor] = []
        self.commentary_cited: dict[str, str] = {}
        self.provenance: dict[str, dict[str, Any]] = {}
        for source in corpus.sources:
            self.provenance[source.file] = {
                name: {"value": source.fields[name]["value"], "origin": source.fields[name]["origin"]}
                for name in ("publisher", "title", "jurisdiction") if name in source.fields}
            cited_by = source.fields.get("citation", {}).get("value")
            if source.kind != "statute" and isinstance(cited_by, str):
                self.commentary_cited[source.file] = cited_by
            if source.kind != "statute":
                continue
            self.by_source[source.file] = _status(source)
            status = source.fields.get("status", {}).get("value", {})
            cited = status.get("cited_as")
            citation = source.fields.get("citation", {}).get("value")
            if isinstance(cited, dict) and isinstance(citation, dict):
                self._cited_as[source.file] = (citation, cited)
            terms = (status.get("replaced_by") or {}).get("terms") or []
            if terms:
                alternatives = "|".join(re.escape(fold(t)) for t in sorted(terms, key=len, reverse=True))
                self.successors.append(Successor(
                    source.file, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))

    def of_unit(self, unit: AlignedUnit) -> dict[str, Any]:
        """The contract's `status` object for a statute unit (with its citation as the
        manifest says to cite a former text, when it says so)."""
        # A bitext act's manifest is filed under its English file, an article's under the file
        # holding its French text.
        file = unit.fr.source if unit.fr.source in self.by_source else unit.en.source
        status = dict(self.by_source.get(file) or self._unknown(unit))
        cited = self._cited_as.get(file)
        if cited is not None:
            citation, prefix = cited
            status["citation"] = {
                lang: _recite(getattr(unit, lang).citation, citation.get(lang), prefix.get(lang))
                for lang in ("fr", "en")}
        return status

    def commentary_citation(self, passage: Passage) -> str:
        """A commentary passage cited by its publisher and title (the manifest's `citation`),
        never by file name; the corpus citation when the manifest gives none."""
        cited = self.commentary_cited.get(passage.source)
        if cited is None:
            return passage.citation
        if passage.lang == "fr":
            return f"{cited}, § {passage.number} (commentaire, pas un texte de loi)"
        return f"{cited}, para. {passage.number} (commentary, not law)"

    def successor_named(self, question: str) -> str | None:
        """The source whose replacing scheme the question names, if any."""
        folded = fold(question)
        for successor in self.successors:
            if successor.pattern.search(folded):
                return successor.source
        return None

    @staticmethod
    def _unknown(unit: AlignedUnit) -> dict[str, Any]:
        return {"in_force": None, "note": None, "origin": UNKNOWN_ORIGIN,
                "authentic": ["en", "fr"], "since": None, "replaced_by": None, "former": None}


def _status(source: SourceInfo) -> dict[str, Any]:
    field = source.fields.get("status") or {}
    values: dict[str, Any] = field.get("value") or {}
    original = source.fields.get("original_language", {}).get("value")
    default_authentic = [original] if isinstance(original, str) else sorted(source.languages)
    replaced = values.get("replaced_by")
    return {
        "in_force": values.get("in_force"),
        "note": values.get("note"),
        "origin": field.get("origin") or UNKNOWN_ORIGIN,
        "authentic": list(values.get("authentic") or default_authentic),
        "since": values.get("since"),
        "replaced_by": ({"fr": replaced.get("fr"), "en": replaced.get("en")}
                        if isinstance(replaced, dict) else None),
        "former": values.get("former"),
        "origins": field.get("origins") or {},
    }


def _recite(citation: str, plain: str | None, former: str | None) -> str:
    """`citation` with the manifest's plain citation prefix replaced by its former-text form."""
    if plain and former and citation.startswith(plain):
        return former + citation[len(plain):]
    return citation
