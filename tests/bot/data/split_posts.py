"""Split posts.jsonl (40 questions written for Bilex as posts, with context and chat spelling:
20 in scope, 20 near-domain negatives that name the sources' subject and ask what they do not
cover) once into a tuning half and a held-out half.

Stratified by (in scope, language), seed 11, as real_dev is (`split_real_dev.py`). Run once
from the repository root: python3 tests/bot/data/split_posts.py (it rewrites both halves
from posts.jsonl).
"""

from __future__ import annotations

from split_real_dev import split_by_scope

if __name__ == "__main__":
    split_by_scope("posts")
