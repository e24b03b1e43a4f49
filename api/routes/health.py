"""GET /health: 200 once the index is loaded (the service does not serve before that)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import BotDep
from api.errors import error_responses
from api.routes.models import Health

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=Health, responses=error_responses())
async def health(bot: BotDep) -> JSONResponse:
    """Status, model and corpus counts."""
    corpus = bot.corpus
    return JSONResponse({
        "status": "ok", "model": corpus.encoder, "units": len(corpus.units),
        "commentary": len(corpus.commentary), "sources": len(corpus.sources),
        "articles": corpus.articles(), "chunks": len(bot.index), "corpus_hash": corpus.corpus_hash,
    })
