"""GET /passages/{id}: one aligned unit or commentary passage by its id."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import BotDep
from api.errors import error_responses
from api.responses import FastJSONResponse
from api.routes.models import Result

router = APIRouter(tags=["texts"])


@router.get("/passages/{passage_id}", response_model=Result, responses=error_responses(404))
async def passage(passage_id: str, bot: BotDep) -> FastJSONResponse:
    """One unit (e.g. `L321-4-2.I.4`) or commentary passage (e.g. `001_24733fa58d0b5c4f.p2`)."""
    return FastJSONResponse(bot.passage(passage_id).to_dict())
