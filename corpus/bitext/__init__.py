"""Align any English/French legal text pair (the core of `bilex align EN_FILE FR_FILE`)."""

from corpus.bitext.align import align_texts
from corpus.bitext.export import to_csv, to_jsonl, to_tmx
from corpus.bitext.layout import Layout, detect_layout, read_source
from corpus.bitext.unit import BitextUnit

__all__ = [
    "BitextUnit",
    "Layout",
    "align_texts",
    "detect_layout",
    "read_source",
    "to_csv",
    "to_jsonl",
    "to_tmx",
]
