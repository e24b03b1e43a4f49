"""GET /health: 200 once the index is loaded (the service does not serve before that).

It never waits behind /ask: questions are computed on the engine's worker thread, and this
route reads a few counters on the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import EngineDep
from api.errors import error_responses
from api.routes.models import Health

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=Health, responses=error_responses())
async def health(engine: EngineDep) -> JSONResponse:
    """Status, model, the serving corpus (its hash changes after a reload) and the load."""
    bot = engine.bot
    corpus = bot.corpus
    return JSONResponse({
        "status": "ok", "model": corpus.encoder, "units": len(corpus.units),
        "commentary": len(corpus.commentary), "sources": len(corpus.sources),
        "articles": corpus.articles(), "chunks": len(bot.index), "corpus_hash": corpus.corpus_hash,
        "load": engine.stats(),
    }, headers={"cache-control": "no-store"})
