"""The web chat's pages (`/` and `/article.html`); scripts and styles are under /static."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def chat() -> FileResponse:
    """The chat page."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/article.html")
async def article_page() -> FileResponse:
    """A whole article, French beside English (reads `?id=`)."""
    return FileResponse(STATIC / "article.html", media_type="text/html; charset=utf-8")
