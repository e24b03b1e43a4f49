"""Provision citations down to their own label, with the nesting the alignment reads."""

from __future__ import annotations

from corpus.bitext.labels import label_chains
from corpus.citations import provision_citation

EN = ["(1) The holder may", "(a) sell,", "(b) lend", "(i) for a day,", "(ii) for a week,",
      "(A) in writing,", "Exception", "(2) Other.", "(h) eighth", "(i) ninth"]
FR = ["(1) Le titulaire peut", "a) vendre,", "b) prêter", "(i) pour un jour,",
      "(ii) pour une semaine,", "(A) par écrit,", "Exception", "(2) Autre.", "h) huitième",
      "i) neuvième"]


def test_a_provision_is_cited_down_to_its_own_label_in_each_languages_style() -> None:
    en = [provision_citation("Widget Act", "9", chain, "en") for chain in label_chains(EN, "en")]
    fr = [provision_citation("Loi", "9", chain, "fr") for chain in label_chains(FR, "fr")]
    assert en == ["Widget Act, s. 9(1)", "Widget Act, s. 9(1)(a)", "Widget Act, s. 9(1)(b)",
                  "Widget Act, s. 9(1)(b)(i)", "Widget Act, s. 9(1)(b)(ii)",
                  "Widget Act, s. 9(1)(b)(ii)(A)", "Widget Act, s. 9", "Widget Act, s. 9(2)",
                  "Widget Act, s. 9(2)(h)", "Widget Act, s. 9(2)(i)"]  # a letter after (h)
    assert fr == ["Loi, art. 9(1)", "Loi, art. 9(1)a)", "Loi, art. 9(1)b)", "Loi, art. 9(1)b)(i)",
                  "Loi, art. 9(1)b)(ii)", "Loi, art. 9(1)b)(ii)(A)", "Loi, art. 9",
                  "Loi, art. 9(2)", "Loi, art. 9(2)h)", "Loi, art. 9(2)i)"]


def _cited(lines: list[str], lang: str, base: str) -> list[str]:
    from corpus.citations import cited_chains

    return [provision_citation(base, "9", chain, lang, note)
            for chain, note in cited_chains(lines, label_chains(lines, lang))]


def test_an_unlabelled_line_is_cited_as_the_note_or_the_part_of_its_subsection() -> None:
    en = ["(1) The holder may", "(a) sell, and", "(b) lend", "until the term ends.", "Exception",
          "(2) Other.", "Books, etc.", "(3) More."]
    assert _cited(en, "en", "Widget Act") == [
        "Widget Act, s. 9(1)", "Widget Act, s. 9(1)(a)", "Widget Act, s. 9(1)(b)",
        "Widget Act, s. 9(1)",  # what closes subsection (1)
        "Widget Act, s. 9(2), marginal note", "Widget Act, s. 9(2)",
        "Widget Act, s. 9(3), marginal note", "Widget Act, s. 9(3)"]
    fr = ["(1) Le titulaire peut", "a) vendre,", "Maximum : exception", "(2) Autre."]
    assert _cited(fr, "fr", "Loi") == ["Loi, art. 9(1)", "Loi, art. 9(1)a)",
                                       "Loi, art. 9(2), note marginale", "Loi, art. 9(2)"]
    # a section without subsections: its definitions are the section's
    defined = ["In this Act,", "Board means the Board; (Conseil)", "(a) a work,",
               "Head means the head."]
    assert _cited(defined, "en", "Widget Act") == [
        "Widget Act, s. 9", "Widget Act, s. 9", "Widget Act, s. 9(a)", "Widget Act, s. 9"]
