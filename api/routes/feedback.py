"""POST /feedback ("did this help?"); the admin's GET /feedback.json, /feedback.csv, /analytics.

The questions asked are logged in the same SQLite file, in batches (see `record_question`)."""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from api.admin import AdminDep
from api.errors import ErrorBody, Unavailable, error_responses
from api.feedback import FeedbackError, FeedbackStore, QuestionLog, feedback_csv, feedback_path
from api.routes.models import FeedbackCreated, FeedbackRequest
from api.settings import Settings
from bot.results import Answer

router = APIRouter(tags=["feedback"])
_ADMIN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "BILEX_ADMIN_TOKEN is set and no Bearer token was sent."},
    403: {"model": ErrorBody, "description": "Wrong token, or (no token set) a client other than "
                                             "this machine."},
    503: {"model": ErrorBody, "description": "The feedback database cannot be used."},
}
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "CSV with a UTF-8 byte-order mark."}}
logger = logging.getLogger("bilex.api")
_LOCK = threading.Lock()


def get_feedback(request: Request) -> FeedbackStore:
    """The feedback store of this app (opened once; 503 while the database cannot be used)."""
    with _LOCK:
        store: FeedbackStore | None = getattr(request.app.state, "feedback", None)
        if store is None:
            settings: Settings = request.app.state.settings
            try:
                store = FeedbackStore.open(feedback_path(settings.data_dir))
            except FeedbackError as exc:
                raise Unavailable(str(exc), retry_after=5 if exc.transient else 60) from None
            request.app.state.feedback = store
    return store


FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]


def question_log(app: Any) -> QuestionLog:
    """The question log of this app (started on first use; `close_question_log` stops it)."""
    with _LOCK:
        log: QuestionLog | None = getattr(app.state, "question_log", None)
        if log is None:
            settings: Settings = app.state.settings
            log = QuestionLog(feedback_path(settings.data_dir))
            app.state.question_log = log
    return log


def close_question_log(app: Any) -> None:
    """Store the questions still waiting and stop the log's writer (the server's shutdown)."""
    with _LOCK:
        log: QuestionLog | None = getattr(app.state, "question_log", None)
        app.state.question_log = None
    if log is not None:
        log.close()


def record_question(request: Request, answer: Answer, followup: bool) -> None:
    """Log one answered or refused question for the analytics: queued, stored within a
    second by the log's own thread (a logging failure never fails the answer)."""
    question_log(request.app).add(answer.question, answer.language, answer.answered,
                                  len(answer.results), followup)


@router.post("/feedback", status_code=201, response_model=FeedbackCreated,
             responses={**error_responses(422), 503: _ADMIN[503]})
def feedback(body: FeedbackRequest, store: FeedbackDep) -> JSONResponse:
    """Whether an answer helped (and an optional comment); stored durably."""
    comment = body.comment.strip() if body.comment else None
    try:
        new_id = store.add(body.question.strip(), body.ids, body.helpful, comment or None, body.lang)
    except FeedbackError as exc:
        raise Unavailable(str(exc), retry_after=5 if exc.transient else 60) from None
    return JSONResponse({"ok": True, "id": new_id}, status_code=201)


@router.get("/feedback.json", responses={**error_responses(), **_ADMIN})
def feedback_json(_: AdminDep, store: FeedbackDep) -> list[dict[str, Any]]:
    """Every feedback entry, newest first (admin)."""
    return store.list()


@router.get("/feedback.csv", response_class=Response,
            responses={**_CSV, **error_responses(), **_ADMIN})
def feedback_table(_: AdminDep, store: FeedbackDep) -> Response:
    """Every feedback entry as CSV (admin)."""
    return Response(feedback_csv(store.list()), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="feedback.csv"'})


@router.get("/analytics", responses={**error_responses(), **_ADMIN})
def analytics(_: AdminDep, store: FeedbackDep, request: Request) -> dict[str, Any]:
    """Questions per day and language, refusals, unhelpful answers, most-refused questions (admin)."""
    question_log(request.app).flush()  # the questions asked until now, all counted
    return store.analytics()
