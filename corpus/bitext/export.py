"""Writers for aligned units: JSON Lines (the contract's format), TMX 1.4 and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Literal

from corpus.bitext.unit import BitextUnit

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
) -> str:
    """A TMX 1.4 document: one `tu` per unit, section/confidence/flags as `prop`s."""
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
    for unit in units:
        tu = ET.SubElement(body, "tu")
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


def to_csv(units: Iterable[BitextUnit]) -> str:
    """CSV with a header row; flags joined by ";" and line numbers by " "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for u in units:
        writer.writerow([
            u.en, u.fr, u.section or "", f"{u.confidence:.3f}", ";".join(u.flags),
            " ".join(map(str, u.en_lines)), " ".join(map(str, u.fr_lines)),
        ])
    return buffer.getvalue()


def _xml_text(text: str) -> str:
    """The text without characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)
