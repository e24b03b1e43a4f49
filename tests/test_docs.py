"""The README documents every setting (a new setting without documentation fails here)."""

from __future__ import annotations

from api.settings import Settings
from tests.conftest import ROOT


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`BILEX_{name.upper()}`" in readme, f"BILEX_{name.upper()} is undocumented"


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
