"""Split posts.jsonl (40 questions written for Bilex as posts, with context and chat spelling:
20 in scope, 20 near-domain negatives that name the sources' subject and ask what they do not
cover) once into a tuning half and a held-out half.

Stratified by (in scope, language), seed 11, as real_dev is (`split_real_dev.py`). Run once
from the repository root: python3 tests/bot/data/split_posts.py (it rewrites both halves
from posts.jsonl).
"""

from __future__ import annotations

import json

from split_real_dev import HERE, stratified_halves, write_halves


def main() -> None:
    rows = [json.loads(line) for line in (HERE / "posts.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    write_halves("posts", *stratified_halves(rows, lambda r: (bool(r["gold_any"]), r["lang"])))


if __name__ == "__main__":
    main()
