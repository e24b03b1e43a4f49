"""Building and loading what the service needs (corpus, index, bot) from the settings."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import numpy as np
from threadpoolctl import threadpool_limits

import indexer
from api.settings import Settings
from bot.engine import Bot, Mechanisms, neighbour_labels
from bot.loading import make_bot
from bot.neighbours import uncovered
from bot.retrievers import HUB_FILE, chunk_hubness, dump_hub, parse_hub
from bot.scope import SCOPE_FILE
from bot.vocabulary import (
    TERMS_FILE,
    WORDS_FILE,
    CorpusWords,
    UnitTerms,
    corpus_words,
    dump_words,
    parse_words,
)
from corpus.build import (
    build_corpus,
    code_fingerprint,
    decode_corpus,
    default_sources_dir,
    load_corpus,
    save_corpus,
    sources_fingerprint,
    write_atomic,
)
from corpus.errors import CorpusError, SourceError
from corpus.models import Corpus
from corpus.profile import load_profile
from indexer.chunk import Chunk, corpus_hash
from indexer.chunking import chunks_from_corpus, unembedded_texts
from indexer.embedders import CachedEmbedder, SkippingEmbedder, make_embedder
from indexer.errors import IndexMismatchError
from indexer.lexical import analysis_version
from indexer.store import (
    IndexManifest,
    IndexParams,
    Store,
    build_index,
    check_manifest,
    load_index,
    open_store,
)

logger = logging.getLogger("bilex.api")

CORPUS_ARTIFACT = "corpus.json"  # the built corpus, kept in a shared store for other servers
CHUNK_RECORD = "chunk-record.json"  # the chunks' hash and counts, beside the corpus (ChunkRecord)
INDEXER_CODE = Path(indexer.__file__).parent


def sources_dir(settings: Settings) -> Path:
    path = settings.sources_dir or default_sources_dir()
    if not path.is_dir():
        raise SourceError(str(path), "sources directory not found (BILEX_SOURCES_DIR)")
    return path


@lru_cache(maxsize=1)
def _read_corpus(path: str, mtime_ns: int, size: int, inode: int) -> tuple[Corpus, str]:
    return load_corpus(Path(path))


def read_corpus(path: Path) -> tuple[Corpus, str]:
    """`load_corpus(path)`, read once per version of the file by this process: `bilex serve`
    checks the build and then loads the bot from the same corpus (the file is replaced
    atomically when rebuilt, so a new build is a new inode and is read again)."""
    try:
        stat = path.stat()
    except OSError:
        return load_corpus(path)  # says what is missing
    return _read_corpus(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


_CHUNKED: tuple[Corpus, list[Chunk], str] | None = None


def corpus_chunks(corpus: Corpus) -> tuple[list[Chunk], str]:
    """The chunks the index holds for `corpus`, and their hash, computed once per corpus
    object (the build check, the index parameters and the index load all need them)."""
    global _CHUNKED
    done = _CHUNKED
    if done is not None and done[0] is corpus:
        return done[1], done[2]
    chunks = chunks_from_corpus(corpus)
    hashed = corpus_hash(chunks)
    _CHUNKED = (corpus, chunks, hashed)
    return chunks, hashed


@dataclass(frozen=True)
class ChunkRecord:
    """What serving needs of a corpus's chunks without making them again: their hash (the
    index's `corpus_hash`) and how many there are, embedded and in all."""

    corpus_hash: str
    embedded: int
    total: int


def _record_key(corpus: Corpus, fingerprint: str) -> str:
    """What a corpus's chunks depend on: its sources and the corpus code (`fingerprint`), the
    aligned text (`corpus.corpus_hash`), the model, and the indexer's code."""
    parts = (fingerprint, corpus.corpus_hash, corpus.encoder, code_fingerprint(INDEXER_CODE))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def chunk_record(settings: Settings, corpus: Corpus, fingerprint: str) -> ChunkRecord:
    """The chunk record `bilex build` saved for this corpus and code, or one computed from the
    chunks (making and hashing every chunk again took a third of a second of each start on
    five acts)."""
    key = _record_key(corpus, fingerprint)
    try:
        saved = json.loads((settings.data_dir / CHUNK_RECORD).read_bytes())
        if saved["key"] == key:
            return ChunkRecord(str(saved["corpus_hash"]), int(saved["embedded"]),
                               int(saved["total"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none saved, another corpus's, or damaged: computed below
    return _computed_record(corpus)


def _computed_record(corpus: Corpus) -> ChunkRecord:
    chunks, hashed = corpus_chunks(corpus)
    skip = unembedded_texts(corpus, chunks)
    return ChunkRecord(hashed, sum(1 for c in chunks if c.text not in skip), len(chunks))


def save_chunk_record(settings: Settings, corpus: Corpus, fingerprint: str) -> None:
    """Save `chunk_record` of the corpus, computed from its chunks, for the servers to read."""
    record = {"key": _record_key(corpus, fingerprint), **asdict(_computed_record(corpus))}
    write_atomic(settings.data_dir / CHUNK_RECORD, json.dumps(record))


def index_params(settings: Settings, corpus: Corpus | None = None) -> IndexParams:
    """The index parameters. With `corpus`, the HNSW threshold counts embedded chunks only:
    an act's provisions have zero vectors, and many identical zero rows in an HNSW graph
    lose neighbours of the real ones (recall@10 0.97 -> 0.76 in a synthetic check), so an
    index with fewer embedded chunks than the threshold stays exact."""
    if corpus is None:
        return IndexParams(hnsw_threshold=settings.hnsw_threshold)
    record = _computed_record(corpus)
    return _params(settings, record.embedded, record.total)


def _params(settings: Settings, embedded: int, total: int) -> IndexParams:
    if embedded < settings.hnsw_threshold <= total:
        return IndexParams(hnsw_threshold=total + 1, embedded_chunks=embedded)
    return IndexParams(hnsw_threshold=settings.hnsw_threshold, embedded_chunks=embedded)


def make_encoder(settings: Settings) -> CachedEmbedder:
    """The configured embedding model behind the on-disk embedding cache (one instance serves
    the alignment and the index, so each distinct text is embedded once per build; rows are
    saved every minute and at the end). It runs with BILEX_THREADS threads (one by default):
    with every core on a machine other work shares, the engine's threads wait on each other
    (adding an act took 157 s of CPU instead of 33 s beside another job)."""
    return CachedEmbedder(make_embedder(settings.model, num_threads=settings.threads),
                          settings.cache_dir, save_every=60.0)


def index_store(settings: Settings) -> Store:
    """The index store `BILEX_STORE` names (FAISS files in the data directory by default)."""
    return open_store(settings.store, settings.index_dir)


def _corpus_from_store(store: Store) -> tuple[Corpus, str]:
    """The corpus a shared store keeps beside its index, and its sources' fingerprint."""
    blob = store.artifact(CORPUS_ARTIFACT)
    if blob is None:
        raise CorpusError(f"{store.where}: no built corpus in the store; run `bilex build`")
    return decode_corpus(blob, store.where, "corpus in the store")


def ensure_corpus(settings: Settings) -> Corpus:
    """The built corpus; CorpusError telling to run `bilex build` if it is missing or stale.

    A shared store (PostgreSQL) holds its own copy, so servers need no data directory."""
    return built_corpus(settings)[0]


def built_corpus(settings: Settings) -> tuple[Corpus, str]:
    """`ensure_corpus`, with the fingerprint of the sources it was built from."""
    store = index_store(settings)
    if store.keeps_artifacts:
        where = store.where
        corpus, fingerprint = _corpus_from_store(store)
    else:
        where = str(settings.corpus_path)
        corpus, fingerprint = read_corpus(settings.corpus_path)
    if fingerprint != sources_fingerprint(sources_dir(settings)):
        raise CorpusError(f"{where}: the sources changed since the last build; "
                          "run `bilex build`")
    return corpus, fingerprint


def _say(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


class EmbedProgress:
    """`done/total` chunks and an estimate of the time left, from the rate at which texts
    missing from the cache are embedded (cached ones cost nothing)."""

    def __init__(self, encoder: CachedEmbedder, texts: list[str], stream: TextIO) -> None:
        self.encoder = encoder
        self.stream = stream
        self.to_embed = len(encoder.missing(texts))
        self.start_embedded = encoder.embedded
        self.started = time.perf_counter()

    def eta(self) -> float | None:
        """Seconds left, or None before the first embedded batch."""
        done = self.encoder.embedded - self.start_embedded
        if done <= 0:
            return None if self.to_embed else 0.0
        rate = done / (time.perf_counter() - self.started)
        return max(self.to_embed - done, 0) / rate

    def __call__(self, done: int, total: int) -> None:
        left = self.eta()
        when = "estimating time left" if left is None else f"about {_duration(left)} left"
        self.stream.write(f"\rembedding {done}/{total} chunks ({self.to_embed} new texts), "
                          f"{when}   ")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def build_all(settings: Settings, *, force: bool = False, progress: bool = False) -> str:
    """Build the corpus and index if anything changed; a short report of what was built."""
    src = sources_dir(settings)
    fingerprint = sources_fingerprint(src)
    started = time.perf_counter()
    encoder: CachedEmbedder | None = None
    try:
        corpus, old = load_corpus(settings.corpus_path)
        fresh = old == fingerprint and not force and corpus.encoder == _model_name(settings)
    except CorpusError:
        fresh = False
    if not fresh:
        encoder = make_encoder(settings)
        corpus = build_corpus(src, encoder, cache_dir=settings.data_dir / "align-cache",
                              progress=_say if progress else None)
        save_corpus(corpus, settings.corpus_path, fingerprint)
    chunks, hashed = corpus_chunks(corpus)
    params = index_params(settings, corpus)
    store = index_store(settings)
    counted = save_words(settings, corpus)  # what the bot would count at start
    terms = save_terms(settings, corpus)  # and which passages hold which tokens
    artifacts = ({CORPUS_ARTIFACT: settings.corpus_path.read_bytes(), WORDS_FILE: counted,
                  TERMS_FILE: terms} if store.keeps_artifacts else None)
    index_fresh = not force and not store.needs_rebuild(corpus.encoder, hashed, params,
                                                        artifacts)
    if not index_fresh:
        encoder = encoder or make_encoder(settings)
        skip = unembedded_texts(corpus, chunks)
        reporter = EmbedProgress(encoder, [c.text for c in chunks if c.text not in skip],
                                 sys.stderr) if progress else None
        build_index(chunks, SkippingEmbedder(encoder, skip), store, params, progress=reporter,
                    artifacts=artifacts)
    save_chunk_record(settings, corpus, fingerprint)  # what a server then need not compute
    save_hub(settings, store)  # and the chunks' hubness
    if encoder is not None or not offtopic_cached(settings, corpus):
        encoder = encoder or make_encoder(settings)
        # what the bot embeds at start, cached now
        encoder.passages(_neighbour_labels(settings, corpus))
        encoder.flush()
    elapsed = time.perf_counter() - started
    flagged = sum(1 for u in corpus.units if u.flags)
    verb = "Nothing changed" if fresh and index_fresh else "Built"
    lines = [
        f"{verb} in {elapsed:.1f}s: {len(corpus.units)} aligned statute units, "
        f"{len(corpus.commentary)} commentary passages, {flagged} units with drift flags; "
        f"{len(chunks)} chunks indexed with {corpus.encoder} -> {settings.data_dir}",
    ]
    if encoder is not None:
        lines.append(f"  {encoder.embedded} texts embedded, {encoder.hits} taken from the "
                     "embedding cache")
    for s in corpus.sources:
        lines.append(f"  {s.file}: {s.kind}, {'+'.join(s.languages)}, {s.passages} passages")
    for c in corpus.copies:
        state = "identical" if c.identical else f"{len(c.divergences)} divergences"
        lines.append(f"  {c.copy} is a second copy of {c.original} ({c.lang}): {state}")
    for t in corpus.terms:
        shown = " / ".join(f"“{r}”" for r in t.renderings)
        lines.append(f"  term “{t.term}” rendered {len(t.renderings)} ways: {shown}")
    return "\n".join(lines)


def save_words(settings: Settings, corpus: Corpus) -> bytes:
    """The corpus's words (bot/vocabulary.py) saved beside it, counted again only when the
    saved ones are for another corpus or code; their saved bytes."""
    path = settings.data_dir / WORDS_FILE
    try:
        blob = path.read_bytes()
    except OSError:
        blob = b""
    if parse_words(blob, corpus) is None:
        blob = dump_words(corpus_words(corpus), corpus)
        write_atomic(path, blob)
    return blob


def save_terms(settings: Settings, corpus: Corpus) -> bytes:
    """Which passages hold which tokens (bot/vocabulary.py `UnitTerms`), saved beside the
    corpus, made again only when the saved ones are for another corpus or code; their bytes."""
    path = settings.data_dir / TERMS_FILE
    try:
        blob = path.read_bytes()
    except OSError:
        blob = b""
    if UnitTerms.parse(blob, corpus) is None:
        blob = UnitTerms.of_corpus(corpus).dump(corpus)
        write_atomic(path, blob)
    return blob


def saved_terms(settings: Settings, store: Store, corpus: Corpus) -> UnitTerms | None:
    """The postings `bilex build` made for this corpus, or None (the bot then scans)."""
    if store.keeps_artifacts:
        return UnitTerms.parse(store.artifact(TERMS_FILE), corpus)
    try:
        return UnitTerms.parse((settings.data_dir / TERMS_FILE).read_bytes(), corpus)
    except OSError:
        return None


def saved_words(settings: Settings, store: Store, corpus: Corpus) -> CorpusWords | None:
    """The words `bilex build` counted for this corpus (in the shared store, or beside the
    corpus), or None when there are none for it (the bot then counts them)."""
    if store.keeps_artifacts:
        return parse_words(store.artifact(WORDS_FILE), corpus)
    try:
        return parse_words((settings.data_dir / WORDS_FILE).read_bytes(), corpus)
    except OSError:
        return None


def save_hub(settings: Settings, store: Store) -> None:
    """The chunks' hubness (bot/retrievers.py `chunk_hubness`) saved beside the index (in
    the shared store, or in the data directory), computed again only when the saved one is
    for another index or code. A server computed it in its warm-up: an all-pairs product of
    the embedded rows, 0.6 s on five acts, which grows with the square of the corpus."""
    manifest = store.manifest()
    if parse_hub(_hub_blob(settings, store), manifest) is not None:
        return
    index = store.load()
    try:
        with threadpool_limits(limits=1, user_api="blas"):  # as a server computes it
            blob = dump_hub(chunk_hubness(index), index)
    finally:
        index.close()
    if store.keeps_artifacts:
        store.put_artifact(HUB_FILE, blob)
    else:
        write_atomic(settings.data_dir / HUB_FILE, blob)


def _hub_blob(settings: Settings, store: Store) -> bytes | None:
    if store.keeps_artifacts:
        return store.artifact(HUB_FILE)
    try:
        return (settings.data_dir / HUB_FILE).read_bytes()
    except OSError:
        return None


def saved_hub(settings: Settings, store: Store, manifest: IndexManifest) -> np.ndarray | None:
    """The hubness `bilex build` saved for this index, or None (the bot then computes it)."""
    return parse_hub(_hub_blob(settings, store), manifest)


def _neighbour_labels(settings: Settings, corpus: Corpus) -> list[str]:
    return neighbour_labels(uncovered(load_profile(sources_dir(settings)).neighbours, corpus))


def offtopic_cached(settings: Settings, corpus: Corpus) -> bool:
    """True when the cache holds the off-topic labels the bot embeds at start."""
    return not make_encoder(settings).missing(_neighbour_labels(settings, corpus))


def _model_name(settings: Settings) -> str:
    return make_embedder(settings.model).name


def check_built(settings: Settings) -> None:
    """CorpusError/IndexerError (one line, says to run `bilex build`) unless all is built."""
    corpus, fingerprint = built_corpus(settings)
    store = index_store(settings)
    record = chunk_record(settings, corpus, fingerprint)
    check_manifest(store.manifest(), store.where, _model_name(settings), record.corpus_hash)
    if store.needs_rebuild(_model_name(settings), record.corpus_hash,
                           _params(settings, record.embedded, record.total)):
        raise IndexMismatchError(store.where, "the index does not match the corpus "
                                 "or the settings: run `bilex build`")


def one_blas_thread() -> None:
    """NumPy's BLAS on one thread in this process. A question's products are small, and a
    threaded BLAS leaves its threads spinning on the cores after each one, where the next
    question's embedding (an OpenMP pool of BILEX_QUERY_THREADS threads) then waits for them: a
    matrix product between two embeddings made the second one about three times slower."""
    threadpool_limits(limits=1, user_api="blas")


def load_bot(settings: Settings, mechanisms: Mechanisms | None = None) -> Bot:
    """The bot over the built corpus and index; errors say to run `bilex build`."""
    one_blas_thread()
    corpus, fingerprint = built_corpus(settings)
    # passages the bot embeds at start (off-topic labels) come from the build's cache
    embedder = CachedEmbedder(make_embedder(settings.model, num_threads=settings.query_threads,
                                            max_query_tokens=settings.max_query_tokens,
                                            adaptive=settings.query_threads_adaptive),
                              settings.cache_dir, save_every=float("inf"))
    store = index_store(settings)
    index = load_index(store, expected_model=embedder.name,
                       expected_corpus_hash=chunk_record(settings, corpus,
                                                         fingerprint).corpus_hash)
    embedder.warm_up()
    words, terms = saved_words(settings, store, corpus), saved_terms(settings, store, corpus)
    hub = saved_hub(settings, store, index.manifest)
    unsaved = [name for name, saved in ((WORDS_FILE, words), (TERMS_FILE, terms), (HUB_FILE, hub))
               if saved is None]
    if unsaved:
        # each start then counts them again (about 3 s on five acts) until a build saves them
        logger.warning("%s missing or made by another build or version of Bilex: computed at "
                       "start; run `bilex build` to save them", ", ".join(unsaved))
    if index.manifest.params.get("analysis") != analysis_version():
        # its BM25 tokens are not the ones questions are now analysed into
        logger.warning("the index's words were analysed by another version of Bilex: the "
                       "lexical search misses some of them; run `bilex build`")
    return make_bot(corpus, index, embedder, sources_dir=sources_dir(settings),
                    scope_dir=settings.data_dir, mechanisms=mechanisms,
                    stored_scope=store.artifact(SCOPE_FILE) if store.keeps_artifacts else None,
                    corpus_words=words, unit_terms=terms, hub=hub,
                    ui_lang=settings.ui_lang, default_k=settings.default_k, max_k=settings.max_k,
                    max_chars=settings.max_question_chars)
