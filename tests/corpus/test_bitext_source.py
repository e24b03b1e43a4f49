"""A French/English act added by a manifest joins the served corpus with its citations."""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus.build import build_corpus
from tests.conftest import ROOT, SOURCES

DATA = ROOT / "tests" / "corpus" / "data"
MANIFEST = """# Test: a sample of the Canada Labour Code, English and French.
layout = "bitext"
format = "text"
files = { en = "canada_sample_en.txt", fr = "canada_sample_fr.txt" }
kind = { value = "statute", origin = "test fixture: Canada Labour Code sections" }
languages = { value = ["en", "fr"], origin = "test fixture" }
jurisdiction = { value = "Canada", origin = "test fixture" }
title = { value = "Canada Labour Code (sample)", origin = "test fixture" }
act = { value = "L-2", origin = "test fixture" }

[citation]
origin = "test fixture"

[citation.value]
en = "Canada Labour Code, R.S.C., 1985, c. L-2"
fr = "Code canadien du travail, L.R.C. (1985), ch. L-2"
"""


def test_added_act_is_aligned_and_cited(corpus, e5, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "sources"
    shutil.copytree(SOURCES, src)
    for name in ("canada_sample_en.txt", "canada_sample_fr.txt"):
        shutil.copy(DATA / name, src / name)
    (src / "l2.toml").write_text(MANIFEST, encoding="utf-8")
    built = build_corpus(src, e5)
    act = [u for u in built.units if u.article == "L-2"]
    assert len(act) >= 5
    first = act[0]
    assert first.id == "L-2.1.1"
    assert first.en.citation == "Canada Labour Code, R.S.C., 1985, c. L-2, s. 1"
    assert first.fr.citation == "Code canadien du travail, L.R.C. (1985), ch. L-2, art. 1"
    assert "Canada Labour Code" in first.en.text and first.fr.text
    labelled = [u for u in act if u.en.text.startswith("(a)")]
    assert labelled and labelled[0].en.citation.endswith("s. 2(a)")
    assert labelled[0].fr.citation.endswith("art. 2a)")
    assert [u.id for u in built.units if u.article == "L321-4-2"] == [u.id for u in corpus.units]
    assert {s.file for s in built.sources} >= {"canada_sample_en.txt", "canada_sample_fr.txt"}
