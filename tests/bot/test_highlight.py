"""The highlighted sentence: the question's words, and the embedded sentences' closeness."""

from __future__ import annotations

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
