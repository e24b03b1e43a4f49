"""Plain questions on the shared acts, in both languages: does the answer find the section?

usage: BILEX_SOURCES_DIR=... BILEX_DATA_DIR=... PYTHONPATH=. .venv/bin/python bench/acts_questions.py
       [--half tuning|heldout|all]

`bench/data/acts_questions.jsonl` holds 48 questions written for Bilex the way a law-firm user
or an employee asks about an act (most name neither the act nor the section's marginal note:
"How many hours off must I get between two shifts?"), each in English and in French, with the
section(s) of one of the five shared acts that answer it, and 12 questions none of the sources
covers (`act` null: tax returns, divorce, passports …). The first 20 were split once, with a
fixed seed, into a tuning half and a held-out half (`half`) before anything was measured on
them; of the 40 added later, those written from questions already asked while probing are the
tuning half and those written afterwards, before any change they were to measure, the held-out
half.
Over a built corpus holding the five acts (e.g. the directory `bench/acts_scale.py --work` names),
prints per half and language: hit@1 and hit@5 at section level, how many were answered and how
many of the uncovered questions were refused.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from api.build import load_bot
from api.settings import Settings

QUESTIONS = Path(__file__).resolve().parent / "data" / "acts_questions.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", choices=("tuning", "heldout", "all"), default="all")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    rows = [json.loads(line) for line in open(QUESTIONS, encoding="utf-8")]
    bot = load_bot(Settings())
    missing = {r["act"] for r in rows if r["act"]} - set(bot.router.by_article)
    if missing:
        raise SystemExit(f"the served corpus lacks the acts {', '.join(sorted(missing))}")
    for half in ("tuning", "heldout") if args.half == "all" else (args.half,):
        for lang in ("en", "fr"):
            asked = first = five = answered = outside = refused = 0
            for row in (r for r in rows if r["half"] == half):
                answer = bot.ask(row[lang], lang, 5)
                if not row["act"]:  # a question none of the sources covers
                    outside += 1
                    refused += not answer.answered
                    continue
                want = tuple(f"{row['act']}.{section}." for section in row["sections"])
                ids = [r.id for r in answer.results] if answer.answered else []  # not a refusal's closest
                asked += 1
                first += bool(ids) and ids[0].startswith(want)
                five += any(i.startswith(want) for i in ids)
                answered += answer.answered
            print(f"{half:>8} {lang}: hit@1 {first / asked:.2f}, hit@5 {five / asked:.2f}, "
                  f"answered {answered}/{asked}; out of scope refused {refused}/{outside}",
                  flush=True)

if __name__ == "__main__":
    main()
