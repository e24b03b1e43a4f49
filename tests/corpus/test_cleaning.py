"""No web boilerplate reaches a passage, and no sentence of real text is lost."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from corpus.build import clean_source
from corpus.manifest import discover
from corpus.text import sentences
from tests.conftest import SOURCES

BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\+\s?33", r"\b84 88 31 00\b", r"call us", r"contactez", r"get help from",
        r"free evaluation", r"lawyers are here", r"remain confidential", r"skip to main",
        r"useful links", r"original in french", r"<[a-z/]", r"&[a-z]+;", r"[\U0001F1E6-\U0001F1FF]",
        r"send us an email", r"need help with this article", r"en savoir plus",
    )
]

# What the cleaning may drop, per source: exactly these texts (by their start).
EXPECTED_REMOVALS = {
    "000_a2ce5ef13f623cff.txt": ["Skip to main content"],
    "001_24733fa58d0b5c4f.txt": [],
    "002_3303963e5140a752.txt": ["Outplacement > licenciement collectif",
                                 "En savoir plus sur le cadre juridique",
                                 "Contactez-nous sans engagement", "Quelques références:"],
    "003_1e6b081e43e3fa0e.txt": [
        "Call Us + 33 1 84 88 31 00", "Original in French",
        "Need help with this article? Get help from a French lawyer",
        "Our French business lawyers are here to help.",
        "We offer a FREE evaluation of your case.",
        "Call us at +33 (0) 1 84 88 31 00 or send us an email.", "Useful links",
        "You have a question in French Business Law?",
        "Our French business lawyers are here to help.",
        "We offer a FREE evaluation of your case.",
        "Call +33 (0) 1 84 88 31 00 or send us an email.",
        "All information exchanged through this website",
    ],
    "004_01c1e21986961462.txt": [],
}


def test_no_passage_holds_boilerplate(corpus) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in corpus.commentary]
    texts += [side.text for u in corpus.units for side in (u.fr, u.en)]
    texts += [p.heading or "" for p in corpus.commentary]
    assert len(texts) > 40
    for text in texts:
        for pattern in BOILERPLATE:
            assert not pattern.search(text), f"boilerplate {pattern.pattern!r} in: {text[:80]}"


def _sentences_in(raw: str, fmt: str) -> Counter[str]:
    if fmt == "html":
        soup = BeautifulSoup(raw, "html.parser")
        for img in soup.find_all("img"):
            img.decompose()
        for block in soup.find_all(["h1", "h2", "li"]) + soup.find_all("a", role="button"):
            block.insert_before("\n")
            block.insert_after("\n")
        raw = soup.get_text()
    raw = re.sub(r"[\U0001F1E6-\U0001F1FF]", "", raw)
    return Counter(_key(s) for s in sentences(raw))


def _key(sentence: str) -> str:
    """A sentence compared without its white space (inline tags move spaces around)."""
    return re.sub(r"\s+", "", sentence)


@pytest.mark.parametrize("manifest", discover(SOURCES), ids=lambda m: m.file.name)
def test_every_sentence_is_kept_or_is_listed_boilerplate(manifest) -> None:  # type: ignore[no-untyped-def]
    source = clean_source(manifest)
    removed = [r.text for r in source.removed if r.rule != "image"]
    unexpected = list(removed)
    for start in EXPECTED_REMOVALS[manifest.file.name]:
        match = next((t for t in unexpected if t.startswith(start)), None)
        assert match is not None, f"boilerplate left in: {start!r}"
        unexpected.remove(match)
    assert not unexpected, f"cleaning dropped text that is not boilerplate: {unexpected}"

    kept: list[str] = []
    for article in source.articles:
        kept += [article.heading] if article.heading else []
        kept += [a.text for a in article.alineas]
    headings = {p.heading for p in source.paragraphs if p.heading}
    kept += sorted(headings) + [p.text for p in source.paragraphs]
    out = Counter(_key(s) for text in kept + removed for s in sentences(text))
    into = _sentences_in(source.raw, manifest.format)
    assert sum(into.values()) >= 10
    missing = into - out
    assert not missing, f"sentences lost by cleaning: {list(missing)[:3]}"


def test_a_pointer_to_the_law_elsewhere_is_kept_and_its_address_is_not_searched(corpus) -> None:  # type: ignore[no-untyped-def]
    from indexer.chunking import chunks_from_corpus

    pointer = [p for p in corpus.commentary
               if p.text.startswith("Vous trouverez toute l’information sur la législation")]
    assert len(pointer) == 1 and "https://emploi.belgique.be/" in pointer[0].text  # shown whole
    indexed = [c.text for c in chunks_from_corpus(corpus) if c.unit_id == pointer[0].id]
    assert indexed and all("législation" in t and "https://" not in t for t in indexed)


def test_every_evaluation_sets_gold_passage_is_in_the_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    """A gold passage the corpus lacks can never be found: the cleaning dropped it, or the set
    quotes words no source has (the plain set once asked for "time limits for response")."""
    import json

    from tests.conftest import ROOT

    texts = [side.text for unit in corpus.units for side in (unit.fr, unit.en)]
    texts += [p.text for p in corpus.commentary]
    sets = sorted((ROOT / "tests" / "bot" / "data").glob("*.jsonl"))
    shared = ROOT.parent / "shared" / "eval" / "real_dev.jsonl"
    sets += [shared] if shared.is_file() else []
    sets += sorted((ROOT / "bench" / "data").glob("parity.jsonl"))
    missing = [(path.name, gold) for path in sets for line in path.read_text("utf-8").splitlines()
               if line.strip() for gold in json.loads(line).get("gold_any", [])
               if not any(gold in text for text in texts)]
    assert len(sets) >= 7 and any(p.name == "parity.jsonl" for p in sets) and missing == []
