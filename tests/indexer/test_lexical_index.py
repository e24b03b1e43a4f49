"""Bilingual BM25: references as one token, accent folding, stop words, stemming."""

from __future__ import annotations

from pathlib import Path

import pytest
from indexer_support import make_chunks

from indexer.errors import IndexMissingError, QueryError
from indexer.lexical import LexicalIndex, query_tokens, tokenize


@pytest.mark.parametrize("text", ["L. 321-4-2", "L321-4-2", "L 321-4-2", "art. L. 321-4-2",
                                  "l'art. L.321-4-2", "Article L. 321-4-2."])
def test_article_reference_is_one_token(text: str) -> None:
    for lang in ("fr", "en"):
        assert tokenize(text, lang) == ["l321-4-2"]


def test_other_references_are_kept_whole() -> None:
    tokens = tokenize("Voir les articles L. 933-6 et R. 1233-1, ou D.4121-2.", "fr")
    assert {"l933-6", "r1233-1", "d4121-2"} <= set(tokens)
    assert "933" not in tokens and "6" not in tokens


def test_accents_are_folded_and_inflections_stemmed() -> None:
    assert tokenize("Licenciement ÉCONOMIQUE", "fr") == tokenize("licenciements economiques",
                                                                 "fr")
    assert all(t.isascii() for t in tokenize("préavis, congé, durée", "fr"))


def test_stop_words_are_dropped_but_legal_words_kept() -> None:
    assert tokenize("le la les de des du et pour", "fr") == []
    assert tokenize("the of and which should", "en") == []
    assert {"work", "section", "inform"} <= set(tokenize("the works section information", "en"))


def test_question_words_are_not_content_in_either_language() -> None:
    # "combien" and "quoi" had counted as words the sources never use (English's "how" and
    # "what" were stop words already)
    assert tokenize("combien de temps dure la convention ? c'est quoi ?", "fr") == \
        tokenize("temps dure la convention", "fr")
    assert tokenize("how long does the agreement last? what is it?", "en") == \
        tokenize("agreement last", "en")


def test_the_analysis_has_a_version() -> None:
    from indexer.lexical import analysis_version

    assert analysis_version() == analysis_version()
    assert len(analysis_version()) == 16


def test_query_is_analysed_in_both_languages() -> None:
    tokens = query_tokens("licenciement économique", "fr")
    assert tokens[:2] == tokenize("licenciement économique", "fr")
    assert set(tokenize("licenciement économique", "en")) <= set(tokens)
    with pytest.raises(QueryError, match="'de'"):
        query_tokens("x", "de")


@pytest.fixture
def lexical() -> LexicalIndex:
    chunks = make_chunks()
    return LexicalIndex.build([c.text for c in chunks], [c.lang for c in chunks])


def _texts(positions: object) -> list[str]:
    chunks = make_chunks()
    return [chunks[int(p)].id for p in positions]  # type: ignore[attr-defined]


def test_french_query_finds_the_french_chunk_despite_accents(lexical: LexicalIndex) -> None:
    positions, scores = lexical.search("licenciements economiques", "fr", 3)
    assert _texts(positions)[0] == "u1:fr"
    assert all(scores > 0)


def test_english_query_and_reference_query(lexical: LexicalIndex) -> None:
    assert _texts(lexical.search("notice period", "en", 3)[0])[0] == "u3:en"
    assert _texts(lexical.search("que dit l'article L321-4-2 ?", "fr", 3)[0]) == ["c1:fr"]


def test_unknown_words_give_no_result(lexical: LexicalIndex) -> None:
    positions, scores = lexical.search("zzzz qwerty", "en", 5)
    assert len(positions) == 0 and len(scores) == 0


def test_save_and_load(tmp_path: Path, lexical: LexicalIndex) -> None:
    lexical.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert _texts(loaded.search("préavis", "fr", 1)[0]) == ["u3:fr"]
    with pytest.raises(IndexMissingError, match="bm25/ is missing"):
        LexicalIndex.load(tmp_path / "nothing" / "bm25")


def test_hits_best_first_ties_in_document_order_and_at_most_k() -> None:
    texts = ["delay notice", "notice", "other words", "notice", "notice delay delay", "notice"]
    index = LexicalIndex.build(texts, ["en"] * len(texts))
    positions, scores = index.search("notice", "en", 100)
    assert list(scores) == sorted(scores, reverse=True) and all(scores > 0)
    assert 2 not in positions  # no score for a doc without the word
    same = [int(p) for p, s in zip(positions, scores, strict=True) if s == scores[0]]
    assert same == sorted(same) == [1, 3, 5]  # the equal short docs, in document order
    few, few_scores = index.search("notice", "en", 2)
    assert list(few) == [1, 3] and list(few_scores) == list(scores[:2])
