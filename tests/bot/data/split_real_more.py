"""Split real_more.jsonl (32 questions written for Bilex in the way people post: context,
typos, English questions whose answer only a French source gives and the other way round,
near-domain negatives) once into a tuning half and a held-out half.

Stratified by (in scope, language), seed 11: within each stratum the rows, in id order, are
shuffled with random.Random(11) and alternate tuning / held-out. Run once from the repository
root: python3 tests/bot/data/split_real_more.py (it rewrites both halves from real_more.jsonl).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 11
HERE = Path(__file__).resolve().parent


def main() -> None:
    rows = [json.loads(line) for line in (HERE / "real_more.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    strata: dict[tuple[bool, str], list[dict]] = defaultdict(list)
    for row in rows:
        strata[(bool(row["gold_any"]), row["lang"])].append(row)
    rng = random.Random(SEED)
    tuning, held_out = [], []
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(group)
        for i, row in enumerate(group):
            (tuning if i % 2 == 0 else held_out).append(row)
    for name, part in (("real_more_tuning.jsonl", tuning), ("real_more_heldout.jsonl", held_out)):
        part.sort(key=lambda r: r["id"])
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(part))


if __name__ == "__main__":
    main()
