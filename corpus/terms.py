"""Terminology consistency: the same French wording rendered two ways in one article.

Article references ("L. 122-6") are language-neutral anchors. Where the French words
leading up to the same reference are the same in two alinéas, the English words leading
up to it should be the same too; when they are not, the term was rendered two ways
(e.g. "délai-congé" as "notice period" in one alinéa and "period of leave" in another).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from stop_words import get_stop_words

from corpus.drift import _CODE_REF, fold
from corpus.encoder import TextEncoder

WINDOW = 3  # content words kept before an anchor
MAX_OVERLAP = 0.5  # English windows sharing at most this share of words are "different"
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_BOUNDARY = re.compile(r"[.,;:!?()]")
# Words that only introduce a reference ("à l'article", "in Article"): not part of a term.
_REF_WORDS = {"article", "articles", "art", "l", "d", "qu"}
# Participles that introduce a reference ("prévu à", "provided for in"): trimmed from the end.
_INTRODUCERS = {
    "prevu", "prevue", "prevus", "prevues", "mentionne", "mentionnee", "mentionnes",
    "mentionnees", "vise", "visee", "vises", "visees", "conformement", "provided", "mentioned",
    "set", "out", "referred", "pursuant", "defined", "as", "under",
}


@dataclass(frozen=True)
class Occurrence:
    """The words leading up to one reference in one alinéa, in French and English."""

    unit: int
    anchor: str
    fr_words: tuple[str, ...]
    fr_span: str
    en_words: tuple[str, ...]
    en_span: str


@dataclass(frozen=True)
class Inconsistency:
    """A French wording with the different English renderings it gets, by unit index."""

    term: str
    renderings: dict[str, list[int]]


@lru_cache(maxsize=2)
def _stops(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in get_stop_words(lang)) | _REF_WORDS


def _windows(text: str, lang: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(anchor, last content words before it, the span they cover) for every reference."""
    out = []
    for match in _CODE_REF.finditer(text):
        before = text[: match.start()]
        cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
        before = before[cut:]
        tokens = list(_TOKEN.finditer(before.replace("’", " ").replace("'", " ")))
        content = [t for t in tokens if fold(t.group()) not in _stops(lang)]
        while content and fold(content[-1].group()) in _INTRODUCERS:
            content.pop()
        kept = content[-WINDOW:]
        if not kept:
            continue
        span = before[kept[0].start() : kept[-1].end()].strip()
        words = tuple(fold(t.group()) for t in kept)
        out.append((f"{match.group(1)}{match.group(2)}", words, span))
    return out


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def inconsistencies(pairs: list[tuple[str, str]]) -> list[Inconsistency]:
    """Terms rendered two ways across the (French, English) alinéa pairs of one article."""
    groups: dict[tuple[str, tuple[str, ...]], list[Occurrence]] = defaultdict(list)
    for index, (fr, en) in enumerate(pairs):
        en_by_anchor: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for anchor, words, span in _windows(en, "en"):
            en_by_anchor[anchor].append((words, span))
        seen: dict[str, int] = defaultdict(int)
        for anchor, words, span in _windows(fr, "fr"):
            candidates = en_by_anchor.get(anchor, [])
            k = seen[anchor]
            seen[anchor] += 1
            if k >= len(candidates):
                continue  # a reference with no English counterpart: drift flags catch it
            en_words, en_span = candidates[k]
            groups[(anchor, words)].append(
                Occurrence(index, anchor, words, span, en_words, en_span))

    found: list[Inconsistency] = []
    for occurrences in groups.values():
        if len({o.unit for o in occurrences}) < 2:
            continue
        first = occurrences[0]
        differing = [o for o in occurrences[1:]
                     if o.unit != first.unit and _overlap(o.en_words, first.en_words) <= MAX_OVERLAP]
        if not differing:
            continue
        renderings: dict[str, list[int]] = defaultdict(list)
        for o in occurrences:
            if o.unit not in renderings[o.en_span]:
                renderings[o.en_span].append(o.unit)
        found.append(Inconsistency(first.fr_span, dict(renderings)))
    return found


@dataclass(frozen=True)
class TermPair:
    """A French term and its English rendering, paired because they occur in the same alinéas."""

    fr: str
    en: str
    units: tuple[int, ...]
    score: float = 0.0


# Words that may stand inside a term between two content words ("contrat de travail",
# "droit individuel à la formation", "notice of termination"); any other function word
# (articles, pronouns, verbs, conjunctions) ends a noun phrase.
_INSIDE = {"fr": {"de", "d", "du", "des", "a", "au", "aux", "en", "pour", "sur", "la", "l"},
           "en": {"of", "for", "on", "to"}}
# An English phrase ending in a participle or an adverb ("proposal submitted", "acted
# fraudulently") is a clause cut short, not a term.
_EN_NOT_LAST = re.compile(r"(?:ed|ly)$")
# Likewise a French phrase ending in a present participle ("résolution autorisant").
_FR_NOT_LAST = re.compile(r"ants?$")
# Function words that end a noun phrase wherever they stand (articles, determiners, pronouns,
# conjunctions, auxiliaries). The stop-word lists are wider and hold content words too
# ("right", "amount", "personne"), so of them only the short ones count as function words.
_BREAKS = {
    "fr": {"le", "les", "un", "une", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur",
           "leurs", "qui", "que", "qu", "dont", "ou", "et", "ni", "mais", "est", "sont", "il",
           "elle", "ils", "elles", "se", "s", "lui", "y", "ne", "pas", "si", "soit", "tout",
           "toute", "tous", "toutes", "aucun", "aucune", "par", "avec", "dans", "sans", "sous"},
    "en": {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their",
           "which", "who", "whom", "whose", "and", "or", "nor", "but", "is", "are", "be", "was",
           "were", "been", "shall", "may", "must", "will", "it", "he", "she", "they", "not",
           "if", "any", "all", "each", "every", "by", "with", "in", "from", "at", "as"},
}
_SHORT = 5  # letters: inside a phrase, a stop word shorter than this is a function word
_ANY = 100  # at either end of a phrase, every stop word is
# Elided articles and "la" only after a preposition ("à la formation", "d’une" is not a term).
_AFTER_PREPOSITION = {"la", "l"}
# Number words: a phrase holding one is a quantity ("deux mois"), not a term.
_NUMBER_WORDS = {
    "fr": {"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
           "onze", "douze", "vingt", "trente", "cent", "cents", "mille", "premier", "premiere",
           "second", "seconde", "deuxieme", "troisieme", "moitie", "tiers", "quart"},
    "en": {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "twenty", "thirty", "hundred", "thousand", "first", "second",
           "third", "half", "quarter"},
}
MIN_SIMILARITY = 0.86  # cosine of the two terms below which a pairing is refused
_MIN_JACCARD = 0.6  # share of alinéas two candidates must have in common to be compared


def _infinitive(words: Sequence[str], lang: str) -> bool:
    """A verb after a preposition makes a clause, not a term: English "to" before anything
    but an -ing form ("required to send"; "right to training" is a term), French "de"
    before a final -er infinitive ("société de changer")."""
    if lang == "en":
        return any(w == "to" and not words[k + 1].endswith("ing")
                   for k, w in enumerate(words[:-1]))
    return len(words) >= 2 and words[-2] in ("de", "d") and words[-1].endswith("er")


def _is_function(word: str, lang: str, limit: int = _SHORT) -> bool:
    """A folded word that cannot stand inside a term (a short stop word, an article...)."""
    return word in _BREAKS[lang] or word in _REF_WORDS or (word in _stops(lang) and len(word) < limit)


def noun_phrases(text: str, lang: str, sizes: range = range(2, 6)) -> dict[str, str]:
    """Folded phrase -> its surface form (apostrophes and accents as written), for runs of
    2 to 5 words that look like a noun phrase: content words at both ends, only prepositions
    ("de", "à la", "of") inside, no number word, not across punctuation."""
    spaced = text.replace("’", "’ ").replace("'", "' ")  # an elided article is a word
    tokens = list(_TOKEN.finditer(spaced))
    inside = _INSIDE[lang]

    def function(word: str, limit: int) -> bool:
        return _is_function(word, lang, limit)

    folded = [fold(t.group()) for t in tokens]
    out: dict[str, str] = {}
    for n in sizes:
        for i in range(len(tokens) - n + 1):
            words = folded[i : i + n]
            if any(w in inside or function(w, _ANY) for w in (words[0], words[-1])):
                continue
            if _infinitive(words, lang):
                continue
            if any(w in _NUMBER_WORDS[lang] for w in words):
                continue
            middle = words[1:-1]
            if any(w not in inside and function(w, _SHORT) for w in middle):
                continue
            if any(w in _AFTER_PREPOSITION and words[k] not in inside - _AFTER_PREPOSITION
                   for k, w in enumerate(middle)):  # words[k] is the word before middle[k]
                continue
            if words[0] in _INTRODUCERS or words[-1] in _INTRODUCERS:
                continue
            if (_EN_NOT_LAST if lang == "en" else _FR_NOT_LAST).search(words[-1]):
                continue
            start, end = tokens[i].start(), tokens[i + n - 1].end()
            span = spaced[start:end]
            if _BOUNDARY.search(span):
                continue
            surface = span.replace("’ ", "’").replace("' ", "'")
            out.setdefault(" ".join(words), surface)
    return out


def _content_words(key: str, lang: str) -> int:
    """Content words of a folded phrase, a hyphenated compound counting its parts."""
    return sum(1 for w in key.replace("-", " ").split()
               if not _is_function(w, lang) and w not in _INSIDE[lang])


def _same_size(fr_key: str, en_key: str) -> bool:
    """A term and its rendering name the same things: as many content words on each side
    (one more or less between longer terms). A shorter side is a fragment: "economic
    reasons" for "licenciement pour motif économique", "psychological support" for "actions
    de soutien psychologique"."""
    fr, en = _content_words(fr_key, "fr"), _content_words(en_key, "en")
    return fr == en or (abs(fr - en) == 1 and min(fr, en) >= 3)


def paired_terms(pairs: list[tuple[str, str]], encoder: TextEncoder | None = None,
                 min_units: int = 2, min_similarity: float = MIN_SIMILARITY) -> list[TermPair]:
    """Multi-word noun phrases whose French and English forms stand in the same alinéas.

    A French phrase and an English phrase that stand in the same alinéas of an article
    pair. Each French phrase (the longest of those sharing its alinéas) is compared with
    every English phrase (likewise the longest) standing in mostly the same alinéas; with
    the multilingual model, the closest one pairs if the two are each other's closest and
    close enough, so that a fragment (two words of a four-word term) loses to the whole
    phrase or to nothing.
    Without a model, only a lone candidate on each side pairs.
    """
    fr_occ: dict[str, set[int]] = defaultdict(set)
    en_occ: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, str] = {}
    for index, (fr, en) in enumerate(pairs):
        for key, form in noun_phrases(fr, "fr").items():
            fr_occ[key].add(index)
            surface.setdefault("fr:" + key, form)
        for key, form in noun_phrases(en, "en", range(2, 5)).items():
            en_occ[key].add(index)
            surface.setdefault("en:" + key, form)

    def maximal(occ: dict[str, set[int]]) -> dict[str, frozenset[int]]:
        by_set: dict[frozenset[int], list[str]] = defaultdict(list)
        for key, units in occ.items():
            if len(units) >= min_units:
                by_set[frozenset(units)].append(key)
        return {k: units for units, keys in by_set.items() for k in keys
                if not any(k != o and f" {k} " in f" {o} " for o in keys)}

    fr_best = maximal(fr_occ)
    en_all = maximal(en_occ)  # "average market" is not a term where "average market price" is

    def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
        return len(a & b) / len(a | b)

    by_unit: dict[int, list[str]] = defaultdict(list)
    for en, e_units in en_all.items():
        for unit in e_units:
            by_unit[unit].append(en)
    candidates = {fr: [en for en in dict.fromkeys(e for u in units for e in by_unit[u])
                       if jaccard(units, en_all[en]) >= _MIN_JACCARD]
                  for fr, units in fr_best.items()}
    candidates = {fr: [en for en in ens if _same_size(fr, en)] for fr, ens in candidates.items()}
    candidates = {fr: ens for fr, ens in candidates.items() if ens}
    scored: list[tuple[float, str, str]] = []
    if encoder is None:
        for fr, ens in candidates.items():
            exact = [en for en in ens if en_all[en] == fr_best[fr]]
            maximal_en = [en for en in exact if not any(
                en != o and f" {en} " in f" {o} " for o in exact)]
            if len(maximal_en) == 1:
                scored.append((1.0, fr, maximal_en[0]))
    else:
        fr_keys = list(candidates)
        en_keys = list(dict.fromkeys(en for ens in candidates.values() for en in ens))
        if not fr_keys or not en_keys:
            return []
        fr_vecs = encoder.passages([surface["fr:" + k] for k in fr_keys])
        en_vecs = encoder.passages([surface["en:" + k] for k in en_keys])
        sims = fr_vecs @ en_vecs.T
        en_pos = {k: j for j, k in enumerate(en_keys)}
        best_fr_for_en: dict[str, tuple[float, str]] = {}
        choice: dict[str, tuple[float, str]] = {}
        for i, fr in enumerate(fr_keys):
            for en in candidates[fr]:
                score = float(sims[i, en_pos[en]]) * (
                    0.9 + 0.1 * jaccard(fr_best[fr], en_all[en]))
                if score > choice.get(fr, (-1.0, ""))[0]:
                    choice[fr] = (score, en)
                if score > best_fr_for_en.get(en, (-1.0, ""))[0]:
                    best_fr_for_en[en] = (score, fr)
        for fr, (score, en) in choice.items():
            if score >= min_similarity and best_fr_for_en[en][1] == fr:
                scored.append((score, fr, en))
    found = [TermPair(surface["fr:" + fr], surface["en:" + en],
                      tuple(sorted(fr_best[fr] & en_all[en])), round(score, 3))
             for score, fr, en in scored]
    return sorted(found, key=lambda t: (t.units, t.fr))
