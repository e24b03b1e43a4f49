"""POST /ask: one question, answered with aligned and cited alinéas (or an honest refusal)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import AskBody, BotDep, RateLimit
from api.errors import error_responses
from api.routes.feedback import record_question
from api.routes.models import AskResponse

router = APIRouter(tags=["questions"])


@router.post("/ask", response_model=AskResponse, responses=error_responses(413, 422, 429))
async def ask(body: AskBody, bot: BotDep, _: RateLimit, request: Request) -> JSONResponse:
    """Answer a question in French or English; `answered` is false when the sources do not cover it."""
    # Computed on the event loop's thread (~10 ms, CPU-bound, the embedder is serialised anyway):
    # no thread-pool hop, and the embedding engine keeps the one warm thread pool it started with.
    start = time.perf_counter()
    history = [t.model_dump() for t in body.history] if body.history else None
    answer = bot.ask(body.question, body.lang, body.k, history=history)
    elapsed = 1000 * (time.perf_counter() - start)
    record_question(request, answer, bool(history))
    return JSONResponse(answer.to_dict(), headers={"server-timing": f"ask;dur={elapsed:.2f}"})
