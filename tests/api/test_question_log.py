"""The question log: questions queued by /ask and stored in batches by one writer thread."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from api.feedback import FeedbackStore, QuestionLog


def _stored(path: Path) -> list[tuple[str, str, int, int, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT question, language, answered, results, followup "
                            "FROM questions ORDER BY id").fetchall()


def test_questions_added_together_share_one_commit_and_flush_stores_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each question had opened a connection and synced a commit of its own on /ask's path
    (about 1.5 ms of the /ask median on five acts, over HTTP)."""
    commits: list[int] = []
    store_rows = FeedbackStore.log_questions

    def counted(self: FeedbackStore, asked: list[object]) -> None:
        commits.append(len(asked))
        store_rows(self, asked)  # type: ignore[arg-type]

    monkeypatch.setattr(FeedbackStore, "log_questions", counted)
    path = tmp_path / "feedback.sqlite3"
    log = QuestionLog(path, linger=0.5)
    started = time.perf_counter()
    for i in range(20):
        log.add(f"question {i}", "fr", i % 2 == 0, 3, False)
    assert time.perf_counter() - started < 0.5  # queued, not written
    assert log.flush()
    rows = _stored(path)
    assert [r[0] for r in rows] == [f"question {i}" for i in range(20)]
    assert rows[1] == ("question 1", "fr", 0, 3, 0)
    assert sum(commits) == 20 and len(commits) <= 2
    log.close()


def test_close_stores_the_waiting_questions_and_later_ones_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    log = QuestionLog(path, linger=30.0)  # nothing would be written for 30 s but for close
    log.add("asked before the shutdown", "en", True, 5, True)
    started = time.perf_counter()
    log.close()
    assert time.perf_counter() - started < 5
    assert _stored(path) == [("asked before the shutdown", "en", 1, 5, 1)]
    log.add("asked after", "en", True, 5, False)
    assert log.dropped == 1 and len(_stored(path)) == 1


def test_a_full_queue_drops_questions_instead_of_growing(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    log = QuestionLog(path, linger=30.0, limit=2)
    for i in range(3):
        log.add(f"q{i}", "fr", True, 1, False)
    assert log.dropped == 1
    log.close()
    assert [r[0] for r in _stored(path)] == ["q0", "q1"]


def test_an_unusable_database_never_fails_the_question(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    log = QuestionLog(blocker / "feedback.sqlite3", linger=0.0)
    log.add("q", "fr", True, 1, False)  # no exception here
    assert log.flush()
    assert log.dropped == 1
    log.close()


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="linger"):
        QuestionLog(tmp_path / "f.sqlite3", linger=-1)
    with pytest.raises(ValueError, match="limit"):
        QuestionLog(tmp_path / "f.sqlite3", limit=0)
