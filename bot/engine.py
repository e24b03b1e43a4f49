"""The bot: question -> language -> reading -> retrievers -> fusion -> scope -> answer.

`Bot` orchestrates small components: the phrasing rules (`bot.phrasing`: greetings, short
spellings, typos against the corpus vocabulary and the languages' word lists, definition
questions, long posts), the retrievers (`bot.retrievers`: dense e5 with the language-gap
correction, BM25; `bot.references`: the reference router; `bot.places`: the place
booster), fusion with named weights and the law-first rule (`bot.fusion`), the scope decision
(`bot.scope`) and answer assembly (`bot.results`). What the corpus cannot say comes
from its profile (`corpus.profile`); nothing here names a source or a subject.
"""

from __future__ import annotations

import heapq
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache

import numpy as np

from bot.definitions import DefinedTerms
from bot.dictionary import word_lists
from bot.enrich import CITED_LAW, UNCERTAIN, WEAK_COVERAGE, Enricher, SentenceScores, gaps_message
from bot.errors import NotFoundError, OptionError, QuestionError
from bot.followup import FollowupParams, Turn, blend, check_history, rerank, retrieval_text
from bot.fusion import Ranked, Weights, combine, fuse, law_first, lead_with, routed_first
from bot.glossary import Expansion, Glossary
from bot.language import Detection, resolve_language
from bot.negation import Negation
from bot.neighbours import uncovered
from bot.phrasing import Phrasing, Reading, phrase_key, stop_words, words
from bot.places import Places, TermPlaces, known_place
from bot.references import (
    GENERIC_TITLE_WORDS,
    Reference,
    Router,
    acronyms,
    cited_acts,
    law_name,
    named_acts,
    reference_language,
    residue,
    unknown_titles,
    without_titles,
)
from bot.references import parse as parse_references
from bot.related import Related
from bot.results import Answer, Result, passage_result, unit_result
from bot.retrievers import DenseRetriever, LexicalRetriever, language_axis
from bot.scope import Evidence, ScopeModel
from bot.sections import Sections
from bot.status import StatusBook
from bot.suggest import Suggester
from bot.vocabulary import (
    LETTERS,
    CorpusWords,
    UnitTerms,
    corpus_words,
    document_order,
)
from bot.xrefs import CrossReferences
from corpus.drift import fold
from corpus.models import Corpus
from corpus.profile import Neighbour, Profile
from indexer.embedders import Embedder
from indexer.lexical import STEMMER_LANGS, query_tokens, tokenize
from indexer.store import Index

__all__ = ["Bot", "Mechanisms", "Signals", "Weights", "check_question"]

SHORT_QUESTION_WORDS = 6  # up to this many words, glossary meanings join the dense query
# the defining passage leads when it is among this many results (10 left out a lower-case
# acronym asked without "?", whose defining passage retrieval ranked 11th to 15th)
DEFINITION_POOL = 20
LEADING = 3  # first results whose sources say whether the scope examples speak for a question
SUBJECT_OTHER_WORDS = 2  # a term asked with this many words of its own is not asked as a term
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORDS = re.compile(r"[LRDlrd]\.?\s?\d{2,4}(?:-\d+)*|[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Mechanisms:
    """Which mechanisms are on (all by default); turned off one at a time for ablations."""

    spelling: bool = True  # short spellings and typos corrected against the corpus vocabulary
    subquestions: bool = True  # long posts asked as their questions too, results combined
    definition: bool = True  # "what is X" led by the passage that introduces X
    greetings: bool = True  # a greeting alone answered as such
    terms: bool = True  # the profile's lay words and acronyms
    places: bool = True  # places a question names
    neighbours: bool = True  # neighbouring subjects as scope evidence
    language_gap: bool = True  # e5's same-language advantage measured and taken out
    law_first: bool = True  # law before commentary when both answer
    hubness: bool = True  # passages near many others count for less in dense scores
    negation: bool = True  # passages negating what the question negates move up
    named_law: bool = True  # an act named in full: its units move up, its title is not searched
    term_places: bool = True  # an acronym only one place's sources write counts as naming it
    corpus_language: bool = True  # words one language's sources write tell an unclear language

    @classmethod
    def without(cls, names: set[str] | frozenset[str]) -> Mechanisms:
        known = {f.name for f in fields(cls)}
        unknown = set(names) - known
        if unknown:
            raise OptionError(f"unknown mechanism {sorted(unknown)[0]!r}; known: "
                              f"{', '.join(sorted(known))}")
        return cls(**{name: False for name in names})


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
    peak: float = 0.0  # best dense z-score, before the hub correction
    bare: bool = False  # the question is only its references ("art. 12 of the <title>")
    laws: frozenset[str] = frozenset()  # served acts the question names in full (cited_acts)


def check_question(question: object, max_chars: int,
                   small_talk: Callable[[str], bool] | None = None) -> str:
    """The question, trimmed; QuestionError saying what is wrong otherwise. Text without
    letters passes only when `small_talk` (the profile's small talk) reads it as such: a
    thumbs-up after an answer ("👍") acknowledges it."""
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
    if not bad and not letters and small_talk is not None and small_talk(text):
        return text
    if bad or letters == 0 or (letters / visible < 0.15 and not parse_references(text)):
        raise QuestionError("the question does not look like text (control characters or "
                            "no words): type a question in French or English")
    return text


def neighbour_labels(neighbours: Iterable[Neighbour]) -> list[str]:
    """One text per neighbouring subject (its names and signal words), embedded to tell it apart."""
    return [" ".join((*n.name.values(), *(w for ws in n.terms.values() for w in ws)))
            for n in neighbours]


class Bot:
    """Answers questions from one built corpus and its index."""

    def __init__(self, corpus: Corpus, index: Index, embedder: Embedder, profile: Profile,
                 scope: ScopeModel, *, ui_lang: str = "fr", default_k: int = 5,
                 max_k: int = 20, max_chars: int = 2000, weights: Weights | None = None,
                 mechanisms: Mechanisms | None = None, scope_status: str = "",
                 corpus_words: CorpusWords | None = None,
                 unit_terms: UnitTerms | None = None, hub: np.ndarray | None = None) -> None:
        self.corpus = corpus
        self._corpus_words = corpus_words  # counted at build time (None: counted here)
        self._counted: CorpusWords | None = None
        # which passages hold which tokens: made at build time, or here when missing
        self._unit_terms = unit_terms or UnitTerms.of_corpus(corpus)
        self.index = index
        self.embedder = embedder
        self.profile = profile
        self.mechanisms = mechanisms or Mechanisms()
        on = self.mechanisms
        self.glossary = Glossary.load(profile, corpus, use_profile=on.terms)
        self.scope = scope
        self.scope_status = scope_status or ("calibrated" if scope.calibrated else
                                             "uncalibrated prior: run `bilex calibrate`")
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
        self.sections = Sections.of_corpus(corpus)  # acts: provisions count for their section
        # the profile's neighbouring subjects, less the terms the corpus's headings cover
        self.neighbours = uncovered(profile.neighbours, corpus) if on.neighbours else ()
        labels = neighbour_labels(self.neighbours)
        self.offtopic = embedder.passages(labels) if labels else None
        self.places = Places.load(profile) if on.places else None
        negation = Negation(profile.negation, profile.negation_opening)
        self.negation = negation if on.negation and negation else None
        where = {s.file: s.jurisdiction for s in corpus.sources}
        self._place_of = {**{u.id: where.get(u.fr.source, "") for u in corpus.units},
                          **{p.id: where.get(p.source, "") for p in corpus.commentary}}
        self._jurisdictions = frozenset(self._place_of.values())
        ids_of_place: dict[str, list[str]] = {}
        for uid, place in self._place_of.items():
            ids_of_place.setdefault(place, []).append(uid)
        # jurisdiction -> its units and passages (a place's acts: thousands of provisions)
        self._ids_of_place = {place: frozenset(ids) for place, ids in ids_of_place.items()}
        axis = language_axis(index, list(self.units)) if on.language_gap else None
        self.dense = DenseRetriever(index, self._unit_ids, self._chunk_unit, axis,
                                    hub_weight=self.weights.hub if on.hubness else 0.0,
                                    hub=hub)  # saved by the build (None: computed here)
        self.lexical = LexicalRetriever(index, self._unit_ids, self._chunk_unit)
        surface, neutral = self._surface_vocabulary()
        self.neutral = neutral
        # words the sources write in one language only (None: the mechanism is off)
        self._written_in = self._found_words().written_in if on.corpus_language else None
        self._acronyms = self._acronym_forms()
        # acronyms only: a whole word ("employer") written by one place's sources in a small
        # corpus says nothing of where a question asks about
        meanings = {f"{e.fr} {e.en}": (e.fr, e.en) for e in self.glossary.entries
                    if any(fold(t) in self._acronyms for t in e.terms)}
        self._term_places: TermPlaces | None = None
        self._places_of_terms = (
            (meanings, where) if on.term_places and meanings and len(self._jurisdictions) > 1
            else None)
        # the single words the profile explains (lay words, acronyms), folded
        self._profile_words = frozenset(fold(w) for t in profile.terms for w in t.terms
                                        if len(fold(w).split()) == 1)
        # the profile's terms of several words, and their meanings: one typed alone asks what
        # it is, as a word of the profile's alone does (a scheme's full name typed alone led
        # with the passage that names it most, not the one introducing it)
        self._profile_phrases = frozenset(
            key for t in profile.terms for w in (*t.terms, t.fr, t.en)
            if len((key := phrase_key(w)).split()) > 1)
        small_talk = profile.small_talk()
        keep = [w for t in profile.terms for w in t.terms] + [
            w for _, phrases, _ in small_talk for w in phrases.all()]
        self.phrasing = Phrasing(surface, greetings=profile.greetings, thanks=profile.thanks,
                                 small_talk=[(kind, phrases) for kind, phrases, _ in small_talk],
                                 language_request=profile.language_request,
                                 politeness=profile.politeness,
                                 more_request=profile.more_request,
                                 filler=profile.filler,
                                 definition=profile.definition_cues, spelling=profile.spelling,
                                 definition_tail=profile.definition_tail,
                                 definition_personal=profile.definition_personal,
                                 definition_clause=profile.definition_clause,
                                 question_words=profile.question_words,
                                 negation=profile.negation,
                                 keep=keep, known=self._stem_known, stems=self._word_stems,
                                 dictionary=word_lists().knows if on.spelling else None,
                                 written_in=self._one_language_words())
        self._order = self._document_order()
        self._act_titles = self._titles_of_acts()
        # Readable answers, follow-ups, suggestions, status (bot/enrich.py and its helpers).
        self.status = StatusBook(corpus)
        self.suggester = Suggester(corpus, self.profile)
        self.followup = FollowupParams()
        # the vector of the question being answered on this thread (set by its first
        # `signals`), for the answer's highlights
        self._asking = threading.local()
        # How many passages hold each token, to weigh highlights (rare words count more).
        self.enricher = Enricher(self._unit_terms.frequencies(), self.status, self.suggester)
        self.xrefs = CrossReferences(corpus)
        self.related = Related(index, self._unit_ids, self._chunk_unit, ~self.dense.sentence)

    # -- lookups ---------------------------------------------------------------------------
    def sources_of(self, passage_id: str) -> frozenset[str]:
        """The source files a unit or commentary passage comes from (none for another id)."""
        if passage_id in self.units:
            unit = self.units[passage_id]
            return frozenset((unit.fr.source, unit.en.source))
        if passage_id in self.commentary:
            return frozenset((self.commentary[passage_id].source,))
        return frozenset()

    def leading_sources(self, ranked: Ranked) -> frozenset[str]:
        """The source files of the first LEADING results, which a question is answered from:
        the scope model's labelled examples vote only on a question their sources are among.
        (The first result alone: a question on the labelled sources that an added act's
        provision happened to lead, on a word both use, lost its vote.)"""
        return frozenset().union(*(self.sources_of(uid) for uid, _ in ranked[:LEADING]))

    def passage(self, passage_id: str) -> Result:
        """One unit or commentary passage by id (a side id such as "...I.2.fr" works too)."""
        base = passage_id.removesuffix(".fr").removesuffix(".en")
        if base in self.units:
            return self._result(base, 1.0)
        if passage_id in self.commentary:
            return self._result(passage_id, 1.0)
        raise NotFoundError(f"no passage with id {passage_id!r}; ids look like "
                            f"{next(iter(self.units), next(iter(self.commentary), ''))!r}")

    def article(self, article_id: str) -> list[Result]:
        """Every aligned unit of an article, in order."""
        units = [u for u in self.corpus.units if u.article == article_id]
        if not units:  # loose match: "l.123-4" for "L123-4", "e-5.6" for "E-5.6"
            units = [u for u in self.corpus.units if _loose(u.article) == _loose(article_id)]
        if not units:
            known = ", ".join(self.corpus.articles()) or "none"
            raise NotFoundError(f"no article {article_id!r}; known articles: {known}")
        return [self._result(u.id, 1.0) for u in units]

    # -- answering -------------------------------------------------------------------------
    def ask(self, question: object, lang: str | None = None, k: int | None = None,
            history: object = None) -> Answer:
        """The ranked, cited answer to one question (or an honest 'not covered')."""
        text = check_question(question, self.max_chars, self.phrasing.greeting_only
                              if self.mechanisms.greetings else None)
        if lang is not None and lang not in ("fr", "en"):
            raise OptionError(f"lang must be 'fr' or 'en', got {lang!r}")
        k = self.default_k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= self.max_k:
            raise OptionError(f"k must be an integer from 1 to {self.max_k}, got {k!r}")
        turns = self._resolved(check_history(history, self.max_chars))
        self._asking.vector = None
        detection = resolve_language(text, lang, self.ui_lang, self.neutral, self._written_in)
        written = reference_language(text) if not detection.confident else None
        if written is not None:  # "s. 230 CLC": no word says it, the reference's form does
            detection = Detection(written, False, "reference")
        language: str = detection.lang
        extra: dict[str, object] = {"detected": {"language": language,
                                                 "confident": detection.confident,
                                                 "method": detection.method},
                                    "scope": self.scope_status}
        requested = self.phrasing.language_request(text) if self.mechanisms.greetings else None
        if requested is not None:
            return self._in_language(text, requested, k, turns, extra)
        if self.mechanisms.greetings and turns and self.phrasing.more_request(text):
            return self._more(text, language, k, turns)
        after_definition = bool(turns) and bool(
            self.phrasing.definition(turns[-1].question, most=None))
        reading = self.read(text, language, followup=bool(turns),
                            after_definition=after_definition)
        if reading.greeting_only:
            if lang is None and turns:
                # small talk within a conversation is answered in the conversation's language
                # (that of the last question): "merci" after questions asked in English had
                # the French reply
                language = resolve_language(turns[-1].question, None, self.ui_lang,
                                            self.neutral, self._written_in).lang
                extra["detected"] = {"language": language, "confident": False,
                                     "method": "conversation"}
            elif lang is None and not detection.confident:
                language = self.phrasing.greeting_language(text) or language
                extra["detected"] = {"language": language, "confident": False,
                                     "method": "greeting"}
            replies = {kind: reply.get(language) for kind, _, reply in self.profile.small_talk()}
            kind = (self.phrasing.small_talk(text) or self.phrasing.small_talk(
                self.phrasing.normalise(text, language)[0]) or "greeting")
            if not replies.get(kind):  # a kind the profile gives no reply for: greet
                kind = "greeting"
            message = self.with_acts(replies.get(kind) or self.profile.refusal[language],
                                      language)
            return Answer(text, language, False, message, (),
                          {**extra, "greeting": True, "thanks": kind == "thanks",
                           "small_talk": kind})
        missing = unknown_titles(text, self._act_titles)
        citing: list[str] = []
        if missing and self.enricher.successor(text, language) is None:
            citing = self._citing(text, missing)[:k]
            if not citing:
                # a provision of a law the sources do not hold: say so, cite no other law (a
                # law that replaced a served one gets the successor's note below instead)
                return Answer(text, language, False, self._missing_law(missing, language), (),
                              {**extra, "missing_law": missing})
            # ... unless a served text refers to that very provision ("section 12 of the
            # Widget Act applies"): those passages answer, and its number routes nowhere else
            asked = reading.text
            for ref in parse_references(asked):
                if ref.act:
                    asked = asked.replace(ref.text, " ")
            reading = replace(reading, text=" ".join(asked.split()) or reading.text)
        absent = self._absent_provisions(text, language)
        if absent:
            # a provision the sources' text of a served act does not have: say so, rather than
            # answer with whatever else the act says
            return Answer(text, language, False, self._absent_message(absent, language), (),
                          {**extra, "missing_provision": list(dict.fromkeys(
                              ref for _, ref in absent))})
        carried = self._carried_laws(text, turns)  # "and for adoption?" after "under the X Act"
        ranked, evidence = self.assess(reading, language, carried)
        if citing:
            for uid in reversed(citing):
                ranked = lead_with(ranked, uid, insert=True)
            evidence = replace(evidence, referenced=True)
            extra["cited_law"] = {"laws": missing, "message": CITED_LAW[language].format(
                laws="; ".join(dict.fromkeys(missing)))}
        answered = self.scope.covered(evidence)
        # a follow-up borrows context: the earlier questions' words as read, typos corrected
        query = retrieval_text(reading.text, self._as_read(turns, language), self.followup)
        if query != reading.text:  # ranked on its own and with the earlier words, covered by either
            borrowed, context = self.rank(query, language)
            ranked = blend(ranked, borrowed, self.followup.mix)
            if not answered and self.scope.covered(context):
                answered, evidence = True, context
        # refused, but not by far: the closest passages are shown (`_answer`), marked as
        # perhaps not answering (a question that names no subject of the sources is often
        # such a miss)
        uncertain = not answered and self.scope.near(evidence)
        ranked = rerank(ranked, turns, self.followup)
        if after_definition and reading.definition:  # empty when the mechanism is off
            # "and a trustee?" after "what is a bankrupt?": its definition, whatever the earlier
            # words borrowed brought up
            ranked, _ = self._lead_definition(reading, language, ranked, turns[-1].ids)
        extra.update(evidence=evidence.to_dict(),
                     reading={"text": reading.text, "corrections": [list(c) for c in
                                                                    reading.corrections],
                              "parts": list(reading.parts),
                              "definition": list(reading.definition)})
        if turns:
            extra["followup"] = {"turns": len(turns), "query": query, "laws": sorted(carried)}
        return self._answer(text, query, reading.text, language, answered, ranked, k, extra,
                            evidence.top_coverage, reading.parts, uncertain=uncertain)

    def _citing(self, text: str, laws: list[str]) -> list[str]:
        """Units (corpus order) whose text refers to a provision `text` names of one of `laws`
        (titles of laws the sources do not hold): its number, then the law's title within a
        few words ("section 12(3) of the Widget Act", "l'article 12 de la Loi sur les widgets")."""
        numbers = [ref.section for ref in parse_references(text) if ref.act and ref.section]
        if not numbers:
            return []
        titles = [fold(law).replace("’", "'") for law in laws]
        pattern = re.compile("|".join(
            rf"(?<![\w.]){re.escape(number)}(?![\d])[^.;]{{0,40}}?{re.escape(title)}"
            for number in numbers for title in titles))
        return [uid for uid, folded in self._folded_texts
                if any(title in folded for title in titles) and pattern.search(folded)]

    @cached_property
    def _folded_texts(self) -> tuple[tuple[str, str], ...]:
        """Each unit's id and both its texts, folded, for `_citing` (computed in the warm-up:
        0.2 s and 5 MB on five acts)."""
        return tuple((u.id, fold(f"{u.fr.text}\n{u.en.text}").replace("’", "'"))
                     for u in self.corpus.units)

    def _missing_law(self, names: list[str], language: str) -> str:
        """The answer to a question about a provision of a law the sources do not hold."""
        named = ", ".join(dict.fromkeys(names))
        served = [law_name(source, language) for source in self.corpus.sources
                  if source.fields.get("kind", {}).get("value") == "statute"
                  and "copy_of" not in source.fields]
        laws = "; ".join(dict.fromkeys(n for n in served if n))
        if language == "fr":
            return (f"Les sources de Bilex ne contiennent pas ce texte ({named}) : elles ne "
                    f"peuvent pas dire ce qu’il prévoit."
                    + (f" Textes de loi disponibles : {laws}." if laws else ""))
        return (f"Bilex’s sources do not hold that law ({named}), so they cannot say what it "
                f"provides." + (f" Laws available: {laws}." if laws else ""))

    def _absent_provisions(self, text: str, language: str) -> list[tuple[str, str]]:
        """(act, reference) for a question whose act references ("section 9999 of the <title>")
        name a served act and none of whose references route to a unit; [] otherwise. A bare
        reference naming no act ("s. 12(99)") is judged against the served acts that have its
        sections: absent when none of them has the provision."""
        refs = parse_references(text)
        if refs and not any(ref.act for ref in refs):
            return self._absent_alineas(text, refs, language)
        if not refs or not all(ref.act for ref in refs):
            return []
        acts = named_acts(text, self._act_titles) & self._acts
        if not acts and not tokenize(residue(text, refs), language):
            acts = {u.article for ref in refs
                    for u in self.router.by_section.get(str(ref.section), ())} & self._acts
        if not acts or self.router.route(refs, acts):
            return []
        return [(act, ref.text.strip()) for act in sorted(acts) for ref in refs]

    def _absent_alineas(self, text: str, refs: list[Reference], language: str
                        ) -> list[tuple[str, str]]:
        """(article, reference) for a question that is only references to articles, or parts
        of served articles, that the sources' text does not have ("article L. 12-3, alinéa
        14", "L12-3 III" when it has I and II, "art. L. 99-1"); [] otherwise."""
        articles = self.router.by_article
        if not all(ref.article is not None and (ref.article in articles
                                                or ref.article not in self.router.citing)
                   for ref in refs):
            return []  # an article the sources' text cites: routed to the alinéas citing it
        # the served laws' names may follow ("art. L. 99-1 du Code du travail")
        titles = tuple(name for names in self._act_titles.values() for name in names)
        if tokenize(residue(text, refs, titles), language) or self.router.route(refs):
            return []
        return [(str(ref.article), _part_label(ref, language)) for ref in refs]

    @cached_property
    def _acts(self) -> frozenset[str]:
        """The laws served as acts, section by section (not articles cut into alinéas)."""
        return frozenset(group.rpartition("/")[0] for group in self.sections.group_of.values())

    def with_acts(self, message: str, language: str) -> str:
        """`message` (a reply of the profile's that says what the sources are about) with the
        acts served section by section that it does not name, by their titles in `language`
        (their manifests'), and how to search one: the profile was written for its own
        sources, and an act added beside them would otherwise go unmentioned, a question on it
        refused with no word that Bilex holds it."""
        folded = fold(message)
        names = [name for name in dict.fromkeys(self._law_name(act, language)
                                                for act in sorted(self._acts))
                 if fold(name) not in folded]
        if not names:
            return message
        several = len(names) > 1
        if language == "fr":
            return (f"{message} Les sources de Bilex tiennent aussi "
                    f"{'ces lois' if several else 'cette loi'} : {' ; '.join(names)}. "
                    f"{'Nommez la loi' if several else 'Nommez-la'} dans votre question pour y "
                    "chercher.")
        return (f"{message} Bilex’s sources also hold {'these acts' if several else 'this act'}: "
                f"{'; '.join(names)}. Name {'the act' if several else 'it'} in your question "
                "to search it.")

    def _asked_with_act(self, text: str, language: str, ranked: Ranked) -> str | None:
        """`text` asked again under the served act whose provision leads `ranked`, when the
        question uses a word of that act's title ("faillite" of the "Loi sur la faillite et
        l'insolvabilité"): refused, it may still be about that act, and named, the act's
        provisions answer it (`named_law`). None otherwise, or when it names an act already."""
        unit = self.units.get(ranked[0][0]) if ranked else None
        if (unit is None or unit.article not in self._acts or not self.mechanisms.named_law
                or self._named_laws(text)):
            return None
        title = self._law_name(unit.article, language)
        generic = set(tokenize(" ".join(GENERIC_TITLE_WORDS), language))
        if not (set(tokenize(title, language)) - generic) & set(tokenize(text, language)):
            return None
        asked = text.strip()
        return f"{title} : {asked}" if language == "fr" else f"{title}: {asked}"

    def _law_name(self, law: str, language: str) -> str:
        """A served law's short name in `language` (`law_name` of its source)."""
        units = self.router.by_article.get(law)
        if not units:
            return law
        by_file = {source.file: source for source in self.corpus.sources}
        source = by_file.get(units[0].fr.source) or by_file.get(units[0].en.source)
        return law_name(source, language) if source is not None else law

    def _absent_message(self, absent: list[tuple[str, str]], language: str) -> str:
        """The answer to a question about provisions a served act's text does not have."""
        if any(act not in self.router.by_article for act, _ in absent):
            return self._unheld_message(absent, language)
        names = list(dict.fromkeys(self._law_name(act, language) for act, _ in absent))
        laws, several = "; ".join(names), len(names) > 1
        refs = ", ".join(dict.fromkeys(ref for _, ref in absent))
        if language == "fr":
            return (f"« {refs} » ne figure pas dans le texte que les sources de Bilex tiennent de "
                    f"{'ces lois' if several else 'cette loi'} ({laws}) : disposition abrogée, "
                    "laissée de côté ou inexistante. Les sources ne peuvent pas dire ce qu’elle "
                    "prévoit.")
        return (f"“{refs}” is not in the text of {'these laws' if several else 'this law'} "
                f"({laws}) that Bilex’s sources hold: a provision repealed, left out or not in "
                f"the law. The sources cannot say what it provides.")

    def _unheld_message(self, absent: list[tuple[str, str]], language: str) -> str:
        """The answer to a reference to an article the sources do not hold, naming the
        articles they do (not the acts served section by section)."""
        refs = ", ".join(dict.fromkeys(ref for _, ref in absent))
        held = ", ".join(f"{article} ({self._law_name(article, language)})"
                         for article in self.router.by_article if article not in self._acts)
        if language == "fr":
            return (f"« {refs} » ne figure pas dans les sources de Bilex : elles ne peuvent pas "
                    "dire ce qu’il prévoit." + (f" Articles qu’elles tiennent : {held}." if held
                                                else ""))
        return (f"“{refs}” is not in Bilex’s sources: they cannot say what it provides."
                + (f" Articles they hold: {held}." if held else ""))

    def _refusal(self, text: str, language: str, lead: str | None = None
                 ) -> tuple[str, dict[str, object]]:
        """The profile's refusal (or `lead`), with where to go when the question names a
        neighbouring subject, and suggestions (bot/enrich.py)."""
        message = lead or self.with_acts(self.profile.refusal[language], language)
        extra: dict[str, object] = {}
        neighbour = self._neighbour(text, language)
        if neighbour is not None:
            name, pointer = neighbour
            extra["neighbour"] = name
            message += (f" Pour ce sujet ({name}) : {pointer}." if language == "fr"
                        else f" For this subject ({name}): {pointer}.")
        return message, extra

    def _answer(self, text: str, query: str, read: str, language: str, answered: bool,
                ranked: Ranked, k: int, extra: dict[str, object],
                top_coverage: float, asked: tuple[str, ...] = (), *,
                uncertain: bool = False) -> Answer:
        """The Answer with its readable parts (bot/enrich.py); `asked`: the sentences of a
        long post that ask; `uncertain`: a refusal that shows the closest passages."""
        expansion = self.glossary.expand(query)
        meaning = f"{expansion.fr} {expansion.en}".strip()
        successor = self.enricher.successor(text, language)
        if successor is not None:
            extra["status_note"] = successor[1]
        if not answered:
            if successor is None:
                # only when the first comes from a source the labels speak for: beside five
                # added acts, a third of the BSARD questions were refused by little with an
                # act's provisions first (a family-law question led by a labour code)
                shown = (ranked[:k] if uncertain and ranked
                         and self.scope.speaks_for(self.sources_of(ranked[0][0])) else [])
                message, more = self._refusal(read, language,
                                              UNCERTAIN[language] if shown else None)
                extra.update(more)
                extra.update(self.enricher.refusal(text, language))
                named = self._asked_with_act(read, language, ranked)
                if named is not None:
                    others = extra.get("suggestions")
                    extra["suggestions"] = [named, *(others if isinstance(others, list)
                                                     else [])][:3]
                if not shown:
                    return Answer(text, language, False, message, (), extra)
                extra["uncertain"] = True
                results = self.enricher.results(self._results(shown), query, language, meaning,
                                                self._sentence_scores())
                return Answer(text, language, False, message, tuple(results), extra)
            source = successor[0]
            former = self._results([(uid, s) for uid, s in ranked
                                    if uid in self.units and source in (
                                        self.units[uid].fr.source, self.units[uid].en.source)][:k])
            results = self.enricher.results(former, query, language, meaning,
                                            self._sentence_scores())
            return Answer(text, language, False, str(successor[1]["message"]), tuple(results),
                          extra)
        results = self.enricher.results(self._results(ranked[:k]), query, language, meaning,
                                        self._sentence_scores())
        titles = self._names_of(self._named_laws(read)) if top_coverage < WEAK_COVERAGE else []
        if titles:  # a law named is noted, not missing
            read = without_titles(read, titles) or read
            asked = tuple(without_titles(part, titles) or part for part in asked)
        extra["gaps"] = self.enricher.gaps(read, language, results, self._vocab_cache,
                                           top_coverage, lambda q: self._bridges(
                                               self.glossary.expand(q), language),
                                           self.places.named if self.places is not None else None,
                                           asked)
        return Answer(text, language, True, None, tuple(results), extra)

    def _sentence_scores(self) -> SentenceScores | None:
        """How close the question being answered is to each embedded sentence of a result's
        side (`DenseRetriever.sentence_spans`), counted beside the question's words for its
        highlight (`bot.highlight.combined_piece`; the gold snippet highlighted on the tuning
        sets: 132 -> 138 of 159); None when no question was embedded (a reference alone)."""
        vector = getattr(self._asking, "vector", None)
        if vector is None:
            return None
        return lambda uid, lang, text: self.dense.sentence_spans(vector, uid, lang, text)

    def _resolved(self, turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
        """The turns with each "in English?" or "tell me more" folded into the question it
        was about (that question, with the passages shown for it across the turns): the
        context a follow-up borrows is the subject asked about, and "more" pages on."""
        if not self.mechanisms.greetings:
            return turns
        out: list[Turn] = []
        for turn in turns:
            if out and (self.phrasing.more_request(turn.question)
                        or self.phrasing.language_request(turn.question)):
                before = out[-1]
                out[-1] = Turn(before.question, tuple(dict.fromkeys(before.ids + turn.ids)))
            else:
                out.append(turn)
        return tuple(out)

    def _as_read(self, turns: tuple[Turn, ...], language: str) -> tuple[Turn, ...]:
        """The turns with each question as the phrasing rules read it (short spellings in full,
        typos corrected), when the spelling mechanism is on: a follow-up borrows its words, and
        "and when does it start?" after "how long does a widgte warranty last?" had borrowed
        the typo, read no subject of the sources and was refused."""
        if not self.mechanisms.spelling:
            return turns
        return tuple(Turn(self.phrasing.read(turn.question, language).text, turn.ids)
                     for turn in turns)

    @staticmethod
    def _earlier(turns: tuple[Turn, ...]) -> tuple[Turn, list[dict[str, object]] | None]:
        """The last turn, and the turns before it as `ask` takes them."""
        history: list[dict[str, object]] = [{"question": t.question, "ids": list(t.ids)}
                                            for t in turns[:-1]]
        return turns[-1], history or None

    @staticmethod
    def _said_in(answer: Answer, language: str, extra: Mapping[str, object]) -> Answer:
        """`answer` (its passages hold both languages) said in `language`, with `extra`."""
        gaps = answer.extra.get("gaps")
        said = {**answer.extra, **extra}
        if isinstance(gaps, dict):
            said["gaps"] = {**gaps, "message": gaps_message(gaps["words"], language)}
        return replace(answer, language=language, extra=said)

    def _in_language(self, text: str, language: str, k: int, turns: tuple[Turn, ...],
                     extra: dict[str, object]) -> Answer:
        """"In English?" after a question: that question answered again in `language`; with
        no earlier question, what Bilex answers about, in `language`."""
        if turns:
            earlier, history = self._earlier(turns)
            request = {"language_request": {"language": language, "question": earlier.question}}
            # the earlier question read in its own language, so its answer is the one the
            # reader saw; only what is said changes language (a refusal is said anew)
            answer = self.ask(earlier.question, None, k, history=history)
            if not answer.answered:
                answer = self.ask(earlier.question, language, k, history=history)
            return replace(self._said_in(answer, language, request), question=text)
        replies = {kind: reply for kind, _, reply in self.profile.small_talk()}
        message = self.with_acts(replies["help"].get(language)
                                  or replies["greeting"].get(language)
                                  or self.profile.refusal[language], language)
        detected = {"language": language, "confident": True, "method": "request"}
        return Answer(text, language, False, message, (),
                      {**extra, "detected": detected, "greeting": True, "thanks": False,
                       "small_talk": "language", "language_request": {"language": language}})

    def _more(self, text: str, language: str, k: int, turns: tuple[Turn, ...]) -> Answer:
        """"Tell me more" after a question: the passages that come next for that question,
        after the ones already shown for it (the turn's ids, across earlier "more" turns:
        `_resolved`), said in this message's language."""
        earlier, history = self._earlier(turns)
        shown = set(earlier.ids)
        answer = self.ask(earlier.question, None, min(self.max_k, k + len(shown)),
                          history=history)
        more: dict[str, object] = {"more": {"question": earlier.question, "shown": len(shown)}}
        if not answer.answered:
            return replace(answer, question=text, extra={**answer.extra, **more})
        rest = tuple(r for r in answer.results if r.id not in shown)[:k]
        message = None if rest else (self.profile.more_none.get(language)
                                     or self.profile.refusal[language])
        return replace(self._said_in(answer, language, more), question=text,
                       answered=bool(rest), message=message, results=rest)

    def read(self, text: str, language: str, *, followup: bool = False,
             after_definition: bool = False) -> Reading:
        """The phrasing rules' reading of a question, with mechanisms turned off honoured
        (`followup`: the question follows earlier turns, so a word alone, "and the notice?",
        asks about it in their context, not what it is; unless the turn before asked what a
        term is (`after_definition`): "what is a bankrupt?", then "and a trustee?")."""
        reading = self.phrasing.read(text, language)
        on = self.mechanisms
        if on.definition and language in STEMMER_LANGS and self.defined_terms.opening:
            # a term an act defines, however long, without the law the question names ("what
            # is a title transfer agreement under the WS Act")
            laws = self._named_laws(reading.text)
            asked = without_titles(reading.text, self._names_of(laws)) if laws else reading.text
            term = self.phrasing.definition(asked, most=None)
            if term and self.defined_terms.find(term, language):
                reading = replace(reading, definition=term)
        if on.definition and not reading.definition and (not followup or after_definition):
            # a word the profile explains, alone ("WPA ?"), asks what it is (not a word an act
            # defines: one-word marginal notes then led with a definition elsewhere, hit@1 of
            # the five acts' 217 one-word notes 0.54 -> 0.45); after a definition question, a
            # term an act defines, alone, asks the same of it ("and a trustee?")
            bare = self.phrasing.bare_term(reading.text)
            if bare and (bare[0] in self._profile_words if not followup else (
                    language in STEMMER_LANGS and self.defined_terms.find(bare, language))):
                reading = replace(reading, definition=bare)
        if on.definition and not reading.definition and not followup:
            reading = replace(reading, definition=self.phrasing.bare_phrase(
                reading.text, self._profile_phrases))
        return replace(reading,
                       text=reading.text if on.spelling else text,
                       corrections=reading.corrections if on.spelling else (),
                       greeting_only=reading.greeting_only and on.greetings,
                       definition=reading.definition if on.definition else (),
                       parts=reading.parts if on.subquestions else ())

    def assess(self, reading: Reading, language: str,
               carried: frozenset[str] = frozenset()) -> tuple[Ranked, Evidence]:
        """Ranked units and the scope evidence for a read question: a long post is ranked
        whole and as each of its questions (results combined, the most confident evidence
        kept); a definition question leads with the passage that introduces its subject.
        `carried`: served laws an earlier turn named, noted when the question names none."""
        ranked, evidence = self.rank(reading.text, language, carried)
        if reading.parts:
            rankings = [(self.weights.whole, ranked)]
            best = self.scope.probability(evidence)
            for part in reading.parts:
                part_ranked, part_evidence = self.rank(part, language, carried)
                rankings.append((self.weights.part, part_ranked))
                # the labelled examples vote on the whole post, as calibration measures it
                part_evidence = replace(part_evidence, neighbours=evidence.neighbours)
                p = self.scope.probability(part_evidence)
                if p > best and not part_evidence.elsewhere:
                    best, evidence = p, part_evidence
            ranked = self._order_law(combine(rankings))
        if reading.definition:
            ranked, defining = self._lead_definition(reading, language, ranked)
            evidence = replace(evidence, defined=defining)
        return ranked, evidence

    def _lead_definition(self, reading: Reading, language: str, ranked: Ranked,
                         earlier: tuple[str, ...] = ()) -> tuple[Ranked, bool]:
        """`ranked` led by the passage defining the term a definition question asks about (a
        term an act defines: its definition, wherever retrieval ranked it), and whether one
        was found. `earlier`: the results an earlier turn showed; when the question names no
        law, the act of the first of them is the one asked about, if it defines the term."""
        laws = self._named_laws(reading.text)
        first = self.units.get(earlier[0]) if earlier and not laws else None
        if first is not None and any(self.units[u].article == first.article for u in
                                     self.defined_terms.find(reading.definition, language)):
            laws = frozenset({first.article})
        defined = self._act_definition(reading.definition, language, ranked, laws)
        defining = defined or self._defining(reading.definition, language, ranked, laws)
        return lead_with(ranked, defining, insert=defined is not None), defining is not None

    def warm_up(self) -> None:
        """Ask the opening words of a passage in each language, and once with the language to
        detect, so that what is loaded on first use (the word lists, the phrase patterns, the
        places of the acronyms' meanings, a language's analysers, the language model, the
        related passages' vectors, the chunks' hubness, the acts' defined terms, the
        references each unit cites, the units' folded texts, the rows of the embedded
        sentences) is loaded before a user's first question:
        on five acts, the first question in a language took 63-200 ms and the first one
        guessed by the word lists 460 ms, the next ones 15-30 ms; one citing an article the
        sources do not hold, 0.3 s; one naming a provision of a law they do not hold, 1 s."""
        word_lists().load()
        self.phrasing.compile()
        _ = (self.defined_terms, self.router.citing, self._folded_texts,
             self.dense.sentence_rows, self.term_places)
        unit = next(iter(self.units.values()), None)
        for language in ("fr", "en"):
            side = getattr(unit, language).text if unit is not None else ""
            self.ask(" ".join(side.split()[:12]) or "warm-up question", language)
        self.ask(" ".join(unit.fr.text.split()[:12]) if unit is not None else "warm-up question")

    def _text_in(self, uid: str, lang: str) -> str | None:
        """A unit's text in `lang`, or a commentary passage's when it is in `lang`."""
        if uid in self.units:
            return str(getattr(self.units[uid], lang).text)
        passage = self.commentary.get(uid)
        return passage.text if passage is not None and passage.lang == lang else None

    @cached_property
    def router(self) -> Router:
        """References in questions resolved to units (indexed on first use, in the warm-up)."""
        return Router(self.corpus.units)

    def question_vector(self, reading: Reading, language: str) -> np.ndarray:
        """The vector the scope examples vote on: the whole read question's dense query."""
        return self.signals(reading.text, language).vector

    def _results(self, ranked: Ranked) -> list[Result]:
        """`_result` of each ranked unit, their related passages found in one pass."""
        near = self.related.of_many([uid for uid, _ in ranked])
        return [self._result(uid, score, near[uid]) for uid, score in ranked]

    def _result(self, uid: str, score: float, near: list[str] | None = None) -> Result:
        where = self._place_of.get(uid, "")
        place = where if known_place(where) else None
        none = {"fr": None, "en": None}
        related = [{"id": other, "kind": "statute" if other in self.units else "commentary",
                    "citation": (self.units[other].citation if other in self.units else
                                 {self.commentary[other].lang: self.status.commentary_citation(
                                     self.commentary[other])})}
                   for other in (self.related.of(uid) if near is None else near)]
        if uid in self.units:
            unit = self.units[uid]
            return unit_result(unit, score, jurisdiction=place, status=self.status.of_unit(unit),
                               highlight=none, xrefs={
                                   lang: self.xrefs.of_unit(unit, lang)
                                   for lang in ("fr", "en")}, related=related)
        passage = self.commentary[uid]
        result = passage_result(passage, score, jurisdiction=place, highlight=none, related=related,
                                provenance=self.status.provenance.get(passage.source, {}))
        cited = self.status.commentary_citation(passage)
        return Result(result.id, result.kind, result.score, {
            "fr": cited if passage.lang == "fr" else None,
            "en": cited if passage.lang == "en" else None}, result.fr, result.en,
            result.alignment, result.extra)

    def signals(self, text: str, language: str,
                carried: frozenset[str] = frozenset()) -> Signals:
        """Everything the retrievers measure for one question, before fusion; `carried`:
        the laws an earlier turn named, noted when the question names none itself."""
        refs = parse_references(text)
        acts = named_acts(text, self._act_titles) if any(r.act for r in refs) else set()
        routed = self.router.route(refs, acts) if refs else []
        bare = bool(routed) and not tokenize(residue(text, refs, self._titles_of(routed)),
                                             language)
        expansion = self.glossary.expand(text)
        laws = self._named_laws(text)
        # a law named in full is noted (`laws`), not searched for: its title matched its
        # short-title section and every unit that names it
        titles = self._names_of(laws)
        asked = (without_titles(text, titles) or text) if titles else text
        searched = " ".join(filter(None, (asked, expansion.fr, expansion.en)))
        if titles:
            searched = without_titles(searched, titles) or searched
        # The lexical search runs before the embedding, the dense search right after it, on
        # this thread. Nothing runs beside the embedding: the engine's two-thread team on two
        # cores waits at every layer for a core that Python work holds (the lexical search
        # beside it cost 0.8-1.1 ms at the /ask median, three servers side by side over HTTP,
        # twice). And Python work right after an embedding runs on caches the embedding swept:
        # the rest of an answer took 5.8-6.2 ms after a real embedding against 4.1-4.8 ms
        # after a cached vector (5.6 ms when 64 MB are read in its place), two acts, 300 marginal
        # notes each way, in process. Searching before the embedding, instead of after it
        # with the dense search on a thread beside it, each of 600 notes asked both ways in
        # alternating order in one process, twice: the same results, ask 0.06 / 0.15 ms less
        # at the paired median on two acts (mean 0.26 / 0.30 ms), 0.02 / 0.12 ms on five
        # (mean 0.51 / 0.79 ms). The embedder runs the engine on its own one thread
        # (`indexer.embedders.on_engine_thread`).
        lexical = self.lexical.search(searched, language)
        places = self.places.named(text) if self.places is not None else ()
        vector = self.embedder.query(self._dense_query(asked, language, expansion))
        if getattr(self._asking, "vector", False) is None and not bare:
            # the question being answered; a reference alone asks for the provision, not for
            # one of its sentences
            self._asking.vector = vector
        hits = self.dense.search(vector)
        if not laws and self.mechanisms.named_law:
            laws = carried & self._acts
        return Signals(vector, hits.passage, hits.sentence, hits.raw, lexical, routed, expansion,
                       places, hits.peak, bare, laws)

    def fuse(self, sig: Signals, weights: Weights | None = None) -> Ranked:
        """One score per unit (bot.fusion), law first when law and commentary both answer."""
        w = weights or self.weights
        placed: frozenset[str] = frozenset()
        if len(self._jurisdictions) > 1 and sig.places:  # the only place covered tells nothing
            placed = self._placed(sig.places)
        elif self.term_places is not None:
            # a term only some places' sources write: theirs, and sources of no stated place
            pointed = self.term_places.named(tuple(
                meaning for typed, meaning in sig.expansion.bridges
                if fold(typed) in self._acronyms))
            if pointed:
                placed = self._placed(pointed | {p for p in self._ids_of_place
                                                 if not known_place(p)})
        for law in sig.laws:  # a law the question names counts as a place it names
            placed = placed.union(u.id for u in self.router.by_article.get(law, ()))
        ranked = fuse(sig.dense, sig.dense_sentence, sig.lexical, routed=sig.routed,
                      placed=placed, weights=w)
        return self._order_law(ranked, w)

    def _placed(self, places: Iterable[str]) -> frozenset[str]:
        """The units and passages of sources about `places`, as `fuse` takes them (one place:
        its set as made at start, not a copy of thousands of ids per question)."""
        held = [self._ids_of_place[place] for place in set(places) if place in self._ids_of_place]
        return held[0] if len(held) == 1 else frozenset().union(*held)

    def _named_laws(self, text: str) -> frozenset[str]:
        """The served acts `text` names in full or by their initials (`cited_acts`), when
        the `named_law` mechanism is on."""
        if not self.mechanisms.named_law:
            return frozenset()
        return frozenset(cited_acts(text, self._act_titles) & self._acts)

    def _leads_named_law(self, text: str, ranked: Ranked) -> bool:
        """The question names a served act (in full or by its initials) and one of that
        act's units leads: it asks about that act, whose closest provisions are the answer."""
        laws = self._named_laws(text)
        unit = self.units.get(ranked[0][0]) if laws and ranked else None
        return unit is not None and unit.article in laws

    def _names_of(self, laws: frozenset[str]) -> list[str]:
        """Every title and citation of `laws`, in a stable order."""
        return [name for law in sorted(laws) for name in self._act_titles.get(law, ())]

    def _carried_laws(self, text: str, turns: tuple[Turn, ...]) -> frozenset[str]:
        """The served laws the latest earlier turn naming one named (in full or by its
        initials), when this question names none: a follow-up stays under that law."""
        if not turns or not self.mechanisms.named_law or cited_acts(text, self._act_titles):
            return frozenset()
        for turn in reversed(turns):
            named = self._named_laws(turn.question)
            if named:
                return named
        return frozenset()

    def _order_law(self, ranked: Ranked, weights: Weights | None = None) -> Ranked:
        if not self.mechanisms.law_first:
            return ranked
        return law_first(ranked, self.units.__contains__, (weights or self.weights).law_margin)

    def rank(self, text: str, language: str,
             carried: frozenset[str] = frozenset()) -> tuple[Ranked, Evidence]:
        """Units and passages by fused score, best first, and the evidence for the scope."""
        sig = self.signals(text, language, carried)
        ranked = self.sections.aggregate(self.fuse(sig))
        if sig.bare:  # only the reference: read the cited units from the start
            ranked = routed_first(ranked, sig.routed, self._group)
        if self.negation is not None:
            ranked = self.negation.favour(ranked, text, language, self._text_in,
                                          self.weights.negation)
        vector, raw_dense, lexical = sig.vector, sig.raw_dense, sig.lexical
        routed, expansion = sig.routed, sig.expansion
        own, known = self._known_words(text, language, expansion.matched)
        bridges = self._bridges(expansion, language)
        placed = self._placed_tokens(text, language)
        known = list(dict.fromkeys(known + [t for t in own if t in placed]))
        top_dense = max(raw_dense, key=lambda u: raw_dense[u]) if raw_dense else None
        top_lex = heapq.nlargest(3, lexical, key=lexical.__getitem__)  # = sorted(...)[:3]
        evidence = Evidence(
            dense_top=max(raw_dense.values(), default=0.0),
            offtopic_gap=max(raw_dense.values(), default=0.0) - (
                float((self.offtopic @ vector).max()) if self.offtopic is not None else 0.0),
            dense_margin=_margin(sorted(raw_dense.values(), reverse=True)),
            lexical_top=max(lexical.values(), default=0.0),
            coverage=len(known) / len(own) if own else 0.0,
            top_coverage=max((self._coverage(own, uid, bridges, placed) for uid, _ in ranked[:3]),
                             default=0.0),
            agreement=bool(top_dense and top_dense in top_lex),
            referenced=bool(routed),
            named=self._leads_named_law(text, ranked),
            elsewhere=bool(sig.places) and self._jurisdictions.isdisjoint(sig.places),
            glossary=len(expansion.matched),
            tokens=len(own),
            domain=expansion.domain,
            peak=sig.peak,
            neighbours=self.scope.vote(vector, self.leading_sources(ranked)),
        )
        return ranked, evidence

    @property
    def term_places(self) -> TermPlaces | None:
        """The places whose sources alone write what an acronym stands for (None when the
        mechanism is off or tells nothing), made from every text of the corpus on first use:
        the warm-up, after `/health` answers (0.18-0.23 s of every start on five acts)."""
        if self._term_places is None and self._places_of_terms is not None:
            meanings, where = self._places_of_terms
            self._term_places = TermPlaces.of(
                meanings,
                [(where.get(u.fr.source, ""), side.text) for u in self.corpus.units
                 for side in (u.fr, u.en)] +
                [(where.get(p.source, ""), p.text) for p in self.corpus.commentary])
        return self._term_places

    # -- corpus-derived knowledge -----------------------------------------------------------
    def _surface_vocabulary(self) -> tuple[Counter[str], frozenset[str]]:
        """Folded words of every text the corpus holds (titles and headings too) with their
        counts, and the words both languages' texts use (no language signal in a question)."""
        found = self._found_words()
        counts = Counter(found.counts)
        for term in self.profile.terms if self.mechanisms.terms else ():
            counts.update(words(" ".join(term.terms)))
        for place in self.profile.places:  # "Fance" is a place a question names, mistyped
            counts.update(words(" ".join(place.terms)))
        both = found.both - stop_words()
        acronyms = {w.lower() for t in self.profile.terms for w in t.terms
                    if w.isalpha() and len(w) <= 5 and " " not in w}
        return counts, frozenset(w for w in both | acronyms if len(w) > 2)

    def _one_language_words(self) -> dict[str, str]:
        """Folded word -> the one language whose texts write it: the words written twice or
        more in one language only (`written_in`), and the words one language writes with
        accents the other never writes ("agrement": the French "agrément")."""
        found = self._found_words()
        out: dict[str, str] = {}
        for lang, forms in found.accented.items():
            others = [m for other, m in found.accented.items() if other != lang]
            out.update((w, lang) for w in forms if w not in found.both
                       and not any(w in m for m in others))
        out.update(found.written_in)
        return out

    def _found_words(self) -> CorpusWords:
        """The corpus's words as the build counted them, or counted here (once)."""
        if self._counted is None:
            self._counted = self._corpus_words or corpus_words(self.corpus)  # bot/vocabulary.py
        return self._counted

    def _acronym_forms(self) -> frozenset[str]:
        """Acronyms, folded: words the sources write only in capitals, and the profile's words
        that are the initials of what they mean ("WPA" for "widget protection agreement")."""
        initialisms = {fold(w) for t in self.profile.terms for w in t.terms
                       if w.isalpha() and w.upper() in acronyms(t.fr) | acronyms(t.en)}
        return self._found_words().capitals | initialisms

    def _titles_of_acts(self) -> dict[str, tuple[str, ...]]:
        """Each act's names (title, citations and code, from its manifest), for references
        that name the act ("art. 230 du <title>", "s. 230, c. L-2")."""
        by_file = {s.file: s for s in self.corpus.sources}
        titles: dict[str, tuple[str, ...]] = {}
        for u in self.corpus.units:
            if u.article in titles or not u.id.startswith(f"{u.article}."):
                continue
            source = by_file.get(u.fr.source) or by_file.get(u.en.source)
            code = str((source.fields.get("act") or {}).get("value") or "") if source else ""
            # an act's code too ("L-2", as in "R.S.C. 1985, c. L-2"), from its manifest
            names = (source.title, law_name(source, "en"), law_name(source, "fr"), code) \
                if source else ()
            titles[u.article] = tuple(dict.fromkeys(n for n in names if n))
        return titles

    def _titles_of(self, uids: list[str]) -> tuple[str, ...]:
        """The names of the laws the units `uids` belong to."""
        laws = dict.fromkeys(self.units[u].article for u in uids if u in self.units)
        return tuple(name for law in laws for name in self._act_titles.get(law, ()))

    def _group(self, uid: str) -> str:
        """The section an act unit belongs to, the article of another unit."""
        group = self.sections.group_of.get(uid)
        if group is not None:
            return group
        unit = self.units.get(uid)
        return unit.article if unit is not None else uid

    def _stem_known(self, word: str) -> bool:
        """Whether a word's stem (in either language) is in the index: an inflection of a
        word the sources use, or a typo that kept its stem."""
        return any(t in self.vocabulary for t in self._word_stems(word))

    @staticmethod
    def _word_stems(word: str) -> frozenset[str]:
        """A word's index tokens in each language (its stems)."""
        return frozenset(t for lang in ("fr", "en") for t in tokenize(word, lang))

    def _document_order(self) -> list[str]:
        """Every unit and passage id, source by source, in document order."""
        return document_order(self.corpus)

    def _defining(self, subject: tuple[str, ...], language: str, ranked: Ranked,
                  laws: frozenset[str] = frozenset()) -> str | None:
        """The passage that introduces `subject`: in each source, the first passage whose
        words hold the subject (as typed, or as the profile and alignment word it); of those,
        the one retrieval ranks best among the first DEFINITION_POOL results. When the
        question names served `laws`, only a passage of one of them."""
        # "the status of the employee during the WPA": the passage holding the term with the
        # subject's other words, before the one introducing the term alone
        for wordings in (self._subject_wordings(subject, whole=True),
                         self._subject_wordings(subject)):
            defining = set(self._unit_terms.first_holding(wordings).values()) if wordings else ()
            for uid, _ in ranked[:DEFINITION_POOL]:
                if uid in defining and (not laws or uid in self.units
                                        and self.units[uid].article in laws):
                    return uid
        return None

    @cached_property
    def defined_terms(self) -> DefinedTerms:
        """The terms the corpus's acts define (0.1 s on five acts: made on first use, during
        the warm-up)."""
        return DefinedTerms.of_corpus(self.corpus)

    def _act_definition(self, subject: tuple[str, ...], language: str, ranked: Ranked,
                        laws: frozenset[str] = frozenset()) -> str | None:
        """The unit opening an act's definition of `subject`: of the acts that define it (of
        `laws`, when the question names served laws), the one whose provisions retrieval
        ranks first (the first in corpus order if none)."""
        units = tuple(u for u in self.defined_terms.find(subject, language)
                      if not laws or self.units[u].article in laws)
        if not units:
            return None
        first: dict[str, int] = {}
        for position, (uid, _) in enumerate(ranked):
            unit = self.units.get(uid)
            if unit is not None:
                first.setdefault(unit.article, position)
        return min(units, key=lambda u: first.get(self.units[u].article, len(ranked)))

    def _subject_wordings(self, subject: tuple[str, ...], whole: bool = False) -> list[set[str]]:
        """The token sets a passage may hold `subject` as: typed, or worded by the profile and
        the alignment, analysed in each language. `whole`: only the profile's or alignment's
        wordings that keep the subject's other words (none when it has no other words)."""
        text = " ".join(subject)
        expansion = self.glossary.expand(text)
        rest = text
        for typed in expansion.matched:
            rest = re.sub(rf"(?<!\w){re.escape(fold(typed))}(?!\w)", " ", rest)
        if whole:
            if not expansion.matched or not tokenize(rest, "en") and not tokenize(rest, "fr"):
                return []
            return [w for w in (set(tokenize(rest, "fr")) | set(query_tokens(expansion.fr, "fr")),
                                set(tokenize(rest, "en")) | set(query_tokens(expansion.en, "en")))
                    if w]
        wordings = [set(tokenize(text, "fr")), set(tokenize(text, "en"))]
        # "what is the deadline to reply to the WPA offer": the term with words of its own
        # asks about something of it, not what it is (its introducing passage had led)
        others = [w for w in rest.split() if tokenize(w, "fr") or tokenize(w, "en")]
        if len(others) < SUBJECT_OTHER_WORDS:
            wordings += [set(query_tokens(expansion.fr, "fr")), set(query_tokens(expansion.en, "en"))]
        return [w for w in wordings if w]

    def _neighbour(self, text: str, language: str) -> tuple[str, str] | None:
        """The neighbouring subject a refused question names, with where to go for it."""
        folded = " " + " ".join(words(text)) + " "
        for n in self.neighbours:
            for lang_terms in n.terms.values():
                if any(f" {' '.join(term)} " in folded for t in lang_terms
                       if (term := words(t)) and not _grammatical(term)):
                    pointer = n.pointer.get(language)
                    if pointer:
                        return n.name.get(language, ""), pointer
        return None

    def _dense_query(self, text: str, language: str, expansion: Expansion) -> str:
        """The text embedded for dense search: a short question with an acronym also carries
        what it means in the sources' own wording (from the profile or the alignment), since a
        few capital letters give the model little to go on."""
        if text.rstrip()[-1:].isalnum():  # "qui paie" is asked as "qui paie ?" is (the model
            # reads a question mark as asking): people in a chat leave it out
            text = text.rstrip() + (" ?" if language == "fr" else "?")
        # an acronym typed in lower case ("c quoi la wpa") and, in a question typed without any
        # accent, a word the sources only write with them ("salarie") are written as the
        # sources write them ("on me licencie ... concernée": the asker types accents, and
        # "licencie" is a verb, not "licencié")
        accented = ({} if fold(text) != text.lower() else
                    self._found_words().accented.get(language, {}))
        text = LETTERS.sub(lambda m: self._as_written(m.group(), accented), text)
        typed = [m for m in expansion.matched if re.search(rf"\b{re.escape(m.upper())}\b", text)]
        if not typed or len(text.split()) > SHORT_QUESTION_WORDS:
            return text
        meaning = expansion.fr if language == "fr" else expansion.en
        return f"{text} ({meaning})"

    def _as_written(self, word: str, accented: Mapping[str, str]) -> str:
        """A word typed in lower case as the sources write it: an acronym in capitals, a word
        whose accents were left out with them; any other word as typed."""
        if not word.islower():
            return word
        if fold(word) in self._acronyms:
            return word.upper()
        return accented.get(word, word)

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
        """Every token a unit's texts yield, analysed in both languages (read back from the
        built postings, `UnitTerms.vocabulary`, on first use)."""
        cached = self._vocab_cache.get(uid)
        if cached is None:
            cached = self._unit_terms.vocabulary(uid)
            self._vocab_cache[uid] = cached
        return cached

    def _coverage(self, tokens: list[str], uid: str | None,
                  bridges: dict[str, frozenset[str]] | None = None,
                  placed: Mapping[str, frozenset[str]] | None = None) -> float:
        """Share of `tokens` the passage uses, directly or through a glossary entry's wording
        (an English question's "extended" counts for a French passage that says "prolongé"),
        or, for a word naming a place (`placed`: token -> the jurisdictions it names), by
        coming from a source of that jurisdiction (its manifest says so; its text need not)."""
        if not tokens or uid is None:
            return 0.0
        vocab = self._unit_vocabulary(uid)
        bridges = bridges or {}
        where = self._place_of.get(uid)
        placed = placed or {}
        return sum(t in vocab or not bridges.get(t, frozenset()).isdisjoint(vocab)
                   or where in placed.get(t, ()) for t in tokens) / len(tokens)

    def _placed_tokens(self, text: str, language: str) -> dict[str, frozenset[str]]:
        """The question's tokens of words naming a place some source is about (the profile's
        place names, the manifests' jurisdictions) -> those jurisdictions: the sources cover
        that place, whether or not their text names it."""
        if self.places is None or self._jurisdictions.isdisjoint(self.places.named(text)):
            return {}  # the question names no place a source is about (one pass over it)
        out: dict[str, frozenset[str]] = {}
        for word in dict.fromkeys(_WORDS.findall(text)):
            served = frozenset(self.places.named(word)) & self._jurisdictions
            for token in tokenize(word, language) if served else ():
                out[token] = out.get(token, frozenset()) | served
        return out

    @staticmethod
    def _bridges(expansion: Expansion, language: str) -> dict[str, frozenset[str]]:
        """Question token -> the tokens of what its glossary entry means in both languages."""
        out: dict[str, frozenset[str]] = {}
        for word, meaning in expansion.bridges:
            wording = frozenset(query_tokens(meaning, language))
            for token in tokenize(word, language):
                out[token] = out.get(token, frozenset()) | wording
        return out


def _grammatical(term_words: list[str]) -> bool:
    """Whether a term is only words of grammar in either language (a testament's "will" is
    also the future's: "Will I lose my visa?"), which cannot say what a question is about."""
    return all(w in stop_words() for w in term_words)


@lru_cache(maxsize=65536)
def _word_stems(word: str, language: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A word's stems in the question's language, and its stems in either language."""
    stems = tuple(tokenize(word, language))
    other = tokenize(word, "en" if language == "fr" else "fr")
    return stems, frozenset(stems) | frozenset(other)


def _part_label(ref: Reference, language: str) -> str:
    """A code reference as a reader writes it: "art. L. 12-3, II, alinéa 4" / "..., II,
    paragraph 4"."""
    parts = [ref.text.strip()]
    if ref.section:
        parts.append(ref.section)
    if ref.alinea == -1:
        parts.append("dernier alinéa" if language == "fr" else "last paragraph")
    elif ref.alinea is not None:
        parts.append(f"{'alinéa' if language == 'fr' else 'paragraph'} {ref.alinea}")
    return ", ".join(parts)


def _loose(article_id: str) -> str:
    """An article or act code without spaces, dots, hyphens or case."""
    return re.sub(r"[\s.\-]", "", article_id).upper()


def _margin(values: list[float]) -> float:
    return values[0] - values[1] if len(values) > 1 else (values[0] if values else 0.0)
