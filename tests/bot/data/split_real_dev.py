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
from collections.abc import Callable, Hashable
from pathlib import Path

SEED = 11
HERE = Path(__file__).resolve().parent


def stratified_halves(rows: list[dict], stratum: Callable[[dict], Hashable],
                      seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """(tuning, held-out): within each stratum, the rows in id order shuffled with `seed`,
    alternating tuning / held-out; each half in id order."""
    strata: dict[Hashable, list[dict]] = defaultdict(list)
    for row in rows:
        strata[stratum(row)].append(row)
    rng = random.Random(seed)
    tuning: list[dict] = []
    held_out: list[dict] = []
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(group)
        for i, row in enumerate(group):
            (tuning if i % 2 == 0 else held_out).append(row)
    return sorted(tuning, key=lambda r: r["id"]), sorted(held_out, key=lambda r: r["id"])


def write_halves(prefix: str, tuning: list[dict], held_out: list[dict]) -> None:
    """`<prefix>_tuning.jsonl` and `<prefix>_heldout.jsonl` beside this script."""
    for name, part in ((f"{prefix}_tuning.jsonl", tuning), (f"{prefix}_heldout.jsonl", held_out)):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (HERE / name).write_text(text, encoding="utf-8")
        print(name, len(part))


def split_by_scope(prefix: str) -> None:
    """`<prefix>.jsonl` beside this script split into its halves, stratified by (in scope,
    language): the sets written for Bilex (real_more, posts)."""
    rows = [json.loads(line) for line in (HERE / f"{prefix}.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    write_halves(prefix, *stratified_halves(rows, lambda r: (bool(r["gold_any"]), r["lang"])))


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared/eval/real_dev.jsonl"
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    write_halves("real_dev", *stratified_halves(rows, lambda r: (r["kind"], r["lang"])))


if __name__ == "__main__":
    main()
