"""GET /sources: the sources with the provenance of every manifest field; GET /about: what the
chat page says they are (the profile's `[about]`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import BotDep
from api.errors import error_responses
from api.routes.models import About, Sources
from corpus.models import Corpus
from corpus.profile import ABOUT_TEXTS, Profile

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


def about_body(profile: Profile) -> dict[str, Any]:
    """The page's title, tagline, introduction, question-box example and example questions
    per language, from the profile beside the sources (null where it says nothing: the page
    keeps its generic text), with the profile's origin for them."""
    about = profile.about
    body: dict[str, Any] = {name: dict(about[name]) if name in about else None
                            for name in ABOUT_TEXTS}
    body["examples"] = ({lang: list(items) for lang, items in about["examples"].items()}
                        if "examples" in about else None)
    body["origin"] = profile.origins.get("about")
    return body


def about_served(bot: Any) -> dict[str, Any]:
    """`about_body` of the bot's profile, its introduction followed by the acts served beside
    what the profile was written for (`Bot.with_acts`: their titles, and how to search one)."""
    body = about_body(bot.profile)
    if body["intro"]:
        body["intro"] = {lang: bot.with_acts(text, lang) for lang, text in body["intro"].items()}
    return body


@router.get("/about", response_model=About, responses=error_responses())
async def about(bot: BotDep) -> JSONResponse:
    """What the sources are about, as the chat page presents them (title, tagline, intro,
    example questions), from the corpus profile and the acts served."""
    return JSONResponse(about_served(bot))
