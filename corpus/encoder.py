"""The one thing the corpus layer needs from an embedding model, as a protocol.

Concrete backends live in `indexer.embedders`; the edge (CLI, API) passes one down, so the
corpus layer never imports the indexer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class TextEncoder(Protocol):
    """Embeds passages into L2-normalised float32 rows (one row per text)."""

    name: str

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def cosine_matrix(encoder: TextEncoder, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every `left` text with every `right` text."""
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    a = encoder.passages(list(left))
    b = encoder.passages(list(right))
    return np.asarray(a @ b.T, dtype=np.float32)
