"""Corpus -> chunks: each side of an aligned unit, each commentary paragraph, and their sentences.

A long alinéa covers several subjects; its sentences are indexed too (same unit id), so a
question about one of them finds the alinéa through the sentence that answers it.
"""

from __future__ import annotations

import re

from corpus.models import Corpus
from corpus.text import sentences
from indexer.chunk import Chunk

MIN_SENTENCE_CHARS = 40  # shorter sentences carry too little to be matched on their own
LONG_SENTENCE_CHARS = 160  # a sentence this long is also indexed clause by clause
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+")


def clauses(sentence: str) -> list[str]:
    """A long sentence cut at commas, semicolons and colons into pieces of at least
    MIN_SENTENCE_CHARS (short pieces join the next): "nous ne sommes ni psy ni gourou" is
    matched on its own, not drowned in the rest of a 60-word sentence."""
    if len(sentence) < LONG_SENTENCE_CHARS:
        return []
    out: list[str] = []
    current = ""
    for piece in _CLAUSE_BREAK.split(sentence):
        current = f"{current} {piece}".strip() if current else piece
        if len(current) >= MIN_SENTENCE_CHARS:
            out.append(current.rstrip(",;:"))
            current = ""
    if current and out:
        out[-1] = f"{out[-1]} {current}"
    return out if len(out) > 1 else []


def _with_sentences(unit_id: str, lang: str, kind: str, text: str, prefix: str = "") -> list[Chunk]:
    base = Chunk.make_id(unit_id, lang)
    chunks = [Chunk(base, unit_id, lang, kind, f"{prefix}{text}")]
    parts = [s for s in sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
    if len(parts) > 1:
        chunks += [Chunk(f"{base}:s{i}", unit_id, lang, kind, f"{prefix}{s}")
                   for i, s in enumerate(parts, start=1)]
    pieces = [c for s in parts for c in clauses(s)]
    chunks += [Chunk(f"{base}:c{i}", unit_id, lang, kind, f"{prefix}{c}")
               for i, c in enumerate(pieces, start=1)]
    return chunks


def act_sources(corpus: Corpus) -> frozenset[str]:
    """Files of sources whose manifest names an act (consolidated acts, section by section)."""
    return frozenset(s.file for s in corpus.sources if "act" in s.fields)


def chunks_from_corpus(corpus: Corpus) -> list[Chunk]:
    """Both sides of every statute unit (each in its language), then commentary paragraphs.

    An act's provisions are short and many: each side is indexed whole (its sentences and
    clauses would multiply the texts to embed for little gain), and each section's marginal
    note once per language, on the section's first unit (`unit:lang:h`), so a question on a
    section's subject finds the section. The notes and each section's first provision (in one
    language) are embedded (`unembedded_texts`): the other provisions are found by their words,
    and through their section's note and first provision.
    A commentary paragraph is indexed under its source's jurisdiction (from the manifest) and
    the heading it sits under, which name its place and topic.
    """
    chunks: list[Chunk] = []
    jurisdiction = {s.file: s.jurisdiction for s in corpus.sources}
    acts = act_sources(corpus)
    noted: set[tuple[str, str, str]] = set()
    for unit in corpus.units:
        for side in (unit.fr, unit.en):
            if side.source not in acts:
                chunks += _with_sentences(unit.id, side.lang, "statute", side.text)
                continue
            base = Chunk.make_id(unit.id, side.lang)
            if side.text.strip():
                chunks.append(Chunk(base, unit.id, side.lang, "statute", side.text))
            key = (unit.article, unit.section, side.lang)
            if side.heading and key not in noted:
                noted.add(key)
                chunks.append(Chunk(f"{base}:h", unit.id, side.lang, "statute", side.heading))
    for p in corpus.commentary:
        place = jurisdiction.get(p.source, "")
        prefix = "".join(f"{part}\n" for part in (place, p.heading) if part)
        chunks += _with_sentences(p.id, p.lang, "commentary", _without_addresses(p.text), prefix)
    return chunks


_ADDRESS = re.compile(r"\s*\bhttps?://\S+")


def _without_addresses(text: str) -> str:
    """`text` without web addresses: an address is for the reader to follow, and its words
    ("emploi", "restructuration") say nothing of what the passage says."""
    return _ADDRESS.sub("", text).strip() or text


# The language in which each act section's first provision is embedded. One language halves
# what the build embeds, and the multilingual encoder finds it from a question in the other
# one. English, measured beside the seeds (README, "Plain questions on acts"): a French
# question on the French sources then meets no same-language provision of an act that has
# nothing to do with it, while plain questions on the acts (their tuning half) found the
# sections as often as with both languages embedded.
FIRST_PROVISION_LANGUAGE = "en"


def unembedded_texts(corpus: Corpus, chunks: list[Chunk]) -> frozenset[str]:
    """Texts indexed for their words only (their vector is left at zero): the provisions of
    acts, but for the first of each section in `FIRST_PROVISION_LANGUAGE`. Embedding tens of
    thousands of provisions is most of an act's build time; a section is found through its
    marginal note (embedded in both languages), its first provision (which mostly says what
    the section is about: "Every widget sold shall carry a serial number ...") and the words
    of all its provisions."""
    acts = act_sources(corpus)
    firsts = {u.id for u in corpus.units if u.number == 1}
    provisions = {u.id for u in corpus.units if u.fr.source in acts or u.en.source in acts}

    def provision(c: Chunk) -> bool:
        return (c.unit_id in provisions and c.id == Chunk.make_id(c.unit_id, c.lang)
                and not (c.unit_id in firsts and c.lang == FIRST_PROVISION_LANGUAGE))

    needed = {c.text for c in chunks if not provision(c)}  # the same text elsewhere: embed it
    return frozenset(c.text for c in chunks if provision(c) and c.text not in needed)


def is_sentence(chunk: Chunk) -> bool:
    """True for a sentence chunk ("unit:lang:sN"), False for a whole passage ("unit:lang")."""
    return chunk.id.count(":") == 2
