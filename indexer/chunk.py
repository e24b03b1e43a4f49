"""The unit the indexer embeds and searches: one side (FR or EN) of a corpus passage."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.errors import ChunkError

LANGS = ("fr", "en")
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(..., ensure_ascii=False) uses
KINDS = ("statute", "commentary")


@dataclass(frozen=True, slots=True)  # tens of thousands with acts (corpus.models.Passage)
class Chunk:
    """One indexed text; chunks sharing `unit_id` are the FR/EN sides of one aligned unit."""

    id: str
    unit_id: str
    lang: str
    kind: str
    text: str

    def __post_init__(self) -> None:
        if not self.id or not self.unit_id:
            raise ChunkError(f"chunk {self.id!r} of unit {self.unit_id!r}: id and unit_id "
                             "must be non-empty strings")
        if self.lang not in LANGS:
            raise ChunkError(f"chunk {self.id!r}: lang {self.lang!r} is not one of {LANGS}")
        if self.kind not in KINDS:
            raise ChunkError(f"chunk {self.id!r}: kind {self.kind!r} is not one of {KINDS}")

    @staticmethod
    def make_id(unit_id: str, lang: str) -> str:
        """The conventional id of one side of a unit: `"{unit_id}:{lang}"`."""
        return f"{unit_id}:{lang}"

    def to_json(self) -> str:
        """One JSON line (the format of `chunks.jsonl`)."""
        # the dict `dataclasses.asdict` gives, built directly: asdict deep-copies every field,
        # which made hashing tens of thousands of chunks take seconds at every start
        return _ENCODER.encode({"id": self.id, "unit_id": self.unit_id, "lang": self.lang,
                                "kind": self.kind, "text": self.text})

    @classmethod
    def from_json(cls, line: str) -> Chunk:
        """Parse one line written by `to_json`."""
        data = json.loads(line)
        return cls(id=data["id"], unit_id=data["unit_id"], lang=data["lang"],
                   kind=data["kind"], text=data["text"])


def corpus_hash(chunks: Iterable[Chunk]) -> str:
    """sha256 over every chunk's fields in order: changes whenever the index would. It is
    the sha256 of the `chunks.jsonl` these chunks make (one `to_json` line each)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update((chunk.to_json() + "\n").encode("utf-8"))
    return digest.hexdigest()
