"""One way to open the service's SQLite stores (reports, feedback) and to report their failures.

A failure becomes a `DatabaseUnavailable` whose message says what happened, never where: the
file's path and the driver's words go to the log, and no message advises moving a file (a
database in WAL mode moved without its -wal file loses acknowledged writes).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

logger = logging.getLogger("bilex.api")
_TRANSIENT = ("locked", "busy", "full", "disk i/o", "unable to open", "readonly")


class DatabaseUnavailable(RuntimeError):
    """A store's database cannot be used now (`transient`: retry shortly) or at all."""

    def __init__(self, message: str, transient: bool) -> None:
        self.transient = transient
        super().__init__(message)


def database_error(exc: BaseException, path: Path, what: str) -> DatabaseUnavailable:
    """The client's error for a failure of the `what` database (details in the log)."""
    logger.error("%s database %s: %s: %s", what, path, type(exc).__name__, exc)
    text = str(exc).lower()
    if isinstance(exc, OSError) or any(word in text for word in _TRANSIENT):
        return DatabaseUnavailable(f"the {what} database is busy or its disk is full right "
                                   "now; try again shortly", transient=True)
    detail = str(exc) if "lacks the columns" in str(exc) else "it is damaged or not Bilex's"
    return DatabaseUnavailable(f"the {what} database cannot be read ({detail}); the server's "
                               "log says more and the operator must repair or restore it",
                               transient=False)


@contextmanager
def connect(path: Path, what: str, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection with named rows (`durable`: every commit synced to disk);
    DatabaseUnavailable on any failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=10.0)) as conn:
            conn.row_factory = sqlite3.Row
            if durable:
                conn.execute("PRAGMA synchronous=FULL")
            yield conn
    except (sqlite3.Error, OSError) as exc:
        raise database_error(exc, path, what) from None
