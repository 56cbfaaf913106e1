"""`o`'s list of model files (issue 19) on a large folder, against listing the folder bare.

    python benchmarks/bench_open_list.py [--files 100000] [--repeats 5]

Makes a temporary folder of --files empty files (half .toml, half .txt, names in random order),
then times (time.perf_counter) tui.host.files.model_files on it and, as the baseline in the same run,
os.listdir of the same folder: medians in ms and their ratio. Also the peak of Python memory
(tracemalloc) of one model_files against the bare listing's. Budgets: ≤ 500 ms, ≤ 1/4 of the
listing's memory (the names are streamed: only the first LIST_LIMIT + a few are kept).

Exit code 1 if a budget is missed. Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.host import files  # noqa: E402

BUDGET_MS, BUDGET_MEMORY = 500.0, 0.25


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        names = [f"model-{k:06d}.{'toml' if k % 2 else 'txt'}" for k in range(args.files)]
        random.Random(1).shuffle(names)
        for name in names:
            open(os.path.join(folder, name), "wb").close()
        listing = files.model_files(folder)
        ours = median_ms(lambda: files.model_files(folder), args.repeats)
        bare = median_ms(lambda: os.listdir(folder), args.repeats)
        mem_ours, mem_bare = peak(lambda: files.model_files(folder)), peak(lambda: os.listdir(folder))
    print(f"folder of {args.files} files: {len(listing.names)} listed, {listing.more} more, capped={listing.capped}")
    print(
        f"model_files  median {ours:8.1f} ms   os.listdir {bare:8.1f} ms   ratio {ours / bare:5.2f}   budget ≤ {BUDGET_MS:.0f} ms"
    )
    print(
        f"peak memory  {mem_ours / 1e6:8.2f} MB   os.listdir {mem_bare / 1e6:8.2f} MB   ratio {mem_ours / mem_bare:5.2f}   "
        f"budget ≤ {BUDGET_MEMORY}"
    )
    return 0 if ours <= BUDGET_MS and mem_ours <= BUDGET_MEMORY * mem_bare else 1


if __name__ == "__main__":
    sys.exit(main())
