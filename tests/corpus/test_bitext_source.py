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


def test_a_provision_opening_like_a_heading_is_kept(tmp_path: Path) -> None:
    """A section whose only provision opens as a heading does ("Section 83 — other than the
    obligation to provide a summary — and sections 85.1 to 85.5 apply ...", I-2.5 s. 84) had
    lost it: headings were told by their words, not by where they stand."""
    from corpus.layouts import bitext_units
    from corpus.manifest import load_manifest

    (tmp_path / "w_en.txt").write_text(
        "Section 1 — Short title\nThis Act may be cited as the Widget Act.\n\n"
        "Section 2 — Widgets on appeal\nSection 1 — other than its last words — applies to an "
        "appeal, with any necessary modifications.\n\n"
        "Section 3 — Fees\n(1) A fee is payable.\n", encoding="utf-8")
    (tmp_path / "w_fr.txt").write_text(
        "Article 1 — Titre abrégé\nLoi sur les gadgets.\n\n"
        "Article 2 — Gadgets en appel\nArticle 1 — sauf ses derniers mots — s’applique à "
        "l’appel, avec les adaptations nécessaires.\n\n"
        "Article 3 — Droits\n(1) Des droits sont exigibles.\n", encoding="utf-8")
    manifest = MANIFEST.replace("canada_sample_en.txt", "w_en.txt").replace(
        "canada_sample_fr.txt", "w_fr.txt").replace('"L-2"', '"W-1"')
    (tmp_path / "w.toml").write_text(manifest, encoding="utf-8")
    units = bitext_units(load_manifest(tmp_path / "w.toml"), None)
    assert [(u.section, u.en.text[:20]) for u in units] == [
        ("1", "This Act may be cite"), ("2", "Section 1 — other th"), ("3", "(1) A fee is payable")]
