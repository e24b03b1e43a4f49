"""Formal citations of statute units and commentary paragraphs, from their manifests."""

from __future__ import annotations

import re

from corpus.manifest import Manifest

_LABEL_EN = re.compile(r"^\(([0-9]+(?:\.[0-9]+)?|[a-zA-Z]{1,5})\)\s")
_LABEL_FR = re.compile(r"^\(?([0-9]+(?:\.[0-9]+)?|[a-zA-Z]{1,5})\)\s")


def provision_citation(base: str, section: str, first_line: str, lang: str) -> str:
    """"<act citation>, s. 240(1)" in English, "<citation de la loi>, art. 240(1)" in French."""
    match = (_LABEL_EN if lang == "en" else _LABEL_FR).match(first_line)
    label = match.group(1) if match else ""
    word = "s." if lang == "en" else "art."
    if label.replace(".", "").isdigit():
        return f"{base}, {word} {section}({label})"
    if label:
        return f"{base}, {word} {section}, {'para.' if lang == 'en' else 'al.'} ({label})"
    return f"{base}, {word} {section}"


def statute_citation(manifest: Manifest, article: str, lang: str, section: str, n: int) -> str:
    """"<code>, art. <article>, I, al. 2" in French, "<code>, Article <article>, I, para. 2"."""
    base = (manifest.value("citation") or {}).get(lang)
    translated = lang in (manifest.value("translation") or {})
    if lang == "fr":
        base = base or f"art. {article}"
        return f"{base}, {section + ', ' if section else ''}al. {n}"
    base = base or f"Article {article}"
    note = " (English translation)" if translated else ""
    return f"{base}, {section + ', ' if section else ''}para. {n}{note}"


def commentary_citation(manifest: Manifest, lang: str, n: int) -> str:
    """A commentary paragraph, marked as not law."""
    title = manifest.value("title")
    name = manifest.file.name
    if lang == "fr":
        return f"« {title} », {name}, § {n} (commentaire, pas un texte de loi)"
    return f"“{title}”, {name}, para. {n} (commentary, not law)"
