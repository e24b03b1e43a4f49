"""What `bilex serve` needs at start is computed by `bilex build` and loaded: the corpus's
words (bot/vocabulary.py) are saved beside the corpus, keyed by the corpus and the code, and the
bot started from them reads questions exactly as one that counts them itself."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from api.build import (
    build_all,
    ensure_corpus,
    index_store,
    load_bot,
    saved_hub,
    saved_terms,
    saved_words,
)
from api.settings import Settings
from bot.engine import Bot
from bot.retrievers import HUB_FILE, chunk_hubness, dump_hub, parse_hub
from bot.vocabulary import WORDS_FILE, corpus_words, dump_words, parse_words
from corpus.build import default_sources_dir
from tests.api.test_acts_build import add_act


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("startup")
    src = tmp / "sources"
    shutil.copytree(default_sources_dir(), src)  # the shipped sources beside an act
    add_act(src, "first", "Q-1.5")
    settings = Settings(data_dir=tmp / "data", sources_dir=src, model="fake:32")
    build_all(settings)
    return settings


def test_build_saves_the_words_the_bot_would_count(built: Settings) -> None:
    corpus = ensure_corpus(built)
    saved = saved_words(built, index_store(built), corpus)
    assert saved is not None
    counted = corpus_words(corpus)
    assert saved.counts == counted.counts and saved.both == counted.both
    assert saved.capitals == counted.capitals and "board" not in saved.capitals
    assert saved.accented == counted.accented
    assert {"board", "conseil", "navigation"} <= set(saved.counts)
    loaded = load_bot(built)
    assert loaded._corpus_words is not None  # started from the build's words
    (built.data_dir / WORDS_FILE).unlink()
    counting = load_bot(built)  # no saved words: the bot counts them
    assert counting._corpus_words is None
    assert counting.phrasing.vocabulary == loaded.phrasing.vocabulary
    assert counting.neutral == loaded.neutral
    assert counting._acronyms == loaded._acronyms
    for question in ("navigaton and shiping", "Qu’est-ce que le Conseil ?"):
        assert counting.ask(question).to_dict() == loaded.ask(question).to_dict()
    assert loaded.read("navigaton and shiping", "en").corrections  # typos read on the words
    build_all(built)  # "nothing changed" still writes the missing words
    assert (built.data_dir / WORDS_FILE).is_file()


def test_saved_words_of_another_corpus_or_code_are_not_used(built: Settings,
                                                            tmp_path: Path) -> None:
    corpus = ensure_corpus(built)
    blob = dump_words(corpus_words(corpus), corpus)
    assert parse_words(blob, corpus) is not None
    data = json.loads(blob)
    data["key"] = "0" * 64  # another corpus, or other code that finds words
    assert parse_words(json.dumps(data).encode(), corpus) is None
    assert parse_words(b"{not json", corpus) is None
    assert parse_words(None, corpus) is None


def test_saved_postings_find_the_same_first_passages_as_a_scan(built: Settings) -> None:
    """`UnitTerms` (made at build time) answers "the first passage of each source holding these
    tokens" as the scan over every passage's vocabulary does, for every token and pair."""
    from bot.engine import DEFINITION_POOL
    from bot.vocabulary import UnitTerms, document_order, passage_vocabulary

    corpus = ensure_corpus(built)
    terms = saved_terms(built, index_store(built), corpus)
    assert terms is not None
    units = {u.id: u for u in corpus.units}
    commentary = {p.id: p for p in corpus.commentary}
    order = document_order(corpus)
    vocab = {uid: passage_vocabulary(units, commentary, uid) for uid in order}
    source = {u.id: u.fr.source for u in corpus.units} | {p.id: p.source for p in commentary.values()}

    def scan(wordings: list[set[str]]) -> set[str]:
        first: dict[str, str] = {}
        for uid in order:
            if source[uid] not in first and any(w <= vocab[uid] for w in wordings):
                first[source[uid]] = uid
        return set(first.values())

    tokens = sorted(set().union(*vocab.values()))
    assert len(tokens) > 50
    cases = [[{t}] for t in tokens] + [[{a, b}] for a, b in zip(tokens, tokens[7:], strict=False)]
    cases += [[{tokens[3]}, {tokens[40], tokens[41]}], [{"absent-token"}], [{tokens[0], "absent"}]]
    for wordings in cases:
        assert set(terms.first_holding(wordings).values()) == scan(wordings), wordings
    assert UnitTerms.parse(terms.dump(corpus), corpus) is not None
    assert UnitTerms.parse(b"not an npz", corpus) is None
    # each passage's own vocabulary, read back from the postings, is its analysis
    assert all(terms.vocabulary(uid) == vocab[uid] for uid in order)
    assert terms.vocabulary("no-such-passage") == frozenset()
    held = terms.frequencies()  # how many passages hold each token, for highlights
    assert held == {t: sum(t in v for v in vocab.values()) for t in tokens}
    bot = load_bot(built)
    assert bot.enricher.frequency == held and len(held) > 50
    for subject in (("Board",), ("navigation",), ("Conseil",), ("nothing", "here")):
        for lang in ("fr", "en"):
            ranked = bot.rank(" ".join(subject), lang)[0]
            wordings = bot._subject_wordings(subject)
            scanned = scan(wordings) if wordings else set()
            expected = next((uid for uid, _ in ranked[:DEFINITION_POOL] if uid in scanned), None)
            assert bot._defining(subject, lang, ranked) == expected, subject


def test_a_passage_without_a_vector_has_no_related_passages(built: Settings) -> None:
    """An act's provisions are indexed for their words only (zero vectors): nothing is
    "nearest" to them, and they are nobody's nearest."""
    bot = load_bot(built)
    chunks = bot.index.chunks
    unit = next(u.id for u in bot.corpus.units if u.article == "Q-1.5" and not np.any(
        bot.index.dense.vectors(np.array([i for i, c in enumerate(chunks)
                                          if c.id == f"{u.id}:{c.lang}"]))))
    assert bot.related.of(unit) == []
    related = [other for uid in bot._unit_ids for other in bot.related.of(uid)]
    assert related and unit not in related


def test_lexical_hits_become_each_units_best_score_in_hit_order(built: Settings) -> None:
    """The lexical evidence per unit (arrays) is the best score of its chunks, the units in
    the order their first hit comes, as a loop over the hits gives it."""
    bot = load_bot(built)
    n = len(bot.index)
    for question, lang in (("registre employeur", "fr"), ("navigation and shipping", "en"),
                           ("Board Conseil", None), ("préavis", "fr")):
        positions, scores = bot.index.lexical.search(question, lang, n)
        assert len(positions) > 1
        expected: dict[str, float] = {}
        for chunk, score in bot.index.lexical_search(question, lang, n):
            expected[chunk.unit_id] = max(expected.get(chunk.unit_id, 0.0), score)
        found = bot.lexical.per_unit(positions, scores)
        assert list(found.items()) == list(expected.items())
        shuffled = np.random.default_rng(0).permutation(len(positions))
        assert bot.lexical.per_unit(positions[shuffled], scores[shuffled]) == expected
        if lang is not None:
            assert bot.lexical.search(question, lang) == expected


def test_build_records_the_chunks_so_a_server_need_not_make_them(
        built: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import api.build as build

    corpus, fingerprint = build.built_corpus(built)
    chunks, hashed = build.corpus_chunks(corpus)
    record = build.chunk_record(built, corpus, fingerprint)
    assert record.corpus_hash == hashed and record.total == len(chunks)
    assert 0 < record.embedded < record.total  # the act's provisions are not embedded
    assert record == build.ChunkRecord(hashed, record.embedded, len(chunks))

    def no_chunks(_: object) -> object:
        raise AssertionError("the saved record was not used")

    with monkeypatch.context() as patch:  # started from the record: no chunk made or hashed
        patch.setattr(build, "corpus_chunks", no_chunks)
        build.check_built(built)
        assert build.chunk_record(built, corpus, fingerprint) == record
        # another indexer (its code changed) does not read this record
        code = tmp_path / "indexer"
        shutil.copytree(build.INDEXER_CODE, code)
        (code / "chunking.py").write_text("# changed\n", encoding="utf-8")
        patch.setattr(build, "INDEXER_CODE", code)
        with pytest.raises(AssertionError, match="record was not used"):
            build.chunk_record(built, corpus, fingerprint)

    path = built.data_dir / build.CHUNK_RECORD
    saved = json.loads(path.read_text(encoding="utf-8"))
    try:
        for damaged in ("{not json", json.dumps({**saved, "key": "another corpus"}),
                        json.dumps({"key": saved["key"]})):
            path.write_text(damaged, encoding="utf-8")
            assert build.chunk_record(built, corpus, fingerprint) == record  # computed again
        path.unlink()
        assert build.chunk_record(built, corpus, fingerprint) == record
        build.check_built(built)
    finally:
        build_all(built)  # "nothing changed" writes the record again
    assert json.loads(path.read_text(encoding="utf-8")) == saved


def test_a_law_the_question_names_moves_its_units_up(built: Settings) -> None:
    from dataclasses import replace

    import numpy as np

    from bot.engine import Mechanisms

    bot = load_bot(built)
    question = "What does the Sample Act Q-1.5 say about the register?"
    signals = bot.signals(question, "en")
    assert signals.laws == {"Q-1.5"}
    act = next(u.id for u in bot.corpus.units if u.article == "Q-1.5")
    seed = next(u.id for u in bot.corpus.units if u.article != "Q-1.5")
    # synthetic evidence: the seed's alinéa a little ahead of the act's unit
    synthetic = replace(signals, dense={seed: 1.2, act: 1.0}, dense_sentence={seed: 1.2, act: 1.0},
                        lexical={seed: 1.0, act: 0.9}, routed=[], vector=np.zeros(1))
    assert [u for u, _ in bot.fuse(replace(synthetic, laws=frozenset()))][:2] == [seed, act]
    assert [u for u, _ in bot.fuse(synthetic)][:2] == [act, seed]
    off = load_bot(built, Mechanisms(named_law=False))
    assert off.signals(question, "en").laws == frozenset()
    assert bot.signals("What does the register say?", "en").laws == frozenset()


def test_an_act_is_named_by_its_code_and_a_reference_says_its_language(built: Settings) -> None:
    bot = load_bot(built)
    assert "Q-1.5" in bot._act_titles["Q-1.5"]  # from its manifest's `act`
    assert all(law not in names for law, names in bot._act_titles.items() if law != "Q-1.5")
    assert bot.signals("What does Q-1.5 say about the register?", "en").laws == {"Q-1.5"}
    section = next(u.section for u in bot.corpus.units if u.article == "Q-1.5")
    assert bot.ui_lang == "fr"  # no word of these says a language; the reference's form does
    for question, language in ((f"s. {section}", "en"), (f"paragraphe {section}(1)a)", "fr"),
                               (f"Q-1.5, s. {section}", "en")):
        answer = bot.ask(question)
        assert answer.language == language, question
        assert answer.extra["detected"]["method"] == "reference"
    assert bot.ask(f"s. {section}", "fr").language == "fr"  # asked for: kept


def test_a_named_law_is_noted_not_searched_for(built: Settings) -> None:
    from bot.engine import Mechanisms

    bot = load_bot(built)
    named = bot.signals("What does the Sample Act Q-1.5 say about the register?", "en")
    bare = bot.signals("What does the say about the register?", "en")
    assert named.lexical == bare.lexical  # "sample act" matched every unit saying "this Act"
    off = load_bot(built, Mechanisms(named_law=False))
    assert off.signals("What does the Sample Act Q-1.5 say about the register?",
                       "en").lexical != bare.lexical


def test_a_follow_up_stays_under_the_law_an_earlier_turn_named(built: Settings) -> None:
    from bot.engine import Mechanisms

    bot = load_bot(built)
    named = {"question": "What does the Sample Act Q-1.5 say about the register?", "ids": []}
    other = {"question": "What is a register?", "ids": []}

    def carried(history: list[dict[str, object]], question: str = "And who keeps it?",
                on: Bot = bot) -> object:
        return on.ask(question, "en", history=history).extra["followup"]["laws"]

    assert carried([named]) == ["Q-1.5"]
    assert carried([named, other]) == ["Q-1.5"]  # the latest turn that named a law
    assert carried([other]) == []
    assert carried([named], "And in the Sample Act Q-1.5?") == []  # it names its own
    assert carried([named], on=load_bot(built, Mechanisms(named_law=False))) == []
    # noted as a law the question names (`Signals.laws`, which `fuse` moves up)
    assert bot.signals("And who keeps it?", "en", frozenset({"Q-1.5"})).laws == {"Q-1.5"}
    assert bot.signals("And who keeps it?", "en", frozenset({"Z-9"})).laws == frozenset()
    assert bot.signals("What does the Sample Act Q-1.5 say?", "en",
                       frozenset({"Z-9"})).laws == {"Q-1.5"}


def test_a_definition_question_naming_its_act_finds_the_acts_definition(built: Settings) -> None:
    """"What is the Board under the Sample Act Q-1.5?": the term is "Board", not the act's
    title and initials; its definition leads. A definition of the seeds does not lead a
    question naming the act."""
    bot = load_bot(built)
    board = next(u.id for u in bot.corpus.units
                 if u.article == "Q-1.5" and u.en.text.startswith("Board means"))
    for question, language in (("What is the Board under the Sample Act Q-1.5?", "en"),
                               ("What does Board mean in the Sample Act Q-1.5?", "en"),
                               ("Qu'est-ce que le Conseil au sens de la Sample Act Q-1.5 ?", "fr"),
                               ("What is the Board?", "en")):
        reading = bot.read(question, language)
        assert reading.definition in (("board",), ("conseil",)), question
        assert bot.assess(reading, language)[0][0][0] == board, question
    # a term the named act does not define: no passage of another source is put first
    reading = bot.read("What is the register under the Sample Act Q-1.5?", "en")
    ranked, _ = bot.assess(reading, "en")
    assert bot._defining(("register",), "en", ranked, frozenset({"Q-1.5"})) in (
        None, *[u.id for u in bot.corpus.units if u.article == "Q-1.5"])


def test_a_question_naming_a_served_act_whose_units_lead_is_covered(built: Settings) -> None:
    """Scope evidence `named`: the question names the act (title or initials) and the act's
    units lead; a question naming no act, or one the sources do not serve, is left to the
    model."""
    bot = load_bot(built)

    def named(question: str) -> bool:
        return bot.assess(bot.read(question, "en"), "en")[1].named

    assert named("What does the Sample Act Q-1.5 say about the register?")
    assert not named("What does the register say?")
    assert not named("What does the Widget Act say about the register?")
    answer = bot.ask("Under the Sample Act Q-1.5, who keeps the register?", "en")
    assert answer.answered and bot.units[answer.results[0].id].article == "Q-1.5"


def test_serve_imports_and_loads_with_the_cyclic_collector_off(
        built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bilex serve` turns the cyclic garbage collector off before it imports the server and
    checks and loads the build (objects that live as long as the server, which its passes
    would walk again and again); the warm-up turns it back on (next test)."""
    import gc

    from typer.testing import CliRunner

    import api.build
    import api.serve
    from api.cli import app

    seen: list[bool] = []
    monkeypatch.setattr(api.build, "check_built", lambda settings: seen.append(gc.isenabled()))
    monkeypatch.setattr(api.serve, "run", lambda settings: seen.append(gc.isenabled()))
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    finally:
        gc.enable()
    assert result.exit_code == 0 and seen == [False, False]


def test_the_warm_up_freezes_the_loaded_objects_and_turns_the_collector_on(
        built: Settings) -> None:
    import asyncio
    import gc

    from api.load import Engine

    engine = Engine(load_bot(built), answer_within=5.0)
    gc.disable()
    try:
        asyncio.run(engine.warm())
        assert gc.isenabled() and not engine.warming and gc.get_freeze_count() > 0
    finally:
        gc.enable()
        engine.close()


def test_the_server_does_not_import_the_html_reader() -> None:
    """Only a build reads HTML: bs4, with soupsieve and lxml, took 0.09 s of every start."""
    import subprocess
    import sys

    code = ("import sys, api.cli, api.build, api.app, api.serve; "
            "print(sorted(m for m in ('bs4', 'soupsieve', 'lxml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "[]"


def test_build_saves_the_chunks_hubness_the_bot_would_compute(built: Settings) -> None:
    """The hub correction's all-pairs product (0.6 s of every warm-up on five acts, growing
    with the square of the corpus) is made by `bilex build`; a bot loads it, and one without
    it computes the same values and answers the same."""
    from api.build import one_blas_thread

    store = index_store(built)
    loaded = load_bot(built)
    saved = saved_hub(built, store, loaded.index.manifest)
    assert saved is not None and loaded.dense._hub is not None  # started from the build's
    one_blas_thread()
    computed = chunk_hubness(loaded.index)
    assert np.array_equal(saved, computed) and np.array_equal(loaded.dense.hub, computed)
    assert np.count_nonzero(computed) > 10
    (built.data_dir / HUB_FILE).unlink()
    computing = load_bot(built)
    assert computing.dense._hub is None
    for question in ("navigation and shipping", "Qu’est-ce que le Conseil ?"):
        assert computing.ask(question).to_dict() == loaded.ask(question).to_dict()
    assert np.array_equal(computing.dense.hub, computed)
    build_all(built)  # "nothing changed" still writes the missing hubness
    assert np.array_equal(saved_hub(built, store, loaded.index.manifest), computed)


def test_saved_hubness_of_another_index_or_shape_is_not_used(built: Settings) -> None:
    index = load_bot(built).index
    blob = dump_hub(chunk_hubness(index), index)
    manifest = index.manifest
    assert parse_hub(blob, manifest) is not None
    other = dataclasses.replace(manifest, created_at="2000-01-01T00:00:00+00:00")
    assert parse_hub(blob, other) is None  # another build of the index
    assert parse_hub(dump_hub(np.zeros(3, np.float32), index), manifest) is None
    assert parse_hub(b"not an npz", manifest) is None
    assert parse_hub(None, manifest) is None


def test_a_start_without_the_builds_saved_counts_says_to_run_build(
        built: Settings, caplog: pytest.LogCaptureFixture) -> None:
    """Saved word counts made by another version are counted again at every start (on five
    acts /health came after 5 s instead of 1.6 s) without a word: the log now names them."""
    import logging

    with caplog.at_level(logging.WARNING, logger="bilex.api"):
        load_bot(built)
    assert not [r for r in caplog.records if "bilex build" in r.getMessage()]
    path = built.data_dir / WORDS_FILE
    saved = path.read_bytes()
    try:
        path.write_bytes(b"{}")  # as if made by another version
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bilex.api"):
            load_bot(built)
        said = [r.getMessage() for r in caplog.records if "bilex build" in r.getMessage()]
        assert len(said) == 1 and WORDS_FILE in said[0] and HUB_FILE not in said[0]
        assert str(built.data_dir) not in said[0]
    finally:
        path.write_bytes(saved)


def test_a_start_on_an_index_analysed_by_another_version_says_to_run_build(
        built: Settings, caplog: pytest.LogCaptureFixture) -> None:
    """An index whose BM25 tokens came from another word analysis (stemming, folding, stop
    lists) is served with a lexical search that misses some of its words: the log says so."""
    import logging

    path = built.data_dir / "index" / "manifest.json"
    saved = path.read_bytes()
    manifest = json.loads(saved)
    try:
        manifest["params"]["analysis"] = "another"
        path.write_text(json.dumps(manifest), encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bilex.api"):
            load_bot(built)
        said = [r.getMessage() for r in caplog.records if "analysed" in r.getMessage()]
        assert len(said) == 1 and "bilex build" in said[0]
        assert str(built.data_dir) not in said[0]
    finally:
        path.write_bytes(saved)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bilex.api"):
        load_bot(built)
    assert not [r for r in caplog.records if "analysed" in r.getMessage()]
