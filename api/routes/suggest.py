"""GET /suggest: completions while typing (headings, glossary terms, example questions)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import BotDep
from api.errors import error_responses
from api.routes.models import Suggestions

router = APIRouter(tags=["questions"])


@router.get("/suggest", response_model=Suggestions, responses=error_responses(422))
async def suggest(bot: BotDep, q: Annotated[str, Query(max_length=200)] = "",
                  lang: Literal["fr", "en"] = "fr") -> dict[str, list[str]]:
    """1 to 8 completions of `q` in `lang`, from the corpus and the profile's examples."""
    return {"suggestions": bot.suggester.complete(q, lang)}
