"""The bot: question -> language -> references and glossary -> hybrid retrieval -> answer.

Dense (e5) and lexical (BM25) scores are fused per aligned unit, so a match on either side of
a pair ranks the pair; references route straight to their alinéas; the scope decision
refuses, in the user's language, what the sources do not cover.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.enrich import Enricher
from bot.errors import NotFoundError, OptionError, QuestionError
from bot.followup import FollowupParams, blend, check_history, rerank, retrieval_text
from bot.glossary import Expansion, Glossary
from bot.language import resolve_language
from bot.places import Places
from bot.references import parse as parse_references
from bot.references import route
from bot.related import Related
from bot.results import Answer, Result, passage_result, unit_result
from bot.scope import Evidence, ScopeModel
from bot.status import StatusBook
from bot.suggest import Suggester
from bot.xrefs import CrossReferences
from corpus.models import Corpus
from corpus.profile import Profile
from indexer.chunk import Chunk
from indexer.chunking import is_sentence
from indexer.embedders import Embedder
from indexer.lexical import query_tokens, tokenize
from indexer.store import Index

NOT_COVERED = {
    "fr": ("Les sources de Bilex ne couvrent pas cette question. Elles portent sur "
           "l’outplacement et sur la convention de reclassement personnalisé (article "
           "L. 321-4-2 du Code du travail) : reformulez votre question sur ces sujets."),
    "en": ("Bilex’s sources do not cover this question. They deal with outplacement and the "
           "personalised redeployment agreement (Article L321-4-2 of the French Labour Code): "
           "rephrase your question on these subjects."),
}
SHORT_QUESTION_WORDS = 6  # up to this many words, glossary meanings join the dense query
DENSE_POOL = 256  # dense hits scored per question (the whole corpus when it is small)
CALIBRATION_PAIRS = 512  # aligned units that measure e5's same-language advantage
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORDS = re.compile(r"[LRDlrd]\.?\s?\d{2,4}(?:-\d+)*|[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Signals:
    """Per-unit retrieval signals for one question."""

    vector: np.ndarray
    dense: dict[str, float]  # z-score within the chunk's language, whole passages
    dense_sentence: dict[str, float]  # same, best of the passage and its sentences
    raw_dense: dict[str, float]  # cosine
    lexical: dict[str, float]  # BM25
    routed: list[str]  # units named by a reference in the question
    expansion: Expansion
    places: tuple[str, ...] = ()  # jurisdictions the question names (covered by a source or not)


@dataclass(frozen=True)
class Weights:
    """How the dense and lexical evidence combine into one score per unit."""

    dense_passage: float = 0.35  # whole alinéa or paragraph
    dense_sentence: float = 0.65  # its best sentence
    lexical: float = 0.8
    reference: float = 3.0  # a named article/alinéa outranks everything else
    place: float = 0.8  # a passage from a source about the place the question names
    law_margin: float = 0.03  # law goes first when it scores within this of commentary


def check_question(question: object, max_chars: int) -> str:
    """The question, trimmed; QuestionError saying what is wrong otherwise."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = unicodedata.normalize("NFC", question).strip()
    if not text:
        raise QuestionError("the question is empty: type a question in French or English")
    if len(text) > max_chars:
        raise QuestionError(f"the question is {len(text)} characters long; keep it under "
                            f"{max_chars} characters")
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c)[0] == "C"
                                                   and c not in "\n\t\r"))
    letters = len(_LETTER.findall(text))
    visible = sum(1 for c in text if not c.isspace())
    if bad or letters == 0 or (letters / visible < 0.15 and not parse_references(text)):
        raise QuestionError("the question does not look like text (control characters or "
                            "no words): type a question in French or English")
    return text


class Bot:
    """Answers questions from one built corpus and its index."""

    def __init__(self, corpus: Corpus, index: Index, embedder: Embedder, glossary: Glossary,
                 scope: ScopeModel, *, ui_lang: str = "fr", default_k: int = 5,
                 max_k: int = 20, max_chars: int = 2000, weights: Weights | None = None,
                 offtopic: tuple[str, ...] = (), places: Places | None = None,
                 profile: Profile | None = None) -> None:
        self.corpus = corpus
        self.index = index
        self.embedder = embedder
        self.glossary = glossary
        self.scope = scope
        self.ui_lang = ui_lang
        self.default_k = default_k
        self.max_k = max_k
        self.max_chars = max_chars
        self.weights = weights or Weights()
        self.units = {u.id: u for u in corpus.units}
        self.commentary = {p.id: p for p in corpus.commentary}
        self.vocabulary = set(index.lexical.bm25.vocab_dict)
        self._vocab_cache: dict[str, frozenset[str]] = {}
        self._unit_ids = list(dict.fromkeys(c.unit_id for c in index.chunks))
        unit_index = {uid: i for i, uid in enumerate(self._unit_ids)}
        self._chunk_unit = np.array([unit_index[c.unit_id] for c in index.chunks], dtype=np.int64)
        self._chunk_lang = np.array([c.lang == "en" for c in index.chunks], dtype=np.int8)
        self._chunk_sentence = np.array([is_sentence(c) for c in index.chunks], dtype=bool)
        for uid in [*self.units, *self.commentary]:
            self._unit_vocabulary(uid)
        self.offtopic = embedder.passages(list(offtopic)) if offtopic else None
        self.places = places
        where = {s.file: s.jurisdiction for s in corpus.sources}
        self._place_of = {**{u.id: where.get(u.fr.source, "") for u in corpus.units},
                          **{p.id: where.get(p.source, "") for p in corpus.commentary}}
        self._jurisdictions = frozenset(self._place_of.values())
        self._language_axis = self._measure_language_axis()
        # Readable answers, follow-ups, suggestions, status (bot/enrich.py and its helpers).
        self.profile = profile or Profile()
        self.status = StatusBook(corpus)
        self.suggester = Suggester(corpus, self.profile)
        self.followup = FollowupParams()
        self.enricher = Enricher(self._vocab_cache.values(), self.status, self.suggester)
        self.xrefs = CrossReferences(corpus)
        self.related = Related(index, self._unit_ids, self._chunk_unit, ~self._chunk_sentence)

    # -- lookups ---------------------------------------------------------------------------
    def passage(self, passage_id: str) -> Result:
        """One unit or commentary passage by id (a side id such as "...I.2.fr" works too)."""
        base = passage_id.removesuffix(".fr").removesuffix(".en")
        if base in self.units:
            return self._result(base, 1.0)
        if passage_id in self.commentary:
            return self._result(passage_id, 1.0)
        raise NotFoundError(f"no passage with id {passage_id!r}; ids look like "
                            f"{next(iter(self.units), 'L321-4-2.I.1')!r}")

    def article(self, article_id: str) -> list[Result]:
        """Every aligned unit of an article, in order."""
        wanted = article_id.replace(" ", "").replace(".", "").upper()
        units = [u for u in self.corpus.units if u.article.replace("-", "") ==
                 wanted.replace("-", "")]
        if not units:
            known = ", ".join(self.corpus.articles()) or "none"
            raise NotFoundError(f"no article {article_id!r}; known articles: {known}")
        return [self._result(u.id, 1.0) for u in units]

    # -- answering -------------------------------------------------------------------------
    def ask(self, question: object, lang: str | None = None, k: int | None = None,
            history: object = None) -> Answer:
        """The ranked, cited answer to one question (or an honest 'not covered')."""
        text = check_question(question, self.max_chars)
        if lang is not None and lang not in ("fr", "en"):
            raise OptionError(f"lang must be 'fr' or 'en', got {lang!r}")
        k = self.default_k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= self.max_k:
            raise OptionError(f"k must be an integer from 1 to {self.max_k}, got {k!r}")
        turns = check_history(history, self.max_chars)
        detection = resolve_language(text, lang, self.ui_lang)
        language = detection.lang

        query = retrieval_text(text, turns, self.followup)  # a follow-up borrows context
        ranked, evidence = self.rank(text, language)
        answered = self.scope.covered(evidence)
        if query != text:  # ranked on its own and with the earlier words, covered by either
            borrowed, context = self.rank(query, language)
            ranked = blend(ranked, borrowed, self.followup.mix)
            if not answered and self.scope.covered(context):
                answered, evidence = True, context
        ranked = rerank(ranked, turns, self.followup)
        extra: dict[str, object] = {
            "detected": {"language": language, "confident": detection.confident,
                         "method": detection.method},
            "evidence": evidence.to_dict()}
        if turns:
            extra["followup"] = {"turns": len(turns), "query": query}
        return self._answer(text, query, language, answered, ranked, k, extra,
                            evidence.top_coverage)

    def _answer(self, text: str, query: str, language: str, answered: bool,
                ranked: list[tuple[str, float]], k: int, extra: dict[str, object],
                top_coverage: float) -> Answer:
        """The Answer with its readable parts (bot/enrich.py)."""
        expansion = self.glossary.expand(query)
        meaning = f"{expansion.fr} {expansion.en}".strip()
        successor = self.enricher.successor(text, language)
        if successor is not None:
            extra["status_note"] = successor[1]
        if not answered:
            if successor is None:
                extra.update(self.enricher.refusal(text, language))
                return Answer(text, language, False, NOT_COVERED[language], (), extra)
            source = successor[0]
            former = [self._result(uid, s) for uid, s in ranked
                      if uid in self.units and source in (self.units[uid].fr.source,
                                                          self.units[uid].en.source)][:k]
            results = self.enricher.results(former, query, language, meaning)
            return Answer(text, language, False, str(successor[1]["message"]), tuple(results),
                          extra)
        results = self.enricher.results([self._result(uid, s) for uid, s in ranked[:k]],
                                        query, language, meaning)
        extra["gaps"] = self.enricher.gaps(text, language, results, self._vocab_cache,
                                           top_coverage)
        return Answer(text, language, True, None, tuple(results), extra)

    def _result(self, uid: str, score: float) -> Result:
        place = self._place_of.get(uid) or None
        if place is not None and place.lower() == "unspecified":
            place = None
        none = {"fr": None, "en": None}
        related = [{"id": other, "kind": "statute" if other in self.units else "commentary",
                    "citation": (self.units[other].citation if other in self.units else
                                 {self.commentary[other].lang: self.status.commentary_citation(
                                     self.commentary[other])})}
                   for other in self.related.of(uid)]
        if uid in self.units:
            unit = self.units[uid]
            return unit_result(unit, score, jurisdiction=place, status=self.status.of_unit(unit),
                               highlight=none, xrefs={
                                   lang: self.xrefs.find(getattr(unit, lang).text, unit)
                                   for lang in ("fr", "en")}, related=related)
        passage = self.commentary[uid]
        result = passage_result(passage, score, jurisdiction=place, highlight=none, related=related,
                                provenance=self.status.provenance.get(passage.source, {}))
        cited = self.status.commentary_citation(passage)
        return Result(result.id, result.kind, result.score, {
            "fr": cited if passage.lang == "fr" else None,
            "en": cited if passage.lang == "en" else None}, result.fr, result.en,
            result.alignment, result.extra)

    def signals(self, text: str, language: str) -> Signals:
        """Everything retrieval measures for one question, before fusion."""
        routed = route(parse_references(text), self.corpus.units)
        expansion = self.glossary.expand(text)
        n = len(self.index)
        vector = self.embedder.query(self._dense_query(text, language, expansion))
        positions, scores = self.index.dense.search(vector, min(n, DENSE_POOL))
        positions = positions.astype(np.int64)
        units = self._chunk_unit[positions]
        raw_dense = self._best_per_unit(units, scores)
        gap = self._language_gap(vector)
        dense_sentence = self._best_per_unit(units, self._standardise(positions, scores, gap))
        whole = ~self._chunk_sentence[positions]
        dense = self._best_per_unit(units[whole], self._standardise(positions[whole],
                                                                    scores[whole], gap))
        lexical_query = " ".join(filter(None, (text, expansion.fr, expansion.en)))
        lexical: dict[str, float] = {}
        for chunk, score in self.index.lexical_search(lexical_query, language, n):
            lexical[chunk.unit_id] = max(lexical.get(chunk.unit_id, 0.0), score)
        places = self.places.named(text) if self.places is not None else ()
        return Signals(vector, dense, dense_sentence, raw_dense, lexical, routed, expansion,
                       places)

    def fuse(self, sig: Signals, weights: Weights | None = None) -> list[tuple[str, float]]:
        """One score per unit: dense z-score and normalised BM25, plus reference routing."""
        w = weights or self.weights
        lex_max = max(sig.lexical.values(), default=0.0) or 1.0
        scores: dict[str, float] = {}
        for uid in set(sig.dense) | set(sig.dense_sentence) | set(sig.lexical):
            scores[uid] = (w.dense_passage * sig.dense.get(uid, 0.0) / 3.0
                           + w.dense_sentence * sig.dense_sentence.get(uid, 0.0) / 3.0
                           + w.lexical * sig.lexical.get(uid, 0.0) / lex_max)
        if len(self._jurisdictions) > 1:  # naming the only place covered tells nothing apart
            for uid in scores:
                if self._place_of.get(uid) in sig.places:
                    scores[uid] += w.place
        for position, uid in enumerate(sig.routed):
            scores[uid] = scores.get(uid, 0.0) + w.reference * (1.0 - 0.01 * position)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return self._law_first(ranked, w.law_margin)

    def rank(self, text: str, language: str) -> tuple[list[tuple[str, float]], Evidence]:
        """Units and passages by fused score, best first, and the evidence for the scope."""
        sig = self.signals(text, language)
        ranked = self.fuse(sig)
        vector, raw_dense, lexical = sig.vector, sig.raw_dense, sig.lexical
        routed, expansion = sig.routed, sig.expansion
        own, known = self._known_words(text, language, expansion.matched)
        bridges = self._bridges(expansion, language)
        top_dense = max(raw_dense, key=lambda u: raw_dense[u]) if raw_dense else None
        top_lex = sorted(lexical, key=lambda u: -lexical[u])[:3]
        evidence = Evidence(
            dense_top=max(raw_dense.values(), default=0.0),
            offtopic_gap=max(raw_dense.values(), default=0.0) - (
                float((self.offtopic @ vector).max()) if self.offtopic is not None else 0.0),
            dense_margin=_margin(sorted(raw_dense.values(), reverse=True)),
            lexical_top=max(lexical.values(), default=0.0),
            coverage=len(known) / len(own) if own else 0.0,
            top_coverage=max((self._coverage(own, uid, bridges) for uid, _ in ranked[:3]),
                             default=0.0),
            agreement=bool(top_dense and top_dense in top_lex),
            referenced=bool(routed),
            elsewhere=bool(sig.places) and self._jurisdictions.isdisjoint(sig.places),
            glossary=len(expansion.matched),
            tokens=len(own),
            domain=expansion.domain,
            peak=max(sig.dense_sentence.values(), default=0.0),
        )
        return ranked, evidence

    def _dense_query(self, text: str, language: str, expansion: Expansion) -> str:
        """The text embedded for dense search: a short question with an acronym also carries
        what it means in the sources' own wording ("CRP" -> "convention de reclassement
        personnalisé"), since a few capital letters give the model little to go on."""
        acronyms = [m for m in expansion.matched if re.search(rf"\b{re.escape(m.upper())}\b", text)]
        if not acronyms or len(text.split()) > SHORT_QUESTION_WORDS:
            return text
        meaning = expansion.fr if language == "fr" else expansion.en
        return f"{text} ({meaning})"

    def _language_gap(self, vector: np.ndarray) -> float | None:
        """How much more e5 likes English than French wording of the same text for this
        question (negative: French), measured on the corpus's own aligned units; None when
        the corpus has no aligned units to measure it on."""
        if self._language_axis is None:
            return None
        return float(self._language_axis @ vector)

    def _standardise(self, positions: np.ndarray, scores: np.ndarray,
                     gap: float | None) -> np.ndarray:
        """Dense scores made comparable across languages, then standardised (z-scores).

        e5 scores same-language pairs higher than cross-language ones. With aligned units to
        measure it, that advantage (`gap`) is taken out of each hit and the hits are
        standardised together, so an English question reaches a French-only passage (and the
        reverse) on what it says. Without, each language's hits are standardised apart.
        """
        langs = self._chunk_lang[positions]
        if gap is not None:
            adjusted = scores + np.where(langs == 1, -gap / 2, gap / 2).astype(scores.dtype)
            return (adjusted - adjusted.mean()) / (adjusted.std() or 1.0)
        z = np.zeros_like(scores)
        for code in (0, 1):
            mask = langs == code
            if mask.any():
                part = scores[mask]
                z[mask] = (part - part.mean()) / (part.std() or 1.0)
        return z

    def _measure_language_axis(self) -> np.ndarray | None:
        """The mean difference English side - French side over aligned units' vectors.

        Its dot product with a question vector is how much more e5 likes the English rendering
        of the same text than the French one for this question: the same-language advantage,
        measured on real translations rather than assumed.
        """
        position = {c.id: i for i, c in enumerate(self.index.chunks)}
        sides = [(Chunk.make_id(u, "fr"), Chunk.make_id(u, "en")) for u in self.units]
        pairs = [(position[fr], position[en]) for fr, en in sides
                 if fr in position and en in position][:CALIBRATION_PAIRS]
        if not pairs:
            return None
        fr, en = np.array(pairs, dtype=np.int64).T
        dense = self.index.dense
        return (dense.vectors(en) - dense.vectors(fr)).mean(axis=0).astype(np.float32)

    def _best_per_unit(self, units: np.ndarray, values: np.ndarray) -> dict[str, float]:
        """Each unit's best value among its chunks' values."""
        best = np.full(len(self._unit_ids), -np.inf, dtype=np.float64)
        np.maximum.at(best, units, values)
        return {self._unit_ids[i]: float(best[i]) for i in np.flatnonzero(np.isfinite(best))}

    def _known_words(self, text: str, language: str,
                     glossed: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The question's content tokens, and those the sources use (in either language).

        A word counts as known when its stem in the question's language, or in the other
        language (cognates such as "marketing", "consultant"), is in the sources' vocabulary,
        or when a glossary term covers it.
        """
        glossed_tokens = set(tokenize(" ".join(glossed), language)) if glossed else set()
        own: list[str] = []
        known: list[str] = []
        for word in dict.fromkeys(_WORDS.findall(text)):
            stems, alternatives = _word_stems(word, language)
            if not stems:
                continue
            own.extend(stems)
            if not alternatives.isdisjoint(self.vocabulary) or not glossed_tokens.isdisjoint(stems):
                known.extend(stems)
        return list(dict.fromkeys(own)), list(dict.fromkeys(known))

    def _unit_vocabulary(self, uid: str) -> frozenset[str]:
        """Every token a unit's texts yield, analysed in both languages (computed once)."""
        cached = self._vocab_cache.get(uid)
        if cached is None:
            if uid in self.units:
                unit = self.units[uid]
                texts = [(unit.fr.text, "fr"), (unit.en.text, "en")]
            else:
                p = self.commentary[uid]
                texts = [(f"{p.heading or ''} {p.text}", p.lang)]
            cached = frozenset(t for body, lang in texts for t in query_tokens(body, lang))
            self._vocab_cache[uid] = cached
        return cached

    def _coverage(self, tokens: list[str], uid: str | None,
                  bridges: dict[str, frozenset[str]] | None = None) -> float:
        """Share of `tokens` the passage uses, directly or through a glossary entry's wording
        (an English question's "extended" counts for a French passage that says "prolongé")."""
        if not tokens or uid is None:
            return 0.0
        vocab = self._unit_vocabulary(uid)
        bridges = bridges or {}
        return sum(t in vocab or not bridges.get(t, frozenset()).isdisjoint(vocab)
                   for t in tokens) / len(tokens)

    @staticmethod
    def _bridges(expansion: Expansion, language: str) -> dict[str, frozenset[str]]:
        """Question token -> the tokens of what its glossary entry means in both languages."""
        out: dict[str, frozenset[str]] = {}
        for word, meaning in expansion.bridges:
            wording = frozenset(query_tokens(meaning, language))
            for token in tokenize(word, language):
                out[token] = out.get(token, frozenset()) | wording
        return out

    def _law_first(self, ranked: list[tuple[str, float]], margin: float) -> list[tuple[str, float]]:
        """Law ranks first when law and commentary both answer (scores within a margin)."""
        if not ranked:
            return ranked
        top_score = ranked[0][1]
        answering = [r for r in ranked if r[1] >= top_score - margin]
        rest = ranked[len(answering):]
        law = [r for r in answering if r[0] in self.units]
        commentary = [r for r in answering if r[0] not in self.units]
        return law + commentary + rest


@lru_cache(maxsize=65536)
def _word_stems(word: str, language: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A word's stems in the question's language, and its stems in either language."""
    stems = tuple(tokenize(word, language))
    other = tokenize(word, "en" if language == "fr" else "fr")
    return stems, frozenset(stems) | frozenset(other)


def _margin(values: list[float]) -> float:
    return values[0] - values[1] if len(values) > 1 else (values[0] if values else 0.0)
