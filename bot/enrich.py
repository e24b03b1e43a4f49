"""What makes an answer readable: the answering sentence (`highlight`), weak results marked,
a plain line on what the sources do not say, and helpful refusals (suggested questions, where
to go for a neighbouring subject, the status note when the question names the scheme that
replaced a source's text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.followup import content_words
from bot.highlight import highlight
from bot.references import parse as parse_references
from bot.references import residue
from bot.results import Result
from bot.status import StatusBook
from bot.suggest import Suggester
from corpus.drift import fold
from indexer.lexical import query_tokens, tokenize

# (result id, side language, side text) -> (cosine, start, end) of each embedded sentence
SentenceScores = Callable[[str, str, str], list[tuple[float, int, int]]]
WEAK_SHARE = 0.75  # a result scoring under this share of the best one is "weak" (folded away)
WEAK_COVERAGE = 0.5  # under this share of the question's words in the top results: weak match
GAPS = {
    "fr": "Les sources ne disent rien de : {words}. Les passages ci-dessous sont les plus proches.",
    "en": "The sources say nothing about: {words}. The passages below are the closest ones.",
}
SUCCESSOR = {
    "fr": "Les sources ne contiennent pas le texte de ce dispositif. Elles contiennent le texte "
          "qu’il a remplacé ; le voici, pour mémoire.",
    "en": "The sources do not hold the text of this scheme. They hold the text it replaced; "
          "here it is, for the record.",
}

UNCERTAIN = {
    "fr": "Bilex n’est pas sûr que ses sources couvrent cette question. Voici les passages les "
          "plus proches : vérifiez qu’ils y répondent.",
    "en": "Bilex is not sure its sources cover this question. Here are the closest passages: "
          "check that they answer it.",
}

CITED_LAW = {
    "fr": "Les sources ne contiennent pas le texte de : {laws}. Voici les passages des textes "
          "qu’elles contiennent qui renvoient à la disposition demandée.",
    "en": "The sources do not hold the text of: {laws}. Here are the passages of the texts they "
          "hold that refer to the provision asked about.",
}


class Enricher:
    """Adds the readable parts to results and answers; built once per bot."""

    def __init__(self, frequency: dict[str, int], status: StatusBook,
                 suggester: Suggester) -> None:
        self.frequency = frequency  # passages holding each token
        self.status = status
        self.suggester = suggester

    def results(self, results: list[Result], question: str, language: str,
                meaning: str, sentences: SentenceScores | None = None) -> list[Result]:
        """Each result with its `highlight`, and `weak` when it scores far below the best.
        `sentences(id, lang, text)`: the closeness of the question to each embedded sentence
        of a result's side (`bot.highlight.combined_piece`); without, words decide."""
        top = results[0].score if results else 0.0
        out = []
        for position, r in enumerate(results):
            sides = {"fr": r.fr["text"] if r.fr else None, "en": r.en["text"] if r.en else None}
            scored = ({lang: sentences(r.id, lang, text) for lang, text in sides.items() if text}
                      if sentences is not None else None)
            extra = dict(r.extra)
            extra["highlight"] = highlight(sides, question, meaning, language, self.frequency,
                                           scored)
            extra["weak"] = bool(position > 0 and top > 0 and r.score < WEAK_SHARE * top)
            out.append(Result(r.id, r.kind, r.score, r.citation, r.fr, r.en, r.alignment, extra))
        return out

    def gaps(self, question: str, language: str, results: list[Result],
             vocab: dict[str, frozenset[str]], top_coverage: float,
             bridges: Callable[[str], Mapping[str, frozenset[str]]] | None = None,
             places: Callable[[str], tuple[str, ...]] | None = None,
             asked: Sequence[str] = ()) -> dict[str, Any] | None:
        """When the best matches miss much of the question (its words' share found in the top
        results under WEAK_COVERAGE): the words they do not use. `bridges(question)`: question
        token -> the tokens of the sources' own wording the profile or the alignment gives it;
        a word is used when that wording is ("WPA" for "Widget Protection Agreement").
        `places(word)`: the jurisdictions a word names; a place is used when a shown passage
        comes from a source of that jurisdiction (its manifest says so, its text need not).
        `asked`: the sentences of a long post that ask (its context says nothing of what the
        sources cover). Only words that say what is asked about count (`subject_words`)."""
        if not results or top_coverage >= WEAK_COVERAGE:
            return None
        words = subject_words(" ".join(asked) or question, language)
        if not words:
            return None
        shown = results[:3]
        seen = frozenset().union(*(vocab.get(r.id, frozenset()) for r in shown))
        bridged = bridges(question) if bridges is not None else {}
        where = {r.extra.get("jurisdiction") for r in shown} - {None}

        def used(word: str) -> bool:
            tokens = query_tokens(word, language)
            return bool(seen.intersection(tokens)) or any(
                seen & bridged.get(t, frozenset()) for t in tokens) or bool(
                places is not None and where.intersection(places(word)))

        missing = [w for w in words if not used(w)]
        if len(missing) / len(words) < 1 - WEAK_COVERAGE:
            return None
        return {"words": missing, "message": gaps_message(missing, language)}

    def refusal(self, question: str, language: str) -> dict[str, Any]:
        """What a refusal offers instead: in-scope questions, and where to go."""
        return {"suggestions": self.suggester.questions_like(question, language, 3),
                "elsewhere": self.suggester.elsewhere(question, language)}

    def successor(self, question: str, language: str) -> tuple[str, dict[str, Any]] | None:
        """The status note when the question names the scheme that replaced a source's text."""
        source = self.status.successor_named(question)
        if source is None:
            return None
        status = self.status.by_source[source]
        note = (status.get("note") or {}).get(language) or ""
        replaced = (status.get("replaced_by") or {}).get(language) or ""
        return source, {"note": note, "replaced_by": replaced, "origin": status.get("origin"),
                        "message": f"{note} {SUCCESSOR[language]}".strip()}


_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_ELIDED = re.compile(r"^(?:qu|[cdjlmnst])'", re.IGNORECASE)  # a French elided article or pronoun


def subject_words(text: str, language: str) -> list[str]:
    """The words of `text` that name what it asks about: not grammar (no index token in the
    question's language: "c'est", "ai-je"), not a figure of the asker's situation ("12", "1000"),
    not part of a provision reference ("L12-3", "al. 2", "first paragraph")."""
    refs = parse_references(text)
    left = frozenset(residue(text, refs).split()) if refs else None
    words = (_ELIDED.sub("", w) for w in content_words(text))  # "l'argent": "argent"
    return [w for w in dict.fromkeys(words)
            if tokenize(w, language) and not _NUMBER.fullmatch(w)
            and (left is None or all(p in left for p in re.findall(r"\w+", fold(w))))]


def gaps_message(missing: list[str], language: str) -> str:
    """What the reader is told about the question's words the best matches do not use."""
    shown = ", ".join(f"« {w} »" if language == "fr" else f"“{w}”" for w in missing[:4])
    return GAPS[language].format(words=shown)
