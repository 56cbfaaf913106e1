"""The interactive app as lab users meet it (issue 5, items 1–5 and 7), each figure against its baseline.

    python benchmarks/bench_app.py [--quick] [--repeats 7] [--idle-seconds 30]
                                                  [--only startup,latency,idle,bytes,chart,memory_history,resize]

Real terminals are pseudo-terminals (pty.fork, TERM=xterm-256color, LANG=C.UTF-8); the baseline is
benchmarks/bare_app.py, a Textual app showing one line, started the same way in the same run:

1. start-up: fork → the first full screen (every marker of FULL_SCREEN_MARKERS seen in the output,
   escape sequences stripped), `backprop-tui` vs bare app, interleaved, medians. ≤ 1.5× (issue 21).
   Beside it the floor: the bare app with `--numpy` (it imports NumPy first, as any app on NumPy must).
2. key → updated screen, headless (App.run_test) at 120×40: from the Key event sent as the terminal
   driver sends it to the first compositor render that shows its effect (see _press_latency for why
   not `await pilot.press()`), cycling f f b b u on lecture and xor. median ≤ 20 ms, p99 ≤ 60 ms.
   Context: the bare app's x key, which rewrites its line.
3. idle: CPU seconds (utime + stime from /proc/PID/stat, all threads) over --idle-seconds (default 30)
   with nothing pressed, both apps side by side in their own ptys, after start-up settled.
   ≤ bare + 0.05 s. Bytes written while idle are reported too.
4. memory: VmHWM (/proc/PID/status) of backprop-tui after start-up, 60 micro-steps and 2 s of play,
   ≤ 80 MB; the bare app's for context.
5. bytes: at 120×40, the bytes of one full paint (the repaint after a resize to 120×40) against the
   bytes the terminal receives per micro-step (f/b/u, averaged over all presses). ≤ 0.25.
7. loss chart: LossPanel._redraw() plus the plotext build PlotextPlot.render() does, with 100 000
   epochs of history (Stepper.adopt), median of --repeats × 3; context: the same with 100 epochs.
   ≤ 30 ms, and so must the same history with η changed 1 000 times along it be (issue 11: a
   vertical line and a label per change).
8. memory after a long history: peak RSS (VmHWM, /proc/PID/status) of `backprop-tui --preset xor`
   replaying `p` (play, --speed 0, --max-epochs 1 000 000) then 100 `e`, read until it quits a second
   after the last key; median and peak of --repeats runs (quick: 1), against a fresh app's (first
   screen). ≤ 80 MB.
9. resize: the terminal resized round compact 100×30 → wide 120×40 → roomy 160×50 → wide, headless:
   median time to the first frame with the panels in the new layout, and until every widget is idle
   again. No baseline in one run (no budget): run it on two commits to compare.

Item 6 (train and sweep throughput) lives in bench_train.py / bench_sweep.py; run_all.py runs all.
Timing stays out of the test suite: machines differ. Exit code 1 if any budget is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import gc
import importlib
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

# The in-process items (key → screen, chart) run the app as `backprop-tui` runs it: its process
# settings (tui/host/process.py: TEXTUAL_FPS = 120, one BLAS thread) are made before Textual loads.
# The bare app, in-process and in its pty (child_env copies them), runs under the same settings.
importlib.import_module("tui.host.process").apply_environment()

from frames import FrameWatch  # noqa: E402  (benchmarks/frames.py, no side effects)

# Painted by the last widgets of the screen: the key bar (bottom line), the loss chart's axis label
# (drawn by plotext after mount) and the Explain panel's first line.
FULL_SCREEN_MARKERS = ("q quit", "data-set loss L per epoch", "Ready: sample 1 of 1")
BARE_MARKERS = ("bare textual app: one line",)
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Textual asks whether the terminal does synchronized output (DEC mode 2026) and, when it does, wraps
# every screen update in SYNC_START … SYNC_END. Most modern terminals (kitty, WezTerm, foot, iTerm2,
# Windows Terminal, recent xterm/VTE) answer "supported"; so does PtyProcess, which makes each
# update one delimited frame we can count.
SYNC_QUERY, SYNC_SUPPORTED = b"\x1b[?2026$p", b"\x1b[?2026;2$y"
SYNC_START, SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")

BUDGET = {
    "startup": 1.5,
    "latency_median_ms": 20.0,
    "latency_p99_ms": 60.0,
    "idle_extra_s": 0.05,
    "memory_mb": 80.0,
    "bytes_ratio": 0.25,
    "chart_ms": 30.0,
}


def app_command() -> list[str]:
    exe = shutil.which("backprop-tui", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return [exe] if exe else [sys.executable, "-m", "tui"]


def bare_command() -> list[str]:
    return [sys.executable, str(HERE / "bare_app.py")]


def child_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE", "TEXTUAL", "TMUX", "COLUMNS", "LINES")
    }
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    # The code of this checkout: the `backprop-tui` script imports whichever copy is installed (an
    # editable install points at one checkout; run from another worktree it measured that one).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyProcess:
    """A program in its own pseudo-terminal; `out` collects every byte it writes, with timestamps."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40, quit_key: bytes = b"q"):
        self.quit_key = quit_key
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: the pty is its controlling terminal, stdin/stdout/stderr
            try:
                _set_size(0, cols, rows)
                os.chdir(ROOT)
                os.execvpe(argv[0], argv, child_env())
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        _set_size(fd, cols, rows)
        self.out = bytearray()
        self.last_output = self.started
        self.exited = False
        self.answered_sync = False

    def frames(self, start: int = 0, end: int | None = None) -> list[int]:
        """Sizes in bytes of the synchronized-output frames (one per screen update) in out[start:end]."""
        data = bytes(self.out[start:end])
        return [len(m.group(0)) for m in re.finditer(re.escape(SYNC_START) + b".*?" + re.escape(SYNC_END), data, re.S)]

    def pump(self, timeout: float) -> int:
        """Read what is there (waiting up to `timeout`); returns the number of bytes read."""
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return 0
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            self.exited = True
            return 0
        if not data:
            self.exited = True
        if SYNC_QUERY in data and not self.answered_sync:  # answer as a modern terminal does
            self.answered_sync = True
            os.write(self.fd, SYNC_SUPPORTED)
        self.out += data
        self.last_output = time.perf_counter()
        return len(data)

    def text(self, start: int = 0) -> str:
        return ANSI.sub(b"", bytes(self.out[start:])).decode("utf-8", "replace")

    def wait_for(self, markers: tuple[str, ...], timeout: float = 30.0) -> float:
        """Seconds from fork until every marker has appeared in the output."""
        deadline = time.perf_counter() + timeout
        scanned = 0
        while time.perf_counter() < deadline and not self.exited:
            if self.pump(0.05) and len(self.out) - scanned > 0:
                scanned = len(self.out)
                text = self.text()
                if all(m in text for m in markers):
                    return time.perf_counter() - self.started
        raise RuntimeError(f"{markers} not seen within {timeout} s; last output: {self.text()[-400:]!r}")

    def settle(self, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Read until nothing has come for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and not self.exited:
            self.pump(quiet)
            if time.perf_counter() - self.last_output >= quiet:
                return

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def resize(self, cols: int, rows: int) -> None:
        _set_size(self.fd, cols, rows)
        os.kill(self.pid, signal.SIGWINCH)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)

    def status_kb(self, key: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
        raise KeyError(key)

    def close(self) -> None:
        if not self.exited:
            try:
                self.send(self.quit_key)
            except OSError:
                pass
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                self.pump(0.05)
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        else:
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def app_process(cols: int = 120, rows: int = 40) -> PtyProcess:
    return PtyProcess(app_command(), cols, rows, quit_key=b"q")


def bare_process(cols: int = 120, rows: int = 40) -> PtyProcess:
    return PtyProcess(bare_command(), cols, rows, quit_key=b"\x11")  # ctrl+q


def floor_process(cols: int = 120, rows: int = 40) -> PtyProcess:
    return PtyProcess(bare_command() + ["--numpy"], cols, rows, quit_key=b"\x11")


def median(values) -> float:
    return statistics.median(values)


def percentile(values, q: float) -> float:
    v = sorted(values)
    k = min(len(v) - 1, max(0, round(q / 100 * (len(v) - 1))))
    return v[k]


@dataclass
class Row:
    """One line of the table: what, our figure, its baseline, the ratio or difference, the budget, met."""

    item: str
    ours: str
    baseline: str
    ratio: str
    budget: str
    ok: bool
    notes: list[str] = field(default_factory=list)


# --- 1. start-up ------------------------------------------------------------------------------
def bench_startup(repeats: int) -> Row:
    for make, markers in ((app_process, FULL_SCREEN_MARKERS), (bare_process, BARE_MARKERS)):  # warm-up
        p = make()
        p.wait_for(markers)
        p.close()
    ours, base, floor = [], [], []
    for k in range(repeats):
        order = [
            (bare_process, BARE_MARKERS, base),
            (app_process, FULL_SCREEN_MARKERS, ours),
            (floor_process, BARE_MARKERS, floor),
        ]
        if k % 2:
            order.reverse()
        for make, markers, into in order:
            p = make()
            try:
                into.append(p.wait_for(markers))
            finally:
                p.close()
        print(
            f"  start-up {k + 1}/{repeats}: bare {base[-1] * 1000:.0f} ms, bare + NumPy {floor[-1] * 1000:.0f} ms, "
            f"backprop-tui {ours[-1] * 1000:.0f} ms",
            flush=True,
        )
    ratio = median(ours) / median(base)
    # Context: what NumPy alone adds to a process (the engine needs it before the first screen).
    numpy_s = []
    for _ in range(repeats):
        t = []
        for code in ("pass", "import numpy"):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=child_env())
            t.append(time.perf_counter() - t0)
        numpy_s.append(t[1] - t[0])
    return Row(
        "1. start-up to first full screen (pty 120×40)",
        f"{median(ours) * 1000:.0f} ms",
        f"{median(base) * 1000:.0f} ms (bare app)",
        f"{ratio:.2f}×",
        f"≤ {BUDGET['startup']}×",
        ratio <= BUDGET["startup"],
        [
            f"the floor, a bare app that imports NumPy first: median {median(floor) * 1000:.0f} ms = "
            f"{median(floor) / median(base):.2f}× the bare app; backprop-tui = {median(ours) / median(floor):.2f}× the floor",
            f"start-up ms, backprop-tui: {', '.join(f'{v * 1000:.0f}' for v in ours)}",
            f"start-up ms, bare app: {', '.join(f'{v * 1000:.0f}' for v in base)}",
            f"importing NumPy alone (python -c 'import numpy' minus python -c pass): median "
            f"{median(numpy_s) * 1000:.0f} ms = {median(numpy_s) / median(base):.2f}× of the bare app's start-up",
        ],
    )


# --- 2. key-press latency -----------------------------------------------------------------------
# Pilot.press() itself sleeps: Textual's App._press_keys awaits wait_for_idle(0) twice after each key,
# at least 2 × 20 ms, so timing `await pilot.press()` measures Pilot, not the app (≥ 40 ms for any
# app). Instead the key goes in as the terminal driver sends it (driver.send_message(Key)), and the
# clock stops when the screen's compositor has rendered the first update that shows its effect —
# Textual's own update timer (60 fps) included, as a user at a terminal sees it. In a real terminal
# writing the frame follows; headless, it is skipped.
async def _press_latency(app, keys: list[str], warmup: int, state, cpu: list | None = None) -> list[float]:
    """Wall seconds from each key to its frame; `cpu` collects the CPU seconds of the same spans."""
    from textual import events

    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        frames = FrameWatch(app.screen)
        for i, key in enumerate(keys):
            before = state(app)
            frames.expect(lambda: state(app) != before)
            c0, t0 = time.process_time(), time.perf_counter()
            app._driver.send_message(events.Key(key, key))
            await frames.wait()
            t1, c1 = time.perf_counter(), time.process_time()
            frames.stop()
            await pilot._wait_for_screen()  # let follow-up work finish before the next key
            await asyncio.sleep(0.005)
            if i >= warmup:
                times.append(t1 - t0)
                if cpu is not None:
                    cpu.append(c1 - c0)
    return times


def bench_latency(steps: int) -> list[Row]:
    from engine import presets
    from tui.app.app import BackpropApp

    sys.path.insert(0, str(HERE))
    from bare_app import BareApp  # noqa: E402

    cycle = ["f", "f", "b", "b", "u"]
    keys = (cycle * (steps // len(cycle) + 3))[: steps + 10]
    rows = []
    bare = asyncio.run(_press_latency(BareApp(), ["x"] * (steps + 10), 10, lambda a: a.count))
    bare_med = median(bare) * 1000
    print(f"  latency bare app: median {bare_med:.1f} ms, p99 {percentile(bare, 99) * 1000:.1f} ms", flush=True)
    for preset in ("lecture", "xor"):
        # started as `backprop-tui` starts it (tui.main): the cyclic GC paused for
        # start-up, frozen and resumed after the first screen, then run after frames (tui/app/gctime.py)
        gc.disable()
        app = BackpropApp(presets.load(preset))
        app.resume_gc = True
        cpu: list[float] = []
        try:
            times = asyncio.run(_press_latency(app, keys, 10, lambda a: id(a.stepper.snapshot), cpu))
        finally:
            gc.enable()
            gc.unfreeze()
        med, p99 = median(times) * 1000, percentile(times, 99) * 1000
        cmed, cp99 = median(cpu) * 1000, percentile(cpu, 99) * 1000
        ok = med <= BUDGET["latency_median_ms"] and p99 <= BUDGET["latency_p99_ms"]
        rows.append(
            Row(
                f"2. key → screen, {preset}, {len(times)} micro-steps (headless)",
                f"median {med:.1f} ms, p99 {p99:.1f} ms",
                f"bare app, x: median {bare_med:.1f} ms",
                f"{med / bare_med:.1f}× bare",
                f"median ≤ {BUDGET['latency_median_ms']:.0f} ms, p99 ≤ {BUDGET['latency_p99_ms']:.0f} ms",
                ok,
                [
                    f"{preset}: max {max(times) * 1000:.1f} ms; CPU time of the same spans (what an "
                    f"unloaded machine would take): median {cmed:.1f} ms, p99 {cp99:.1f} ms"
                ],
            )
        )
        print(
            f"  latency {preset}: median {med:.1f} ms, p99 {p99:.1f} ms (CPU median {cmed:.1f} ms, p99 {cp99:.1f} ms)",
            flush=True,
        )
    return rows


# --- 9. resize across the layouts ----------------------------------------------------------------
# The terminal resized back and forth across the layouts' borders (tui/app/layout.py): compact 100×30,
# wide 120×40, roomy 160×50. As for key → screen, the Resize goes in as the driver sends it and the
# clock stops at the first compositor render with the panels where the new layout puts them (their
# regions as a settled screen at that size has them, read in a warm-up round), then again once every
# widget has handled what the resize sent it ("settled": the loss chart rebuilt, titles set).
RESIZE_SIZES = ((100, 30), (120, 40), (160, 50), (120, 40))
PANEL_IDS = ("network", "values", "params", "explain", "loss")


async def _resize_times(app, count: int, warmup: int) -> tuple[list[float], list[float], list[float]]:
    """Wall seconds from each resize to its first frame and to settled; CPU seconds to settled."""
    from textual import events
    from textual.geometry import Size

    first, settled, cpu = [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        frames = FrameWatch(screen)

        def regions() -> tuple:
            return tuple(
                tuple(w.region) if w.is_attached else None for w in (screen.query_one(f"#{name}") for name in PANEL_IDS)
            )

        expected: dict[tuple[int, int], tuple] = {}
        for i in range(count + warmup):
            size = RESIZE_SIZES[i % len(RESIZE_SIZES)]
            target = expected.get(size)
            frames.expect((lambda: regions() == target) if target is not None else None)
            c0, t0 = time.process_time(), time.perf_counter()
            app._driver._size = Size(*size)  # the headless driver's size, as Pilot.resize_terminal sets it
            app._driver.send_message(events.Resize(Size(*size), Size(*size)))
            if target is not None:
                await frames.wait()
            t1 = time.perf_counter()
            frames.stop()
            await pilot._wait_for_screen()
            t2, c2 = time.perf_counter(), time.process_time()
            if target is None:
                await pilot.pause()
                expected[size] = regions()
            elif i >= warmup:
                first.append(t1 - t0)
                settled.append(t2 - t0)
                cpu.append(c2 - c0)
            await asyncio.sleep(0.005)
    return first, settled, cpu


def bench_resize(count: int) -> Row:
    from engine import presets
    from tui.app.app import BackpropApp

    gc.disable()  # as `backprop-tui` runs (see bench_latency)
    app = BackpropApp(presets.lecture())
    app.resume_gc = True
    try:
        first, settled, cpu = asyncio.run(_resize_times(app, count, warmup=len(RESIZE_SIZES) * 2))
    finally:
        gc.enable()
        gc.unfreeze()
    med, med_settled, med_cpu = median(first) * 1000, median(settled) * 1000, median(cpu) * 1000
    print(
        f"  resize across the layouts: first frame median {med:.1f} ms (p90 {percentile(first, 90) * 1000:.1f}), "
        f"settled median {med_settled:.1f} ms, CPU to settled median {med_cpu:.1f} ms",
        flush=True,
    )
    return Row(
        f"9. resize across the layouts, {len(first)} resizes (headless)",
        f"median {med:.1f} ms, settled {med_settled:.1f} ms",
        "—",
        "—",
        "none (compare runs)",
        True,
        [
            f"CPU time to settled (what an unloaded machine would take): median {med_cpu:.1f} ms",
            "resize → first frame in the new layout; settled: every widget idle again. Sizes "
            + " → ".join(f"{w}×{h}" for w, h in RESIZE_SIZES)
            + ", round and round. No ratio in one run: "
            "run this item on two commits to compare",
        ],
    )


# --- 3. idle CPU and 4. memory ------------------------------------------------------------------
def bench_idle(seconds: float, repeats: int) -> Row:
    ours, base, idle_bytes = [], [], []
    for k in range(repeats):
        app, bare = app_process(), bare_process()
        try:
            app.wait_for(FULL_SCREEN_MARKERS)
            bare.wait_for(BARE_MARKERS)
            for p in (app, bare):
                p.settle(1.0)
            c_app, c_bare = app.cpu_seconds(), bare.cpu_seconds()
            n_app = len(app.out)
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:  # keep draining both terminals, as a terminal would
                app.pump(0.1)
                bare.pump(0)
            ours.append(app.cpu_seconds() - c_app)
            base.append(bare.cpu_seconds() - c_bare)
            idle_bytes.append(len(app.out) - n_app)
        finally:
            app.close()
            bare.close()
        print(
            f"  idle {k + 1}/{repeats} ({seconds:g} s): bare {base[-1]:.2f} s CPU, backprop-tui {ours[-1]:.2f} s CPU, "
            f"{idle_bytes[-1]} bytes written",
            flush=True,
        )
    extra = median(ours) - median(base)
    return Row(
        f"3. idle CPU over {seconds:g} s (pty)",
        f"{median(ours):.2f} s",
        f"{median(base):.2f} s (bare app)",
        f"{extra:+.2f} s",
        f"≤ bare + {BUDGET['idle_extra_s']} s",
        extra <= BUDGET["idle_extra_s"],
        [
            f"idle CPU s, backprop-tui: {', '.join(f'{v:.2f}' for v in ours)}; bare: "
            f"{', '.join(f'{v:.2f}' for v in base)}; bytes written while idle: {idle_bytes}"
        ],
    )


# --- 5. bytes per micro-step, and 4. memory from the same session ------------------------------
def bench_bytes(steps: int) -> list[Row]:
    app = app_process(120, 40)
    bare = bare_process(120, 40)
    try:
        app.wait_for(FULL_SCREEN_MARKERS)
        bare.wait_for(BARE_MARKERS)
        app.settle(0.5)
        initial = app.frames()
        # A forced full paint: a resize to 119×40 (still the wide layout) and back; the first frame
        # after the resize to 120×40 repaints every cell of the screen.
        app.resize(119, 40)
        app.settle(0.5)
        n0 = len(app.out)
        app.resize(120, 40)
        app.settle(0.5)
        resize_frames = app.frames(n0)
        if not resize_frames:
            raise RuntimeError("no synchronized-output frame after the resize: did Textual see our answer?")
        full = resize_frames[0]
        per_key: dict[str, list[int]] = {"f": [], "b": [], "u": []}
        cycle = "ffbbu"
        start = len(app.out)
        for i in range(steps):
            key = cycle[i % len(cycle)]
            n = len(app.out)
            app.send(key.encode())
            deadline = time.perf_counter() + 5
            while len(app.out) == n and time.perf_counter() < deadline:
                app.pump(0.05)
            app.settle(0.05)
            per_key[key].append(len(app.out) - n)
        app.settle(0.5)
        total = len(app.out) - start
        frames = len(app.frames(start))
        if "0.7514" not in app.text(start):  # ŷ of the notes' example: proof the keys reached the app
            raise RuntimeError("the micro-steps did not show ŷ = 0.7514; are the keys reaching the app?")
        mem_steps = app.status_kb("VmHWM")
        app.send(b"p")  # play: training in the worker, the chart growing
        end = time.perf_counter() + 2.0
        while time.perf_counter() < end:
            app.pump(0.05)
        app.send(b"p")
        app.settle(0.5)
        mem_app = app.status_kb("VmHWM")
        mem_bare = bare.status_kb("VmHWM")
    finally:
        app.close()
        bare.close()
    per_step = total / steps
    ratio = per_step / full
    mb = mem_app / 1024
    med = {k: median(v) for k, v in per_key.items()}
    print(
        f"  bytes: full paint {full} (frames after the resize: {resize_frames}), start-up frames {initial}, "
        f"per micro-step {per_step:.0f} in {frames / steps:.2f} frames (median f {med['f']:.0f}, b {med['b']:.0f}, "
        f"u {med['u']:.0f})",
        flush=True,
    )
    return [
        Row(
            "4. peak memory per app (VmHWM, after 60 steps + 2 s play)",
            f"{mb:.1f} MB",
            f"{mem_bare / 1024:.1f} MB (bare app)",
            f"{mem_app / mem_bare:.2f}×",
            f"≤ {BUDGET['memory_mb']:.0f} MB",
            mb <= BUDGET["memory_mb"],
            [f"VmHWM after start-up and {steps} micro-steps: {mem_steps / 1024:.1f} MB"],
        ),
        Row(
            f"5. bytes per micro-step at 120×40 ({steps} presses f f b b u)",
            f"{per_step:.0f} B",
            f"{full} B (full paint)",
            f"{ratio:.3f}",
            f"≤ {BUDGET['bytes_ratio']}",
            ratio <= BUDGET["bytes_ratio"],
            [
                f"bytes per key, medians: f {med['f']:.0f}, b {med['b']:.0f}, u {med['u']:.0f}; "
                f"{frames / steps:.2f} frames per key; start-up frames (bytes): {initial}"
            ],
        ),
    ]


# --- 7. loss chart redraw -------------------------------------------------------------------------
CHART_LR_CHANGES = 1000  # the same history with η changed every 100 epochs: a line per column at most


async def _chart_times(epochs: int, repeats: int, lr_changes: int = 0) -> list[float]:
    """Redraw times of the chart of `epochs` epochs, η changed `lr_changes` times along them (each a
    vertical line and, where there is room, a label: issue 11)."""
    import numpy as np
    from textual_plotext import PlotextPlot

    from engine import presets
    from tui.app.app import BackpropApp
    from tui.app.widgets.loss import LossPanel

    app = BackpropApp(presets.load("lecture"))
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = app.stepper.snapshot
        rng = np.random.default_rng(0)
        losses = 0.25 * np.exp(-np.arange(1, epochs + 1) / (epochs / 5)) * (1 + 0.1 * rng.random(epochs))
        if lr_changes:
            for k, run in enumerate(np.array_split(losses, lr_changes + 1)):
                if k:
                    app.stepper.set_lr(1.0 if k % 2 else 0.5)
                app.snapshot = app.stepper.adopt(s.params, run)
            assert len(app.snapshot.loss_history.lr_marks) == lr_changes
        else:
            app.snapshot = app.stepper.adopt(s.params, losses)
        await pilot.pause()
        panel = app.query_one(LossPanel)
        plot = panel.query_one(PlotextPlot)
        assert len(panel.snapshot.losses) == epochs + 1
        for _ in range(repeats + 2):
            t0 = time.perf_counter()
            panel._redraw()
            plot.render()  # the plotext build, which Textual runs when it paints the widget
            times.append(time.perf_counter() - t0)
    return times[2:]


def bench_chart(repeats: int) -> Row:
    big = asyncio.run(_chart_times(100_000, repeats))
    small = asyncio.run(_chart_times(100, repeats))
    marked = asyncio.run(_chart_times(100_000, repeats, lr_changes=CHART_LR_CHANGES))
    med, ctx, with_marks = median(big) * 1000, median(small) * 1000, median(marked) * 1000
    print(
        f"  chart redraw: 100 000 epochs {med:.1f} ms, 100 epochs {ctx:.1f} ms, "
        f"100 000 epochs with {CHART_LR_CHANGES} η changes {with_marks:.1f} ms",
        flush=True,
    )
    return Row(
        "7. loss chart redraw, 100 000 epochs of history",
        f"{med:.1f} ms",
        f"{ctx:.1f} ms (100 epochs)",
        f"{med / ctx:.2f}×",
        f"≤ {BUDGET['chart_ms']:.0f} ms",
        med <= BUDGET["chart_ms"] and with_marks <= BUDGET["chart_ms"],
        [
            f"chart redraw ms (100 000 epochs): {', '.join(f'{v * 1000:.1f}' for v in big)}",
            f"with {CHART_LR_CHANGES} η changes marked: median {with_marks:.1f} ms",
        ],
    )


# --- 8. memory after a long history ---------------------------------------------------------------
HISTORY_EPOCHS, HISTORY_E_PRESSES = 1_000_000, 100


def _peak_rss_mb(argv: list[str], markers: tuple[str, ...] | None, timeout: float) -> tuple[float, str]:
    """Peak RSS (VmHWM of /proc/PID/status) of `argv` in a 120×40 pty, and its last output.

    VmHWM never falls, so the last value read before the program ends is its peak: with `markers`
    it is read once they are on screen and it has settled, then the program is quit (q); without,
    it is read every 20 ms until the program ends on its own (a --keys script whose --exit-after
    leaves it a quiet second after its last key, when the peak has been reached).

    Not the ended child's ru_maxrss: Linux carries the high-water mark of the memory a process had
    before exec into it, so a child forked from this benchmark (~85 MB after the in-process items of
    run_all.py) reported this process's size, for the app and the fresh app alike. VmHWM belongs to
    the program's own memory, which exec starts afresh."""
    p = PtyProcess(argv, 120, 40)
    kb = 0
    try:
        if markers is not None:
            p.wait_for(markers)
            p.settle(0.5)
            kb = p.status_kb("VmHWM")
            p.send(p.quit_key)
        deadline = time.perf_counter() + timeout
        while not p.exited and time.perf_counter() < deadline:
            try:
                kb = max(kb, p.status_kb("VmHWM"))
            except (KeyError, OSError):  # ending: its memory is gone already
                pass
            p.pump(0.02)
        if not p.exited:
            os.kill(p.pid, signal.SIGKILL)
            raise RuntimeError(f"{argv} did not end within {timeout} s; last output: {p.text()[-400:]!r}")
        _, status = os.waitpid(p.pid, 0)
        if status != 0:
            raise RuntimeError(f"{argv} ended with status {status}; last output: {p.text()[-400:]!r}")
    finally:
        os.close(p.fd)
    return kb / 1024, p.text()


def bench_memory_history(repeats: int) -> Row:
    keys = " ".join(["p"] + ["e"] * HISTORY_E_PRESSES)
    argv = app_command() + [
        "--preset",
        "xor",
        "--speed",
        "0",
        "--max-epochs",
        str(HISTORY_EPOCHS),
        "--keys",
        keys,
        "--delay",
        "0",
        "--exit-after",
        "1",
        "--keep-screen",
    ]
    epochs = HISTORY_EPOCHS + HISTORY_E_PRESSES
    last = f"L{''.join('₀₁₂₃₄₅₆₇₈₉'[int(d)] for d in str(epochs))}"  # the chart's title, L₁₀₀₀₁₀₀
    ours, fresh = [], []
    for _ in range(repeats):  # interleaved: the machine's state is shared by both
        fresh.append(_peak_rss_mb(app_command(), FULL_SCREEN_MARKERS, 30)[0])
        t0 = time.perf_counter()
        mb, text = _peak_rss_mb(argv, None, 900)
        wall = time.perf_counter() - t0
        if last not in text:  # the last frame, printed by --keep-screen
            raise RuntimeError(f"the last screen does not show L of epoch {epochs}: {text[-600:]!r}")
        ours.append(mb)
        print(
            f"  memory after {HISTORY_EPOCHS} epochs of play and {HISTORY_E_PRESSES} e: {mb:.1f} MB "
            f"({wall:.0f} s); fresh app {fresh[-1]:.1f} MB",
            flush=True,
        )
    med, peak, base = median(ours), max(ours), median(fresh)
    return Row(
        f"8. peak memory after a {HISTORY_EPOCHS:,}-epoch play run and {HISTORY_E_PRESSES} e".replace(",", " "),
        f"median {med:.1f} MB, peak {peak:.1f} MB",
        f"{base:.1f} MB (fresh app)",
        f"{med / base:.2f}×",
        f"≤ {BUDGET['memory_mb']:.0f} MB",
        peak <= BUDGET["memory_mb"],
        [
            f"peak RSS MB after the long history: {', '.join(f'{v:.1f}' for v in ours)}; fresh app: "
            f"{', '.join(f'{v:.1f}' for v in fresh)}"
        ],
    )


# --- the table ---------------------------------------------------------------------------------------
def machine() -> str:
    import platform
    from importlib.metadata import version

    import numpy

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, textual {version('textual')}, numpy {numpy.__version__}, "
        f"plotext {version('plotext')}, load average at start {load}"
    )


def table(rows: list[Row]) -> str:
    head = ("item", "backprop-tui", "baseline", "ratio", "budget", "met")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        lines.append(f"| {r.item} | {r.ours} | {r.baseline} | {r.ratio} | {r.budget} | {'yes' if r.ok else 'NO'} |")
    return "\n".join(lines)


ITEMS = ("startup", "latency", "idle", "bytes", "chart", "memory_history", "resize")


def run_items(only: tuple[str, ...], quick: bool, repeats: int | None, idle_seconds: float | None) -> list[Row]:
    repeats = repeats or (3 if quick else 7)
    idle_seconds = idle_seconds if idle_seconds is not None else (5.0 if quick else 30.0)
    rows: list[Row] = []
    if "startup" in only:
        rows.append(bench_startup(repeats))
    if "latency" in only:
        rows += bench_latency(100 if quick else 250)
    if "idle" in only:
        rows.append(bench_idle(idle_seconds, 1 if quick else 3))
    if "bytes" in only:
        rows += bench_bytes(60)
    if "chart" in only:
        rows.append(bench_chart(repeats * 3))
    if "memory_history" in only:
        rows.append(bench_memory_history(1 if quick else 3))
    if "resize" in only:
        rows.append(bench_resize(40 if quick else 120))
    return rows


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--quick", action="store_true", help="fewer repeats and 5 s of idle (development only)")
    ap.add_argument("--repeats", type=int, default=None, help="start-up pairs (default 7, quick 3)")
    ap.add_argument("--idle-seconds", type=float, default=None, help="idle window (default 30, quick 5)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(ap)
    ap.add_argument("--only", default=",".join(ITEMS), help=f"comma-separated subset of {','.join(ITEMS)}")
    args = ap.parse_args(argv)
    only = tuple(x.strip() for x in args.only.split(",") if x.strip())
    unknown = set(only) - set(ITEMS)
    if unknown:
        ap.error(f"unknown item(s): {', '.join(sorted(unknown))}")
    print(f"machine: {machine()}", flush=True)
    rows = run_items(only, args.quick, args.repeats, args.idle_seconds)
    return report(rows)


def report(rows: list[Row]) -> int:
    """The table and each row's notes on stdout; the exit code: 1 if a budget was missed."""
    print()
    print(table(rows))
    for r in rows:
        for n in r.notes:
            print(f"  {n}")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
