"""Follow-up quality on a pairs file (`tests/bot/data/followups.jsonl`): each row an earlier
question (asked first, as the chat does, its result ids becoming the history) and a follow-up
with the unit ids that answer it. Used by `bench/followups.py` and the held-out test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.engine import Bot
from bot.followup import FollowupParams


@dataclass(frozen=True)
class Pair:
    lang: str
    history: tuple[str, ...]
    q: str
    gold_ids: tuple[str, ...]
    split: str


def load_pairs(path: Path, split: str | None = None) -> list[Pair]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [Pair(r["lang"], tuple(r["history"]), r["q"], tuple(r["gold_ids"]), r["split"])
             for r in rows]
    return [p for p in pairs if split is None or p.split == split]


_EARLIER: dict[tuple[str, str, tuple[str, ...], int], list[str]] = {}


def _earlier_ids(bot: Bot, question: str, lang: str, history: list[dict[str, Any]],
                 k: int) -> list[str]:
    """The ids the chat would have shown for an earlier turn as its answer (cached per bot
    and turn); none for a refusal, even one showing its closest passages."""
    key = (question, lang, tuple(t["question"] for t in history), k)
    if key not in _EARLIER:
        answer = bot.ask(question, lang, k, history=history or None)
        _EARLIER[key] = [r.id for r in answer.results] if answer.answered else []
    return _EARLIER[key]


def rank_of_gold(bot: Bot, pair: Pair, with_history: bool, k: int = 5) -> int | None:
    """1-based rank of the first gold unit in the follow-up's answer (None: absent or refused)."""
    history: list[dict[str, Any]] = []
    if with_history:
        for question in pair.history:
            ids = _earlier_ids(bot, question, pair.lang, history, k)
            history.append({"question": question, "ids": ids})
    answer = bot.ask(pair.q, pair.lang, k, history=history or None)
    if not answer.answered:
        return None
    for position, result in enumerate(answer.results, 1):
        if result.id in pair.gold_ids:
            return position
    return None


def evaluate(bot: Bot, pairs: list[Pair], with_history: bool = True,
             params: FollowupParams | None = None) -> dict[str, float | int]:
    """hit@1, hit@3 and refusals over `pairs` (with `params` in place of the bot's own)."""
    saved = bot.followup
    if params is not None:
        bot.followup = params
    try:
        ranks = [rank_of_gold(bot, p, with_history) for p in pairs]
    finally:
        bot.followup = saved
    return {"pairs": len(pairs), "hit@1": sum(r == 1 for r in ranks),
            "hit@3": sum(r is not None and r <= 3 for r in ranks),
            "missed": sum(r is None for r in ranks)}
