"""The layouts a source can follow, behind one interface the build loops over.

- `article`: a statute article cut into alinéas, one file per language, paired by structure;
- `bitext`: a consolidated act in two files (English, French), aligned provision by provision;
- `commentary`: one-language text cut into paragraphs.

Each layout turns the manifests of its kind into a `LayoutOutput`. The bitext layout keeps
each act's aligned units in a cache keyed by the act's files, manifest and corpus code, so
adding or changing one act aligns only that act.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from corpus.alignment import align_article
from corpus.bitext import align_texts
from corpus.bitext.labels import Chain, label_chains
from corpus.bitext.layout import CONSOLIDATED_ACT, Section, detect_layout, split_sections
from corpus.bitext.unit import BitextUnit
from corpus.citations import (
    cited_chains,
    commentary_citation,
    provision_citation,
    statute_citation,
)
from corpus.cleaning import Removal, clean_blocks, html_blocks, text_blocks
from corpus.drift import COPY_DIVERGES, TERM_INCONSISTENT
from corpus.encoder import TextEncoder
from corpus.errors import CorpusError, LayoutError, ManifestError
from corpus.manifest import Manifest
from corpus.models import AlignedUnit, CopyCheck, Passage, TermVariant
from corpus.persist import write_atomic
from corpus.reading import read_text
from corpus.structure import ArticleText, Paragraph, split_article, split_commentary
from corpus.terms import inconsistencies, paired_terms

_HEADING = re.compile(r"^(Section|Article)\s+\S+\s+[—–-]\s")
_NOTE = re.compile(r"^(?:Section|Article)\s+\S+\s+[—–-]\s+(.+)$")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildContext:
    """What every layout may use: the encoder, a cache directory, the code's fingerprint."""

    encoder: TextEncoder | None
    cache_dir: Path | None = None
    code: str = ""  # fingerprint of the corpus code: a cached result from other code is stale
    progress: Progress | None = None

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


@dataclass
class LayoutOutput:
    """What one layout contributes to the corpus."""

    units: list[AlignedUnit] = field(default_factory=list)
    commentary: list[Passage] = field(default_factory=list)
    copies: list[CopyCheck] = field(default_factory=list)
    terms: list[TermVariant] = field(default_factory=list)
    term_pairs: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # passages per file not counted above


class SourceLayout(Protocol):
    """A layout: its manifest name, and how its sources become units or passages."""

    name: str

    def build(self, manifests: Sequence[Manifest], context: BuildContext) -> LayoutOutput: ...


@dataclass(frozen=True)
class CleanSource:
    """One source after cleaning: its manifest, kept blocks' texts and what was removed."""

    manifest: Manifest
    raw: str
    removed: tuple[Removal, ...]
    articles: tuple[ArticleText, ...]
    paragraphs: tuple[Paragraph, ...]


def clean_source(manifest: Manifest) -> CleanSource:
    """Read, parse and clean one source; split it by its layout."""
    raw = read_text(manifest.file)
    if manifest.format == "html":
        blocks, removed_html = html_blocks(raw)
    else:
        blocks, removed_html = text_blocks(raw), []
    kept, removed = clean_blocks(blocks)
    if not kept:
        raise CorpusError(f"{manifest.file}: nothing left after removing web boilerplate")
    articles: tuple[ArticleText, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    if manifest.layout == "article":
        articles = tuple(split_article(kept, manifest.file.name))
    else:
        paragraphs = tuple(split_commentary(kept))
    return CleanSource(manifest, raw, tuple(removed_html + removed), articles, paragraphs)


# -- article ---------------------------------------------------------------------------------
def _article_of(text: ArticleText, manifest: Manifest) -> str:
    article = text.article or manifest.value("article")
    if not article:
        raise ManifestError(f"{manifest.path}: the file has no article heading; add 'article'")
    return str(article)


def _compare_copy(copy: ArticleText, original: ArticleText, copy_name: str,
                  original_name: str) -> CopyCheck:
    divergences: list[dict[str, Any]] = []
    by_key = {(a.section, a.number): a for a in original.alineas}
    for a in copy.alineas:
        twin = by_key.pop((a.section, a.number), None)
        if twin is None:
            divergences.append({"where": f"{a.section} al. {a.number}", "copy": a.text,
                                "original": None})
        elif " ".join(twin.text.split()) != " ".join(a.text.split()):
            divergences.append({"where": f"{a.section} al. {a.number}", "copy": a.text,
                                "original": twin.text})
    for (section, number), twin in by_key.items():
        divergences.append({"where": f"{section} al. {number}", "copy": None,
                            "original": twin.text})
    return CopyCheck(copy_name, original_name, copy.lang, not divergences, tuple(divergences))


class ArticleLayout:
    """Statute articles in French and English files, paired alinéa by alinéa."""

    name = "article"

    def build(self, manifests: Sequence[Manifest], context: BuildContext) -> LayoutOutput:
        out = LayoutOutput()
        cleaned = [clean_source(m) for m in manifests]
        by_file = {c.manifest.file.name: c for c in cleaned}
        texts: dict[tuple[str, str], tuple[ArticleText, CleanSource]] = {}
        copies: list[tuple[ArticleText, CleanSource, dict[str, str]]] = []
        for source in cleaned:
            copy_of = source.manifest.value("copy_of")
            for text in source.articles:
                if copy_of:
                    copies.append((text, source, copy_of))
                    continue
                key = (_article_of(text, source.manifest), text.lang)
                if key in texts:
                    raise LayoutError(f"{source.manifest.file}: article {key[0]} ({key[1]}) is "
                                      f"already given by {texts[key][1].manifest.file.name}; "
                                      "mark one as 'copy_of' the other in its manifest")
                texts[key] = (text, source)
        for text, source, copy_of in copies:
            original_name = copy_of.get("file", "")
            if original_name not in by_file:
                raise ManifestError(f"{source.manifest.path}: copy_of names {original_name!r}, "
                                    "which is not a source")
            key = (_article_of(text, source.manifest), copy_of.get("lang", text.lang))
            if key not in texts:
                raise ManifestError(f"{source.manifest.path}: {original_name} has no {key[1]} "
                                    f"text of article {key[0]}")
            out.copies.append(_compare_copy(text, texts[key][0], source.manifest.file.name,
                                            original_name))
        for article in dict.fromkeys(a for a, _ in texts):
            if (article, "fr") in texts and (article, "en") in texts:
                context.say(f"aligning article {article}")
                self._article(article, texts[(article, "fr")], texts[(article, "en")],
                              context.encoder, out)
        for check in out.copies:
            out.counts[check.copy] = sum(len(t.alineas) for t in by_file[check.copy].articles)
        return out

    @staticmethod
    def _article(article: str, fr: tuple[ArticleText, CleanSource],
                 en: tuple[ArticleText, CleanSource], encoder: TextEncoder | None,
                 out: LayoutOutput) -> None:
        (fr_text, fr_src), (en_text, en_src) = fr, en
        units: list[AlignedUnit] = []
        for d in align_article(fr_text, en_text, encoder):
            uid = f"{article}.{d.fr.section + '.' if d.fr.section else ''}{d.fr.number}"
            sides = {}
            for lang, alinea, src in (("fr", d.fr, fr_src), ("en", d.en, en_src)):
                sides[lang] = Passage(
                    id=f"{uid}.{lang}", source=src.manifest.file.name, lang=lang,
                    kind="statute", text=alinea.text,
                    citation=statute_citation(src.manifest, article, lang, alinea.section,
                                              alinea.number),
                    number=alinea.number, line=alinea.line, section=alinea.section or None,
                    heading=(fr_text if lang == "fr" else en_text).heading,
                    title=src.manifest.value("title"))
            units.append(AlignedUnit(uid, article, d.fr.section, d.fr.number, sides["fr"],
                                     sides["en"], d.confidence, d.flags, dict(d.details)))
        pairs_of_texts = [(u.fr.text, u.en.text) for u in units]
        for pair in paired_terms(pairs_of_texts, encoder):
            ids = [units[i].id for i in pair.units]
            out.term_pairs.append({"fr": pair.fr, "en": pair.en, "units": ids,
                                   "origin": "paired by the alignment: both stand in "
                                   + ", ".join(ids)})
        for inc in inconsistencies(pairs_of_texts):
            renderings = {r: [units[i].id for i in idx] for r, idx in inc.renderings.items()}
            out.terms.append(TermVariant(inc.term, article, renderings))
            for indices in inc.renderings.values():
                for i in indices:
                    u = units[i]
                    flags = u.flags if TERM_INCONSISTENT in u.flags else u.flags + (
                        TERM_INCONSISTENT,)
                    terms = list(u.details.get("terms", [])) + [
                        {"term": inc.term, "renderings": renderings}]
                    units[i] = replace(u, flags=flags, details={**u.details, "terms": terms},
                                       confidence=round(u.confidence * 0.9, 3))
        for check in out.copies:
            if not check.identical and check.original in (fr_src.manifest.file.name,
                                                          en_src.manifest.file.name):
                units = [replace(u, flags=u.flags + (COPY_DIVERGES,)) for u in units]
        out.units.extend(units)


# -- bitext ----------------------------------------------------------------------------------
def act_sections(text: str) -> list[Section]:
    """The sections of a consolidated act ("Section 240 — Complaint" blocks); none for text
    laid out otherwise."""
    try:
        layout = detect_layout(text)
    except LayoutError:
        return []
    return split_sections(text, layout) if layout == CONSOLIDATED_ACT else []


def marginal_notes(text: str, sections: list[Section] | None = None) -> dict[int, str]:
    """Line number -> the marginal note of the section the line belongs to ("Complaint" for
    the lines under "Section 240 — Complaint"); lines of sections without a note are absent.
    `sections`: the text's `act_sections`, when already split."""
    notes: dict[int, str] = {}
    for section in act_sections(text) if sections is None else sections:
        match = _NOTE.match(section.heading or "")
        if match:
            notes.update(dict.fromkeys(section.line_numbers, match.group(1).strip()))
    return notes


def bitext_units(manifest: Manifest, encoder: TextEncoder | None) -> list[AlignedUnit]:
    """A pair of files holding one act in English and French, aligned into cited units."""
    assert manifest.files is not None
    texts = {lang: read_text(path) for lang, path in manifest.files.items()}
    act = str(manifest.value("act") or manifest.file.stem)
    citation = manifest.value("citation") or {}
    sections = {lang: act_sections(text) for lang, text in texts.items()}
    notes = {lang: marginal_notes(text, sections[lang]) for lang, text in texts.items()}
    # the lines a heading stands on ("Section 84 — Protection of information on appeal")
    headings = frozenset(s.heading_line for s in sections["en"] if s.heading_line is not None)
    units: list[AlignedUnit] = []
    counters: dict[str, int] = {}
    aligned = [unit for unit in align_texts(texts["en"], texts["fr"], encoder,
                                            en_name=str(manifest.files["en"]),
                                            fr_name=str(manifest.files["fr"]))
               # section headings ("Section 84 — Note") are structure, not provisions; a
               # provision may open as one does ("Section 83 — other than the obligation to
               # provide a summary — and sections 85.1 to 85.5 apply"): it is not on a
               # heading's line
               if unit.section is not None
               and not (len(unit.en_lines) == 1 and _HEADING.match(unit.en)
                        and (not headings or unit.en_lines[0] in headings))]
    chains = _label_chains(aligned)
    for position, unit in enumerate(aligned):
        assert unit.section is not None
        counters[unit.section] = counters.get(unit.section, 0) + 1
        number = counters[unit.section]
        uid = f"{act}.{unit.section}.{number}"
        sides = {}
        for lang, text, lines in (("fr", unit.fr, unit.fr_lines), ("en", unit.en, unit.en_lines)):
            base = citation.get(lang) or act
            chain, note = chains[lang][position]
            sides[lang] = Passage(
                id=f"{uid}.{lang}", source=manifest.files[lang].name, lang=lang, kind="statute",
                text=text, citation=provision_citation(base, unit.section, chain, lang, note),
                number=number, line=lines[0] if lines else 0, section=unit.section,
                heading=notes[lang].get(lines[0]) if lines else None,
                title=manifest.value("title"))
        units.append(AlignedUnit(uid, act, unit.section, number, sides["fr"], sides["en"],
                                 unit.confidence, unit.flags, {"en_lines": list(unit.en_lines),
                                                               "fr_lines": list(unit.fr_lines)}))
    return units


def _label_chains(aligned: Sequence[BitextUnit]
                  ) -> dict[str, list[tuple[Chain | None, bool]]]:
    """Per language, each aligned unit's label chain ("(1)(c)(ii)" with ranks), read from the
    first lines of its section's units in order, and whether it is a marginal note
    (`corpus.citations.cited_chains`): a provision is cited down to its own label."""
    out: dict[str, list[tuple[Chain | None, bool]]] = {"en": [], "fr": []}
    for _, section in groupby(aligned, key=attrgetter("section")):
        units = list(section)
        for lang in ("en", "fr"):
            lines = [getattr(u, lang).split("\n")[0] for u in units]
            out[lang] += cited_chains(lines, label_chains(lines, lang))
    return out


def _unit_from_dict(data: dict[str, Any]) -> AlignedUnit:
    return AlignedUnit(**{**data, "fr": Passage(**data["fr"]), "en": Passage(**data["en"]),
                          "flags": tuple(data["flags"])})


class BitextLayout:
    """Consolidated acts in two files; each act's units cached by what they depend on."""

    name = "bitext"

    def build(self, manifests: Sequence[Manifest], context: BuildContext) -> LayoutOutput:
        out = LayoutOutput()
        for manifest in manifests:
            out.units.extend(self._act(manifest, context))
        return out

    @staticmethod
    def cache_key(manifest: Manifest, context: BuildContext) -> str:
        """Changes with the act's files, its manifest, the corpus code or the encoder."""
        assert manifest.files is not None
        digest = hashlib.sha256(context.code.encode())
        digest.update(getattr(context.encoder, "name", "none").encode())
        for path in (manifest.path, *manifest.files.values()):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def _act(self, manifest: Manifest, context: BuildContext) -> list[AlignedUnit]:
        act = str(manifest.value("act") or manifest.file.stem)
        path = None
        if context.cache_dir is not None:
            path = context.cache_dir / f"{self.cache_key(manifest, context)}.json"
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))
                context.say(f"act {act}: aligned units from the cache")
                return [_unit_from_dict(r) for r in rows]
            except (OSError, ValueError, KeyError, TypeError):
                pass  # not cached yet, or unreadable: align again
        context.say(f"aligning act {act}")
        units = bitext_units(manifest, context.encoder)
        if path is not None:
            write_atomic(path, json.dumps([asdict(u) for u in units], ensure_ascii=False))
        return units


# -- commentary ------------------------------------------------------------------------------
class CommentaryLayout:
    """One-language commentary cut into paragraphs under their headings."""

    name = "commentary"

    def build(self, manifests: Sequence[Manifest], context: BuildContext) -> LayoutOutput:
        out = LayoutOutput()
        for m in manifests:
            source = clean_source(m)
            lang = m.languages[0]
            for p in source.paragraphs:
                out.commentary.append(Passage(
                    id=f"{m.file.stem}.p{p.number}", source=m.file.name, lang=lang,
                    kind="commentary", text=p.text, citation=commentary_citation(m, lang, p.number),
                    number=p.number, line=p.line, heading=p.heading, title=m.value("title")))
        return out


LAYOUTS: tuple[SourceLayout, ...] = (ArticleLayout(), BitextLayout(), CommentaryLayout())
