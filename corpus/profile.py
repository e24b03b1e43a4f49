"""The corpus profile: what the sources cannot say about themselves, each entry with its origin.

`profile.toml` sits beside the sources (it is not a source manifest). It holds lay words and
acronyms with their meaning in the sources' wording, the places a question may name, the
neighbouring subjects the sources do not cover and where to go for them, the refusal text,
example questions, what the chat page says the sources are (`[about]`), small talk (greetings,
thanks, farewells, acknowledgements, requests for help) and its replies, and common short
spellings. Everything else the bot knows comes from the built corpus itself. An absent
file gives an empty profile with a generic refusal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import ManifestError

PROFILE_FILE = "profile.toml"
ABOUT_TEXTS = ("title", "tagline", "intro", "placeholder")  # [about]: the chat page, per language
LANGS = ("fr", "en")
# small talk: (kind, the table of its phrases, the table of its reply), in the order a message
# mixing kinds is answered by (see Profile.small_talk)
SMALL_TALK = (("farewell", "farewells", "farewell_reply"), ("thanks", "thanks", "thanks_reply"),
              ("help", "help", "help_reply"),
              ("clarification", "clarifications", "clarification_reply"),
              ("greeting", "greetings", "greeting_reply"),
              ("acknowledgement", "acknowledgements", "acknowledgement_reply"))

GENERIC_REFUSAL = {
    "fr": "Les sources de Bilex ne couvrent pas cette question : reformulez-la sur leur sujet.",
    "en": "Bilex’s sources do not cover this question: rephrase it on their subject.",
}


@dataclass(frozen=True)
class Example:
    """An in-scope example question, for suggestions."""

    lang: str
    q: str
    origin: str


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring subject the sources do NOT cover, and where to go for it."""

    name: dict[str, str]
    terms: dict[str, tuple[str, ...]]
    pointer: dict[str, str]
    origin: str


@dataclass(frozen=True)
class Term:
    """Words a user may type (lay words, acronyms) and what they mean in the sources' wording."""

    terms: tuple[str, ...]
    fr: str
    en: str
    origin: str
    scope: bool = False  # a word only the sources' subject uses (evidence for the scope decision)


@dataclass(frozen=True)
class Place:
    """A jurisdiction and the words that name it."""

    jurisdiction: str
    terms: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class Phrases:
    """Per-language word lists of one kind (greetings, definition cues ...), with an origin."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    origin: str = ""

    def get(self, lang: str) -> tuple[str, ...]:
        return self.words.get(lang, ())

    def all(self) -> tuple[str, ...]:
        return tuple(w for lang in LANGS for w in self.get(lang))


@dataclass(frozen=True)
class Profile:
    """Everything `profile.toml` holds (see the module docstring)."""

    refusal: dict[str, str] = field(default_factory=lambda: dict(GENERIC_REFUSAL))
    examples: tuple[Example, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    terms: tuple[Term, ...] = ()
    places: tuple[Place, ...] = ()
    greetings: Phrases = field(default_factory=Phrases)  # "bonjour", "thanks" ...
    greeting_reply: dict[str, str] = field(default_factory=dict)
    thanks: Phrases = field(default_factory=Phrases)  # "merci", "thank you" ...
    thanks_reply: dict[str, str] = field(default_factory=dict)
    # what thanks are for ("pour la réponse", "for the reply"): each thanks phrase followed
    # by one of them is a thanks phrase too (joined into `thanks` when the profile is read)
    thanks_for: Phrases = field(default_factory=Phrases)
    farewells: Phrases = field(default_factory=Phrases)  # "au revoir", "bye" ...
    farewell_reply: dict[str, str] = field(default_factory=dict)
    acknowledgements: Phrases = field(default_factory=Phrases)  # "d'accord", "got it" ...
    acknowledgement_reply: dict[str, str] = field(default_factory=dict)
    help: Phrases = field(default_factory=Phrases)  # "aide", "what can you do" ...
    help_reply: dict[str, str] = field(default_factory=dict)
    # "pourquoi ?", "tu peux reformuler ?": asking Bilex to explain or reword, which it does not
    clarifications: Phrases = field(default_factory=Phrases)
    clarification_reply: dict[str, str] = field(default_factory=dict)
    # the answer asked in a language: under "en" the phrases asking for English ("in English",
    # "en anglais"), under "fr" those asking for French; and the polite words around them
    language_request: Phrases = field(default_factory=Phrases)
    politeness: Phrases = field(default_factory=Phrases)  # "svp", "please" ...
    more_request: Phrases = field(default_factory=Phrases)  # "tell me more", "autre chose ?"
    filler: Phrases = field(default_factory=Phrases)  # "quick question:", "je voulais savoir"
    more_none: dict[str, str] = field(default_factory=dict)  # when nothing more is there
    # what the chat page says the sources are: its title, tagline, introduction, example chips
    about: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> lang -> text(s)
    definition_cues: Phrases = field(default_factory=Phrases)  # "c'est quoi", "what is" ...
    # where a definition question's term ends: the law it is defined in ("under", "au sens de")
    definition_tail: Phrases = field(default_factory=Phrases)
    # words that, right after a definition cue, make it ask about the asker's own case ("what
    # is my status", "c'est quoi mes droits"): not what a term means
    definition_personal: Phrases = field(default_factory=Phrases)
    # words opening a clause ("what is the penalty if the employer ..."): a question about a
    # case, not what a term means
    definition_clause: Phrases = field(default_factory=Phrases)
    # words asking when, where, how or how much: a term and one of them ("how long does
    # the WPA last?") asks about the term, not what it is
    question_words: Phrases = field(default_factory=Phrases)
    negation: Phrases = field(default_factory=Phrases)  # "pas", "not", "sans", "without" ...
    negation_opening: Phrases = field(default_factory=Phrases)  # "ne": opens a negation
    spelling: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {short: full}
    origins: dict[str, str] = field(default_factory=dict)  # table name -> origin of the table
    path: str | None = None

    def small_talk(self) -> tuple[tuple[str, Phrases, dict[str, str]], ...]:
        """Each kind of small talk (a message with no question in it), its phrases and its
        reply, in the order a message mixing kinds is answered by: a farewell first ("merci,
        au revoir"), then thanks ("merci pour votre aide", "cool, merci"), a request for help
        ("bonjour, aide"), a greeting, and an acknowledgement ("ok") last."""
        return tuple((kind, getattr(self, phrases), getattr(self, reply))
                     for kind, phrases, reply in SMALL_TALK)

    def problems(self, vocabulary: set[str] | frozenset[str]) -> list[str]:
        """Entries whose meaning uses no word of the corpus (folded, lower-case words): such an
        entry cannot reach any passage and is probably stale."""
        out = []
        for term in self.terms:
            words = {w for w in _words(f"{term.fr} {term.en}") if len(w) > 3}
            if words and words.isdisjoint(vocabulary):
                out.append(f"term {term.terms[0]!r}: its meaning uses no word of the sources")
        return out


def _words(text: str) -> list[str]:
    from corpus.drift import fold

    return [w for w in "".join(c if c.isalnum() else " " for c in fold(text)).split()]


def _value(entry: Any, where: str) -> tuple[Any, str]:
    if not isinstance(entry, dict) or "value" not in entry or not entry.get("origin"):
        raise ManifestError(f"{where}: expected {{value = ..., origin = \"...\"}}")
    return entry["value"], str(entry["origin"])


def _per_lang(data: Any, where: str, *, lists: bool = False) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ManifestError(f"{where}: expected a table with fr and en")
    out: dict[str, Any] = {}
    for lang in LANGS:
        if lang not in data:
            continue
        value = data[lang]
        if lists:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ManifestError(f"{where}.{lang}: expected a list of strings")
            out[lang] = tuple(value)
        else:
            if not isinstance(value, str):
                raise ManifestError(f"{where}.{lang}: expected a string")
            out[lang] = value
    return out


def _origin(entry: dict[str, Any], where: str) -> str:
    origin = entry.get("origin")
    if not isinstance(origin, str) or not origin.strip():
        raise ManifestError(f"{where}: every entry needs an origin")
    return origin


def _phrases(data: dict[str, Any], name: str, path: Path) -> Phrases:
    table = data.get(name)
    if table is None:
        return Phrases()
    where = f"{path.name} [{name}]"
    return Phrases(_per_lang(table, where, lists=True), _origin(table, where))


def _single_words(data: dict[str, Any], name: str, path: Path) -> Phrases:
    """A table read as single words (matched word by word): a phrase there would never match."""
    phrases = _phrases(data, name, path)
    for lang in LANGS:
        for word in phrases.get(lang):
            if not word.strip() or len(word.split()) > 1:
                raise ManifestError(f"{path.name} [{name}].{lang}: {word!r} is not one word; "
                                    "this table holds single words")
    return phrases


def load_profile(sources_dir: Path) -> Profile:
    """The profile beside the sources; an empty Profile (generic refusal) when absent."""
    path = sources_dir / PROFILE_FILE
    if not path.is_file():
        return Profile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path.name}: not valid TOML ({exc})") from None
    refusal = dict(GENERIC_REFUSAL)
    origins: dict[str, str] = {}
    for lang, entry in data.get("refusal", {}).items():
        if lang not in LANGS:
            raise ManifestError(f"{path.name} [refusal]: unknown language {lang!r}")
        refusal[lang], origins[f"refusal.{lang}"] = _value(entry, f"{path.name} [refusal.{lang}]")
    examples = []
    for i, e in enumerate(data.get("example", [])):
        where = f"{path.name} example #{i + 1}"
        if e.get("lang") not in LANGS or not isinstance(e.get("q"), str) or not e["q"].strip():
            raise ManifestError(f"{where}: needs lang = \"fr\"|\"en\" and a question q")
        examples.append(Example(e["lang"], e["q"], _origin(e, where)))
    neighbours = []
    for i, n in enumerate(data.get("neighbour", [])):
        where = f"{path.name} neighbour #{i + 1}"
        neighbours.append(Neighbour(_per_lang(n.get("name"), f"{where} name"),
                                    _per_lang(n.get("terms"), f"{where} terms", lists=True),
                                    _per_lang(n.get("pointer", {}), f"{where} pointer"),
                                    _origin(n, where)))
    terms = []
    for i, t in enumerate(data.get("term", [])):
        where = f"{path.name} term #{i + 1}"
        words = t.get("terms")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ManifestError(f"{where}: terms must be a non-empty list of strings")
        if not isinstance(t.get("fr"), str) or not isinstance(t.get("en"), str):
            raise ManifestError(f"{where}: needs fr and en (the sources' wording)")
        terms.append(Term(tuple(words), t["fr"], t["en"], _origin(t, where), bool(t.get("scope"))))
    places = []
    for i, p in enumerate(data.get("place", [])):
        where = f"{path.name} place #{i + 1}"
        if not isinstance(p.get("jurisdiction"), str) or not isinstance(p.get("terms"), list):
            raise ManifestError(f"{where}: needs jurisdiction and terms")
        places.append(Place(p["jurisdiction"], tuple(p["terms"]), _origin(p, where)))
    def text(name: str) -> dict[str, str]:
        """A per-language text table (a reply), its origin noted; {} when absent."""
        if name not in data:
            return {}
        where = f"{path.name} [{name}]"
        origins[name] = _origin(data[name], where)
        return _per_lang(data[name], where)

    small_talk: dict[str, Any] = {}
    for _, phrases, reply in SMALL_TALK:
        small_talk[phrases] = _phrases(data, phrases, path)
        small_talk[reply] = text(reply)
    thanks_for = _phrases(data, "thanks_for", path)
    if thanks_for.words:  # "merci beaucoup" + "pour la réponse", "thanks a lot" + "for the reply"
        thanks = small_talk["thanks"]
        small_talk["thanks"] = Phrases({lang: tuple(dict.fromkeys(
            [*thanks.get(lang), *(f"{t} {what}" for t in thanks.get(lang)
                                  for what in thanks_for.get(lang))])) for lang in LANGS},
            thanks.origin)
    more_none = text("more_none")
    about: dict[str, dict[str, Any]] = {}
    if "about" in data:
        where = f"{path.name} [about]"
        table = data["about"]
        if not isinstance(table, dict):
            raise ManifestError(f"{where}: expected a table")
        origins["about"] = _origin(table, where)
        unknown = set(table) - set(ABOUT_TEXTS) - {"examples", "origin"}
        if unknown:
            raise ManifestError(f"{where}: unknown entries {sorted(unknown)} (expected "
                                f"{', '.join(ABOUT_TEXTS)}, examples)")
        for name in ABOUT_TEXTS:
            if name in table:
                about[name] = _per_lang(table[name], f"{where}.{name}")
        if "examples" in table:
            about["examples"] = _per_lang(table["examples"], f"{where}.examples", lists=True)
    spelling: dict[str, dict[str, str]] = {}
    if "spelling" in data:
        where = f"{path.name} [spelling]"
        origins["spelling"] = _origin(data["spelling"], where)
        for lang in LANGS:
            table = data["spelling"].get(lang, {})
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                raise ManifestError(f"{where}.{lang}: expected short = \"full\" pairs")
            spelling[lang] = dict(table)
    return Profile(refusal=refusal, examples=tuple(examples), neighbours=tuple(neighbours),
                   terms=tuple(terms), places=tuple(places),
                   **small_talk,
                   language_request=_phrases(data, "language_request", path),
                   politeness=_phrases(data, "politeness", path),
                   more_request=_phrases(data, "more_request", path), more_none=more_none,
                   filler=_phrases(data, "filler", path),
                   about=about, definition_cues=_phrases(data, "definition", path),
                   spelling=spelling,
                   definition_tail=_phrases(data, "definition_tail", path),
                   definition_personal=_single_words(data, "definition_personal", path),
                   definition_clause=_single_words(data, "definition_clause", path),
                   question_words=_single_words(data, "question_words", path),
                   negation=_phrases(data, "negation", path),
                   negation_opening=_phrases(data, "negation_opening", path),
                   thanks_for=thanks_for, origins=origins, path=path.name)
