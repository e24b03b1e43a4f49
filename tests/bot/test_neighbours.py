"""The profile's neighbouring subjects less what the served corpus's headings cover."""

from __future__ import annotations

from bot.neighbours import Coverage, statute_headings, uncovered
from corpus.models import AlignedUnit, Corpus, Passage
from corpus.profile import Neighbour


def _unit(uid: str, heading_en: str, heading_fr: str, kind: str = "statute") -> AlignedUnit:
    def side(lang: str, heading: str) -> Passage:
        return Passage(f"{uid}.{lang}", f"w_{lang}.txt", lang, kind, "text", "", 1, 1, "1",
                       heading)
    return AlignedUnit(uid, "W-1", "1", 1, side("fr", heading_fr), side("en", heading_en),
                       1.0, ())


LEAVE = Neighbour({"fr": "congés", "en": "leave"},
                  {"fr": ("congé de maternité", "télétravail"),
                   "en": ("maternity leave", "remote work")},
                  {"fr": "l'inspection du travail", "en": "the labour inspectorate"}, "test")
TAX = Neighbour({"fr": "impôts", "en": "tax"}, {"fr": ("impôt sur le revenu",),
                                                 "en": ("income tax",)},
                {"fr": "le fisc", "en": "the tax office"}, "test")


def test_a_term_a_statute_heading_holds_is_no_longer_off_the_subject() -> None:
    corpus = Corpus((_unit("W-1.206.1", "Maternity-related leave", "Congés de maternité"),
                     _unit("W-1.7.1", "Income of the fund", "Revenus du fonds"),
                     _unit("W-1.9.1", "Income tax", "Impôt sur le revenu", kind="commentary")),
                    (), (), (), (), "enc", "hash")
    kept = uncovered((LEAVE, TAX), corpus)
    # "maternity leave": one heading holds both words (stemmed, in any order)
    assert kept[0].terms == {"fr": ("télétravail",), "en": ("remote work",)}
    assert kept[0].pointer == LEAVE.pointer and kept[0].name == LEAVE.name
    # a commentary heading says nothing of what the law served covers; "income" alone is
    # not "income tax"
    assert kept[1] == TAX
    everything = Corpus((_unit("W-1.1.1", "Maternity leave; remote work", "Congé de maternité"),
                         _unit("W-1.2.1", "Income tax", "Impôt sur le revenu"),
                         _unit("W-1.3.1", "Remote work", "Télétravail")),
                        (), (), (), (), "enc", "hash")
    assert uncovered((LEAVE, TAX), everything) == ()  # every term covered: the subject goes


def test_coverage_needs_one_heading_holding_every_word() -> None:
    coverage = Coverage({"en": ["Maternity benefits", "Leave of absence", "Permits",
                                "Owner of a share"], "fr": []})
    assert coverage.covers("maternity benefit", "en")
    assert coverage.covers("permit", "en")  # one word: a heading of that word alone
    assert not coverage.covers("owner", "en")  # one word of a longer heading
    assert not coverage.covers("maternity leave", "en")  # two headings, not one
    assert not coverage.covers("the", "en")  # nothing but stop words
    assert not coverage.covers("congé", "fr") and not coverage.covers("leave", "de")
    assert statute_headings(Corpus((_unit("W-1.1.1", "A heading", "Un titre"),), (), (), (), (),
                                   "enc", "hash")) == {"fr": {"Un titre"}, "en": {"A heading"}}
