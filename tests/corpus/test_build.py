"""Stable ids across builds and source changes; bad source files give one clear line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus.build import build_corpus, load_corpus, save_corpus
from corpus.errors import SourceError
from tests.conftest import SOURCES

NEW_SOURCE = """Un texte ajouté

Ce paragraphe sert seulement à vérifier que les identifiants restent stables.
"""
NEW_MANIFEST = """file = "005_added.txt"
format = "text"
layout = "commentary"
kind = { value = "commentary", origin = "test fixture" }
languages = { value = ["fr"], origin = "test fixture" }
jurisdiction = { value = "unspecified", origin = "test fixture" }
title = { value = "Un texte ajouté", origin = "test fixture" }
"""


def _ids(corpus) -> dict[str, tuple[str | None, ...]]:  # type: ignore[no-untyped-def]
    ids = {u.id: (u.fr.citation, u.en.citation, u.fr.text) for u in corpus.units}
    ids.update({p.id: (p.citation, p.text) for p in corpus.commentary})
    return ids


def test_ids_identical_across_two_builds(corpus, e5, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    again = build_corpus(SOURCES, e5)
    assert _ids(again) == _ids(corpus)
    save_corpus(again, tmp_path / "corpus.json", "fp")
    loaded, fingerprint = load_corpus(tmp_path / "corpus.json")
    assert fingerprint == "fp" and loaded == again


def test_a_saved_corpus_of_another_version_or_with_a_wrong_field_says_to_rebuild(
        corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from corpus.errors import CorpusError

    path = tmp_path / "corpus.json"
    save_corpus(corpus, path, "fp")
    saved = json.loads(path.read_text(encoding="utf-8"))
    for change, message in (
            ({"format": 1}, "built by another Bilex version"),
            ({"format": 1, "units": "no longer a list"}, "built by another Bilex version"),
            ({"units": [{**saved["units"][0], "fr": {**saved["units"][0]["fr"], "text": 12}}]},
             r"corrupt corpus file \(Expected `str`, got `int` - at `\$\.units\[0\]\.fr\.text`"),
            ({"commentary": [{"id": "x"}]}, "corrupt corpus file .*missing required field"),
    ):
        path.write_text(json.dumps({**saved, **change}), encoding="utf-8")
        with pytest.raises(CorpusError, match=message + ".*run `bilex build`"):
            load_corpus(path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CorpusError, match="corrupt corpus file"):
        load_corpus(path)


def test_ids_unaffected_by_adding_or_removing_sources(corpus, e5, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "sources"
    shutil.copytree(SOURCES, src)
    (src / "005_added.txt").write_text(NEW_SOURCE, encoding="utf-8")
    (src / "005_added.toml").write_text(NEW_MANIFEST, encoding="utf-8")
    added = _ids(build_corpus(src, e5))
    assert added["005_added.p1"][1].startswith("Ce paragraphe")
    assert {k: v for k, v in added.items() if not k.startswith("005")} == _ids(corpus)

    for name in ("000_a2ce5ef13f623cff.txt", "000_a2ce5ef13f623cff.toml"):
        (src / name).unlink()
    removed = _ids(build_corpus(src, e5))
    assert not any(k.startswith("000_") for k in removed)
    assert {k: v for k, v in removed.items() if not k.startswith("005")} == {
        k: v for k, v in _ids(corpus).items() if not k.startswith("000_")}


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: p.unlink(), "file not found"),
        (lambda p: p.write_bytes(b"  \n\n"), "is empty"),
        (lambda p: p.write_bytes(b"Article \xff\xfe bad bytes \x81"), "not valid UTF-8"),
        (lambda p: p.write_bytes(b"PK\x03\x04\x00\x00binary"), "binary"),
    ],
    ids=["missing", "empty", "undecodable", "binary"],
)
def test_bad_source_file_is_named(tmp_path: Path, damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "sources"
    shutil.copytree(SOURCES, src)
    target = src / "001_24733fa58d0b5c4f.txt"
    damage(target)
    with pytest.raises(SourceError) as err:
        build_corpus(src, None)
    assert "001_24733fa58d0b5c4f.txt" in str(err.value) and reason in str(err.value)


def test_corpus_file_is_plain_json(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "corpus.json"
    save_corpus(corpus, path, "abc")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["fingerprint"] == "abc" and len(data["units"]) == 9
    assert not list(tmp_path.glob(".corpus.json.*"))  # no temp file left behind


def test_passages_units_and_chunks_loaded_hold_only_their_fields(
        corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Tens of thousands with acts: slots, no instance dictionary (which msgspec, loading
    them, makes larger than a constructor does)."""
    import msgspec

    from indexer.chunk import Chunk
    from indexer.chunking import chunks_from_corpus

    save_corpus(corpus, tmp_path / "corpus.json", "fp")
    loaded, _ = load_corpus(tmp_path / "corpus.json")
    chunk = chunks_from_corpus(loaded)[0]
    again = msgspec.json.decode(chunk.to_json(), type=Chunk)
    for record in (loaded.units[0], loaded.units[0].fr, loaded.commentary[0], chunk, again):
        assert not hasattr(record, "__dict__"), type(record).__name__
    assert again == chunk
