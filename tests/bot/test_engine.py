"""The bot as a user meets it: answers with both languages and citations, or a clear refusal."""

from __future__ import annotations

import time

import pytest

from bot.errors import NotFoundError, OptionError, QuestionError


def test_french_question_gets_aligned_alinea_with_citations(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("Mon employeur doit-il me proposer une convention de reclassement "
                          "personnalisé si je suis licencié pour motif économique ?")
    assert answer.answered and answer.language == "fr" and answer.message is None
    top = answer.results[0]
    assert top.kind == "statute" and top.fr and top.en
    assert top.citation["fr"].startswith("Code du travail, art. L. 321-4-2")
    assert top.citation["en"].startswith("French Labour Code, Article L321-4-2")
    assert top.alignment is not None and 0 <= top.alignment["confidence"] <= 1


def test_english_question_and_reference(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("How many hours of training rights does the employee keep?")
    assert answer.language == "en" and answer.results[0].id == "L321-4-2.I.2"
    routed = real_bot.ask("art. L 321-4-2, I, al. 7", k=1)
    assert [r.id for r in routed.results] == ["L321-4-2.I.7"]


def test_commentary_is_labelled_and_has_only_its_language(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("Qu'est-ce que l'outplacement ?")
    commentary = [r for r in answer.results if r.kind == "commentary"]
    assert commentary
    for r in commentary:
        assert r.alignment is None
        assert (r.fr is None) != (r.en is None)
        assert "commentary, not law" in (r.citation["en"] or "") or "pas un texte de loi" in (
            r.citation["fr"] or "")


def test_not_covered_in_the_users_language(real_bot) -> None:  # type: ignore[no-untyped-def]
    fr = real_bot.ask("Comment faire une pâte à pizza maison ?")
    assert not fr.answered and fr.results == () and "ne couvrent pas" in fr.message
    en = real_bot.ask("How do I renew my passport?")
    assert not en.answered and "do not cover" in en.message
    forced = real_bot.ask("Comment faire une pâte à pizza maison ?", lang="en")
    assert forced.language == "en" and "do not cover" in forced.message


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 10_000, "characters long"),
        ("\x00\x01\x02\x89PNG\r\n\x1a\n", "does not look like text"),
        ("%%%% 1234 //// ???", "does not look like text"),
        (b"bytes", "must be text"),
        (None, "must be text"),
    ],
)
def test_unusable_questions_get_a_clear_error(real_bot, question, fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuestionError, match=fragment):
        real_bot.ask(question)


def test_text_without_letters_passes_only_as_small_talk() -> None:
    from bot.engine import check_question

    def talk(text: str) -> bool:
        return text == "👍"

    assert check_question(" 👍 ", 100, talk) == "👍"
    for text in ("👍", "🏠 🏠"):
        with pytest.raises(QuestionError, match="does not look like text"):
            check_question(text, 100)  # no small talk given: letters needed
    with pytest.raises(QuestionError, match="does not look like text"):
        check_question("🏠", 100, talk)
    with pytest.raises(QuestionError, match="does not look like text"):
        check_question("👍\x00", 100, lambda text: True)  # control characters never pass


@pytest.mark.parametrize(("lang", "k"), [("de", 3), ("fr", 0), ("en", 1000), (None, True)])
def test_bad_options_are_refused(real_bot, lang, k) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OptionError):
        real_bot.ask("Qu'est-ce que la CRP ?", lang=lang, k=k)


def test_lookups_by_id(real_bot) -> None:  # type: ignore[no-untyped-def]
    assert real_bot.passage("L321-4-2.I.3").id == "L321-4-2.I.3"
    assert real_bot.passage("L321-4-2.I.3.fr").id == "L321-4-2.I.3"
    assert real_bot.passage("001_24733fa58d0b5c4f.p1").kind == "commentary"
    assert [r.id for r in real_bot.article("L321-4-2")][-1] == "L321-4-2.II.1"
    assert len(real_bot.article("L. 321-4-2")) == 9
    with pytest.raises(NotFoundError, match="no passage"):
        real_bot.passage("nope")
    with pytest.raises(NotFoundError, match="known articles: L321-4-2"):
        real_bot.article("L999-1")


def test_law_ranks_before_commentary_when_both_answer(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("licenciement pour motif économique et reclassement", k=5)
    kinds = [r.kind for r in answer.results]
    assert kinds[0] == "statute"
    first_commentary = kinds.index("commentary") if "commentary" in kinds else len(kinds)
    assert all(k == "statute" for k in kinds[:first_commentary])


def test_typos_and_sms_spelling_are_read(real_bot) -> None:  # type: ignore[no-untyped-def]
    # "outplacment" stems like "outplacement" (so BM25 and the definition rule find it);
    # "koi" is a short spelling from the profile.
    for question in ("l'outplacment c'est quoi ?", "outplacment c koi"):
        answer = real_bot.ask(question)
        assert answer.answered and answer.extra["evidence"]["defined"], question
        top = answer.results[0]
        words = f"{top.extra.get('heading') or ''} {(top.fr or top.en or {})['text']}".lower()
        assert "outplacement" in words, question  # the passage (or its heading) holds the term
    assert ["koi", "quoi"] in real_bot.ask("outplacment c koi").extra["reading"]["corrections"]
    assert real_bot.phrasing.correct_word("reclasement") == "reclassement"


def test_more_sms_spellings_are_read(real_bot) -> None:  # type: ignore[no-untyped-def]
    # "keske" (qu'est-ce que) makes a definition question, led by the passage that sets the
    # term up; before, it was an unknown word and the financing alinéa led.
    answer = real_bot.ask("keske la crp")
    assert ["keske", "qu'est-ce que"] in answer.extra["reading"]["corrections"]
    assert answer.extra["evidence"]["defined"] and answer.results[0].id == "L321-4-2.I.1"
    fixes = real_bot.ask("g droit a la crp si g 1 an d'anciennete ?").extra["reading"]["corrections"]
    assert ["g", "j'ai"] in fixes


def test_definition_questions_lead_with_the_passage_that_introduces_the_term(real_bot) -> None:  # type: ignore[no-untyped-def]
    # The first passage of the statute that uses the term is the one that sets it up.
    first = next(u.id for u in real_bot.corpus.units
                 if "convention de reclassement personnalisé" in u.fr.text)
    # typed in lower case and without "?", retrieval ranks it lower: it still leads
    for question in ("c'est quoi la CRP ?", "What is a CRP?", "c'est quoi la crp",
                     "c quoi la crp", "what is the crp",
                     "cest quoi la crp", "quest ce que la crp"):  # elisions typed without "'"
        answer = real_bot.ask(question, k=3)
        assert answer.answered and answer.results[0].id == first, question


def test_an_english_typo_is_not_corrected_into_a_french_word(real_bot) -> None:  # type: ignore[no-untyped-def]
    # "agreemnt" had become "agrement" (the French "agrément" of I, al. 7, a swap away)
    fixes = real_bot.ask("can I refuse the agreemnt?", "en").extra["reading"]["corrections"]
    assert ["agreemnt", "agreement"] in fixes


def test_a_term_of_several_words_typed_alone_asks_what_it_is(real_bot) -> None:  # type: ignore[no-untyped-def]
    # as a word alone ("CRP ?") does: "convention de reclassement personnalisé" typed into the
    # box led with the alinéa that mentions it most, not the one introducing it
    first = next(u.id for u in real_bot.corpus.units
                 if "convention de reclassement personnalisé" in u.fr.text)
    for question in ("convention de reclassement personnalisé",
                     "la convention de reclassement personnalisé ?"):
        answer = real_bot.ask(question, k=3)
        assert answer.answered and answer.results[0].id == first, question
        assert answer.extra["reading"]["definition"], question


def test_a_refused_question_on_a_neighbouring_subject_says_where_to_go(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("Comment se passe un divorce par consentement mutuel ?")
    assert not answer.answered and answer.extra.get("neighbour")
    assert answer.message.startswith(real_bot.profile.refusal["fr"])


@pytest.mark.parametrize(("question", "lang", "subject"), [
    ("Will it rain tomorrow in Paris?", "en", None),  # "will", a word of grammar too
    ("Will I lose my visa if I move?", "en", "immigration"),
    ("Who gets the inheritance if there is no will?", "en", "inheritance"),
])
def test_a_refusal_names_a_neighbouring_subject_only_when_the_question_is_about_it(  # type: ignore[no-untyped-def]
        real_bot, question: str, lang: str, subject: str | None) -> None:
    answer = real_bot.ask(question, lang)
    assert not answer.answered
    assert answer.extra.get("neighbour") == (
        None if subject is None else next(n.name[lang] for n in real_bot.profile.neighbours
                                          if subject in n.name["en"]))


@pytest.mark.parametrize(("question", "lang", "law", "served"), [
    ("Que dit l'article 1134 du Code civil ?", "fr", "Code civil", "Code du travail"),
    ("What does section 7 of the Criminal Code say?", "en", "Criminal Code", "French Labour Code"),
])
def test_a_provision_of_a_law_the_sources_do_not_hold_is_named_not_answered(  # type: ignore[no-untyped-def]
        real_bot, question: str, lang: str, law: str, served: str) -> None:
    answer = real_bot.ask(question, lang)
    assert not answer.answered and not answer.results
    assert answer.extra["missing_law"] == [law]
    assert law in answer.message and served in answer.message  # what it holds instead


def test_a_provision_of_the_law_the_sources_hold_is_answered(real_bot) -> None:  # type: ignore[no-untyped-def]
    answer = real_bot.ask("Que dit l'article L. 321-4-2 du Code du travail, alinéa 3 ?")
    assert answer.answered and "missing_law" not in answer.extra
    assert answer.results[0].id.endswith(".I.3")


@pytest.mark.parametrize(("question", "lang", "cited"), [
    ("article L321-4-2 alinéa 12", "fr", "article L321-4-2, alinéa 12"),
    ("L321-4-2, III", "fr", "L321-4-2, III"),
    ("Article L321-4-2 paragraph 14 of the French Labour Code", "en",
     "Article L321-4-2, paragraph 14"),
])
def test_a_part_the_served_article_does_not_have_is_named_not_answered(  # type: ignore[no-untyped-def]
        real_bot, question: str, lang: str, cited: str) -> None:
    # these had the refusal saying the sources cover article L. 321-4-2
    answer = real_bot.ask(question, lang)
    assert not answer.answered and not answer.results
    assert answer.extra["missing_provision"] == [cited] and cited in answer.message


def test_an_article_the_sources_do_not_hold_is_named_with_those_they_do(real_bot) -> None:  # type: ignore[no-untyped-def]
    # a bare reference to another article had been answered, by one scope model, with the
    # served article's alinéas
    for question, lang in (("art. L. 1233-65", "fr"), ("What does article L. 1233-65 say?", "en"),
                           ("Article L1233-65 du Code du travail", "fr")):
        answer = real_bot.ask(question, lang)
        assert not answer.answered and not answer.results, question
        assert answer.extra["missing_provision"][0].endswith("1233-65"), question
        assert "L321-4-2" in answer.message, question
    # a part the article has, and a reference with a question, are answered as before
    assert real_bot.ask("L321-4-2, II", "fr").results[0].id.endswith(".II.1")
    asked = real_bot.ask("que dit l'article L321-4-2 alinéa 12 sur la formation ?", "fr")
    assert asked.answered and "missing_provision" not in asked.extra


def test_a_bare_article_reference_reads_from_its_start_and_a_question_picks_within_it(
        real_bot) -> None:  # type: ignore[no-untyped-def]
    order = [r.id for r in real_bot.article("L321-4-2")]
    for question in ("article L321-4-2", "L. 321-4-2 du Code du travail"):
        assert [r.id for r in real_bot.ask(question, "fr").results] == order[:5], question
    asked = real_bot.ask("article L321-4-2 : que se passe-t-il en cas d'accord du salarié ?", "fr")
    assert asked.results[0].id == order[3]  # al. 4: "En cas d'accord du salarié"


def test_a_law_that_replaced_a_served_one_gets_the_successor_note(real_bot) -> None:  # type: ignore[no-untyped-def]
    # the profile's successor (status.replaced_by) is named: its note says what replaced what
    answer = real_bot.ask("Que dit l'article 41 de la loi du 28 juillet 2011 sur le CSP ?", "fr")
    assert "missing_law" not in answer.extra and answer.extra.get("status_note")


QUESTION = "Combien de temps dure la convention, en mois exactement ?"


def _spanned(spans: dict[str, list[float]], name: str, call, pause: float = 0.0):  # type: ignore[no-untyped-def]
    """`call`, recording when it ran in `spans[name]`, after sleeping `pause` seconds (long
    enough for anything started beside it to show)."""
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        time.sleep(pause)
        try:
            return call(*args, **kwargs)
        finally:
            spans[name] = [started, time.perf_counter()]
    return run


def test_nothing_runs_beside_the_query_embedding(real_bot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The engine's two-thread team waits at every layer for a core that Python work holds:
    the lexical search is done before the question's embedding starts."""
    spans: dict[str, list[float]] = {}
    monkeypatch.setattr(real_bot.embedder, "query",
                        _spanned(spans, "embedding", real_bot.embedder.query, 0.05))
    monkeypatch.setattr(real_bot.lexical, "search",
                        _spanned(spans, "lexical", real_bot.lexical.search, 0.05))
    real_bot.ask(QUESTION, "fr")
    assert set(spans) == {"embedding", "lexical"}
    assert spans["lexical"][1] <= spans["embedding"][0]


def test_an_acronym_typed_in_lower_case_is_embedded_as_the_sources_write_it(real_bot) -> None:  # type: ignore[no-untyped-def]
    # 002 writes "SPOC" and "CPE" only in capitals; the profile's "crp" is the initials of what
    # it means. Typed in lower case, the encoder read them as unknown words, and a short
    # question did not carry the acronym's meaning.
    assert {"spoc", "cpe", "crp", "dif"} <= real_bot._acronyms
    assert not {"et", "la", "le", "de"} & real_bot._acronyms
    expansion = real_bot.glossary.expand("c'est quoi la crp")
    query = real_bot._dense_query("c'est quoi la crp", "fr", expansion)
    assert "CRP" in query and "convention de reclassement personnalisé" in query
    assert real_bot._dense_query("qui est le spoc", "fr", real_bot.glossary.expand(
        "qui est le spoc")).startswith("qui est le SPOC")


def test_a_question_typed_without_accents_is_embedded_with_the_sources_accents(real_bot) -> None:  # type: ignore[no-untyped-def]
    # the encoder reads "salarie" and "economique" less well than the sources' spelling
    plain = "que touche le salarie licencie pour motif economique"
    query = real_bot._dense_query(plain, "fr", real_bot.glossary.expand(plain))
    assert "salarié" in query and "économique" in query
    # a question with accents is typed by someone who types them: "licencie" is the verb
    typed = "On me licencie, je suis concernée par quoi"
    assert "licencie," in real_bot._dense_query(typed, "fr", real_bot.glossary.expand(typed))


def test_accented_forms_are_only_for_words_never_written_without_accents() -> None:
    from collections import Counter

    from bot.vocabulary import accented_forms
    forms = {"salarie": Counter({"salarié": 5}), "a": Counter({"a": 3, "à": 9}),
             "role": Counter({"rôle": 1, "role": 1})}
    assert accented_forms(forms) == {"salarie": "salarié"}


@pytest.mark.parametrize("heading", ["Employer contribution", "Personalised redeployment"])
def test_a_short_english_heading_is_answered_in_english_by_the_sources_words(
        real_bot, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Too short for the detector, with the interface in French: the words only the
    sources' English texts write say the question is English (before: answered in French)."""
    answer = real_bot.ask(heading, None, 3)
    assert answer.language == "en"
    assert answer.to_dict()["detected"]["method"] == "corpus-words"


def test_the_lexical_search_runs_before_the_embedding_and_the_dense_search_after_it_on_the_same_thread(  # type: ignore[no-untyped-def]
        real_bot, monkeypatch) -> None:
    """Python work right after an embedding runs on caches the embedding swept, and nothing
    may run beside it: the lexical search goes first, the dense search follows on the
    caller's thread (no hop to another one)."""
    import threading

    calls: list[tuple[str, int]] = []

    def recording(name: str, call):  # type: ignore[no-untyped-def]
        def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append((name, threading.get_ident()))
            return call(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(real_bot.lexical, "search", recording("lexical", real_bot.lexical.search))
    monkeypatch.setattr(real_bot.embedder, "query", recording("embedding", real_bot.embedder.query))
    monkeypatch.setattr(real_bot.dense, "search", recording("dense", real_bot.dense.search))
    sig = real_bot.signals("Qui finance la convention de reclassement personnalisé ?", "fr")
    assert sig.lexical and sig.dense
    # (the embedder calls itself again on the engine's thread when called from another one)
    order = [name for i, (name, _) in enumerate(calls) if i == 0 or calls[i - 1][0] != name]
    assert order == ["lexical", "embedding", "dense"]
    assert calls[-1][1] == threading.get_ident()
