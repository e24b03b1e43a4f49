"""The one HTTP error shape, and the mapping of every layer's errors onto it.

    RateLimited                 a client went over BILEX_RATE_LIMIT on POST /ask (429)
    Unavailable                 a transient failure (a busy or full database): 503 + Retry-After

The index store's database going away while serving (`StoreUnavailableError`) is 503 with
Retry-After too, naming neither its host nor its socket.

Every error leaves as `{"ok": false, "error": str, "status": int}`: bot errors (422, 404),
request validation (422, one sentence naming the field), unknown routes (404), wrong methods
(405), rate limits (429, with Retry-After) and anything unexpected (500, never a traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from api.load import ClientGone, Overloaded
from bot.errors import NotFoundError, OptionError, QuestionError
from indexer.errors import StoreUnavailableError

logger = logging.getLogger("bilex.api")


class ErrorBody(BaseModel):
    """What every 4xx and 5xx response carries."""

    model_config = ConfigDict(json_schema_extra={
        "example": {"ok": False, "error": "k must be an integer from 1 to 20, got 0", "status": 422}})

    ok: Literal[False] = Field(description="Always false on an error.")
    error: str = Field(description="What went wrong and, for bad input, what to fix.")
    status: int = Field(description="The HTTP status code, repeated.")


class RateLimited(Exception):
    """A client went over the per-client limit on POST /ask."""

    def __init__(self, limit: str, retry_after: int, what: str = "questions") -> None:
        self.limit = limit
        self.retry_after = retry_after
        super().__init__(f"too many {what}: the limit is {limit} per client; "
                         f"try again in {retry_after} s")


class Unavailable(Exception):
    """A transient failure the client may retry: 503 with Retry-After; the message says
    nothing of files or paths (those go to the log)."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        self.retry_after = retry_after
        super().__init__(message)


_REASONS = {
    400: "bad request",
    401: "authentication required",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "request too large",
    408: "request timeout",
    415: "unsupported media type",
    431: "request header fields too large",
    429: "too many requests",
    500: "internal error",
}
# One entry per status a route may answer, for `responses=` in the route decorators.
_DESCRIPTIONS = {
    404: "No such passage, article or route.",
    413: "The request body is too large.",
    405: "The route exists but not with this method.",
    422: "Bad input: `error` says what to fix.",
    429: "Too many questions from this client; retry after `Retry-After` seconds.",
    503: "Busy: the question could not be answered in time; retry after `Retry-After` seconds.",
    401: "The admin token is missing (`Authorization: Bearer <token>`).",
    403: "Forbidden: a wrong admin token, a non-loopback client, or a cross-site write.",
    400: "A Host header this server does not answer.",
    415: "The body is not sent as `Content-Type: application/json`.",
    500: "Internal error (no details are given out).",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` declaring the error body for each status (500 always)."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, 500}):
        entry: dict[str, Any] = {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
        if status in (429, 503):
            entry["headers"] = {"Retry-After": {
                "description": "Seconds to wait before asking again.",
                "schema": {"type": "integer", "minimum": 0}}}
        declared[status] = entry
    return declared


def error_response(status: int, message: str,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The error shape as a response."""
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status,
                        headers=dict(headers) if headers else None)


def too_large(limit: int) -> str:
    return f"the request body is too large: keep it under {limit} bytes (one short question)"


# -- validation errors as one sentence ---------------------------------------------------------
_FIELD_HINTS = {
    "question": "text (the question, in French or English)",
    "lang": "\"fr\", \"en\" or null",
    "k": "an integer (how many results)",
}


def _field(loc: Sequence[int | str]) -> str:
    """`("body", "question")` -> "question"; `("body",)` -> "the body"; paths as `a.b`."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) if parts else "the body"


def _sentence(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence that names the field and says what it must be."""
    field = _field(error.get("loc", ()))
    kind = str(error.get("type", ""))
    hint = _FIELD_HINTS.get(field)
    if kind == "json_invalid":
        return "the body is not valid JSON: send an object like {\"question\": \"...\"}"
    if field == "the body":
        if kind == "missing":
            return "the body is missing: send a JSON object like {\"question\": \"...\"}"
        return "the body must be a JSON object like {\"question\": \"...\", \"lang\": \"fr\", \"k\": 5}"
    if kind == "missing":
        return f"{field} is missing: it must be {hint}" if hint else f"{field} is missing"
    if kind == "extra_forbidden":
        return (f"{field} is not a known field: the body takes question, lang and k")
    if kind == "literal_error" and field == "lang":
        return f"lang must be \"fr\", \"en\" or null, got {_shown(error.get('input'))}"
    if hint:
        return f"{field} must be {hint}, got {_shown(error.get('input'))}"
    return f"{field}: {error.get('msg', 'invalid value')}"


def _shown(value: object) -> str:
    """A short JSON-ish rendering of a bad value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, int | float):
        return repr(value)
    return {"list": "a list", "dict": "an object"}.get(type(value).__name__, "a " + type(value).__name__)


def validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic's error list as one readable sentence (the first two problems)."""
    sentences = list(dict.fromkeys(_sentence(e) for e in errors))
    if not sentences:
        return "the request is not valid"
    more = len(sentences) - 2
    text = "; ".join(sentences[:2])
    return text + (f" (and {more} more)" if more > 0 else "")


# -- handlers ----------------------------------------------------------------------------------
async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = exc.errors()
    content_type = request.headers.get("content-type", "")
    if any(tuple(e.get("loc", ())) == ("body",) for e in problems) and "json" not in content_type:
        return error_response(422, "the body must be JSON: send it with Content-Type: "
                                   "application/json, e.g. {\"question\": \"...\"}")
    return error_response(422, validation_message(problems))


async def _on_bad_input(_: Request, exc: Exception) -> JSONResponse:
    return error_response(422, str(exc))


async def _on_not_found(_: Request, exc: Exception) -> JSONResponse:
    return error_response(404, str(exc))


async def _on_rate_limited(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return error_response(429, str(exc), {"Retry-After": str(exc.retry_after)})


async def _on_overloaded(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Overloaded)
    return error_response(503, str(exc), {"Retry-After": str(exc.retry_after)})


async def _on_unavailable(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unavailable)
    return error_response(503, str(exc), {"Retry-After": str(exc.retry_after)})


STORE_RETRY_AFTER = 5  # seconds: a database restart or fail-over is usually this quick


async def _on_store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The database behind BILEX_STORE stopped answering mid-question (restart, fail-over):
    # retry shortly. Where it lives (host, socket directory) stays in the log.
    logger.error("%s %s: %s", request.method, request.url.path, exc)
    return error_response(503, "the index database is not answering; try again in a few "
                               "seconds", {"Retry-After": str(STORE_RETRY_AFTER)})


async def _on_client_gone(_: Request, __: Exception) -> JSONResponse:
    # Nobody reads this: the client disconnected before its question was computed.
    return error_response(503, "the client disconnected before the answer was computed")


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400 and request.method == "POST":  # FastAPI could not read the body at all
        return error_response(422, _sentence({"type": "json_invalid"}))
    if status == 404:
        message = f"no route {request.url.path!r}: see /openapi.json for the API, / for the chat"
    elif status == 413:
        message = too_large(int(getattr(request.app, "max_body_size", 0) or 0))
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = (f"{request.method} is not allowed on {request.url.path!r}"
                   + (f"; use {allowed}" if allowed else ""))
    else:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        message = detail or _REASONS.get(status, "request failed")
    return error_response(status, message, exc.headers)


async def _on_crash(request: Request, exc: Exception) -> JSONResponse:
    logger.error("internal error on %s %s: %s: %s", request.method, request.url.path,
                 type(exc).__name__, exc)
    return error_response(500, "internal error: the answer could not be produced; "
                               "try again, and report it if it persists")


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(QuestionError, _on_bad_input)
    app.add_exception_handler(OptionError, _on_bad_input)
    app.add_exception_handler(NotFoundError, _on_not_found)
    app.add_exception_handler(RateLimited, _on_rate_limited)
    app.add_exception_handler(Overloaded, _on_overloaded)
    app.add_exception_handler(Unavailable, _on_unavailable)
    app.add_exception_handler(ClientGone, _on_client_gone)
    app.add_exception_handler(StoreUnavailableError, _on_store_unavailable)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_crash)
