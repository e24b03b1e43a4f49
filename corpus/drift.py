"""Translation-drift checks for one FR/EN pair: numbers, references, units, length.

Numbers written as words are normalised with text2num first ("vingt heures" = "twenty
hours" = 20 hours), so a pair is flagged only when the quantities really differ.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from text_to_num import alpha2digit

NUMBER_MISMATCH = "number_mismatch"
REFERENCE_MISMATCH = "reference_mismatch"
UNIT_MISMATCH = "unit_without_counterpart"
LENGTH_RATIO = "length_ratio"
TERM_INCONSISTENT = "term_inconsistent"
NO_COUNTERPART = "no_counterpart"
LOW_SIMILARITY = "low_similarity"
COPY_DIVERGES = "copy_diverges"

# Article references of the French codes ("L. 123-4-5", "L123-4-5", "R. 1233-1") and the
# bracketed provision numbers of consolidated acts ("2(1)", "12.3(4)(b)").
_CODE_REF = re.compile(r"\b([LRD])\s?\.?\s?(\d{2,4}(?:-\d+)*)\b")
_PROVISION_REF = re.compile(r"\b(\d+(?:\.\d+)*(?:\(\d+(?:\.\d+)?\))+(?:\([a-z]{1,4}\))*)")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)(?![\w])")
_FR_THOUSANDS = re.compile(r"(?<=\d)[\u00a0\u202f ](?=\d{3}\b)")
_EN_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")

# Units a quantity can carry, by language, mapped to one canonical name.
_UNITS: dict[str, dict[str, str]] = {
    "fr": {
        "heure": "hour", "heures": "hour", "jour": "day", "jours": "day",
        "semaine": "week", "semaines": "week", "mois": "month", "an": "year", "ans": "year",
        "année": "year", "années": "year", "%": "percent", "pour cent": "percent",
        "euro": "euro", "euros": "euro", "€": "euro", "dollar": "dollar", "dollars": "dollar",
        "$": "dollar",
    },
    "en": {
        "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
        "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
        "%": "percent", "per cent": "percent", "percent": "percent", "euro": "euro",
        "euros": "euro", "€": "euro", "dollar": "dollar", "dollars": "dollar", "$": "dollar",
    },
}


@dataclass(frozen=True)
class DriftReport:
    """The drift flags of one pair, with what each flag saw (for translators)."""

    flags: tuple[str, ...]
    details: dict[str, object] = field(default_factory=dict)


def fold(text: str) -> str:
    """Lower-case and strip accents (for comparisons that must ignore them): the NFKD form
    of the lower-cased text without its combining marks.

    Decomposition works character by character and only the order of combining marks
    depends on their neighbours, so with the marks dropped each character folds alone: its
    folded form is computed once and applied with `str.translate` (folding a corpus of acts
    at start took seconds character by character)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    table = _FOLDED
    for c in set(lowered).difference(_FOLDED_CHARS):
        table[ord(c)] = _fold_char(c)
        _FOLDED_CHARS.add(c)
    return lowered.translate(table)


def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(d for d in decomposed if not unicodedata.combining(d))


_FOLDED: dict[int, str] = {}  # code point -> its folded form (characters met so far)
_FOLDED_CHARS: set[str] = set()


def references(text: str) -> Counter[str]:
    """Article and provision references in `text`, normalised ("L. 933-6" -> "L933-6")."""
    refs: Counter[str] = Counter()
    for letter, number in _CODE_REF.findall(text):
        refs[f"{letter}{number}"] += 1
    for ref in _PROVISION_REF.findall(text):
        refs[ref] += 1
    return refs


def _strip_references(text: str) -> str:
    return _PROVISION_REF.sub(" ", _CODE_REF.sub(" ", text))


def normalise_numbers(text: str, lang: str) -> str:
    """Rewrite number words as digits ("deux mois" -> "2 mois") and drop digit grouping."""
    text = _FR_THOUSANDS.sub("", text) if lang == "fr" else _EN_THOUSANDS.sub("", text)
    text = text.replace("\u2019", "'")
    try:
        return str(alpha2digit(text, lang, threshold=0))
    except Exception:  # text2num refuses some odd inputs; the words stay as they were
        return text


def quantities(text: str, lang: str) -> list[tuple[str, str | None]]:
    """(number, canonical unit or None) for every quantity, references left out.

    "1" is ignored: "un"/"une"/"one" are articles as often as numbers.
    """
    normalised = normalise_numbers(_strip_references(text), lang)
    units = _UNITS.get(lang, {})
    found: list[tuple[str, str | None]] = []
    for match in _NUMBER.finditer(normalised):
        value = match.group(1).replace(",", ".")
        if value.endswith(".0"):
            value = value[:-2]
        if value == "1":
            continue
        after = normalised[match.end() : match.end() + 30].lower().lstrip()
        unit = None
        for word, canonical in sorted(units.items(), key=lambda kv: -len(kv[0])):
            # One word may stand between ("douze derniers mois", "two full years").
            if re.match(r"(?:[^\W\d]+\s+)?" + re.escape(word) + r"(?![\w])", after):
                unit = canonical
                break
        found.append((value, unit))
    return found


def length_ratio(fr: str, en: str) -> float:
    """Characters of English per character of French (0 when a side is empty)."""
    return len(en) / len(fr) if fr and en else 0.0


def ratio_norm(pairs: Sequence[tuple[str, str]]) -> float:
    """The median EN/FR length ratio of a document's pairs (the norm a pair is held to)."""
    ratios = [length_ratio(fr, en) for fr, en in pairs if fr and en]
    return statistics.median(ratios) if ratios else 1.0


def pair_drift(fr: str, en: str, *, norm: float = 1.0, tolerance: float = 0.35) -> DriftReport:
    """Flags for one FR/EN pair: numbers, references, units and length against `norm`."""
    flags: list[str] = []
    details: dict[str, object] = {}
    if not fr.strip() or not en.strip():
        return DriftReport((NO_COUNTERPART,), {"missing": "fr" if not fr.strip() else "en"})

    fr_q, en_q = quantities(fr, "fr"), quantities(en, "en")
    fr_n, en_n = Counter(v for v, _ in fr_q), Counter(v for v, _ in en_q)
    if fr_n != en_n:
        flags.append(NUMBER_MISMATCH)
        details["numbers"] = {"fr_only": sorted((fr_n - en_n).elements()),
                              "en_only": sorted((en_n - fr_n).elements())}
    fr_u, en_u = Counter(u for _, u in fr_q if u), Counter(u for _, u in en_q if u)
    if fr_u != en_u:
        flags.append(UNIT_MISMATCH)
        details["units"] = {"fr_only": sorted((fr_u - en_u).elements()),
                            "en_only": sorted((en_u - fr_u).elements())}

    fr_r, en_r = references(fr), references(en)
    if set(fr_r) != set(en_r):
        flags.append(REFERENCE_MISMATCH)
        details["references"] = {"fr_only": sorted(set(fr_r) - set(en_r)),
                                  "en_only": sorted(set(en_r) - set(fr_r))}

    ratio = length_ratio(fr, en)
    if norm > 0 and abs(ratio / norm - 1.0) > tolerance and max(len(fr), len(en)) > 40:
        flags.append(LENGTH_RATIO)
        details["length_ratio"] = {"ratio": round(ratio, 3), "norm": round(norm, 3)}
    return DriftReport(tuple(flags), details)
