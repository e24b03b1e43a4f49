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
from slowapi import Limiter
from slowapi.util import get_remote_address

from api.errors import RateLimited
from api.routes.models import AskRequest
from api.settings import Settings
from bot.engine import Bot
from bot.errors import OptionError, QuestionError


@dataclass(frozen=True)
class AskLimit:
    """The per-client limit on POST /ask: slowapi's limiter (key and storage) and the parsed limit."""

    limiter: Limiter
    item: RateLimitItem
    text: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AskLimit:
        limiter = Limiter(key_func=get_remote_address, strategy="fixed-window",
                          storage_uri="memory://", headers_enabled=False)
        return cls(limiter, parse(settings.rate_limit), settings.rate_limit)

    def hit(self, request: Request) -> None:
        """Count one question from this client; RateLimited once over the limit."""
        key = get_remote_address(request)
        if not self.limiter.limiter.hit(self.item, key, "ask"):
            reset = self.limiter.limiter.get_window_stats(self.item, key, "ask").reset_time
            raise RateLimited(self.text, max(1, math.ceil(reset - time.time())))


async def get_bot(request: Request) -> Bot:
    """The bot the lifespan loaded."""
    bot: Bot = request.app.state.bot
    return bot


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def rate_limit(request: Request) -> None:
    """Count this request against the client's limit on POST /ask (429 when over)."""
    limit: AskLimit = request.app.state.ask_limit
    limit.hit(request)


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
SettingsDep = Annotated[Settings, Depends(get_settings)]
RateLimit = Annotated[None, Depends(rate_limit)]
AskBody = Annotated[AskRequest, Depends(ask_body)]
