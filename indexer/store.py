"""Where the index lives: a `Store` builds it atomically, checks it against the settings,
loads it and searches it. `open_store(spec, directory)` picks the backend from the
`BILEX_STORE` value: "faiss" (files in a directory, the default) or a PostgreSQL URL
(`indexer.stores.postgres`). The module functions `build_index`, `load_index` and
`needs_rebuild` take a directory or a `Store`.

Layout of a FAISS index directory (FORMAT_VERSION 1; bump it when the layout or tokenizer changes):
    manifest.json   model, dimension, corpus hash, chunk count, parameters, format, created-at
    chunks.jsonl    one Chunk per line; line i is FAISS row i and BM25 document i
    dense.faiss     the FAISS index (faiss.write_index)
    bm25/           the bm25s files
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import msgspec
import numpy as np

from indexer.chunk import Chunk, corpus_hash
from indexer.dense import DenseIndex
from indexer.embedders import Embedder
from indexer.errors import (
    REBUILD_HINT,
    ChunkError,
    ConfigError,
    IndexCorruptError,
    IndexLoadError,
    IndexMismatchError,
    IndexMissingError,
)
from indexer.lexical import LexicalIndex, analysis_version

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
_CHUNK = msgspec.json.Decoder(Chunk)  # one line of CHUNKS (`Chunk.to_json`)
FAISS = "dense.faiss"
BM25 = "bm25"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IndexParams:
    """Build settings; any change makes `needs_rebuild` true."""

    hnsw_threshold: int = 20_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 200
    hnsw_ef_search: int = 128
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    batch_size: int = 64
    # chunks given a vector (the rest are indexed for their words only); None: not counted.
    # Which texts are embedded is the indexer's choice, so a change of it rebuilds the index.
    embedded_chunks: int | None = None
    # how words are analysed (indexer.lexical.analysis_version): another analysis rebuilds
    # the lexical index, whose tokens a question would no longer be analysed into
    analysis: str = field(default_factory=analysis_version)

    def __post_init__(self) -> None:
        for name in ("hnsw_threshold", "hnsw_m", "hnsw_ef_construction", "hnsw_ef_search",
                     "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"index parameter {name} must be an int >= 1, "
                                          f"got {value!r}")
        if self.embedded_chunks is not None and (not isinstance(self.embedded_chunks, int)
                                                 or self.embedded_chunks < 0):
            raise ConfigError(f"index parameter embedded_chunks must be None or an int >= 0, "
                              f"got {self.embedded_chunks!r}")
        if not isinstance(self.analysis, str) or not self.analysis:
            raise ConfigError(f"index parameter analysis must be a non-empty text, got "
                              f"{self.analysis!r}")
        if not 0 <= self.bm25_b <= 1 or self.bm25_k1 < 0:
            raise ConfigError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got "
                                      f"k1={self.bm25_k1!r}, b={self.bm25_b!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain values, as stored in the manifest."""
        return asdict(self)


@dataclass(frozen=True)
class IndexManifest:
    """What an index was built from; stored as manifest.json beside it."""

    model: str
    embedder_spec: str
    dimension: int
    corpus_hash: str
    chunk_count: int
    dense_kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    created_at: str = ""

    def to_json(self) -> str:
        """Indented JSON for manifest.json."""
        data = asdict(self)
        data["params"] = dict(self.params)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, directory: Path) -> IndexManifest:
        """Parse `directory/manifest.json`; clear errors if it is missing or malformed."""
        path = directory / MANIFEST
        if not directory.is_dir():
            raise IndexMissingError(str(directory), f"no index directory: {REBUILD_HINT}")
        if not path.is_file():
            raise IndexMissingError(str(directory), f"{MANIFEST} is missing: {REBUILD_HINT}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(
                model=str(data["model"]), embedder_spec=str(data["embedder_spec"]),
                dimension=int(data["dimension"]), corpus_hash=str(data["corpus_hash"]),
                chunk_count=int(data["chunk_count"]), dense_kind=str(data["dense_kind"]),
                params=dict(data["params"]), format_version=int(data["format_version"]),
                created_at=str(data.get("created_at", "")))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(str(directory), f"{MANIFEST} is corrupt ({exc!r}): "
                                    f"{REBUILD_HINT}") from exc
        return manifest


class DenseSearch(Protocol):
    """Nearest-neighbour search over the chunk vectors; row i is chunk i (FAISS or pgvector)."""

    @property
    def kind(self) -> str: ...
    @property
    def dim(self) -> int: ...
    def __len__(self) -> int: ...
    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...
    def vectors(self, positions: np.ndarray) -> np.ndarray: ...


class Vocabulary(Protocol):
    """The lexical index's terms (`vocab_dict`: term -> term id), as bm25s names them."""

    @property
    def vocab_dict(self) -> Mapping[str, int]: ...


class LexicalSearch(Protocol):
    """BM25 search over the chunk texts; document i is chunk i (bm25s or PostgreSQL)."""

    @property
    def bm25(self) -> Vocabulary: ...
    def __len__(self) -> int: ...
    def search(self, query: str, lang: str | None, k: int) -> tuple[np.ndarray, np.ndarray]: ...


class Index:
    """A loaded index: chunks, dense and lexical search returning (chunk, score) pairs."""

    def __init__(self, manifest: IndexManifest, chunks: Sequence[Chunk], dense: DenseSearch,
                 lexical: LexicalSearch, path: Path | None = None, *,
                 where: str | None = None, on_close: Callable[[], None] | None = None) -> None:
        self.manifest = manifest
        self.chunks: tuple[Chunk, ...] = tuple(chunks)
        self.by_id: dict[str, Chunk] = {c.id: c for c in self.chunks}
        self.dense = dense
        self.lexical = lexical
        self.path = path
        self.where = where or (str(path) if path is not None else "")
        self._on_close = on_close

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every term of the lexical index (after analysis: folded, stemmed)."""
        return frozenset(self.lexical.bm25.vocab_dict)

    def close(self) -> None:
        """Release what the index holds open (a database connection); files need nothing."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def dense_search(self, query_vec: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """The `k` chunks nearest to an embedded query (cosine), best first."""
        positions, scores = self.dense.search(query_vec, k)
        return [(self.chunks[int(p)], float(s)) for p, s in zip(positions, scores, strict=True)]

    def lexical_search(self, query_text: str, lang: str | None,
                       k: int) -> list[tuple[Chunk, float]]:
        """The `k` best BM25 matches (score > 0), the query analysed in `lang` and the other."""
        positions, scores = self.lexical.search(query_text, lang, k)
        return [(self.chunks[int(p)], float(s)) for p, s in zip(positions, scores, strict=True)]


def embedded_rows(index: Index, positions: np.ndarray | None = None, block: int = 4096
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(positions, vectors) of the rows among `positions` (default: all) that have a vector,
    read `block` rows at a time: texts indexed for their words only (zero rows, most of an
    act corpus) are never held all at once."""
    wanted = np.arange(len(index)) if positions is None else np.asarray(positions, np.int64)
    kept: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    for start in range(0, len(wanted), block):
        part = wanted[start:start + block]
        vectors = np.asarray(index.dense.vectors(part), dtype=np.float32)
        embedded = np.any(vectors != 0, axis=1)
        kept.append(part[embedded])
        rows.append(vectors[embedded])
    if not rows:
        return np.zeros(0, np.int64), np.zeros((0, index.dense.dim), np.float32)
    return np.concatenate(kept), np.concatenate(rows)


def _check_chunks(chunks: Sequence[Chunk]) -> None:
    if not chunks:
        raise ChunkError("no chunks to index: build the corpus first")
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.id in seen:
            raise ChunkError(f"chunk id {chunk.id!r} appears twice: chunk ids must be unique")
        seen.add(chunk.id)


def _embed(chunks: Sequence[Chunk], embedder: Embedder, batch_size: int,
           progress: Progress | None) -> np.ndarray:
    embedder.warm_up()
    parts: list[np.ndarray] = []
    for start in range(0, len(chunks), batch_size):
        batch = [c.text for c in chunks[start:start + batch_size]]
        parts.append(embedder.passages(batch))
        if progress is not None:
            progress(min(start + batch_size, len(chunks)), len(chunks))
    vectors = np.concatenate(parts)
    if vectors.shape != (len(chunks), embedder.dim):
        raise ChunkError(f"embedder {embedder.name} returned shape {vectors.shape}, expected "
                         f"({len(chunks)}, {embedder.dim})")
    return vectors


def build_index(chunks: Sequence[Chunk], embedder: Embedder, out_dir: str | Path | Store,
                params: IndexParams | None = None, *, progress: Progress | None = None,
                artifacts: Mapping[str, bytes] | None = None) -> IndexManifest:
    """Embed and index `chunks` into `out_dir` (or a Store), replacing any old index only once
    all is written.

    `progress(done, total)` is called after each embedding batch. `artifacts` (name -> bytes,
    e.g. the built corpus) are kept beside the index by stores that serve other machines.
    """
    if isinstance(out_dir, Store):
        return out_dir.build(chunks, embedder, params, progress=progress, artifacts=artifacts)
    params = params or IndexParams()
    chunks = list(chunks)
    _check_chunks(chunks)
    out = Path(out_dir)
    vectors = _embed(chunks, embedder, params.batch_size, progress)
    dense = DenseIndex.build(vectors, hnsw_threshold=params.hnsw_threshold,
                             hnsw_m=params.hnsw_m, ef_construction=params.hnsw_ef_construction,
                             ef_search=params.hnsw_ef_search)
    lexical = LexicalIndex.build([c.text for c in chunks], [c.lang for c in chunks],
                                 k1=params.bm25_k1, b=params.bm25_b)
    manifest = IndexManifest(
        model=embedder.name, embedder_spec=embedder.spec, dimension=dense.dim,
        corpus_hash=corpus_hash(chunks), chunk_count=len(chunks), dense_kind=dense.kind,
        params=params.to_dict(), created_at=datetime.now(UTC).isoformat(timespec="seconds"))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the index is read by the server too
        dense.save(tmp / FAISS)
        lexical.save(tmp / BM25)
        with open(tmp / CHUNKS, "w", encoding="utf-8") as handle:
            handle.writelines(c.to_json() + "\n" for c in chunks)
        (tmp / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _swap_into_place(new: Path, out: Path) -> None:
    """Rename `new` to `out`; an existing `out` is moved aside first and removed after."""
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
    had_old = out.exists()
    if had_old:
        os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        if had_old:
            os.rename(old, out)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def check_manifest(manifest: IndexManifest, where: str, expected_model: str | None,
                   expected_corpus_hash: str | None) -> None:
    """IndexMismatchError (one line, says to rebuild) unless `manifest` is of this format and,
    when given, this model and corpus."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(where, f"format version {manifest.format_version}, this Bilex "
                                 f"reads version {FORMAT_VERSION}: {REBUILD_HINT}")
    if expected_model is not None and manifest.model != expected_model:
        raise IndexMismatchError(where, f"was built with model {manifest.model}, settings ask "
                                 f"for {expected_model}: {REBUILD_HINT}")
    if expected_corpus_hash is not None and manifest.corpus_hash != expected_corpus_hash:
        raise IndexMismatchError(where, f"was built from another corpus (hash "
                                 f"{manifest.corpus_hash[:12]}, current "
                                 f"{expected_corpus_hash[:12]}): {REBUILD_HINT}")


def _read_chunks(directory: Path) -> tuple[list[Chunk], str]:
    """The chunks of `chunks.jsonl` and the sha256 of its bytes: the file is one
    `Chunk.to_json` line per chunk, so that digest is their `corpus_hash` (hashing the bytes
    read instead of serialising every chunk again halves the time to load a large index)."""
    path = directory / CHUNKS
    if not path.is_file():
        raise IndexMissingError(str(directory), f"{CHUNKS} is missing: {REBUILD_HINT}")
    try:
        raw = path.read_bytes()
        # each line decoded straight into a Chunk (its checks run) by msgspec: 0.07-0.11 s for
        # the 23,000 chunks of five acts, against 0.22-0.26 s for one `json.loads` of all
        # the lines and a Chunk made of each row (four reads each, the collector off)
        chunks = [_CHUNK.decode(line) for line in raw.splitlines() if line.strip()]
    except (OSError, ValueError) as exc:  # msgspec's errors and ChunkError are ValueErrors
        raise IndexCorruptError(str(directory), f"{CHUNKS} is corrupt ({exc}): "
                                f"{REBUILD_HINT}") from exc
    return chunks, hashlib.sha256(raw).hexdigest()


def load_index(directory: str | Path | Store, expected_model: str | None = None,
               expected_corpus_hash: str | None = None) -> Index:
    """Load an index (from a directory or a Store), refusing one built for another model,
    corpus or format, or damaged."""
    if isinstance(directory, Store):
        return directory.load(expected_model, expected_corpus_hash)
    path = Path(directory)
    where = str(path)
    manifest = IndexManifest.read(path)
    check_manifest(manifest, where, expected_model, expected_corpus_hash)
    chunks, digest = _read_chunks(path)
    dense = DenseIndex.load(path / FAISS, ef_search=manifest.params.get("hnsw_ef_search"))
    lexical = LexicalIndex.load(path / BM25)
    counts = {"manifest": manifest.chunk_count, CHUNKS: len(chunks), FAISS: len(dense),
              BM25: len(lexical)}
    if len(set(counts.values())) != 1:
        raise IndexCorruptError(where, f"files disagree on the chunk count {counts}: "
                                f"{REBUILD_HINT}")
    if dense.dim != manifest.dimension:
        raise IndexCorruptError(where, f"FAISS dimension {dense.dim} is not the manifest's "
                                f"{manifest.dimension}: {REBUILD_HINT}")
    if digest != manifest.corpus_hash:
        raise IndexCorruptError(where, f"{CHUNKS} does not match the manifest's corpus hash: "
                                f"{REBUILD_HINT}")
    return Index(manifest, chunks, dense, lexical, path)


def needs_rebuild(directory: str | Path | Store, model: str, corpus_hash: str,
                  params: IndexParams | None = None) -> bool:
    """True unless a complete index for this model, corpus (and params, if given) exists."""
    if isinstance(directory, Store):
        return directory.needs_rebuild(model, corpus_hash, params)
    path = Path(directory)
    try:
        manifest = IndexManifest.read(path)
        check_manifest(manifest, str(path), model, corpus_hash)
    except IndexLoadError:
        return True
    if params is not None and dict(manifest.params) != params.to_dict():
        return True
    files = (path / CHUNKS, path / FAISS, path / BM25 / "params.index.json")
    return not all(f.is_file() for f in files)


class Store(ABC):
    """Where an index is built and read from; `open_store` picks one from `BILEX_STORE`."""

    kind: str = ""
    keeps_artifacts = False  # True: the store also holds the built corpus for other machines

    @property
    @abstractmethod
    def where(self) -> str:
        """The location for messages (never a password)."""

    @abstractmethod
    def build(self, chunks: Sequence[Chunk], embedder: Embedder,
              params: IndexParams | None = None, *, progress: Progress | None = None,
              artifacts: Mapping[str, bytes] | None = None) -> IndexManifest:
        """Embed and index `chunks`; readers see the old index until the new one is whole."""

    @abstractmethod
    def manifest(self) -> IndexManifest:
        """The served index's manifest; IndexLoadError (says what to fix) if there is none."""

    @abstractmethod
    def load(self, expected_model: str | None = None,
             expected_corpus_hash: str | None = None) -> Index:
        """The served index, refused if built for another model, corpus or format."""

    @abstractmethod
    def needs_rebuild(self, model: str, corpus_hash: str, params: IndexParams | None = None,
                      artifacts: Mapping[str, bytes] | None = None) -> bool:
        """True unless a complete index for this model, corpus, params and artifacts exists."""

    def artifact(self, name: str) -> bytes | None:
        """An artifact stored with the served index (None: this store keeps none)."""
        return None

    def put_artifact(self, name: str, data: bytes) -> None:
        """Store an artifact beside the served index (only where `keeps_artifacts`)."""
        raise NotImplementedError(f"{type(self).__name__} keeps no artifacts")


class FaissStore(Store):
    """Files in one directory (FAISS + bm25s), swapped in by a rename: the default."""

    kind = "faiss"

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    @property
    def where(self) -> str:
        return str(self.directory)

    def build(self, chunks: Sequence[Chunk], embedder: Embedder,
              params: IndexParams | None = None, *, progress: Progress | None = None,
              artifacts: Mapping[str, bytes] | None = None) -> IndexManifest:
        return build_index(chunks, embedder, self.directory, params, progress=progress)

    def manifest(self) -> IndexManifest:
        return IndexManifest.read(self.directory)

    def load(self, expected_model: str | None = None,
             expected_corpus_hash: str | None = None) -> Index:
        return load_index(self.directory, expected_model, expected_corpus_hash)

    def needs_rebuild(self, model: str, corpus_hash: str, params: IndexParams | None = None,
                      artifacts: Mapping[str, bytes] | None = None) -> bool:
        return needs_rebuild(self.directory, model, corpus_hash, params)


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(spec: str, directory: str | Path) -> Store:
    """The store a `BILEX_STORE` value names: "faiss" (files in `directory`) or a PostgreSQL
    URL `postgresql://USER:PASS@HOST:PORT/DB` (a `?host=/socket/dir` query is allowed)."""
    value = spec.strip()
    if value.lower() == "faiss":
        return FaissStore(directory)
    if value.lower().startswith(POSTGRES_SCHEMES):
        from indexer.stores.postgres import PostgresStore

        return PostgresStore(value)
    raise ConfigError("BILEX_STORE must be 'faiss' or a PostgreSQL URL "
                      "postgresql://USER:PASS@HOST:PORT/DB")
