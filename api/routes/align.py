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
from corpus.bitext.glossary import GlossaryEntry, corpus_glossary, glossary_csv, glossary_tbx
from corpus.bitext.segments import sentence_segments
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
    titles: dict[str, str] = Field(description="The title in French and in English (`fr`, `en`).")
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


def _keep(unit: AlignedUnit, flag: str | None, max_confidence: float | None,
          reported: set[str] | None = None) -> bool:
    if max_confidence is not None and not unit.confidence < max_confidence:
        return False
    if reported is not None and unit.id not in reported:
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
FlagQuery = Annotated[str | None, Query(
    max_length=60, json_schema_extra={"enum": ["any", "none", *KNOWN_FLAGS]},
    description="`any` (some drift flag), `none` (no flag) or one flag, e.g. `term_inconsistent`.")]
ConfidenceQuery = Annotated[float | None, Query(
    ge=0, le=1, description="Only units whose confidence is below this (0 to 1).")]
ReportedQuery = Annotated[bool, Query(
    description="Only units that a reviewer has reported (user reports, not drift flags).")]
DelimiterQuery = Annotated[Literal["comma", "semicolon"], Query(
    description="CSV delimiter: `comma` (default) or `semicolon` (French spreadsheets).")]


def _reported_ids(request: Request, reported: bool) -> set[str] | None:
    """The ids of reported units when the `reported` filter is on (None: no filter)."""
    if not reported:
        return None
    try:
        return get_store(request).reported_ids()
    except ReportsError as exc:
        raise _unavailable(exc) from None


def _filtered(request: Request, bot: Bot, article: str | None, flag: str | None,
              max_confidence: float | None, reported: bool) -> list[AlignedUnit]:
    """The units of an article (or the corpus) that pass the review page's filters."""
    wanted = _flag_filter(bot, flag)
    ids = _reported_ids(request, reported)
    return [u for u in _units(bot, article) if _keep(u, wanted, max_confidence, ids)]


def _locales(bot: Bot, units: list[AlignedUnit]) -> dict[str, str]:
    """Language codes with region from the units' source manifest (`locales`), when given
    and the same for every unit; bare "fr"/"en" otherwise."""
    by_file = {s.file: s.fields.get("locales", {}).get("value") or {} for s in bot.corpus.sources}
    found = {tuple(sorted(by_file.get(u.fr.source, {}).items())) for u in units}
    if len(found) != 1:
        return {}
    return {k: str(v) for k, v in found.pop() if k in ("fr", "en") and str(v)[:2] == k}
_TEXT = {"description": "The file, as an attachment."}


# -- the page ----------------------------------------------------------------------------------
@router.get("/align", include_in_schema=False)
async def review_page() -> FileResponse:
    """The review page: units side by side, filters, keyboard navigation, report form."""
    return FileResponse(STATIC / "align.html", media_type="text/html; charset=utf-8")


def _titles(fields: dict[str, dict[str, Any]], title: str) -> dict[str, str]:
    """The title in each language: the manifest's `titles` when it gives them, else the name
    its citation gives in that language (the citation before its first comma:
    "Code canadien du travail, L.R.C. (1985), ch. L-2" -> "Code canadien du travail")."""
    given = (fields.get("titles") or {}).get("value")
    if isinstance(given, dict) and given.get("fr") and given.get("en"):
        return {"fr": str(given["fr"]), "en": str(given["en"])}
    citation = (fields.get("citation") or {}).get("value")
    out = {"fr": title, "en": title}
    if isinstance(citation, dict):
        for lang in ("fr", "en"):
            name = str(citation.get(lang) or "").split(",")[0].strip()
            if name:
                out[lang] = name
    return out


# -- units -------------------------------------------------------------------------------------
@router.get("/align/articles", response_model=list[ArticleInfo], responses=error_responses())
async def articles(bot: BotDep) -> JSONResponse:
    """The articles and acts of the served corpus, with their unit and flag counts."""
    titles = {s.file: s.title for s in bot.corpus.sources}
    fields = {s.file: s.fields for s in bot.corpus.sources}
    out: dict[str, dict[str, Any]] = {}
    for unit in bot.corpus.units:
        title = titles.get(unit.fr.source, unit.article)
        entry = out.setdefault(unit.article, {
            "id": unit.article, "title": title,
            "titles": _titles(fields.get(unit.fr.source, {}), title), "units": 0,
            "flagged": 0, "flags": {}})
        entry["units"] += 1
        entry["flagged"] += bool(unit.flags)
        for flag in unit.flags:
            entry["flags"][flag] = entry["flags"].get(flag, 0) + 1
    return JSONResponse(list(out.values()))


@router.get("/align/units", response_model=list[Result],
            responses={**error_responses(404, 422), **_UNAVAILABLE})
def units(
    request: Request,
    bot: BotDep,
    article: ArticleQuery = None,
    flag: FlagQuery = None,
    max_confidence: ConfidenceQuery = None,
    reported: ReportedQuery = False,
) -> JSONResponse:
    """The aligned units (Result objects with article, section and number), filtered, in order."""
    kept = _filtered(request, bot, article, flag, max_confidence, reported)
    return JSONResponse([unit_result(u, 1.0, status=bot.status.of_unit(u)).to_dict()
                         for u in kept])


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
SegmentsQuery = Annotated[Literal["paragraph", "sentence"], Query(
    description="`paragraph` (default): one segment per aligned unit; `sentence`: each unit "
                "split into aligned sentence pairs, numbering kept out as a `prop`.")]


@router.get("/align/export.tmx", response_class=Response,
            responses={200: {"content": {"application/x-tmx+xml": {"schema": {"type": "string"}}},
                             **_TEXT}, **error_responses(404, 422), **_UNAVAILABLE})
def export_tmx(request: Request, bot: BotDep, article: ArticleQuery = None,
               segments: SegmentsQuery = "paragraph", flag: FlagQuery = None,
               max_confidence: ConfidenceQuery = None, reported: ReportedQuery = False) -> Response:
    """The aligned units as TMX 1.4 (French first: it prevails), each `tu` with its id and
    citations; the review page's filters (`flag`, `max_confidence`, `reported`) apply."""
    units = _filtered(request, bot, article, flag, max_confidence, reported)
    rows, extra = aligned_rows(units)
    pieces = sentence_segments(rows, bot.embedder) if segments == "sentence" else None
    tmx = to_tmx(rows, srclang="fr", tuids=[e["id"] for e in extra], props=extra,
                 segments=pieces, locales=_locales(bot, units))
    suffix = "-sentences" if segments == "sentence" else ""
    return _download(tmx, "application/x-tmx+xml; charset=utf-8",
                     f"bilex-{_slug(article, units)}{suffix}.tmx")


@router.get("/align/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, **_TEXT},
                       **error_responses(404, 422), **_UNAVAILABLE})
def export_csv(request: Request, bot: BotDep, article: ArticleQuery = None,
               delimiter: DelimiterQuery = "comma", flag: FlagQuery = None,
               max_confidence: ConfidenceQuery = None, reported: ReportedQuery = False) -> Response:
    """The aligned units as CSV (UTF-8 with a byte-order mark): id, article, citations, then
    `source` (French) and `target` (English) and the columns of `bilex align --format csv`."""
    units = _filtered(request, bot, article, flag, max_confidence, reported)
    rows, extra = aligned_rows(units)
    text = to_csv(rows, extra=extra, delimiter=";" if delimiter == "semicolon" else ",")
    return _download(text, "text/csv; charset=utf-8", f"bilex-{_slug(article, units)}.csv")


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
async def glossary_file(bot: BotDep, article: ArticleQuery = None,
                        delimiter: DelimiterQuery = "comma") -> Response:
    """The bilingual glossary as CSV (UTF-8 with a byte-order mark, French `source` first)."""
    entries, slug = _glossary(bot, article)
    text = glossary_csv(entries, delimiter=";" if delimiter == "semicolon" else ",")
    return _download(text, "text/csv; charset=utf-8", f"bilex-glossary-{slug}.csv")


@router.get("/align/glossary.tbx", response_class=Response,
            responses={200: {"content": {"application/x-tbx+xml": {"schema": {"type": "string"}}},
                             **_TEXT}, **error_responses(404, 422)})
async def glossary_tbx_file(bot: BotDep, article: ArticleQuery = None) -> Response:
    """The bilingual glossary as TBX (one concept entry per term pair; translate-toolkit reads
    it), language codes with region when the source's manifest gives them."""
    entries, slug = _glossary(bot, article)
    units = _units(bot, article)
    text = glossary_tbx(entries, locales=_locales(bot, units))
    return _download(text, "application/x-tbx+xml; charset=utf-8", f"bilex-glossary-{slug}.tbx")
