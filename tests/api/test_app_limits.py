"""The per-client rate limit on POST /ask (BILEX_RATE_LIMIT): 429 with Retry-After past it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.build import build_all
from api.settings import Settings


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    built = Settings(data_dir=tmp_path_factory.getbasetemp() / "bilex-data")
    build_all(built)  # a no-op when another module built it already
    return built


@pytest.fixture(scope="module")
def app_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"rate_limit": "3/minute"}))) as client:
        yield client


def test_fourth_question_in_a_minute_is_429_with_retry_after(app_client: TestClient) -> None:
    question = {"question": "Qu'est-ce que l'outplacement ?", "k": 1}
    for _ in range(3):
        assert app_client.post("/ask", json=question).status_code == 200
    response = app_client.post("/ask", json=question)
    assert response.status_code == 429
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": 429}
    assert "3/minute" in body["error"] and "try again" in body["error"]
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert response.headers["x-content-type-options"] == "nosniff"
    # Bad input still counts (the limit comes first), and other routes are not limited.
    assert app_client.post("/ask", json={"question": ""}).status_code == 429
    for _ in range(5):
        assert app_client.get("/health").status_code == 200
        assert app_client.get("/passages/L321-4-2.I.1").status_code == 200


def test_limit_is_per_client(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit": "1/minute"}))
    with TestClient(app, client=("10.0.0.1", 5000)) as first:
        second = TestClient(app, client=("10.0.0.2", 5000))
        question = {"question": "What is outplacement?", "k": 1}
        assert first.post("/ask", json=question).status_code == 200
        assert first.post("/ask", json=question).status_code == 429
        assert second.post("/ask", json=question).status_code == 200
