"""Writers for aligned units: JSON Lines (the contract's format), TMX 1.4 and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from corpus.bitext.unit import BitextUnit
from corpus.models import AlignedUnit

CSV_COLUMNS = ("en", "fr", "section", "confidence", "flags", "en_lines", "fr_lines")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def to_jsonl(units: Iterable[BitextUnit]) -> str:
    """One JSON object per line: en, fr, section, confidence, flags (and line numbers)."""
    return "".join(json.dumps(u.as_dict(), ensure_ascii=False) + "\n" for u in units)


def to_tmx(
    units: Iterable[BitextUnit],
    *,
    srclang: Literal["en", "fr"] = "en",
    creationtool: str = "bilex",
    creationtoolversion: str = "0.1.0",
    tuids: Sequence[str] | None = None,
    props: Sequence[Mapping[str, str]] | None = None,
) -> str:
    """A TMX 1.4 document: one `tu` per unit, section/confidence/flags as `prop`s.

    `tuids` and `props` (both by position, optional) give each `tu` an id and more `prop`s
    (`{"id": "L321-4-2.I.1"}` becomes `<prop type="x-id">`)."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion,
        "segtype": "paragraph",
        "o-tmf": "bilex",
        "adminlang": "en",
        "srclang": srclang,
        "datatype": "plaintext",
    })
    body = ET.SubElement(root, "body")
    order = ("en", "fr") if srclang == "en" else ("fr", "en")
    for i, unit in enumerate(units):
        tu = ET.SubElement(body, "tu", {"tuid": _xml_text(tuids[i])} if tuids else {})
        for name, value in (props[i] if props else {}).items():
            ET.SubElement(tu, "prop", type=f"x-{name}").text = _xml_text(value)
        if unit.section is not None:
            ET.SubElement(tu, "prop", type="x-section").text = _xml_text(unit.section)
        ET.SubElement(tu, "prop", type="x-confidence").text = f"{unit.confidence:.3f}"
        ET.SubElement(tu, "prop", type="x-flags").text = " ".join(unit.flags)
        for lang in order:
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(getattr(unit, lang))
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


def to_csv(units: Iterable[BitextUnit], *, extra: Sequence[Mapping[str, str]] | None = None) -> str:
    """CSV with a header row; flags joined by ";" and line numbers by " ".

    `extra` (by position, optional) adds leading columns, named by the first row's keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    leading = list(extra[0]) if extra else []
    writer.writerow([*leading, *CSV_COLUMNS])
    for i, u in enumerate(units):
        writer.writerow([
            *([extra[i].get(name, "") for name in leading] if extra else []),
            u.en, u.fr, u.section or "", f"{u.confidence:.3f}", ";".join(u.flags),
            " ".join(map(str, u.en_lines)), " ".join(map(str, u.fr_lines)),
        ])
    return buffer.getvalue()


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
