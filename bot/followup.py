"""Follow-up questions: a question read in the light of the earlier turns of a conversation.

`history` is the earlier turns, oldest first: each the question asked and the ids of the
results shown. A short follow-up ("et si je refuse ?") says little on its own, so the previous
question's content words join its retrieval query; and the units shown for the recent turns
get a small boost, fading with age, so the conversation stays on the passages it was about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import OptionError
from corpus.drift import fold
from indexer.lexical import STEMMER_LANGS, stop_words

MAX_TURNS = 10
MAX_IDS = 50


@dataclass(frozen=True)
class Turn:
    question: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class FollowupParams:
    """Chosen on the tuning half of tests/bot/data/followups.jsonl only (bench/followups.py
    --tune: 8/8 in the top 3 with short_words 6, mix 0.5, boost 0; a boost of 0.1-0.3 on the
    earlier turn's units gained nothing and lost one pair at mix 0.5)."""

    short_words: int = 6  # a question with at most this many content words borrows context
    mix: float = 0.5  # weight of the ranking with the borrowed words, beside the question's own
    boost: float = 0.0  # added to the fused score of a unit shown in the last turn (tuned: 0)
    decay: float = 0.5  # each earlier turn counts this much less
    carry_turns: int = 1  # how many earlier questions lend their words


def check_history(history: object, max_chars: int) -> tuple[Turn, ...]:
    """The validated turns; OptionError saying what is wrong otherwise."""
    if history is None:
        return ()
    if not isinstance(history, list | tuple):
        raise OptionError("history must be a list of {\"question\": str, \"ids\": [str]} turns")
    if len(history) > MAX_TURNS:
        raise OptionError(f"history holds {len(history)} turns; send at most {MAX_TURNS} "
                          "(the most recent ones)")
    turns = []
    for position, turn in enumerate(history):
        if isinstance(turn, Turn):
            turns.append(turn)
            continue
        if not isinstance(turn, dict):
            raise OptionError(f"history[{position}] must be an object with question and ids")
        question, ids = turn.get("question"), turn.get("ids", [])
        if not isinstance(question, str):
            raise OptionError(f"history[{position}].question must be text")
        if not isinstance(ids, list) or len(ids) > MAX_IDS or not all(isinstance(i, str) for i in ids):
            raise OptionError(f"history[{position}].ids must be a list of at most {MAX_IDS} "
                              "result ids")
        turns.append(Turn(question.strip()[:max_chars], tuple(ids)))  # the start is enough
    return tuple(turns)


def content_words(text: str) -> list[str]:
    """The words of `text` that are not stop words in either language."""
    stops = frozenset().union(*(stop_words(lang) for lang in STEMMER_LANGS))
    words = [w.strip("'’") for w in text.replace("’", "'").split()]
    cleaned = ["".join(ch for ch in w if ch.isalnum() or ch in "-'") for w in words]
    # stop words elided together ("c'est", "j'ai") are stop words
    return [w for w in cleaned if w and fold(w) not in stops and len(w) > 1
            and not all(fold(part) in stops or len(part) <= 1 for part in w.split("'"))]


def retrieval_text(question: str, turns: Sequence[Turn], params: FollowupParams) -> str:
    """The text retrieval searches for: the question, plus the earlier questions' content
    words when the question is short. An earlier short question counts with the words it
    borrowed itself, so a conversation keeps its subject over several follow-ups ("what is
    the WPA?", "who pays for it?", "how long does it last?": the third asks about the WPA,
    not about paying)."""
    contexts: list[str] = []
    for turn in turns:
        contexts.append(_with_context(turn.question, contexts[-params.carry_turns:], params))
    return _with_context(question, contexts[-params.carry_turns:], params)


def _with_context(question: str, earlier: Sequence[str], params: FollowupParams) -> str:
    """`question`, with the content words of `earlier` (texts) when it is short."""
    if not earlier or len(content_words(question)) > params.short_words:
        return question
    carried = [word for text in earlier for word in content_words(text)]
    own = {w.lower() for w in content_words(question)}
    extra = [w for w in dict.fromkeys(carried) if w.lower() not in own]
    return f"{question} {' '.join(extra)}".strip() if extra else question


def blend(own: list[tuple[str, float]], borrowed: list[tuple[str, float]],
          mix: float) -> list[tuple[str, float]]:
    """The question's own ranking plus `mix` times the ranking with the earlier words: the new
    question leads, the context settles what it leaves open."""
    scores = dict(own)
    for uid, score in borrowed:
        scores[uid] = scores.get(uid, 0.0) + mix * score
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def rerank(ranked: list[tuple[str, float]], turns: Sequence[Turn],
           params: FollowupParams) -> list[tuple[str, float]]:
    """`ranked` with the units of recent turns lifted a little (best-ranked ids most)."""
    if not turns or params.boost <= 0:
        return ranked
    lift: dict[str, float] = {}
    for age, turn in enumerate(reversed(turns)):
        weight = params.boost * params.decay ** age
        for position, uid in enumerate(turn.ids):
            lift[uid] = max(lift.get(uid, 0.0), weight / (1 + position))
    if not lift:
        return ranked
    rescored = [(uid, score + lift.get(uid, 0.0)) for uid, score in ranked]
    return sorted(rescored, key=lambda kv: (-kv[1], kv[0]))
