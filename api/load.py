"""Holding under load: questions are computed off the event loop, one at a time, cheapest
first, and only as many are accepted as can be answered in time; the index is swapped without
failing a request.

    Engine          the serving bot, its one compute worker and the admission decision
    QueryCache      an in-memory LRU of query embeddings in front of the embedder
    Overloaded      raised when a question cannot be answered in time (503 + Retry-After)

Why one worker: the embedding engine holds one lock per model (it is not documented as
thread-safe), so a second worker would only wait on it; the event loop stays free for
/health and the static pages while the worker computes. The query embedding itself runs on
the embedding engine's one thread (`indexer.embedders.on_engine_thread`), so the process holds
one OpenMP team (BILEX_QUERY_THREADS threads), the one the load warmed up.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import itertools
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from bot.engine import Bot
from indexer.embedders import Embedder, engine_executor

logger = logging.getLogger("bilex.api")
T = TypeVar("T")
# Until a question has been timed, the service time is assumed to be this (seconds).
FIRST_GUESS = 0.2
# Weight of the newest measurement in the moving average of the service time.
SMOOTHING = 0.2
# Questions longer than this (characters) are timed apart: they cost several short ones.
LONG = 300.0
RETIRE_AFTER = 30.0  # seconds a swapped-out index stays open for questions still on it


def _kind(priority: float) -> int:
    return int(priority > LONG)


class Overloaded(Exception):
    """More questions wait than can be answered in time: the client should retry later."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"the service is busy answering other questions; try again in "
                         f"{retry_after} s")


class ClientGone(Exception):
    """The client disconnected while its question waited: it is not computed."""


class QueryCache(Embedder):
    """A bounded LRU of query vectors keyed by the exact query text, in front of `inner`
    (passages go straight through). Repeated questions are common in a public chat; a hit
    costs a dictionary lookup instead of a model run."""

    def __init__(self, inner: Embedder, size: int) -> None:
        super().__init__()
        self.inner = inner
        self.name = inner.name
        self.spec = inner.spec
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def _load(self) -> int:
        return self.inner.dim

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.inner.passages(texts)

    def _query_tokens(self, text: str) -> int:
        return self.inner.query_tokens(text)

    def _embed_query(self, text: str) -> np.ndarray:
        vector = self._vectors.get(text)
        if vector is not None:
            self._vectors.move_to_end(text)
            self.hits += 1
            return vector
        self.misses += 1
        vector = self.inner.query(text)
        if self.size:
            self._vectors[text] = vector
            if len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return vector


@dataclass
class _Gate:
    """One compute slot handed to waiters by priority (smaller first), then arrival order."""

    busy: bool = False
    waiting: list[tuple[float, int, asyncio.Future[None]]] = field(default_factory=list)
    order: itertools.count[int] = field(default_factory=itertools.count)

    def __len__(self) -> int:
        return sum(1 for *_, f in self.waiting if not f.done())

    async def acquire(self, priority: float) -> None:
        if not self.busy and not len(self):
            self.busy = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiting, (priority, next(self.order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # the slot was handed over as we were cancelled: pass it on
            raise

    def release(self) -> None:
        while self.waiting:
            *_, future = heapq.heappop(self.waiting)
            if not future.done():
                future.set_result(None)
                return
        self.busy = False


def freeze_heap(*, thaw: bool = False) -> None:
    """Keep what is loaded out of the garbage collector's full passes (gc.freeze): with five
    acts a full pass over the bot's objects takes about 120 ms, and one fell on a question
    every hundred and fifty or so. `thaw`: first let a pass collect what was frozen and is
    garbage now (a swapped-out bot)."""
    if thaw:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


class Engine:
    """The serving bot and the worker that computes its answers.

    A question is admitted when the questions already admitted, at the measured mean service
    time of their kind (short or long), leave room to answer it within `answer_within`
    seconds (a short question waits for at most one long one: the one computing); otherwise
    `Overloaded`
    (503 with Retry-After). Admitted questions wait for the one worker, shortest first (a
    2,000-character question does not hold up a short one that arrived later); a question
    whose client has gone by the time the worker is free is dropped.
    """

    def __init__(self, bot: Bot, answer_within: float) -> None:
        self.bot = bot
        self.answer_within = answer_within
        self.service = [FIRST_GUESS, 3 * FIRST_GUESS]  # seconds: short, long questions
        self.counts = [0, 0]  # admitted and not yet answered: short, long
        self.shed = 0
        self.dropped = 0
        self.answered = 0
        self.warming = True  # until `warm` has run: the first questions wait for it
        self._gate = _Gate()
        # The one worker is the process's embedding engine thread (shared with any other
        # engine in the process, never shut down here): a question is embedded where it is
        # answered, with no hop to another thread and back. /ask p50 2.3-2.7 ms less on five
        # acts (one server at a time, the bench's questions and pauses, four runs each).
        self._pool = engine_executor()
        self._closed = False
        self._swap_lock = threading.Lock()
        self.loaded_at = time.time()

    # -- answering ---------------------------------------------------------------------------
    @property
    def admitted(self) -> int:
        return sum(self.counts)

    def admit(self, priority: float = 0.0) -> None:
        """Count one more question in, or raise Overloaded if it cannot be answered in time
        (a question that finds nobody waiting is always taken)."""
        kind = _kind(priority)
        short, long = self.counts
        wait = short * self.service[0] + (long if kind else min(long, 1)) * self.service[1]
        if self.admitted and wait + self.service[kind] > self.answer_within:
            self.shed += 1
            raise Overloaded(max(1, math.ceil(wait)))
        self.counts[kind] += 1

    async def run(self, priority: float, gone: Callable[[], Any],
                  work: Callable[[Bot], T]) -> tuple[T, float]:
        """`work(bot)` on the worker once admitted (see `admit`) and the slot is free; the
        result and its compute time in seconds. ClientGone if `gone()` says the client left."""
        kind = _kind(priority)
        # First come, first served, except that a long question lets the short ones that
        # arrive within `answer_within` after it go first (aged, so it is never starved).
        try:
            await self._gate.acquire(time.monotonic() + kind * self.answer_within)
            try:
                if await gone():
                    self.dropped += 1
                    raise ClientGone
                if self._closed:  # shutting down: try again shortly (another server, or this one)
                    raise Overloaded(1)
                bot = self.bot
                started = time.perf_counter()
                result = await asyncio.get_running_loop().run_in_executor(
                    self._pool, work, bot)
                spent = time.perf_counter() - started
            finally:
                self._gate.release()
        finally:
            self.counts[kind] -= 1
        self.service[kind] += SMOOTHING * (spent - self.service[kind])
        self.answered += 1
        return result, spent

    async def warm(self) -> None:
        """Warm the bot up on the worker (`Bot.warm_up`), then time one question there so the
        first estimate is measured, not guessed. It holds the compute slot: a question that
        comes meanwhile waits for it like any other."""
        loop = asyncio.get_running_loop()
        await self._gate.acquire(time.monotonic())
        try:
            await loop.run_in_executor(self._pool, self.bot.warm_up)
            started = time.perf_counter()
            await loop.run_in_executor(self._pool,
                                       lambda: self.bot.ask("warm-up question", None, None))
            self.service[0] = max(0.01, time.perf_counter() - started)
            await loop.run_in_executor(self._pool, freeze_heap)
        except Exception as exc:  # the first questions will be slower; serving goes on
            logger.error("warm-up failed: %s", _one_line(exc))
        finally:
            gc.enable()  # `bilex serve` loads with the collector off (api.cli.serve)
            self.warming = False
            self._gate.release()

    def stats(self) -> dict[str, Any]:
        cache = self.bot.embedder
        return {"waiting": self.admitted, "warming": self.warming,
                "service_ms": round(1000 * self.service[0], 1),
                "service_long_ms": round(1000 * self.service[1], 1),
                "answered": self.answered, "shed": self.shed, "dropped": self.dropped,
                "cache_hits": getattr(cache, "hits", 0), "cache_misses": getattr(cache, "misses", 0)}

    def close(self) -> None:
        """Take no more work (the engine thread is the process's, left running: work
        already admitted finishes, within `answer_within`)."""
        self._closed = True

    # -- hot swap ----------------------------------------------------------------------------
    def swap(self, load: Callable[[], Bot]) -> bool:
        """Load a new bot with `load()` beside the serving one and switch to it in one
        assignment (requests in progress finish on the old one). A failed load keeps the old
        bot and logs why. Called from a thread; one swap at a time."""
        if not self._swap_lock.acquire(blocking=False):
            logger.warning("reload: a reload is already in progress; this one is skipped")
            return False
        try:
            started = time.perf_counter()
            old = self.bot.corpus.corpus_hash
            try:
                new = load()
                new.warm_up()  # its first questions are not slower than the old bot's
            except Exception as exc:  # any failure keeps the serving index
                logger.error("reload failed, still serving corpus %s: %s", old, _one_line(exc))
                return False
            retired, self.bot = self.bot, new
            self.loaded_at = time.time()

            def retire() -> None:
                retired.index.close()
                freeze_heap(thaw=True)  # the old bot's objects are garbage now

            # questions in progress finish on the old index; its connections close a little later
            closer = threading.Timer(RETIRE_AFTER, retire)
            closer.daemon = True
            closer.start()
            logger.warning("reloaded in %.1f s: corpus %s -> %s", time.perf_counter() - started,
                           old, new.corpus.corpus_hash)
            return True
        finally:
            self._swap_lock.release()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def priority(question: str, history: Sequence[Any] = ()) -> float:
    """A question's expected cost: the characters to embed and match (see `LONG`)."""
    return float(len(question) + sum(len(str(turn)) for turn in history))
