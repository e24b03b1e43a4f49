"""Negation agreement: passages that negate what the question negates move up a little."""

from __future__ import annotations

import pytest

from bot.negation import POOL, Negation
from corpus.profile import Phrases

# synthetic texts, not law
CUES = Phrases({"fr": ("pas", "sans", "jamais"), "en": ("not", "without", "never")}, "test")
OPENING = Phrases({"fr": ("ne", "n'")}, "test")
TEXTS = {
    "states": {"en": "The keeper shall lock the door every evening."},
    "negates": {"en": "A keeper who leaves without locking the door pays a fine."},
    "other": {"en": "The door is not painted red."},
    "french": {"fr": "Le gardien qui part sans fermer la porte paie une amende."},
}


def text_of(uid: str, lang: str) -> str | None:
    return TEXTS.get(uid, {}).get(lang)


@pytest.fixture
def negation() -> Negation:
    return Negation(CUES, OPENING)


def test_words_after_a_cue_and_between_ne_and_it_are_negated(negation: Negation) -> None:
    assert negation.scope("What if the keeper does not lock the door?", "en") >= {"lock", "door"}
    assert "keeper" not in negation.scope("What if the keeper does not lock the door?", "en")
    # the contraction is read as the word; the verb in front of it is not negated
    assert "lock" in negation.scope("What if he doesn't lock it?", "en")
    # French: the verb stands between "ne" and "pas"
    assert "ferm" in negation.scope("Le gardien ne ferme pas la porte", "fr")
    assert "ferm" in negation.scope("il n’a jamais fermé la porte", "fr")
    assert "ferm" in negation.scope("partir sans fermer", "fr")
    assert "gardien" not in negation.scope("Le gardien ne ferme pas la porte", "fr")


def test_a_question_typed_as_spoken_negates_the_verb_before_a_cue_without_ne(
        negation: Negation) -> None:
    """Informal French drops "ne" ("le gardien ferme pas la porte"): in a question the verb
    just before the cue is negated; written text keeps "ne", and a word before a cue is
    read only where the language opens negations (not in English) and none opens this one."""
    spoken = "et si le gardien ferme pas la porte ?"
    assert "ferm" not in negation.scope(spoken, "fr")
    assert negation.scope(spoken, "fr", spoken=True) >= {"ferm", "port"}
    assert "gardien" not in negation.scope("le gardien ne ferme pas", "fr", spoken=True)
    assert "keeper" not in negation.scope("the keeper not locking", "en", spoken=True)
    ranked = [("other", 1.5), ("french", 1.4)]
    favoured = negation.favour(ranked, "et si le gardien ferme pas ?", "fr", text_of, 0.2)
    assert [uid for uid, _ in favoured] == ["french", "other"]


def test_nothing_is_negated_without_a_cue_or_cues(negation: Negation) -> None:
    assert negation.scope("The keeper locks the door.", "en") == frozenset()
    assert negation.scope("The keeper does not lock it.", "de") == frozenset()
    assert not Negation(Phrases())
    assert Negation(Phrases()).scope("not this", "en") == frozenset()


def test_the_passage_negating_the_same_word_moves_ahead(negation: Negation) -> None:
    ranked = [("states", 1.5), ("other", 1.45), ("negates", 1.4)]
    favoured = negation.favour(ranked, "What if the keeper does not lock the door?", "en",
                               text_of, 0.2)
    assert [uid for uid, _ in favoured] == ["negates", "states", "other"]
    assert dict(favoured)["negates"] == pytest.approx(1.6)
    # "other" negates "painted", not a word the question negates: unchanged
    assert dict(favoured)["other"] == 1.45


def test_a_question_without_negation_or_a_zero_weight_changes_nothing(
        negation: Negation) -> None:
    ranked = [("states", 1.5), ("negates", 1.4)]
    assert negation.favour(ranked, "When is the door locked?", "en", text_of, 0.2) == ranked
    assert negation.favour(ranked, "What if he does not lock it?", "en", text_of, 0.0) == ranked
    with pytest.raises(ValueError, match="weight"):
        negation.favour(ranked, "not locked", "en", text_of, -0.1)


def test_only_texts_in_the_question_language_and_the_first_units_count(
        negation: Negation) -> None:
    # the French passage has no English text: an English question leaves it alone
    ranked = [("states", 1.5), ("french", 1.4)]
    assert negation.favour(ranked, "What if the keeper does not lock it?", "en", text_of,
                           0.2) == ranked
    fr = negation.favour(ranked, "Et si le gardien ne ferme pas la porte ?", "fr", text_of, 0.2)
    assert fr[0][0] == "french"
    # units past the first POOL are not read
    far = [(f"u{i}", 2.0 - i / 100) for i in range(POOL)] + [("negates", 0.5)]
    assert negation.favour(far, "does not lock", "en", text_of, 0.2)[-1] == ("negates", 0.5)


def test_a_question_negating_the_offer_gets_the_provision_on_not_offering(real_bot) -> None:  # type: ignore[no-untyped-def]
    """Not in any question set: before negation agreement, the alinéa obliging the employer
    to make the offer came first."""
    answer = real_bot.ask("mon employeur m'a pas proposé la CRP, il risque quoi ?", k=3)
    assert answer.answered and answer.results[0].id == "L321-4-2.II.1"


def test_the_other_units_keep_their_order(negation: Negation) -> None:
    """Only agreeing units move: the rest stay as fusion ordered them (law first, sections
    grouped), even where their scores are not in order."""
    ranked = [("other", 1.2), ("states", 1.5), ("x", 1.3), ("negates", 1.25)]
    favoured = negation.favour(ranked, "What if the keeper does not lock the door?", "en",
                               text_of, 0.2)
    assert favoured == [("negates", pytest.approx(1.45)), ("other", 1.2), ("states", 1.5),
                        ("x", 1.3)]
    # a question negating a word no unit negates leaves the ranking as it was
    assert negation.favour(ranked, "What if the keeper does not sing?", "en", text_of,
                           0.2) == ranked


def test_the_profile_reads_a_missing_thing_as_the_law_writes_it_as_negated() -> None:
    """"À défaut d'accord" / "In the absence of an agreement" and "fails to pay" say that the
    agreement or the payment is missing, as "no agreement" and "does not pay" do."""
    from corpus.profile import load_profile
    from indexer.lexical import tokenize
    from tests.conftest import SOURCES

    profile = load_profile(SOURCES)
    negation = Negation(profile.negation, profile.negation_opening)
    for text, lang, word in (
            ("A défaut d'accord ou d'agrément de cet accord, les mesures sont fixées.", "fr",
             "accord"),
            ("In the absence of an agreement, the measures are laid down by decree.", "en",
             "agreement"),
            ("An employer who fails to pay the wages is liable.", "en", "pay"),
            ("what if my employer never signs the agreement?", "en", "agreement"),
            ("my employer forgot to offer me the agreement", "en", "offer"),
            ("si mon employeur a oublié de me proposer la convention", "fr", "proposer")):
        assert set(tokenize(word, lang)) <= negation.scope(text, lang), text


def test_a_question_on_an_employer_failing_to_offer_gets_the_provision_on_not_offering(real_bot) -> None:  # type: ignore[no-untyped-def]
    """Not in any question set: "fails to offer" and "forgot to offer" were no negation, and
    the alinéa obliging the employer to make the offer came first."""
    for question in ("what if my employer fails to offer the CRP?",
                     "et si mon employeur a oublié de me proposer la CRP ?",
                     "my employer forgot to offer me the redeployment agreement, what now?"):
        answer = real_bot.ask(question, k=3)
        assert answer.answered and answer.results[0].id == "L321-4-2.II.1", question
