"""What `bilex serve` needs at start is computed by `bilex build` and loaded: the corpus's
words (bot/vocabulary.py) are saved beside the corpus, keyed by the corpus and the code, and the
bot started from them reads questions exactly as one that counts them itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.build import build_all, ensure_corpus, index_store, load_bot, saved_words
from api.settings import Settings
from bot.vocabulary import WORDS_FILE, corpus_words, dump_words, parse_words
from tests.api.test_acts_build import add_act


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("startup")
    src = tmp / "sources"
    src.mkdir()
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
    assert {"board", "conseil", "navigation"} <= set(saved.counts)
    loaded = load_bot(built)
    assert loaded._corpus_words is not None  # started from the build's words
    (built.data_dir / WORDS_FILE).unlink()
    counting = load_bot(built)  # no saved words: the bot counts them
    assert counting._corpus_words is None
    assert counting.phrasing.vocabulary == loaded.phrasing.vocabulary
    assert counting.neutral == loaded.neutral
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
