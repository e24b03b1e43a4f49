"""Small talk, short spellings, typos, definition questions and long posts (synthetic data)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import phrasing
from bot.dictionary import Dictionary
from bot.phrasing import Phrasing, without_marks
from corpus.profile import Phrases

VOCAB = Counter({"outplacement": 5, "reclassement": 4, "convention": 6, "licenciement": 3,
                 "employeur": 8, "formation": 7})
PHRASING = Phrasing(
    VOCAB,
    greetings=Phrases({"fr": ("bonjour",), "en": ("hello",)}, "test"),
    thanks=Phrases({"fr": ("merci",), "en": ("thanks",)}, "test"),
    definition=Phrases({"fr": ("c'est quoi", "c quoi", "qu'est-ce qu'"), "en": ("what is",)},
                       "test"),
    spelling={"fr": {"koi": "quoi", "c": "c'est"}},
)


def test_typos_are_corrected_against_the_corpus_vocabulary() -> None:
    assert PHRASING.correct_word("outplacment") == "outplacement"
    assert PHRASING.correct_word("reclasement") == "reclassement"
    assert PHRASING.correct_word("employeur") is None  # known
    assert PHRASING.correct_word("boulot") is None  # nothing close
    assert PHRASING.correct_word("pour") is None  # short or a stop word
    text, fixes = PHRASING.normalise("l'outplacment c koi ?", "fr")
    assert text == "l'outplacement c'est quoi ?"
    assert ("outplacment", "outplacement") in fixes
    assert PHRASING.normalise("c'est quoi ?", "fr") == ("c'est quoi ?", ())  # elided, kept
    # a provision's label is not a short spelling: "(c)", "c)"
    for cited in ("s. 69(1)(c)(ii)", "art. 69(1)c)", "(c) de l'article 69"):
        assert PHRASING.normalise(cited, "fr") == (cited, ()), cited
    # nor is the letter of an act's code: "art. 122 C-44" had become "art. 122 c'est-44" and
    # led with another act's s. 122
    for cited in ("art. 122 C-44", "la loi c-44", "C.12 de la loi"):
        assert PHRASING.normalise(cited, "fr") == (cited, ()), cited
    assert PHRASING.normalise("c koi la C-44 ?", "fr")[0] == "c'est quoi la C-44 ?"


def test_two_letters_swapped_are_one_typo_and_point_to_the_word_with_those_letters() -> None:
    vocab = Counter({"contrat": 2, "contact": 5, "widget": 3, "rupture": 4})
    phrasing = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={})
    # a swap in a short word is one edit, as typing makes it (Levenshtein counts two)
    assert phrasing.correct_word("widgte") == "widget"
    assert phrasing.correct_word("ruptuer") == "rupture"
    # "contart" is one edit from both: the word with the same letters, though rarer
    assert phrasing.correct_word("contart") == "contrat"
    assert phrasing.correct_word("contakt") == "contact"


def test_a_key_pressed_twice_points_to_the_word_typed_once() -> None:
    phrasing = Phrasing(Counter({"contrat": 2, "contract": 9}), greetings=Phrases(),
                        definition=Phrases(), spelling={})
    # "contraat" is one edit from both: a letter typed twice, not one replaced
    assert phrasing.correct_word("contraat") == "contrat"
    assert phrasing.correct_word("contrazt") == "contract"


def test_a_mistyped_grammar_word_is_corrected_to_it() -> None:
    """"Commbien de temps ..." left "commbien" as a word the sources never use."""
    assert PHRASING.correct_word("commbien") == "combien"
    assert PHRASING.correct_word("pourqoi") == "pourquoi"
    assert PHRASING.correct_word("combien") is None  # a stop word as typed is left alone


def test_a_negated_acknowledgement_in_a_clause_is_a_question_not_small_talk() -> None:
    """"et s'il n'y a pas d'accord ?" after an answer asks what happens without an agreement;
    read as the acknowledgement "d'accord", it had been answered "Très bien" with no passage."""
    ack = Phrases({"fr": ("ok", "d'accord"), "en": ("ok", "fine", "thanks")})
    negation = Phrases({"fr": ("pas", "sans"), "en": ("not", "no")})
    phrasing = Phrasing(VOCAB, greetings=Phrases(), thanks=Phrases({"en": ("thanks",)}),
                        small_talk=[("acknowledgement", ack)], definition=Phrases(),
                        spelling={}, negation=negation)
    for question in ("et s'il n'y a pas d'accord ?", "et s’il n’y a pas d’accord ?",
                     "what if it isn't fine?", "and if it's not ok?"):
        assert phrasing.small_talk(question) is None, question
        assert not phrasing.greeting_only(question), question
    # a negation alone is still small talk, and so is everything without one
    for text in ("no thanks", "not ok", "ok", "d'accord !", "fine, thanks"):
        assert phrasing.greeting_only(text), text
    # without the profile's negations, as before
    before = Phrasing(VOCAB, greetings=Phrases(), small_talk=[("acknowledgement", ack)],
                      definition=Phrases(), spelling={})
    assert before.greeting_only("et s'il n'y a pas d'accord ?")


def test_short_spellings_are_read_in_full_before_small_talk_and_courtesies() -> None:
    """"merci bcp" was a question ("bcp" is no small talk) and "merci bcp, et la convention ?"
    was searched as "beaucoup, et la convention ?" (only "merci" was taken off)."""
    phrasing = Phrasing(VOCAB, greetings=Phrases({"fr": ("bonjour",)}),
                        thanks=Phrases({"fr": ("merci", "merci beaucoup"), "en": ("thank you",)}),
                        definition=Phrases(), spelling={"fr": {"bcp": "beaucoup"},
                                                        "en": {"u": "you"}})
    assert phrasing.read("merci bcp", "fr").greeting_only
    assert phrasing.read("thank u", "en").greeting_only
    assert phrasing.read("merci bcp, et la convention ?", "fr").text == "et la convention ?"
    assert not phrasing.read("bcp de convention ?", "fr").greeting_only


def test_small_talk_is_answered_by_its_kind_farewell_first_then_thanks_help_clarification() -> None:
    kinds = [("farewell", Phrases({"fr": ("au revoir",), "en": ("bye",)})),
             ("thanks", Phrases({"fr": ("merci", "merci pour votre aide"),
                                 "en": ("thanks", "thanks for your help")})),
             ("help", Phrases({"fr": ("aide", "tu sers à quoi"), "en": ("what can you do", "help")})),
             ("clarification", Phrases({"fr": ("pourquoi", "tu peux reformuler"),
                                        "en": ("why", "can you explain")})),
             ("greeting", Phrases({"fr": ("bonjour",), "en": ("hello", "hi there")})),
             ("acknowledgement", Phrases({"fr": ("ok", "d'accord"), "en": ("ok", "got it")}))]
    phrasing = Phrasing(VOCAB, greetings=kinds[4][1], thanks=kinds[1][1], small_talk=kinds,
                        definition=Phrases(), spelling={})
    for text, kind in (("Au revoir !", "farewell"), ("merci, au revoir", "farewell"),
                       ("ok merci", "thanks"), ("d'accord, merci !", "thanks"),
                       ("ok", "acknowledgement"), ("Got it.", "acknowledgement"),
                       ("hi there", "greeting"), ("Bonjour, aide", "help"),
                       ("Tu sers à quoi ?", "help"), ("What can you do?", "help"),
                       ("merci pour votre aide !", "thanks"), ("Thanks for your help", "thanks"),
                       ("Pourquoi ?", "clarification"), ("ok, pourquoi ?", "clarification"),
                       ("bonjour, tu peux reformuler ?", "clarification"),
                       ("merci, pourquoi ?", "thanks"), ("Why?", "clarification")):
        assert phrasing.small_talk(text) == kind, text
        assert phrasing.greeting_only(text), text
    for question in ("aide au reclassement", "ok, et la convention ?", "bye bye employeur",
                     "What can you do about the notice?", "pourquoi la convention ?",
                     "Why does the employer pay?"):
        assert phrasing.small_talk(question) is None, question
    assert phrasing.greeting_language("Tu sers à quoi ?") == "fr"
    assert phrasing.greeting_language("ok") is None  # both languages say it
    # without the other kinds, greetings and thanks are small talk as before
    assert PHRASING.small_talk("Merci !") == "thanks" and PHRASING.small_talk("hello") == "greeting"
    assert PHRASING.small_talk("ok") is None


def test_a_request_for_the_answer_in_a_language_is_told_apart_from_a_question() -> None:
    phrasing = Phrasing(
        VOCAB, greetings=Phrases({"fr": ("bonjour",)}), thanks=Phrases({"fr": ("merci",)}),
        definition=Phrases(), spelling={},
        language_request=Phrases({"en": ("in english", "en anglais", "english"),
                                  "fr": ("in french", "en français", "français")}),
        politeness=Phrases({"fr": ("svp",), "en": ("please",)}))
    for text, lang in (("In English please", "en"), ("et en anglais ?", "en"),
                       ("merci, en anglais svp", "en"), ("English?", "en"),
                       ("Et en français ?", "fr"), ("in French", "fr")):
        assert phrasing.language_request(text) == lang, text
    for text in ("What does the English version say about the notice?", "anglais ou français ?",
                 "le texte en anglais est-il officiel ?", "in English, who pays?", "bonjour"):
        assert phrasing.language_request(text) is None, text
    assert PHRASING.language_request("in English") is None  # the profile lists none


def test_a_request_for_more_is_told_apart_from_a_question() -> None:
    phrasing = Phrasing(
        VOCAB, greetings=Phrases({"fr": ("bonjour",)}), thanks=Phrases({"fr": ("merci",)}),
        definition=Phrases(), spelling={}, politeness=Phrases({"fr": ("svp",), "en": ("please",)}),
        more_request=Phrases({"fr": ("plus de détails", "autre chose"),
                              "en": ("tell me more", "more")}))
    for text in ("Plus de détails svp", "merci ! autre chose ?", "tell me more please", "More?"):
        assert phrasing.more_request(text), text
    for text in ("more about the employer?", "plus de détails sur la convention",
                 "autre chose que l'outplacement ?", "bonjour"):
        assert not phrasing.more_request(text), text
    assert not PHRASING.more_request("tell me more")  # the profile lists none


def test_lead_ins_are_taken_out_when_a_question_is_left() -> None:
    phrasing = Phrasing(VOCAB, greetings=Phrases(), definition=Phrases(), spelling={},
                        filler=Phrases({"fr": ("petite question", "je voulais savoir",
                                               "s'il vous plaît"),
                                        "en": ("quick question", "please")}))
    assert phrasing.without_filler("Hey, quick question: who pays?") == "Hey, who pays?"
    assert phrasing.without_filler("PETITE QUESTION : l'employeur paie ?") == "l'employeur paie ?"
    assert phrasing.without_filler("Je voulais savoir si l'État paie, s’il vous plait ?") == \
        "si l'État paie ?"
    assert phrasing.without_filler("Please") == "Please"  # nothing would be left
    assert phrasing.without_filler("Who pays?") == "Who pays?"
    assert phrasing.read("quick question: la convention ?", "fr").text == "la convention ?"


def test_the_greeting_a_question_opens_with_is_taken_out() -> None:
    # "Bonjour, What is my status ...? Merci d'avance" had led with another passage than the
    # question asked alone: the greeting said nothing of what was asked
    assert PHRASING.without_filler("Bonjour, la convention ?") == "la convention ?"
    assert PHRASING.without_filler("HELLO!! who pays for the WPA?") == "who pays for the WPA?"
    assert PHRASING.without_filler("Bonjour") == "Bonjour"  # nothing would be left
    assert PHRASING.without_filler("Qui paie ? Bonjour à la famille") == \
        "Qui paie ? Bonjour à la famille"  # only an opening greeting
    assert PHRASING.read("Bonjour, L12-3 al. 2", "fr").text == "L12-3 al. 2"
    assert PHRASING.read("Bonjour", "fr").greeting_only


def test_the_thanks_a_question_closes_with_is_taken_out() -> None:
    # "combien de temps pour répondre ... merci" led with another passage than the question
    assert PHRASING.without_filler("la convention dure combien... merci 😊") == \
        "la convention dure combien"
    assert PHRASING.without_filler("Qui paie ? Merci !") == "Qui paie ?"  # its "?" stays
    assert PHRASING.without_filler("Merci, et qui paie ?") == "et qui paie ?"
    assert PHRASING.without_filler("Bonjour, merci, qui paie ?") == "qui paie ?"
    assert PHRASING.without_filler("merci") == "merci"  # thanks alone stay thanks
    assert PHRASING.without_filler("thanks") == "thanks"


def test_a_word_alone_is_told_apart_from_a_reference_or_a_question() -> None:
    for text, word in (("CRP ???", "crp"), ("l'outplacement ?", "outplacement"),
                       ("Bonjour, la convention ?", "convention")):
        assert PHRASING.bare_term(text) == (word,), text
    for text in ("Article 5", "L321-4-2", "la convention de reclassement", "bonjour", "a ?"):
        assert PHRASING.bare_term(text) == (), text


def test_a_known_phrase_alone_gives_its_words_and_anything_more_gives_none() -> None:
    from bot.phrasing import phrase_key

    asking = Phrases({"fr": ("quand", "combien"), "en": ("how", "when")}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases({"fr": ("bonjour",)}, "test"),
                        definition=Phrases(), spelling={}, question_words=asking)
    known = frozenset({phrase_key("Wage Protection Agreement"), phrase_key("recherche d’emploi")})
    for text, words in (("wage protection agreement", ("wage", "protection", "agreement")),
                        ("The Wage Protection Agreement?", ("wage", "protection", "agreement")),
                        ("Bonjour, la recherche d'emploi ?", ("recherche", "emploi"))):
        assert phrasing.bare_phrase(text, known) == words, text
    for text in ("wage protection", "the wage protection agreement lasts",
                 "when does the wage protection agreement end", "Agreement", ""):
        assert phrasing.bare_phrase(text, known) == (), text


def test_a_word_alone_with_a_question_word_asks_about_it_not_what_it_is() -> None:
    # "how", "long", "does" and "last" are stop words: "How long does the WPA last?" was the
    # word alone, "WPA ?", and the answer led with the passage introducing the WPA
    asking = Phrases({"fr": ("quand", "combien"), "en": ("how", "when")}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases(), definition=Phrases(), spelling={},
                        question_words=asking)
    for text in ("How long does the WPA last?", "when does the WPA?", "quand la WPA ?"):
        assert phrasing.bare_term(text) == (), text
        assert PHRASING.bare_term(text) == ("wpa",), text  # no table: the word alone
    assert phrasing.bare_term("the WPA?") == ("wpa",)
    assert phrasing.bare_term("la WPA ?") == ("wpa",)


def test_a_typo_is_corrected_into_a_word_of_the_questions_language_first() -> None:
    # "agreemnt" is one edit from the English "agreement" and a swap of the French "agrément"
    vocab = Counter({"agreement": 4, "agrement": 1})
    written = {"agreement": "en", "agrement": "fr"}
    phrasing = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={},
                        written_in=written)
    assert phrasing.correct_word("agreemnt", "en") == "agreement"
    assert phrasing.correct_word("agreemnt", "fr") == "agrement"
    assert phrasing.correct_word("agreemnt") == "agrement"  # no language: the swap first
    assert phrasing.normalise("can i refuse the agreemnt", "en")[0] == "can i refuse the agreement"


def test_words_the_language_knows_are_never_corrected_into_corpus_words() -> None:
    vocab = Counter({"remains": 3, "funding": 2, "reponse": 2, "outplacement": 5})
    bare = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={})
    checked = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={},
                       dictionary=Dictionary().knows)
    assert bare.correct_word("semaines") == "remains"  # what a vocabulary alone does
    for word in ("semaines", "finding", "répondre"):
        assert checked.correct_word(word) is None, word
    assert checked.correct_word("outplacment") == "outplacement"  # a real typo still is


def test_a_typo_that_keeps_its_stem_is_corrected_into_a_word_of_that_stem_only() -> None:
    """"outplacment" stems as "outplacement" does, so it was taken for an inflection and left
    as typed: the profile's terms, written as the sources write them, did not read it, and
    "l'outplacment en belgique ça dure combien de temps" was refused."""
    vocab = Counter({"outplacement": 5, "outplaceur": 2, "employment": 3, "employer": 9})
    stems = {"outplacment": {"outplac", "outplacment"}, "outplacement": {"outplac"},
             "outplacees": {"outplac"}, "outplaceur": {"outplaceur"},
             "employement": {"employ"}, "employment": {"employ"}, "employer": {"employer"},
             "employed": {"employ"}}

    def stems_of(word: str) -> frozenset[str]:
        return frozenset(stems.get(word, {word}))

    def known(word: str) -> bool:
        return bool(stems_of(word) & {s for w in vocab for s in stems_of(w)})

    old = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={}, known=known)
    new = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={}, known=known,
                   stems=stems_of)
    assert old.correct_word("outplacment") is None  # the stem alone: left as typed
    assert new.correct_word("outplacment") == "outplacement"
    assert new.correct_word("employement") == "employment"  # not the commoner "employer"
    # an inflection the vocabulary lacks is no typo of a word of another stem, nor of one two
    # edits away ("outplacées" is not the consultant, "outplaceur")
    assert new.correct_word("outplacees") is None
    assert new.correct_word("employed") is None


def test_a_word_typed_without_its_accents_is_not_a_typo() -> None:
    # "combien coute un outplacement" had become "combien toute un outplacement"
    vocab = Counter({"toute": 9, "reponse": 2, "outplacement": 5})
    checked = Phrasing(vocab, greetings=Phrases(), definition=Phrases(), spelling={},
                       dictionary=Dictionary().knows)
    for word in ("coute", "repondre", "deja", "beneficier", "Etat", "répondré"):
        assert checked.correct_word(word) is None, word
    assert checked.correct_word("outplacment") == "outplacement"
    assert not Dictionary().knows("outplacment")


def test_dictionary_knows_both_languages_and_refuses_others() -> None:
    words = Dictionary()
    assert words.knows("Licenciement") and words.knows("redundancy")
    assert not words.knows("outplacment")
    with pytest.raises(ValueError, match="no word list"):
        Dictionary(("xx",))
    with pytest.raises(ValueError, match="min_count"):
        Dictionary(min_count=0)


def test_word_lists_are_pyspellcheckers_read_without_its_corrector(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists are read as pyspellchecker's `SpellChecker` reads them (the same words and
    counts), without building its corrector's indexes (a quarter of a second of every warm-up),
    for lookups only."""
    import spellchecker

    expected = {lang: spellchecker.SpellChecker(language=lang).word_frequency
                for lang in ("fr", "en")}

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the word lists built a SpellChecker")

    monkeypatch.setattr(spellchecker.SpellChecker, "__init__", refused)
    words = Dictionary()
    words.load()
    for position, lang in enumerate(("fr", "en")):
        assert words._loaded()[position].counts == dict(expected[lang].dictionary)
        assert words.total(lang) == expected[lang].total_words
    assert words.frequency("Emploi", "fr") == expected["fr"]["emploi"] > 0
    assert words.frequency("outplacment", "en") == 0
    # typed without its accents: folded forms of the known words
    assert words.knows("beneficier") and words.knows("Etat") and not words.knows("benefecier")


def test_greetings_alone_are_told_apart_from_questions() -> None:
    assert PHRASING.greeting_only("Bonjour !")
    assert PHRASING.greeting_only("merci, bonjour")
    assert PHRASING.thanks("Merci !") and PHRASING.thanks("thanks a lot")
    assert not PHRASING.thanks("Bonjour") and not PHRASING.thanks("merciless")
    assert PHRASING.greeting_only("Hello")
    assert not PHRASING.greeting_only("Bonjour, c'est quoi l'outplacement ?")
    assert not PHRASING.greeting_only("le licenciement")
    # a provision asked for between greetings: "L12-3 I al. 6" has no word of four letters
    for text in ("Bonjour, L12-3 I al. 6", "L12-3 al. 2 merci", "hello, s. 12(1)"):
        assert not PHRASING.greeting_only(text), text
    assert PHRASING.greeting_only("merci x1000 !")  # a number is not a provision


def test_definition_questions_give_their_subject() -> None:
    assert PHRASING.definition("c'est quoi la CRP ?") == ("crp",)
    assert PHRASING.definition("What is outplacement?") == ("outplacement",)
    assert PHRASING.definition("What is the deadline for the employer to answer the letter of "
                               "the employee in writing?") == ()
    assert PHRASING.definition("Qui paie la formation ?") == ()
    # a cue ending with an apostrophe runs into the next word
    assert PHRASING.definition("Qu'est-ce qu'une CRP ?") == ("crp",)
    assert PHRASING.definition("Qu’est-ce qu’un failli ?") == ("failli",)
    assert PHRASING.definition("jusqu'est-ce qu'une") == ()  # the cue inside another word


def test_a_definition_question_with_a_clause_asks_about_a_case_not_a_term() -> None:
    clause = Phrases({"fr": ("si", "quand"), "en": ("if", "when")}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases(), spelling={}, definition_clause=clause,
                        definition=Phrases({"fr": ("c'est quoi",), "en": ("what is",)}, "test"))
    assert phrasing.definition("What is the fee if the employer says no?") == ()
    assert phrasing.definition("c'est quoi la suite si je refuse ?") == ()
    assert phrasing.definition("What is the fee?") == ("fee",)
    assert PHRASING.definition("What is the fee if the employer says no?") != ()  # no table


def test_a_definition_cue_before_the_askers_own_case_is_not_a_term_asked() -> None:
    personal = Phrases({"fr": ("mon", "mes"), "en": ("my",)}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases(), spelling={}, definition_personal=personal,
                        definition=Phrases({"fr": ("c'est quoi",), "en": ("what is",)}, "test"))
    assert phrasing.definition("What is my status while I follow the programme?") == ()
    assert phrasing.definition("bonjour, c'est quoi mes droits ?") == ()
    assert phrasing.definition("C'est quoi, mon statut ?") == ()
    # only right after the cue: a possessive later on is part of the subject's question
    assert phrasing.definition("What is a widget in my contract?") == ("widget", "contract")
    assert phrasing.definition("c'est quoi le statut") == ("statut",)
    # without the table, as before
    assert PHRASING.definition("What is my status?") == ("status",)


def test_a_definition_questions_term_ends_where_the_law_it_is_asked_in_is_named() -> None:
    tails = Phrases({"fr": ("au sens de", "selon"), "en": ("under", "mean")}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases(), spelling={}, definition_tail=tails,
                        definition=Phrases({"fr": ("qu'est-ce qu'",), "en": ("what is", "what does")},
                                           "test"))
    assert phrasing.definition("What is a bankrupt under the Act?") == ("bankrupt",)
    assert phrasing.definition("What is a bankrupt under the law") == ("bankrupt",)
    assert phrasing.definition("What does bankrupt mean?") == ("bankrupt",)
    assert phrasing.definition("Qu'est-ce qu'un failli au sens de la loi ?") == ("failli",)
    assert phrasing.definition("Selon la loi, qu'est-ce qu'un failli ?") == ("failli",)
    # the clause goes on with words of its own: they stay part of what is asked
    assert phrasing.definition("What is the notice period under the Act for a collective "
                               "dismissal?") == ("notice", "period", "collective", "dismissal")


def test_long_posts_are_split_into_their_questions() -> None:
    post = ("Bonjour, je travaille depuis dix ans dans la même entreprise et on vient de "
            "m'annoncer un licenciement économique la semaine dernière. Est-ce que mon employeur "
            "doit me proposer quelque chose ? Et qui paie la formation ?")
    assert PHRASING.parts(post) == ("Est-ce que mon employeur doit me proposer quelque chose ?",
                                    "Et qui paie la formation ?")
    assert PHRASING.parts("Qui paie la formation ?") == ()


def test_vocabulary_must_be_a_counter() -> None:
    with pytest.raises(TypeError):
        Phrasing({"a": 1}, greetings=Phrases(), definition=Phrases(), spelling={})  # type: ignore[arg-type]


def test_formatting_marks_are_not_read_as_words() -> None:
    assert without_marks("**Question** : combien de temps dure la *convention* ?") == (
        "Question : combien de temps dure la convention ?")
    assert without_marks("_urgent_ : le `WPA` ?") == "urgent : le WPA ?"
    assert without_marks("snake_case et L. 12-3") == "snake_case et L. 12-3"  # not a mark


def test_a_short_spelling_is_not_expanded_before_the_word_it_stands_for() -> None:
    assert PHRASING.normalise("c est quoi ?", "fr") == ("c est quoi ?", ())  # "c'est", unmarked
    assert PHRASING.normalise("c quoi ?", "fr") == ("c'est quoi ?", (("c", "c'est"),))


def test_a_question_all_in_capitals_is_read_in_lower_case() -> None:
    assert PHRASING.read("C EST QUOI L'OUTPLACMENT ?", "fr").text == "c est quoi l'outplacement ?"
    assert PHRASING.read("C KOI L'OUTPLACMENT ?", "fr").definition == ("outplacement",)
    assert PHRASING.read("Le WPA ?", "fr").text == "Le WPA ?"  # capitals among other letters
    assert PHRASING.read("ART. L12-3 AL. 2", "fr").text == "ART. L12-3 AL. 2"  # a reference


def test_a_term_asked_in_another_language_is_the_term() -> None:
    requests = Phrases({"fr": ("en français",), "en": ("in english", "en anglais")}, "test")
    phrasing = Phrasing(VOCAB, greetings=Phrases(), spelling={}, language_request=requests,
                        definition=Phrases({"fr": ("c'est quoi",), "en": ("what is",)}, "test"))
    assert phrasing.definition("What is the widget pact in English?") == ("widget", "pact")
    assert phrasing.definition("c'est quoi le pacte widget en anglais ?") == ("pacte", "widget")


def _flat(phrases: list[str]) -> re.Pattern[str]:
    """The plain alternation the trie stands for: longest first, whole words at word edges."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile("|".join((r"(?<!\w)" if p[0].isalnum() else "") + re.escape(p)
                               + (r"(?!\w)" if p[-1].isalnum() else "") for p in ordered))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text("abé '-?", min_size=1, max_size=6).filter(str.strip), min_size=1,
                max_size=12),
       st.text("abé '-?x", max_size=30))
def test_the_phrase_trie_finds_what_the_plain_alternation_finds(phrases: list[str],
                                                                 text: str) -> None:
    trie = phrasing._phrase_pattern(phrases)
    assert trie is not None
    folded = [phrasing._folded(p) for p in phrases if p.strip()]
    flat = _flat(folded)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_the_phrase_trie_prefers_the_longest_phrase_and_whole_words() -> None:
    pattern = phrasing._phrase_pattern(["merci", "merci beaucoup", "mercredi", "qu'"])
    assert pattern is not None
    assert [m.group() for m in pattern.finditer("merci beaucoup, mercredi, mercis qu'une")] \
        == ["merci beaucoup", "mercredi", "qu'"]
    assert phrasing._phrase_pattern([" ", ""]) is None


def test_phrase_patterns_are_compiled_on_first_use_or_by_compile_not_when_built() -> None:
    """Writing and compiling the profile's phrase patterns (up to a thousand phrases each) took
    0.26-0.30 s of every start, before /health answered; a bot's warm-up compiles them."""
    pattern = phrasing._phrase_pattern(["merci", "merci beaucoup"])
    assert isinstance(pattern, phrasing.LazyPattern) and pattern._compiled is None
    assert pattern._source is None  # not even written
    assert pattern.search("oui merci beaucoup") is not None and pattern._compiled is not None

    built = Phrasing(VOCAB, greetings=Phrases({"fr": ("bonjour",), "en": ("hello",)}, "test"),
                     thanks=Phrases({"fr": ("merci",), "en": ("thanks",)}, "test"),
                     definition=Phrases({"fr": ("c'est quoi",), "en": ("what is",)}, "test"),
                     spelling={})
    lazy = [value for value in vars(built).values() if isinstance(value, phrasing.LazyPattern)]
    assert len(lazy) >= 4 and all(p._compiled is None for p in lazy)
    kinds = [pattern for _, pattern in built._kinds]  # held by kind and by language too
    by_lang = [p for p in built._greeting_by_lang.values() if p is not None]
    assert all(p._compiled is None for p in kinds + by_lang)
    built.compile()
    assert all(p._compiled is not None for p in lazy + kinds + by_lang)
    assert built.without_filler("Bonjour, la convention ? Merci") == "la convention ?"
