"""GET /sources: the sources with the provenance of every manifest field."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import BotDep
from api.errors import error_responses
from api.routes.models import Sources
from corpus.models import Corpus

router = APIRouter(tags=["texts"])


def sources_body(corpus: Corpus) -> dict[str, Any]:
    """Each source (file, kind, languages, jurisdiction, title, provenance), copies and term variants."""
    return {
        "sources": [{"file": s.file, "kind": s.kind, "languages": list(s.languages),
                     "jurisdiction": s.jurisdiction, "title": s.title, "sha256": s.sha256,
                     "passages": s.passages, "provenance": s.fields} for s in corpus.sources],
        "copies": [asdict(c) for c in corpus.copies],
        "term_variants": [asdict(t) for t in corpus.terms],
        "term_pairs": list(corpus.term_pairs),
    }


@router.get("/sources", response_model=Sources, responses=error_responses())
async def sources(bot: BotDep) -> JSONResponse:
    """Where every text comes from, as the manifests state it, with each fact's origin."""
    return JSONResponse(sources_body(bot.corpus))
