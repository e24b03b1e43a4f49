"""Writers for aligned units: JSON Lines (the contract's format), TMX 1.4 and CSV.

CSV is written for people and tools alike: a UTF-8 byte-order mark (so that spreadsheet
programs read the accents right), the French text first, under the column names
translate-toolkit's CSV reader takes as source and target (`source` = French, `target` =
English), and `;` as the delimiter on request (French spreadsheets). TMX segments may be
whole units or the sentence pairs of `corpus.bitext.segments`; structural numbering is then
a `prop`, not part of the segment, and languages carry their region when it is known.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from corpus.bitext.segments import Segment
from corpus.bitext.unit import BitextUnit
from corpus.models import AlignedUnit

CSV_COLUMNS = ("source", "target", "section", "confidence", "flags", "fr_lines", "en_lines")
BOM = "\ufeff"
Delimiter = Literal[",", ";"]
Segments = Literal["paragraph", "sentence"]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def to_jsonl(units: Iterable[BitextUnit]) -> str:
    """One JSON object per line: en, fr, section, confidence, flags (and line numbers)."""
    return "".join(json.dumps(u.as_dict(), ensure_ascii=False) + "\n" for u in units)


def to_tmx(
    units: Sequence[BitextUnit],
    *,
    srclang: Literal["en", "fr"] = "en",
    creationtool: str = "bilex",
    creationtoolversion: str = "0.1.0",
    tuids: Sequence[str] | None = None,
    props: Sequence[Mapping[str, str]] | None = None,
    segments: Sequence[Segment] | None = None,
    locales: Mapping[str, str] | None = None,
) -> str:
    """A TMX 1.4 document: one `tu` per unit, section/confidence/flags as `prop`s.

    `tuids` and `props` (both by position, optional) give each `tu` an id and more `prop`s
    (`{"id": "L123-4.I.1"}` becomes `<prop type="x-id">`). With `segments` (sentence pairs
    of these units, `Segment.unit` their position), one `tu` per segment instead, with its
    unit's props, its position in the unit and the numbering (`x-label`) kept out of the
    text. `locales` maps "fr"/"en" to the language code written (e.g. "fr-CA")."""
    codes = {"en": "en", "fr": "fr", **(locales or {})}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion,
        "segtype": "sentence" if segments is not None else "paragraph",
        "o-tmf": "bilex",
        "adminlang": "en",
        "srclang": codes[srclang],
        "datatype": "plaintext",
    })
    body = ET.SubElement(root, "body")
    order = ("en", "fr") if srclang == "en" else ("fr", "en")

    def unit_props(tu: ET.Element, i: int) -> None:
        for name, value in (props[i] if props else {}).items():
            ET.SubElement(tu, "prop", type=f"x-{name}").text = _xml_text(value)
        unit = units[i]
        if unit.section is not None:
            ET.SubElement(tu, "prop", type="x-section").text = _xml_text(unit.section)
        ET.SubElement(tu, "prop", type="x-confidence").text = f"{unit.confidence:.3f}"
        ET.SubElement(tu, "prop", type="x-flags").text = " ".join(unit.flags)

    def texts(tu: ET.Element, en: str, fr: str) -> None:
        for lang in order:
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: codes[lang]})
            ET.SubElement(tuv, "seg").text = _xml_text(en if lang == "en" else fr)

    if segments is None:
        for i, unit in enumerate(units):
            tu = ET.SubElement(body, "tu", {"tuid": _xml_text(tuids[i])} if tuids else {})
            unit_props(tu, i)
            texts(tu, unit.en, unit.fr)
    else:
        rank: dict[int, int] = {}
        for seg in segments:
            n = rank[seg.unit] = rank.get(seg.unit, 0) + 1
            base = tuids[seg.unit] if tuids else str(seg.unit + 1)
            tu = ET.SubElement(body, "tu", {"tuid": _xml_text(f"{base}#{n}")})
            unit_props(tu, seg.unit)
            ET.SubElement(tu, "prop", type="x-segment").text = str(n)
            label = (seg.label_fr if srclang == "fr" else seg.label_en) or seg.label_en \
                or seg.label_fr
            if label:
                ET.SubElement(tu, "prop", type="x-label").text = _xml_text(label)
            texts(tu, seg.en, seg.fr)
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


def to_csv(units: Iterable[BitextUnit], *, extra: Sequence[Mapping[str, str]] | None = None,
           delimiter: Delimiter = ",") -> str:
    """CSV (every field quoted, so that tools sniffing the delimiter find `;` too) with a
    byte-order mark and a header row: French (`source`) then English (`target`);
    flags joined by " " and line numbers by " ".

    `extra` (by position, optional) adds leading columns, named by the first row's keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    leading = list(extra[0]) if extra else []
    writer.writerow([*leading, *CSV_COLUMNS])
    for i, u in enumerate(units):
        writer.writerow([
            *([extra[i].get(name, "") for name in leading] if extra else []),
            u.fr, u.en, u.section or "", f"{u.confidence:.3f}", " ".join(u.flags),
            " ".join(map(str, u.fr_lines)), " ".join(map(str, u.en_lines)),
        ])
    return BOM + buffer.getvalue()


def aligned_rows(units: Iterable[AlignedUnit]) -> tuple[list[BitextUnit], list[dict[str, str]]]:
    """Units of the served corpus for the writers above: each as a `BitextUnit` (its line in
    each source), and what identifies and cites it (id, article, both citations)."""
    rows: list[BitextUnit] = []
    extra: list[dict[str, str]] = []
    for u in units:
        rows.append(BitextUnit(u.en.text, u.fr.text, u.section or None, u.confidence, tuple(u.flags),
                               (u.en.line,) if u.en.line else (), (u.fr.line,) if u.fr.line else ()))
        extra.append({"id": u.id, "article": u.article, "citation_fr": u.fr.citation,
                      "citation_en": u.en.citation})
    return rows, extra


def _xml_text(text: str) -> str:
    """The text without characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)
