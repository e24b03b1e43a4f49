"""Errors raised by the indexer layer.

    IndexerError                base: anything the indexer cannot do with what it was given
    ├── ConfigError             an embedder spec, argument or index parameter is invalid
    ├── EmbedderLoadError       a model or its package cannot be loaded
    ├── ChunkError              a chunk is invalid, or the chunk list cannot be indexed
    ├── QueryError              a search got a query it cannot use (also a ValueError)
    └── IndexLoadError          an index on disk cannot be used
        ├── IndexMissingError   the index directory or one of its files is missing
        ├── IndexCorruptError   a file of the index is unreadable or inconsistent
        ├── IndexMismatchError  the index was built for another model, corpus or format
        └── StoreUnavailableError  the store's database cannot be reached or lacks pgvector

Each message names the bad value or the path and says what to fix, in one line.
"""

from __future__ import annotations

REBUILD_HINT = "run `bilex build`"


class IndexerError(Exception):
    """Base class: the indexer cannot do what it was asked with what it was given."""


class ConfigError(IndexerError, ValueError):
    """An embedder spec, model directory, constructor argument or index parameter is bad."""


class EmbedderLoadError(IndexerError):
    """A model (or the package that ships it) cannot be loaded by `warm_up()`."""


class ChunkError(IndexerError, ValueError):
    """A chunk has an invalid field, ids repeat, or there is nothing to index."""


class QueryError(IndexerError, ValueError):
    """A search got a vector of the wrong shape, an unknown language or a bad `k`."""


class IndexLoadError(IndexerError):
    """An index on disk cannot be used; the message says why and how to fix it."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"index at {path}: {reason}")


class IndexMissingError(IndexLoadError):
    """The index directory or one of its files does not exist."""


class IndexCorruptError(IndexLoadError):
    """The manifest, FAISS file, BM25 files or chunk list cannot be read or disagree."""


class IndexMismatchError(IndexLoadError):
    """The index was built with another model, corpus or format than the settings ask for."""


class StoreUnavailableError(IndexLoadError):
    """The database behind `BILEX_STORE` cannot be reached, is too old or lacks pgvector."""
