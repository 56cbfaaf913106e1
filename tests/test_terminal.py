"""The app in terminals as they come (issue 9): TERM=dumb, huge sizes, no terminal at all, signals,
idle, and a recording that ends on the last frame. Real processes in a pty, or Pilot."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc

from engine import presets
from ptyhelp import ROOT, PtyApp
from tui.app import MAX_SIZE, BackpropApp


def test_dumb_terminal_draws_the_app_and_quits_with_q():
    with PtyApp(term="dumb", cols=120, rows=40) as app:  # the roomy layout: Rich guesses 80×25
        assert app.read_until(b" quit "), app.out[-2000:]  # the key bar, last line of the first frame
        app.settle()
        app.send(b"q")
        assert app.wait() == 0, app.out[-2000:]


# --- a terminal larger than the app lays out ---------------------------------------------------

def test_a_resize_to_a_huge_terminal_lays_out_at_the_cap_and_keys_still_work():
    """One websocket message in `serve` can ask for any size: 80×100000 took ~2 GB and minutes."""
    async def main():
        app = BackpropApp(presets.lecture())
        seen = []
        async with app.run_test(size=(100, 30)) as pilot:
            async def resize_then_key(size):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                await pilot.press("f")
                await pilot.pause()
                seen.append((tuple(app.size), tuple(app.screen.size), app.snapshot.phase.name))

            tracemalloc.start()
            try:
                await resize_then_key((80, 100_000))
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            await resize_then_key((100_000, 80))
        return seen, peak

    seen, peak = asyncio.run(asyncio.wait_for(main(), timeout=60))
    assert seen == [((80, MAX_SIZE[1]), (80, MAX_SIZE[1]), "F1"), ((MAX_SIZE[0], 80), (MAX_SIZE[0], 80), "F2")]
    assert peak < 100e6  # bytes; ~15 MB at the cap


def test_a_resize_to_a_size_that_is_no_size_is_ignored():
    """A browser's resize message can hold anything: the app keeps its size and goes on."""
    async def main():
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=(100, 30)) as pilot:
            for width, height in (("x", 5), (-1, 40), (80.5, 30), (None, None)):
                await pilot.resize_terminal(width, height)
                await pilot.pause()
            await pilot.press("f")
            await pilot.pause()
            return tuple(app.size), app.snapshot.phase.name

    assert asyncio.run(asyncio.wait_for(main(), timeout=60)) == ((100, 30), "F1")


# --- no terminal -------------------------------------------------------------------------------

def test_without_a_terminal_the_app_refuses_with_one_line_and_exit_2():
    """`backprop-tui </dev/null >out` never ended and kept a core busy."""
    run = subprocess.run([sys.executable, "-m", "tui.cli"], stdin=subprocess.DEVNULL, capture_output=True,
                         cwd=ROOT, timeout=30, env={k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"})
    assert run.returncode == 2
    assert run.stdout == b""
    err = run.stderr.decode().splitlines()
    assert len(err) == 1 and "needs a terminal (stdin is not one)" in err[0] and "trace" in err[0]


def test_with_stdout_not_a_terminal_the_app_refuses_too(tmp_path):
    """Textual takes the terminal's size from stdout: redirected, the app drew at 80×24 whatever the size."""
    out = tmp_path / "out"
    with PtyApp(argv=["sh", "-c", f'exec "{sys.executable}" -m tui.cli --lang pt > "{out}"']) as app:
        assert app.wait() == 2
        assert "precisa de um terminal (stdout não é um)" in app.out.decode()
    assert out.read_bytes() == b""


def packet(kind: bytes, payload: bytes) -> bytes:
    """A packet as textual-serve sends it to the app process (textual_serve.app_service)."""
    return kind + len(payload).to_bytes(4, "big") + payload


def test_under_textual_serves_driver_the_app_runs_over_pipes_and_caps_a_huge_size():
    """textual-serve starts the app with pipes, not a terminal: it must still run there. A browser's
    resize to 80×100000 made that process spin for minutes; capped, it draws 500 rows and quits."""
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", COLUMNS="100", ROWS="30")
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    out = bytearray()

    def read():
        for data in iter(lambda: proc.stdout.read1(65536), b""):
            out.extend(data)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while b"quit" not in out and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert b"quit" in out  # the key bar was drawn
        proc.stdin.write(packet(b"M", json.dumps({"type": "resize", "width": 80, "height": 100_000}).encode()))
        proc.stdin.flush()
        drawn = len(out)
        while b"\x1b[500;" not in out[drawn:] and proc.poll() is None and time.monotonic() < deadline + 30:
            time.sleep(0.05)
        proc.stdin.write(packet(b"M", json.dumps({"type": "quit"}).encode()))
        proc.stdin.flush()
        assert proc.wait(timeout=30) == 0
        assert b"\x1b[500;" in out[drawn:] and b"\x1b[501;" not in out[drawn:]  # the frame ends at row 500
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
