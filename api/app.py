"""The HTTP service: `create_app(settings)` builds the FastAPI app; its lifespan loads the bot once.

Per-request work is kept to what is needed: one pure-ASGI layer adds the security headers, one
refuses what no honest client sends (`api/guard.py`), the Prometheus instrumentator is pure
ASGI too, and the answer is computed on the engine's one worker thread, with admission
control and hot swap on SIGHUP (`api/load.py`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from prometheus_client import (
    CollectorRegistry,
    Gauge,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from api.build import load_bot
from api.deps import AskLimit, WriteLimit
from api.guard import Guard
from api.load import Engine, QueryCache
from api.routes import (
    align,
    articles,
    ask,
    feedback,
    health,
    metrics,
    pages,
    passages,
    sources,
    suggest,
)
from api.routes.pages import STATIC
from api.settings import Settings
from bot.engine import Bot
from corpus.errors import CorpusError
from indexer.errors import IndexerError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("latin-1"), value.encode("latin-1")) for name, value in (
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ))
DESCRIPTION = (
    "Bilex answers questions (in French or English) about outplacement and the personalised "
    "redeployment agreement (article L321-4-2 of the French Labour Code) with the article's "
    "alinéas in both languages, side by side, with exact citations, or says plainly that its "
    "sources do not cover the question. The French text prevails; the English is a translation. "
    "Every error is `{\"ok\": false, \"error\": str, \"status\": int}`.")


def _version() -> str:
    try:
        return version("bilex")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "0.0.0"


def _one_line(text: str) -> str:
    """A lifespan failure's traceback reduced to its message (uvicorn logs it as is)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "startup failed"
    name, sep, message = last.partition(": ")
    return f"bilex: {message if sep and ' ' not in name else last}"


def body_limit(settings: Settings) -> int:
    """The largest request body accepted: a longest question, JSON-escaped, with room to spare."""
    return 12 * settings.max_question_chars + 4096


class Edge:
    """Pure ASGI: security headers on every HTTP response (500s included, as this wraps
    Starlette's error middleware), 413 in the one error shape for a declared body over the
    limit (bodies without a length are cut by FastAPI's own limit), and a one-line message
    when startup fails."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            started = time.perf_counter()

            async def send_secured(message: Message) -> None:
                if message["type"] == "http.response.start":
                    spent = f"app;dur={1000 * (time.perf_counter() - started):.2f}"
                    message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS,
                                          (b"server-timing", spent.encode("latin-1"))]
                await send(message)

            if self._declared_length(scope) > self.max_body:
                response = errors.error_response(413, errors.too_large(self.max_body))
                await response(scope, receive, send_secured)
                return
            await self.app(scope, receive, send_secured)
        elif scope["type"] == "lifespan":
            async def send_short(message: Message) -> None:
                if message["type"] == "lifespan.startup.failed":
                    message = {**message, "message": _one_line(message.get("message") or "")}
                await send(message)

            await self.app(scope, receive, send_short)
        else:
            await self.app(scope, receive, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                return int(value) if value.isdigit() else 0
        return 0


class StartupError(RuntimeError):
    """The bot cannot be loaded (no corpus or index, or a stale one)."""


class BilexApp(FastAPI):
    """FastAPI with the `Edge` layer outermost and an OpenAPI schema that states the configured
    bounds of POST /ask (question length, `k`)."""

    settings: Settings

    def build_middleware_stack(self) -> ASGIApp:
        limit = body_limit(self.settings)
        return Edge(Guard(super().build_middleware_stack(), self.settings.trusted_host_list, limit),
                    limit)

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema:
            return self.openapi_schema
        schema = get_openapi(title=self.title, version=self.version, description=self.description,
                             routes=self.routes, tags=self.openapi_tags)
        props = schema["components"]["schemas"]["AskRequest"]["properties"]
        props["question"].update(minLength=1, maxLength=self.settings.max_question_chars)
        for branch in props["k"].get("anyOf", [props["k"]]):
            if branch.get("type") == "integer":
                branch.update(minimum=1, maximum=self.settings.max_k)
        props["k"]["description"] += f" (1 to {self.settings.max_k}; default {self.settings.default_k})"
        # FastAPI adds a 422 to routes with path parameters; a string path parameter cannot fail
        # validation, and the errors Bilex gives are all ErrorBody.
        for operations in schema["paths"].values():
            for operation in operations.values():
                answer = operation["responses"].get("422", {})
                if "HTTPValidationError" in str(answer.get("content", "")):
                    del operation["responses"]["422"]
        for unused in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(unused, None)
        self.openapi_schema = schema
        return schema


def serving_bot(settings: Settings) -> Bot:
    """The bot over the built corpus and index, its queries cut to BILEX_MAX_QUERY_TOKENS and
    their vectors kept in an LRU of BILEX_QUERY_CACHE entries."""
    bot = load_bot(settings)
    bot.embedder = QueryCache(bot.embedder, settings.query_cache)
    return bot


def create_app(settings: Settings, *, reload_on_hup: bool = False) -> FastAPI:
    """The web chat and the HTTP API over the corpus and index built in `settings.data_dir`.
    With `reload_on_hup` (`bilex serve`), SIGHUP loads a rebuilt index and switches to it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            bot = serving_bot(settings)
        except (CorpusError, IndexerError) as exc:
            hint = "" if "bilex build" in str(exc) else " (run `bilex build`)"
            raise StartupError(f"cannot start: {exc}{hint}") from None
        engine = Engine(bot, settings.answer_within)
        app.state.engine, app.state.bot = engine, bot
        # /health answers at once; the first questions wait for the warm-up (about 2 s on acts)
        warming = asyncio.create_task(engine.warm())
        loop = asyncio.get_running_loop()
        if reload_on_hup:
            loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(reload(app)))
        try:
            yield
        finally:
            if reload_on_hup:
                loop.remove_signal_handler(signal.SIGHUP)
            if not warming.done():
                warming.cancel()
            engine.close()
            await asyncio.to_thread(feedback.close_question_log, app)  # waiting questions stored

    async def reload(app: FastAPI) -> None:
        engine: Engine = app.state.engine
        logging.getLogger("bilex.api").warning("SIGHUP: loading the index in %s",
                                               settings.data_dir.name)
        if await asyncio.to_thread(engine.swap, lambda: serving_bot(settings)):
            app.state.bot = engine.bot

    app = BilexApp(
        title="Bilex", version=_version(), description=DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None,  # Swagger UI needs inline scripts, which the CSP forbids
        max_body_size=body_limit(settings),
        openapi_tags=[
            {"name": "questions", "description": "Ask in French or English."},
            {"name": "texts", "description": "Passages, whole articles and their sources."},
            {"name": "operations", "description": "Health and metrics."},
        ],
    )
    app.settings = settings
    app.state.settings = settings
    app.state.ask_limit = AskLimit.from_settings(settings)
    app.state.write_limit = WriteLimit.from_settings(settings)
    app.state.reload = reload

    registry = CollectorRegistry()
    for collector in (ProcessCollector, PlatformCollector, GCCollector):
        collector(registry=registry)
    app.state.metrics_registry = registry

    def engine_figure(name: str) -> float:
        engine: Engine | None = getattr(app.state, "engine", None)
        return float(engine.stats()[name]) if engine is not None else 0.0

    for name, text in (
            ("waiting", "Questions admitted and not yet answered."),
            ("service_ms", "Mean compute time of a question (moving average), ms."),
            ("shed", "Questions answered 503 since the start: they could not be answered in time."),
            ("dropped", "Questions not computed since the start: their client had left."),
            ("cache_hits", "Query embeddings taken from the in-memory cache since the last load.")):
        Gauge(f"bilex_ask_{name}", text, registry=registry).set_function(
            functools.partial(engine_figure, name))
    Instrumentator(registry=registry, should_group_status_codes=False,
                   should_ignore_untemplated=True, excluded_handlers=["/metrics"]).instrument(app)

    errors.install(app)
    for module in (ask, passages, articles, sources, health, metrics, pages):
        app.include_router(module.router)
    app.include_router(align.router)
    app.include_router(suggest.router)
    app.include_router(feedback.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
