"""Corpus -> chunks: each side of an aligned unit, and each commentary paragraph."""

from __future__ import annotations

from corpus.models import Corpus
from indexer.chunk import Chunk


def chunks_from_corpus(corpus: Corpus) -> list[Chunk]:
    """Both sides of every statute unit (each in its language), then commentary paragraphs.

    A commentary paragraph is indexed with the heading it sits under, which names its topic.
    """
    chunks: list[Chunk] = []
    for unit in corpus.units:
        for side in (unit.fr, unit.en):
            chunks.append(Chunk(Chunk.make_id(unit.id, side.lang), unit.id, side.lang,
                                "statute", side.text))
    for p in corpus.commentary:
        text = f"{p.heading}\n{p.text}" if p.heading else p.text
        chunks.append(Chunk(Chunk.make_id(p.id, p.lang), p.id, p.lang, "commentary", text))
    return chunks
