"""Split ../shared/eval/real_dev.jsonl once into a tuning half and a held-out half.

Stratified by (kind, lang), seed 11: within each stratum the rows are shuffled with
random.Random(11) and alternate tuning / held-out (the odd one of a stratum goes to tuning).
Run once from the repository root: python3 tests/bot/data/split_real_dev.py
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 11
HERE = Path(__file__).resolve().parent


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared/eval/real_dev.jsonl"
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    strata: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        strata[(row["kind"], row["lang"])].append(row)
    rng = random.Random(SEED)
    tuning, held_out = [], []
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(group)
        for i, row in enumerate(group):
            (tuning if i % 2 == 0 else held_out).append(row)
    for name, part in (("real_dev_tuning.jsonl", tuning), ("real_dev_heldout.jsonl", held_out)):
        part.sort(key=lambda r: r["id"])
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(part))


if __name__ == "__main__":
    main()
