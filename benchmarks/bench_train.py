"""Whole process against whole process: `backprop-tui train` vs the notes' §2.9 pseudocode in NumPy.

    python benchmarks/bench_train.py [--repeats 5] [--epochs 20000]

Runs, interleaved so that both see the same machine load,
    backprop-tui train --preset xor --epochs N --format json
    python benchmarks/pseudocode_2_9.py N
checks that the two loss histories agree to 1e-9 at every epoch, and prints the median wall time
of each and their ratio. Both run as an installed program runs: Python's bytecode cache on
(PYTHONDONTWRITEBYTECODE is removed from their environment, as pip compiles a package on install)
and one untimed warm-up run of each first. Issue 2 asks for a ratio of at least 10. Exit code 1 if the losses differ
or the ratio is below 10. Not a pytest test: timing depends on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOLERANCE = 1e-9
REQUIRED_RATIO = 10.0


def cli_command(epochs: int) -> list[str]:
    exe = shutil.which("backprop-tui", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    head = [exe] if exe else [sys.executable, "-m", "tui"]
    return head + ["train", "--preset", "xor", "--epochs", str(epochs), "--format", "json"]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str]) -> tuple[float, float, list[float]]:
    """Wall time, CPU time (user + system; steadier than wall time on a busy machine) and losses."""
    cpu0, start = _cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent, env=ENV)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu0
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, cpu, json.loads(done.stdout)["loss"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=20_000)
    args = ap.parse_args()

    ours_cmd = cli_command(args.epochs)
    base_cmd = [sys.executable, str(HERE / "pseudocode_2_9.py"), str(args.epochs)]
    ours, base, ours_cpu, base_cpu = [], [], [], []
    worst = 0.0
    run(base_cmd)  # warm-up: bytecode caches and the OS file cache, for both alike
    run(ours_cmd)
    for k in range(args.repeats):
        t_base, c_base, l_base = run(base_cmd)
        t_ours, c_ours, l_ours = run(ours_cmd)
        if len(l_base) != len(l_ours) or len(l_ours) != args.epochs + 1:
            sys.exit(f"loss histories differ in length: {len(l_base)} vs {len(l_ours)}")
        worst = max(worst, max(abs(a - b) for a, b in zip(l_base, l_ours)))
        base.append(t_base)
        ours.append(t_ours)
        base_cpu.append(c_base)
        ours_cpu.append(c_ours)
        print(
            f"  run {k + 1}/{args.repeats}: pseudocode {t_base:.3f} s, backprop-tui {t_ours:.3f} s (wall)", flush=True
        )

    m_base, m_ours = statistics.median(base), statistics.median(ours)
    ratio = m_base / m_ours
    print()
    print(f"XOR preset, {args.epochs} epochs, {args.repeats} interleaved runs each, whole processes")
    print(f"{'command':<58} {'median s':>9} {'min s':>7} {'max s':>7} {'median CPU s':>13}")
    for cmd, wall, cpu in ((base_cmd, base, base_cpu), (ours_cmd, ours, ours_cpu)):
        name = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
        print(
            f"{name:<58} {statistics.median(wall):>9.3f} {min(wall):>7.3f} {max(wall):>7.3f} "
            f"{statistics.median(cpu):>13.3f}"
        )
    print(
        f"speed ratio (median pseudocode / median backprop-tui): {ratio:.1f}× wall time, "
        f"{statistics.median(base_cpu) / statistics.median(ours_cpu):.1f}× CPU time  "
        f"(required ≥ {REQUIRED_RATIO:.0f}×, on wall time)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"largest loss difference over all epochs: {worst:.2e}  (required ≤ {TOLERANCE:.0e})")
    ok = worst <= TOLERANCE and ratio >= REQUIRED_RATIO
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
