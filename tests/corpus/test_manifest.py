"""Every manifest field carries its origin; a bad manifest is refused with its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import ManifestError
from corpus.manifest import discover, load_manifest
from tests.conftest import SOURCES


def test_shipped_manifests_describe_all_five_sources() -> None:
    manifests = {m.file.name: m for m in discover(SOURCES)}
    assert len(manifests) == 5
    assert manifests["003_1e6b081e43e3fa0e.txt"].kind == "statute"
    assert manifests["003_1e6b081e43e3fa0e.txt"].languages == ("en", "fr")
    assert manifests["004_01c1e21986961462.txt"].value("copy_of")["file"] == (
        "003_1e6b081e43e3fa0e.txt")
    assert manifests["002_3303963e5140a752.txt"].format == "html"
    for m in manifests.values():
        for name, field in m.fields.items():
            assert field["origin"].strip(), f"{m.path.name}: {name} has no origin"


def test_field_without_origin_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    manifest = tmp_path / "a.toml"
    manifest.write_text(
        'file = "a.txt"\nformat = "text"\nlayout = "commentary"\n'
        'kind = { value = "commentary" }\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="a.toml: field 'kind' needs a value and an origin"):
        load_manifest(manifest)
    manifest.write_text('file = "a.txt"\nformat = "pdf"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="'format' must be one of"):
        load_manifest(manifest)
