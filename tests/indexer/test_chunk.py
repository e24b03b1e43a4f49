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


def test_long_sentences_are_also_indexed_clause_by_clause() -> None:
    from indexer.chunking import MIN_SENTENCE_CHARS, clauses

    sentence = ("Aussi lorsque nous disons chez Eurotalents que nous ne sommes ni psy ni gourou, "
                "c’est parce que nos méthodes et notre action s’intéressent plus à l’employabilité, "
                "qu’à d’autres aspects de sa personnalité que nous ne savons pas traiter.")
    parts = clauses(sentence)
    assert parts[0] == ("Aussi lorsque nous disons chez Eurotalents que nous ne sommes ni psy ni "
                        "gourou")
    assert len(parts) == 3 and all(len(p) >= MIN_SENTENCE_CHARS for p in parts)
    assert all(p in sentence for p in parts)
    assert " ".join(parts).replace(",", "").split() == sentence.replace(",", "").split()
    assert clauses("A short sentence, with a comma.") == []
