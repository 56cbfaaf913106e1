"""Every benchmark of issue 5 in one command, one table of ratios (Markdown, for docs/PERFORMANCE.md).

    python benchmarks/run_all.py            # the full run, ~6 minutes
    python benchmarks/run_all.py --quick    # development only: fewer repeats, 5 s idle

Items 1–5, 7, 8 and 9 come from bench_app.py (imported); item 6 runs bench_train.py and bench_sweep.py as
they are (subprocesses) and takes the ratio each prints. Exit code 1 if any budget is missed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_app  # noqa: E402
from bench_app import Row  # noqa: E402


def run_script(name: str, args: list[str]) -> str:
    print(f"  running {name} {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, str(HERE / name), *args], capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode not in (0, 1):  # 1 = a target missed; the table says which
        sys.exit(f"{name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def bench_train(quick: bool) -> Row:
    out = run_script("bench_train.py", ["--repeats", "3" if quick else "5"])
    ratio = float(re.search(r"speed ratio[^:]*:\s*([\d.]+)", out).group(1))
    base = re.search(r"pseudocode_2_9\.py \d+\s+([\d.]+)", out).group(1)  # median wall seconds
    ours = re.search(r"backprop-tui train .*?--format json\s+([\d.]+)", out).group(1)
    return Row(
        "6a. train, XOR 20 000 epochs, whole processes",
        f"{ours} s",
        f"{base} s (§2.9 pseudocode, NumPy)",
        f"{ratio:.1f}× faster",
        "≥ 10×",
        ratio >= 10,
    )


def bench_sweep(quick: bool) -> Row:
    out = run_script("bench_sweep.py", ["--repeats", "2" if quick else "3", "--plain-subset", "0"])
    sweep = re.search(r"^sweep \(vectorised\)\s+([\d.]+)", out, re.M).group(1)
    obo = re.search(r"^one by one \(scaled\)\s+([\d.]+)", out, re.M).group(1)
    ratio = float(re.search(r"^ratio\s+([\d.]+)", out, re.M).group(1))
    return Row(
        "6b. sweep, 1000 XOR nets × 5000 epochs",
        f"{sweep} s",
        f"{obo} s (one by one, scaled)",
        f"{ratio:.1f}× faster",
        "≥ 50×",
        ratio >= 50,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench_app.add_arguments(ap)
    args = ap.parse_args(argv)
    print(f"machine: {bench_app.machine()}", flush=True)
    rows = bench_app.run_items(bench_app.ITEMS, args.quick, args.repeats, args.idle_seconds)
    chart = next(k for k, r in enumerate(rows) if r.item.startswith("7."))  # 6a and 6b go before item 7
    rows[chart:chart] = [bench_train(args.quick), bench_sweep(args.quick)]
    print()
    print(bench_app.table(rows))
    print()
    for r in rows:
        for note in r.notes:
            print(f"- {note}")
    missed = [r.item for r in rows if not r.ok]
    print(f"\n{'all budgets met' if not missed else 'MISSED: ' + '; '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
