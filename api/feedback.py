""""Did this help?" answers and the questions asked, kept in SQLite (`data_dir/feedback.sqlite3`)
for the admin's analytics.

Same pattern as `api/reports.py`: one connection per operation, WAL journal, `synchronous=FULL`
(a stored answer survives a power cut), every insert in its own transaction, parameterised
queries only. The questions asked go through `QuestionLog`: one writer thread stores them in
batches, so that logging costs a question a queue put, not a connection and a synced commit.

    FeedbackStore           the feedback and the questions of one SQLite file
    QuestionLog             the questions asked, written in batches by one thread
    FeedbackError           the database cannot be opened, read or written (a 503 for the API)
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.sqlite import DatabaseUnavailable, connect

FILENAME = "feedback.sqlite3"
# A question is stored at most this long (seconds) after it was asked: the questions of a
# busy second share one synced commit. On a crash, the questions of the last LINGER seconds
# can be lost (the log is the admin's analytics; feedback itself is stored before 201).
LINGER = 1.0
MAX_WAITING = 10_000  # questions waiting to be written; more are dropped (and counted)
logger = logging.getLogger("bilex.api")
_STOP = object()  # the question log's last row: its writer stops there
MAX_COMMENT = 2000
MAX_IDS = 50
CSV_COLUMNS = ("id", "created_at", "language", "helpful", "question", "ids", "comment")
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        language TEXT,
        helpful INTEGER NOT NULL,
        question TEXT NOT NULL,
        ids TEXT NOT NULL,
        comment TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        day TEXT NOT NULL,
        language TEXT NOT NULL,
        question TEXT NOT NULL,
        answered INTEGER NOT NULL,
        results INTEGER NOT NULL,
        followup INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS questions_day ON questions (day, language)",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


FeedbackError = DatabaseUnavailable  # the feedback database cannot be used (api/sqlite.py)


def feedback_path(data_dir: Path) -> Path:
    return data_dir / FILENAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Asked:
    """One question asked, as the analytics count it."""

    at: str  # ISO 8601, UTC
    question: str
    language: str
    answered: bool
    results: int
    followup: bool


@dataclass(frozen=True)
class FeedbackStore:
    """The feedback and question log of one SQLite file; holds no connection (thread-safe)."""

    path: Path

    @classmethod
    def open(cls, path: Path) -> FeedbackStore:
        store = cls(path)
        with store._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                for statement in _SCHEMA:
                    conn.execute(statement)
        return store

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.path, "feedback", durable=True)

    def add(self, question: str, ids: Sequence[str], helpful: bool, comment: str | None,
            language: str | None = None) -> int:
        """Store one "did this help?" answer; its id."""
        with self._connect() as conn:
            with conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (created_at, language, helpful, question, ids, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (_now(), language, int(helpful), question, json.dumps(list(ids)), comment))
        return int(cursor.lastrowid or 0)

    def log_question(self, question: str, language: str, answered: bool, results: int,
                     followup: bool) -> None:
        """Record one question asked (for the analytics)."""
        self.log_questions([Asked(_now(), question, language, answered, results, followup)])

    def log_questions(self, asked: Sequence[Asked]) -> None:
        """Record questions asked, in one transaction."""
        with self._connect() as conn:
            with conn:
                conn.executemany(
                    "INSERT INTO questions (created_at, day, language, question, answered, "
                    "results, followup) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(a.at, a.at[:10], a.language, a.question, int(a.answered), a.results,
                      int(a.followup)) for a in asked])

    def list(self) -> list[dict[str, Any]]:
        """Every feedback entry, newest first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM feedback ORDER BY id DESC").fetchall()
        return [_feedback(row) for row in rows]

    def analytics(self, top: int = 10) -> dict[str, Any]:
        """Questions per day and language, refusals, unhelpful answers, most-refused questions."""
        with self._connect() as conn:
            per_day = [dict(row) for row in conn.execute(
                "SELECT day, language, COUNT(*) AS questions, SUM(answered = 0) AS refused, "
                "SUM(followup) AS followups FROM questions GROUP BY day, language "
                "ORDER BY day, language")]
            totals = dict(conn.execute(
                "SELECT COUNT(*) AS questions, COALESCE(SUM(answered = 0), 0) AS refused "
                "FROM questions").fetchone())
            votes = dict(conn.execute(
                "SELECT COUNT(*) AS feedback, COALESCE(SUM(helpful = 0), 0) AS unhelpful "
                "FROM feedback").fetchone())
            refused = [dict(row) for row in conn.execute(
                "SELECT question, language, COUNT(*) AS times FROM questions WHERE answered = 0 "
                "GROUP BY lower(question), language ORDER BY times DESC, question LIMIT ?", (top,))]
            unhelpful = [_feedback(row) for row in conn.execute(
                "SELECT * FROM feedback WHERE helpful = 0 ORDER BY id DESC LIMIT ?", (top,))]
        return {"questions": totals["questions"], "refused": totals["refused"],
                "feedback": votes["feedback"], "unhelpful": votes["unhelpful"],
                "per_day": per_day, "most_refused": refused, "unhelpful_answers": unhelpful}


def _feedback(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": int(row["id"]), "created_at": row["created_at"], "language": row["language"],
            "helpful": bool(row["helpful"]), "question": row["question"],
            "ids": json.loads(row["ids"]), "comment": row["comment"]}


def _cell(text: str | None) -> str:
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def feedback_csv(entries: Sequence[Mapping[str, Any]]) -> str:
    """CSV with a UTF-8 byte-order mark and a header row; free text cannot run as a formula."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([e["id"], e["created_at"], e["language"] or "", int(e["helpful"]),
                         _cell(e["question"]), ";".join(e["ids"]), _cell(e["comment"])])
    return buffer.getvalue()


class QuestionLog:
    """The questions asked, stored by one writer thread in batches (`LINGER`). `add` never
    blocks and never fails the answer: it queues the row; a database that cannot be used is
    logged as a warning and its rows are dropped. `flush` waits until every question added
    before it is written (the analytics read them); `close` flushes and stops the thread.

    The database is opened by the writer, on the first question, so a server whose feedback
    file cannot be opened still answers (as before, each question then says so in the log)."""

    def __init__(self, path: Path, linger: float = LINGER, limit: int = MAX_WAITING) -> None:
        if linger < 0 or limit < 1:
            raise ValueError("linger must be >= 0 and limit >= 1")
        self.path, self.linger, self.limit = path, linger, limit
        self.dropped = 0
        self._rows: queue.SimpleQueue[Any] = queue.SimpleQueue()  # Asked rows, then _STOP
        self._state = threading.Condition()
        self._added = self._written = 0  # questions queued / handled (stored or dropped)
        self._flushing = threading.Event()
        self._closed = False
        self._store: FeedbackStore | None = None
        self._thread = threading.Thread(target=self._write_forever, name="bilex-questions",
                                        daemon=True)
        self._thread.start()

    def add(self, question: str, language: str, answered: bool, results: int,
            followup: bool) -> None:
        with self._state:
            if self._closed or self._added - self._written >= self.limit:
                self.dropped += 1
                return
            self._added += 1
        self._rows.put(Asked(_now(), question, language, answered, results, followup))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the questions added so far are handled; False on timeout."""
        with self._state:
            target = self._added
            self._flushing.set()
            return self._state.wait_for(lambda: self._written >= target, timeout)

    def close(self, timeout: float = 10.0) -> None:
        with self._state:
            if self._closed:
                return
            self._closed = True
        self._rows.put(_STOP)  # after every question added before: written first
        self._flushing.set()
        self._thread.join(timeout)

    def _write_forever(self) -> None:
        while True:
            first = self._rows.get()
            if first is _STOP:
                return
            # the questions of the next `linger` seconds share this commit (a flush or the
            # shutdown writes at once)
            self._flushing.wait(self.linger)
            self._flushing.clear()
            batch: list[Asked] = [first]
            stop = False
            while not stop:
                try:
                    row = self._rows.get_nowait()
                except queue.Empty:
                    break
                if row is _STOP:
                    stop = True
                else:
                    batch.append(row)
            self._write(batch)
            with self._state:
                self._written += len(batch)
                self._state.notify_all()
            if stop:
                return

    def _write(self, batch: list[Asked]) -> None:
        try:
            if self._store is None:
                self._store = FeedbackStore.open(self.path)
            self._store.log_questions(batch)
        except FeedbackError as exc:
            with self._state:
                self.dropped += len(batch)
            logger.warning("%d question(s) not logged: %s", len(batch), exc)
