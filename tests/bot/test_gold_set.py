"""The gold question set is well formed and every gold substring points at one passage.

Checked against the repo's copies of the sources (`corpus/sources/`), never outside the repo.
A passage here is an alinéa of article L321-4-2 (its French and English sides, and the
English copy in 004, count as one) or a line of a commentary source with HTML tags removed.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpus" / "sources"
DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "gold.jsonl"
EN_QUESTIONS = DATA / "en_questions.txt"

ARTICLE = "003_1e6b081e43e3fa0e.txt"
ARTICLE_EN_COPY = "004_01c1e21986961462.txt"
COMMENTARY = {
    "000": "000_a2ce5ef13f623cff.txt",
    "001": "001_24733fa58d0b5c4f.txt",
    "002": "002_3303963e5140a752.txt",
}
# Section I has 8 alinéas, section II has 1: their targets, in document order.
ALINEAS = [f"L321-4-2 I al.{n}" for n in range(1, 9)] + ["L321-4-2 II al.1"]
OUT_OF_SCOPE = "out of scope"
KEYS = {"q", "lang", "gold_any", "target", "note"}
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Passage:
    """One place a gold substring may point at: `key` is an alinéa target or 'NNN:line'."""

    key: str
    lang: str
    text: str


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _between(lines: list[str], start: str, stop: str) -> list[str]:
    first = lines.index(start) + 1
    last = next(i for i in range(first, len(lines)) if lines[i].startswith(stop))
    return lines[first:last]


@cache
def passages() -> tuple[Passage, ...]:
    """The passages of the five sources (statute alinéas, commentary lines)."""
    lines = _lines((SOURCES / ARTICLE).read_text(encoding="utf-8"))
    heading_en = next(line for line in lines if line.startswith("Article L321-4-2\xa0of"))
    english = _between(lines, heading_en, "Original in French")
    french = _between(lines, "Article L321-4-2", "Need help")
    copy = _lines((SOURCES / ARTICLE_EN_COPY).read_text(encoding="utf-8"))
    assert len(english) == len(french) == len(copy) == len(ALINEAS), "expected 9 alinéas"
    found = [Passage(key, "en", text) for key, text in zip(ALINEAS, english, strict=True)]
    found += [Passage(key, "fr", text) for key, text in zip(ALINEAS, french, strict=True)]
    found += [Passage(key, "en", text) for key, text in zip(ALINEAS, copy, strict=True)]
    for prefix, name in COMMENTARY.items():
        raw = (SOURCES / name).read_text(encoding="utf-8")
        lang = "en" if prefix == "000" else "fr"
        for number, line in enumerate(_lines(raw), start=1):
            clean = html.unescape(_TAG.sub("", line)).strip()
            if clean:
                found.append(Passage(f"{prefix}:{number}", lang, clean))
    return tuple(found)


def where(substring: str) -> set[Passage]:
    return {p for p in passages() if substring in p.text}


@cache
def gold() -> tuple[dict[str, object], ...]:
    rows = []
    for number, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"gold.jsonl line {number} is blank"
        rows.append(json.loads(line))
    return tuple(rows)


def _gold(row: dict[str, object]) -> list[str]:
    value = row["gold_any"]
    assert isinstance(value, list)
    return [str(v) for v in value]


def in_scope() -> list[dict[str, object]]:
    return [row for row in gold() if row["gold_any"]]


def test_sources_are_in_the_repo() -> None:
    missing = [n for n in [ARTICLE, ARTICLE_EN_COPY, *COMMENTARY.values()]
               if not (SOURCES / n).is_file()]
    assert not missing, f"missing under {SOURCES}: {missing}"


def test_rows_have_the_contract_shape() -> None:
    for row in gold():
        assert set(row) == KEYS, row
        assert isinstance(row["q"], str) and row["q"].strip(), row
        assert row["lang"] in ("fr", "en"), row
        assert isinstance(row["target"], str) and row["target"], row
        assert isinstance(row["note"], str), row
        subs = row["gold_any"]
        assert isinstance(subs, list) and len(subs) <= 3, row
        assert all(isinstance(s, str) and len(s) >= 8 for s in subs), row
        assert (row["target"] == OUT_OF_SCOPE) == (not subs), row
    questions = Counter(str(row["q"]).strip().lower() for row in gold())
    assert not [q for q, n in questions.items() if n > 1], "duplicate questions"


def test_enough_questions_in_both_languages() -> None:
    scoped = in_scope()
    assert len(scoped) >= 80
    langs = Counter(str(row["lang"]) for row in gold())
    assert 0.4 <= langs["fr"] / len(gold()) <= 0.6, langs
    out = Counter(str(row["lang"]) for row in gold() if not row["gold_any"])
    assert out["fr"] >= 5 and out["en"] >= 5, out


def test_gold_substrings_are_clean_and_verbatim() -> None:
    for row in in_scope():
        for sub in _gold(row):
            assert sub == sub.strip() and "  " not in sub, sub
            assert not re.search(r"[<>&\xa0]", sub), f"not clean text: {sub!r}"
            assert where(sub), f"{sub!r} ({row['q']!r}) is not verbatim in {SOURCES}"


def test_each_gold_substring_points_at_one_passage() -> None:
    for row in in_scope():
        for sub in _gold(row):
            keys = {p.key for p in where(sub)}
            assert len(keys) == 1, f"{sub!r} is ambiguous: {sorted(keys)}"


def test_statute_gold_names_its_alinea_on_both_sides() -> None:
    for row in in_scope():
        target = row["target"]
        if target not in ALINEAS:
            continue
        hits = [p for sub in _gold(row) for p in where(sub)]
        assert {p.key for p in hits} == {target}, (row["q"], target)
        assert {p.lang for p in hits} == {"fr", "en"}, f"{row['q']!r}: give an FR and an EN side"


def test_commentary_gold_is_in_the_named_source() -> None:
    for row in in_scope():
        target = str(row["target"])
        if target in ALINEAS:
            continue
        prefix = target[:3]
        assert prefix in COMMENTARY, f"unknown target {target!r}"
        keys = {p.key.split(":")[0] for sub in _gold(row) for p in where(sub)}
        assert keys == {prefix}, (row["q"], target, keys)


@pytest.mark.parametrize("target", ALINEAS)
def test_every_alinea_is_asked_at_least_twice_per_language(target: str) -> None:
    langs = Counter(str(row["lang"]) for row in in_scope() if row["target"] == target)
    assert langs["fr"] >= 2 and langs["en"] >= 2, (target, langs)


@pytest.mark.parametrize("prefix", sorted(COMMENTARY))
def test_every_commentary_source_is_asked(prefix: str) -> None:
    rows = [row for row in in_scope() if str(row["target"]).startswith(prefix + " ")]
    assert len(rows) >= 4, prefix


def test_cross_language_questions_exist() -> None:
    targets = [(row["lang"], str(row["target"])[:3]) for row in in_scope()]
    assert ("fr", "000") in targets, "a French question answered only by English 000"
    assert {("en", "001"), ("en", "002")} <= set(targets), "English questions for 001/002"


def test_english_detection_questions() -> None:
    lines = EN_QUESTIONS.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 60 and all(line.strip() == line and line for line in lines)
    assert len(set(lines)) == len(lines)
