"""Typing errors: hit@1 and refusals of questions asked as written and with typos added;
with `--forms`, also as people type them in a chat (lower case, capitals, no punctuation, no
accents, between a greeting and thanks, followed by thanks).

Each in-scope question of the files given gets `--typos` random typing errors (a letter
dropped, doubled, replaced, or swapped with the next one, in a word of five letters or more),
one draw per seed; the figures are summed over the seeds. A question the bot answered right as
written and not with its typos is printed with the corrections the bot made.

    PYTHONPATH=$PWD .venv/bin/python bench/typos.py [--seeds 11-16] [--typos 2] [--forms] FILE.jsonl ...
    (BILEX_DATA_DIR: a built data dir; default files: gold, plain and the tuning half)
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from pathlib import Path

from api.build import load_bot
from api.settings import Settings
from bot.evaluation import Question, read_questions

DATA = Path(__file__).resolve().parent.parent / "tests" / "bot" / "data"
DEFAULT_FILES = [DATA / "gold.jsonl", DATA / "plain.jsonl", DATA / "real_dev_tuning.jsonl"]
LETTERS = "aeioustrnlc"


def add_typo(text: str, rng: random.Random) -> str:
    """`text` with one typing error in one of its words of five letters or more."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word, j = words[i], rng.randrange(1, len(words[i]) - 1)
    kind = rng.choice(("drop", "swap", "double", "replace"))
    if kind == "drop":
        word = word[:j] + word[j + 1:]
    elif kind == "swap":
        word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    elif kind == "double":
        word = word[:j] + word[j] + word[j:]
    else:
        word = word[:j] + rng.choice(LETTERS) + word[j + 1:]
    words[i] = word
    return " ".join(words)


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")


FORMS = {
    "lower case": str.lower,
    "capitals": str.upper,
    "no punctuation": lambda text: re.sub(r"[?!.,;:]", "", text).strip(),
    "no accents, lower case": lambda text: _unaccented(text).lower(),
    "greeting and thanks": lambda text: f"Bonjour, {text} Merci d'avance",
    "closing thanks": lambda text: f"{text} thx!! 🙏",
}


def first_is_gold(answer, question: Question) -> bool:  # type: ignore[no-untyped-def]
    if not answer.answered or not answer.results:
        return False
    first = answer.results[0]
    text = (first.fr or {}).get("text", "") + (first.en or {}).get("text", "")
    return any(g in text for g in question.gold_any)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--seeds", default="11-16", help="a range, e.g. 11-16")
    parser.add_argument("--typos", type=int, default=2, help="typos per question")
    parser.add_argument("--forms", action="store_true", help="also the chat forms (FORMS)")
    args = parser.parse_args()
    low, _, high = args.seeds.partition("-")
    seeds = range(int(low), int(high or low) + 1)
    bot = load_bot(Settings())
    questions = [q for path in args.files for q in read_questions(path) if q.gold_any]
    written = [bot.ask(q.q, None, 3) for q in questions]
    clean_hits = sum(first_is_gold(a, q) for a, q in zip(written, questions, strict=True))
    clean_refused = sum(not a.answered for a in written)
    hits = refused = 0
    for seed in seeds:
        rng = random.Random(seed)
        for question, plain in zip(questions, written, strict=True):
            typed = question.q
            for _ in range(args.typos):
                typed = add_typo(typed, rng)
            answer = bot.ask(typed, None, 3)
            hits += first_is_gold(answer, question)
            refused += not answer.answered
            if first_is_gold(plain, question) and not first_is_gold(answer, question):
                state = "refused" if not answer.answered else "moved"
                print(f"{state:8} {typed[:100]!r} corrections: "
                      f"{answer.extra.get('reading', {}).get('corrections')}")
    n, runs = len(questions), len(seeds)
    print(f"{n} questions x {runs} seeds, {args.typos} typos each")
    print(f"as written: hit@1 {clean_hits / n:.3f}, refused {clean_refused}/{n}")
    print(f"with typos: hit@1 {hits / (n * runs):.3f}, refused {refused}/{n * runs}")
    for name, form in FORMS.items() if args.forms else ():
        answers = [bot.ask(form(q.q), None, 3) for q in questions]
        found = sum(first_is_gold(a, q) for a, q in zip(answers, questions, strict=True))
        print(f"{name}: hit@1 {found / n:.3f}, refused {sum(not a.answered for a in answers)}/{n}")


if __name__ == "__main__":
    main()
