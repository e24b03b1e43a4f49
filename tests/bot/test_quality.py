"""Retrieval quality where nothing was tuned: the held-out half of real_dev, and the scope
model's out-of-fold figures (real model, real index). The gold set and the tuning half were
used to write the profile and fit the scope model, so no floor is asserted on them here;
`bilex eval` prints their figures.
"""

from __future__ import annotations

import json

import pytest

from bot.calibration import Sample, calibrate
from bot.errors import QuestionError
from bot.evaluation import evaluate, read_questions
from bot.scope import ScopeModel
from tests.bot.conftest import BSARD
from tests.conftest import ROOT

HELD_OUT = ROOT / "tests" / "bot" / "data" / "real_dev_heldout.jsonl"
# Floors under what builds have measured on the held-out half (24 in scope, 10 out of scope;
# hit@1 0.29 -> 0.38, hit@3 0.79 -> 0.83, 0 in-scope refused, 5/10 then 4/10 out of scope
# refused, the latter once French near-domain negatives joined the calibration inputs; the
# latest gain partly comes from a gold passage the cleaning had dropped, found through this
# half, so the floors were not raised). They are far below the issue's targets (0.65 / 0.85 /
# <= 1 in 20 / >= 80 %): see the README.
HIT1_FLOOR = 0.2
HIT3_FLOOR = 0.7
REFUSED_CEILING = 0.05
OOS_FLOOR = 0.4
TUNING = ROOT / "tests" / "bot" / "data" / "real_dev_tuning.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def held_out(real_bot):  # type: ignore[no-untyped-def]
    return evaluate(real_bot, read_questions(HELD_OUT)).outcomes


def test_held_out_real_phrasing(held_out) -> None:  # type: ignore[no-untyped-def]
    scoped = [o for o in held_out if o.question.gold_any]
    assert len(scoped) >= 20
    hit1 = sum(o.rank == 1 for o in scoped) / len(scoped)
    hit3 = sum(o.rank is not None and o.rank <= 3 for o in scoped) / len(scoped)
    refused = sum(not o.answered for o in scoped) / len(scoped)
    assert hit3 >= HIT3_FLOOR and hit1 >= HIT1_FLOOR and refused <= REFUSED_CEILING


def test_held_out_out_of_scope_refused(held_out) -> None:  # type: ignore[no-untyped-def]
    negatives = [o for o in held_out if not o.question.gold_any]
    assert len(negatives) >= 8
    assert sum(not o.answered for o in negatives) / len(negatives) >= OOS_FLOOR


MORE_HELD_OUT = ROOT / "tests" / "bot" / "data" / "real_more_heldout.jsonl"


def test_held_out_posts_across_languages_find_their_passage(real_bot) -> None:  # type: ignore[no-untyped-def]
    """The held-out half of real_more (13 in scope, many answered only by a source in the
    other language): hit@3 12/13 and none refused when it was split; floors below that."""
    scoped = [o for o in evaluate(real_bot, read_questions(MORE_HELD_OUT)).outcomes
              if o.question.gold_any]
    assert len(scoped) >= 12
    assert sum(o.rank is not None and o.rank <= 3 for o in scoped) / len(scoped) >= 0.75
    assert sum(not o.answered for o in scoped) <= 1


POSTS_HELD_OUT = ROOT / "tests" / "bot" / "data" / "posts_heldout.jsonl"


def test_held_out_posts_naming_the_subject_find_their_passage(real_bot) -> None:  # type: ignore[no-untyped-def]
    """The held-out half of posts.jsonl (10 in scope, 10 negatives that name the sources'
    subject and ask what they do not cover), written after the scope model was fitted and
    split before anything was tuned on it: hit@3 9/10, none refused, 3 of 10 negatives
    refused when it was split; floors below that (the negatives are reported, not floored:
    they are the open part of issue 11)."""
    outcomes = evaluate(real_bot, read_questions(POSTS_HELD_OUT)).outcomes
    scoped = [o for o in outcomes if o.question.gold_any]
    assert len(scoped) == 10 and len(outcomes) == 20
    assert sum(o.rank is not None and o.rank <= 3 for o in scoped) >= 8
    assert sum(not o.answered for o in scoped) <= 1


def test_scope_out_of_fold_figures(scope_model) -> None:  # type: ignore[no-untyped-def]
    figures = scope_model.provenance["out_of_fold"]
    assert figures["all"]["in_scope_answered"] >= 0.93
    # questions naming no subject word (0.80 before the French near-domain negatives joined the
    # inputs, 0.796 after: the mean of 10 partitions moved by a tenth of a question)
    assert figures["plain"]["in_scope_answered"] >= 0.79
    assert figures["en_negatives"]["out_of_scope_refused"] >= 0.8
    assert figures["fr_negatives"]["out_of_scope_refused"] >= 0.8
    if BSARD.is_file():
        assert figures[BSARD.stem]["out_of_scope_refused"] >= 0.97


def test_calibration_does_not_depend_on_the_model_loaded(real_bot) -> None:  # type: ignore[no-untyped-def]
    """Long posts keep their most confident reading's evidence, which a scope model judges:
    a refit must give the same model whether the bot held the fitted model or the prior."""
    samples = [Sample(r.q, r.lang, bool(r.gold_any), "tuning") for r in read_questions(TUNING)]
    assert sum(bool(real_bot.read(s.q, s.lang or "fr").parts) for s in samples) >= 10
    loaded = real_bot.scope
    fitted = calibrate(real_bot, samples, {}, {}, folds=3)
    assert real_bot.scope is loaded
    real_bot.scope = ScopeModel()
    try:
        again = calibrate(real_bot, samples, {}, {}, folds=3)
    finally:
        real_bot.scope = loaded
    assert again.weights == fitted.weights and again.threshold == fitted.threshold
    assert again.provenance["out_of_fold"] == fitted.provenance["out_of_fold"]


def test_greetings_are_answered_as_such(real_bot) -> None:  # type: ignore[no-untyped-def]
    profile = real_bot.profile
    for text, lang, reply in (("bonjour", "fr", profile.greeting_reply),
                              ("Merci beaucoup !", "fr", profile.thanks_reply),
                              ("thanks", "en", profile.thanks_reply),
                              ("Hello", "en", profile.greeting_reply)):
        answer = real_bot.ask(text, lang if text == "Hello" else None)
        assert not answer.answered and answer.extra.get("greeting") and answer.language == lang
        assert answer.message == reply[lang], text
        assert answer.extra["thanks"] is (reply is profile.thanks_reply)


def test_small_talk_gets_its_own_reply_and_a_question_with_it_is_answered(real_bot) -> None:  # type: ignore[no-untyped-def]
    """A farewell was answered "Bonjour !", and "ok", "cool merci", "hi there", "aide" or
    "What can you do?" with the refusal (or, for "help", with the article); "pourquoi ?" and
    "Can you rephrase that?" with the refusal, saying the sources do not cover the question."""
    profile = real_bot.profile
    for text, lang, kind, reply in (("Au revoir", "fr", "farewell", profile.farewell_reply),
                                    ("cool merci", "fr", "thanks", profile.thanks_reply),
                                    ("ok", "fr", "acknowledgement", profile.acknowledgement_reply),
                                    ("hi there", "en", "greeting", profile.greeting_reply),
                                    ("aide", "fr", "help", profile.help_reply),
                                    ("Qu'est-ce que tu sais faire ?", "fr", "help",
                                     profile.help_reply),
                                    ("What can you do?", "en", "help", profile.help_reply),
                                    ("pourquoi ?", "fr", "clarification",
                                     profile.clarification_reply),
                                    ("Can you rephrase that?", "en", "clarification",
                                     profile.clarification_reply)):
        answer = real_bot.ask(text)
        assert not answer.answered and not answer.results, text
        assert answer.language == lang and answer.extra["small_talk"] == kind, text
        assert answer.message == reply[lang] and answer.extra["greeting"], text
    answer = real_bot.ask("ok, et qui finance la convention de reclassement personnalisé ?")
    assert answer.answered and answer.results and "small_talk" not in answer.extra


def test_an_emoji_alone_after_an_answer_is_small_talk(real_bot) -> None:  # type: ignore[no-untyped-def]
    """A thumbs-up or folded hands sent after an answer had been refused as "not text" (a
    422 in the chat); an emoji the profile does not list still is, and one beside a question
    leaves the question answered."""
    for text, kind in (("👍", "acknowledgement"), ("👍🏽", "acknowledgement"),
                       ("ok 👌", "acknowledgement"), ("🙏", "thanks"), ("merci 🙏", "thanks")):
        answer = real_bot.ask(text)
        assert not answer.answered and answer.extra.get("small_talk") == kind, text
    with pytest.raises(QuestionError, match="does not look like text"):
        real_bot.ask("🏠")
    answer = real_bot.ask("👍 et qui finance la convention de reclassement personnalisé ?")
    assert answer.answered and answer.results and "small_talk" not in answer.extra


def test_chat_thanks_and_acknowledgements_are_small_talk_and_a_negated_one_is_a_question(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"merci bcp", "thank u", "tks" and "thanks, that's helpful" had been refused as questions
    the sources do not cover, "merci c'est très clair" answered with passages; "et s'il n'y a
    pas d'accord ?" after a question had been taken for the acknowledgement "d'accord"."""
    for text, kind in (("merci bcp", "thanks"), ("thank u", "thanks"), ("tks", "thanks"),
                       ("thanks, that's helpful", "thanks"), ("merci c'est très clair", "thanks"),
                       ("super, c'est clair", "acknowledgement"),
                       ("that makes sense", "acknowledgement"),
                       ("j'ai pas tout compris", "help"), ("I don't get it", "help"),
                       # "non" had been answered with two alinéas saying "non soumises"; the
                       # others refused as questions the sources do not cover
                       ("non", "acknowledgement"), ("yes", "acknowledgement"),
                       ("ah bon ?", "acknowledgement"),
                       ("ce n'est pas ce que je demandais", "clarification"),
                       ("you didn't answer my question", "clarification"),
                       ("wrong answer", "clarification"),
                       # asked what Bilex is, uses or speaks: refused, or ("tu te bases sur
                       # quoi ?") answered with passages
                       ("are you a bot?", "help"), ("tu te bases sur quoi ?", "help"),
                       ("what sources do you use?", "help"), ("tu parles anglais ?", "help"),
                       # "pas clair" and "I still don't understand" had been answered with
                       # passages; the others refused
                       ("pas clair", "clarification"), ("not helpful", "clarification"),
                       ("I still don't understand", "help"), ("merci quand même", "thanks"),
                       ("thanks anyway", "thanks"), ("bonne nuit", "farewell")):
        answer = real_bot.ask(text)
        assert not answer.answered and answer.extra.get("small_talk") == kind, text
    assert real_bot.ask("non, je parlais de la convention de reclassement").answered
    # "c'est tout ?" after an answer shows the passages that come next
    earlier = "Qui finance la convention de reclassement personnalisé ?"
    shown = [r.id for r in real_bot.ask(earlier, "fr", 3).results]
    more = real_bot.ask("c'est tout ?", "fr", 3, history=[{"question": earlier, "ids": shown}])
    assert more.results and not {r.id for r in more.results} & set(shown)
    earlier = "Qui définit les modalités de la convention de reclassement ?"
    ids = [r.id for r in real_bot.ask(earlier, "fr").results]
    answer = real_bot.ask("et s'il n'y a pas d'accord ?", "fr",
                          history=[{"question": earlier, "ids": ids}])
    assert answer.answered and "small_talk" not in answer.extra
    assert "A défaut d’accord" in (answer.results[0].fr or {}).get("text", "")


def test_in_english_after_a_question_answers_it_again_in_english(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"en anglais ?" after a question had been asked as a question of its own (answered in
    French with other passages)."""
    asked = "Qui finance la convention de reclassement personnalisé ?"
    first = real_bot.ask(asked)
    history = [{"question": asked, "ids": [r.id for r in first.results]}]
    for text in ("en anglais ?", "In English please", "merci, et en anglais svp"):
        again = real_bot.ask(text, None, history=history)
        assert again.answered and again.language == "en", text
        assert [r.id for r in again.results] == [r.id for r in first.results], text
        assert again.extra["language_request"] == {"language": "en", "question": asked}
        assert again.question == text  # what was asked, as for any answer
    back = real_bot.ask("in French", "en", history=[
        {"question": "Who pays for outplacement?", "ids": []}])
    assert back.language == "fr" and back.answered
    alone = real_bot.ask("in English please")  # nothing asked before: what Bilex answers
    assert not alone.answered and alone.language == "en"
    assert alone.message == real_bot.profile.help_reply["en"]


def test_tell_me_more_shows_the_passages_that_come_next(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"plus de détails ?" after a question had been asked as a question of its own."""
    asked = "Qui finance la convention de reclassement personnalisé ?"
    page = [r.id for r in real_bot.ask(asked, None, 9).results]
    history = [{"question": asked, "ids": page[:3]}]
    more = real_bot.ask("plus de détails ?", None, 3, history=history)
    assert more.answered and [r.id for r in more.results] == page[3:6]
    assert more.extra["more"] == {"question": asked, "shown": 3}
    again = real_bot.ask("encore", None, 3, history=[
        *history, {"question": "plus de détails ?", "ids": page[3:6]}])
    assert [r.id for r in again.results] == page[6:9]
    # a follow-up after it borrows the subject asked about, not "plus de détails"
    followup = real_bot.ask("et l'État ?", None, 3, history=[
        *history, {"question": "plus de détails ?", "ids": page[3:6]}])
    assert "finance" in followup.extra["followup"]["query"]
    assert "détails" not in followup.extra["followup"]["query"]
    english = real_bot.ask("tell me more", None, 3, history=history)
    assert english.language == "en" and [r.id for r in english.results] == page[3:6]
    everything = [r.id for r in real_bot.ask(asked, None, real_bot.max_k).results]
    none = real_bot.ask("autre chose ?", None, 3, history=[{"question": asked, "ids": everything}])
    assert not none.answered and not none.results
    assert none.message == real_bot.profile.more_none["fr"]


def test_a_lead_in_does_not_change_the_answer(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"Hey, quick question: who pays for outplacement?" led with the two kinds of
    outplacement instead of who pays."""
    plain = [r.id for r in real_bot.ask("who pays for outplacement?").results]
    for text in ("Hey, quick question: who pays for outplacement?",
                 "I was wondering, who pays for outplacement? thanks in advance"):
        assert [r.id for r in real_bot.ask(text).results][:1] == plain[:1], text


def test_a_term_alone_or_asked_about_leads_with_the_passage_defining_it(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"CRP ???" and "bonjour, j'ai une question sur la CRP" led with the State's share of
    the funding (I, al. 8); "c'est quoi la CRP ?" leads with the alinéa that introduces it."""
    defining = real_bot.ask("c'est quoi la CRP ?").results[0].id
    for text in ("CRP ???", "la CRP ?", "bonjour, j'ai une question sur la CRP",
                 "parle-moi de la CRP", "Tell me about the CRP"):
        answer = real_bot.ask(text)
        assert answer.answered and answer.results[0].id == defining, text
    # a word the profile does not explain is not taken for a term asked about, nor is a word
    # alone that follows earlier turns ("and the CRP?")
    assert real_bot.read("licenciement ?", "fr").definition == ()
    assert real_bot.read("CRP ?", "fr").definition == ("crp",)
    assert real_bot.read("CRP ?", "fr", followup=True).definition == ()
    answer = real_bot.ask("Article 5")
    assert not answer.answered


def test_what_a_term_holds_leads_with_the_passage_saying_it_not_the_one_introducing_it(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"What is the status of the employee during the CRP?" was read as "what is the CRP" and
    led with the alinéa introducing it (I, al. 1); the status is I, al. 3's."""
    for text in ("What is the status of the employee during the CRP?",
                 "c'est quoi le statut du salarié pendant la CRP ?"):
        answer = real_bot.ask(text)
        assert answer.answered and answer.results[0].id == "L321-4-2.I.3", text
    assert real_bot.ask("What is the CRP exactly?").results[0].id == "L321-4-2.I.1"


def test_a_lead_in_word_or_formatting_marks_do_not_change_the_answer(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"Question : ..." and "**Question** : ... *convention* ?" were refused as questions the
    sources do not cover, while the question alone is answered."""
    for asked in ("combien de temps dure la convention ?", "combien de temps dure la CRP ?"):
        plain = real_bot.ask(asked)
        for text in (f"Question : {asked}", f"Ma question : {asked}",
                     "**Question** : " + asked.replace("la ", "la *").replace(" ?", "* ?")):
            answer = real_bot.ask(text)
            assert answer.answered == plain.answered, text
            assert [r.id for r in answer.results] == [r.id for r in plain.results], text
    assert real_bot.ask("combien de temps dure la CRP ?").answered


def test_the_gaps_line_does_not_name_a_word_the_sources_word_otherwise(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"quelle différence entre la CRP et le CSP ?" was told the sources say nothing of "CRP",
    which they word "convention de reclassement personnalisé" (the profile's term)."""
    answer = real_bot.ask("quelle différence entre la CRP et le CSP ?")
    gaps = answer.extra.get("gaps")
    assert answer.answered and gaps is not None
    assert "CSP" in gaps["words"] and "CRP" not in gaps["words"]


def test_a_question_typed_without_its_question_mark_is_answered_as_with_it(real_bot) -> None:  # type: ignore[no-untyped-def]
    """People in a chat leave the question mark out; these three had led with another
    passage without it (the model reads "?" as asking)."""
    for asked in ("What is my status while I follow the programme?",
                  "What happens to my employment contract if I accept the offer?",
                  "c quoi la CRP, ça donne droit à quel accompagnement après la fin du contrat ?"):
        marked = [r.id for r in real_bot.ask(asked).results]
        bare = [r.id for r in real_bot.ask(asked.rstrip(" ?")).results]
        assert bare[:1] == marked[:1], asked


def test_who_pays_finds_the_passages_on_financing(real_bot) -> None:  # type: ignore[no-untyped-def]
    """The sources say "financement" / "financed" where people say "qui paie" / "paid for":
    the first led with the trainee-status alinéa, the second had no financing passage in
    its first three."""
    first = real_bot.ask("Qui paie les formations pendant le dispositif de reclassement ?")
    assert first.results[0].id in {"L321-4-2.I.2", "L321-4-2.I.6", "L321-4-2.I.8"}
    shown = [r.id for r in real_bot.ask(
        "Is this service paid for by the company that lets me go?").results[:3]]
    assert any(uid.endswith(".p1") and uid.startswith("000_") for uid in shown), shown


def test_the_gaps_line_does_not_call_a_reference_or_grammar_missing(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"L321-4-2 I alinéa 1" was told that the sources say nothing of "L321-4-2", and "Combien
    de temps ai-je pour répondre à la proposition ?" that they say nothing of "ai-je"."""
    for question in ("L321-4-2 I alinéa 1", "art. L 321-4-2, I, al. 2"):
        answer = real_bot.ask(question)
        assert answer.answered and answer.extra.get("gaps") is None, question
    gaps = real_bot.ask("Combien de temps ai-je pour répondre à la proposition ?").extra["gaps"]
    assert gaps is None or "ai-je" not in gaps["words"]


def test_the_outplaceur_is_the_outplacement_consultant(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"outplaceur" is what people call the consultant the sources describe; the word is
    in no source, and the question was refused (a failure the issue quoted)."""
    for question in ("c'est quoi un outplaceur ?",
                     "L'outplaceur, c'est quelqu'un qui va me trouver du boulot à ma place ?"):
        answer = real_bot.ask(question)
        assert answer.answered, question
        first = answer.results[0]
        text = (first.fr or {}).get("text", "") + (first.en or {}).get("text", "")
        assert "consultant" in text, (question, first.id)


def test_the_gaps_line_does_not_name_the_place_the_passages_shown_are_about(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"combien de temps dure un outplacement en Belgique ?", answered from the Belgian
    source, was told that the sources say nothing of "Belgique": that source's manifest gives
    its jurisdiction, its text need not name it."""
    answer = real_bot.ask("combien de temps dure un outplacement en Belgique ?")
    assert answer.answered and answer.results[0].extra["jurisdiction"] == "Belgium"
    gaps = answer.extra.get("gaps") or {"words": []}
    assert "Belgique" not in gaps["words"]


def test_what_is_asked_of_a_term_is_not_asked_what_the_term_is(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"What is the deadline to reply to the CRP offer?" led with the alinéa introducing the
    CRP (I, al. 1), as if it asked what the CRP is; the deadline is in I, al. 5. A term asked
    alone, or with words a passage holds beside it, still leads with that passage."""
    for text, first in (("What is the deadline to reply to the CRP offer?", "L321-4-2.I.5"),
                        ("c'est quoi le délai pour répondre à la crp ?", "L321-4-2.I.5"),
                        ("what's the status of the employee during the CRP?", "L321-4-2.I.3"),
                        ("c'est quoi exactement la crp ?", "L321-4-2.I.1"),
                        ("What is the CRP?", "L321-4-2.I.1")):
        answer = real_bot.ask(text)
        assert answer.answered and answer.results[0].id == first, text


def test_managers_asked_in_english_reach_the_passage_on_cadres(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"is it only for managers?" after "What is outplacement?" led with I, al. 6: English
    stemming joins "managers" and "managing" (its "managing body"), and nothing read
    "managers" as the "cadres" of 001 p1 (the profile read "executives" so already)."""
    earlier = "What is outplacement?"
    ids = [r.id for r in real_bot.ask(earlier, "en").results]
    answer = real_bot.ask("is it only for managers?", "en", history=[{"question": earlier, "ids": ids}])
    assert answer.answered and answer.results[0].id.startswith("001_")
    assert "cadres" in (answer.results[0].fr or {}).get("text", "")


def test_a_translators_question_leads_with_the_aligned_passage_holding_the_term(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"traduction de délai-congé en anglais" was refused; "comment dit-on redeployment
    agreement en français ?" led with I, al. 5. A term's rendering is in the aligned alinéa
    that introduces it."""
    for text, first in (("traduction de délai-congé en anglais", "L321-4-2.I.4"),
                        ("comment dit-on redeployment agreement en français ?", "L321-4-2.I.1"),
                        ("What's the 'convention de reclassement personnalisé' in English?",
                         "L321-4-2.I.1"),
                        # led with I, al. 8 before "équivalent anglais de" was a cue
                        ("Quel est l'équivalent anglais de convention de reclassement "
                         "personnalisé ?", "L321-4-2.I.1")):
        answer = real_bot.ask(text)
        assert answer.answered and answer.results[0].id == first, text


def test_a_dismissal_for_economic_reasons_in_the_sources_own_words_is_answered(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"je viens d'être licencié pour motif économique, j'ai droit à quoi ?" was refused while
    "licenciement éco" was read as the subject: the profile's entry held the lay short forms,
    not the sources' own "motif économique", so the scope model saw no subject of the sources."""
    for question in ("je viens d'être licencié pour motif économique, j'ai droit à quoi ?",
                     "je suis licencié économique dans une boite de 50 personnes, on me "
                     "propose quoi ?"):
        answer = real_bot.ask(question)
        assert answer.answered and answer.results[0].id == "L321-4-2.I.1", question


def test_who_is_asks_what_a_term_covers(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"who is" / "qui est" ask what a term covers as "what is" does (over an act, "who is a
    director?" had led with a provision on directors, not the act's definition of one): "who
    is entitled to the CRP?" led with I, al. 5 (the agreement that sets its terms), not with
    the alinéa saying whom it is offered to."""
    answer = real_bot.ask("who is entitled to the CRP?")
    assert answer.answered and answer.results[0].id == "L321-4-2.I.1"


def test_thanks_for_the_reply_are_thanks(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"merci beaucoup pour la réponse" was answered with the alinéa on reply times, "thanks a
    lot for the reply!" and "super merci pour les explications" refused: the profile had
    "merci pour la réponse" and "merci beaucoup", not both at once."""
    for text in ("merci beaucoup pour la réponse", "thanks a lot for the reply!",
                 "merci bcp pour les infos, bonne soirée", "super merci pour les explications"):
        answer = real_bot.ask(text)
        assert answer.extra.get("greeting") and not answer.results, text


def test_a_typo_that_keeps_the_stem_is_corrected(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"l'outplacment en belgique ça dure combien de temps" was refused ("outplacement" asked
    the same way was answered): the typo stems as the word does, so it was left as typed, and
    the profile's terms did not read it as the sources' subject."""
    for typed, meant in (("outplacment", "outplacement"), ("outplacemnt", "outplacement")):
        question = f"l'{typed} en belgique ça dure combien de temps"
        answer = real_bot.ask(question)
        assert answer.answered, question
        assert [typed, meant] in [list(c) for c in answer.extra["reading"]["corrections"]]
        assert answer.results[0].id == real_bot.ask(question.replace(typed, meant)).results[0].id


def test_a_follow_up_borrows_the_earlier_question_as_read_not_its_typos(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"et ça commence quand ?" after "l'outplacment en belgique ça dure combien de temps"
    borrowed the typo with the earlier words, read no subject of the sources and was refused
    (after the same question spelt right it was answered)."""
    first = "l'outplacment en belgique ça dure combien de temps"
    shown = [r.id for r in real_bot.ask(first).results]
    history = [{"question": first, "ids": shown}]
    answer = real_bot.ask("et ça commence quand ?", history=history)
    assert answer.answered
    assert "outplacement" in answer.extra["followup"]["query"]
    spelt = [{"question": first.replace("outplacment", "outplacement"), "ids": shown}]
    assert answer.results[0].id == real_bot.ask("et ça commence quand ?",
                                                history=spelt).results[0].id


def test_the_highlight_shows_the_sentence_that_answers(real_bot) -> None:  # type: ignore[no-untyped-def]
    """The passage answering "What is outplacement?" never writes the word, so no sentence
    was highlighted; the sentence e5 reads as nearest the question now counts beside the
    words."""
    first = real_bot.ask("What is outplacement?").results[0]
    start, end = first.extra["highlight"]["en"]
    assert first.en["text"][start:end].startswith("It is a benefit financed by your employer")


def test_held_out_highlights_show_the_answering_sentence(real_bot) -> None:  # type: ignore[no-untyped-def]
    """On the held-out halves (nothing was chosen on them), the highlighted sentence of the
    first result holding a gold snippet overlaps it for 27 of 32 questions (28 with words
    alone); the floor is below that."""
    shown = found = 0
    for path in (HELD_OUT, MORE_HELD_OUT):
        for question in read_questions(path):
            for result in real_bot.ask(question.q).results:
                hits = [(lang, side["text"].find(g), len(g))
                        for lang, side in (("fr", result.fr), ("en", result.en)) if side
                        for g in question.gold_any if g in side["text"]]
                if hits:
                    found += 1
                    spans = result.extra["highlight"]
                    shown += any(spans.get(lang) and spans[lang][0] < at + n and at < spans[lang][1]
                                 for lang, at, n in hits)
                    break
    assert found >= 25 and shown / found >= 0.75


def test_a_negated_offer_leads_with_the_passage_on_not_offering(real_bot) -> None:  # type: ignore[no-untyped-def]
    """The profile's example "What happens if the employer does not offer the agreement?"
    led with I, al. 4 (the employee agreeing), which e5 and BM25 both preferred; the passage
    negating the offer (II) moved up 0.2 and stayed third."""
    for question in ("What happens if the employer does not offer the agreement?",
                     "Que se passe-t-il si l'employeur ne propose pas la convention ?"):
        assert real_bot.ask(question).results[0].id == "L321-4-2.II.1", question


def test_a_negation_typed_without_ne_negates_the_verb_before_it(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"et si mon patron me propose pas la CRP ?" (spoken French drops "ne") negated only
    "CRP", not the offer, and led with I, al. 1."""
    answer = real_bot.ask("et si mon patron me propose pas la CRP ?")
    assert answer.results[0].id == "L321-4-2.II.1"


def test_small_talk_in_a_conversation_is_answered_in_the_conversations_language(real_bot) -> None:  # type: ignore[no-untyped-def]
    """"merci" after a question asked in English had the French reply."""
    profile = real_bot.profile
    english = [{"question": "Who pays for the personalised redeployment agreement?", "ids": []}]
    french = [{"question": "Qui finance la convention de reclassement personnalisé ?", "ids": []}]
    for text, history, lang, reply in (("merci", english, "en", profile.thanks_reply),
                                       ("thanks", french, "fr", profile.thanks_reply),
                                       ("👍", english, "en", profile.acknowledgement_reply)):
        answer = real_bot.ask(text, history=history)
        assert not answer.answered and answer.language == lang, text
        assert answer.message == reply[lang], text
        assert answer.extra["detected"]["method"] == "conversation"
    # alone, or with the language asked for, the message's own language still decides
    assert real_bot.ask("merci").language == "fr"
    assert real_bot.ask("merci", "fr", history=english).language == "fr"


def test_a_near_refusal_shows_the_closest_passages_and_a_far_one_none(real_bot) -> None:  # type: ignore[no-untyped-def]
    """A question the sources answer but that names none of their subjects was refused with
    nothing to read (p 0.35 against the threshold 0.57): refused by little, it now shows the
    closest passages, said to perhaps not answer it. A question far from the sources still
    gets the plain refusal and no passage."""
    near = real_bot.ask("Does the provider attend works council meetings?", None, 5)
    assert not near.answered and near.extra.get("uncertain") is True
    assert near.message.startswith("Bilex is not sure its sources cover this question")
    assert any("conseil d’entreprise" in (r.fr or {}).get("text", "") for r in near.results)
    far = real_bot.ask("Quel est le salaire minimum en France ?", None, 5)
    assert not far.answered and far.results == () and "uncertain" not in far.extra
    assert far.message.startswith("Les sources de Bilex ne couvrent pas cette question")


def test_the_closest_passages_of_a_near_refusal_are_never_a_hit(real_bot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`bilex eval` scores answers: a passage a refusal shows as the closest is not one."""
    path = tmp_path / "near.jsonl"
    path.write_text(json.dumps({"q": "Does the provider attend works council meetings?",
                                "lang": "en", "gold_any": ["conseil d’entreprise"]}) + "\n",
                    encoding="utf-8")
    report = evaluate(real_bot, read_questions(path), k=5)
    outcome = report.outcomes[0]
    assert not outcome.answered and outcome.near and outcome.rank is None
    figures = report.figures()["en"]
    assert figures["hit@3"] == 0.0 and figures["in_scope_near"] == 1
