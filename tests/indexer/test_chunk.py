"""Chunk records: validation, JSON round trip, corpus hash."""

from __future__ import annotations

import dataclasses

import pytest
from indexer_support import make_chunks

from indexer.chunk import Chunk, corpus_hash
from indexer.errors import ChunkError


def test_chunk_is_frozen_and_round_trips_through_json() -> None:
    chunk = Chunk("u1:fr", "u1", "fr", "statute", "Le préavis « court »")
    with pytest.raises(dataclasses.FrozenInstanceError):
        chunk.text = "x"  # type: ignore[misc]
    assert Chunk.from_json(chunk.to_json()) == chunk


@pytest.mark.parametrize(("field", "value"), [("lang", "de"), ("kind", "note"), ("id", "")])
def test_invalid_field_is_refused_with_the_value(field: str, value: str) -> None:
    args = {"id": "u1:fr", "unit_id": "u1", "lang": "fr", "kind": "statute", "text": "t"}
    args[field] = value
    with pytest.raises(ChunkError, match=repr(value) if value else "non-empty"):
        Chunk(**args)


def test_corpus_hash_changes_with_any_text() -> None:
    chunks = make_chunks()
    changed = [*chunks[:-1], dataclasses.replace(chunks[-1], text="other")]
    assert corpus_hash(chunks) == corpus_hash(make_chunks())
    assert corpus_hash(chunks) != corpus_hash(changed)
