"""Retrieval quality on a question file: hit@1, hit@3, MRR per language, refusals, latency."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine import Bot
from bot.errors import QuestionError
from bot.results import Answer


@dataclass(frozen=True)
class Question:
    """One evaluation question: gold substrings, or none for an out-of-scope question."""

    q: str
    lang: str | None
    gold_any: tuple[str, ...]


@dataclass
class Outcome:
    """What happened to one question."""

    question: Question
    answered: bool
    rank: int | None  # 1-based rank of the first result holding a gold substring
    seconds: float
    language: str
    near: bool = False  # refused, with the closest passages shown (never a hit)


@dataclass
class Report:
    """Aggregated figures, per question language."""

    outcomes: list[Outcome] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for lang in sorted({o.question.lang or o.language for o in self.outcomes}):
            rows = [o for o in self.outcomes if (o.question.lang or o.language) == lang]
            scoped = [o for o in rows if o.question.gold_any]
            oos = [o for o in rows if not o.question.gold_any]
            out[lang] = {
                "in_scope": len(scoped),
                "hit@1": _share(o.rank == 1 for o in scoped),
                "hit@3": _share(o.rank is not None and o.rank <= 3 for o in scoped),
                "mrr": round(statistics.fmean([1 / o.rank if o.rank else 0.0 for o in scoped]),
                             4) if scoped else None,
                "in_scope_refused": sum(1 for o in scoped if not o.answered),
                "out_of_scope": len(oos),
                "out_of_scope_refused": sum(1 for o in oos if not o.answered),
                # refusals that showed the closest passages (counted among the refused)
                "in_scope_near": sum(1 for o in scoped if o.near),
                "out_of_scope_near": sum(1 for o in oos if o.near),
            }
        times = sorted(o.seconds for o in self.outcomes)
        out["p50_ms"] = round(statistics.median(times) * 1000, 2) if times else None
        out["questions"] = len(self.outcomes)
        return out

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes
                if (o.question.gold_any and o.rank != 1) or (not o.question.gold_any and o.answered)]


def _share(values: Iterable[bool]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else None


def read_questions(path: Path) -> list[Question]:
    """Questions from a JSONL file; ValueError naming the line for a malformed one."""
    questions: list[Question] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q, gold = row["q"], row.get("gold_any", [])
            lang = row.get("lang")
            if not isinstance(q, str) or not isinstance(gold, list) or lang not in (None, "fr", "en"):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ValueError(f"{path}:{number}: expected {{\"q\": str, \"lang\": \"fr\"|\"en\", "
                             f"\"gold_any\": [str]}}") from None
        questions.append(Question(q, lang, tuple(str(g) for g in gold)))
    if not questions:
        raise ValueError(f"{path}: no questions in the file")
    return questions


def evaluate(bot: Bot, questions: list[Question], k: int = 3) -> Report:
    """Ask every question (the detector picks the language, as for a user) and score it."""
    report = Report()
    for question in questions:
        started = time.perf_counter()
        try:
            answer = bot.ask(question.q, None, k)
        except QuestionError:
            report.outcomes.append(Outcome(question, False, None, 0.0, question.lang or "fr"))
            continue
        seconds = time.perf_counter() - started
        report.outcomes.append(Outcome(question, answer.answered,
                                       gold_rank(answer, question.gold_any), seconds,
                                       answer.language, bool(answer.extra.get("uncertain"))))
    return report


def gold_rank(answer: Answer, gold: Iterable[str]) -> int | None:
    """The 1-based position of the first result holding a gold snippet, or None. The closest
    passages a near refusal shows are not an answer: never a hit."""
    if answer.extra.get("uncertain"):
        return None
    snippets = tuple(gold)
    for position, result in enumerate(answer.results, start=1):
        texts = [side["text"] for side in (result.fr, result.en) if side]
        if any(g in t for g in snippets for t in texts):
            return position
    return None
