"""Sentence-level segments inside aligned units, for translation memories.

A unit (an alinéa, a subsection) is often several sentences long; a translator's tool matches
sentences. Each unit's lines lose their structural numbering ("I.-", "II –", "(1)", "a)",
"1°"), which is kept apart as the segment's `label`, and are cut into sentences (sentencex,
with a rule that a "sentence" opening in lower case or on a digit continues the previous one:
"l’art. 3" is not two sentences); the sentences of the two sides are then aligned with the
same residual aligner as the lines (1-1, 1-2, 2-1 beads). A unit with one side empty, or one
sentence a side, is one segment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sentencex import segment

from corpus.bitext.residual import EmbeddingCache, GapAligner
from corpus.bitext.unit import BitextUnit
from corpus.encoder import TextEncoder

# Structural numbering at the start of a line: "I.-", "II –", "(1)", "(a)", "a)", "1°", "1.",
# "(3) to (5)"; several may follow each other ("(1) (a)").
_NUMBERING = re.compile(
    r"^(?:\(\s*[0-9A-Za-z]{1,5}(?:\.\d+)*\s*\)(?:\s+(?:to|à)\s+\([0-9A-Za-z.]+\))?"
    r"|[IVXL]{1,6}\s*(?:\.\s*[-–—]|[-–—])"
    r"|[IVXL]{1,6}\.(?=\s)"
    r"|[0-9]{1,3}(?:\.\d+)*\s*°"
    r"|[0-9]{1,3}(?:\.\d+)*[.)](?=\s)"
    r"|[a-z]{1,3}(?:\.\d+)*\)"
    r"|[-–—•])\s*"
)
_CONTINUES = re.compile(r"^[a-zà-ÿ0-9(«\"“,;:)]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Segment:
    """Sentences of one unit that translate each other; `label_*` the structural numbering
    the lines they open carry on each side ("" when none), `unit` the unit's position."""

    en: str
    fr: str
    unit: int
    label_en: str
    label_fr: str
    similarity: float | None


def split_numbering(line: str) -> tuple[str, str]:
    """(numbering, text) of a line: "I.-Dans les ..." -> ("I.-", "Dans les ...")."""
    line = _INVISIBLE.sub("", line).strip()
    label = ""
    for _ in range(3):
        match = _NUMBERING.match(line)
        if not match or match.end() >= len(line):
            break
        label = (label + " " + match.group().strip()).strip()
        line = line[match.end():]
    return label, line.strip()


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of a text (its lines cut further), numbering kept out."""
    return [sentence for _, sentence in labelled_sentences(text, lang)]


def labelled_sentences(text: str, lang: str) -> list[tuple[str, str]]:
    """(numbering, sentence) for each sentence; the numbering is its line's, on the line's
    first sentence only ("" elsewhere)."""
    out: list[tuple[str, str]] = []
    for raw in text.split("\n"):
        label, line = split_numbering(raw)
        if not line:
            continue
        first = True
        for piece in segment(lang, line):
            piece = piece.strip()
            if not piece:
                continue
            if out and not first and _CONTINUES.match(piece):
                out[-1] = (out[-1][0], f"{out[-1][1]} {piece}")
            else:
                out.append((label if first else "", piece))
            first = False
    return out


MAX_EMBEDDED = 4000  # sentences: above this, one request would hold the model for minutes


def sentence_segments(
    units: Sequence[BitextUnit], encoder: TextEncoder | None, *, ratio: float = 1.1,
    max_embedded: int = MAX_EMBEDDED,
) -> list[Segment]:
    """Aligned sentence pairs of every unit, in order (units with an empty side left out).

    With more than `max_embedded` sentences to compare, lengths alone decide (galechurch):
    a whole large act stays an answer of seconds, not minutes."""
    labelled = [(labelled_sentences(u.en, "en"), labelled_sentences(u.fr, "fr")) for u in units]
    split = [([t for _, t in en], [t for _, t in fr]) for en, fr in labelled]
    if sum(len(en) + len(fr) for en, fr in split if len(en) > 1 or len(fr) > 1) > max_embedded:
        encoder = None
    cache = EmbeddingCache(encoder) if encoder is not None else None
    aligner = GapAligner(cache, ratio)
    aligner.prepare([(en, fr) for en, fr in split if len(en) > 1 or len(fr) > 1])
    out: list[Segment] = []
    for k, ((en, fr), (en_l, fr_l)) in enumerate(zip(split, labelled, strict=True)):
        if not en or not fr:
            continue
        if len(en) == 1 and len(fr) == 1:
            out.append(Segment(en[0], fr[0], k, en_l[0][0], fr_l[0][0], None))
            continue
        beads = aligner.align(en, fr)
        # a sentence left alone joins its neighbour: the segment stays a translation
        merged: list[tuple[list[int], list[int], float | None]] = []
        pending_en: list[int] = []
        pending_fr: list[int] = []
        for bead in beads:
            if bead.en and bead.fr:
                merged.append(([*pending_en, *bead.en], [*pending_fr, *bead.fr], bead.similarity))
                pending_en, pending_fr = [], []
            else:
                pending_en.extend(bead.en)
                pending_fr.extend(bead.fr)
        if pending_en or pending_fr:
            if merged:
                e, f, _ = merged[-1]
                merged[-1] = (e + pending_en, f + pending_fr, None)
            else:
                merged.append((pending_en, pending_fr, None))
        for e_idx, f_idx, sim in merged:
            e_idx, f_idx = sorted(e_idx), sorted(f_idx)
            out.append(Segment(" ".join(en[i] for i in e_idx), " ".join(fr[j] for j in f_idx), k,
                               next((en_l[i][0] for i in e_idx if en_l[i][0]), ""),
                               next((fr_l[j][0] for j in f_idx if fr_l[j][0]), ""), sim))
    return out
