"""The same question asked in French and in English: does Bilex answer both alike?

usage: PYTHONPATH=. .venv/bin/python bench/language_parity.py [--questions FILE]

`bench/data/parity.jsonl` holds 33 questions written for Bilex in both languages, one per
passage of the seeds that answers a question (the six paragraphs of the French explainer that
do, nine of the Belgian page's twelve, the nine paragraphs of the English explainer and the
nine alinéas of the article), each with snippets of the passages that answer it. Bilex's users ask in
either language; a passage written in one language only (the explainers, the Belgian page)
must be found from the other as well. The first 15 (the French explainer and the Belgian
page) were written to probe that and looked at question by question; the rest were written
after, before anything was measured on them. Development data: no floor is asserted on it.

Over the built corpus of the settings (`BILEX_*`), prints for each kind of gold passage
(written in French only, in English only, in both) and each language: hit@1, hit@3 and how
many were answered; then how many pairs got the same decision and the same first result.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from api.build import load_bot
from api.settings import Settings
from bot.engine import Bot, Mechanisms
from bot.errors import OptionError
from bot.evaluation import gold_rank

QUESTIONS = Path(__file__).resolve().parent / "data" / "parity.jsonl"


def written_in(bot: Bot, gold: list[str]) -> str:
    """"fr", "en" or "both": the languages the first gold passage is written in."""
    for unit in bot.corpus.units:
        if gold[0] in unit.fr.text or gold[0] in unit.en.text:
            return "both"
    for passage in bot.corpus.commentary:
        if gold[0] in passage.text:
            return passage.lang
    raise SystemExit(f"no passage of the served corpus holds {gold[0]!r}: serve the seeds")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--without", action="append", default=[], metavar="MECHANISM",
                        help="turn a mechanism off, as `bilex eval --without` does (repeatable)")
    parser.add_argument("--misses", action="store_true",
                        help="also print each question whose gold passage is not first")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    try:
        rows = [json.loads(line) for line in args.questions.read_text("utf-8").splitlines()
                if line.strip()]
        for row in rows:
            if not (isinstance(row.get("fr"), str) and isinstance(row.get("en"), str)
                    and isinstance(row.get("gold_any"), list) and row["gold_any"]):
                raise ValueError
    except OSError as exc:
        parser.error(f"cannot read {args.questions.name}: {exc.strerror}")
    except (ValueError, AttributeError):
        parser.error(f"{args.questions.name}: each line must be "
                     '{"fr": str, "en": str, "gold_any": [str, ...]}')
    try:
        mechanisms = Mechanisms.without(set(args.without))
    except OptionError as exc:
        parser.error(str(exc))
    bot = load_bot(Settings(), mechanisms)
    table: dict[tuple[str, str], list[tuple[bool, int | None]]] = {}
    same_decision = same_first = 0
    for row in rows:
        kind = written_in(bot, row["gold_any"])
        answers = {lang: bot.ask(row[lang], lang, 5) for lang in ("fr", "en")}
        for lang, answer in answers.items():
            found = gold_rank(answer, row["gold_any"]) if answer.answered else None
            table.setdefault((kind, lang), []).append((answer.answered, found))
            if args.misses and found != 1:
                first = answer.results[0].id if answer.results else "refused"
                print(f"{row['pair']} {lang} rank {found}, first {first}: {row[lang]}")
        fr, en = answers["fr"], answers["en"]
        same_decision += fr.answered == en.answered
        # the first result of an answer: a near refusal's closest passages are none
        first = [a.results[0].id if a.answered and a.results else None for a in (fr, en)]
        same_first += first[0] is not None and first[0] == first[1]
    for kind in ("fr", "en", "both"):
        for lang in ("fr", "en"):
            got = table.get((kind, lang), [])
            if not got:
                continue
            print(f"gold written in {kind:>4}, asked in {lang}: hit@1 "
                  f"{sum(r == 1 for _, r in got)}/{len(got)}, hit@3 "
                  f"{sum(bool(r) and r <= 3 for _, r in got)}/{len(got)}, answered "
                  f"{sum(a for a, _ in got)}/{len(got)}")
    print(f"pairs: same decision {same_decision}/{len(rows)}, same first result "
          f"{same_first}/{len(rows)}")


if __name__ == "__main__":
    main()
