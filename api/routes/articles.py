"""GET /articles/{id}: a whole article, aligned alinéa by alinéa, in order."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import BotDep
from api.errors import error_responses
from api.routes.models import Result

router = APIRouter(tags=["texts"])


@router.get("/articles/{article_id}", response_model=list[Result], responses=error_responses(404))
async def article(article_id: str, bot: BotDep) -> JSONResponse:
    """Every aligned unit of an article (e.g. `L321-4-2`), in the article's order."""
    return JSONResponse([r.to_dict() for r in bot.article(article_id)])
