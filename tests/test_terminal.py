"""The app in terminals as they come (issue 9): TERM=dumb, huge sizes, no terminal at all, signals,
idle, and a recording that ends on the last frame. Real processes in a pty, or Pilot."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from engine import presets
from ptyhelp import ROOT, PtyApp
from tui.app import MAX_SIZE, BackpropApp


def test_dumb_terminal_draws_the_app_and_quits_with_q():
    """TERM=dumb gave a blank screen, a core at 100 % and q ignored: the main screen laid out and
    repainted forever between Rich's guess for a dumb terminal (80×25) and the real size."""
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
        proc.stdin.close()
        proc.stdout.close()


# --- signals -----------------------------------------------------------------------------------

RESTORED = (b"\x1b[?1049l", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l", b"\x1b[?25h")  # normal screen,
# mouse reporting off, cursor shown


@pytest.mark.parametrize("signum, times", [(signal.SIGTERM, 1), (signal.SIGHUP, 1), (signal.SIGQUIT, 1),
                                           (signal.SIGINT, 1), (signal.SIGTERM, 2)])
def test_a_signal_ends_the_app_with_the_terminal_restored(signum, times):
    """SIGTERM, SIGHUP and SIGQUIT killed the app outright: no echo, alternate screen, mouse on."""
    with PtyApp() as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.settle()
        assert not app.modes()[3] & termios.ECHO  # the app has the terminal raw
        drawn = len(app.out)
        for _ in range(times):  # a second signal does not wait for the app
            app.signal(signum)
        assert app.wait() == 128 + signum
        for sequence in RESTORED:
            assert sequence in app.out[drawn:], sequence
        assert app.modes() == app.modes_before  # echo and line input are back


def test_a_signal_while_the_app_is_busy_still_restores_the_terminal_and_ends_it():
    """The app cannot end as q does while a key keeps its thread busy: after GRACE_SECONDS the
    terminal is restored without it."""
    busy_f = ("import sys, time; from tui.app import BackpropApp; from tui.cli import main; "
              "BackpropApp.action_forward = lambda self: time.sleep(60); sys.exit(main([]))")
    with PtyApp(argv=[sys.executable, "-c", busy_f]) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.settle()
        app.send(b"f")
        time.sleep(0.5)  # f is being handled
        drawn = len(app.out)
        app.signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 128 + signal.SIGTERM
        for sequence in RESTORED:
            assert sequence in app.out[drawn:], sequence
        assert app.modes() == app.modes_before


# --- a recording that ends on the last frame ---------------------------------------------------

def test_keep_screen_prints_the_last_frame_on_the_normal_screen():
    """A recorded cast ended on a blank screen: the app leaves the alternate screen at exit."""
    with PtyApp("--keys", "f f", "--delay", "0", "--exit-after", "0", "--keep-screen", cols=100, rows=30) as app:
        assert app.wait() == 0, app.out[-2000:]
        after = app.out.rsplit(b"\x1b[?1049l", 1)[1]  # what the normal screen got after the app left
    text = re.sub(rb"\x1b\[[0-9;?<]*[a-zA-Z]", b"", after).decode()
    lines = text.split("\n")
    assert len(lines) == 30  # the whole frame, and no newline after it to scroll its first row away
    assert "ŷ 0.7514" in text and "quit" in lines[-1]



# --- idle --------------------------------------------------------------------------------------

def wakeups(pid: int, tid: int) -> int:
    """How often a thread has gone to sleep and been woken (voluntary context switches)."""
    status = Path(f"/proc/{pid}/task/{tid}/status").read_text()
    return int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))


def test_idle_the_apps_thread_never_wakes():
    """Zero wake-ups from the app while nobody types, after keys too: no timer, no polling loop. (The
    one thread that still wakes, ten times a second, is Textual's input thread: select(0.1).)"""
    with PtyApp("--preset", "xor") as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        for key in (b"f", b"e", b"?", b"\x1b"):
            app.send(key)
            app.settle(0.2)
        app.settle(1.2)  # tui/gctime.py's full pass, when due, runs a second after the last frame
        pid = app.proc.pid
        before = wakeups(pid, pid)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            app.settle(0.1, timeout=0.2)
        assert wakeups(pid, pid) - before == 0
        assert app.proc.poll() is None
