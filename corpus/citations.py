"""Formal citations of statute units and commentary paragraphs, from their manifests."""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.bitext.labels import ALPHA, NUMBER, Chain
from corpus.manifest import Manifest

NOTE = {"en": "marginal note", "fr": "note marginale"}
_CLOSED = re.compile(r"(?:[;:,]|(?<!\betc)\.)\s*$")  # a sentence's end; a note may end "etc."


def provision_citation(base: str, section: str, chain: Chain | None, lang: str,
                       note: bool = False) -> str:
    """"<act citation>, s. 69(1)(c)(ii)" in English, "<citation de la loi>, art. 69(1)c)(ii)"
    in French (paragraphs are "c)" there), from the provision's label chain (ranks and labels,
    `corpus.bitext.labels.label_chains`); the section alone for an unlabelled line. `note`: the
    line is the marginal note of the provision `chain` names ("s. 12(2), marginal note")."""
    if lang == "en":
        labels = "".join(f"({text})" for _, text in chain or ())
        cited = f"{base}, s. {section}{labels}"
    else:
        labels = "".join(f"{text})" if rank == ALPHA else f"({text})"
                         for rank, text in chain or ())
        cited = f"{base}, art. {section}{labels}"
    return f"{cited}, {NOTE[lang]}" if note and chain else cited


def cited_chains(lines: Sequence[str], chains: Sequence[Chain | None]
                 ) -> list[tuple[Chain | None, bool]]:
    """For the first lines of one section's units and their label chains: the chain each unit
    is cited by, and whether it is a marginal note. A labelled line keeps its own. An unlabelled
    one is the marginal note of the subsection it heads (a short line without closing
    punctuation, right before a subsection's label: "General maximum" before "(2)"), or a part
    of the subsection it closes (after that subsection's lines: "until all claims are paid"
    after its paragraphs); otherwise it is cited as the section."""
    out: list[tuple[Chain | None, bool]] = []
    last: Chain | None = None  # the nearest labelled line above
    for i, (line, chain) in enumerate(zip(lines, chains, strict=True)):
        if chain is not None:
            out.append((chain, False))
            last = chain
            continue
        following = chains[i + 1] if i + 1 < len(chains) else None
        if (following is not None and len(following) == 1 and following[0][0] == NUMBER
                and not _CLOSED.search(line) and len(line.split()) <= 15):
            out.append((following, True))
        elif last is not None and last[0][0] == NUMBER:
            out.append((last[:1], False))
        else:
            out.append((None, False))
    return out


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
