"""Drift flags: numbers (words or digits), references, units, length; corrupted pairs caught."""

from __future__ import annotations

from dataclasses import replace

from corpus.alignment import align_article
from corpus.drift import (
    LENGTH_RATIO,
    NUMBER_MISMATCH,
    REFERENCE_MISMATCH,
    UNIT_MISMATCH,
    pair_drift,
    quantities,
)
from corpus.structure import ArticleText


def test_number_words_normalised_across_languages() -> None:
    fr = "plafonné à vingt heures par année d’ancienneté et cent vingt heures sur six années"
    en = "capped at twenty hours per year of seniority and one hundred and twenty hours over six years"
    assert pair_drift(fr, en).flags == ()
    assert ("2", "month") in quantities("équivalent au minimum à deux mois de salaire", "fr")
    assert ("2", "month") in quantities("equivalent to at least two months’ salary", "en")
    assert ("12", "month") in quantities("des douze derniers mois travaillés", "fr")


def test_changed_number_and_reference_are_flagged() -> None:
    fr = "ouvre droit à l’indemnité prévue à l’article L. 122-9 pour deux mois"
    en = "entitles the employee to the compensation provided for in article L. 122-9 for two months"
    assert pair_drift(fr, en).flags == ()
    report = pair_drift(fr, en.replace("two months", "three months"))
    assert NUMBER_MISMATCH in report.flags
    assert report.details["numbers"] == {"fr_only": ["2"], "en_only": ["3"]}
    report = pair_drift(fr, en.replace("L. 122-9", "L. 122-8"))
    assert REFERENCE_MISMATCH in report.flags
    assert report.details["references"] == {"fr_only": ["L122-9"], "en_only": ["L122-8"]}


def test_unit_without_counterpart_and_length_ratio() -> None:
    fr = "une contribution égale à deux mois de salaire"
    report = pair_drift(fr, "a contribution equal to two weeks of salary")
    assert UNIT_MISMATCH in report.flags
    long_en = "a contribution equal to two months of salary " + "and much more besides " * 8
    assert LENGTH_RATIO in pair_drift(fr, long_en, norm=1.0).flags


def test_corrupted_pair_in_the_real_article_is_flagged(corpus, e5) -> None:  # type: ignore[no-untyped-def]
    fr = ArticleText("L321-4-2", "fr", None, tuple(
        _alinea(u.fr) for u in corpus.units))
    en_alineas = [_alinea(u.en) for u in corpus.units]
    en_alineas[1] = replace(en_alineas[1], text=en_alineas[1].text.replace(
        "twenty hours", "thirty hours"))
    en_alineas[3] = replace(en_alineas[3], text=en_alineas[3].text.replace(
        "L. 122-9", "L. 122-7"))
    en = ArticleText("L321-4-2", "en", None, tuple(en_alineas))
    pairs = align_article(fr, en, e5)
    assert NUMBER_MISMATCH in pairs[1].flags
    assert REFERENCE_MISMATCH in pairs[3].flags
    clean = [p for i, p in enumerate(pairs) if i not in (1, 3)]
    assert all(NUMBER_MISMATCH not in p.flags and REFERENCE_MISMATCH not in p.flags for p in clean)
    assert pairs[1].confidence < min(p.confidence for p in clean)


def test_swapped_pair_loses_confidence(corpus, e5) -> None:  # type: ignore[no-untyped-def]
    fr = ArticleText("L321-4-2", "fr", None, tuple(_alinea(u.fr) for u in corpus.units))
    en_alineas = [_alinea(u.en) for u in corpus.units]
    en_alineas[2], en_alineas[6] = (replace(en_alineas[6], number=3),
                                    replace(en_alineas[2], number=7))
    pairs = align_article(fr, ArticleText("L321-4-2", "en", None, tuple(en_alineas)), e5)
    assert pairs[2].confidence < 0.5 and pairs[6].confidence < 0.5
    assert "content_mismatch" in pairs[2].flags


def _alinea(passage):  # type: ignore[no-untyped-def]
    from corpus.structure import Alinea

    return Alinea(passage.section or "", passage.number, passage.text, passage.line)


def test_fold_is_the_nfkd_form_without_combining_marks() -> None:
    import random
    import unicodedata

    from corpus.drift import fold

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    rng = random.Random(7)
    texts = ["Élève ÇA œuvre ﬁn ½ ẞ İstanbul 한국어 ǅ Ⅻ ﬃ ℌ …", "e\u0301\u0323 a\u0323\u0301 o\u0308\u0304",
             "plain ascii", ""]
    texts += ["".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(40)) for _ in range(500)]
    for text in texts:
        assert fold(text) == reference(text), text
