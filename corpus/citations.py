"""Formal citations of statute units and commentary paragraphs, from their manifests."""

from __future__ import annotations

from corpus.bitext.labels import ALPHA, Chain
from corpus.manifest import Manifest


def provision_citation(base: str, section: str, chain: Chain | None, lang: str) -> str:
    """"<act citation>, s. 69(1)(c)(ii)" in English, "<citation de la loi>, art. 69(1)c)(ii)"
    in French (paragraphs are "c)" there), from the provision's label chain (ranks and labels,
    `corpus.bitext.labels.label_chains`); the section alone for an unlabelled line."""
    if lang == "en":
        labels = "".join(f"({text})" for _, text in chain or ())
        return f"{base}, s. {section}{labels}"
    labels = "".join(f"{text})" if rank == ALPHA else f"({text})" for rank, text in chain or ())
    return f"{base}, art. {section}{labels}"


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
