""""Did this help?" answers and the questions asked, kept in SQLite (`data_dir/feedback.sqlite3`)
for the admin's analytics.

Same pattern as `api/reports.py`: one connection per operation, WAL journal, `synchronous=FULL`
(a stored answer survives a power cut), every insert in its own transaction, parameterised
queries only.

    FeedbackError           the database cannot be opened, read or written (a 503 for the API)
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.sqlite import DatabaseUnavailable, connect

FILENAME = "feedback.sqlite3"
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
        now = _now()
        with self._connect() as conn:
            with conn:
                conn.execute(
                    "INSERT INTO questions (created_at, day, language, question, answered, "
                    "results, followup) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (now, now[:10], language, question, int(answered), results, int(followup)))

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
