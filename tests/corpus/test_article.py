"""The article splits into its 9 alinéas per language, correctly paired and cited."""

from __future__ import annotations

import re

from corpus.drift import NUMBER_MISMATCH, REFERENCE_MISMATCH, TERM_INCONSISTENT
from corpus.text import sentences
from tests.conftest import SOURCES

# Each alinéa's references, as the source prints them: the French and English side of a
# true pair cite the same articles (a pairing check that does not use the aligner).
REFS = {
    "L321-4-2.I.1": {"L. 321-4-3"},
    "L321-4-2.I.2": {"L. 933-6", "L. 933-1", "L. 933-4"},
    "L321-4-2.I.3": set(),
    "L321-4-2.I.4": {"L. 122-9", "L. 122-6"},
    "L321-4-2.I.5": {"L. 351-8", "L. 311-1", "L. 311-10", "L. 311-7", "L. 351-21", "L. 122-6"},
    "L321-4-2.I.6": set(),
    "L321-4-2.I.7": set(),
    "L321-4-2.I.8": {"L. 351-21"},
    "L321-4-2.II.1": {"L. 321-4-3", "L. 351-21"},
}


def test_nine_units_in_order_with_sections(corpus) -> None:  # type: ignore[no-untyped-def]
    assert [u.id for u in corpus.units] == list(REFS)
    assert [u.section for u in corpus.units] == ["I"] * 8 + ["II"]
    assert corpus.units[0].fr.text.startswith("I.-Dans les entreprises")
    assert corpus.units[0].en.text.startswith("I.-In companies")
    assert corpus.units[-1].fr.text.startswith("II.-Tout employeur")
    assert corpus.units[-1].en.text.startswith("II – Any employer")


def test_each_french_alinea_beside_its_english_counterpart(corpus) -> None:  # type: ignore[no-untyped-def]
    for unit in corpus.units:
        for side in (unit.fr.text, unit.en.text):
            found = set(re.findall(r"L\. \d{3}-\d+(?:-\d+)?", side))
            assert found == REFS[unit.id], unit.id
    by_id = {u.id: u for u in corpus.units}
    assert "stagiaire de la formation professionnelle" in by_id["L321-4-2.I.3"].fr.text
    assert "vocational training trainee" in by_id["L321-4-2.I.3"].en.text
    assert "décret en Conseil d’Etat" in by_id["L321-4-2.I.7"].fr.text
    assert "decree in the Conseil d’Etat" in by_id["L321-4-2.I.7"].en.text


def test_citations_in_both_languages(corpus) -> None:  # type: ignore[no-untyped-def]
    unit = corpus.units[1]
    assert unit.fr.citation == "Code du travail, art. L. 321-4-2, I, al. 2"
    assert unit.en.citation == (
        "French Labour Code, Article L321-4-2, I, para. 2 (English translation)")
    assert corpus.units[-1].fr.citation == "Code du travail, art. L. 321-4-2, II, al. 1"
    assert all(u.fr.source == u.en.source == "003_1e6b081e43e3fa0e.txt" for u in corpus.units)


def test_every_article_sentence_is_in_exactly_one_unit(corpus) -> None:  # type: ignore[no-untyped-def]
    raw = (SOURCES / "003_1e6b081e43e3fa0e.txt").read_text(encoding="utf-8")
    body = raw.split("Need help with this article?")[0]  # the lawyers' footer follows
    article_lines = [ln for ln in body.splitlines() if len(ln) > 120]
    assert len(article_lines) == 18  # 9 alinéas in each language
    for line in article_lines:
        for sentence in sentences(line):
            holders = [u.id for u in corpus.units
                       if sentence in u.fr.text or sentence in u.en.text]
            assert len(holders) == 1, (sentence[:60], holders)


def test_second_english_copy_is_kept_once_and_compared(corpus) -> None:  # type: ignore[no-untyped-def]
    assert all(u.en.source == "003_1e6b081e43e3fa0e.txt" for u in corpus.units)
    (check,) = corpus.copies
    assert (check.copy, check.original, check.lang) == (
        "004_01c1e21986961462.txt", "003_1e6b081e43e3fa0e.txt", "en")
    assert check.identical and not check.divergences


def test_delai_conge_rendered_two_ways_is_flagged(corpus) -> None:  # type: ignore[no-untyped-def]
    (variant,) = corpus.terms
    assert "délai-congé" in variant.term
    renderings = " | ".join(variant.renderings)
    assert "notice period" in renderings and "period of leave" in renderings
    flagged = {u.id for u in corpus.units if TERM_INCONSISTENT in u.flags}
    assert flagged == {"L321-4-2.I.4", "L321-4-2.I.5"}


def test_true_pairs_carry_no_number_or_reference_flag(corpus) -> None:  # type: ignore[no-untyped-def]
    for unit in corpus.units:
        assert NUMBER_MISMATCH not in unit.flags, (unit.id, unit.details)
        assert REFERENCE_MISMATCH not in unit.flags, (unit.id, unit.details)
        assert 0.0 <= unit.confidence <= 1.0
        assert unit.confidence >= 0.6, (unit.id, unit.confidence)
