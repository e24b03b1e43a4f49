"""Acts as first-class sources, on a small synthetic act: marginal notes, chunks, any act code
in lookups, the per-act alignment cache and the shared embedding cache (incremental builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.build import build_all, index_store, load_bot
from api.settings import Settings
from bot.engine import Bot
from bot.errors import NotFoundError
from corpus.build import load_corpus, sources_fingerprint
from indexer.chunking import FIRST_PROVISION_LANGUAGE, chunks_from_corpus, unembedded_texts
from tests.conftest import ROOT, SOURCES

DATA = ROOT / "tests" / "corpus" / "data"
MANIFEST = """layout = "bitext"
format = "text"
files = {{ en = "{stem}_en.txt", fr = "{stem}_fr.txt" }}
kind = {{ value = "statute", origin = "test fixture" }}
languages = {{ value = ["en", "fr"], origin = "test fixture" }}
jurisdiction = {{ value = "Testland", origin = "test fixture" }}
title = {{ value = "Sample Act {code}", origin = "test fixture" }}
act = {{ value = "{code}", origin = "test fixture" }}
"""
EXTRA_EN = "\n\nSection 900 — Fresh provision\nA fresh employer must keep a fresh register.\n"
EXTRA_FR = "\n\nArticle 900 — Disposition nouvelle\nL’employeur nouveau tient un registre nouveau.\n"


def add_act(src: Path, stem: str, code: str, extra: tuple[str, str] = ("", "")) -> None:
    for lang, more in zip(("en", "fr"), extra, strict=True):
        text = (DATA / f"canada_sample_{lang}.txt").read_text(encoding="utf-8").rstrip("\n")
        (src / f"{stem}_{lang}.txt").write_text(text + more + "\n", encoding="utf-8")
    (src / f"{stem}.toml").write_text(MANIFEST.format(stem=stem, code=code), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    tmp = tmp_path_factory.mktemp("acts")
    src = tmp / "sources"
    src.mkdir()
    add_act(src, "first", "Q-1.5")
    settings = Settings(data_dir=tmp / "data", sources_dir=src, model="fake:32")
    return settings, build_all(settings)


def test_act_units_carry_their_marginal_note_and_chunks_are_provision_level(
        built: tuple[Settings, str]) -> None:
    settings, report = built
    corpus, _ = load_corpus(settings.corpus_path)
    first = corpus.units[0]
    assert first.id == "Q-1.5.1.1"
    assert first.en.heading == "Short title" and first.fr.heading
    chunks = chunks_from_corpus(corpus)
    notes = [c for c in chunks if c.id.endswith(":h")]
    sections = {(u.article, u.section) for u in corpus.units}
    assert len(notes) == 2 * len(sections)  # one note per section and language
    assert {c.text for c in notes} >= {"Short title", "Definitions"}
    assert not [c for c in chunks if ":s" in c.id or ":c" in c.id]
    # the notes, and each section's first provision in one language, are embedded; other
    # provisions: words only
    skipped = unembedded_texts(corpus, chunks)
    firsts = [u for u in corpus.units if u.number == 1]
    later = [u for u in corpus.units if u.number > 1]
    assert len(firsts) == len(sections) and len(later) >= 10
    one, other = FIRST_PROVISION_LANGUAGE, "fr" if FIRST_PROVISION_LANGUAGE == "en" else "en"
    assert not {getattr(u, one).text for u in firsts} & skipped
    assert not {c.text for c in notes} & skipped
    embedded_elsewhere = {c.text for c in chunks} - skipped
    assert skipped == ({side.text for u in later for side in (u.fr, u.en) if side.text.strip()}
                       | {getattr(u, other).text for u in firsts if getattr(u, other).text.strip()}
                       ) - embedded_elsewhere
    assert len(skipped) > len(later)  # most later provisions, in both languages
    # the index records how many chunks have a vector: another choice rebuilds it
    params = index_store(settings).manifest().params
    assert params["embedded_chunks"] == sum(1 for c in chunks if c.text not in skipped)
    assert "texts embedded" in report


def test_any_act_code_works_in_lookups(built: tuple[Settings, str]) -> None:
    bot = load_bot(built[0])
    for code in ("Q-1.5", "q-1.5", "Q 1.5"):
        assert bot.article(code)[0].id == "Q-1.5.1.1"
    with pytest.raises(NotFoundError):
        bot.article("Q-1.6")
    assert len(bot.sections) == len({u.section for u in bot.corpus.units})
    ranked = [(u.id, 1.0 - i / 10) for i, u in enumerate(bot.corpus.units)]  # none close
    firsts = [uid for uid, _ in bot.sections.aggregate(ranked)][:len(bot.sections)]
    assert len({bot.units[uid].section for uid in firsts}) == len(bot.sections)


def test_an_acts_units_say_both_texts_are_the_law(built: tuple[Settings, str]) -> None:
    """A bilingual act's languages are equally authentic (its manifest names both): no card
    of it may say that the French text prevails, in an answer, a lookup or the pairs."""
    from bot.results import unit_result

    bot = load_bot(built[0])
    both = {"fr": "Les versions française et anglaise font également foi.",
            "en": "The English and French versions are equally authoritative."}
    answer = bot.ask("What does the Board do?", "en")
    assert answer.results and all(r.extra["translation_note"] == both for r in answer.results)
    looked_up = bot.article("Q-1.5")[0].to_dict()
    assert looked_up["status"]["authentic"] == ["en", "fr"]
    assert looked_up["translation_note"] == both
    unit = bot.corpus.units[0]
    assert unit_result(unit, 1.0, status=bot.status.of_unit(unit)).to_dict()[
        "translation_note"] == both
    assert unit_result(unit, 1.0).to_dict()["translation_note"] is None  # not known: not said


def test_a_bare_section_reference_reads_the_section_from_its_start(
        built: tuple[Settings, str]) -> None:
    bot = load_bot(built[0])
    sections: dict[str, list[str]] = {}
    for unit in bot.corpus.units:
        sections.setdefault(unit.section, []).append(unit.id)
    section, units = max(sections.items(), key=lambda item: len(item[1]))
    assert len(units) >= 3
    for question in (f"s. {section}", f"article {section} de la Sample Act Q-1.5"):
        answer = bot.ask(question, "en", k=len(units))
        assert [r.id for r in answer.results] == units, question


def test_a_range_or_a_list_of_sections_routes_to_each(built: tuple[Settings, str]) -> None:
    bot = load_bot(built[0])
    sections: dict[str, list[str]] = {}
    for unit in bot.corpus.units:
        sections.setdefault(unit.section, []).append(unit.id)
    first, second, third = list(sections)[:3]
    wanted = sections[first] + sections[second] + sections[third]
    ranged = bot.ask(f"sections {first} to {third} of the Sample Act Q-1.5", "en", k=len(wanted))
    assert {r.id for r in ranged.results} == set(wanted)
    # each section opened in turn, in the act's order
    assert [r.id for r in ranged.results][:3] == [sections[s][0] for s in (first, second, third)]
    backwards = bot.ask(f"sections {third} to {first} of the Sample Act Q-1.5", "en",
                        k=len(wanted))
    assert [r.id for r in backwards.results] == [r.id for r in ranged.results]
    listed = bot.ask(f"art. {first} and {third} of the Sample Act Q-1.5", "en",
                     k=len(sections[first]) + len(sections[third]))
    assert {r.id for r in listed.results} == set(sections[first] + sections[third])


@pytest.mark.parametrize(("question", "lang", "cited"), [
    ("What does section 9999 of the Sample Act Q-1.5 say?", "en", "section 9999"),
    ("article 9999 de la Sample Act Q-1.5", "fr", "article 9999"),
    # a section the act has, without the subsection asked for (it has (1) and (2))
    ("What does section 66.32(7) of the Sample Act Q-1.5 say?", "en", "section 66.32(7)"),
])
def test_a_provision_the_served_act_lacks_is_said_to_be_absent(
        built: tuple[Settings, str], question: str, lang: str, cited: str) -> None:
    bot = load_bot(built[0])
    answer = bot.ask(question, lang)
    assert not answer.answered and not answer.results
    assert answer.extra["missing_provision"] == [cited]
    assert cited in answer.message and "Sample Act Q-1.5" in answer.message
    section = bot.corpus.units[0].section
    present = bot.ask(f"section {section} of the Sample Act Q-1.5", "en")
    assert "missing_provision" not in present.extra and present.results
    # a section number with no act named is not judged absent: it may be another document's
    assert "missing_provision" not in bot.ask("section 9999", "en").extra
    # but a provision missing from a section the act has is, even with no act named
    assert bot.ask("s. 66.32(7)", "en").extra["missing_provision"] == ["s. 66.32(7)"]


def _built_bot(tmp_path: Path, src: Path) -> Bot:
    settings = Settings(data_dir=tmp_path / "data", sources_dir=src, model="fake:32")
    build_all(settings)
    return load_bot(settings)


def test_a_missing_section_names_only_the_act_beside_an_article_of_similar_title(
        tmp_path: Path) -> None:
    """Beside the sources' code article, whose title shares words with the act's, the answer
    names the act alone: the article is not served section by section."""
    src = tmp_path / "sources"
    shutil.copytree(SOURCES, src)
    add_act(src, "first", "Q-1.5")
    manifest = src / "first.toml"  # a title two of whose three words the article's title has
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'value = "Sample Act Q-1.5"', 'value = "Sample Labour Code"'), encoding="utf-8")
    bot = _built_bot(tmp_path, src)
    answer = bot.ask("What does section 9999 of the Sample Labour Code say?", "en")
    assert answer.extra["missing_provision"] == ["section 9999"]
    assert "(Sample Labour Code)" in answer.message


def test_a_provision_no_act_has_is_said_once_naming_every_act_of_its_section(
        tmp_path: Path) -> None:
    src = tmp_path / "sources"
    src.mkdir()
    add_act(src, "first", "Q-1.5")
    add_act(src, "second", "R-2")
    bot = _built_bot(tmp_path, src)
    english = bot.ask("s. 66.32(7)", "en")
    assert english.extra["missing_provision"] == ["s. 66.32(7)"]
    assert "these laws (Sample Act Q-1.5; Sample Act R-2)" in english.message
    assert "ces lois (" in bot.ask("s. 66.32(7)", "fr").message
    assert "this law (Sample Act Q-1.5)" in bot.ask("s. 66.32(7) of the Sample Act Q-1.5",
                                                    "en").message


def test_a_provision_of_a_law_not_served_leads_to_the_passages_that_cite_it(
        built: tuple[Settings, str]) -> None:
    """"section 2 of the Bank Act" (a law the sources do not hold) is cited by the act's
    definitions: those answer, with a note, and "section 2" routes to no other act's section;
    a provision no served text cites is still refused as a law not held."""
    bot = load_bot(built[0])
    citing = [u.id for u in bot.corpus.units if "section 2 of the Bank Act" in u.en.text]
    assert citing
    for question, lang in (("What does section 2 of the Bank Act say?", "en"),
                           ("Que dit l’article 2 de la Loi sur les banques ?", "fr")):
        answer = bot.ask(question, lang, k=3)
        assert answer.answered and answer.results[0].id == citing[0], question
        assert "missing_law" not in answer.extra
        note = answer.extra["cited_law"]
        assert note["laws"] and note["laws"][0] in question and note["laws"][0] in note["message"]
    refused = bot.ask("What does section 7 of the Criminal Code say?", "en")
    assert not refused.answered and refused.extra["missing_law"] == ["Criminal Code"]


def test_adding_an_act_embeds_and_aligns_only_its_new_text(built: tuple[Settings, str]) -> None:
    settings, _ = built
    src = settings.sources_dir
    assert src is not None
    add_act(src, "second", "Q-2", (EXTRA_EN, EXTRA_FR))
    report = build_all(settings)
    embedded = int(report.split(" texts embedded")[0].rsplit("\n", 1)[-1].strip())
    # the new section's note and new lines the aligner compares, in two languages: the rest
    # is cached and provisions are not embedded
    assert 2 <= embedded <= 4, report
    corpus, _ = load_corpus(settings.corpus_path)
    assert {u.article for u in corpus.units} == {"Q-1.5", "Q-2"}
    assert "Fresh provision" in {u.en.heading for u in corpus.units}
    cached = list((settings.data_dir / "align-cache").glob("*.json"))
    assert len(cached) == 2
    shutil.rmtree(settings.data_dir / "align-cache")


def test_fingerprint_covers_every_corpus_module(tmp_path: Path) -> None:
    code = tmp_path / "code"
    (code / "sub").mkdir(parents=True)
    (code / "top.py").write_text("A = 1\n")
    (code / "sub" / "deep.py").write_text("B = 1\n")
    sources = tmp_path / "sources"
    sources.mkdir()
    before = sources_fingerprint(sources, code)
    (code / "sub" / "deep.py").write_text("B = 2\n")
    assert sources_fingerprint(sources, code) != before


def test_zero_vector_provisions_keep_the_index_exact(built: tuple[Settings, str]) -> None:
    from api.build import index_params

    settings, _ = built
    corpus, _ = load_corpus(settings.corpus_path)
    chunks = chunks_from_corpus(corpus)
    n, skipped = len(chunks), unembedded_texts(corpus, chunks)
    embedded = sum(1 for c in chunks if c.text not in skipped)
    assert embedded + 1 < n
    small = settings.model_copy(update={"hnsw_threshold": embedded + 1})  # < chunks, > embedded
    assert index_params(small, corpus).hnsw_threshold == n + 1
    assert index_params(small).hnsw_threshold == embedded + 1
    assert index_params(settings, corpus).hnsw_threshold == settings.hnsw_threshold


def test_the_gaps_line_does_not_call_a_named_law_missing(built: tuple[Settings, str]) -> None:
    # "section 230(1) of the Canada Labour Code" was told the sources say nothing of "Labour",
    # "Code": the law a question names is noted, not asked about
    bot = load_bot(built[0])
    for question in ("section 2 of the Sample Act Q-1.5", "s. 2 Sample Act Q-1.5 widgets"):
        answer = bot.ask(question, "en")
        words = (answer.extra.get("gaps") or {}).get("words", [])
        assert not {"Sample", "Act", "Q-1.5", "Q-15"} & set(words), (question, words)


def test_a_term_alone_after_a_definition_question_asks_its_definition_in_that_act(
        tmp_path: Path) -> None:
    """"and the Minister?" after "What is the Board under Sample Act R-2?" was searched as a
    follow-up with the earlier words, not read as asking what the Minister is: it led with
    no definition, or another act's."""
    src = tmp_path / "sources"
    src.mkdir()
    shutil.copy(SOURCES / "profile.toml", src / "profile.toml")  # its definition cues
    add_act(src, "first", "Q-1.5")
    add_act(src, "second", "R-2")
    bot = _built_bot(tmp_path, src)
    first = bot.ask("What is the Board under Sample Act R-2?", "en")
    assert first.results[0].en["text"].startswith("Board means")
    assert first.results[0].id.startswith("R-2.")
    turns = [{"question": "What is the Board under Sample Act R-2?",
              "ids": [r.id for r in first.results]}]
    for text, lang, opening in (("and the Minister?", "en", "Minister means"),
                                ("et le ministre ?", "fr", "ministre Le ministre")):
        answer = bot.ask(text, lang, history=turns)
        lead = answer.results[0]
        side = lead.en if lang == "en" else lead.fr
        assert lead.id.startswith("R-2.") and side["text"].startswith(opening), (text, lead.id)
