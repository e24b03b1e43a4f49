"""The translators' review of the alignment: the /align page, units with filters, misalignment
reports (stored in SQLite, exported as CSV or JSON), TMX/CSV exports and the bilingual glossary."""

from __future__ import annotations

import json
import re
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from api.admin import AdminDep
from api.deps import BotDep, WriteLimitDep
from api.errors import ErrorBody, Unavailable, error_responses
from api.reports import (
    MAX_COMMENT,
    REASONS,
    Reason,
    ReportsError,
    ReportStore,
    csv_chunks,
    json_chunks,
    reports_path,
)
from api.routes.models import OPEN, Alignment, Citation, Result, Side
from api.routes.pages import STATIC
from api.settings import Settings
from bot.engine import Bot
from bot.errors import NotFoundError
from bot.results import unit_result
from corpus.alignment import CONTENT_MISMATCH
from corpus.bitext.export import aligned_rows, to_csv, to_tmx
from corpus.bitext.glossary import GlossaryEntry, corpus_glossary, glossary_csv
from corpus.drift import (
    COPY_DIVERGES,
    LENGTH_RATIO,
    LOW_SIMILARITY,
    NO_COUNTERPART,
    NUMBER_MISMATCH,
    REFERENCE_MISMATCH,
    TERM_INCONSISTENT,
    UNIT_MISMATCH,
)
from corpus.models import AlignedUnit

router = APIRouter(tags=["review"])

KNOWN_FLAGS = (NUMBER_MISMATCH, REFERENCE_MISMATCH, TERM_INCONSISTENT, LENGTH_RATIO, UNIT_MISMATCH,
               NO_COUNTERPART, LOW_SIMILARITY, CONTENT_MISMATCH, COPY_DIVERGES)
EXAMPLE_BODY = '{"unit_id": "L321-4-2.I.4", "reason": "translation_drift", "comment": "..."}'
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {
    "model": ErrorBody,
    "description": "The reports database cannot be used now: retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}}}}
_PRIVATE = {"cache-control": "no-store"}
_STORE_LOCK = threading.Lock()


# -- bodies ------------------------------------------------------------------------------------
class ReportRequest(BaseModel):
    """The body of POST /align/reports."""

    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={
        "example": json.loads(EXAMPLE_BODY)})

    unit_id: str = Field(min_length=1, max_length=200,
                         description="The aligned unit's id, e.g. `L321-4-2.I.4` (see GET /align/units).")
    reason: Reason = Field(description="wrong_pair, translation_drift, bad_split or other.")
    comment: str = Field("", max_length=MAX_COMMENT,
                         description=f"What is wrong, in the reviewer's words (at most {MAX_COMMENT} "
                                     "characters).")


class Report(BaseModel):
    """A stored report, with the unit's citations and texts as they were when it was reported."""

    model_config = OPEN
    id: int
    unit_id: str
    article: str
    reason: Reason
    comment: str
    created_at: str = Field(description="UTC, ISO 8601 (e.g. 2025-01-31T09:30:00Z).")
    citation: Citation
    fr: Side
    en: Side
    alignment: Alignment
    corpus_hash: str = Field(description="The build the unit was reported in.")


class ArticleInfo(BaseModel):
    """An article or act of the served corpus, with how many of its units carry each flag."""

    model_config = OPEN
    id: str
    title: str
    units: int
    flagged: int
    flags: dict[str, int]


class GlossaryRow(BaseModel):
    """A French term and its English rendering(s); `consistent` false: rendered several ways."""

    model_config = OPEN
    fr: str
    en: str
    kind: Literal["defined_term", "paired_term", "variant"]
    consistent: bool
    renderings: list[str]
    units: list[str]
    origin: str


def _report_error(error: dict[str, Any]) -> str:
    """One pydantic error on a report body as a sentence that says what to fix."""
    field = ".".join(str(p) for p in error.get("loc", ())) or "the body"
    kind, value = str(error.get("type", "")), error.get("input")
    if kind == "extra_forbidden":
        return f"{field!r} is not a known field: the body takes unit_id, reason and comment"
    if field == "reason":
        return f"reason must be one of {', '.join(REASONS)}; got {json.dumps(value)[:60]}"
    if kind == "string_too_long" and isinstance(value, str):
        limit = MAX_COMMENT if field == "comment" else 200
        return f"{field} is {len(value)} characters long; keep it to {limit}"
    if kind == "string_too_short":
        return f"{field} is empty: give the id of an aligned unit, e.g. 'L321-4-2.I.4'"
    if kind in ("string_type", "model_type") and field != "the body":
        return f"{field} must be text, got {json.dumps(value)[:60]}"
    if kind == "model_type":
        return f"the body must be a JSON object like {EXAMPLE_BODY}"
    return f"{field}: {error.get('msg', 'invalid value')}"


async def report_body(request: Request) -> ReportRequest:
    """The body of a report, checked, with a message that says what to fix (422)."""
    if "json" not in request.headers.get("content-type", ""):
        raise HTTPException(422, f"the body must be JSON: send it with Content-Type: application/json, "
                                 f"e.g. {EXAMPLE_BODY}")
    try:
        raw = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(422, f"the body is not valid JSON: send an object like {EXAMPLE_BODY}") from None
    try:
        body = ReportRequest.model_validate(raw)
    except ValidationError as exc:
        problems = exc.errors()
        missing = [str(e["loc"][0]) for e in problems if e["type"] == "missing" and e["loc"]]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            raise HTTPException(422, f"{' and '.join(missing)} {verb} missing: send a JSON object "
                                     f"like {EXAMPLE_BODY}") from None
        sentences = dict.fromkeys(_report_error(dict(e)) for e in problems[:2])
        raise HTTPException(422, "; ".join(sentences)) from None
    return body


def get_store(request: Request) -> ReportStore:
    """The reports store of this app (opened once; 503 while the database cannot be used)."""
    with _STORE_LOCK:
        store: ReportStore | None = getattr(request.app.state, "reports", None)
        if store is None:
            settings: Settings = request.app.state.settings
            try:
                store = ReportStore.open(reports_path(settings.data_dir))
            except ReportsError as exc:
                raise _unavailable(exc) from None
            request.app.state.reports = store
    return store


StoreDep = Annotated[ReportStore, Depends(get_store)]
ReportBody = Annotated[ReportRequest, Depends(report_body)]


# -- helpers -----------------------------------------------------------------------------------
def _units(bot: Bot, article: str | None) -> list[AlignedUnit]:
    """The aligned units of one article (404 when unknown), or of the whole corpus."""
    if article is None:
        return list(bot.corpus.units)
    return [bot.units[r.id] for r in bot.article(article)]


def _flag_filter(bot: Bot, flag: str | None) -> str | None:
    """The flag asked for, checked: `any`, `none`, or a flag name (422 otherwise)."""
    if flag is None or flag in ("any", "none", *KNOWN_FLAGS):
        return flag
    present = sorted({f for u in bot.corpus.units for f in u.flags})
    if flag in present:
        return flag
    raise HTTPException(422, f"flag must be 'any', 'none' or a flag name such as "
                             f"{', '.join(present or KNOWN_FLAGS)}; got {flag[:60]!r}")


def _keep(unit: AlignedUnit, flag: str | None, max_confidence: float | None) -> bool:
    if max_confidence is not None and not unit.confidence < max_confidence:
        return False
    if flag == "any":
        return bool(unit.flags)
    if flag == "none":
        return not unit.flags
    return flag is None or flag in unit.flags


def _download(text: str, media_type: str, filename: str) -> Response:
    return Response(text, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _slug(article: str | None, units: list[AlignedUnit]) -> str:
    """A file name part: the article's own id (as the corpus spells it), or `corpus`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", units[0].article) if article and units else "corpus"


def _unavailable(exc: ReportsError) -> Unavailable:
    return Unavailable(str(exc), retry_after=5 if exc.transient else 60)


ArticleQuery = Annotated[str | None, Query(
    max_length=100, description="An article or act id (e.g. `L321-4-2`); absent: the whole corpus.")]
_TEXT = {"description": "The file, as an attachment."}


# -- the page ----------------------------------------------------------------------------------
@router.get("/align", include_in_schema=False)
async def review_page() -> FileResponse:
    """The review page: units side by side, filters, keyboard navigation, report form."""
    return FileResponse(STATIC / "align.html", media_type="text/html; charset=utf-8")


# -- units -------------------------------------------------------------------------------------
@router.get("/align/articles", response_model=list[ArticleInfo], responses=error_responses())
async def articles(bot: BotDep) -> JSONResponse:
    """The articles and acts of the served corpus, with their unit and flag counts."""
    titles = {s.file: s.title for s in bot.corpus.sources}
    out: dict[str, dict[str, Any]] = {}
    for unit in bot.corpus.units:
        entry = out.setdefault(unit.article, {
            "id": unit.article, "title": titles.get(unit.fr.source, unit.article), "units": 0,
            "flagged": 0, "flags": {}})
        entry["units"] += 1
        entry["flagged"] += bool(unit.flags)
        for flag in unit.flags:
            entry["flags"][flag] = entry["flags"].get(flag, 0) + 1
    return JSONResponse(list(out.values()))


@router.get("/align/units", response_model=list[Result], responses=error_responses(404, 422))
async def units(
    bot: BotDep,
    article: ArticleQuery = None,
    flag: Annotated[str | None, Query(
        max_length=60, json_schema_extra={"enum": ["any", "none", *KNOWN_FLAGS]},
        description="`any` (some flag), `none` (no flag) or one flag, e.g. `term_inconsistent`.")] = None,
    max_confidence: Annotated[float | None, Query(
        ge=0, le=1, description="Only units whose confidence is below this (0 to 1).")] = None,
) -> JSONResponse:
    """The aligned units (Result objects with article, section and number), filtered, in order."""
    wanted = _flag_filter(bot, flag)
    return JSONResponse([unit_result(u, 1.0).to_dict() for u in _units(bot, article)
                         if _keep(u, wanted, max_confidence)])


# -- reports -----------------------------------------------------------------------------------
@router.post("/align/reports", status_code=201, response_model=Report,
             responses={**error_responses(404, 413, 422, 429), **_UNAVAILABLE},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ReportRequest.model_json_schema()}}}})
async def create_report(body: ReportBody, bot: BotDep, store: StoreDep,
                        _: WriteLimitDep) -> JSONResponse:
    """Report a misaligned unit: stored with the unit's citations and texts as they are now
    (at most BILEX_REPORT_LIMIT per client)."""
    unit = bot.units.get(body.unit_id)
    if unit is None:
        raise NotFoundError(f"no aligned unit with id {body.unit_id[:80]!r}; ids look like "
                            "'L321-4-2.I.4' (see GET /align/units)")
    try:
        report = await run_in_threadpool(store.add, unit, body.reason, body.comment.strip(),
                                         bot.corpus.corpus_hash)
    except ReportsError as exc:
        raise _unavailable(exc) from None
    return JSONResponse(report, status_code=201)


LimitQuery = Annotated[int, Query(ge=1, le=1000, description="Reports per page (newest first).")]
OffsetQuery = Annotated[int, Query(ge=0, le=10**9, description="How many of the newest reports to skip.")]


@router.get("/align/reports", response_model=list[Report],
            responses={**error_responses(401, 403, 422), **_UNAVAILABLE})
def list_reports(store: StoreDep, _: AdminDep, limit: LimitQuery = 100,
                 offset: OffsetQuery = 0) -> JSONResponse:
    """One page of reports, newest first (`X-Total-Count` says how many there are; the admin
    token is needed, see BILEX_ADMIN_TOKEN)."""
    try:
        page, total = store.page(limit, offset)
    except ReportsError as exc:
        raise _unavailable(exc) from None
    return JSONResponse(page, headers={**_PRIVATE, "x-total-count": str(total)})


def _stream(store: StoreDep, chunks: Any, media_type: str, filename: str) -> StreamingResponse:
    """Every report, streamed a batch at a time; a database that cannot be read is a 503 before
    anything is sent."""
    batches = store.batches()
    try:
        first: list[dict[str, Any]] = next(batches, [])
    except ReportsError as exc:
        raise _unavailable(exc) from None

    def all_batches() -> Any:
        yield first
        try:
            yield from batches
        except ReportsError:  # the response has started: the download ends short, logged
            return

    return StreamingResponse(chunks(all_batches()), media_type=media_type, headers={
        **_PRIVATE, "content-disposition": f'attachment; filename="{filename}"'})


@router.get("/align/reports.json", response_model=list[Report],
            responses={**error_responses(401, 403), **_UNAVAILABLE})
def reports_json(store: StoreDep, _: AdminDep) -> StreamingResponse:
    """Every report, newest first, as a JSON file to download (streamed)."""
    return _stream(store, json_chunks, "application/json", "bilex-reports.json")


@router.get("/align/reports.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, **_TEXT},
                       **error_responses(401, 403), **_UNAVAILABLE})
def reports_csv_file(store: StoreDep, _: AdminDep) -> StreamingResponse:
    """Every report, newest first, as CSV (one row each, with the unit's citations and texts)."""
    return _stream(store, csv_chunks, "text/csv; charset=utf-8", "bilex-reports.csv")


# -- exports -----------------------------------------------------------------------------------
@router.get("/align/export.tmx", response_class=Response,
            responses={200: {"content": {"application/x-tmx+xml": {"schema": {"type": "string"}}},
                             **_TEXT}, **error_responses(404, 422)})
async def export_tmx(bot: BotDep, article: ArticleQuery = None) -> Response:
    """The aligned units as TMX 1.4 (French first: it prevails), each `tu` with its id and citations."""
    units = _units(bot, article)
    rows, extra = aligned_rows(units)
    tmx = to_tmx(rows, srclang="fr", tuids=[e["id"] for e in extra], props=extra)
    return _download(tmx, "application/x-tmx+xml; charset=utf-8", f"bilex-{_slug(article, units)}.tmx")


@router.get("/align/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, **_TEXT},
                       **error_responses(404, 422)})
async def export_csv(bot: BotDep, article: ArticleQuery = None) -> Response:
    """The aligned units as CSV: id, article, citations, then the columns of `bilex align --format csv`."""
    units = _units(bot, article)
    rows, extra = aligned_rows(units)
    return _download(to_csv(rows, extra=extra), "text/csv; charset=utf-8",
                     f"bilex-{_slug(article, units)}.csv")


# -- glossary ----------------------------------------------------------------------------------
def _glossary(bot: Bot, article: str | None) -> tuple[list[GlossaryEntry], str]:
    """The glossary of an article (404 when unknown) or of the corpus, and its file name part."""
    units = _units(bot, article)
    exact = units[0].article if article is not None else None
    return corpus_glossary(bot.corpus, exact), _slug(article, units)


@router.get("/align/glossary", response_model=list[GlossaryRow], responses=error_responses(404, 422))
async def glossary(bot: BotDep, article: ArticleQuery = None) -> JSONResponse:
    """Defined terms, paired terms and terms rendered several ways (`consistent` false)."""
    return JSONResponse([e.as_dict() for e in _glossary(bot, article)[0]])


@router.get("/align/glossary.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, **_TEXT},
                       **error_responses(404, 422)})
async def glossary_file(bot: BotDep, article: ArticleQuery = None) -> Response:
    """The bilingual glossary as CSV."""
    entries, slug = _glossary(bot, article)
    return _download(glossary_csv(entries), "text/csv; charset=utf-8", f"bilex-glossary-{slug}.csv")
