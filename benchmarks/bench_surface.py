"""The decision surface view (`h`, issue 13) against its budgets.

    python benchmarks/bench_surface.py [--repeats 200] [--play-seconds 3] [--only redraw,big,bytes]

1. redraw: CPU time (time.process_time) of one SurfaceScreen._redraw() at 120×40, headless, XOR:
   the engine's three grids (ŷ and a⁽¹⁾ over the plane: 58 × 58 pixels, the two units' 26 × 26, the
   hidden space's cells), surface_art's levels, contour and markers, the palette's runs, the strips
   and the row diff; each call after a different Snapshot (the first 200 epochs of XOR, one per
   call), in true colour and with shading characters. Median of --repeats, in ms and as a ratio to
   the budget: ≤ 5 ms.
2. big: the same redraw on a data set of 60 000 rows (uniform in the unit square, y = [x₁ > x₂]): a
   Snapshot after each of 20 `s` (the parameters move, the data stays), as a frame of play draws it,
   and "data changed", with what the view keeps while the data is the same dropped first (as after
   `w` or `o`). Median of --repeats // 4 each, against one frame of play: PROGRESS_INTERVAL, 100 ms
   (issue 18 measured 2.5–4.8 s a key before the markers were drawn with NumPy).
3. bytes: at 120×40 in a pseudo-terminal (TERM=xterm-256color, bench_app.PtyProcess), `h` on XOR,
   then the bytes of one full paint of the view (the largest frame after a resize to 119×40 and back,
   before play and after it: the larger, a detailed picture costs more than a uniform one) against the bytes of each frame while `p` trains for --play-seconds (default speed, 1 000 epochs a
   second): mean and median per frame, as a ratio of the full paint. ≤ 0.25.

Exit code 1 if a budget is missed. Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_app  # noqa: E402  (sets the app's process settings before Textual loads)
from bench_app import Row  # noqa: E402

BUDGET = {"redraw_ms": 5.0, "big_ms": 100.0, "bytes_ratio": 0.25}
BIG_ROWS = 60_000


async def _redraw_times(repeats: int, theme: str | None) -> list[float]:
    from engine import presets
    from engine.stepper import Stepper
    from tui.app.app import BackpropApp
    from tui.app.screens.surface import SurfaceScreen

    model = presets.load("xor")
    stepper = Stepper(model)
    snapshots = [stepper.snapshot]
    for _ in range(200):
        snapshots.append(stepper.finish_epoch())
    app = BackpropApp(model, theme=theme)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SurfaceScreen)
        for i in range(repeats + 10):
            app.set_reactive(BackpropApp.snapshot, snapshots[i % len(snapshots)])  # no watchers: only the redraw
            c0 = time.process_time()
            screen._redraw()
            c1 = time.process_time()
            if i >= 10:
                times.append(c1 - c0)
            if i % 20 == 0:
                await pilot.pause()  # let the frames go out now and then, as the app would
    return times


def bench_redraw(repeats: int) -> list[Row]:
    rows = []
    for label, theme in (("true colour, half blocks", None), ("shading characters (ANSI theme)", "backprop-ansi")):
        times = asyncio.run(_redraw_times(repeats, theme))
        med = statistics.median(times) * 1000
        p90 = sorted(times)[int(0.9 * (len(times) - 1))] * 1000
        ratio = med / BUDGET["redraw_ms"]
        print(f"  redraw, {label}: median {med:.2f} ms, p90 {p90:.2f} ms over {len(times)}", flush=True)
        rows.append(
            Row(
                f"surface redraw at 120×40, {label} (CPU, {len(times)} redraws)",
                f"median {med:.2f} ms",
                f"budget {BUDGET['redraw_ms']:.0f} ms",
                f"{ratio:.2f} of the budget",
                f"≤ {BUDGET['redraw_ms']:.0f} ms",
                med <= BUDGET["redraw_ms"],
                [f"{label}: p90 {p90:.2f} ms"],
            )
        )
    return rows


async def _big_redraw_times(repeats: int, cold: bool) -> list[float]:
    import numpy as np

    from engine.model import Model, random_params
    from engine.stepper import Stepper
    from tui.app.app import BackpropApp
    from tui.app.screens.surface import SurfaceScreen

    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, (BIG_ROWS, 2))
    model = Model("big", random_params(0), X, (X[:, 0] > X[:, 1]).astype(float))
    stepper = Stepper(model)
    snapshots = [stepper.snapshot] + [stepper.finish_sample() for _ in range(20)]
    app = BackpropApp(model)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SurfaceScreen)
        for i in range(repeats + 3):
            app.set_reactive(BackpropApp.snapshot, snapshots[i % len(snapshots)])
            if cold:  # what the view keeps for the same data, dropped: as after a data edit
                screen._marks_for, screen._span_for = (None, None, None), (None, None)
            c0 = time.process_time()
            screen._redraw()
            c1 = time.process_time()
            if i >= 3:
                times.append(c1 - c0)
            if i % 10 == 0:
                await pilot.pause()
    return times


def bench_big(repeats: int) -> list[Row]:
    rows = []
    for label, cold in (("a frame of play", False), ("data changed", True)):
        times = asyncio.run(_big_redraw_times(max(5, repeats // 4), cold))
        med = statistics.median(times) * 1000
        ratio = med / BUDGET["big_ms"]
        print(f"  redraw on {BIG_ROWS} rows, {label}: median {med:.1f} ms over {len(times)}", flush=True)
        rows.append(
            Row(
                f"surface redraw at 120×40 on {BIG_ROWS} rows, {label} (CPU, {len(times)} redraws)",
                f"median {med:.1f} ms",
                f"budget {BUDGET['big_ms']:.0f} ms",
                f"{ratio:.2f} of the budget",
                f"≤ {BUDGET['big_ms']:.0f} ms",
                med <= BUDGET["big_ms"],
                [],
            )
        )
    return rows


def bench_bytes(play_seconds: float) -> Row:
    app = bench_app.PtyProcess([*bench_app.app_command(), "--preset", "xor"], 120, 40, quit_key=b"q")
    try:
        app.wait_for(("q quit",))
        app.settle(0.5)
        app.send(b"h")
        app.wait_for(("Decision surface",))
        app.settle(0.5)
        app.resize(119, 40)  # a forced full paint: the first frame after the resize back repaints every cell
        app.settle(0.5)
        n0 = len(app.out)
        app.resize(120, 40)
        app.settle(0.5)
        after = app.frames(n0)
        full = max(after)  # the frame that repaints every cell (the view redraws after the resize's first frame)
        start = len(app.out)
        app.send(b"p")
        end = time.perf_counter() + play_seconds
        while time.perf_counter() < end:
            app.pump(0.05)
        stop = len(app.out)
        app.send(b"p")
        app.settle(0.5)
        app.resize(119, 40)  # the full paint of the last picture too: a picture's bytes grow with its detail
        app.settle(0.5)
        n1 = len(app.out)
        app.resize(120, 40)
        app.settle(0.5)
        full_end = max(app.frames(n1))
        frames = app.frames(start, stop)[1:]  # the first holds p's own changes (key line, status)
        if "epoch" not in app.text(start):
            raise RuntimeError("play did not redraw the surface view")
    finally:
        app.close()
    mean, med = statistics.mean(frames), statistics.median(frames)
    full = max(full, full_end)
    ratio = mean / full
    print(
        f"  bytes: full paint {full} (before play {max(after)}, after {full_end}), {len(frames)} frames while playing: mean {mean:.0f}, median {med:.0f}, "
        f"max {max(frames)}",
        flush=True,
    )
    return Row(
        f"surface view bytes per redraw during play at 120×40 ({len(frames)} frames)",
        f"mean {mean:.0f} B",
        f"{full} B (full paint)",
        f"{ratio:.3f}",
        f"≤ {BUDGET['bytes_ratio']}",
        ratio <= BUDGET["bytes_ratio"],
        [f"median {med:.0f} B ({med / full:.3f}), max {max(frames)} B ({max(frames) / full:.3f})"],
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--play-seconds", type=float, default=3.0)
    ap.add_argument("--only", default="redraw,big,bytes")
    args = ap.parse_args(argv)
    only = {x.strip() for x in args.only.split(",")}
    print(f"machine: {bench_app.machine()}", flush=True)
    rows: list[Row] = []
    if "redraw" in only:
        rows += bench_redraw(args.repeats)
    if "big" in only:
        rows += bench_big(args.repeats)
    if "bytes" in only:
        rows.append(bench_bytes(args.play_seconds))
    return bench_app.report(rows)


if __name__ == "__main__":
    sys.exit(main())
