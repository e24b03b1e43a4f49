"""The corpus profile: loaded from beside the sources, every entry with its origin."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from corpus.errors import ManifestError
from corpus.profile import GENERIC_REFUSAL, load_profile

SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "sources"
ROOT = Path(__file__).resolve().parents[2]


def test_shipped_profile_has_every_part_with_origins() -> None:
    profile = load_profile(SOURCES)
    assert profile.refusal["fr"] and profile.refusal["en"]
    assert profile.refusal != GENERIC_REFUSAL
    assert {e.lang for e in profile.examples} == {"fr", "en"}
    assert profile.neighbours and profile.terms and profile.places
    for entry in (*profile.examples, *profile.neighbours, *profile.terms, *profile.places):
        assert entry.origin.strip()
    for n in profile.neighbours:
        assert set(n.name) == set(n.pointer) == {"fr", "en"} and n.terms["fr"] and n.terms["en"]
    assert profile.greetings.origin and profile.definition_cues.origin
    assert profile.definition_personal.origin and profile.definition_personal.get("en")
    assert profile.definition_clause.origin and profile.definition_clause.get("fr")
    assert profile.question_words.origin and profile.question_words.get("en")
    assert profile.negation.origin and profile.negation_opening.origin
    assert profile.negation.get("fr") and profile.negation.get("en")
    assert set(profile.origins) >= {"refusal.fr", "refusal.en", "greeting_reply", "thanks_reply",
                                   "farewell_reply", "acknowledgement_reply", "help_reply",
                                   "spelling", "about"}
    assert profile.language_request.origin and profile.politeness.origin
    assert profile.more_request.origin and set(profile.more_none) == {"fr", "en"}
    assert profile.language_request.get("fr") and profile.language_request.get("en")
    for kind, phrases, reply in profile.small_talk():
        assert phrases.origin and phrases.get("fr") and phrases.get("en"), kind
        assert set(reply) == {"fr", "en"}, kind
    for name in ("title", "tagline", "intro", "placeholder", "examples"):
        assert set(profile.about[name]) == {"fr", "en"}, name


def test_profile_terms_reach_the_sources(corpus) -> None:  # type: ignore[no-untyped-def]
    from bot.phrasing import words

    vocabulary = {w for u in corpus.units for side in (u.fr, u.en) for w in words(side.text)}
    vocabulary |= {w for p in corpus.commentary for w in words(p.text)}
    assert load_profile(SOURCES).problems(vocabulary) == []


def test_what_thanks_are_for_makes_each_thanks_phrase_longer(tmp_path: Path) -> None:
    (tmp_path / "profile.toml").write_text(
        '[thanks]\nfr = ["merci", "merci beaucoup"]\nen = ["thanks"]\norigin = "o"\n'
        '[thanks_for]\nfr = ["pour la réponse"]\nen = ["for the reply"]\norigin = "p"\n',
        encoding="utf-8")
    profile = load_profile(tmp_path)
    assert profile.thanks.get("fr") == ("merci", "merci beaucoup", "merci pour la réponse",
                                        "merci beaucoup pour la réponse")
    assert profile.thanks.get("en") == ("thanks", "thanks for the reply")
    assert profile.thanks.origin == "o" and profile.thanks_for.origin == "p"
    shipped = load_profile(SOURCES)
    assert shipped.thanks_for.origin and "merci beaucoup pour la réponse" in shipped.thanks.get("fr")


def test_absent_profile_is_empty_with_a_generic_refusal(tmp_path: Path) -> None:
    profile = load_profile(tmp_path)
    assert profile.refusal == GENERIC_REFUSAL and profile.terms == () and profile.examples == ()
    assert profile.about == {}  # the page keeps its generic texts


@pytest.mark.parametrize("body, fragment", [
    ('[[example]]\nlang = "fr"\nq = "x ?"\n', "origin"),
    ('[[example]]\nlang = "de"\nq = "x ?"\norigin = "o"\n', "lang"),
    ('[[term]]\nterms = []\nfr = "a"\nen = "b"\norigin = "o"\n', "terms"),
    ('[refusal.fr]\nvalue = "x"\n', "origin"),
    ('[negation]\nen = ["not"]\n', "origin"),
    ('[negation]\nen = "not"\norigin = "o"\n', "list of strings"),
    ("not = [valid", "TOML"),
    ('[about]\nintro = { fr = "x" }\n', "origin"),
    ('[about]\norigin = "o"\nsubtitle = { fr = "x" }\n', "unknown entries"),
    ('[about]\norigin = "o"\nexamples = { fr = "x ?" }\n', "list of strings"),
    ('[about]\norigin = "o"\nintro = "x"\n', "fr and en"),
    # tables matched word by word: a phrase there would never match
    ('[question_words]\nen = ["how long"]\norigin = "o"\n', "not one word"),
    ('[definition_clause]\nfr = ["si", ""]\norigin = "o"\n', "not one word"),
])
def test_bad_profile_entries_are_refused(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "profile.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ManifestError, match=fragment):
        load_profile(tmp_path)


def test_no_code_names_a_source_or_subject() -> None:
    pattern = (r"(00[0-4]_[0-9a-f]{6}|L\.? ?321-4-2|outplacement|reclassement|redeployment|"
               r"\bCRP\b|Belgi|Canad)")
    found = subprocess.run(["git", "grep", "-nI", "-i", "-E", pattern, "--", "bot/*"],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert found.stdout == ""
