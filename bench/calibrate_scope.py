"""Fit the scope model (bot/scope.py) and print its weights and figures.

In scope: the gold set's answerable questions (tests/bot/data/gold.jsonl). Out of scope: its
out-of-scope questions and the 111 BSARD questions (../shared/corpora/bsard, evaluation
only: nothing of it is shipped; only the fitted numbers are copied into ScopeModel).
Usage: .venv/bin/python bench/calibrate_scope.py [BSARD_CSV]   (needs `bilex build` first)
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np

from api.build import load_bot
from api.settings import Settings
from bot.scope import FEATURES

ROOT = Path(__file__).resolve().parent.parent
L2 = 0.05  # strong enough that no single feature's small wobble flips a decision


def main() -> None:
    bsard = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT.parent / "shared" / "corpora" / "bsard" / "questions_fr_test.csv")
    bot = load_bot(Settings())
    rows = [json.loads(line) for line in (ROOT / "tests/bot/data/gold.jsonl").open()]
    samples = [(r["q"], r["lang"], bool(r["gold_any"]), "gold") for r in rows]
    with bsard.open(encoding="utf-8") as handle:
        samples += [(r["question"], "fr", False, "bsard") for r in csv.DictReader(handle)]
    feats, labels, kinds = [], [], []
    for q, lang, positive, kind in samples:
        _, evidence = bot.rank(q, lang)
        if evidence.referenced:
            continue  # routed by reference: always answered
        feats.append(evidence.features())
        labels.append(1.0 if positive else 0.0)
        kinds.append(kind if not positive else "in")
    x, y = np.array(feats), np.array(labels)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    weight = np.where(y == 1, 3.0, 1.0)  # refusing a covered question costs more
    for _ in range(5000):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * weight
        w -= 0.05 * (z.T @ g / len(y) + L2 * w)
        b -= 0.05 * g.mean()
    p = 1 / (1 + np.exp(-(z @ w + b)))
    k = np.array(kinds)
    print("features ", FEATURES)
    print("mean     ", tuple(round(float(v), 4) for v in mean))
    print("scale    ", tuple(round(float(v), 4) for v in scale))
    print("weights  ", tuple(round(float(v), 2) for v in w), "bias", round(b, 2))
    lowest_in = float(p[k == "in"].min())
    highest_bsard = float(p[k == "bsard"].max())
    print(f"lowest in-scope p {lowest_in:.3f}; highest BSARD p {highest_bsard:.3f}")
    for t in (0.3, 0.4, 0.5):
        print(f"threshold {t}: in-scope answered {np.mean(p[k == 'in'] >= t):.3f}, BSARD "
              f"refused {np.mean(p[k == 'bsard'] < t):.3f}, own out-of-scope refused "
              f"{np.mean(p[k == 'gold'] < t):.3f}")


if __name__ == "__main__":
    main()
