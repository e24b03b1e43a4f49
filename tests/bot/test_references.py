"""Article references in either language route straight to the right alinéas."""

from __future__ import annotations

import pytest

from bot.references import parse, route


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("article L. 321-4-2 II", ["L321-4-2.II.1"]),
        ("L321-4-2 II", ["L321-4-2.II.1"]),
        ("art. L 321-4-2, al. 3", ["L321-4-2.I.3"]),
        ("Article L. 321-4-2, I, alinéa 8", ["L321-4-2.I.8"]),
        ("article L321-4-2 I al. 5", ["L321-4-2.I.5"]),
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


@pytest.mark.parametrize("question", ["force majeure clause", "j'ai 2 enfants et 3 chats",
                                      "combien d'heures de DIF ?", "L. 999-9"])
def test_no_reference_or_unknown_one_routes_nowhere(corpus, question: str) -> None:  # type: ignore[no-untyped-def]
    assert route(parse(question), corpus.units) == []
