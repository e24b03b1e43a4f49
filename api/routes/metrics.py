"""GET /metrics: Prometheus text (request counts and latencies, process figures)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from api.errors import error_responses

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response, responses={
    200: {"description": "Prometheus text exposition format.",
          "content": {"text/plain": {"schema": {"type": "string"}}}},
    **error_responses()})
async def metrics(request: Request) -> Response:
    """The app's Prometheus metrics (prometheus-fastapi-instrumentator, plus process metrics)."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
