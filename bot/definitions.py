"""Terms an act defines, found by a definition question ("what is X", "qu'est-ce qu'un X").

The corpus says which terms its acts define: a consolidated act's definition opens with the
term and carries the other language's term as a cross tag ("X means ... (Y)" beside
"Y ... (X)"; `corpus.bitext.glossary.defined_terms`). A question that asks what such a term
is is answered first with the unit that opens its definition, wherever retrieval ranked it:
the act's own definition is the answer, even when other provisions use the term more.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from corpus.bitext.glossary import UnitText, defined_terms
from corpus.bitext.terms import alternatives
from corpus.drift import fold
from corpus.models import Corpus
from indexer.lexical import STEMMER_LANGS, tokenize


def _stems(text: str, lang: str) -> tuple[str, ...]:
    return tuple(tokenize(text, lang))


class DefinedTerms:
    """Each defined term, in its own language, -> the units opening its definitions (one per
    act that defines it, in corpus order): by its words as written (folded) and by their
    stems. The languages are kept apart: stems of two languages meet ("employer" and
    "employé" both stem to "employ"), and a term as written is found before the terms its
    stems also give ("employer" before "employment")."""

    def __init__(self, opening: dict[tuple[str, tuple[str, ...]], tuple[str, ...]],
                 written: dict[tuple[str, str], tuple[str, ...]] | None = None) -> None:
        self.opening = opening  # (language, stems) -> units
        self.written = written or {}  # (language, folded words) -> units
        # (language, unit) -> the names it defines as written, for the nearest one by stems
        self._names_of: dict[tuple[str, str], list[str]] = {}
        for (lang, term), units in self.written.items():
            for unit in units:
                self._names_of.setdefault((lang, unit), []).append(term)

    @classmethod
    def of_corpus(cls, corpus: Corpus) -> DefinedTerms:
        """The definitions of every act in `corpus` (none for sources that are not acts)."""
        units = [UnitText(u.id, u.fr.text, u.en.text, u.section) for u in corpus.units]
        opening: dict[tuple[str, tuple[str, ...]], dict[str, None]] = {}
        written: dict[tuple[str, str], dict[str, None]] = {}
        for entry in defined_terms(units):
            for term, lang in ((entry.fr, "fr"), (entry.en, "en")):
                for name in [term, *alternatives(term)]:  # "inspector or chief inspector": each name
                    key = _stems(name, lang)
                    if key:
                        opening.setdefault((lang, key), {})[entry.units[0]] = None
                        written.setdefault((lang, _written(name)), {})[entry.units[0]] = None
        return cls({key: tuple(found) for key, found in opening.items()},
                   {key: tuple(found) for key, found in written.items()})

    def find(self, subject: Sequence[str], language: str | None = None) -> tuple[str, ...]:
        """The units opening the definitions of the term that `subject` (a definition
        question's content words) names, all of it, in either language, the question's
        `language` first (a word of both languages may be another term in the other one);
        the term as written before its stems; () otherwise ("the inspector's role" does not
        ask what an inspector is)."""
        if not self.opening or not subject:
            return ()
        if language is not None and language not in STEMMER_LANGS:
            raise ValueError(f"unknown language {language!r}")
        text = " ".join(subject)
        order = sorted(STEMMER_LANGS, key=lambda lang: lang != language)
        for lang in order:
            units = self.written.get((lang, _written(text)))
            if units:
                return units
        for lang in order:
            units = self.opening.get((lang, _stems(text, lang)))
            if units:  # "employers": "employer" before "employment", which stems alike
                asked = _written(text)
                return tuple(sorted(units, key=lambda u: min(
                    (Levenshtein.distance(asked, name) for name in self._names_of.get((lang, u), ())),
                    default=0)))
        return ()


def _written(text: str) -> str:
    """A term's words as written, folded (case and accents)."""
    return " ".join(fold(text).split())
