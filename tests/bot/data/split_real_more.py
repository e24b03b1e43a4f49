"""Split real_more.jsonl (32 questions written for Bilex in the way people post: context,
typos, English questions whose answer only a French source gives and the other way round,
near-domain negatives) once into a tuning half and a held-out half.

Stratified by (in scope, language), seed 11, as real_dev is (`split_real_dev.py`). Run once
from the repository root: python3 tests/bot/data/split_real_more.py (it rewrites both halves
from real_more.jsonl).
"""

from __future__ import annotations

from split_real_dev import split_by_scope

if __name__ == "__main__":
    split_by_scope("real_more")
