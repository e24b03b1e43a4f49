"""What routes depend on, as `Annotated[..., Depends()]` aliases so their signatures stay short.

Every dependency here is `async` and does no I/O: a sync dependency would cost each request a
trip through the thread pool.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter

from api.errors import RateLimited
from api.load import Engine
from api.routes.models import AskRequest
from api.settings import Settings
from bot.engine import Bot
from bot.errors import OptionError, QuestionError


@dataclass(frozen=True)
class AskLimit:
    """The per-client limit on POST /ask: a fixed window per client address, counted by the
    `limits` library's asyncio limiter (its in-memory storage expires keys with an asyncio
    task; the synchronous storage would start a timer thread every few requests)."""

    limiter: FixedWindowRateLimiter
    item: RateLimitItem
    text: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AskLimit:
        limiter = FixedWindowRateLimiter(MemoryStorage())
        return cls(limiter, parse(settings.rate_limit), settings.rate_limit)

    async def hit(self, request: Request) -> None:
        """Count one question from this client; RateLimited once over the limit."""
        key = request.client.host if request.client else "unknown"
        if not await self.limiter.hit(self.item, key, "ask"):
            reset = (await self.limiter.get_window_stats(self.item, key, "ask")).reset_time
            raise RateLimited(self.text, max(1, math.ceil(reset - time.time())))


@dataclass(frozen=True)
class WriteLimit:
    """The per-client limit on stored writes (reports, feedback): BILEX_REPORT_LIMIT, counted
    apart for each route, so one client cannot fill the database."""

    limiter: FixedWindowRateLimiter
    item: RateLimitItem
    text: str

    @classmethod
    def from_settings(cls, settings: Settings) -> WriteLimit:
        return cls(FixedWindowRateLimiter(MemoryStorage()), parse(settings.report_limit),
                   settings.report_limit)

    async def hit(self, request: Request) -> None:
        key = request.client.host if request.client else "unknown"
        route = request.url.path
        if not await self.limiter.hit(self.item, key, route):
            reset = (await self.limiter.get_window_stats(self.item, key, route)).reset_time
            raise RateLimited(self.text, max(1, math.ceil(reset - time.time())), "writes")


async def write_limit(request: Request) -> None:
    """Count one stored write from this client (429 when over BILEX_REPORT_LIMIT)."""
    limit: WriteLimit = request.app.state.write_limit
    await limit.hit(request)


async def get_bot(request: Request) -> Bot:
    """The bot being served (the lifespan loaded it; SIGHUP may have swapped it since)."""
    bot: Bot = request.app.state.engine.bot
    return bot


async def get_engine(request: Request) -> Engine:
    """The serving bot with its compute worker and admission control."""
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def rate_limit(request: Request) -> None:
    """Count this request against the client's limit on POST /ask (429 when over)."""
    limit: AskLimit = request.app.state.ask_limit
    await limit.hit(request)


async def ask_body(body: AskRequest, request: Request) -> AskRequest:
    """The body, checked against the configured bounds (the ones /openapi.json declares)."""
    settings: Settings = request.app.state.settings
    if len(body.question) > settings.max_question_chars:
        raise QuestionError(f"the question is {len(body.question)} characters long; keep it "
                            f"under {settings.max_question_chars} characters")
    if body.k is not None and not 1 <= body.k <= settings.max_k:
        raise OptionError(f"k must be an integer from 1 to {settings.max_k}, got {body.k}")
    return body


BotDep = Annotated[Bot, Depends(get_bot)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RateLimit = Annotated[None, Depends(rate_limit)]
WriteLimitDep = Annotated[None, Depends(write_limit)]
AskBody = Annotated[AskRequest, Depends(ask_body)]
