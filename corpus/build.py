"""Building the corpus: every source read, cleaned, split, cited and aligned.

`build_corpus` is pure apart from an optional cache (sources in, `Corpus` out): it loops over
the layouts of `corpus.layouts`, each turning its manifests into units or passages.
Persistence lives in `corpus.persist`, citations in `corpus.citations`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from corpus.encoder import TextEncoder
from corpus.layouts import (
    LAYOUTS,
    BuildContext,
    CleanSource,
    LayoutOutput,
    Progress,
    bitext_units,
    clean_source,
    marginal_notes,
)
from corpus.manifest import discover
from corpus.models import Corpus, SourceInfo
from corpus.persist import FORMAT_VERSION, decode_corpus, load_corpus, save_corpus, write_atomic
from corpus.reading import sha256_file

__all__ = [
    "FORMAT_VERSION", "CleanSource", "bitext_units", "build_corpus", "clean_source",
    "code_fingerprint", "decode_corpus", "default_sources_dir", "load_corpus", "marginal_notes",
    "save_corpus", "sources_fingerprint", "write_atomic",
]


def default_sources_dir() -> Path:
    """The sources shipped with the product, inside this package."""
    return Path(__file__).parent / "sources"


def code_fingerprint(code_dir: Path | None = None) -> str:
    """SHA-256 over every module of the corpus package (`code_dir`), sub-packages included."""
    package = code_dir or Path(__file__).parent
    digest = hashlib.sha256(f"format:{FORMAT_VERSION}".encode())
    for code in sorted(package.rglob("*.py")):
        digest.update(code.relative_to(package).as_posix().encode())
        digest.update(code.read_bytes())
    return digest.hexdigest()


def sources_fingerprint(sources_dir: Path, code_dir: Path | None = None) -> str:
    """SHA-256 over every manifest and source file, and over the code that turns them into
    a corpus (every module of `code_dir`, this package by default, sub-packages included):
    it changes when any of them changes."""
    digest = hashlib.sha256(code_fingerprint(code_dir).encode())
    for path in sorted(sources_dir.glob("*")):
        if path.is_file() and path.suffix in (".toml", ".txt", ".html", ".htm"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_corpus(sources_dir: Path, encoder: TextEncoder | None, *,
                 cache_dir: Path | None = None, progress: Progress | None = None) -> Corpus:
    """Every source of `sources_dir` cleaned, cited and aligned into one `Corpus`.

    With `cache_dir`, each act's aligned units are kept there and reused while its files,
    manifest and the corpus code are unchanged.
    """
    manifests = discover(sources_dir)
    context = BuildContext(encoder, cache_dir, code_fingerprint(), progress)
    outputs: list[LayoutOutput] = [
        layout.build([m for m in manifests if m.layout == layout.name], context)
        for layout in LAYOUTS]
    units = [u for out in outputs for u in out.units]
    commentary = [p for out in outputs for p in out.commentary]
    copies = [c for out in outputs for c in out.copies]

    counts: dict[str, int] = {}
    for u in units:
        for side in (u.fr, u.en):
            counts[side.source] = counts.get(side.source, 0) + 1
    for passage in commentary:
        counts[passage.source] = counts.get(passage.source, 0) + 1
    for out in outputs:
        counts.update(out.counts)

    sources = tuple(
        SourceInfo(file=path.name, sha256=sha256_file(path), kind=m.kind, languages=m.languages,
                   jurisdiction=str(m.value("jurisdiction")), title=str(m.value("title")),
                   fields=m.fields, passages=counts.get(path.name, 0))
        for m in manifests for path in (m.files.values() if m.files else [m.file]))
    content = json.dumps([[u.id, u.fr.text, u.en.text, u.confidence, list(u.flags)]
                          for u in units] + [[p.id, p.text] for p in commentary],
                         ensure_ascii=False)
    return Corpus(units=tuple(units), commentary=tuple(commentary), sources=sources,
                  copies=tuple(copies), terms=tuple(t for out in outputs for t in out.terms),
                  encoder=encoder.name if encoder else "none",
                  corpus_hash=hashlib.sha256(content.encode()).hexdigest(),
                  term_pairs=tuple(p for out in outputs for p in out.term_pairs))
