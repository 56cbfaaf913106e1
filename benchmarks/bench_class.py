"""A whole class starting the app at once on one small server (issue 21, item 9 of docs/PERFORMANCE.md).

    python benchmarks/bench_class.py [--students 40] [--repeats 1] [--cols 80 --rows 24] [--timeout 120]

N students press Enter at the same moment: N processes are forked together, each in its own
pseudo-terminal (80×24, TERM=xterm-256color, as over SSH), and the clock of every one of them starts
when the first is forked. A student's time is the moment their terminal shows the first full
screen (every marker of its kind seen in the output, escape sequences stripped). Three kinds, each
N at once, one kind after the other, in the same run:

- backprop-tui, the app (`backprop-tui`, lecture preset);
- the floor: benchmarks/bare_app.py --numpy, a Textual app with one line that also imports NumPy
  before it starts (what any Textual app on NumPy pays: Python, Textual, NumPy);
- bare Textual: benchmarks/bare_app.py, for context.

It reports, per kind, the median and the slowest time to the first full screen, and the ratio of
the app's slowest to the floor's slowest (budget ≤ 1.25×). On two cores, the processes share the
cores fairly, so every student waits about as long as the last one: the slowest is what a class
feels. With --repeats R the kinds are interleaved (floor, app, bare, then app, bare, floor, …) and
the medians over repeats are reported.
Timing stays out of the test suite; exit code 1 if the budget is missed.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import BARE_MARKERS, PtyProcess, app_command, machine  # noqa: E402

BUDGET = 1.25
# The first full screen at 80×24: the key bar (bottom line), the Explain panel's first line and the
# loss chart's y axis, which plotext draws after the first layout (the last thing painted).
APP_MARKERS = ("q quit", "Ready: sample 1 of 1", "0.2748┤")


def kinds() -> dict[str, tuple[list[str], tuple[str, ...], bytes]]:
    bare = [sys.executable, str(HERE / "bare_app.py")]
    return {
        "backprop-tui": (app_command(), APP_MARKERS, b"q"),
        "floor: bare Textual + NumPy": (bare + ["--numpy"], BARE_MARKERS, b"\x11"),
        "bare Textual": (bare, BARE_MARKERS, b"\x11"),
    }


def start_class(
    argv: list[str], markers: tuple[str, ...], quit_key: bytes, students: int, cols: int, rows: int, timeout: float
) -> list[float]:
    """Fork `students` processes at once; seconds from the first fork to each one's first full screen."""
    t0 = time.perf_counter()
    procs = [PtyProcess(argv, cols, rows, quit_key=quit_key) for _ in range(students)]
    done: dict[int, float] = {}
    by_fd = {p.fd: p for p in procs}
    deadline = t0 + timeout
    try:
        while len(done) < students and time.perf_counter() < deadline:
            waiting = [fd for fd, p in by_fd.items() if fd not in done and not p.exited]
            if not waiting:
                break
            ready, _, _ = select.select(waiting, [], [], 0.2)
            now = time.perf_counter()
            for fd in ready:
                p = by_fd[fd]
                if p.pump(0) and all(m in p.text() for m in markers):
                    done[fd] = now - t0
        missing = [p.pid for p in procs if p.fd not in done]
        if missing:
            raise RuntimeError(
                f"{len(missing)} of {students} never showed {markers} within {timeout} s "
                f"(last output of one: {by_fd[procs[0].fd].text()[-300:]!r})"
            )
        return sorted(done.values())
    finally:
        for p in procs:  # ask every one to quit first, then wait: quitting in turn would serialise it
            try:
                if not p.exited:
                    p.send(quit_key)
            except OSError:
                pass
        for p in procs:
            try:
                p.close()
            except (OSError, ChildProcessError):
                pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--timeout", type=float, default=180.0)
    args = ap.parse_args(argv)
    table = kinds()
    names = list(table)
    order = ["floor: bare Textual + NumPy", "backprop-tui", "bare Textual"]
    medians: dict[str, list[float]] = {n: [] for n in names}
    slowest: dict[str, list[float]] = {n: [] for n in names}
    print(f"# {args.students} students at once, {args.cols}×{args.rows}, {machine()}", flush=True)
    for k in range(args.repeats):
        for name in order if k % 2 == 0 else order[::-1]:
            cmd, markers, quit_key = table[name]
            times = start_class(cmd, markers, quit_key, args.students, args.cols, args.rows, args.timeout)
            medians[name].append(statistics.median(times))
            slowest[name].append(times[-1])
            print(
                f"  run {k + 1}/{args.repeats} {name}: median {times[len(times) // 2]:.2f} s, "
                f"slowest {times[-1]:.2f} s",
                flush=True,
            )
            time.sleep(1.0)  # let the last run's processes finish exiting
    print()
    print(f"| {args.students} at once | median first screen | slowest first screen | slowest ÷ floor |")
    print("|---|---|---|---|")
    floor = statistics.median(slowest["floor: bare Textual + NumPy"])
    for name in names:
        s = statistics.median(slowest[name])
        print(f"| {name} | {statistics.median(medians[name]):.2f} s | {s:.2f} s | {s / floor:.2f}× |")
    ratio = statistics.median(slowest["backprop-tui"]) / floor
    ok = ratio <= BUDGET
    print(
        f"\nbackprop-tui's slowest student ÷ the floor's: {ratio:.2f}× (budget ≤ {BUDGET}×): "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
