"""A bilingual glossary of aligned units, with a terminology-consistency flag for translators.

Three kinds of rows, each saying where it comes from:

- `defined_term`: a definition of a consolidated act, "Board means ... (Conseil)" beside
  "Conseil ... (Board)": each side's cross tag names the other language's term, and the
  definition must open with that term (the parsing of `corpus.bitext.terms`);
- `paired_term`: a term the alignment paired across units (`Corpus.term_pairs`);
- `variant`: a French term rendered more than one way (`Corpus.terms`).

A row is `consistent` when its French term has exactly one English rendering across all
three sources; otherwise it lists the renderings and the units they stand in.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from corpus.bitext.terms import _ONE_LANGUAGE, normalise, tag_of, term_score
from corpus.models import Corpus, TermVariant

Kind = Literal["defined_term", "paired_term", "variant"]
# `source` is the French term, `target` the English one (the names translate-toolkit reads)
CSV_COLUMNS = ("source", "target", "kind", "consistent", "renderings", "units", "origin")
_BOM = "\ufeff"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LOOKBACK = 40  # units searched back from a tagged line for the line opening its definition
_SPLIT_TAG = 3  # units searched back for a definition's other tag (see `_closing_tags`)


@dataclass(frozen=True)
class UnitText:
    """The two texts of one aligned unit (lines joined by "\\n"), its id and section."""

    id: str
    fr: str
    en: str
    section: str | None = None


@dataclass(frozen=True)
class GlossaryEntry:
    """One French term and its English rendering(s), where they stand, and why it is here."""

    fr: str
    en: str
    kind: Kind
    consistent: bool
    renderings: tuple[str, ...]
    units: tuple[str, ...]
    origin: str

    def as_dict(self) -> dict[str, Any]:
        return {"fr": self.fr, "en": self.en, "kind": self.kind, "consistent": self.consistent,
                "renderings": list(self.renderings), "units": list(self.units),
                "origin": self.origin}


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _opening(units: Sequence[UnitText], end: int, lang: str, term: str) -> int | None:
    """The index of the unit, from `end` back, whose `lang` side has a line opening with `term`
    (staying in the section of `units[end]`)."""
    section = units[end].section
    for k in range(end, max(-1, end - _LOOKBACK), -1):
        if units[k].section != section:
            return None
        lines = _lines(units[k].fr if lang == "fr" else units[k].en)
        if any(term_score(term, line) for line in lines):
            return k
    return None


def _last_tag(text: str) -> str | None:
    lines = _lines(text)
    return tag_of(lines[-1]) if lines else None


def _closing_tags(units: Sequence[UnitText], end: int) -> tuple[str, str] | None:
    """(French term, English term) of a definition closing at `units[end]`: the English side's
    tag names the French term and the French side's the English one. The two tags usually end
    the same unit; where one language runs a line longer (a closing line that has no
    counterpart, so the other side of its unit is empty), the other side's tag ends one of
    the units just before, whose sides after it are empty."""
    unit = units[end]
    fr_term, en_term = _last_tag(unit.en), _last_tag(unit.fr)
    if fr_term is not None and en_term is not None:
        return fr_term, en_term
    if (fr_term is None) == (en_term is None):
        return None
    other = "fr" if fr_term is not None else "en"  # the side whose tag is missing here
    if _lines(getattr(unit, other)):
        return None
    for k in range(end - 1, max(-1, end - _SPLIT_TAG), -1):
        if units[k].section != unit.section:
            return None
        text = getattr(units[k], other)
        if not _lines(text):
            continue
        tag = _last_tag(text)
        if tag is None or _last_tag(getattr(units[k], "en" if other == "fr" else "fr")):
            return None  # that unit closes a definition of its own, or none
        if fr_term is not None:
            return fr_term, tag
        return (tag, en_term) if en_term is not None else None
    return None


def defined_terms(units: Sequence[UnitText]) -> list[GlossaryEntry]:
    """Definitions whose two sides carry each other's term as a cross tag, in document order.

    The English side's tag is the French term and the French side's tag the English one; a
    pair counts only when each side has a line opening with its own term (the definition may
    run over several units: the tag ends its last line)."""
    found: list[GlossaryEntry] = []
    for i in range(len(units)):
        tags = _closing_tags(units, i)
        if tags is None:
            continue
        fr_term, en_term = tags
        if normalise(fr_term) in _ONE_LANGUAGE or normalise(en_term) in _ONE_LANGUAGE:
            continue
        en_start = _opening(units, i, "en", en_term)
        fr_start = _opening(units, i, "fr", fr_term)
        if en_start is None or fr_start is None:
            continue
        ids = tuple(u.id for u in units[min(en_start, fr_start): i + 1])
        origin = (f"defined in {ids[0]}: the English definition is tagged ({fr_term}), "
                  f"the French one ({en_term})")
        found.append(GlossaryEntry(fr_term, en_term, "defined_term", True, (en_term,), ids, origin))
    return found


def build_glossary(
    units: Sequence[UnitText],
    term_pairs: Iterable[Mapping[str, Any]] = (),
    variants: Iterable[TermVariant] = (),
) -> list[GlossaryEntry]:
    """Defined terms, paired terms and variants, each flagged `consistent` or not.

    A French term is inconsistent when it is a variant, or when definitions and pairs give it
    more than one English rendering; every row of that term then lists all the renderings."""
    defined = defined_terms(units)
    pairs = [dict(p) for p in term_pairs]
    variant_list = list(variants)
    renderings: dict[str, dict[str, None]] = {}  # normalised French term -> renderings, in order
    for entry in defined:
        renderings.setdefault(normalise(entry.fr), {})[entry.en] = None
    for pair in pairs:
        renderings.setdefault(normalise(str(pair["fr"])), {})[str(pair["en"])] = None
    for variant in variant_list:
        for rendering in variant.renderings:
            renderings.setdefault(normalise(variant.term), {})[rendering] = None
    known = {key: _dedupe(found) for key, found in renderings.items()}

    def flagged(fr: str, en: str, kind: Kind, units_of: Sequence[str], origin: str) -> GlossaryEntry:
        all_renderings = known.get(normalise(fr), (en,))
        return GlossaryEntry(fr, en, kind, len(all_renderings) <= 1, all_renderings,
                             tuple(units_of), origin)

    out = [flagged(e.fr, e.en, e.kind, e.units, e.origin) for e in defined]
    out += [flagged(str(p["fr"]), str(p["en"]), "paired_term", [str(u) for u in p.get("units", ())],
                    str(p.get("origin", "paired by the alignment"))) for p in pairs]
    for variant in variant_list:
        ids = list(dict.fromkeys(uid for found in variant.renderings.values() for uid in found))
        shown = " / ".join(variant.renderings)
        origin = (f"rendered {len(variant.renderings)} ways in {variant.article}: "
                  + "; ".join(f"{r!r} in {', '.join(found)}" for r, found in variant.renderings.items()))
        out.append(GlossaryEntry(variant.term, shown, "variant", False,
                                 known.get(normalise(variant.term), ()), tuple(ids), origin))
    return out


def _dedupe(found: Mapping[str, None]) -> tuple[str, ...]:
    """Renderings differing only in case or spacing count once (the first spelling kept)."""
    seen: dict[str, str] = {}
    for rendering in found:
        seen.setdefault(normalise(rendering), rendering)
    return tuple(seen.values())


def corpus_glossary(corpus: Corpus, article: str | None = None) -> list[GlossaryEntry]:
    """The glossary of the served corpus, or of one of its articles (by exact article id)."""
    units = [u for u in corpus.units if article is None or u.article == article]
    ids = {u.id for u in units}
    texts = [UnitText(u.id, u.fr.text, u.en.text, u.section) for u in units]
    pairs = [p for p in corpus.term_pairs if article is None or ids & set(p.get("units", ()))]
    variants = [v for v in corpus.terms if article is None or v.article == article]
    return build_glossary(texts, pairs, variants)


def glossary_csv(entries: Iterable[GlossaryEntry], *, delimiter: Literal[",", ";"] = ",") -> str:
    """CSV (every field quoted, so that tools sniffing the delimiter find `;` too) with a
    byte-order mark and a header row, the French term (`source`) first;
    renderings joined by " | " and unit ids by " "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([e.fr, e.en, e.kind, "yes" if e.consistent else "no",
                         " | ".join(e.renderings), " ".join(e.units), e.origin])
    return _BOM + buffer.getvalue()


def glossary_tbx(entries: Iterable[GlossaryEntry], *,
                 locales: Mapping[str, str] | None = None) -> str:
    """TBX (ISO 30042 `martif`, as translate-toolkit reads it): one `termEntry` per row, the
    French `langSet` first; the kind, origin and consistency (with every rendering when a
    term has several) as notes, the unit ids as a cross-reference note."""
    codes = {"fr": "fr", "en": "en", **(locales or {})}
    root = ET.Element("martif", {"type": "TBX", _XML_LANG: codes["fr"]})
    header = ET.SubElement(root, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = ("Bilex glossary: defined terms, terms paired by the "
                                     "alignment, and terms rendered several ways")
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for n, e in enumerate(entries, start=1):
        entry = ET.SubElement(body, "termEntry", id=f"t{n}")
        ET.SubElement(entry, "descrip", type="subjectField").text = e.kind
        ET.SubElement(entry, "note").text = e.origin
        if not e.consistent:
            ET.SubElement(entry, "note").text = (
                "inconsistent: rendered " + " | ".join(e.renderings))
        if e.units:
            ET.SubElement(entry, "note").text = "units: " + " ".join(e.units)
        for lang, term in (("fr", e.fr), ("en", e.en)):
            lang_set = ET.SubElement(entry, "langSet", {_XML_LANG: codes[lang]})
            tig = ET.SubElement(lang_set, "tig")
            ET.SubElement(tig, "term").text = term
            ET.SubElement(tig, "termNote", type="partOfSpeech").text = "noun"
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
