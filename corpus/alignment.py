"""Pairing an article's French and English alinéas: structure first, then a content check.

Structure (section and alinéa number) proposes the pairs; the multilingual model confirms
each one (its cosine against every rival) and the drift checks add the translator's flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from corpus.drift import (
    LENGTH_RATIO,
    LOW_SIMILARITY,
    NUMBER_MISMATCH,
    REFERENCE_MISMATCH,
    UNIT_MISMATCH,
    pair_drift,
    ratio_norm,
)
from corpus.encoder import TextEncoder, cosine_matrix
from corpus.errors import LayoutError
from corpus.structure import Alinea, ArticleText

CONTENT_MISMATCH = "content_mismatch"

# How much each flag lowers a pair's confidence (multiplicative).
PENALTIES = {
    NUMBER_MISMATCH: 0.6,
    REFERENCE_MISMATCH: 0.6,
    UNIT_MISMATCH: 0.8,
    LENGTH_RATIO: 0.85,
    CONTENT_MISMATCH: 0.8,
    LOW_SIMILARITY: 0.7,
}
# e5 cosines of true translations sit high and close together; these bound the scale.
SIM_FLOOR, SIM_CEIL, MARGIN_FULL = 0.78, 0.93, 0.06


@dataclass(frozen=True)
class DraftPair:
    """A French alinéa and its English counterpart before they get ids and citations."""

    fr: Alinea
    en: Alinea
    confidence: float
    flags: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)


def confidence(similarity: float, margin: float, flags: tuple[str, ...]) -> float:
    """A pair's confidence in [0, 1] from its cosine, its margin over rivals, and its flags.

    A pair that the model confirms (each side the other's best match: margin > 0) starts
    at 0.7; one it contradicts starts below 0.4.
    """
    sim = float(np.clip((similarity - SIM_FLOOR) / (SIM_CEIL - SIM_FLOOR), 0.0, 1.0))
    mar = float(np.clip(margin / MARGIN_FULL, 0.0, 1.0))
    value = 0.7 + 0.15 * sim + 0.15 * mar if margin > 0 else 0.1 + 0.3 * sim
    for flag in flags:
        value *= PENALTIES.get(flag, 1.0)
    return round(float(np.clip(value, 0.0, 1.0)), 3)


def align_article(fr: ArticleText, en: ArticleText, encoder: TextEncoder | None) -> list[DraftPair]:
    """Pair two language versions of one article alinéa by alinéa."""
    fr_keys = [(a.section, a.number) for a in fr.alineas]
    en_keys = [(a.section, a.number) for a in en.alineas]
    if fr_keys != en_keys:
        raise LayoutError(
            f"article {fr.article or en.article}: French has {len(fr_keys)} alinéas, English "
            f"{len(en_keys)}; the structures differ, align the files with `bilex align`"
        )
    fr_texts = [a.text for a in fr.alineas]
    en_texts = [a.text for a in en.alineas]
    norm = ratio_norm(list(zip(fr_texts, en_texts, strict=True)))
    sims = cosine_matrix(encoder, fr_texts, en_texts) if encoder else None

    pairs: list[DraftPair] = []
    for i, (fa, ea) in enumerate(zip(fr.alineas, en.alineas, strict=True)):
        drift = pair_drift(fa.text, ea.text, norm=norm)
        flags = list(drift.flags)
        details: dict[str, Any] = dict(drift.details)
        if sims is not None:
            similarity = float(sims[i, i])
            rivals = np.concatenate([np.delete(sims[i, :], i), np.delete(sims[:, i], i)])
            rival = float(rivals.max()) if rivals.size else SIM_FLOOR
            margin = similarity - rival
            best_en = int(np.argmax(sims[i, :]))
            if best_en != i:
                flags.append(CONTENT_MISMATCH)
                details["content"] = {"best_match": f"{en.alineas[best_en].section} "
                                                    f"al. {en.alineas[best_en].number}"}
            if similarity < SIM_FLOOR:
                flags.append(LOW_SIMILARITY)
            details["similarity"] = round(similarity, 4)
            details["margin"] = round(margin, 4)
        else:
            similarity, margin = SIM_CEIL, MARGIN_FULL / 2
        conf = confidence(similarity, margin, tuple(flags))
        pairs.append(DraftPair(fa, ea, conf, tuple(flags), details))
    return pairs
