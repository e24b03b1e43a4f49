"""The highlighted sentence: the question's words, and the embedded sentences' closeness."""

from __future__ import annotations

import pytest

import bot.highlight as highlight_module
from bot.highlight import combined_piece, highlight

TEXT = ("The employer pays for the programme. The programme lasts at least three months. "
        "It may be extended.")
TOKENS = {"programm", "last"}  # "how long does the programme last?", stemmed


def test_words_alone_pick_the_sentence_sharing_most_words() -> None:
    assert combined_piece(TEXT, TOKENS, "en", None, ()) == (37, 79)


def test_the_sentence_nearest_the_question_counts_beside_the_words() -> None:
    # the words tie the first two sentences ("programme" in both, "lasts" in the second):
    # e5 reading the third as nearest does not outweigh the words, the second leads both
    scored = [(0.80, 0, 36), (0.84, 37, 79), (0.86, 80, 99)]
    assert combined_piece(TEXT, TOKENS, "en", None, scored) == (37, 79)
    # a question sharing no word with the text: the nearest sentence is shown
    assert combined_piece(TEXT, {"cost"}, "en", None, scored) == (80, 99)
    # a question without words (a reference alone): nothing in particular to show
    assert combined_piece(TEXT, set(), "en", None, scored) is None


def test_the_other_side_shows_the_sentence_at_the_same_place() -> None:
    fr = ("L'employeur paie le programme. Le programme dure au moins trois mois. "
          "Il peut être prolongé.")
    sides = {"en": TEXT, "fr": fr}
    scored = {"en": [(0.70, 0, 36), (0.75, 37, 79), (0.90, 80, 99)]}
    shown = highlight(sides, "what does it cost?", "", "en", None, scored)
    assert shown["en"] == [80, 99]
    assert fr[shown["fr"][0]:shown["fr"][1]] == "Il peut être prolongé."


def test_a_texts_pieces_are_analysed_once_however_many_answers_show_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Analysing each piece of a result's side in both languages was most of an answer's
    time on its highlights, for sides most answers that show them read again (five acts:
    0.33 / 0.52 ms less per answer at the paired median)."""
    text = "Le programme dure trois mois. Il est payé par l'employeur. Il peut être prolongé."
    analysed: list[str] = []
    real = highlight_module.query_tokens

    def counting(piece: str, lang: str | None) -> list[str]:
        analysed.append(piece)
        return real(piece, lang)

    monkeypatch.setattr(highlight_module, "query_tokens", counting)
    first = combined_piece(text, {"pai", "employeur"}, "fr", None, ())
    assert first is not None and text[first[0]:first[1]] == "Il est payé par l'employeur."
    assert len(analysed) == 3  # its three sentences
    again = combined_piece(text, {"prolong"}, "fr", None, ())
    assert again is not None and text[again[0]:again[1]] == "Il peut être prolongé."
    assert len(analysed) == 3  # not analysed again
