"""Questions that name their act: the shared acts' marginal notes asked with the act's title.

usage: BILEX_SOURCES_DIR=... BILEX_DATA_DIR=... PYTHONPATH=. .venv/bin/python bench/acts_named.py
       [--acts L-2,E-5.6] [--n 150] [--seed 5]

Over a built corpus holding `--acts` (e.g. the directory `../shared/eval/acts_notes.py --keep`
leaves), asks `--n` marginal notes of those acts in English and in French, each as written and
with its act's title added ("<note>, under the <title>" / "<note>, selon <titre>"), with the
`named_law` mechanism on and off, and prints hit@1 and hit@5 at section level for each. Nothing
is fitted on these figures; they show what naming the act costs or gains.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
from pathlib import Path

from api.build import load_bot
from api.settings import Settings
from bot.engine import Mechanisms

CANADA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "canada"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acts", default="L-2,E-5.6")
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    acts = set(args.acts.split(","))
    rows = [json.loads(line) for line in open(CANADA / "pairs.jsonl", encoding="utf-8")]
    rows = [r for r in rows if r["act"] in acts and r.get("heading_en") and r.get("heading_fr")
            and len(r["heading_en"].split()) >= 2]
    random.Random(args.seed).shuffle(rows)
    rows = rows[:args.n]
    bots = {"on": load_bot(Settings()), "off": load_bot(Settings(), Mechanisms(named_law=False))}
    for titled in (False, True):
        for name, bot in bots.items():
            first = five = asked = answered = 0
            for row in rows:
                for lang in ("en", "fr"):
                    question = row[f"heading_{lang}"]
                    if titled:
                        question += (f", under the {row['act_en']}" if lang == "en"
                                     else f", selon {row['act_fr']}")
                    answer = bot.ask(question, lang, 5)
                    answered += answer.answered
                    ids = [r.id for r in answer.results] if answer.answered else []
                    want = f"{row['act']}.{row['section']}."
                    first += bool(ids) and ids[0].startswith(want)
                    five += any(i.startswith(want) for i in ids)
                    asked += 1
            print(f"{'with the title' if titled else 'as written':>14}, named_law {name:>3}: "
                  f"hit@1 {first / asked:.3f}, hit@5 {five / asked:.3f}, answered "
                  f"{answered / asked:.3f} ({asked} questions)",
                  flush=True)


if __name__ == "__main__":
    main()
