"""The index in PostgreSQL (>= 16) with pgvector (>= 0.8): `BILEX_STORE=postgresql://...`.

One build is one schema, `bilex_g<UTC time>_<random>`, holding:
    manifest    the IndexManifest as JSON (one row)
    chunks      pos (FAISS row / BM25 document number), the Chunk's fields and its vector
                (NULL for a text indexed for its words only); an HNSW index (vector_ip_ops:
                vectors are unit length, so inner product is the cosine) answers the dense
                search
    terms       the lexical vocabulary: term -> term_id (terms analysed by indexer.lexical)
    postings    (term_id, pos, weight): each term's BM25 weight in each document, exactly
                the matrix bm25s computes, so a query's score is the sum of its terms'
                weights: the same scores as the FAISS store's bm25s index
    artifacts   named blobs built with the index (the corpus), for servers on other machines

`bilex.current` names the served schema. A build fills its new schema, then switches the
pointer in the same transaction: readers see the old index or the new one, never a mix. The
schema served before stays (servers that have not reloaded keep reading it); older ones are
dropped. Servers only read, so they can point at read replicas.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from indexer.chunk import Chunk, corpus_hash
from indexer.embedders import Embedder
from indexer.errors import (
    REBUILD_HINT,
    ConfigError,
    IndexCorruptError,
    IndexLoadError,
    IndexMismatchError,
    IndexMissingError,
    QueryError,
    StoreUnavailableError,
)
from indexer.lexical import LexicalIndex, query_tokens
from indexer.store import (
    FORMAT_VERSION,
    Index,
    IndexManifest,
    IndexParams,
    Progress,
    Store,
    _check_chunks,
    _embed,
    check_manifest,
)

CONTROL = "bilex"  # the schema holding the pointer to the served generation
PREFIX = "bilex_g"
DENSE_KIND = "pgvector-hnsw"
MIN_SERVER = 160000  # PostgreSQL 16
MIN_VECTOR = (0, 8)
MAX_EF_SEARCH = 1000  # pgvector's upper bound for hnsw.ef_search
BUILD_LOCK = 0x62696C6578  # advisory lock key: one build at a time per database
CONNECT_TIMEOUT = 5
T = TypeVar("T")


def describe(url: str) -> str:
    """`postgresql://USER@HOST:PORT/DB`, without the password, for messages."""
    info = conninfo_to_dict(url)
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or 'localhost'}{port}/{info.get('dbname', '')}"


def _one_line(exc: BaseException, secret: str | None) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.replace(secret, "***") if secret else text


class _Session:
    """One connection shared by the dense and lexical searches of a loaded index; reconnects
    once if the server went away (restart, fail-over)."""

    def __init__(self, store: PostgresStore, schema: str) -> None:
        self.store = store
        self.schema = schema
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = store._reader()
        self._settings: dict[str, str] = {}

    def run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        with self._lock:
            for attempt in (1, 2):
                conn = self._conn
                if conn is None or conn.closed:
                    conn = self._conn = self.store._reader()
                    self._settings = {}
                try:
                    return work(conn)
                except psycopg.errors.UndefinedTable as exc:
                    raise IndexMismatchError(self.store.where, "the index this process loaded "
                                             "was replaced by two newer builds: reload the "
                                             "server (kill -HUP) or restart it") from exc
                except psycopg.OperationalError as exc:
                    conn.close()
                    if attempt == 2:
                        raise StoreUnavailableError(
                            self.store.where, f"the database stopped answering "
                            f"({_one_line(exc, self.store.password)})") from exc
            raise AssertionError("unreachable")

    def setting(self, conn: psycopg.Connection[Any], name: str, value: str) -> None:
        if self._settings.get(name) != value:
            conn.execute("SELECT set_config(%s, %s, false)", (name, value))
            self._settings[name] = value

    def table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(name))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class PgDense:
    """Dense search with pgvector's HNSW index; row `pos` is chunk `pos`."""

    kind = DENSE_KIND

    def __init__(self, session: _Session, dim: int, count: int, ef_search: int) -> None:
        self.session = session
        self._dim = dim
        self._count = count
        self.ef_search = ef_search

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        return self._count

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(positions, cosine scores) of the `k` nearest chunks, best first."""
        if k < 1:
            raise QueryError(f"k must be at least 1, got {k!r}")
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        if vector.shape[0] != self.dim:
            raise QueryError(f"query vector has {vector.shape[0]} dimensions, the index has "
                             f"{self.dim}: embed the query with the index's model")
        k = min(k, self._count)
        statement = sql.SQL("SELECT pos, -(embedding <#> %s) FROM {} WHERE embedding IS NOT "
                            "NULL ORDER BY embedding <#> %s LIMIT %s").format(
                                self.session.table("chunks"))

        def work(conn: psycopg.Connection[Any]) -> list[tuple[int, float]]:
            # HNSW returns at most ef_search rows; beyond that pgvector's iterative scan goes on
            self.session.setting(conn, "hnsw.ef_search",
                                 str(min(MAX_EF_SEARCH, max(self.ef_search, k))))
            self.session.setting(conn, "hnsw.iterative_scan", "strict_order")
            return conn.execute(statement, (vector, vector, k)).fetchall()

        rows = self.session.run(work)
        if len(rows) < k or (rows and rows[-1][1] < 0):
            # texts without a vector score 0, as in the FAISS store: after the positive scores
            zero = sql.SQL("SELECT pos, 0.0::real FROM {} WHERE embedding IS NULL ORDER BY pos "
                           "LIMIT %s").format(self.session.table("chunks"))
            zeros = self.session.run(lambda conn: conn.execute(zero, (k,)).fetchall())
            cut = sum(1 for r in rows if r[1] >= 0)
            rows = (rows[:cut] + zeros + rows[cut:])[:k]
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows], dtype=np.float32))

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        """The stored vectors of rows `positions`, in that order."""
        wanted = [int(p) for p in positions]
        if not wanted:
            return np.zeros((0, self.dim), np.float32)
        statement = sql.SQL("SELECT pos, embedding FROM {} WHERE pos = ANY(%s)").format(
            self.session.table("chunks"))
        rows = self.session.run(lambda conn: conn.execute(statement, (wanted,)).fetchall())
        zero = np.zeros(self.dim, np.float32)  # a text indexed for its words only: no vector
        found = {int(pos): zero if vec is None else np.asarray(vec.to_numpy(), dtype=np.float32)
                 for pos, vec in rows}
        return np.stack([found[p] for p in wanted])


class _Terms:
    """The vocabulary, under the attribute name bm25s uses (`vocab_dict`)."""

    def __init__(self, vocab: Mapping[str, int]) -> None:
        self.vocab_dict = dict(vocab)


class PgLexical:
    """BM25 from the weights stored per (term, document): a query's score is the sum of its
    terms' weights, as bm25s computes it in memory."""

    def __init__(self, session: _Session, vocab: Mapping[str, int], count: int) -> None:
        self.session = session
        self.bm25 = _Terms(vocab)
        self._count = count

    def __len__(self) -> int:
        return self._count

    def search(self, query: str, lang: str | None, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(positions, scores) of the `k` best matching documents, best first; scores > 0."""
        if k < 1:
            raise QueryError(f"k must be at least 1, got {k!r}")
        vocab = self.bm25.vocab_dict
        term_ids = [vocab[t] for t in query_tokens(query, lang) if t in vocab]
        if not term_ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        statement = sql.SQL(
            "SELECT pos, sum(weight)::real AS score FROM {} WHERE term_id = ANY(%s) "
            "GROUP BY pos HAVING sum(weight) > 0 ORDER BY score DESC, pos LIMIT %s").format(
                self.session.table("postings"))
        rows = self.session.run(
            lambda conn: conn.execute(statement, (term_ids, k)).fetchall())
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows], dtype=np.float32))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PostgresStore(Store):
    """The index in PostgreSQL + pgvector; any number of servers read it."""

    kind = "postgresql"
    keeps_artifacts = True

    def __init__(self, url: str) -> None:
        try:
            info = conninfo_to_dict(url)
        except psycopg.ProgrammingError:
            raise ConfigError("BILEX_STORE is not a valid PostgreSQL URL: use "
                              "postgresql://USER:PASS@HOST:PORT/DB") from None
        self.url = url
        self.password = str(info["password"]) if info.get("password") else None
        self._where = describe(url)

    @property
    def where(self) -> str:
        return self._where

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        """An autocommit connection to a server that can serve the index (version, pgvector)."""
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                   application_name="bilex")
        except psycopg.Error as exc:
            raise StoreUnavailableError(self.where, f"cannot connect "
                                        f"({_one_line(exc, self.password)}): check BILEX_STORE "
                                        "and that the server is running") from None
        try:
            if conn.info.server_version < MIN_SERVER:
                raise StoreUnavailableError(self.where, f"PostgreSQL "
                                            f"{conn.info.server_version // 10000} is too old: "
                                            "Bilex needs PostgreSQL 16 or later")
        except BaseException:
            conn.close()
            raise
        return conn

    def _reader(self) -> psycopg.Connection[Any]:
        """A connection with pgvector's types adapted (for searches)."""
        conn = self._connect()
        try:
            self._vector_ready(conn, create=False)
        except BaseException:
            conn.close()
            raise
        return conn

    def _vector_ready(self, conn: psycopg.Connection[Any], *, create: bool) -> None:
        """pgvector >= 0.8 is installed (created if `create` and allowed); vectors adapted."""
        row = conn.execute("SELECT e.extversion, n.nspname FROM pg_extension e JOIN "
                           "pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'vector'").fetchone()
        if row is None and create:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            except psycopg.Error as exc:
                raise StoreUnavailableError(self.where, "the pgvector extension is missing and "
                                            f"could not be created ({_one_line(exc, None)}): "
                                            "install pgvector >= 0.8 and run CREATE EXTENSION "
                                            "vector in this database") from None
            return self._vector_ready(conn, create=False)
        if row is None:
            raise StoreUnavailableError(self.where, "the pgvector extension is not installed "
                                        "in this database: install pgvector >= 0.8 and run "
                                        "CREATE EXTENSION vector, then `bilex build`")
        version, schema = str(row[0]), str(row[1])
        parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
        if parts < MIN_VECTOR:
            raise StoreUnavailableError(self.where, f"pgvector {version} is too old: "
                                        "Bilex needs pgvector 0.8 or later "
                                        "(ALTER EXTENSION vector UPDATE)")
        path = str(conn.execute("SELECT current_schemas(false)").fetchone() or [""])
        if schema not in path:
            conn.execute("SELECT set_config('search_path', current_setting('search_path') "
                         "|| ', ' || quote_ident(%s), false)", (schema,))
        register_vector(conn)

    def _current(self, conn: psycopg.Connection[Any]) -> str:
        """The served generation's schema; IndexMissingError if nothing was built here."""
        exists = conn.execute("SELECT to_regclass(%s)", (f"{CONTROL}.current",)).fetchone()
        row = None
        if exists and exists[0] is not None:
            row = conn.execute(sql.SQL("SELECT name FROM {}.current").format(
                sql.Identifier(CONTROL))).fetchone()
        if row is None:
            raise IndexMissingError(self.where, f"no Bilex index in this database: "
                                    f"{REBUILD_HINT} with this BILEX_STORE")
        return str(row[0])

    @contextmanager
    def _snapshot(self) -> Iterator[tuple[psycopg.Connection[Any], str]]:
        """A connection inside one read-only repeatable-read transaction, and the served schema."""
        with self._reader() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.transaction():
                yield conn, self._current(conn)

    def _read_manifest(self, conn: psycopg.Connection[Any], schema: str) -> IndexManifest:
        try:
            row = conn.execute(sql.SQL("SELECT doc FROM {}.manifest").format(
                sql.Identifier(schema))).fetchone()
            data = json.loads(row[0]) if row else None
            if data is None:
                raise KeyError("manifest row")
            return IndexManifest(
                model=str(data["model"]), embedder_spec=str(data["embedder_spec"]),
                dimension=int(data["dimension"]), corpus_hash=str(data["corpus_hash"]),
                chunk_count=int(data["chunk_count"]), dense_kind=str(data["dense_kind"]),
                params=dict(data["params"]), format_version=int(data["format_version"]),
                created_at=str(data.get("created_at", "")))
        except (psycopg.errors.UndefinedTable, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(self.where, f"the manifest of {schema} is missing or "
                                    f"corrupt ({type(exc).__name__}): {REBUILD_HINT}") from None

    # -- Store -------------------------------------------------------------------------------
    def manifest(self) -> IndexManifest:
        with self._snapshot() as (conn, schema):
            return self._read_manifest(conn, schema)

    def artifact(self, name: str) -> bytes | None:
        with self._snapshot() as (conn, schema):
            row = conn.execute(sql.SQL("SELECT data FROM {}.artifacts WHERE name = %s").format(
                sql.Identifier(schema)), (name,)).fetchone()
        return bytes(row[0]) if row else None

    def put_artifact(self, name: str, data: bytes) -> None:
        """Store `data` under `name` beside the served index (replacing one of that name):
        what is fitted after a build (the scope model) reaches servers on other machines."""
        with self._reader() as conn:
            try:
                with conn.transaction():
                    schema = self._current(conn)
                    conn.execute(sql.SQL("INSERT INTO {}.artifacts VALUES (%s, %s, %s) ON "
                                         "CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, "
                                         "sha256 = EXCLUDED.sha256").format(
                                             sql.Identifier(schema)), (name, data, _sha256(data)))
            except psycopg.Error as exc:
                raise StoreUnavailableError(self.where, f"writing {name} failed "
                                            f"({_one_line(exc, self.password)})") from None

    def needs_rebuild(self, model: str, corpus_hash: str, params: IndexParams | None = None,
                      artifacts: Mapping[str, bytes] | None = None) -> bool:
        try:
            with self._snapshot() as (conn, schema):
                manifest = self._read_manifest(conn, schema)
                stored = dict(conn.execute(sql.SQL("SELECT name, sha256 FROM {}.artifacts")
                                           .format(sql.Identifier(schema))).fetchall())
        except IndexLoadError:
            return True
        try:
            check_manifest(manifest, self.where, model, corpus_hash)
        except IndexLoadError:
            return True
        if params is not None and dict(manifest.params) != params.to_dict():
            return True
        wanted = {name: _sha256(data) for name, data in (artifacts or {}).items()}
        return any(stored.get(name) != digest for name, digest in wanted.items())

    def load(self, expected_model: str | None = None,
             expected_corpus_hash: str | None = None) -> Index:
        with self._snapshot() as (conn, schema):
            manifest = self._read_manifest(conn, schema)
            check_manifest(manifest, self.where, expected_model, expected_corpus_hash)
            rows = conn.execute(sql.SQL("SELECT id, unit_id, lang, kind, text FROM {}.chunks "
                                        "ORDER BY pos").format(sql.Identifier(schema))).fetchall()
            vocab = dict(conn.execute(sql.SQL("SELECT term, term_id FROM {}.terms").format(
                sql.Identifier(schema))).fetchall())
            dim = conn.execute(sql.SQL("SELECT vector_dims(embedding) FROM {}.chunks "
                                       "WHERE embedding IS NOT NULL LIMIT 1")
                               .format(sql.Identifier(schema))).fetchone()
        chunks = [Chunk(id=r[0], unit_id=r[1], lang=r[2], kind=r[3], text=r[4]) for r in rows]
        if len(chunks) != manifest.chunk_count or corpus_hash(chunks) != manifest.corpus_hash:
            raise IndexCorruptError(self.where, f"the chunks of {schema} do not match its "
                                    f"manifest: {REBUILD_HINT}")
        if dim is None or int(dim[0]) != manifest.dimension:
            raise IndexCorruptError(self.where, f"the vectors of {schema} do not have the "
                                    f"manifest's dimension {manifest.dimension}: {REBUILD_HINT}")
        session = _Session(self, schema)
        ef_search = int(manifest.params.get("hnsw_ef_search", 128))
        dense = PgDense(session, manifest.dimension, len(chunks), ef_search)
        lexical = PgLexical(session, vocab, len(chunks))
        return Index(manifest, chunks, dense, lexical, where=f"{self.where} ({schema})",
                     on_close=session.close)

    def build(self, chunks: Sequence[Chunk], embedder: Embedder,
              params: IndexParams | None = None, *, progress: Progress | None = None,
              artifacts: Mapping[str, bytes] | None = None) -> IndexManifest:
        params = params or IndexParams()
        chunks = list(chunks)
        _check_chunks(chunks)
        with self._connect() as conn:  # fail before the long embedding, not after it
            self._vector_ready(conn, create=True)
        vectors = _embed(chunks, embedder, params.batch_size, progress)
        lexical = LexicalIndex.build([c.text for c in chunks], [c.lang for c in chunks],
                                     k1=params.bm25_k1, b=params.bm25_b)
        manifest = IndexManifest(
            model=embedder.name, embedder_spec=embedder.spec, dimension=vectors.shape[1],
            corpus_hash=corpus_hash(chunks), chunk_count=len(chunks), dense_kind=DENSE_KIND,
            params=params.to_dict(), created_at=datetime.now(UTC).isoformat(timespec="seconds"))
        schema = f"{PREFIX}{datetime.now(UTC):%Y%m%d%H%M%S}_{secrets.token_hex(4)}"
        with self._reader() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
            try:
                self._ensure_control(conn)
                with conn.transaction():
                    self._write(conn, schema, chunks, vectors, lexical, manifest, params,
                                artifacts or {})
                    self._switch(conn, schema)
                self._drop_old(conn)
            except psycopg.Error as exc:
                raise StoreUnavailableError(self.where, f"writing the index failed "
                                            f"({_one_line(exc, self.password)})") from None
            finally:
                if not conn.closed and not conn.broken:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))
        return manifest

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def _ensure_control(conn: psycopg.Connection[Any]) -> None:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(CONTROL)))
        conn.execute(sql.SQL(
            "CREATE TABLE IF NOT EXISTS {}.current (one boolean PRIMARY KEY DEFAULT true "
            "CHECK (one), name text NOT NULL, previous text, format int NOT NULL, "
            "switched_at timestamptz NOT NULL DEFAULT now())").format(sql.Identifier(CONTROL)))

    @staticmethod
    def _write(conn: psycopg.Connection[Any], schema: str, chunks: Sequence[Chunk],
               vectors: np.ndarray, lexical: LexicalIndex, manifest: IndexManifest,
               params: IndexParams, artifacts: Mapping[str, bytes]) -> None:
        s = sql.Identifier(schema)
        dim = int(vectors.shape[1])
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(s))
        conn.execute(sql.SQL("CREATE TABLE {}.manifest (doc text NOT NULL)").format(s))
        conn.execute(sql.SQL("INSERT INTO {}.manifest VALUES (%s)").format(s),
                     (manifest.to_json(),))
        # A text indexed for its words only (an act's provision) has a zero vector: it is
        # stored as NULL, left out of the HNSW graph (thousands of identical points there
        # lose the real ones' neighbours) and of the dense search, as the FAISS store does.
        conn.execute(sql.SQL("CREATE TABLE {}.chunks (pos int PRIMARY KEY, id text NOT NULL "
                             "UNIQUE, unit_id text NOT NULL, lang text NOT NULL, kind text NOT "
                             "NULL, text text NOT NULL, embedding vector({}))").format(
                                 s, sql.Literal(dim)))
        with conn.cursor().copy(sql.SQL("COPY {}.chunks (pos, id, unit_id, lang, kind, text, "
                                        "embedding) FROM STDIN").format(s)) as copy:
            for pos, (chunk, vector) in enumerate(zip(chunks, vectors, strict=True)):
                copy.write_row((pos, chunk.id, chunk.unit_id, chunk.lang, chunk.kind,
                                chunk.text, vector if vector.any() else None))
        conn.execute(sql.SQL("CREATE TABLE {}.terms (term_id int PRIMARY KEY, term text NOT "
                             "NULL UNIQUE)").format(s))
        with conn.cursor().copy(sql.SQL("COPY {}.terms (term_id, term) FROM STDIN")
                                .format(s)) as copy:
            for term, term_id in lexical.bm25.vocab_dict.items():
                copy.write_row((int(term_id), str(term)))
        conn.execute(sql.SQL("CREATE TABLE {}.postings (term_id int NOT NULL, pos int NOT "
                             "NULL, weight real NOT NULL, PRIMARY KEY (term_id, pos))").format(s))
        scores = lexical.bm25.scores
        data, docs, indptr = scores["data"], scores["indices"], scores["indptr"]
        with conn.cursor().copy(sql.SQL("COPY {}.postings (term_id, pos, weight) FROM STDIN")
                                .format(s)) as copy:
            for term_id in range(len(indptr) - 1):
                for at in range(int(indptr[term_id]), int(indptr[term_id + 1])):
                    copy.write_row((term_id, int(docs[at]), float(data[at])))
        conn.execute(sql.SQL("CREATE TABLE {}.artifacts (name text PRIMARY KEY, data bytea NOT "
                             "NULL, sha256 text NOT NULL)").format(s))
        for name, blob in artifacts.items():
            conn.execute(sql.SQL("INSERT INTO {}.artifacts VALUES (%s, %s, %s)").format(s),
                         (name, blob, _sha256(blob)))
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        conn.execute(sql.SQL("CREATE INDEX ON {}.chunks USING hnsw (embedding vector_ip_ops) "
                             "WITH (m = {}, ef_construction = {})").format(
                                 s, sql.Literal(params.hnsw_m),
                                 sql.Literal(params.hnsw_ef_construction)))
        for table in ("chunks", "terms", "postings"):
            conn.execute(sql.SQL("ANALYZE {}.{}").format(s, sql.Identifier(table)))

    @staticmethod
    def _switch(conn: psycopg.Connection[Any], schema: str) -> None:
        control = sql.Identifier(CONTROL)
        conn.execute(sql.SQL(
            "INSERT INTO {}.current (one, name, previous, format) VALUES (true, %s, NULL, %s) "
            "ON CONFLICT (one) DO UPDATE SET previous = {}.current.name, name = EXCLUDED.name, "
            "format = EXCLUDED.format, switched_at = now()").format(control, control),
            (schema, FORMAT_VERSION))

    @staticmethod
    def _drop_old(conn: psycopg.Connection[Any]) -> None:
        """Drop generations other than the served one and the one before it (best effort:
        a schema still locked by a long reader is left for the next build)."""
        row = conn.execute(sql.SQL("SELECT name, previous FROM {}.current").format(
            sql.Identifier(CONTROL))).fetchone()
        keep = {str(v) for v in (row or ()) if v}
        names = [str(r[0]) for r in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (PREFIX.replace("_", "\\_") + "%",))]
        for name in names:
            if name in keep:
                continue
            try:
                with conn.transaction():
                    conn.execute("SET LOCAL lock_timeout = '5s'")
                    conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))
            except psycopg.errors.LockNotAvailable:
                continue
