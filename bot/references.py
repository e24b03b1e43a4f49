"""Article references in a question, in either language, routed to the alinéas they name.

"article L. 123-4-5", "L123-4-5 II", "art. L 123-4-5, al. 3", "II de l'article",
"paragraph 4 of section I", and references the article itself cites ("L. 933-6"); and, for
acts served from a bitext pair (units `<act>.<section>.<n>`), "s. 230", "section 230(1)(a)",
"subsection 12(3)", "art. 230 du <act title>", "paragraphe 230(1)a)". One grammar: a keyword,
a number, then the labels in brackets; the corpus decides what the number can name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, cached_property

from stop_words import get_stop_words

from bot.language import Lang
from corpus.bitext.labels import label_paths
from corpus.drift import fold
from corpus.drift import references as cited_references
from corpus.models import AlignedUnit, SourceInfo

_ARTICLE = re.compile(
    r"\b(?:art(?:icle|\.)?\s*)?([LRD])\s?\.?\s?(\d{2,4}(?:\s?-\s?\d+)*)\b", re.IGNORECASE)
_SECTION_AFTER = re.compile(
    r"^[\s,]*(?:(?:section|partie|part|paragraphe|paragraph|§)\s+)?([IVX]{1,4})\b(?![-'’])")
_SECTION_ALONE = re.compile(
    r"(?:\b(?:section|partie|part|paragraphe|paragraph|§)\s+([IVX]{1,4})\b)"
    r"|(?:(?<![\w.])([IVX]{1,4})\s+(?:de l['’]\s?article|of (?:the )?article|du présent article))",
)
_ALINEA = re.compile(
    r"\b(?:al(?:in[ée]a)?\.?|para(?:graph)?\.?|§)\s*(\d{1,2})\b"
    # "3e alinéa", but not the end of an article number ("L. 123-4-5 alinéa 3")
    r"|(?<![\w.\-/])(\d{1,2})\s*(?:e|er|ème|eme|th|st|nd|rd)?\s+(?:alin[ée]a|paragraph)\b",
    re.IGNORECASE,
)
_ORDINALS = {
    "premier": 1, "first": 1, "deuxième": 2, "second": 2, "troisième": 3, "third": 3,
    "quatrième": 4, "fourth": 4, "cinquième": 5, "fifth": 5, "sixième": 6, "sixth": 6,
    "septième": 7, "seventh": 7, "huitième": 8, "eighth": 8, "dernier": -1, "last": -1,
}
_ORDINAL_ALINEA = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\s+(?:alin[ée]a|paragraph)\b", re.IGNORECASE)


# Act provisions: "s. 230", "ss. 12(3)", "section 230(1)(a)", "subsection 12(3)",
# "art. 230", "article 230(1)", "paragraphe 230(1)a)", "par. 230(1)a)", "§ 12",
# "alinéa 230(1)a)", "subparagraph 67(1)(b)(iii)".
# French statutes name a paragraph "alinéa 230(1)a)" and a subparagraph "sous-alinéa
# 67(1)b)(iii)": with their labels only, since "alinéa 2" alone is an article's alinéa.
_ACT_KEYWORD = (r"(?:s|ss|sec|section|sections|subsection|sous-section|art|article|articles|"
                r"subparagraphs?|sous-alin[ée]as?|alin[ée]as?|"
                r"paragraph|paragraphe|par|para|§§|§)")
_ACT = re.compile(
    r"(?<![\w-])" + _ACT_KEYWORD + r"\.?\s*(\d{1,4}(?:\.\d{1,3})?)"
    r"(?:-(\d{1,4}(?:\.\d{1,3})?))?(?![\d-])"  # "ss. 12-14"; never "321-4-2"
    r"((?:\s?\(\s?(?:\d{1,3}(?:\.\d{1,2})?|[a-z]{1,4})\s?\)|\s?[a-z]{1,3}\))*)",
    re.IGNORECASE)
_LABEL = re.compile(r"\(?\s?(\d{1,3}(?:\.\d{1,2})?|[a-z]{1,4})\s?\)", re.IGNORECASE)
_STRONG = re.compile(r"^(?:s|ss|sec|sections?|subsections?|sous-sections?|art|articles?)\b",
                     re.IGNORECASE)
# More sections after the first: "sections 12 and 13", "art. 12, 14 et 15", "ss. 12 to 14",
# "articles 12 à 14" (a range), each number ending the reference or followed by its act (its
# title or its initials in capitals).
_MORE = re.compile(
    r"\s*(?:,|&|and|et|or|ou|(to|through|à|au|–))\s*(?:(?:s|ss|sections?|art|articles?)\.?\s*)?"
    r"(\d{1,4}(?:\.\d{1,3})?)(?![\w(.-])"
    r"(?=\s*(?:$|[,;:?!).]|(?:of|du|de|des|in|under|and|et|or|ou|to|à|au)\b"
    r"|(?-i:[A-Z]{2,8})\b))",  # or by an act's initials: "ss. 12 and 13 CLC"
    re.IGNORECASE)
MAX_RANGE = 50  # sections of a range routed ("sections 1 to 900": its first 50)


@dataclass(frozen=True)
class Reference:
    """A reference found in a question: an article, maybe a section and an alinéa; or, for an
    act, its section number and the provision labels under it ("1", "a")."""

    article: str | None
    section: str | None
    alinea: int | None
    text: str
    labels: tuple[str, ...] = ()
    act: bool = False
    through: str | None = None  # the last section of a range ("sections 12 to 14")


def parse_acts(question: str) -> list[Reference]:
    """Act provision references ("section 230(1)(a)", "paragraphe 230(1)a)")."""
    refs: list[Reference] = []
    for match in _ACT.finditer(question):
        labels = tuple(label.lower() for label in _LABEL.findall(match.group(3) or ""))
        if not labels and not _strong(match.group(0), match.group(1),
                                      question[match.end():]):
            continue  # "paragraph 4" alone is an alinéa number, not an act's section
        through = match.group(2)
        if through is not None and _order(through) <= _order(match.group(1)):
            continue  # "art. 12-1": a number of its own, not a range
        ref = Reference(None, match.group(1), None, match.group(0), labels, act=True,
                        through=through)
        position = match.end()
        while (more := _MORE.match(question, position)) is not None:
            if more.group(1) and ref.through is None and not ref.labels:
                ref = replace(ref, through=more.group(2), text=ref.text + more.group(0))
            else:
                refs.append(ref)
                ref = Reference(None, more.group(2), None, more.group(0), act=True)
            position = more.end()
        refs.append(ref)
    return refs


# Which language an act reference is written in: its keyword ("s. 230", "subsection 12(3)" in
# English; "paragraphe 230(1)a)" in French; "art." and "par." are both languages' own) and how
# its letters are bracketed ("(1)(a)" in English, "(1)a)" in French).
_KEYWORD_LANGUAGE: dict[str, Lang] = {
    "s": "en", "ss": "en", "sec": "en", "section": "en", "sections": "en", "subsection": "en",
    "subsections": "en", "paragraphe": "fr", "sous-section": "fr", "subparagraph": "en",
    "subparagraphs": "en", "alinéa": "fr", "alinea": "fr", "alinéas": "fr", "alineas": "fr",
    "sous-alinéa": "fr", "sous-alinea": "fr", "sous-alinéas": "fr", "sous-alineas": "fr"}
# keywords that name an act's provision only with its labels ("alinéa 230(1)a)")
_LABELLED_ONLY = frozenset({"alinéa", "alinea", "alinéas", "alineas", "sous-alinéa", "sous-alinea",
                            "sous-alinéas", "sous-alineas"})
_LETTER_EN = re.compile(r"\(\s?[a-z]{1,4}\s?\)", re.IGNORECASE)
_LETTER_FR = re.compile(r"(?<![(\w])[a-z]{1,3}\)", re.IGNORECASE)


def reference_language(question: str) -> Lang | None:
    """"en" or "fr" when the question's act references are all written in that language's
    form, else None (no reference, both forms, or only forms both languages use)."""
    found: set[Lang] = set()
    for match in _ACT.finditer(question):
        labels = match.group(3) or ""
        keyword = re.match(r"[^\W\d]+(?:-[^\W\d]+)?", match.group(0))
        name = keyword.group().lower() if keyword else ""
        if not labels and name in _LABELLED_ONLY:
            continue  # "alinéa 3" alone is an article's alinéa, no act's provision
        language = _KEYWORD_LANGUAGE.get(name)
        if language is not None:
            found.add(language)
        if _LETTER_EN.search(labels):
            found.add("en")
        if _LETTER_FR.search(labels):
            found.add("fr")
    return found.pop() if len(found) == 1 else None


# What follows "§ 12" when it names a law's section: a capitalised title ("of the Widget Act",
# "du Code des gadgets") or initials ("WSA"), not "of article ..." / "de l'article ...".
_LAW_AFTER = re.compile(r"\s*(?:(?:of|in|under|du|de\s+la|de\s+l['’]|des)\s+(?:the\s+)?"
                        r"(?!(?i:articles?|art\b))(?-i:[A-Z])|(?-i:[A-Z]{2,8})\b)")


def _strong(text: str, number: str, after: str = "") -> bool:
    """True when a reference without labels names an act's section: its keyword says so
    ("s. 12", "art. 12"), or "§" with a number no alinéa has ("§ 230", "§ 12.1", "§§ 12-14")
    or followed by a law's title or initials ("§ 12 of the Widget Act", "§ 12 WSA"); "§ 4"
    and "paragraph 4" alone are alinéa numbers."""
    if _STRONG.match(text):
        return True
    if not text.startswith("§"):
        return False
    return (text.startswith("§§") or "." in number or len(number) > 2
            or _LAW_AFTER.match(after) is not None)


def _order(number: str) -> tuple[int, ...]:
    """A section number's place in an act ("12.1" after "12", before "13")."""
    return tuple(int(part) for part in number.split("."))


# What a reference says besides its number: keywords, an alinéa named by number or ordinal,
# a section in Roman numerals.
_KEYWORDS = re.compile(r"(?<![\w-])(?:" + _ACT_KEYWORD + r"|alin[ée]as?|al|partie|part)(?!\w)\.?",
                       re.IGNORECASE)


def residue(question: str, refs: list[Reference], titles: tuple[str, ...] = ()) -> str:
    """What a question asks besides the references it makes: without their text, reference
    keywords, alinéas named by number or ordinal, and the words and initials of `titles` (the
    names of the cited laws), folded. Empty for a bare reference ("art. 12 of the <title>")."""
    text = question
    for ref in refs:
        text = text.replace(ref.text, " ")
        if ref.section and not ref.act:  # "L12-3, II": the part's numeral follows the article
            text = re.sub(rf"(?<!\w){re.escape(ref.section)}(?!\w)", " ", text, count=1)
    for pattern in (_ALINEA, _ORDINAL_ALINEA, _SECTION_ALONE, _KEYWORDS):
        text = pattern.sub(" ", text)
    named = {w for title in titles for w in re.findall(r"\w+", fold(title))}
    named |= {fold(initials(title)) for title in titles}
    named |= {w for title in titles for w in fold(_short_form(title)).split()}
    return " ".join(w for w in re.findall(r"\w+", fold(text)) if w not in named)


def normalise_article(letter: str, number: str) -> str:
    digits = re.sub(r"\s", "", number)
    return f"{letter.upper()}{digits}"


def parse(question: str) -> list[Reference]:
    """Every reference in the question, in order of appearance (code articles first, then
    act provisions)."""
    return _parse_code(question) + parse_acts(question)


def _parse_code(question: str) -> list[Reference]:
    refs: list[Reference] = []
    alinea = _first_alinea(question)
    for match in _ARTICLE.finditer(question):
        article = normalise_article(match.group(1), match.group(2))
        tail = question[match.end():]
        sec = _SECTION_AFTER.match(tail)
        section = sec.group(1).upper() if sec else None
        refs.append(Reference(article, section, alinea, match.group(0)))
    if not refs:
        alone = _SECTION_ALONE.search(question)
        if alone:
            refs.append(Reference(None, (alone.group(1) or alone.group(2)).upper(), alinea,
                                  alone.group(0)))
        elif alinea is not None and re.search(r"\barticle\b", question, re.IGNORECASE):
            refs.append(Reference(None, None, alinea, question))
    return refs


def _first_alinea(question: str) -> int | None:
    match = _ALINEA.search(question)
    if match:
        return int(match.group(1) or match.group(2))
    ordinal = _ORDINAL_ALINEA.search(question)
    if ordinal:
        return _ORDINALS[ordinal.group(1).lower()]
    return None


def named_acts(question: str, titles: dict[str, tuple[str, ...]]) -> set[str]:
    """Acts whose title (in either language) the question uses: most of the title's words,
    or its initials in capitals (`acronyms`: "XYZA" or "the XYZ Act" for "Xenial Yield Zoning
    Act"), or its code as typed ("W-9", `is_code`)."""
    words = set(re.findall(r"\w+", fold(question)))
    capitals = _capitals(question)
    by_initials: set[str] = set()
    score: dict[str, tuple[float, float]] = {}
    for act, names in titles.items():
        for name in names:
            if is_code(name):
                if _code(name).search(question):
                    by_initials.add(act)
                continue
            every = set(re.findall(r"\w+", fold(name)))
            wanted = {w for w in every if len(w) > 2}
            if wanted and len(wanted & words) / len(wanted) >= 0.6:
                # most of the title's words, then most of all its words (a code, a number)
                score[act] = max(score.get(act, (0.0, 0.0)),
                                 (len(wanted & words) / len(wanted), len(every & words) / len(every)))
            if capitals & acronyms(name):
                by_initials.add(act)
    # of titles sharing words ("Sample Act A-1", "Sample Act B-2"), the best named
    best = max(score.values(), default=None)
    return by_initials | {act for act, value in score.items() if value == best}


def law_name(source: SourceInfo, language: str) -> str:
    """A law's name in `language`: its citation's first part ("Widget Act"), else the
    source's title."""
    citation = source.fields.get("citation", {}).get("value")
    name = (citation.get(language) or "").split(",")[0] if isinstance(citation, dict) else ""
    return name.strip() or source.title


def cited_acts(question: str, titles: dict[str, tuple[str, ...]]) -> set[str]:
    """Acts a question names in full, whatever it asks: one of its names as a phrase ("under
    the Widget Safety Act", "selon la Loi sur les gadgets"), or its initials typed in capitals
    ("WSA", "the WS Act"). Stricter than `named_acts`, which also takes most of a title's
    words after a provision reference."""
    folded = " " + " ".join(re.findall(r"\w+", fold(question))) + " "
    capitals = _capitals(question)
    found = set()
    for act, names in titles.items():
        for name in names:
            if is_code(name):
                if _code(name).search(question):
                    found.add(act)
                continue
            phrase = _phrase(name)
            if phrase and f" {phrase} " in folded or capitals & acronyms(name):
                found.add(act)
    return found


def is_code(name: str) -> bool:
    """Whether a law's name is a code ("W-9", "Q-1.5", "AB-12.01"), matched only as typed
    (capitals, hyphen and dots): as words, "A-1" would be the "à 1" of "droit à 1 semaine"."""
    return re.fullmatch(r"[A-Z]{1,4}-\d+(?:\.\d+)*", name) is not None


@cache
def _code(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-]|\.\d)")


@cache
def _phrase(name: str) -> str:
    """A title as its folded words, one space apart (what a question's words are matched
    against, whole words only)."""
    return " ".join(re.findall(r"\w+", fold(name)))


def _capitals(question: str) -> set[str]:
    """The words a question types in capitals, where a law's initials may be ("EI", "CLC")."""
    return set(re.findall(r"\b[A-Z]{2,8}\b", question))


def without_titles(text: str, names: tuple[str, ...] | list[str]) -> str:
    """`text` without the phrases `names` (laws' titles, any case, any punctuation between
    their words) and without what `cited_acts` reads as their initials, typed in capitals
    ("the WS Act", "WSA"): what a question asks once the law it names has been noted."""
    for name in names:
        if is_code(name):
            text = _code(name).sub(" ", text)
            continue
        words = re.findall(r"\w+", name)
        if words:
            pattern = r"(?<!\w)" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?!\w)"
            text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    for name in names:
        if is_code(name):
            continue
        short = _short_form(name)
        for form in ([short] if short else []) + sorted(acronyms(name), key=len, reverse=True):
            text = re.sub(r"(?<!\w)" + r"\s+".join(map(re.escape, form.split())) + r"(?!\w)",
                          " ", text)
    return " ".join(text.split())


def _short_form(title: str) -> str:
    """A title ending in "Act" or "Code" as its other words' initials and that word
    ("Widget Safety Act": "WS Act"); "" for any other title, or one with numbers."""
    head, _, last = title.strip().rpartition(" ")
    if last not in ("Act", "Code") or re.search(r"\d", title):
        return ""
    letters = "".join(w[0].upper() for w in re.findall(r"[^\W\d_]+", head)
                      if len(w) > 1 and fold(w) not in _FUNCTION_WORDS)
    return f"{letters} {last}" if len(letters) >= 2 else ""


@cache
def acronyms(title: str) -> frozenset[str]:
    """What a law's title is shortened to in capitals: its initials ("EIA") and, for a title
    ending in "Act" or "Code", the initials before that word ("EI" of "EI Act"). A French
    title is not shortened to the initials after "Loi" (two letters, as "AE" would be for an
    employment insurance act): French users type such pairs for other things ("AE" for
    auto-entrepreneur), and a question on the seeds then went to the act."""
    return frozenset(a for a in (initials(title), _short_form(title).partition(" ")[0]) if a)


def initials(title: str) -> str:
    """A title's initials, its function words left out ("Loi sur les sociétés par actions":
    "LSA"); "" below three letters, or for a title with numbers (a citation, an article)."""
    if re.search(r"\d", title) or "." in title:
        return ""
    words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) > 1]
    letters = "".join(w[0].upper() for w in words if fold(w) not in _FUNCTION_WORDS)
    return letters if len(letters) >= 3 else ""


# The words a title's initials leave out ("Loi sur la ...", "... and ... Act").
_FUNCTION_WORDS = frozenset({"and", "of", "the", "for", "on", "in", "to", "et", "sur", "la",
                             "le", "les", "du", "de", "des", "par", "pour", "au", "aux", "en"})


# A law named by its title after a provision reference: "section 7 of the Criminal Code",
# "under the Income Tax Act", "l'article 1134 du Code civil", "art. 12 de la Loi sur les banques".
_TITLE_EN = re.compile(r"\b(?:of|in|under)\s+the\s+((?:[\w'’\-]+\s+){1,8}?(?:act|code))\b",
                       re.IGNORECASE)
_TITLE_FR = re.compile(r"\b(?:de\s+la|du|de\s+l['’])\s*((?:loi|code)\b[^,.;:?!()]{0,80})",
                       re.IGNORECASE)
# Words every title shares (what a law is called, not which law it is: "the Act", "la loi").
GENERIC_TITLE_WORDS = frozenset({"act", "acts", "code", "codes", "loi", "lois", "law", "laws"})


@cache
def _generic_words() -> frozenset[str]:
    return GENERIC_TITLE_WORDS | {fold(w) for lang in ("french", "english")
                             for w in get_stop_words(lang)}


def _title_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text))
            if len(w) > 2 and not w.isdigit() and w not in _generic_words()}


def unknown_titles(question: str, titles: dict[str, tuple[str, ...]]) -> list[str]:
    """Titles of laws the question names after a provision reference ("section 7 of the
    Criminal Code") that share no distinctive word with any served law's names (`titles`:
    each act's or article's title and citations). A question that names a served law, or
    no provision, or a title of generic words only ("the Act"), gives []."""
    if not parse(question) or named_acts(question, titles):
        return []
    known = {w for names in titles.values() for name in names for w in _title_words(name)}
    found: list[str] = []
    for pattern in (_TITLE_EN, _TITLE_FR):
        for match in pattern.finditer(question):
            words = _title_words(match.group(1))
            if words and not words & known:
                found.append(match.group(1).strip())
    return found


class Router:
    """Resolves parsed references against the corpus's units, indexed once: units by article,
    by act section, and by the references their texts cite (on first use: reading every
    unit's text took 0.3 s on five acts, once per question that cited a code article the
    sources do not hold)."""

    def __init__(self, units: tuple[AlignedUnit, ...]) -> None:
        self.units = units
        self.by_article: dict[str, list[AlignedUnit]] = {}
        self.by_section: dict[str, list[AlignedUnit]] = {}
        self.sections_of: dict[str, list[str]] = {}  # act -> its sections in document order
        for u in units:
            self.by_article.setdefault(u.article, []).append(u)
            if u.id.startswith(f"{u.article}."):  # an act's provision: "A-1.230.1"
                self.by_section.setdefault(str(u.section), []).append(u)
                order = self.sections_of.setdefault(u.article, [])
                if not order or order[-1] != str(u.section):
                    order.append(str(u.section))

    @cached_property
    def citing(self) -> dict[str, list[str]]:
        """Reference ("L933-6") -> ids of the units whose text cites it, in corpus order."""
        out: dict[str, list[str]] = {}
        for u in self.units:
            for ref in set(cited_references(u.fr.text)) | set(cited_references(u.en.text)):
                out.setdefault(ref, []).append(u.id)
        return out

    def act(self, ref: Reference, acts: set[str] | None = None) -> list[str]:
        """The units of an act section a reference names (of the acts in `acts`, when given),
        narrowed to the provision its labels name when the units carry them."""
        if ref.through is not None:
            hyphenated = f"{ref.section}-{ref.through}"
            if hyphenated in self.by_section and hyphenated in ref.text:
                ref = replace(ref, section=hyphenated, through=None)  # a section "12-14"
            else:
                return self._range(ref, acts)
        chosen = [u for u in self.by_section.get(str(ref.section), ())
                  if acts is None or u.article in acts]
        if not ref.labels:
            return [u.id for u in chosen]
        matches = [_provision([u for u in chosen if u.article == act], ref.labels)
                   for act in dict.fromkeys(u.article for u in chosen)]
        # a section whose provisions carry labels, none of them the first one asked for,
        # does not have the provision ("s. 12(99)"): it routes nowhere
        matches = [(depth, units) for depth, units in matches if depth or not _labelled(units)]
        deepest = max((depth for depth, _ in matches), default=0)
        # the acts whose section has the provision (as far as the chain goes), or all
        return [u.id for depth, units in matches if depth == deepest for u in units]

    def _range(self, ref: Reference, acts: set[str] | None) -> list[str]:
        """The units of every section from `ref.section` to `ref.through` (either way round),
        in each act that has both (of `acts`, when given); of a range wider than MAX_RANGE
        sections, the first MAX_RANGE."""
        found: list[str] = []
        for act, order in self.sections_of.items():
            if acts is not None and act not in acts:
                continue
            if ref.section in order and ref.through in order:
                first, last = sorted((order.index(str(ref.section)), order.index(str(ref.through))))
                wanted = set(order[first:min(last + 1, first + MAX_RANGE)])
                found += [u.id for u in self.by_article[act] if str(u.section) in wanted]
        return found

    def route(self, refs: list[Reference], acts: set[str] | None = None) -> list[str]:
        """Unit ids the references point at, most specific first; [] when none resolve.
        `acts`: the acts the question names, when it names any (narrows act references)."""
        articles = self.by_article
        hits: list[str] = []
        for ref in refs:
            if ref.act:
                hits += self.act(ref, acts or None)
                continue
            if ref.article and ref.article not in articles:
                # A reference the text itself cites ("L. 933-6"): the alinéas that cite it.
                hits += self.citing.get(ref.article, [])
                continue
            if ref.article is None and len(articles) != 1:
                continue
            article = ref.article or next(iter(articles))
            chosen = list(articles[article])
            if ref.section:
                chosen = [u for u in chosen if u.section == ref.section]
            if ref.alinea is not None and chosen:
                sections = list(dict.fromkeys(u.section for u in chosen))
                if ref.section is None and len(sections) > 1 and ref.alinea != -1:
                    first = [u for u in chosen if u.section == sections[0]]
                    chosen = first if ref.alinea <= len(first) else chosen
                if ref.alinea == -1:
                    chosen = chosen[-1:]
                else:
                    numbered = [u for u in chosen if u.number == ref.alinea]
                    chosen = numbered or ([chosen[ref.alinea - 1]]
                                          if ref.alinea <= len(chosen) else [])
            hits += [u.id for u in chosen]
        return list(dict.fromkeys(hits))


def _label_paths(units: list[AlignedUnit]) -> list[tuple[str, ...] | None]:
    """Each unit's provision label path ("1", "a"), from its first line in either language."""
    return [en or fr for en, fr in zip(
        label_paths([u.en.text.split("\n")[0] for u in units], "en"),
        label_paths([u.fr.text.split("\n")[0] for u in units], "fr"), strict=True)]


def _labelled(units: list[AlignedUnit]) -> bool:
    """True when some unit of a section carries a provision label."""
    return any(path for path in _label_paths(units))


def _provision(units: list[AlignedUnit], labels: tuple[str, ...]
               ) -> tuple[int, list[AlignedUnit]]:
    """The units of one act section under the provision `labels` names ("1", "a": subsection
    (1), paragraph (a)): its own and those nested in it, by the corpus's label nesting (a
    letter "(i)" told from a numeral), with how many labels of the chain matched. When the
    whole chain names nothing, the longest part of it that does; the whole section (0) when
    none does."""
    paths = _label_paths(units)
    wanted = tuple(label.lower() for label in labels)
    for depth in range(len(wanted), 0, -1):
        found = [u for u, path in zip(units, paths, strict=True)
                 if path is not None and tuple(p.lower() for p in path[:depth]) == wanted[:depth]]
        if found:
            return depth, found
    return 0, units


def route(refs: list[Reference], units: tuple[AlignedUnit, ...],
          acts: set[str] | None = None) -> list[str]:
    """`Router.route` over `units` (indexed for this call; the bot keeps one `Router`)."""
    return Router(units).route(refs, acts) if refs else []
