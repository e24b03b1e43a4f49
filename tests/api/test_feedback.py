"""POST /feedback stored durably in SQLite; the admin's feedback and analytics behind the token."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.feedback import FeedbackStore, feedback_path
from api.settings import Settings

pytestmark = pytest.mark.slow
LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.7", 50000)


@pytest.fixture()
def fresh(built_settings: Settings, tmp_path: Path) -> Settings:
    """Settings over a copy of the built data dir, without any feedback database."""
    data = tmp_path / "data"
    shutil.copytree(built_settings.data_dir, data,
                    ignore=shutil.ignore_patterns("feedback.sqlite3*", "reports.sqlite3*"))
    return built_settings.model_copy(update={"data_dir": data})


@pytest.fixture()
def local(fresh: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.delenv("BILEX_ADMIN_TOKEN", raising=False)
    with TestClient(create_app(fresh), client=LOOPBACK) as client:
        yield client


def test_feedback_is_stored_and_listed(local: TestClient) -> None:
    created = local.post("/feedback", json={"question": "Qui finance la CRP ?",
                                            "ids": ["L321-4-2.II.1"], "helpful": False,
                                            "comment": "=pas clair"})
    assert created.status_code == 201
    body = created.json()
    assert body["ok"] is True and isinstance(body["id"], int)
    listed = local.get("/feedback.json").json()
    assert listed[0]["question"] == "Qui finance la CRP ?" and listed[0]["helpful"] is False
    rows = list(csv.reader(io.StringIO(local.get("/feedback.csv").text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["id", "created_at", "language", "helpful"]
    assert rows[1][-1] == "'=pas clair"  # a spreadsheet will not run it


def test_feedback_survives_a_restart(fresh: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILEX_ADMIN_TOKEN", raising=False)
    with TestClient(create_app(fresh), client=LOOPBACK) as client:
        client.post("/feedback", json={"question": "q", "ids": [], "helpful": True})
    assert FeedbackStore(feedback_path(fresh.data_dir)).list()[0]["question"] == "q"
    with TestClient(create_app(fresh), client=LOOPBACK) as client:
        assert [f["question"] for f in client.get("/feedback.json").json()] == ["q"]


@pytest.mark.parametrize("body", [
    {"question": "q", "ids": [], "helpful": "yes"},
    {"question": "", "ids": [], "helpful": True},
    {"question": "q", "ids": "L321-4-2.I.1", "helpful": True},
    {"ids": [], "helpful": True},
])
def test_bad_feedback_is_422(local: TestClient, body: dict[str, object]) -> None:
    response = local.post("/feedback", json=body)
    assert response.status_code == 422
    assert response.json()["ok"] is False


def test_analytics_counts_questions_refusals_and_unhelpful_answers(local: TestClient) -> None:
    local.post("/ask", json={"question": "Qui finance la convention de reclassement personnalisé ?"})
    for _ in range(2):
        local.post("/ask", json={"question": "Comment faire une pâte à pizza ?"})
    local.post("/feedback", json={"question": "x", "ids": [], "helpful": False})
    stats = local.get("/analytics").json()
    assert stats["questions"] == 3 and stats["refused"] == 2 and stats["unhelpful"] == 1
    assert stats["most_refused"][0] == {"question": "Comment faire une pâte à pizza ?",
                                        "language": "fr", "times": 2}
    assert sum(day["questions"] for day in stats["per_day"]) == 3
    assert {day["language"] for day in stats["per_day"]} == {"fr"}


def test_questions_asked_are_all_stored_by_the_shutdown(fresh: Settings) -> None:
    """The question log writes in batches on its own thread; stopping the server stores
    what is still waiting."""
    with TestClient(create_app(fresh), client=LOOPBACK) as client:
        for question in ("Qui finance la convention de reclassement personnalisé ?",
                         "Comment faire une pâte à pizza ?"):
            assert client.post("/ask", json={"question": question}).status_code == 200
    stats = FeedbackStore(feedback_path(fresh.data_dir)).analytics()
    assert stats["questions"] == 2 and stats["refused"] == 1


def test_admin_routes_without_token_are_loopback_only(fresh: Settings,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILEX_ADMIN_TOKEN", raising=False)
    with TestClient(create_app(fresh), client=REMOTE) as remote:
        assert remote.post("/feedback", json={"question": "q", "ids": [], "helpful": True}
                           ).status_code == 201  # anyone may give feedback
        for path in ("/feedback.json", "/feedback.csv", "/analytics"):
            assert remote.get(path).status_code == 403, path


def test_admin_routes_need_the_bearer_token(fresh: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILEX_ADMIN_TOKEN", "s3cret-token")
    if "admin_token" in Settings.model_fields:  # the setting, when Settings carries it
        fresh = fresh.model_copy(update={"admin_token": Settings().admin_token})
    with TestClient(create_app(fresh), client=LOOPBACK) as client:
        for path in ("/feedback.json", "/feedback.csv", "/analytics"):
            assert client.get(path).status_code == 401, path
            wrong = client.get(path, headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 403 and wrong.json()["ok"] is False
            right = client.get(path, headers={"Authorization": "Bearer s3cret-token"})
            assert right.status_code == 200, path


def test_damaged_feedback_database_is_503_without_path_or_advice_to_move(fresh: Settings) -> None:
    path = feedback_path(fresh.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a SQLite database\n" * 50)
    with TestClient(create_app(fresh), raise_server_exceptions=False) as client:
        response = client.post("/feedback", json={"question": "q ?", "ids": [], "helpful": True})
        assert response.status_code == 503 and response.headers["retry-after"]
        message = response.json()["error"]
        assert "feedback database" in message and "log" in message
        assert str(path) not in message and path.name not in message and "move" not in message
