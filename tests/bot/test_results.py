"""Result objects: what a statute card says about which of its two texts is the law."""

from __future__ import annotations

import pytest

from bot.results import translation_note


@pytest.mark.parametrize(("authentic", "prevails"), [
    (["fr"], "The French text prevails; the English is a translation."),
    (["en"], "The English text prevails; the French is a translation."),
    (["en", "fr"], "The English and French versions are equally authoritative."),
    (["fr", "en"], "The English and French versions are equally authoritative."),
])
def test_the_note_follows_the_sources_authority(authentic: list[str], prevails: str) -> None:
    note = translation_note(authentic)
    assert note is not None and note["en"] == prevails and note["fr"]


@pytest.mark.parametrize("authentic", [None, [], ["de"]])
def test_no_note_when_the_authority_is_not_known(authentic: list[str] | None) -> None:
    assert translation_note(authentic) is None
