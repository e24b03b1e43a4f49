"""Translators' misalignment reports, kept in SQLite (`data_dir/reports.sqlite3`).

Each report stores a snapshot of the unit as it was when reported (citations, texts,
confidence, flags, corpus hash), so it still makes sense after a rebuild changes the unit.
One connection per operation (the routes run in the thread pool), WAL journal mode, every
insert in its own transaction, parameterised queries only. Reads are paginated (`page`) or
streamed in batches (`batches`, keyset on the id), so no read holds every report in memory.

    ReportsError            the database cannot be opened, read or written (a 503 for the API);
                            its message names no file (the path goes to the log) and never
                            advises moving one (a moved WAL database can lose reports)
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from api.sqlite import DatabaseUnavailable, connect
from corpus.models import AlignedUnit

Reason = Literal["wrong_pair", "translation_drift", "bad_split", "other"]
REASONS: tuple[str, ...] = get_args(Reason)
MAX_COMMENT = 2000
FILENAME = "reports.sqlite3"
CSV_COLUMNS = ("id", "created_at", "unit_id", "article", "reason", "comment", "citation_fr",
               "citation_en", "text_fr", "text_en", "confidence", "flags", "corpus_hash")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    article TEXT NOT NULL,
    reason TEXT NOT NULL,
    comment TEXT NOT NULL,
    citation_fr TEXT NOT NULL,
    citation_en TEXT NOT NULL,
    text_fr TEXT NOT NULL,
    text_en TEXT NOT NULL,
    source_fr TEXT NOT NULL,
    source_en TEXT NOT NULL,
    confidence REAL NOT NULL,
    flags TEXT NOT NULL,
    corpus_hash TEXT NOT NULL
)
"""
_COLUMNS = ("id", "created_at", "unit_id", "article", "reason", "comment", "citation_fr",
            "citation_en", "text_fr", "text_en", "source_fr", "source_en", "confidence", "flags",
            "corpus_hash")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500
ReportsError = DatabaseUnavailable  # the reports database cannot be used (api/sqlite.py)


def reports_path(data_dir: Path) -> Path:
    """Where the reports of a data dir live."""
    return data_dir / FILENAME


@dataclass(frozen=True)
class ReportStore:
    """The reports table of one SQLite file; safe to share between threads (it holds no
    connection, each call opens its own)."""

    path: Path

    @classmethod
    def open(cls, path: Path) -> ReportStore:
        """The store at `path`, created if missing; ReportsError if the file is unusable."""
        store = cls(path)
        with store._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.execute(_SCHEMA)
            store._check(conn)
        return store

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.path, "reports")

    def _check(self, conn: sqlite3.Connection) -> None:
        """The table has the columns this version writes (an older or foreign file is refused)."""
        found = {row["name"] for row in conn.execute("PRAGMA table_info(reports)")}
        missing = [c for c in _COLUMNS if c not in found]
        if missing:
            raise sqlite3.DatabaseError(f"its reports table lacks the columns {', '.join(missing)}")

    def add(self, unit: AlignedUnit, reason: str, comment: str, corpus_hash: str) -> dict[str, Any]:
        """Store one report with a snapshot of `unit`; the stored report."""
        created = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        values = (created, unit.id, unit.article, reason, comment, unit.fr.citation,
                  unit.en.citation, unit.fr.text, unit.en.text, unit.fr.source, unit.en.source,
                  unit.confidence, json.dumps(list(unit.flags)), corpus_hash)
        placeholders = ", ".join("?" for _ in values)
        with self._connect() as conn:
            with conn:  # one transaction: committed on success, rolled back on error
                cursor = conn.execute(f"INSERT INTO reports ({', '.join(_COLUMNS[1:])}) "
                                      f"VALUES ({placeholders})", values)
            row = conn.execute("SELECT * FROM reports WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return report_body(row)

    def page(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """`limit` reports from the `offset`-th newest, and how many there are in all."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM reports ORDER BY id DESC LIMIT ? OFFSET ?",
                                (limit, offset)).fetchall()
            total = int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
        return [report_body(row) for row in rows], total

    def batches(self, size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
        """Every report, newest first, `size` at a time (one short read each)."""
        before: int | None = None
        while True:
            with self._connect() as conn:
                rows = conn.execute(
                    "SELECT * FROM reports WHERE ? IS NULL OR id < ? ORDER BY id DESC LIMIT ?",
                    (before, before, size)).fetchall()
            if not rows:
                return
            yield [report_body(row) for row in rows]
            before = int(rows[-1]["id"])

    def reported_ids(self) -> set[str]:
        """The ids of the units that have at least one report."""
        with self._connect() as conn:
            return {str(row[0]) for row in conn.execute("SELECT DISTINCT unit_id FROM reports")}

    def list(self) -> list[dict[str, Any]]:
        """Every report, newest first (for small stores and tests; the API pages or streams)."""
        return [report for batch in self.batches() for report in batch]


def report_body(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the API's report object (citations and texts as they were reported)."""
    return {
        "id": int(row["id"]),
        "unit_id": row["unit_id"],
        "article": row["article"],
        "reason": row["reason"],
        "comment": row["comment"],
        "created_at": row["created_at"],
        "citation": {"fr": row["citation_fr"], "en": row["citation_en"]},
        "fr": {"text": row["text_fr"], "source": row["source_fr"]},
        "en": {"text": row["text_en"], "source": row["source_en"]},
        "alignment": {"confidence": float(row["confidence"]), "flags": json.loads(row["flags"])},
        "corpus_hash": row["corpus_hash"],
    }


def _cell(text: str) -> str:
    """A free-text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def reports_csv(reports: Iterable[Mapping[str, Any]]) -> str:
    """CSV with a header row (flags joined by ";"); comments are kept from running as formulas."""
    return "".join(csv_chunks([list(reports)]))


def csv_chunks(batches: Iterable[Iterable[Mapping[str, Any]]]) -> Iterator[str]:
    """The CSV of `reports_csv`, one piece per batch (the header first), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for batch in batches:
        for r in batch:
            writer.writerow([r["id"], r["created_at"], r["unit_id"], r["article"], r["reason"],
                             _cell(r["comment"]), r["citation"]["fr"], r["citation"]["en"],
                             r["fr"]["text"], r["en"]["text"],
                             f"{r['alignment']['confidence']:.3f}",
                             ";".join(r["alignment"]["flags"]), r["corpus_hash"]])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_chunks(batches: Iterable[Iterable[Mapping[str, Any]]]) -> Iterator[str]:
    """A JSON array of reports, one piece per batch, for streaming."""
    first = True
    yield "["
    for batch in batches:
        for report in batch:
            yield ("\n" if first else ",\n") + json.dumps(report, ensure_ascii=False)
            first = False
    yield "\n]\n"
