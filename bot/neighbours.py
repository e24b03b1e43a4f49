"""The profile's neighbouring subjects, less what the served corpus covers.

A profile lists subjects its sources do not cover ("widget leave", "permits") as evidence
that a question is out of scope, and says where to go for them. An act added beside those
sources may cover some of them: a Widget Act has a section headed "Widget leave". A term
is covered when one of the corpus's statute headings in the term's language holds all its
words (stemmed, stop words aside), and a one-word term only a heading of that word alone;
covered terms no longer count as off the subject, and a neighbour left without terms is
dropped (its label and its pointer with it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from corpus.models import Corpus
from corpus.profile import Neighbour
from indexer.lexical import STEMMER_LANGS, tokenize


def statute_headings(corpus: Corpus) -> dict[str, frozenset[str]]:
    """The distinct headings of the corpus's statute passages, per language."""
    found: dict[str, set[str]] = {}
    for unit in corpus.units:
        for passage in (unit.fr, unit.en):
            if passage.kind == "statute" and passage.heading:
                found.setdefault(passage.lang, set()).add(passage.heading)
    return {lang: frozenset(headings) for lang, headings in found.items()}


class Coverage:
    """Whether the corpus's headings hold a term's words, per language."""

    def __init__(self, headings: Mapping[str, Iterable[str]]) -> None:
        # stem -> the headings (as positions) holding it, and each heading's count of stems
        self._holding: dict[str, dict[str, set[int]]] = {}
        self._sizes: dict[str, list[int]] = {}
        for lang, texts in headings.items():
            if lang not in STEMMER_LANGS:
                continue
            index: dict[str, set[int]] = {}
            sizes: list[int] = []
            for position, text in enumerate(texts):
                stems = set(tokenize(text, lang))
                sizes.append(len(stems))
                for stem in stems:
                    index.setdefault(stem, set()).add(position)
            self._holding[lang] = index
            self._sizes[lang] = sizes

    def covers(self, term: str, lang: str) -> bool:
        """True when one heading in `lang` holds every word of `term`, and says no more than
        the term when it is one word ("Permits", not "Permits of widget keepers": a word alone
        in a longer heading is often another sense of it, the owner of a share for "owner")."""
        index = self._holding.get(lang)
        stems = set(tokenize(term, lang)) if index is not None else set()
        if index is None or not stems:
            return False
        common = set.intersection(*(index.get(stem, set()) for stem in stems))
        return bool(common) and (len(stems) > 1 or any(
            self._sizes[lang][position] == 1 for position in common))

def uncovered(neighbours: Iterable[Neighbour], corpus: Corpus) -> tuple[Neighbour, ...]:
    """`neighbours` without the terms the corpus's statute headings cover; a neighbour whose
    every term is covered is left out."""
    coverage = Coverage(statute_headings(corpus))
    kept = []
    for n in neighbours:
        terms = {lang: tuple(t for t in ts if not coverage.covers(t, lang))
                 for lang, ts in n.terms.items()}
        if any(terms.values()):
            kept.append(Neighbour(n.name, terms, n.pointer, n.origin))
    return tuple(kept)
