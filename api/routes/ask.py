"""POST /ask: one question, answered with aligned and cited alinéas (or an honest refusal).

The answer is computed on the engine's worker thread, never on the event loop (see
`api/load.py`): 503 with Retry-After at once when it could not be answered in time, and
nothing computed for a client that left while its question waited.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import AskBody, EngineDep, RateLimit
from api.errors import error_responses
from api.load import priority
from api.responses import FastJSONResponse
from api.routes.feedback import record_question
from api.routes.models import AskResponse

router = APIRouter(tags=["questions"])


@router.post("/ask", response_model=AskResponse, responses=error_responses(413, 422, 429, 503))
async def ask(body: AskBody, engine: EngineDep, _: RateLimit, request: Request) -> FastJSONResponse:
    """Answer a question in French or English; `answered` is false when the sources do not cover it."""
    history = [t.model_dump() for t in body.history] if body.history else None
    cost = priority(body.question, history or ())
    engine.admit(cost)
    answer, spent = await engine.run(
        cost, request.is_disconnected,
        lambda bot: bot.ask(body.question, body.lang, body.k, history=history))
    # queued for the question log's own thread (api/feedback.py: QuestionLog)
    record_question(request, answer, bool(history))
    return FastJSONResponse(answer.to_dict(),
                            headers={"server-timing": f"ask;dur={1000 * spent:.2f}"})
