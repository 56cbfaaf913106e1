"""Batch descent's epochs against per-sample descent's (issue 19): medians of 7 runs and their ratio.

    python benchmarks/bench_batch.py

training.fast_batch_epochs sums each batch's per-sample gradients on Python floats, as fast_epochs does
for per-sample descent; the Loss chart trains up to 2000 epochs of the other mode on the App's thread
(tui/app/widgets/loss.py), so its time for 2000 epochs is the chart's worst wait.
"""

from __future__ import annotations

import statistics
import time

from engine import presets, training


def median(f, n: int = 7) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    for name in ("xor", "lecture"):
        m = presets.load(name)
        per = median(lambda: training.fast_epochs(m.params, m, 2000))
        full = median(lambda: training.fast_batch_epochs(m.params, m, 2000, m.m))
        line = (
            f"{name} (m = {m.m}), 2000 epochs: per-sample {per * 1e3:.1f} ms, full batch {full * 1e3:.1f} ms "
            f"({full / per:.2f}×)"
        )
        if m.m > 2:
            mini = median(lambda: training.fast_batch_epochs(m.params, m, 2000, 2))
            line += f", mini-batch 2 {mini * 1e3:.1f} ms ({mini / per:.2f}×)"
        print(line)


if __name__ == "__main__":
    main()
