"""Status entries in manifests: each with a value and an origin, validated on load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.errors import ManifestError
from corpus.manifest import discover, load_manifest

SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "sources"
ARTICLE = "003_1e6b081e43e3fa0e"


def test_the_article_manifest_carries_its_status_with_origins() -> None:
    status = load_manifest(SOURCES / f"{ARTICLE}.toml").fields["status"]
    assert status["value"]["in_force"] is False
    assert status["value"]["authentic"] == ["fr"]
    for name, origin in status["origins"].items():
        assert origin.strip(), name
    for name in ("in_force", "since", "replaced_by", "former"):
        assert "http" in status["origins"][name], name  # a public page, named


def test_the_profile_is_not_read_as_a_source_manifest() -> None:
    assert all(m.path.name != "profile.toml" for m in discover(SOURCES))


@pytest.mark.parametrize("entry, words", [
    ('[status.in_force]\nvalue = false\n', ["in_force", "origin"]),
    ('[status.in_force]\nvalue = "no"\norigin = "x"\n', ["in_force", "true or false"]),
    ('[status.authentic]\nvalue = ["de"]\norigin = "x"\n', ["authentic"]),
    ('[status.color]\nvalue = 1\norigin = "x"\n', ["unknown status entry"]),
])
def test_bad_status_entries_are_refused(tmp_path: Path, entry: str, words: list[str]) -> None:
    for suffix in (".toml", ".txt"):
        shutil.copy(SOURCES / f"{ARTICLE}{suffix}", tmp_path / f"{ARTICLE}{suffix}")
    manifest = tmp_path / f"{ARTICLE}.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("[status.")] + entry, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    for word in words:
        assert word in str(caught.value)
