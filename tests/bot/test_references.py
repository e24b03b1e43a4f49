"""Article references in either language route straight to the right alinéas."""

from __future__ import annotations

import pytest

from bot import references
from bot.references import Router, initials, named_acts, parse, residue, route, unknown_titles
from corpus.models import AlignedUnit, Passage
from indexer.lexical import tokenize


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("article L. 321-4-2 II", ["L321-4-2.II.1"]),
        ("L321-4-2 II", ["L321-4-2.II.1"]),
        ("art. L 321-4-2, al. 3", ["L321-4-2.I.3"]),
        ("Article L. 321-4-2, I, alinéa 8", ["L321-4-2.I.8"]),
        ("article L321-4-2 I al. 5", ["L321-4-2.I.5"]),
        # the article number's last digits are not an alinéa number ("…-4-2 alinéa 3")
        ("art. L321-4-2 alinéa 3", ["L321-4-2.I.3"]),
        ("L. 321-4-2 alinéa 4", ["L321-4-2.I.4"]),
        ("2e alinéa de l'article L321-4-2", ["L321-4-2.I.2"]),
        ("third paragraph of article L321-4-2", ["L321-4-2.I.3"]),
        ("Que dit le II de l’article ?", ["L321-4-2.II.1"]),
        ("dernier alinéa de l'article L321-4-2", ["L321-4-2.II.1"]),
        ("que prévoit l’article L. 933-6 ?", ["L321-4-2.I.2"]),
        ("What does L. 122-9 say?", ["L321-4-2.I.4"]),
        ("L. 122-6", ["L321-4-2.I.4", "L321-4-2.I.5"]),
    ],
)
def test_reference_routes_to_alineas(corpus, question: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert route(parse(question), corpus.units) == expected


def test_whole_article_reference_routes_to_all_nine(corpus) -> None:  # type: ignore[no-untyped-def]
    assert len(route(parse("article L. 321-4-2"), corpus.units)) == 9


def test_router_reads_the_cited_references_once(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Texts are read for the references they cite once per router, not once per question
    (on five acts each such question had cost 0.3 s)."""
    calls = []
    real = references.cited_references
    monkeypatch.setattr(references, "cited_references", lambda text: calls.append(1) or real(text))
    router = Router(corpus.units)
    assert router.route(parse("que prévoit l’article L. 933-6 ?")) == ["L321-4-2.I.2"]
    read = len(calls)
    assert read == 2 * len(corpus.units)
    assert router.route(parse("L. 122-6")) == ["L321-4-2.I.4", "L321-4-2.I.5"]
    assert router.route(parse("L. 999-9")) == []
    assert len(calls) == read


@pytest.mark.parametrize("question", ["force majeure clause", "j'ai 2 enfants et 3 chats",
                                      "combien d'heures de DIF ?", "L. 999-9"])
def test_no_reference_or_unknown_one_routes_nowhere(corpus, question: str) -> None:  # type: ignore[no-untyped-def]
    assert route(parse(question), corpus.units) == []


def _act_unit(act: str, section: str, number: int, en: str, fr: str):  # type: ignore[no-untyped-def]
    from corpus.models import AlignedUnit, Passage

    uid = f"{act}.{section}.{number}"

    def side(lang: str, text: str) -> Passage:
        return Passage(f"{uid}.{lang}", f"{act}_{lang}.txt", lang, "statute", text, "c", number,
                       1, section)

    return AlignedUnit(uid, act, section, number, side("fr", fr), side("en", en), 1.0, ())


ACT_UNITS = (
    _act_unit("A-1", "230", 1, "(1) Notice of termination.\n(a) in writing;\n(b) two weeks",
              "(1) Préavis de licenciement.\na) par écrit;\nb) deux semaines"),
    _act_unit("A-1", "230", 2, "(2) Exception.", "(2) Exception."),
    _act_unit("A-1", "12", 1, "(1) Powers.", "(1) Pouvoirs."),
    _act_unit("A-1", "12", 2, "(3) Delegation.", "(3) Délégation."),
    _act_unit("B-2", "230", 1, "Other act's section.", "Article d'une autre loi."),
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("s. 230", ["A-1.230.1", "A-1.230.2", "B-2.230.1"]),
        ("What does section 230(1)(a) require?", ["A-1.230.1"]),
        ("subsection 12(3)", ["A-1.12.2"]),
        ("paragraphe 230(1)a)", ["A-1.230.1"]),
        ("article 230(2)", ["A-1.230.2"]),
        ("paragraph 4", []),  # an alinéa number alone names no act section
        ("§ 4", []),  # nor "§" with a number an alinéa may have
        ("§ 12 of the Widget Act", ["A-1.12.1", "A-1.12.2"]),  # but a law's title after it
        ("§ 12 WA", ["A-1.12.1", "A-1.12.2"]),  # or its initials
        ("§ 4 de l'article 12", ["A-1.12.1", "A-1.12.2"]),  # "article 12", not "§ 4"
        ("§ 4 de la convention", []),
        ("§ 230", ["A-1.230.1", "A-1.230.2", "B-2.230.1"]),  # no alinéa has that number
        ("What does §230(2) say?", ["A-1.230.2"]),
        ("§§ 12-230", ["A-1.230.1", "A-1.230.2", "A-1.12.1", "A-1.12.2"]),  # as "ss. 12-230"
        ("section 999", []),
        # A-1's section 230 has no (5); B-2's carries no labels, so it may have it
        ("section 230(5)", ["B-2.230.1"]),
    ],
)
def test_act_references_route_to_their_provisions(question: str, expected: list[str]) -> None:
    assert route(parse(question), ACT_UNITS) == expected


def test_naming_the_act_narrows_the_reference() -> None:
    from bot.references import named_acts

    titles = {"A-1": ("Alpha Labour Code", "Code alpha du travail"), "B-2": ("Beta Act",)}
    question = "art. 230 du Code alpha du travail"
    acts = named_acts(question, titles)
    assert acts == {"A-1"}
    assert route(parse(question), ACT_UNITS, acts) == ["A-1.230.1", "A-1.230.2"]


@pytest.mark.parametrize(("question", "acts"), [
    ("s. 12 of the Alpha Labour Code", {"A-1"}),  # "Gamma Labour Code" has two of its words
    ("s. 12 of the Sample Act B-2", {"B-2"}),  # titles alike but for the code
    ("s. 12 of the Alpha Labour Code and s. 3 of the Beta Act", {"A-1", "B-2"}),
    ("s. 12 of the Labour Code", {"A-1", "G-3"}),  # as much one as the other
])
def test_the_best_named_act_is_the_one_named(question: str, acts: set[str]) -> None:
    from bot.references import named_acts

    titles = {"A-1": ("Alpha Labour Code",), "G-3": ("Gamma Labour Code",),
              "B-2": ("Beta Act", "Sample Act B-2"), "S-9": ("Sample Act S-9",)}
    assert named_acts(question, titles) == acts


@pytest.mark.parametrize(("question", "acts"), [
    ("A-1 s. 12", {"A-1"}),
    ("Sample Act, R.S. 1999, c. B-2, s. 12", {"B-2"}),
    ("s. 12", set()),
    ("s. 12 of A-12", set()),  # another code
    ("Ai-je droit à 1 semaine de congé ? s. 12", set()),  # a code only as typed
    ("a 1-year contract, s. 12", set()),
    ("s. 12 of A-1.5", set()),  # another code
])
def test_an_act_is_named_by_its_code(question: str, acts: set[str]) -> None:
    from bot.references import cited_acts, named_acts

    titles = {"A-1": ("Alpha Labour Code", "A-1"), "B-2": ("Beta Act", "B-2")}
    assert named_acts(question, titles) == acts
    assert cited_acts(question, titles) == acts


def test_a_named_acts_code_is_taken_out_of_what_is_searched() -> None:
    from bot.references import without_titles

    assert without_titles("Under A-1, may I take 1 week at a 1-day notice?",
                          ["Alpha Act", "A-1"]) == "Under , may I take 1 week at a 1-day notice?"


@pytest.mark.parametrize(("question", "language"), [
    ("s. 230", "en"), ("ss. 12-14", "en"), ("section 230(1)(a)", "en"),
    ("subsection 12(3)", "en"), ("sections 230 and 231 CLC", "en"), ("art. 230(1)(a)", "en"),
    ("paragraphe 230(1)a)", "fr"), ("art. 230(1)a)", "fr"), ("sous-section 3", "fr"),
    ("art. 230", None), ("par. 230(1)", None), ("article L. 321-4-2", None),
    ("s. 230 et paragraphe 231(1)a)", None),  # both forms
    # French statutes' paragraph and subparagraph, English subparagraph; "alinéa 3" alone is
    # an article's alinéa, no act's provision
    ("alinéa 230(1)a)", "fr"), ("l'alinéa 67(1)b) de la LFI", "fr"),
    ("subparagraph 67(1)(b)(iii)", "en"), ("alinéa 3", None), ("alinéas 2 et 3", None),
])
def test_an_act_references_form_says_its_language(question: str, language: str | None) -> None:
    from bot.references import reference_language

    assert reference_language(question) == language


TITLES = {"L-2": ("Canada Labour Code", "Code canadien du travail"),
          "E-5.6": ("Employment Insurance Act", "Loi sur l'assurance-emploi")}


@pytest.mark.parametrize(("question", "unknown"), [
    ("What does section 7 of the Criminal Code say?", ["Criminal Code"]),
    ("section 7 of the criminal code", ["criminal code"]),
    ("Que dit l'article 1134 du Code civil ?", ["Code civil"]),
    ("art. 12 de la Loi sur les banques", ["Loi sur les banques"]),
    ("Under the Income Tax Act, is section 56 relevant?", ["Income Tax Act"]),
    # a served law, however it is shortened, or no title beyond generic words
    ("section 230 of the Labour Code", []),
    ("art. 230 du Code du travail", []),
    ("article 12 de la Loi sur l'assurance-emploi concernant les prestations", []),
    ("s. 12 of the EI Act", []),
    ("section 12 of the Act", []),
    # no provision asked for: the scope decides
    ("What is the Criminal Code?", []),
])
def test_unknown_titles_are_laws_the_sources_do_not_hold(question: str, unknown: list[str]) -> None:
    assert unknown_titles(question, TITLES) == unknown


@pytest.mark.parametrize(
    ("question", "titles", "lang", "left"),
    [
        ("art. 12 of the Widget Act", ("Widget Act",), "en", []),
        ("s. 40(2)(b) de la Loi sur les gadgets", ("Loi sur les gadgets",), "fr", []),
        ("article L. 321-4-2", (), "fr", []),
        ("2e alinéa de l'article L321-4-2", (), "fr", []),
        ("third paragraph of article L321-4-2", (), "en", []),
        ("art. 12 of the Widget Act: who pays?", ("Widget Act",), "en", ["pay"]),
        ("Que dit le II de l’article ?", (), "fr", ["dit"]),
        # the part's numeral after the article is part of the reference
        ("article L12-3, II", (), "fr", []),
        ("L12-3 III, alinéa 2", (), "fr", []),
        ("What does L12-3 I say about training?", (), "en", ["train"]),
    ],
)
def test_residue_is_what_a_question_asks_besides_its_references(
        question: str, titles: tuple[str, ...], lang: str, left: list[str]) -> None:
    assert tokenize(residue(question, parse(question), titles), lang) == left


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("sections 12 to 14 of the Widget Act", [("12", "14")]),
        ("articles 12 à 14 de la Loi sur les gadgets", [("12", "14")]),
        ("art. 12 and 13 of the Widget Act", [("12", None), ("13", None)]),
        ("ss. 12 and 13 WA", [("12", None), ("13", None)]),  # the act's initials after
        ("§§ 12 et 13 LG ?", [("12", None), ("13", None)]),
        ("sections 12 and 13 Widgets", [("12", None)]),  # a capital alone is no initials
        ("section 12, 14 et 15", [("12", None), ("14", None), ("15", None)]),
        ("s. 230(1)(a) and 231", [("230", None), ("231", None)]),
        # a number that counts something is not another section
        ("section 12 and 13 weeks of benefits", [("12", None)]),
        ("section 12 or 2 years", [("12", None)]),
        # ranges written with a hyphen; a hyphenated number is not one
        ("ss. 12-14 of the Widget Act", [("12", "14")]),
        ("sections 12.1-12.3 and 20", [("12.1", "12.3"), ("20", None)]),
        ("art. 12-1", []),
        ("article 321-4-2", []),
    ],
)
def test_lists_and_ranges_of_act_sections(question: str,
                                          expected: list[tuple[str, str | None]]) -> None:
    assert [(r.section, r.through) for r in parse(question) if r.act] == expected


@pytest.mark.parametrize(
    ("title", "letters"),
    [
        ("Widget Safety and Gadget Act", "WSGA"),
        ("Loi sur la sécurité des gadgets", "LSG"),
        ("Loi sur l’assurance-gadget", "LAG"),
        ("Gadget Act", ""),  # two letters name nothing
        ("R.S.C., 1985, c. W-1", ""),  # a citation has no initials
    ],
)
def test_a_titles_initials_leave_out_its_function_words(title: str, letters: str) -> None:
    assert initials(title) == letters


@pytest.mark.parametrize(("title", "short"), [
    ("Widget Safety Act", {"WSA", "WS"}),
    ("Loi sur l’assurance-gadget", {"LAG"}),  # not "AG": French users mean other things
    ("Loi sur les gadgets", set()),  # two letters name nothing
    ("Code des gadgets et des widgets", {"CGW"}),
    ("Loi no 12 sur les gadgets", set()),  # numbers: a citation
])
def test_what_a_title_is_shortened_to(title: str, short: set[str]) -> None:
    from bot.references import acronyms

    assert acronyms(title) == short


def test_an_act_is_named_by_its_initials_in_capitals_only() -> None:
    titles = {"W-1": ("Widget Safety and Gadget Act", "Loi sur la sécurité des gadgets")}
    assert named_acts("s. 12 WSGA", titles) == {"W-1"}
    assert named_acts("art. 12 LSG", titles) == {"W-1"}
    assert named_acts("s. 12 wsga", titles) == set()
    # the initials of the title's words before "Act", then "Act"
    assert named_acts("s. 12 of the WSG Act", titles) == {"W-1"}
    assert named_acts("s. 12 of the wsg act", titles) == set()
    assert tokenize(residue("s. 12 of the WSG Act", parse("s. 12 of the WSG Act"), titles["W-1"]),
                    "en") == []
    assert tokenize(residue("s. 12 WSGA", parse("s. 12 WSGA"), titles["W-1"]), "en") == []


def _nested_unit(n: int, en: str, fr: str) -> AlignedUnit:
    def side(lang: str, text: str) -> Passage:
        return Passage(f"W-1.9.{n}.{lang}", f"w_{lang}.txt", lang, "statute", text, "", n, n, "9")
    return AlignedUnit(f"W-1.9.{n}", "W-1", "9", n, side("fr", fr), side("en", en), 1.0, ())


# one unit per provision line, as an act's section is aligned
NESTED = tuple(_nested_unit(n, en, fr) for n, (en, fr) in enumerate([
    ("(1) The holder may", "(1) Le titulaire peut"),
    ("(a) sell the widget,", "a) vendre le gadget,"),
    ("(b) lend the widget", "b) prêter le gadget"),
    ("(i) for a day, or", "(i) pour un jour,"),
    ("(ii) for a week.", "(ii) pour une semaine."),
    ("(c) keep it.", "c) le garder."),
    ("Exception", "Exception"),
    ("(2) Subsection (1) does not apply to a gadget.", "(2) Le paragraphe (1) ne vise pas le gadget."),
], start=1))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("s. 9(1)(b)", [3, 4, 5]),  # the paragraph and its subparagraphs
        ("section 9(1)(b)(ii)", [5]),
        ("paragraphe 9(1)b)", [3, 4, 5]),
        ("alinéa 9(1)b)", [3, 4, 5]),  # a French statute's name for a paragraph
        ("sous-alinéa 9(1)b)(ii)", [5]),
        ("subparagraph 9(1)(b)(i)", [4]),
        ("s. 9(1)", [1, 2, 3, 4, 5, 6]),  # the subsection, not the note before (2)
        ("s. 9(2)", [8]),
        ("s. 9(1)(z)", [1, 2, 3, 4, 5, 6]),  # what the chain names, as far as it goes
        ("s. 9(7)", []),  # a labelled section without the provision asked for
        ("s. 9(z)", []),
        ("s. 9", [1, 2, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_a_provision_reference_routes_to_it_and_what_it_contains(
        question: str, expected: list[int]) -> None:
    assert Router(NESTED).route(parse(question)) == [f"W-1.9.{n}" for n in expected]



def test_a_wide_range_routes_to_its_first_sections_and_is_never_missing() -> None:
    def unit(section: int) -> AlignedUnit:
        def side(lang: str) -> Passage:
            return Passage(f"W-1.{section}.1.{lang}", f"w_{lang}.txt", lang, "statute",
                           f"({section}) text", "", 1, section, str(section))
        return AlignedUnit(f"W-1.{section}.1", "W-1", str(section), 1, side("fr"), side("en"),
                           1.0, ())

    router = Router(tuple(unit(n) for n in range(1, 81)))
    assert router.route(parse("ss. 3-5")) == ["W-1.3.1", "W-1.4.1", "W-1.5.1"]
    routed = router.route(parse("sections 1 to 80"))
    assert routed == [f"W-1.{n}.1" for n in range(1, references.MAX_RANGE + 1)]
    assert router.route(parse("sections 3 to 1")) == ["W-1.1.1", "W-1.2.1", "W-1.3.1"]


def test_a_hyphenated_section_the_act_has_is_that_section_not_a_range() -> None:
    def unit(section: str) -> AlignedUnit:
        def side(lang: str) -> Passage:
            return Passage(f"W-1.{section}.1.{lang}", f"w_{lang}.txt", lang, "statute", "text",
                           "", 1, 1, section)
        return AlignedUnit(f"W-1.{section}.1", "W-1", section, 1, side("fr"), side("en"),
                           1.0, ())

    router = Router(tuple(unit(s) for s in ("3", "3-5", "4", "5")))
    assert router.route(parse("art. 3-5")) == ["W-1.3-5.1"]
    assert router.route(parse("articles 3 à 5")) == ["W-1.3.1", "W-1.3-5.1", "W-1.4.1",
                                                       "W-1.5.1"]


@pytest.mark.parametrize(("question", "acts"), [
    ("How long is a leave under the Widget Safety Act?", {"W-1"}),
    ("Selon la Loi sur la sécurité des gadgets, quel congé ?", {"W-1"}),
    ("What does the WSA say about leave?", {"W-1"}),
    ("Under the WS Act, who pays?", {"W-1"}),
    # two letters after "Loi" name nothing: French users type such pairs for other things
    ("En tant que SG, ai-je droit au congé ?", set()),
    # most of a title's words, or lower-case initials, are not the title
    ("Is widget safety an act of care?", set()),
    ("the wsa says", set()),
])
def test_an_act_cited_in_full_or_by_its_initials(question: str, acts: set[str]) -> None:
    from bot.references import cited_acts

    titles = {"W-1": ("Widget Safety Act", "Loi sur la sécurité des gadgets"),
              "B-2": ("Beta Act",)}
    assert cited_acts(question, titles) == acts


@pytest.mark.parametrize(("text", "left"), [
    ("How long is leave under the Widget Safety Act?", "How long is leave under the ?"),
    ("selon la loi sur la sécurité des gadgets, quel congé ?", "selon la , quel congé ?"),
    ("Widget-Safety Act s. 3", "s. 3"),
    ("Widget Safety Actions", "Widget Safety Actions"),  # whole words only
    # the initials `cited_acts` reads, typed in capitals, go too; lower-case words stay
    ("What does the WS Act say about recalls?", "What does the say about recalls?"),
    ("Under the WSA, who pays?", "Under the , who pays?"),
    ("selon la LSG, qui paie ?", "selon la , qui paie ?"),
    ("the wsa says ws act", "the wsa says ws act"),
])
def test_a_named_laws_title_is_taken_out_of_what_is_searched(text: str, left: str) -> None:
    from bot.references import without_titles

    names = ("Widget Safety Act", "Loi sur la sécurité des gadgets")
    assert without_titles(text, names) == left


def test_any_text_parses_into_references_found_in_it() -> None:
    """Hypothesis-generated questions mixing reference keywords, numbers, labels, hyphens and
    titles: parsing never fails, each reference's text is in the question, a range never
    names a smaller last section, and taking titles out never lengthens the text."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from bot.references import _order, without_titles

    pieces = st.sampled_from(["s.", "ss.", "section", "sections", "art.", "articles", "§", "§§",
                              "paragraphe", "12", "12.1", "(1)", "(a)", "a)", "-", "–", "14",
                              "to", "à", "and", "et", "of the Widget Act", "L.", "321-4-2",
                              "WSA", "2020-2021", " ", ",", "(ii)"])

    @settings(max_examples=400, deadline=None, database=None, derandomize=True)
    @given(st.lists(pieces, max_size=12).map(" ".join))
    def check(question: str) -> None:
        for ref in parse(question):
            assert ref.text.strip() in question
            if ref.act and ref.through is not None and "-" in ref.text:
                assert _order(ref.through) > _order(str(ref.section))
        assert len(without_titles(question, ("Widget Act",))) <= len(question)

    check()


def test_a_units_cross_references_are_found_once_and_handed_out_as_copies() -> None:
    from types import SimpleNamespace

    from bot.xrefs import CrossReferences

    def unit(section: str, text: str) -> AlignedUnit:
        def side(lang: str) -> Passage:
            return Passage(f"W-1.{section}.1.{lang}", f"w_{lang}.txt", lang, "statute", text,
                           "", 1, 1, section)
        return AlignedUnit(f"W-1.{section}.1", "W-1", section, 1, side("fr"), side("en"),
                           1.0, ())

    cited = unit("3", "as set out in section 4 and s. 9")
    xrefs = CrossReferences(SimpleNamespace(units=(cited, unit("4", "text"))))
    first = xrefs.of_unit(cited, "en")
    assert first == xrefs.find(cited.en.text, cited)
    assert [(x["text"], x["unit"]) for x in first] == [("section 4", "W-1.4.1"), ("s. 9", None)]
    first[0]["unit"] = "changed by a caller"
    calls: list[str] = []
    xrefs.find = lambda text, u: calls.append(text) or []  # type: ignore[method-assign]
    again = xrefs.of_unit(cited, "en")
    assert calls == [] and again[0]["unit"] == "W-1.4.1"
