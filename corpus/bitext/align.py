"""Align an English and a French version of the same legal text into `BitextUnit`s.

Sections pair on their labels ("Section 240" / "Article 240"); inside a section, lines pair
on structure first (provision labels in their hierarchy, defined terms and their cross tags,
marginal notes); the runs left between those anchors go to the residual aligner
(sentweave with an encoder, galechurch without). A line whose counterpart is folded into a
neighbour joins that neighbour's unit; one with none becomes a one-sided unit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from corpus.bitext.labels import NUMBER, parse_label
from corpus.bitext.layout import Layout, Section, check_text, detect_layout, split_sections
from corpus.bitext.residual import EmbeddingCache, GapAligner, clean, match_bag
from corpus.bitext.structure import (
    Bag,
    Gap,
    Link,
    Path,
    Run,
    increasing,
    plan_run,
    plan_section,
)
from corpus.bitext.terms import is_repealed_term, tag_of
from corpus.bitext.unit import BitextUnit
from corpus.drift import LOW_SIMILARITY, normalise_numbers, pair_drift, ratio_norm
from corpus.encoder import TextEncoder
from corpus.errors import LayoutError

# Confidence of a unit found by structure alone, before the length check.
_PRIOR = {"heading": 0.98, "label": 0.97, "term": 0.97, "note": 0.95, "repealed": 0.8,
          "aligner": 0.9}
_SIM_FLOOR, _SIM_FULL = 0.70, 0.85  # cosine below which the aligner's units lose confidence
_LENGTH_SLACK = 20  # characters
_LOW_CONFIDENCE = 0.35
_SAMPLE = 24  # section pairs embedded to check that both files hold the same text
_ENDS_SENTENCE = re.compile(r"[.;:,]\s*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SAME_TEXT_SIM = 0.85  # mean cosine of a few paired sections (unrelated laws: about 0.82)


@dataclass(frozen=True)
class _Pair:
    en: Section | None
    fr: Section | None


def align_texts(
    en_text: str,
    fr_text: str,
    encoder: TextEncoder | None,
    *,
    en_name: str = "EN",
    fr_name: str = "FR",
) -> list[BitextUnit]:
    """Units of corresponding English and French lines, in document order.

    SourceError: empty or binary text; LayoutError: unknown or mixed layouts, different laws."""
    check_text(en_text, en_name)
    check_text(fr_text, fr_name)
    layout = detect_layout(en_text, en_name)
    fr_layout = detect_layout(fr_text, fr_name)
    if layout != fr_layout:
        raise LayoutError(f"{en_name} is laid out as {layout} but {fr_name} as {fr_layout}: "
                          "give the same text in both languages")
    pairs = _pair_sections(split_sections(en_text, layout), split_sections(fr_text, layout),
                           en_name, fr_name)
    cache = EmbeddingCache(encoder) if encoder is not None else None
    _check_same_text(pairs, cache, en_name, fr_name)
    plans = [_plan(pair, layout) for pair in pairs]
    ratio = _length_ratio(pairs, plans)
    aligner = GapAligner(cache, ratio)
    gaps: list[tuple[list[str], list[str]]] = []
    for pair, runs in zip(pairs, plans, strict=True):
        for step in (s for run in runs for s in run.steps):
            if isinstance(step, Gap) and step.en and step.fr:
                gaps.append((_texts(pair.en, step.en), _texts(pair.fr, step.fr)))
            elif isinstance(step, Bag) and cache is not None:
                cache.want([clean(t) for t in _texts(pair.en, step.en) + _texts(pair.fr, step.fr)])
    aligner.prepare(gaps)
    drafts = [
        (pair, _document_order([link for run in runs for link in _resolve(run, pair, aligner)]))
        for pair, runs in zip(pairs, plans, strict=True)
    ]
    return _units(drafts, ratio)


def _texts(section: Section | None, idx: Sequence[int]) -> list[str]:
    return [section.lines[i] for i in idx] if section is not None else []


def _pair_sections(
    en: list[Section], fr: list[Section], en_name: str, fr_name: str
) -> list[_Pair]:
    """Sections paired on their labels, unlabelled ones by position between labelled ones."""
    def keyed(sections: list[Section]) -> dict[str, int]:
        return {s.label: i for i, s in enumerate(sections) if s.label is not None}

    en_keys, fr_keys = keyed(en), keyed(fr)
    common = en_keys.keys() & fr_keys.keys()
    labelled = max(len(en_keys), len(fr_keys))
    if labelled and len(common) * 2 < labelled:
        raise LayoutError(
            f"{en_name} and {fr_name} are not the same text: only {len(common)} of "
            f"{labelled} section labels match"
        )
    kept = [(e, f) for e, f, _ in increasing([(en_keys[k], fr_keys[k], k) for k in common])]
    pairs: list[_Pair] = []
    prev_e = prev_f = -1
    for e, f in [*kept, (len(en), len(fr))]:
        gap_en, gap_fr = en[prev_e + 1 : e], fr[prev_f + 1 : f]
        for k in range(max(len(gap_en), len(gap_fr))):
            left = gap_en[k] if k < len(gap_en) else None
            right = gap_fr[k] if k < len(gap_fr) else None
            if left is not None and right is not None and (left.label or right.label):
                pairs.extend([_Pair(left, None), _Pair(None, right)])
            else:
                pairs.append(_Pair(left, right))
        if e < len(en):
            pairs.append(_Pair(en[e], fr[f]))
        prev_e, prev_f = e, f
    return pairs


def _body(section: Section) -> str:
    return " ".join(section.lines)[:240]


def _check_same_text(
    pairs: list[_Pair], cache: EmbeddingCache | None, en_name: str, fr_name: str
) -> None:
    """LayoutError unless paired sections cite the same numbers or, with an encoder, each
    sampled English section is closest to its own French one."""
    both = [(p.en, p.fr) for p in pairs if p.en and p.fr and p.en.lines and p.fr.lines]
    if not both:
        raise LayoutError(f"{en_name} and {fr_name} have no section in common")
    step = max(1, len(both) // _SAMPLE)
    sample = both[::step][:_SAMPLE]
    agreement, counted = _numbers_agree(sample)
    problem = None
    if counted >= 3 and agreement < 0.4:
        problem = f"the numbers their sections cite differ (overlap {agreement:.0%})"
    elif counted >= 2 and agreement >= 0.6:
        return  # the same numbers and references on both sides: the same text
    if problem is None and cache is not None:
        sims = cache([_body(e) for e, _ in sample]) @ cache([_body(f) for _, f in sample]).T
        if len(sample) >= 4:
            hits = float(np.mean(np.argmax(sims, axis=1) == np.arange(len(sample))))
            if hits < 0.5:
                problem = f"only {hits:.0%} of sampled sections read as translations"
        elif (diagonal := float(np.mean(np.diag(sims)))) < _SAME_TEXT_SIM:
            problem = f"their sections are too dissimilar (similarity {diagonal:.2f})"
    if problem is None and cache is None and len(both) >= 5:
        logs = np.log(np.array([[len(" ".join(e.lines)), len(" ".join(f.lines))]
                                for e, f in both], dtype=float))
        if np.std(logs[:, 0]) > 0 and np.std(logs[:, 1]) > 0:
            corr = float(np.corrcoef(logs[:, 0], logs[:, 1])[0, 1])
            if corr < 0.8:
                problem = f"their section lengths do not correlate (r = {corr:.2f})"
    if problem:
        raise LayoutError(f"{en_name} and {fr_name} do not hold the same text: {problem}")


def _numbers(text: str, lang: str) -> set[str]:
    return {n for n in _NUMBER.findall(normalise_numbers(text, lang)) if n not in ("0", "1")}


def _numbers_agree(sample: list[tuple[Section, Section]]) -> tuple[float, int]:
    """Mean overlap of the numbers cited by paired sections, over the pairs citing any."""
    overlaps = []
    for en, fr in sample:
        en_nums = _numbers(" ".join(en.lines), "en")
        fr_nums = {n.replace(",", ".") for n in _numbers(" ".join(fr.lines), "fr")}
        if en_nums or fr_nums:
            overlaps.append(len(en_nums & fr_nums) / len(en_nums | fr_nums))
    return (float(np.mean(overlaps)) if overlaps else 0.0), len(overlaps)


def _plan(pair: _Pair, layout: Layout) -> list[Run]:
    en, fr = pair.en, pair.fr
    if en is None or fr is None:
        side = en or fr
        assert side is not None
        idx = tuple(range(len(side.lines)))
        return [Run((Gap(idx, ()) if en is not None else Gap((), idx),), {}, {})]
    if layout == "consolidated_act":
        return plan_section(en.lines, fr.lines)
    return [plan_run(range(len(en.lines)), range(len(fr.lines)), en.lines, fr.lines,
                     term=en.label is not None)]


def _length_ratio(pairs: list[_Pair], plans: list[list[Run]]) -> float:
    """French characters per English character over structurally paired lines."""
    en_chars = fr_chars = 0
    for pair, runs in zip(pairs, plans, strict=True):
        for step in (s for run in runs for s in run.steps):
            if isinstance(step, Link) and step.en and step.fr and pair.en and pair.fr:
                en_chars += sum(len(pair.en.lines[i]) for i in step.en)
                fr_chars += sum(len(pair.fr.lines[j]) for j in step.fr)
    if en_chars < 200:
        en_chars = sum(len(" ".join(p.en.lines)) for p in pairs if p.en and p.fr)
        fr_chars = sum(len(" ".join(p.fr.lines)) for p in pairs if p.en and p.fr)
    return fr_chars / en_chars if en_chars else 1.1


def _is_note(lines: Sequence[str], i: int, lang: str) -> bool:
    """A marginal note: a short unpunctuated line heading the next subsection."""
    if i + 1 >= len(lines) or _ENDS_SENTENCE.search(lines[i]) or len(lines[i]) >= 250:
        return False
    label = parse_label(lines[i + 1], lang)
    return label is not None and label.rank == NUMBER


def _resolve(run: Run, pair: _Pair, aligner: GapAligner) -> list[Link]:
    """Links for a run: gaps aligned, then lines left alone joined to the unit they belong to."""
    links: list[Link] = []
    for step in run.steps:
        if isinstance(step, Link):
            links.append(step)
            continue
        en, fr = _texts(pair.en, step.en), _texts(pair.fr, step.fr)
        if isinstance(step, Bag):
            beads = match_bag(en, fr, aligner.cache)
        else:
            beads = aligner.align(en, fr)
        for bead in beads:
            how = "aligner" if bead.en and bead.fr else "orphan"
            if isinstance(step, Bag):
                how = "repealed" if bead.en and bead.fr else "unmatched"
            links.append(Link(tuple(step.en[i] for i in bead.en),
                              tuple(step.fr[j] for j in bead.fr), how, bead.similarity))
    if pair.en is None or pair.fr is None:
        return links
    return _attach_orphans(links, run, pair)


def _owner(i: int, lines: Sequence[str], paths: dict[int, Path | None], lang: str) -> int | None:
    """The line an unpaired line belongs to: the subsection its note heads, its parent
    provision, or for unlabelled text after an enumeration the subsection it closes."""
    if i not in paths:
        return None
    path = paths[i]
    if path is None and _is_note(lines, i, lang):
        return i + 1 if i + 1 in paths else None
    before = [k for k in sorted(paths) if k < i]
    if path is None:
        labelled = [p for k in before if (p := paths[k]) is not None]
        if not labelled:
            return None
        # a sentence that ends closes the subsection ("(1) If ... (a) ... (b) ..., then ....");
        # otherwise the text closes the enumeration it follows ("(e) ... (i) (ii) ...; and")
        # a formula, a table row or a connector ("where") after a subsection's own text
        # belongs to that subsection, not to the section above it
        last = labelled[-1]
        if re.search(r"\.[”»\"')\]]*\s*$", lines[i]):
            want = last[:1] if last[0][:1].isdigit() else ()
        else:
            want = last[:-1] if len(last) > 1 else last
    else:
        want = path[:-1]
    if not want:  # section level: the unlabelled lead-in that opens the run
        return before[0] if before and paths[before[0]] is None else None
    return next((k for k in reversed(before) if paths[k] == want), None)


def _stands_alone(line: str) -> bool:
    """A definition line (repealed term, cross-tagged term) left over is its own unit."""
    return tag_of(line) is not None or is_repealed_term(line)


def _attach_orphans(links: list[Link], run: Run, pair: _Pair) -> list[Link]:
    """Join each one-sided line to the unit it belongs to, else to its neighbour."""
    assert pair.en is not None and pair.fr is not None
    out = list(links)
    k = 0
    while k < len(out):
        link = out[k]
        if link.how != "orphan":
            k += 1
            continue
        lang, idx = ("en", link.en) if link.en else ("fr", link.fr)
        lines = pair.en.lines if lang == "en" else pair.fr.lines
        if parse_label(lines[idx[-1]], lang) is None and _stands_alone(lines[idx[-1]]):
            k += 1
            continue
        paths = run.en_paths if lang == "en" else run.fr_paths
        owner = _owner(idx[-1], lines, paths, lang)
        target = None
        if owner is not None:
            target = next((j for j, other in enumerate(out) if other.en and other.fr
                           and owner in (other.en if lang == "en" else other.fr)), None)
        nxt = next((j for j in range(k + 1, len(out)) if out[j].en and out[j].fr), None)
        prv = next((j for j in range(k - 1, -1, -1) if out[j].en and out[j].fr), None)
        if target is not None:
            pass
        elif _is_note(lines, idx[-1], lang) and nxt is not None:
            target = nxt
        elif prv is not None:
            target = prv
        elif nxt is not None:
            target = nxt
        if target is None:
            k += 1
            continue
        host = out[target]
        out[target] = replace(
            host,
            en=tuple(sorted(host.en + link.en)),
            fr=tuple(sorted(host.fr + link.fr)),
            how=host.how if host.how.endswith("+joined") else host.how + "+joined",
        )
        del out[k]
    return out


def _document_order(links: list[Link]) -> list[Link]:
    """English order; a French-only unit goes after the unit holding the French line before it."""
    two = sorted((link for link in links if link.en), key=lambda link: min(link.en))
    where = {j: k for k, link in enumerate(two) for j in link.fr}
    keyed: list[tuple[tuple[int, int, int], Link]] = [((k, 0, 0), x) for k, x in enumerate(two)]
    for link in (link for link in links if not link.en):
        first = min(link.fr)
        before = next((where[j] for j in range(first - 1, -1, -1) if j in where), -1)
        keyed.append(((before, 1, first), link))
    return [link for _, link in sorted(keyed, key=lambda item: item[0])]


def _length_factor(en: str, fr: str, ratio: float) -> float:
    """0 .. 1: how plausible the two lengths are for a translation, given the document's
    French/English ratio (short lines, such as marginal notes, are allowed to vary more)."""
    deviation = math.log((len(fr) + _LENGTH_SLACK) / (ratio * len(en) + _LENGTH_SLACK))
    return math.exp(-((deviation / 0.5) ** 2))


def _confidence(link: Link, en: str, fr: str, ratio: float) -> float:
    """Structure is the strongest evidence, then the aligner's similarity, then lengths."""
    how = link.how.split("+")[0]
    if not en or not fr:
        return 0.95 if how == "one_language" else 0.5
    score = _PRIOR.get(how, 0.85) * (0.6 + 0.4 * _length_factor(en, fr, ratio))
    if link.similarity is not None:
        score *= min(1.0, max(0.0, (link.similarity - _SIM_FLOOR) / (_SIM_FULL - _SIM_FLOOR)))
    if link.how.endswith("+joined"):
        score *= 0.9
    return round(score, 3)


def _units(drafts: list[tuple[_Pair, list[Link]]], ratio: float) -> list[BitextUnit]:
    """Texts, line numbers, confidences and drift flags for each link (headings first)."""
    rows: list[tuple[str | None, str, str, Link, tuple[int, ...], tuple[int, ...]]] = []
    for pair, links in drafts:
        rows.extend(_heading_rows(pair))
        en_lines = pair.en.line_numbers if pair.en else ()
        fr_lines = pair.fr.line_numbers if pair.fr else ()
        rows.extend((
            _section_name(pair),
            "\n".join(_texts(pair.en, link.en)),
            "\n".join(_texts(pair.fr, link.fr)),
            link,
            tuple(en_lines[i] for i in link.en),
            tuple(fr_lines[j] for j in link.fr),
        ) for link in links)
    norm = ratio_norm([(fr, en) for _, en, fr, _, _, _ in rows if en and fr])
    units = []
    for section, en, fr, link, en_nos, fr_nos in rows:
        confidence = _confidence(link, en, fr, ratio)
        flags = list(pair_drift(fr, en, norm=norm).flags)
        if en and fr and confidence < _LOW_CONFIDENCE:
            flags.append(LOW_SIMILARITY)
        units.append(BitextUnit(en, fr, section, confidence, tuple(flags), en_nos, fr_nos))
    return units


def _section_name(pair: _Pair) -> str | None:
    for side in (pair.en, pair.fr):
        if side is not None and side.label is not None:
            return side.label
    for side in (pair.en, pair.fr):
        if side is not None and side.heading is not None:
            return side.heading
    return None


def _heading_rows(
    pair: _Pair,
) -> list[tuple[str | None, str, str, Link, tuple[int, ...], tuple[int, ...]]]:
    en_head = pair.en.heading if pair.en else None
    fr_head = pair.fr.heading if pair.fr else None
    if en_head is None and fr_head is None:
        return []
    en_no = (pair.en.heading_line,) if pair.en and pair.en.heading_line else ()
    fr_no = (pair.fr.heading_line,) if pair.fr and pair.fr.heading_line else ()
    link = Link((), (), "heading" if en_head and fr_head else "orphan")
    return [(_section_name(pair), en_head or "", fr_head or "", link, en_no, fr_no)]
