"""Building the corpus: every source read, cleaned, split, cited and aligned.

`build_corpus` is pure (sources in, `Corpus` out); `save_corpus` writes it atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.alignment import align_article
from corpus.bitext import align_texts
from corpus.cleaning import Removal, clean_blocks, html_blocks, text_blocks
from corpus.drift import COPY_DIVERGES, TERM_INCONSISTENT
from corpus.encoder import TextEncoder
from corpus.errors import CorpusError, LayoutError, ManifestError
from corpus.manifest import Manifest, discover
from corpus.models import AlignedUnit, CopyCheck, Corpus, Passage, SourceInfo, TermVariant
from corpus.reading import read_text, sha256_file
from corpus.structure import ArticleText, Paragraph, split_article, split_commentary
from corpus.terms import inconsistencies, paired_terms

_HEADING = re.compile(r"^(Section|Article)\s+\S+\s+[—–-]\s")

FORMAT_VERSION = 2


@dataclass(frozen=True)
class CleanSource:
    """One source after cleaning: its manifest, kept blocks' texts and what was removed."""

    manifest: Manifest
    raw: str
    removed: tuple[Removal, ...]
    articles: tuple[ArticleText, ...]
    paragraphs: tuple[Paragraph, ...]


def default_sources_dir() -> Path:
    """The sources shipped with the product, inside this package."""
    return Path(__file__).parent / "sources"


def sources_fingerprint(sources_dir: Path) -> str:
    """SHA-256 over every manifest and source file, and over the code that turns them into
    a corpus: it changes when any of them changes."""
    digest = hashlib.sha256(f"format:{FORMAT_VERSION}".encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    for path in sorted(sources_dir.glob("*")):
        if path.is_file() and path.suffix in (".toml", ".txt", ".html", ".htm"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_LABEL_EN = re.compile(r"^\(([0-9]+(?:\.[0-9]+)?|[a-zA-Z]{1,5})\)\s")
_LABEL_FR = re.compile(r"^\(?([0-9]+(?:\.[0-9]+)?|[a-zA-Z]{1,5})\)\s")


def _provision_citation(base: str, section: str, first_line: str, lang: str) -> str:
    """"<act citation>, s. 240(1)" / "<citation de la loi>, art. 240(1)"."""
    match = (_LABEL_EN if lang == "en" else _LABEL_FR).match(first_line)
    label = match.group(1) if match else ""
    word = "s." if lang == "en" else "art."
    if label.replace(".", "").isdigit():
        return f"{base}, {word} {section}({label})"
    if label:
        return f"{base}, {word} {section}, {'para.' if lang == 'en' else 'al.'} ({label})"
    return f"{base}, {word} {section}"


def bitext_units(manifest: Manifest, encoder: TextEncoder | None) -> list[AlignedUnit]:
    """A pair of files holding one act in English and French, aligned into cited units."""
    assert manifest.files is not None
    texts = {lang: read_text(path) for lang, path in manifest.files.items()}
    act = str(manifest.value("act") or manifest.file.stem)
    citation = manifest.value("citation") or {}
    units: list[AlignedUnit] = []
    counters: dict[str, int] = {}
    for unit in align_texts(texts["en"], texts["fr"], encoder, en_name=str(manifest.files["en"]),
                            fr_name=str(manifest.files["fr"])):
        if unit.section is None or (len(unit.en_lines) == 1 and _HEADING.match(unit.en)):
            continue  # section headings are structure, not provisions
        counters[unit.section] = counters.get(unit.section, 0) + 1
        number = counters[unit.section]
        uid = f"{act}.{unit.section}.{number}"
        sides = {}
        for lang, text, lines in (("fr", unit.fr, unit.fr_lines), ("en", unit.en, unit.en_lines)):
            base = citation.get(lang) or act
            sides[lang] = Passage(
                id=f"{uid}.{lang}", source=manifest.files[lang].name, lang=lang, kind="statute",
                text=text, citation=_provision_citation(base, unit.section,
                                                        text.split("\n")[0], lang),
                number=number, line=lines[0] if lines else 0, section=unit.section,
                title=manifest.value("title"))
        units.append(AlignedUnit(uid, act, unit.section, number, sides["fr"], sides["en"],
                                 unit.confidence, unit.flags, {"en_lines": list(unit.en_lines),
                                                               "fr_lines": list(unit.fr_lines)}))
    return units


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


def _article_of(text: ArticleText, manifest: Manifest) -> str:
    article = text.article or manifest.value("article")
    if not article:
        raise ManifestError(f"{manifest.path}: the file has no article heading; add 'article'")
    return str(article)


def _statute_citation(manifest: Manifest, article: str, lang: str, section: str, n: int) -> str:
    base = (manifest.value("citation") or {}).get(lang)
    translated = lang in (manifest.value("translation") or {})
    if lang == "fr":
        base = base or f"art. {article}"
        return f"{base}, {section + ', ' if section else ''}al. {n}"
    base = base or f"Article {article}"
    note = " (English translation)" if translated else ""
    return f"{base}, {section + ', ' if section else ''}para. {n}{note}"


def _commentary_citation(manifest: Manifest, lang: str, n: int) -> str:
    title = manifest.value("title")
    name = manifest.file.name
    if lang == "fr":
        return f"« {title} », {name}, § {n} (commentaire, pas un texte de loi)"
    return f"“{title}”, {name}, para. {n} (commentary, not law)"


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


def build_corpus(sources_dir: Path, encoder: TextEncoder | None) -> Corpus:
    """Every source of `sources_dir` cleaned, cited and aligned into one `Corpus`."""
    manifests = discover(sources_dir)
    cleaned = [clean_source(m) for m in manifests if m.layout != "bitext"]
    bitext = [m for m in manifests if m.layout == "bitext"]
    by_file = {c.manifest.file.name: c for c in cleaned}

    # Article texts by (article, lang), originals only; second copies are compared instead.
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
                                  f"already given by {texts[key][1].manifest.file.name}; mark "
                                  "one as 'copy_of' the other in its manifest")
            texts[key] = (text, source)

    copy_checks: list[CopyCheck] = []
    for text, source, copy_of in copies:
        original_name = copy_of.get("file", "")
        if original_name not in by_file:
            raise ManifestError(f"{source.manifest.path}: copy_of names {original_name!r}, "
                                "which is not a source")
        key = (_article_of(text, source.manifest), copy_of.get("lang", text.lang))
        if key not in texts:
            raise ManifestError(f"{source.manifest.path}: {original_name} has no {key[1]} text "
                                f"of article {key[0]}")
        copy_checks.append(_compare_copy(text, texts[key][0], source.manifest.file.name,
                                         original_name))

    units: list[AlignedUnit] = []
    term_variants: list[TermVariant] = []
    term_pairs: list[dict[str, Any]] = []
    for article in dict.fromkeys(a for a, _ in texts):
        if (article, "fr") not in texts or (article, "en") not in texts:
            continue
        (fr_text, fr_src), (en_text, en_src) = texts[(article, "fr")], texts[(article, "en")]
        drafts = align_article(fr_text, en_text, encoder)
        article_units: list[AlignedUnit] = []
        for d in drafts:
            uid = f"{article}.{d.fr.section + '.' if d.fr.section else ''}{d.fr.number}"
            sides = {}
            for lang, alinea, src in (("fr", d.fr, fr_src), ("en", d.en, en_src)):
                sides[lang] = Passage(
                    id=f"{uid}.{lang}", source=src.manifest.file.name, lang=lang,
                    kind="statute", text=alinea.text,
                    citation=_statute_citation(src.manifest, article, lang, alinea.section,
                                               alinea.number),
                    number=alinea.number, line=alinea.line, section=alinea.section or None,
                    heading=(fr_text if lang == "fr" else en_text).heading,
                    title=src.manifest.value("title"))
            article_units.append(AlignedUnit(uid, article, d.fr.section, d.fr.number,
                                             sides["fr"], sides["en"], d.confidence, d.flags,
                                             dict(d.details)))
        texts_of_units = [(u.fr.text, u.en.text) for u in article_units]
        for pair in paired_terms(texts_of_units, encoder):
            ids = [article_units[i].id for i in pair.units]
            term_pairs.append({"fr": pair.fr, "en": pair.en, "units": ids,
                               "origin": "paired by the alignment: both stand in " + ", ".join(ids)})
        found = inconsistencies(texts_of_units)
        for inc in found:
            renderings = {r: [article_units[i].id for i in idx] for r, idx in inc.renderings.items()}
            term_variants.append(TermVariant(inc.term, article, renderings))
            for indices in inc.renderings.values():
                for i in indices:
                    u = article_units[i]
                    flags = u.flags if TERM_INCONSISTENT in u.flags else u.flags + (TERM_INCONSISTENT,)
                    terms = list(u.details.get("terms", [])) + [
                        {"term": inc.term, "renderings": renderings}]
                    article_units[i] = replace(u, flags=flags, details={**u.details, "terms": terms},
                                               confidence=round(u.confidence * 0.9, 3))
        for check in copy_checks:
            if not check.identical and check.original in (fr_src.manifest.file.name,
                                                          en_src.manifest.file.name):
                article_units = [replace(u, flags=u.flags + (COPY_DIVERGES,)) for u in article_units]
        units.extend(article_units)

    for manifest in bitext:
        units.extend(bitext_units(manifest, encoder))

    commentary: list[Passage] = []
    for source in cleaned:
        m = source.manifest
        if not source.paragraphs:
            continue
        lang = m.languages[0]
        for p in source.paragraphs:
            commentary.append(Passage(
                id=f"{m.file.stem}.p{p.number}", source=m.file.name, lang=lang,
                kind="commentary", text=p.text, citation=_commentary_citation(m, lang, p.number),
                number=p.number, line=p.line, heading=p.heading, title=m.value("title")))

    counts: dict[str, int] = {}
    for u in units:
        for side in (u.fr, u.en):
            counts[side.source] = counts.get(side.source, 0) + 1
    for passage in commentary:
        counts[passage.source] = counts.get(passage.source, 0) + 1
    for check in copy_checks:
        counts[check.copy] = sum(len(t.alineas) for t in by_file[check.copy].articles)

    sources = tuple(
        SourceInfo(file=path.name, sha256=sha256_file(path), kind=m.kind, languages=m.languages,
                   jurisdiction=str(m.value("jurisdiction")), title=str(m.value("title")),
                   fields=m.fields, passages=counts.get(path.name, 0))
        for m in manifests for path in (m.files.values() if m.files else [m.file]))
    content = json.dumps([[u.id, u.fr.text, u.en.text, u.confidence, list(u.flags)]
                          for u in units] + [[p.id, p.text] for p in commentary],
                         ensure_ascii=False)
    return Corpus(units=tuple(units), commentary=tuple(commentary), sources=sources,
                  copies=tuple(copy_checks), terms=tuple(term_variants),
                  encoder=encoder.name if encoder else "none",
                  corpus_hash=hashlib.sha256(content.encode()).hexdigest(),
                  term_pairs=tuple(term_pairs))


def write_atomic(path: Path, data: str) -> None:
    """Write text to `path` through a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_corpus(corpus: Corpus, path: Path, fingerprint: str) -> None:
    """Save the corpus as JSON with the sources' fingerprint, atomically."""
    payload = {"format": FORMAT_VERSION, "fingerprint": fingerprint, **corpus.to_dict()}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1))


def load_corpus(path: Path) -> tuple[Corpus, str]:
    """The saved corpus and the fingerprint of the sources it was built from."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"{path}: no built corpus; run `bilex build`") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CorpusError(f"{path}: corrupt corpus file; run `bilex build`") from None
    if data.get("format") != FORMAT_VERSION:
        raise CorpusError(f"{path}: built by another Bilex version; run `bilex build`")
    try:
        return Corpus.from_dict(data), str(data.get("fingerprint", ""))
    except (KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: corrupt corpus file ({exc}); run `bilex build`") from None
