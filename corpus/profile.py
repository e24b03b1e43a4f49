"""The corpus profile: what the sources cannot say for themselves (example questions,
neighbouring subjects and where to go for them, the refusal text), each entry with its origin.

Shape agreed in PROFILE.md (helper 11 owns the full loader; this is the part the suggestions
and helpful refusals rely on). An absent file gives an empty profile.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import ManifestError

FILENAME = "profile.toml"
GENERIC_REFUSAL = {
    "fr": "Les sources de Bilex ne couvrent pas cette question.",
    "en": "Bilex's sources do not cover this question.",
}


@dataclass(frozen=True)
class Example:
    """An in-scope example question, for suggestions."""

    lang: str
    q: str
    origin: str


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring subject the sources do not cover, and where to go for it."""

    name: dict[str, str]
    terms: dict[str, tuple[str, ...]]
    pointer: dict[str, str]
    origin: str


@dataclass(frozen=True)
class Profile:
    refusal: dict[str, str] = field(default_factory=lambda: dict(GENERIC_REFUSAL))
    examples: tuple[Example, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()


def _need(path: Path, entry: dict[str, Any], key: str) -> Any:
    if key not in entry or entry[key] in (None, "", {}, []):
        raise ManifestError(f"{path}: an entry lacks '{key}'")
    return entry[key]


def load_profile(sources_dir: Path) -> Profile:
    """The profile beside the sources; an empty one when there is none."""
    path = sources_dir / FILENAME
    if not path.is_file():
        return Profile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None
    refusal = dict(GENERIC_REFUSAL)
    for lang, entry in (data.get("refusal") or {}).items():
        refusal[lang] = str(_need(path, entry, "value"))
        _need(path, entry, "origin")
    examples = tuple(Example(str(_need(path, e, "lang")), str(_need(path, e, "q")),
                             str(_need(path, e, "origin"))) for e in data.get("example", []))
    neighbours = tuple(
        Neighbour(dict(_need(path, n, "name")),
                  {lang: tuple(words) for lang, words in _need(path, n, "terms").items()},
                  dict(_need(path, n, "pointer")), str(_need(path, n, "origin")))
        for n in data.get("neighbour", []))
    return Profile(refusal, examples, neighbours)
