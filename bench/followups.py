"""Follow-up questions: hit@1/hit@3 with and without `history`, on the tuning and held-out
halves of tests/bot/data/followups.jsonl; `--tune` searches the parameters on the tuning half.

    PYTHONPATH=$PWD .venv/bin/python bench/followups.py [--tune]   (BILEX_DATA_DIR: a built data dir)
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from api.build import load_bot
from api.settings import Settings
from bot.followup import FollowupParams
from bot.followup_eval import evaluate, load_pairs

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "bot" / "data" / "followups.jsonl"


def main() -> None:
    bot = load_bot(Settings())
    tune, held = load_pairs(PAIRS, "tune"), load_pairs(PAIRS, "held_out")
    if "--tune" in sys.argv:
        grid = itertools.product((6, 10), (0.25, 0.5, 1.0), (0.0, 0.1, 0.3))
        scored = []
        for short, mix, boost in grid:
            params = FollowupParams(short_words=short, mix=mix, boost=boost)
            figures = evaluate(bot, tune, params=params)
            scored.append((figures["hit@3"], figures["hit@1"], -boost, params))
            print(f"short={short} mix={mix} boost={boost}: {figures}", flush=True)
        print("best on the tuning half:", max(scored, key=lambda s: s[:3])[3])
    for name, pairs in (("tune", tune), ("held_out", held)):
        print(name, "without history:", evaluate(bot, pairs, with_history=False))
        print(name, "with history:   ", evaluate(bot, pairs, with_history=True))


if __name__ == "__main__":
    main()
