"""Sweep throughput: 1000 XOR networks × 5000 epochs at once against one by one (issue 4 item 7, issue 5 item 6).

    python benchmarks/bench_sweep.py [--nets 1000] [--epochs 5000] [--subset 20] [--repeats 3]

Both sides train the same starting points, random_params(seed + n), with per-sample gradient descent
in data order:
- sweep:      engine.sweep.sweep(model, nets, epochs), all networks vectorised in NumPy;
- one by one: engine.training.train(model.with_(params=random_params(seed + n)), epochs), the
              single-network fast path (scalar floats), on the first `--subset` networks only; its
              time is scaled linearly to `--nets` networks (each network costs the same work).
The two are interleaved, `--repeats` times, and the medians compared. Timing lives here, never in
the test suite. Targets: sweep < 10 s, and ≥ 50× faster than one by one.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import presets, sweep, training  # noqa: E402
from engine.model import random_params  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_RATIO = 50.0


def time_sweep(model, nets: int, epochs: int, seed: int) -> tuple[float, sweep.SweepRun]:
    t0 = time.perf_counter()
    result = sweep.sweep(model, nets, epochs, seed=seed)
    return time.perf_counter() - t0, result.runs[0]


def time_one_by_one(model, subset: int, epochs: int, seed: int) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    finals = [
        float(training.train(model.with_(params=random_params(seed + n)), epochs).losses[-1]) for n in range(subset)
    ]
    return time.perf_counter() - t0, finals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="xor")
    ap.add_argument("--activation", default=None, help="hidden activation (default: the preset's)")
    ap.add_argument("--nets", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=5000)
    ap.add_argument("--subset", type=int, default=20, help="networks trained one by one (scaled to --nets)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--plain-subset",
        type=int,
        default=2,
        help="networks trained with train(fast=False), the NumPy step code of engine.network, for "
        "context only (0: skip)",
    )
    args = ap.parse_args(argv)

    model = presets.load(args.preset)
    if args.activation:
        model = model.with_(hidden=args.activation)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}")
    print(f"python {platform.python_version()}, numpy {training.np.__version__}")
    print(
        f"model: preset {args.preset}, hidden {model.hidden}, output {model.output}, η = {model.lr}; "
        f"{args.nets} nets × {args.epochs} epochs, seeds {args.seed}…{args.seed + args.nets - 1}"
    )
    print(f"one by one: engine.training.train on the first {args.subset} nets, time × {args.nets}/{args.subset}")
    print()

    load_before = os.getloadavg()
    sweep_s, obo_s = [], []
    for r in range(args.repeats):  # interleaved, so a slow spell of the machine hits both sides
        s, run = time_sweep(model, args.nets, args.epochs, args.seed)
        o, finals = time_one_by_one(model, args.subset, args.epochs, args.seed)
        sweep_s.append(s)
        obo_s.append(o * args.nets / args.subset)
        print(
            f"repeat {r + 1}: sweep {s:7.3f} s   one by one {o:7.3f} s for {args.subset} nets "
            f"→ {obo_s[-1]:8.2f} s for {args.nets}"
        )
    # The sweep and the single-network path must agree on the nets both trained.
    mine = run.final_loss[: args.subset].tolist()
    worst = max(abs(a - b) for a, b in zip(mine, finals))
    same = sum((a < run.threshold) == (b < run.threshold) for a, b in zip(mine, finals))

    sweep_med, obo_med = statistics.median(sweep_s), statistics.median(obo_s)
    ratio = obo_med / sweep_med
    if args.plain_subset:  # context, not a target: the per-sample NumPy code that reads like the notes
        t0 = time.perf_counter()
        for n in range(args.plain_subset):
            training.train(model.with_(params=random_params(args.seed + n)), args.epochs, fast=False)
        plain = (time.perf_counter() - t0) * args.nets / args.plain_subset
    print()
    print(f"{'':28s}{'median s':>10s}")
    print(f"{'sweep (vectorised)':28s}{sweep_med:10.3f}")
    print(f"{'one by one (scaled)':28s}{obo_med:10.3f}")
    print(f"{'ratio':28s}{ratio:9.1f}×")
    samples = args.nets * args.epochs * len(model.X)  # network-samples: one per network, epoch and data row
    print(
        f"per network-sample: sweep {sweep_med / samples * 1e9:.1f} ns, one by one {obo_med / samples * 1e9:.0f} ns; "
        f"≥ {TARGET_RATIO:g}× needs the sweep ≤ {obo_med / TARGET_RATIO:.3f} s"
    )
    print(
        "load average (1, 5, 15 min): before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f} "
        "(2 cores; above ~1 other work shares the machine and timings swing)".format(*load_before, *os.getloadavg())
    )
    if args.plain_subset:
        print(
            f"(context: one by one with train(fast=False), the NumPy step code, {args.plain_subset} nets scaled: "
            f"{plain:.0f} s, {plain / sweep_med:.0f}× the sweep; measured once, not interleaved)"
        )
    print()
    print(f"converged: {run.n_converged}/{args.nets} (final L < {run.threshold}), diverged: {run.n_diverged}")
    print(
        f"agreement on the first {args.subset} nets: |ΔL_final| ≤ {worst:.1e}, "
        f"same converged verdict for {same}/{args.subset}"
    )
    ok_time, ok_ratio = sweep_med < TARGET_SECONDS, ratio >= TARGET_RATIO
    print(
        f"target sweep < {TARGET_SECONDS:g} s: {'met' if ok_time else 'MISSED'}; "
        f"target ≥ {TARGET_RATIO:g}× one by one: {'met' if ok_ratio else 'MISSED'}"
    )
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
