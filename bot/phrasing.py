"""How real people write: small talk, SMS spellings, typos, definition questions, long posts.

Nothing here names a word of any language: the small talk, definition cues and short
spellings come from the corpus profile, and typos are corrected against the words the
sources themselves use (rapidfuzz's Levenshtein distance over the corpus vocabulary).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from stop_words import get_stop_words

from bot.references import GENERIC_TITLE_WORDS
from bot.references import parse as parse_references
from corpus.drift import fold
from corpus.profile import Phrases
from indexer.lexical import stop_words as index_stop_words

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKS = re.compile(r"\*+|`+|~~|(?<![^\W_])_+|_+(?![^\W_])")
_SHOUTED = re.compile(r"[^\W\d_]{2,}")  # words of two letters or more
_SENTENCE = re.compile(r"(?<=[?!.])\s+|\n+")
_CLOSING_SPAN = 80  # characters at a message's end that can hold its closing thanks
_LEAD_OUT = re.compile(r"\s*[,;:]*")  # after a lead-in
_DANGLING = re.compile(r"\s*[,;:](\s*[?!.]|\s*$)")  # "paie, ?" -> "paie ?"
DEFINITION_WORDS = 4  # a longer subject is a question about something, not a term asked
MIN_TYPO_LENGTH = 5  # shorter words are too ambiguous to correct against the vocabulary
SUBQUESTION_MIN_CHARS = 140  # shorter posts are asked whole


def words(text: str) -> list[str]:
    """Folded (lower-case, no accents) words of `text`, apostrophes split."""
    return _WORD.findall(_folded(text))


def phrase_key(text: str) -> str:
    """`text`'s folded words joined by one space: how `Phrasing.bare_phrase` matches a
    phrase."""
    return " ".join(_TOKEN.findall(_folded(text)))


def stop_words() -> frozenset[str]:
    """French and English stop words, folded."""
    return _STOPS


_DOUBLED = re.compile(r"(.)\1")  # a letter typed twice
_STOPS = frozenset(fold(w) for lang in ("fr", "en") for w in get_stop_words(lang))
# The words left out of a definition question's term: the index's stop words, which keep the
# content words that the stop lists hold and laws define ("personne insolvable", "personne à
# charge", "member"), so the term is read as the acts' definitions are keyed; and the words
# naming a law ("under the Act").
_TERM_STOPS = index_stop_words("fr") | index_stop_words("en") | GENERIC_TITLE_WORDS


def _folded(text: str) -> str:
    """`text` folded (corpus.drift.fold), with ’ written '."""
    return fold(text).replace("’", "'")


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` (with ’ as ') and, for each of its characters, the position in `text` of
    the character it folds from (each character folds alone: see corpus.drift.fold)."""
    pieces, where = [], []
    for i, c in enumerate(text):
        piece = _folded(c)
        pieces.append(piece)
        where.extend([i] * len(piece))
    return "".join(pieces), where


def without_marks(text: str) -> str:
    """`text` without the marks chat and mail apps use for emphasis or code ("**Question**",
    "*convention*", "_urgent_", "`WPA`"): they format words, they are not words, and the model
    embeds them (one question was refused with them and answered without)."""
    if not _MARKS.search(text):
        return text
    return re.sub(r"[ \t]{2,}", " ", _MARKS.sub("", text)).strip()


class LazyPattern:
    """A regular expression written and compiled when first used (`search`, `match`, `sub`,
    ...), as `re.Pattern` reads it. The profile's phrase lists make patterns of up to a
    thousand phrases: writing and compiling them took 0.26-0.30 s of every start, before
    `/health` answered; the bot's warm-up (`Phrasing.compile`) now compiles them after."""

    __slots__ = ("_write", "_source", "_compiled")

    def __init__(self, write: Callable[[], str]) -> None:
        self._write = write
        self._source: str | None = None
        self._compiled: re.Pattern[str] | None = None

    @property
    def pattern(self) -> str:
        """The expression's text (written, not compiled)."""
        if self._source is None:
            self._source = self._write()
        return self._source

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled expression (compiled once; two threads may both compile it)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def sub(self, replacement: str, text: str) -> str:
        return self.compiled.sub(replacement, text)


def _phrase_pattern(phrases: Iterable[str]) -> LazyPattern | None:
    """Any of `phrases` (folded), the longest where several start at one place, as whole
    words at the edges that are word characters: a cue ending with an apostrophe
    ("qu'est-ce qu'") runs straight into the next word ("qu'une"); written and compiled when
    first used (`LazyPattern`).

    The phrases are written as a trie ("merci|merci beaucoup|mercredi" as
    "merc(?:i(?: beaucoup(?!\\w)|(?!\\w))|redi(?!\\w))"): a flat alternation of hundreds
    of phrases is tried phrase by phrase at every character (0.26 ms to find nothing in one
    marginal note, several times per question), a trie reads each character once."""
    folded = {_folded(p) for p in phrases if p.strip()}
    if not folded:
        return None

    def write() -> str:
        words = _alternation(sorted(p for p in folded if p[0].isalnum()))
        others = _alternation(sorted(p for p in folded if not p[0].isalnum()))
        return "|".join(filter(None, (words and r"(?<!\w)" + words, others)))

    return LazyPattern(write)


def _alternation(phrases: Sequence[str]) -> str:
    """A regex matching any of `phrases` (a trie; at each branching the longer phrases are
    tried first, so the longest match wins as in an alternation sorted by length); ""
    for none."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict[str, Any], last: str) -> str:
        branches = [re.escape(char) + emit(child, char)
                    for char, child in node.items() if char]
        if "" in node:  # ends here (after the longer phrases): a word ends with it
            branches.append(r"(?!\w)" if last.isalnum() else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie, "") if trie else ""


@dataclass(frozen=True)
class Reading:
    """What the phrasing rules made of a question."""

    text: str  # the question with short spellings expanded and typos corrected
    corrections: tuple[tuple[str, str], ...]  # (typed, corrected)
    greeting_only: bool
    definition: tuple[str, ...]  # the words a definition question asks about
    parts: tuple[str, ...]  # the sub-questions of a long post (empty: ask it whole)


class Phrasing:
    """Reads a question as people write it, against one corpus's vocabulary and profile."""

    def __init__(self, vocabulary: Counter[str], *, greetings: Phrases, definition: Phrases,
                 spelling: dict[str, dict[str, str]], keep: Iterable[str] = (),
                 known: Callable[[str], bool] | None = None,
                 stems: Callable[[str], frozenset[str]] | None = None,
                 dictionary: Callable[[str], bool] | None = None,
                 thanks: Phrases | None = None, definition_tail: Phrases | None = None,
                 small_talk: Sequence[tuple[str, Phrases]] = (),
                 language_request: Phrases | None = None,
                 politeness: Phrases | None = None,
                 more_request: Phrases | None = None,
                 filler: Phrases | None = None,
                 definition_personal: Phrases | None = None,
                 definition_clause: Phrases | None = None,
                 question_words: Phrases | None = None,
                 negation: Phrases | None = None,
                 written_in: Mapping[str, str] | None = None) -> None:
        if not isinstance(vocabulary, Counter):
            raise TypeError("vocabulary must be a Counter of folded words")
        self.vocabulary = vocabulary
        self._by_length: dict[int, list[str]] = {}
        # a typo of a grammar word ("commbien", "pourqoi") is corrected to it too: left as
        # typed it counts as a word the sources never use
        grammar = _STOPS | index_stop_words("fr") | index_stop_words("en")
        for word in vocabulary.keys() | {w for w in grammar if w.isalpha()}:
            self._by_length.setdefault(len(word), []).append(word)
        self._keep = frozenset(fold(w) for w in keep) | grammar
        self._known = known  # e.g. "its stem is in the index": an inflection, not a typo
        self._stems = stems  # e.g. a word's index tokens in each language
        self._dictionary = dictionary  # e.g. "the language has this word" (bot.dictionary)
        # folded word -> the one language whose texts write it (words both write: absent)
        self._written_in = written_in or {}
        thanks = thanks or Phrases()
        # small talk by kind, in the order a message mixing kinds is answered by (farewell,
        # thanks, help, greeting, acknowledgement: corpus.profile.SMALL_TALK); `greetings`
        # and `thanks` are kinds too
        kinds = dict(small_talk) or {"thanks": thanks, "greeting": greetings}
        kinds.setdefault("thanks", thanks)
        kinds.setdefault("greeting", greetings)
        self._kinds = [(kind, pattern) for kind, phrases in kinds.items()
                       if (pattern := _phrase_pattern(phrases.all())) is not None]
        everything = [w for phrases in kinds.values() for w in phrases.all()]
        self._greeting = _phrase_pattern(everything)  # any of them, alone
        self._thanks = _phrase_pattern(kinds["thanks"].all())
        self._greeting_by_lang = {
            lang: _phrase_pattern([w for phrases in kinds.values() for w in phrases.get(lang)])
            for lang in ("fr", "en")}
        # under each language, the phrases asking for the answer in it ("in English")
        requests = language_request or Phrases()
        self._requests = {lang: pattern for lang in ("fr", "en")
                          if (pattern := _phrase_pattern(requests.get(lang))) is not None}
        self._polite = _phrase_pattern((politeness or Phrases()).all())
        self._more = _phrase_pattern((more_request or Phrases()).all())
        self._filler = _phrase_pattern((filler or Phrases()).all())
        # "Bonjour, ...", "Merci ! Et ..." opening a question
        opening = [p for kind, p in self._kinds if kind in ("greeting", "thanks")]
        self._opening = (LazyPattern(lambda: r"\s*(?:{}){}".format(
            "|".join(p.pattern for p in opening), r"[\s,;:.!-]*")) if opening else None)
        # "... ? Merci", "... thx!!", "... bonne journée" closing it
        closing = [p for kind, p in self._kinds if kind in ("thanks", "farewell")]
        self._closing = (LazyPattern(lambda: r"[\s,;:.!-]*(?:{}){}".format(
            "|".join(p.pattern for p in closing), r"[\W_]*$")) if closing else None)
        self._cues = _phrase_pattern(definition.all())
        # "a bankrupt under the Widget Act": the term ends where the law defining it is named
        self._tail = _phrase_pattern((definition_tail or Phrases()).all())
        # "what is my status": the asker's own case, not a term
        self._personal = frozenset(_folded(w) for w in (definition_personal or Phrases()).all())
        # "what is the fee if the widget breaks": a case asked about, not a term
        self._clause = frozenset(_folded(w) for w in (definition_clause or Phrases()).all())
        # "how long does the widget last?": a question about the widget, not what it is
        self._asking = frozenset(_folded(w) for w in (question_words or Phrases()).all())
        self._spelling = {lang: {fold(k): v for k, v in table.items()}
                          for lang, table in spelling.items()}
        # "et s'il n'y a pas d'accord ?": a clause negating the acknowledgement asks something
        self._negations = frozenset(_folded(w) for w in (negation or Phrases()).all())

    def compile(self) -> None:
        """Write and compile every phrase pattern now (a bot's warm-up, after the server
        answers `/health`): otherwise each is compiled by the first question that uses it."""
        def held(value: object) -> Iterator[object]:  # alone, by language, by kind
            if isinstance(value, dict):
                value = list(value.values())
            if isinstance(value, list | tuple):
                for item in value:
                    yield from (item if isinstance(item, tuple) else (item,))
            else:
                yield value

        for value in vars(self).values():
            for pattern in held(value):
                if isinstance(pattern, LazyPattern):
                    _ = pattern.compiled

    # -- typos and short spellings ---------------------------------------------------------
    def correct_word(self, word: str, lang: str | None = None) -> str | None:
        """The corpus word `word` was probably meant as, or None (a word the sources or the
        language know, or no close one). `lang`: the question's language; at equal distance
        a word only the other language's texts write comes last."""
        folded = fold(word)
        if (len(folded) < MIN_TYPO_LENGTH or folded in self.vocabulary or folded in self._keep
                or not folded.isalpha() or (word.isupper() and len(word) <= 6)
                or (self._dictionary is not None and self._dictionary(word))):
            return None
        # a word whose stem the index knows is an inflection of a word the sources use, or a
        # typo that kept the stem ("employement" stems as "employment" does): it is only
        # corrected into a word of the same stem one edit away, so the search finds what it
        # found (a word two edits from every word of its stem stays as typed)
        inflected = self._known is not None and self._known(folded)
        stems = self._stems
        if inflected and stems is None:
            return None
        limit = 1 if len(folded) < 8 or inflected else 2
        candidates = [w for n in range(len(folded) - limit, len(folded) + limit + 1)
                      for w in self._by_length.get(n, ())]
        # optimal string alignment: two letters swapped ("contart") is one edit, as typing
        # makes it, not two
        found = process.extract(folded, candidates, scorer=OSA.distance,
                                score_cutoff=limit, limit=8)
        if inflected and stems is not None:
            typed = stems(folded)
            found = [f for f in found if typed & stems(f[0])]
        if not found:
            return None
        letters, single = sorted(folded), _DOUBLED.sub(r"\1", folded)

        def foreign(candidate: str) -> bool:
            written = self._written_in.get(candidate)
            return lang is not None and written is not None and written != lang

        # at equal distance, a word of the question's language ("agreemnt" in English is
        # "agreement", not the French "agrément" it is a swap of), then the word typed with two
        # letters swapped ("contart" is "contrat", not the commoner "contact") or one key
        # pressed twice ("contraat" is "contrat", not "contract"), then the commoner one
        best = min(found, key=lambda f: (f[1], foreign(f[0]), sorted(f[0]) != letters
                                         and _DOUBLED.sub(r"\1", f[0]) != single,
                                         -self.vocabulary.get(f[0], 0), f[0]))
        return best[0]

    def normalise(self, text: str, lang: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """`text` with the profile's short spellings expanded and typos corrected."""
        table = self._spelling.get(lang, {})
        fixes: list[tuple[str, str]] = []

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            if text[match.end():match.end() + 1] in ("'", "’"):
                return word  # an elided word ("c'est"), not a short spelling
            before = text[match.start() - 1:match.start()]
            if text[match.end():match.end() + 1] == ")" and (before in "()" or before.isdigit()):
                return word  # a provision's label: "12(1)(c)", "12(1)c)"
            if re.match(r"[-.]\d", text[match.end():match.end() + 2]):
                return word  # an act's code: "C-44", "R-2", "E-5.6" (not "c'est-44")
            full = table.get(fold(word))
            if full is not None:
                following = _TOKEN.match(text, match.end() + 1)
                if following and re.split(r"[\s'’]+", fold(full))[-1] == fold(following.group()):
                    return word  # the full word already follows: "c est" is "c'est" unmarked
                fixes.append((word, full))
                return full
            corrected = self.correct_word(word, lang)
            if corrected is not None and corrected != fold(word):
                fixes.append((word, corrected))
                return corrected
            return word

        return _TOKEN.sub(replace, text), tuple(fixes)

    # -- kinds of question -----------------------------------------------------------------
    def greeting_language(self, text: str) -> str | None:
        """The language whose greetings `text` uses, when only one language's do."""
        folded = _folded(text)
        found = {lang for lang, pattern in self._greeting_by_lang.items()
                 if pattern is not None and pattern.search(folded)}
        return found.pop() if len(found) == 1 else None

    def thanks(self, text: str) -> bool:
        """True when `text` says thanks (a profile's thanks phrase)."""
        return self._thanks is not None and bool(self._thanks.search(_folded(text)))

    def language_request(self, text: str) -> str | None:
        """The language a message asks the answer in ("in English please", "et en français
        ?"), when it asks for nothing else; None otherwise."""
        folded = _folded(text)
        found = [lang for lang, pattern in self._requests.items() if pattern.search(folded)]
        if len(found) != 1 or not self._only(self._requests[found[0]], folded):
            return None
        return found[0]

    def more_request(self, text: str) -> bool:
        """True when a message only asks for more of the last answer ("tell me more", "autre
        chose ?")."""
        folded = _folded(text)
        return self._more is not None and bool(self._more.search(folded)) and self._only(
            self._more, folded)

    def _only(self, asked: LazyPattern, folded: str) -> bool:
        """True when `folded` says nothing but what `asked` matches, polite words, small talk
        and stop words."""
        rest = asked.sub(" ", folded)
        for filler in (self._polite, self._greeting):
            if filler is not None:
                rest = filler.sub(" ", rest)
        return not [w for w in _WORD.findall(rest) if w not in _STOPS]

    def small_talk(self, text: str) -> str | None:
        """The kind of small talk to answer `text` as ("farewell", "thanks", "help",
        "greeting", "acknowledgement"), when it is only small talk; None otherwise."""
        if not self.greeting_only(text):
            return None
        folded = _folded(text)
        return next((kind for kind, pattern in self._kinds if pattern.search(folded)), None)

    def greeting_only(self, text: str) -> bool:
        """True when `text` is only small talk: greetings, thanks, farewells, acknowledgements
        or a request for help (and punctuation)."""
        if self._greeting is None:
            return False
        folded = _folded(text)
        if not self._greeting.search(folded):
            return False
        rest = self._greeting.sub(" ", folded)
        if parse_references(text):  # "Bonjour, art. 12 al. 3": a provision asked for
            return False
        left = _WORD.findall(rest.replace("n't", " not"))
        negated = [w for w in left if w in self._negations]
        # a clause with a negation ("what if it's not fine?", "et s'il n'y a pas d'accord ?")
        # is a question; a negation alone is still small talk ("no thanks", "not ok")
        if negated and len(negated) < len(left):
            return False
        return not [w for w in left if w not in _STOPS or len(w) > 3]

    def definition(self, text: str, most: int | None = DEFINITION_WORDS) -> tuple[str, ...]:
        """The content words a short "what is X" question asks about (at most `most` of
        them; None: any number, for a caller that checks them against known terms); ()
        otherwise."""
        if self._cues is None:
            return ()
        folded = _folded(text)
        cue = self._cues.search(folded)
        if cue is None:
            return ()
        after = _WORD.search(folded, cue.end())
        if after is not None and after.group() in self._personal:
            return ()
        rest = self._cues.sub(" ", folded)
        rest = self._without_tail(rest)
        if self._greeting is not None:
            rest = self._greeting.sub(" ", rest)
        for request in self._requests.values():  # "the WPA in English": the term asked
            rest = request.sub(" ", rest)
        if self._clause and not self._clause.isdisjoint(_WORD.findall(rest)):
            return ()
        content = [w for w in _WORD.findall(rest) if w not in _TERM_STOPS and len(w) > 1]
        return tuple(content) if content and (most is None or len(content) <= most) else ()

    def bare_term(self, text: str) -> tuple[str, ...]:
        """The one word of a message that is one word and stop words ("WPA ???",
        "l'affacturage ?", "hello, the widget?"); () otherwise (a number, "Article 5", is
        a reference, not a term). Whether it asks what the word means is the caller's to
        decide: a one-word marginal note ("Appointment") asks for its section. A question
        word among the stop words ("how long does the widget last?", "quand le widget ?")
        asks something about the word: no bare term."""
        content = [w for w in self._unasked_tokens(text) if w not in _STOPS]
        if len(content) == 1 and len(content[0]) > 1 and _WORD.fullmatch(content[0]):
            return (content[0],)
        return ()

    def _unasked_tokens(self, text: str) -> list[str]:
        """The folded words of `text` without its greeting; none when a question word asks
        something ("how long does the widget last?"), looked for before the greeting goes."""
        folded = _folded(text)
        if not self._asking.isdisjoint(_TOKEN.findall(folded)):
            return []
        rest = self._greeting.sub(" ", folded) if self._greeting is not None else folded
        return _TOKEN.findall(rest)

    def bare_phrase(self, text: str, phrases: frozenset[str]) -> tuple[str, ...]:
        """The content words of a message that is one of `phrases` and nothing else, but for
        stop words at either end and a greeting ("the wage protection agreement?", "bonjour,
        la recherche d'emploi"), as `definition` gives a term's; () otherwise,
        or when a question word asks something about it. `phrases`: folded words joined by
        one space (`phrase_key`)."""
        tokens = self._unasked_tokens(text)
        while tokens and tokens[0] in _STOPS:
            tokens.pop(0)
        while tokens and tokens[-1] in _STOPS:
            tokens.pop()
        if len(tokens) < 2 or " ".join(tokens) not in phrases:
            return ()
        return tuple(w for w in tokens if _WORD.fullmatch(w) and w not in _TERM_STOPS
                     and len(w) > 1)

    def _without_tail(self, text: str) -> str:
        """`text` without a tail phrase that ends its clause, but for stop words and the
        words every law's title has ("a bankrupt under the Act", "un failli au sens de la
        loi"): "the notice period under the Act for a group" keeps its words."""
        if self._tail is None:
            return text
        for match in reversed(list(self._tail.finditer(text))):
            end = re.search(r"[,;:?!.]|$", text[match.end():])
            stop = match.end() + (end.start() if end else 0)
            if all(w in _STOPS or w in GENERIC_TITLE_WORDS for w in _WORD.findall(
                    text[match.end():stop])):
                text = text[:match.start()] + " " + text[stop:]
        return text

    @staticmethod
    def parts(text: str) -> tuple[str, ...]:
        """The questions of a long post (sentences that end with '?'), when it has several
        sentences; () when the post is short or asks nothing explicitly."""
        if len(text) < SUBQUESTION_MIN_CHARS:
            return ()
        sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
        if len(sentences) < 2:
            return ()
        asked = [s for s in sentences if s.rstrip().endswith("?")]
        return tuple(asked) if asked else ()

    def without_filler(self, text: str) -> str:
        """`text` without the words that only lead into a question ("quick question:", "je
        voulais savoir si"), the greeting or thanks it opens with and the thanks or goodbye
        it closes with, when a question is left."""
        text = self._without_courtesies(text)
        if self._filler is None or not self._filler.search(_folded(text)):
            return text  # most questions: no lead-in, nothing to map back
        folded, where = _folded_with_positions(text)
        spans = [(where[m.start()], where[m.end() - 1] + 1) for m in self._filler.finditer(folded)]
        if not spans:
            return text
        kept, at = [], 0
        for start, end in spans:
            kept.append(text[at:start])
            # the punctuation that closed the lead-in ("quick question: ...") goes with it
            closing = _LEAD_OUT.match(text, end)
            at = closing.end() if closing else end
        kept.append(text[at:])
        left = _DANGLING.sub(r"\1", re.sub(r"\s+", " ", " ".join(kept))).strip(" ,;:-")
        return left if _WORD.search(left) else text

    def _without_courtesies(self, text: str) -> str:
        """`text` without the greeting or thanks it opens with and the thanks or goodbye it
        closes with, when words are left ("Hello, who pays for the WPA? Thanks!": they say
        nothing of what is asked)."""
        left = text
        # "Bonjour, merci, ...": one opening after the other; most questions have none, and
        # the folded text's positions are only mapped back when one is found
        while self._opening is not None and self._opening.match(_folded(left)):
            folded, where = _folded_with_positions(left)
            found = self._opening.match(folded)
            if found is None or not found.group().strip():
                break
            left = left[where[found.end() - 1] + 1:].strip()
        tail = max(0, len(left) - _CLOSING_SPAN)  # the closing words are at the end
        if self._closing is not None and self._closing.search(_folded(left[tail:])):
            folded, where = _folded_with_positions(left)
            # folding may lengthen the text ("œ" -> "oe"): a little more of its end is searched
            found = self._closing.search(folded, max(0, len(folded) - _CLOSING_SPAN - 8))
            if found is not None and found.start() > 0:
                kept = left[:where[found.start()]].rstrip()
                # the question's own mark stays: "... ? Merci" is asked with its "?"
                ending = re.match(r"[\s,;:.!-]*(\?+)", left[where[found.start()]:])
                left = kept + (" " + ending.group(1) if ending else "")
        return left if _WORD.search(left) else text

    def read(self, text: str, lang: str) -> Reading:
        """Everything above for one question (read without its formatting marks)."""
        text = without_marks(text)
        if text == text.upper() and len(_SHOUTED.findall(text)) >= 3:
            # a sentence all in capitals: its words, not acronyms ("WHO PAYS THE WPA"); a
            # reference alone keeps its capitals ("ART. L12-3")
            text = text.lower()
        # short spellings read in full first: "merci bcp, et qui paie ?" opens with thanks, and
        # "merci bcp", "thank u" are small talk
        whole, fixes = self.normalise(text, lang)
        normal = self.without_filler(whole)
        talk = self.greeting_only(text) or bool(fixes) and self.greeting_only(whole)
        return Reading(normal, fixes, talk, self.definition(normal), self.parts(normal))
