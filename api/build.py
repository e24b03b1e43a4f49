"""Building and loading what the service needs (corpus, index, bot) from the settings."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from api.settings import Settings
from bot.engine import Bot
from bot.glossary import Glossary
from bot.places import Places
from bot.scope import ScopeModel, load_offtopic
from corpus.build import (
    build_corpus,
    default_sources_dir,
    load_corpus,
    save_corpus,
    sources_fingerprint,
)
from corpus.errors import CorpusError, SourceError
from corpus.models import Corpus
from corpus.profile import load_profile
from indexer.chunk import corpus_hash
from indexer.chunking import chunks_from_corpus
from indexer.embedders import CachedEmbedder, Embedder, make_embedder
from indexer.errors import IndexMismatchError
from indexer.store import IndexManifest, IndexParams, build_index, load_index, needs_rebuild


def sources_dir(settings: Settings) -> Path:
    path = settings.sources_dir or default_sources_dir()
    if not path.is_dir():
        raise SourceError(str(path), "sources directory not found (BILEX_SOURCES_DIR)")
    return path


def index_params(settings: Settings) -> IndexParams:
    return IndexParams(hnsw_threshold=settings.hnsw_threshold)


def make_encoder(settings: Settings) -> Embedder:
    """The configured embedding model behind the on-disk embedding cache."""
    return CachedEmbedder(make_embedder(settings.model), settings.cache_dir)


def ensure_corpus(settings: Settings) -> Corpus:
    """The built corpus; CorpusError telling to run `bilex build` if it is missing or stale."""
    corpus, fingerprint = load_corpus(settings.corpus_path)
    if fingerprint != sources_fingerprint(sources_dir(settings)):
        raise CorpusError(f"{settings.corpus_path}: the sources changed since the last build; "
                          "run `bilex build`")
    return corpus


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rembedding {done}/{total} chunks")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def build_all(settings: Settings, *, force: bool = False, progress: bool = False) -> str:
    """Build the corpus and index if anything changed; a short report of what was built."""
    src = sources_dir(settings)
    fingerprint = sources_fingerprint(src)
    started = time.perf_counter()
    encoder: Embedder | None = None
    try:
        corpus, old = load_corpus(settings.corpus_path)
        fresh = old == fingerprint and not force and corpus.encoder == _model_name(settings)
    except CorpusError:
        fresh = False
    if not fresh:
        encoder = make_encoder(settings)
        corpus = build_corpus(src, encoder)
        save_corpus(corpus, settings.corpus_path, fingerprint)
    chunks = chunks_from_corpus(corpus)
    params = index_params(settings)
    index_fresh = not force and not needs_rebuild(settings.index_dir, corpus.encoder,
                                                  corpus_hash(chunks), params)
    if not index_fresh:
        encoder = encoder or make_encoder(settings)
        build_index(chunks, encoder, settings.index_dir, params,
                    progress=_progress if progress else None)
    elapsed = time.perf_counter() - started
    flagged = sum(1 for u in corpus.units if u.flags)
    verb = "Nothing changed" if fresh and index_fresh else "Built"
    lines = [
        f"{verb} in {elapsed:.1f}s: {len(corpus.units)} aligned statute units, "
        f"{len(corpus.commentary)} commentary passages, {flagged} units with drift flags; "
        f"{len(chunks)} chunks indexed with {corpus.encoder} -> {settings.data_dir}",
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


def _model_name(settings: Settings) -> str:
    return make_embedder(settings.model).name


def check_built(settings: Settings) -> None:
    """CorpusError/IndexerError (one line, says to run `bilex build`) unless all is built."""
    corpus = ensure_corpus(settings)
    IndexManifest.read(settings.index_dir)
    if needs_rebuild(settings.index_dir, _model_name(settings),
                     corpus_hash(chunks_from_corpus(corpus)), index_params(settings)):
        raise IndexMismatchError(str(settings.index_dir), "the index does not match the corpus "
                                 "or the settings: run `bilex build`")


def load_bot(settings: Settings) -> Bot:
    """The bot over the built corpus and index; errors say to run `bilex build`."""
    corpus = ensure_corpus(settings)
    embedder = make_embedder(settings.model)
    index = load_index(settings.index_dir, expected_model=embedder.name,
                       expected_corpus_hash=corpus_hash(chunks_from_corpus(corpus)))
    embedder.warm_up()
    return Bot(corpus, index, embedder, Glossary.load(corpus=corpus), ScopeModel(),
               ui_lang=settings.ui_lang, default_k=settings.default_k, max_k=settings.max_k,
               max_chars=settings.max_question_chars, offtopic=load_offtopic(),
               places=Places.load(), profile=load_profile(sources_dir(settings)))
