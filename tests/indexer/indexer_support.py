"""Helpers for the indexer tests: a small bilingual corpus, a counting fake embedder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.chunk import Chunk
from indexer.embedders import FakeEmbedder

UNITS = [
    ("u1", "statute",
     "Le licenciement pour motif économique est soumis à l'article L. 1233-3.",
     "Dismissal for economic reasons is governed by section L. 1233-3."),
    ("u2", "statute",
     "L'employeur informe le comité social et économique dans un délai de deux mois.",
     "The employer informs the works council within two months."),
    ("u3", "statute",
     "La durée du préavis est fixée par la convention collective.",
     "The length of the notice period is set by the collective agreement."),
]
COMMENTARY = [
    ("c1", "fr", "Voir art. L. 321-4-2 pour le congé de reclassement des salariés."),
    ("c2", "en", "The retirement age of civil servants was raised in 2010."),
]


def make_chunks() -> list[Chunk]:
    """Aligned FR/EN statute chunks plus one-sided commentary chunks."""
    chunks: list[Chunk] = []
    for unit, kind, fr, en in UNITS:
        chunks.append(Chunk(Chunk.make_id(unit, "fr"), unit, "fr", kind, fr))
        chunks.append(Chunk(Chunk.make_id(unit, "en"), unit, "en", kind, en))
    for unit, lang, text in COMMENTARY:
        chunks.append(Chunk(Chunk.make_id(unit, lang), unit, lang, "commentary", text))
    return chunks


class CountingEmbedder(FakeEmbedder):
    """A FakeEmbedder that counts the passages it is asked to embed."""

    def __init__(self, dim: int = 32) -> None:
        super().__init__(dim)
        self.calls = 0
        self.texts = 0

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return super()._embed_passages(texts)


def random_unit_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """`n` random L2-normalised float32 rows."""
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def ids(results: Sequence[tuple[Chunk, float]]) -> list[str]:
    """The chunk ids of search results, in order."""
    return [chunk.id for chunk, _ in results]
