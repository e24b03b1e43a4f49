"""The bilingual glossary: defined terms from cross tags, paired terms, variants, consistency."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from corpus.bitext import align_texts
from corpus.bitext.glossary import (
    CSV_COLUMNS,
    GlossaryEntry,
    UnitText,
    build_glossary,
    corpus_glossary,
    defined_terms,
    glossary_csv,
    glossary_tbx,
)
from corpus.models import TermVariant

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def canada() -> list[UnitText]:
    """The Canada sample aligned without a model, as (id, fr, en, section) texts."""
    en = (DATA / "canada_sample_en.txt").read_text(encoding="utf-8")
    fr = (DATA / "canada_sample_fr.txt").read_text(encoding="utf-8")
    return [UnitText(f"u{i}", u.fr, u.en, u.section) for i, u in enumerate(align_texts(en, fr, None))]


def test_canada_sample_yields_its_defined_terms(canada: list[UnitText]) -> None:
    found = {(e.fr, e.en): e for e in defined_terms(canada)}
    assert {("Conseil", "Board"), ("ministre", "Minister"), ("arbitre externe", "external adjudicator"),
            ("chef", "Head"), ("intérêt financier", "financial interest"),
            ("perte financière", "financial loss")} <= set(found)
    board = found[("Conseil", "Board")]
    assert board.kind == "defined_term" and board.consistent and board.renderings == ("Board",)
    (unit,) = [u for u in canada if u.id == board.units[0]]
    assert unit.en.startswith("Board means") and unit.fr.startswith("Conseil ")
    assert "(Conseil)" in board.origin and "(Board)" in board.origin


def test_a_definition_over_several_units_spans_them(canada: list[UnitText]) -> None:
    """"federal work, undertaking or business means ... (a) ... (j) ...; (entreprises fédérales)"."""
    entry = next(e for e in defined_terms(canada) if e.fr == "entreprises fédérales")
    assert entry.en == "federal work, undertaking or business"
    texts = {u.id: u for u in canada}
    first, last = texts[entry.units[0]], texts[entry.units[-1]]
    assert first.en.startswith("federal work, undertaking or business means")
    assert first.fr.startswith("entreprises fédérales ")
    assert last.en.startswith("(j)") and last.en.endswith("(entreprises fédérales)")
    assert len(entry.units) == 11  # the opening line and paragraphs (a) to (j)


def test_one_language_definitions_and_plain_text_are_not_terms(canada: list[UnitText]) -> None:
    terms = {e.en for e in defined_terms(canada)} | {e.fr for e in defined_terms(canada)}
    assert "third party" not in terms and not any("seulement" in t for t in terms)
    article_en = (DATA / "article_en.txt").read_text(encoding="utf-8")
    article_fr = (DATA / "article_fr.txt").read_text(encoding="utf-8")
    article = [UnitText(str(i), u.fr, u.en, u.section)
               for i, u in enumerate(align_texts(article_en, article_fr, None))]
    assert defined_terms(article) == []


def test_a_tag_without_its_definition_is_not_a_term() -> None:
    # synthetic text, not law: both lines end with a tag, neither opens with a term
    units = [UnitText("a", "Un texte d’exemple. (Sample)", "A sample text. (exemple)", "1")]
    assert defined_terms(units) == []  # neither side opens with the other side's tag


def test_a_definition_whose_english_runs_a_line_longer_is_found() -> None:
    """The French tag ends one unit; the English closing line has no French counterpart, so
    its unit's French side is empty and the English tag ends it (synthetic text, not law)."""
    units = [UnitText("a", "gardien désigne :", "keeper means", "1"),
             UnitText("b", "(i) la personne qui garde la clé. (keeper)",
                      "(i) the person holding the key,", "1"),
             UnitText("c", "", "when the door is locked; (gardien)", "1")]
    (entry,) = defined_terms(units)
    assert (entry.fr, entry.en, entry.units) == ("gardien", "keeper", ("a", "b", "c"))
    # a side that is not empty after the tag ends no split definition
    assert defined_terms([*units[:2], UnitText("c", "lorsque la porte est fermée;",
                                               "when the door is locked; (gardien)", "1")]) == []


def test_article_glossary_has_the_crp_pair_and_flags_delai_conge(corpus) -> None:  # type: ignore[no-untyped-def]
    entries = corpus_glossary(corpus, "L321-4-2")
    crp = next(e for e in entries if e.fr == "convention de reclassement personnalisé")
    assert crp.en == "personalised redeployment agreement"
    assert crp.kind == "paired_term" and crp.consistent
    assert crp.origin.startswith("paired by the alignment")
    variant = next(e for e in entries if e.fr == "durée légale du délai-congé")
    assert variant.kind == "variant" and not variant.consistent
    assert variant.renderings == ("legal notice period", "statutory period of leave")
    assert variant.units == ("L321-4-2.I.4", "L321-4-2.I.5")
    assert "legal notice period" in variant.origin and "L321-4-2.I.5" in variant.origin
    assert not [e for e in entries if e.kind == "defined_term"]
    assert corpus_glossary(corpus, "nothing-here") == []


def test_two_renderings_of_one_french_term_make_every_row_of_it_inconsistent() -> None:
    # synthetic text, not law: a definition shaped like the Canadian ones, and pairs
    units = [UnitText("d", "comité Un exemple de définition. (Committee)",
                      "Committee means a sample definition; (comité)", "2")]
    pairs = [{"fr": "Comité", "en": "Board", "units": ["x1"], "origin": "paired by the alignment"},
             {"fr": "exemple", "en": "Sample", "units": ["x2"], "origin": "paired by the alignment"},
             {"fr": "exemple", "en": "sample", "units": ["x3"], "origin": "paired by the alignment"}]
    entries = build_glossary(units, pairs, [TermVariant("délai", "A", {"notice": ["x4"], "leave": ["x5"]})])
    by_key = {(e.fr, e.en, e.kind): e for e in entries}
    defined = by_key[("comité", "Committee", "defined_term")]
    paired = by_key[("Comité", "Board", "paired_term")]
    assert not defined.consistent and not paired.consistent  # case-insensitive French term
    assert defined.renderings == paired.renderings == ("Committee", "Board")
    sample = by_key[("exemple", "Sample", "paired_term")]
    assert sample.consistent and sample.renderings == ("Sample",)  # case only: one rendering
    variant = by_key[("délai", "notice / leave", "variant")]
    assert not variant.consistent and variant.units == ("x4", "x5")


def test_glossary_csv_round_trips() -> None:
    entry = GlossaryEntry("durée, légale", 'a "b"', "variant", False, ("a", "b"), ("u1", "u2"), "why")
    text = glossary_csv([entry])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows == [{"source": "durée, légale", "target": 'a "b"', "kind": "variant",
                     "consistent": "no", "renderings": "a | b", "units": "u1 u2", "origin": "why"}]
    assert entry.as_dict()["renderings"] == ["a", "b"]
    semicolon = glossary_csv([entry], delimiter=";")
    assert semicolon.splitlines()[0] == "\ufeff" + ";".join(f"\"{c}\"" for c in CSV_COLUMNS)


def test_tbx_reads_back_with_translate_toolkit_with_flags_and_apostrophes() -> None:
    from translate.storage.tbx import tbxfile

    entries = [
        GlossaryEntry("Conseil", "Board", "defined_term", True, ("Board",), ("u1",), "defined in u1"),
        GlossaryEntry("indemnité d’ancienneté", "severance pay", "paired_term", True,
                      ("severance pay",), ("u2", "u3"), "paired"),
        GlossaryEntry("délai-congé", "notice period / period of leave", "variant", False,
                      ("notice period", "period of leave"), ("u4", "u5"), "two ways"),
    ]
    text = glossary_tbx(entries, locales={"fr": "fr-CA", "en": "en-CA"})
    store = tbxfile.parsestring(text.encode("utf-8"))
    assert [(u.source, u.target) for u in store.units] == [(e.fr, e.en) for e in entries]
    assert "inconsistent: rendered notice period | period of leave" in store.units[2].getnotes()
    assert "inconsistent" not in store.units[0].getnotes()
    assert 'xml:lang="fr-CA"' in text and 'xml:lang="en-CA"' in text


def test_term_candidates_are_noun_phrases_with_their_apostrophes() -> None:
    from corpus.terms import noun_phrases

    fr = set(noun_phrases("le bénéfice d’une convention de reclassement personnalisé lui "
                          "permettant, l’indemnité de préavis et deux mois de salaire, le droit "
                          "individuel à la formation", "fr").values())
    assert {"convention de reclassement personnalisé", "indemnité de préavis",
            "droit individuel à la formation"} <= fr
    assert not any("d une" in t or "d’une" in t for t in fr)  # an article inside: no term
    assert "mois de salaire" in fr and not any("deux" in t for t in fr)  # quantities left out
    en = set(noun_phrases("an amount equal to two months of salary; the proposal submitted",
                          "en").values())
    assert "proposal submitted" not in en and not any("two" in t for t in en)
    kept = noun_phrases("l’allocation d’aide au retour", "fr")
    assert "allocation d’aide" in kept.values()  # the apostrophe as written


def test_a_fragment_does_not_pair_with_a_whole_term() -> None:
    from corpus.terms import paired_terms

    pairs = [("le licenciement pour motif économique du salarié", "the dismissal for economic reasons"),
             ("après un licenciement pour motif économique", "after a dismissal for economic reasons"),
             ("le contrat de travail est rompu", "the employment contract ends"),
             ("un contrat de travail écrit", "a written employment contract")]
    found = {(p.fr, p.en) for p in paired_terms(pairs)}
    assert ("contrat de travail", "employment contract") in found
    assert not any(en == "economic reasons" for _, en in found)
