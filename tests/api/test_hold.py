"""Holding under load and trusting nothing by default (issue 10): hosts, media types,
cross-site writes, nested bodies, the admin token on reports, the write limit, the token cap,
admission control, and, against a real `bilex serve`, X-Forwarded-For and hot swap."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.build import build_all
from api.load import ClientGone, Engine, Overloaded
from api.settings import Settings
from corpus.build import default_sources_dir

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "a-long-enough-admin-token-for-tests"
REPORT = {"unit_id": "L321-4-2.I.4", "reason": "translation_drift", "comment": "x"}


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    built = Settings(data_dir=tmp_path_factory.getbasetemp() / "bilex-data")
    build_all(built)
    return built


def fresh(settings: Settings, tmp_path: Path, **changes: Any) -> Settings:
    """The built data dir copied (reports land in a fresh database), with `changes`."""
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("reports.sqlite3*"))
    return settings.model_copy(update={"data_dir": data, **changes})


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def assert_error(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": status}
    for word in words:
        assert word.lower() in body["error"].lower(), body["error"]


# -- trust ---------------------------------------------------------------------------------
def test_untrusted_host_is_400(settings: Settings) -> None:
    strict = settings.model_copy(update={"trusted_hosts": "127.0.0.1,localhost"})
    with TestClient(create_app(strict), base_url="http://127.0.0.1:8000") as local:
        assert local.get("/health").status_code == 200
        assert local.get("/health", headers={"host": "localhost:8000"}).status_code == 200
        assert_error(local.get("/health", headers={"host": "attacker.example"}), 400,
                     "attacker.example", "BILEX_TRUSTED_HOSTS")
        assert_error(local.post("/ask", json={"question": "outplacement"},
                                headers={"host": "rebind.example:8000"}), 400)


def test_default_trusted_hosts_are_loopback_names() -> None:
    assert Settings.model_fields["trusted_hosts"].default == "127.0.0.1,localhost"
    assert Settings.model_fields["forwarded_allow_ips"].default == ""


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},
    {"origin": "https://evil.example"},
    {"origin": "http://testserver:8080"},
    {"origin": "null"},
], ids=["fetch-cross-site", "fetch-same-site", "origin-other", "origin-other-port", "origin-null"])
def test_cross_site_writes_are_403(client: TestClient, headers: dict[str, str]) -> None:
    assert_error(client.post("/ask", json={"question": "outplacement"}, headers=headers), 403,
                 "this site")
    assert_error(client.post("/align/reports", json=REPORT, headers=headers), 403)


def test_same_origin_writes_are_answered(client: TestClient) -> None:
    for headers in ({"sec-fetch-site": "same-origin", "origin": "http://testserver"},
                    {"sec-fetch-site": "none"}, {}):
        response = client.post("/ask", json={"question": "outplacement"}, headers=headers)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/ask", "/align/reports"])
@pytest.mark.parametrize("shape", ["list", "object"])
def test_deeply_nested_body_is_422(client: TestClient, path: str, shape: str) -> None:
    """A 4 KB body nested 2,000 levels deep is refused before any parser recurses into it."""
    open_, close = ("[", "]") if shape == "list" else ('{"a":', "}")
    body = '{"question": ' + open_ * 2000 + "1" + close * 2000 + "}"
    response = client.post(path, content=body.encode(), headers={"content-type": "application/json"})
    assert_error(response, 422, "nests more than")


def test_brackets_inside_strings_are_not_nesting(settings: Settings, tmp_path: Path) -> None:
    comment = "[{" * 200 + ' \\" ' + "}]" * 200
    with TestClient(create_app(fresh(settings, tmp_path))) as app:
        response = app.post("/align/reports", json={**REPORT, "comment": comment})
    assert response.status_code == 201, response.text
    assert response.json()["comment"] == comment


def test_spoofed_forwarded_for_is_not_trusted_by_default() -> None:
    from api.serve import uvicorn_config

    config = uvicorn_config(Settings(data_dir=Path("unused")))
    assert config.proxy_headers is False
    trusted = uvicorn_config(Settings(data_dir=Path("unused"), forwarded_allow_ips="10.0.0.1"))
    assert trusted.proxy_headers is True and trusted.forwarded_allow_ips == "10.0.0.1"


# -- reports -------------------------------------------------------------------------------
def test_reports_need_the_token_when_it_is_set(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(fresh(settings, tmp_path, admin_token=TOKEN))) as app:
        assert app.post("/align/reports", json=REPORT).status_code == 201  # writing needs none
        for path in ("/align/reports", "/align/reports.csv", "/align/reports.json"):
            missing = app.get(path)
            assert_error(missing, 401, "Authorization: Bearer")
            assert missing.headers["www-authenticate"] == "Bearer"
            assert_error(app.get(path, headers={"authorization": "Bearer wrong-token"}), 403)
            assert_error(app.get(path, headers={"authorization": f"Basic {TOKEN}"}), 401)
            good = app.get(path, headers={"authorization": f"Bearer {TOKEN}"})
            assert good.status_code == 200 and good.headers["cache-control"] == "no-store"
            assert "translation_drift" in good.text


def test_without_token_only_loopback_clients_read_reports(settings: Settings, tmp_path: Path) -> None:
    app = create_app(fresh(settings, tmp_path))
    with TestClient(app, client=("203.0.113.7", 5000)) as remote:
        assert_error(remote.get("/align/reports"), 403, "BILEX_ADMIN_TOKEN")
        assert remote.get("/health").status_code == 200
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        assert local.get("/align/reports").status_code == 200


def test_report_reads_are_paginated(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(fresh(settings, tmp_path))) as app:
        made = [app.post("/align/reports", json={**REPORT, "comment": str(i)}).json()["id"]
                for i in range(5)]
        page = app.get("/align/reports", params={"limit": 2, "offset": 1})
        assert [r["id"] for r in page.json()] == made[::-1][1:3]
        assert page.headers["x-total-count"] == "5"
        assert_error(app.get("/align/reports", params={"limit": 0}), 422, "limit")
        assert len(app.get("/align/reports.json").json()) == 5
        assert app.get("/align/reports.csv").text.count("\n") == 6


def test_reports_have_a_per_client_write_limit(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(fresh(settings, tmp_path, report_limit="3/hour"))) as app:
        statuses = [app.post("/align/reports", json=REPORT).status_code for _ in range(5)]
        assert statuses == [201, 201, 201, 429, 429]
        over = app.post("/align/reports", json=REPORT)
        assert_error(over, 429, "3/hour")
        assert int(over.headers["retry-after"]) >= 1


def test_busy_database_is_503_with_retry_after_and_no_path(settings: Settings,
                                                           tmp_path: Path) -> None:
    import sqlite3

    changed = fresh(settings, tmp_path)
    with TestClient(create_app(changed)) as app:
        assert app.post("/align/reports", json=REPORT).status_code == 201
        path = changed.data_dir / "reports.sqlite3"
        holder = sqlite3.connect(path)
        holder.execute("BEGIN EXCLUSIVE")  # another writer holds the database
        try:
            store = app.app.state.reports  # type: ignore[attr-defined]
            object.__setattr__(store, "path", path)
            import api.reports as reports

            original = reports.sqlite3.connect
            reports.sqlite3.connect = lambda *a, **k: original(*a, **{**k, "timeout": 0.1})  # type: ignore[assignment]
            try:
                response = app.post("/align/reports", json=REPORT)
            finally:
                reports.sqlite3.connect = original  # type: ignore[assignment]
        finally:
            holder.rollback()
            holder.close()
    assert_error(response, 503, "try again")
    assert int(response.headers["retry-after"]) >= 1
    assert str(tmp_path) not in response.text and "move" not in response.text.lower()


# -- bounded cost ---------------------------------------------------------------------------
def test_long_question_is_cut_by_tokens_before_embedding(client: TestClient) -> None:
    bot = client.app.state.engine.bot  # type: ignore[attr-defined]
    inner = bot.embedder.inner
    while inner.max_query_tokens is None and hasattr(inner, "inner"):  # past the caches
        inner = inner.inner
    cap = inner.max_query_tokens
    assert cap == Settings().max_query_tokens
    for question in ("a-" * 995, "d'l'" * 500, "L. 321-4-2 " * 181):
        assert inner.query_tokens(question) > cap
        with inner._lock:
            cut = inner._truncate(question, cap)
        head, join, tail = cut.partition(" … ")  # its start and its end
        assert join and question.startswith(head) and question.endswith(tail)
        assert inner.query_tokens(cut) <= cap
        assert inner.query_tokens(cut) >= cap - 8  # cut near the cap (at a space if one is near)
        assert (inner.query(question) == inner.query(cut)).all()


def test_repeated_question_comes_from_the_query_cache(client: TestClient) -> None:
    cache = client.app.state.engine.bot.embedder  # type: ignore[attr-defined]
    question = "Qui paie l'allocation spécifique de reclassement ?"
    before = cache.hits
    first = client.post("/ask", json={"question": question}).json()
    second = client.post("/ask", json={"question": question}).json()
    assert cache.hits >= before + 1 and first == second


def test_engine_sheds_what_it_cannot_answer_in_time(client: TestClient) -> None:
    engine = Engine(client.app.state.engine.bot, answer_within=1.0)  # type: ignore[attr-defined]
    try:
        engine.service = [0.4, 0.4]
        engine.admit(10)
        engine.admit(10)  # 0.4 s waiting + 0.4 s: still in time
        with pytest.raises(Overloaded) as shed:
            engine.admit(10)  # 0.8 s waiting + 0.4 s > 1 s
        assert shed.value.retry_after >= 1 and engine.shed == 1
        engine.counts = [0, 0]
        engine.service = [5.0, 5.0]  # one slow question: the next still comes in when none waits
        engine.admit(10)
        # Three long questions admitted: a short one waits for the computing one only.
        engine.counts, engine.service = [0, 3], [0.1, 0.5]
        engine.admit(10)  # 0.5 s + 0.1 s
        with pytest.raises(Overloaded):
            engine.admit(2000)  # 0.1 + 1.5 s + 0.5 s
    finally:
        engine.close()


def test_question_of_a_client_that_left_is_not_computed(client: TestClient) -> None:
    engine = Engine(client.app.state.engine.bot, answer_within=1.0)  # type: ignore[attr-defined]
    computed: list[str] = []

    async def gone() -> bool:
        return True

    async def ask() -> None:
        engine.admit(1.0)
        await engine.run(1.0, gone, lambda bot: computed.append("x"))

    try:
        with pytest.raises(ClientGone):
            asyncio.run(ask())
        assert computed == [] and engine.dropped == 1 and engine.admitted == 0
    finally:
        engine.close()


def test_short_questions_pass_long_ones_and_otherwise_first_come_first_served(
        client: TestClient) -> None:
    engine = Engine(client.app.state.engine.bot, answer_within=60.0)  # type: ignore[attr-defined]
    order: list[float] = []
    release = threading.Event()

    async def stay() -> bool:
        return False

    async def scenario() -> None:
        async def one(priority: float) -> None:
            engine.admit(priority)
            await engine.run(priority, stay, lambda bot: order.append(priority) or release.wait(5))

        first = asyncio.create_task(one(0.0))  # takes the worker
        await asyncio.sleep(0.05)
        rest = []
        for p in (2000.0, 120.0, 900.0, 40.0):
            rest.append(asyncio.create_task(one(p)))
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(first, *rest)

    try:
        asyncio.run(scenario())
        assert order == [0.0, 120.0, 40.0, 2000.0, 900.0]
    finally:
        engine.close()


def test_questions_are_answered_on_the_embedding_engines_thread(client: TestClient) -> None:
    """No hop from the worker to the engine's thread and back for each question's embedding
    (a worker of its own had cost 2.3-2.7 ms of /ask p50 on five acts); once closed, the
    engine takes no more work (503) and leaves the process's engine thread running."""
    from indexer.embedders import engine_executor

    engine = Engine(client.app.state.engine.bot, answer_within=1.0)  # type: ignore[attr-defined]

    async def stay() -> bool:
        return False

    async def ask() -> int:
        engine.admit(1.0)
        ident, _ = await engine.run(1.0, stay, lambda bot: threading.get_ident())
        return ident

    engines = engine_executor().submit(threading.get_ident).result()
    assert asyncio.run(ask()) == engines
    engine.close()
    with pytest.raises(Overloaded):
        asyncio.run(ask())
    assert engine.admitted == 0
    assert engine_executor().submit(threading.get_ident).result() == engines  # still running
    assert client.post("/ask", json={"question": "Qui finance la formation ?"}).status_code == 200


# -- a real `bilex serve` -------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`bilex serve` in a subprocess, on a free port, until stopped."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port",
             str(self.port)], cwd=ROOT, env={**os.environ, **env}, stderr=subprocess.PIPE,
            text=True)
        assert self.process.stderr is not None
        banner = self.process.stderr.readline()  # printed once the port is bound
        assert "serving on" in banner, banner
        self.lines: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.mark.slow
def test_spoofed_forwarded_for_does_not_escape_the_rate_limit(settings: Settings) -> None:
    served = Served({"BILEX_DATA_DIR": str(settings.data_dir), "BILEX_RATE_LIMIT": "3/minute"})
    try:
        with httpx.Client(base_url=served.url, timeout=30) as http:
            statuses = [http.post("/ask", json={"question": "outplacement"},
                                  headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code
                        for i in range(6)]
            bad_host = http.get("/health", headers={"host": "evil.example"})
    finally:
        served.stop()
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert bad_host.status_code == 400


@pytest.mark.slow
def test_sighup_after_rebuild_swaps_the_index_without_failing_a_request(
        settings: Settings, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(default_sources_dir(), sources)
    changed = fresh(settings, tmp_path, sources_dir=sources, rate_limit="100000/minute")
    build_all(changed)
    served = Served({"BILEX_DATA_DIR": str(changed.data_dir), "BILEX_SOURCES_DIR": str(sources),
                     "BILEX_RATE_LIMIT": "100000/minute"})
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=served.url, timeout=30) as http:
            while not stop.is_set():
                statuses.append(http.post("/ask", json={"question": "Qui paie la CRP ?"}).status_code)

    try:
        with httpx.Client(base_url=served.url, timeout=30) as http:
            before = http.get("/health").json()["corpus_hash"]
            asker = threading.Thread(target=keep_asking)
            asker.start()
            # A failed load (a broken index) keeps the serving one.
            manifest = changed.index_dir / "manifest.json"
            saved = manifest.read_bytes()
            manifest.write_text("{broken")
            served.process.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 120
            while not any("reload failed" in line for line in served.lines):
                assert time.monotonic() < deadline, served.lines
                time.sleep(0.2)
            manifest.write_bytes(saved)
            assert http.get("/health").json()["corpus_hash"] == before
            # A rebuilt corpus and index are loaded and switched to.
            first = sorted(sources.glob("000_*.txt"))[0]
            first.write_text(first.read_text(encoding="utf-8") + "\n\nA paragraph added to "
                             "change the corpus for this test.\n", encoding="utf-8")
            build_all(changed)
            served.process.send_signal(signal.SIGHUP)
            after = before
            while after == before:
                assert time.monotonic() < deadline + 240, served.lines
                time.sleep(0.2)
                after = http.get("/health").json()["corpus_hash"]
            time.sleep(1.0)
            stop.set()
            asker.join(60)
    finally:
        stop.set()
        served.stop()
    assert len(statuses) >= 3 and set(statuses) == {200}, statuses
    assert any("reload failed" in line and "still serving" in line for line in served.lines)
