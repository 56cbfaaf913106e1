"""The app in terminals as they come (issue 9): TERM=dumb, huge sizes, no terminal at all, signals,
idle, and a recording that ends on the last frame. Real processes in a pty, or Pilot."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from engine import presets
from ptyhelp import PtyApp
from tui.app.app import MAX_SIZE, BackpropApp


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


def test_without_a_terminal_the_app_refuses_with_one_line_and_exit_2(run_tui):
    """`backprop-tui </dev/null >out` never ended and kept a core busy."""
    run = run_tui(
        stdin=subprocess.DEVNULL,
        text=False,
        timeout=30,
        env={k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"},
    )
    assert run.returncode == 2
    assert run.stdout == b""
    err = run.stderr.decode().splitlines()
    assert len(err) == 1 and "needs a terminal (stdin is not one)" in err[0] and "trace" in err[0]


def test_with_stdout_not_a_terminal_the_app_refuses_too(tmp_path):
    """Textual takes the terminal's size from stdout: redirected, the app drew at 80×24 whatever the size."""
    out = tmp_path / "out"
    with PtyApp(argv=["sh", "-c", f'exec "{sys.executable}" -m tui --lang pt > "{out}"']) as app:
        assert app.wait() == 2
        assert "precisa de um terminal (stdout não é um)" in app.out.decode()
    assert out.read_bytes() == b""


def packet(kind: bytes, payload: bytes) -> bytes:
    """A packet as textual-serve sends it to the app process (textual_serve.app_service)."""
    return kind + len(payload).to_bytes(4, "big") + payload


def test_under_textual_serves_driver_the_app_runs_over_pipes_and_caps_a_huge_size(root):
    """textual-serve starts the app with pipes, not a terminal: it must still run there. A browser's
    resize to 80×100000 made that process spin for minutes; capped, it draws 500 rows and quits."""
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", COLUMNS="100", ROWS="30")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=root,
        env=env,
    )
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


@pytest.mark.parametrize(
    "signum, times",
    [(signal.SIGTERM, 1), (signal.SIGHUP, 1), (signal.SIGQUIT, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
)
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
    busy_f = (
        "import sys, time; from tui.app.app import BackpropApp; from tui.main import main; "
        "BackpropApp.action_forward = lambda self: time.sleep(60); sys.exit(main([]))"
    )
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
        app.settle(1.2)  # tui/app/gctime.py's full pass, when due, runs a second after the last frame
        pid = app.proc.pid
        before = wakeups(pid, pid)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            app.settle(0.1, timeout=0.2)
        assert wakeups(pid, pid) - before == 0
        assert app.proc.poll() is None


def test_idle_after_resizes_across_the_layouts_the_apps_thread_never_wakes():
    """The terminal made compact, roomy and wide again (the same panels re-arranged, tui/app/layout.py):
    nothing keeps running after the last resize."""
    with PtyApp("--preset", "xor", cols=120, rows=40) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        for cols, rows in ((100, 30), (160, 50), (80, 24), (120, 40)):
            fcntl.ioctl(app.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            app.signal(signal.SIGWINCH)
            app.settle(0.3)
        app.send(b"f")
        app.settle(1.2)  # tui/app/gctime.py's full pass, when due, runs a second after the last frame
        pid = app.proc.pid
        before = wakeups(pid, pid)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            app.settle(0.1, timeout=0.2)
        assert wakeups(pid, pid) - before == 0
        assert app.proc.poll() is None and b"Traceback" not in app.out


def test_idle_with_the_command_palette_open_and_after_it_the_apps_thread_never_wakes():
    """ctrl+p opens Textual's command palette (tui/app/palette.py): its input's blinking cursor and its
    loading indicator's animation are timers that would wake the app 2 and 16 times a second, for as
    long as it waits for a name; and none of it may be left running once it has closed."""
    with PtyApp("--preset", "xor", cols=80, rows=24) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.send(b"\x10")  # ctrl+p
        assert app.read_until(b"Esc closes"), app.out[-2000:]
        for key in (b"f", b"o", b"r"):
            app.send(key)
            app.settle(0.2)
        app.settle(1.2)  # the search's and gctime's one-shot timers are over
        pid = app.proc.pid

        def quiet_for(seconds: float) -> int:
            before = wakeups(pid, pid)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.settle(0.1, timeout=0.2)
            return wakeups(pid, pid) - before

        assert quiet_for(2.0) == 0  # open, waiting for the rest of the name
        app.send(b"\x1b")
        app.settle(1.2)
        assert quiet_for(2.0) == 0  # closed
        assert app.proc.poll() is None


# --- a class at a real terminal: keys, clicks, pastes, resizes and signals at random ------------

# What a terminal sends for the keys a class presses (q, ctrl+q and ctrl+c are left out: they end the
# app, which the tests above check), clicks and wheel turns anywhere, and pastes with markup, line
# breaks and escape sequences in them.
TERMINAL_INPUT = (
    [bytes([c]) for c in b"fbusepzyaLkwovgxWrltn+-=_?0123456789.,[]/ "]
    + [
        b"\r",
        b"\t",
        b"\x1b[Z",
        b"\x1b",
        b"\x1b[A",
        b"\x1b[B",
        b"\x1b[C",
        b"\x1b[D",
        b"\x1b[5~",
        b"\x1b[6~",
        b"\x1b[H",
        b"\x1b[F",
        b"\x1bOP",
        b"\x13",
        b"\x10",
        b"\x15",
        b"\x7f",
        b"\x1b[3~",
    ]
    + [b"\x1b[200~[x=\n../../etc/passwd\x1b[2J[/]\x1b[201~", b"\x1b[200~model[v2].toml\x1b[201~"]
)


def terminal_events(rng, n: int) -> list[tuple[str, object]]:
    """n events: mostly input bytes, some mouse clicks and wheel turns, resizes across 80×24 and
    110×38 (down to 20×8), and the signals a session sends a running program that it survives."""
    out: list[tuple[str, object]] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.80:
            out.append(("input", rng.choice(TERMINAL_INPUT)))
        elif r < 0.88:
            x, y, button = rng.randint(1, 200), rng.randint(1, 60), rng.choice((0, 64, 65))
            out.append(("input", f"\x1b[<{button};{x};{y}M\x1b[<{button};{x};{y}m".encode()))
        elif r < 0.96:
            out.append(("resize", (rng.randint(20, 200), rng.randint(8, 60))))
        else:
            out.append(("signal", rng.choice((signal.SIGWINCH, signal.SIGCONT, signal.SIGTSTP))))
    return out


@pytest.mark.parametrize("seed, end", [(1, signal.SIGTERM), (2, signal.SIGHUP), (3, signal.SIGINT)])
def test_keys_clicks_resizes_and_signals_at_random_in_a_real_terminal(seed, end, tmp_path, root):
    """A real process in a pty takes 400 random events at typing speed and faster, then the signal
    that ends a session: it is still running until then (no crash, no freeze), ends with 128 + the
    signal's number and leaves the terminal as it found it. Files only in tmp_path (--files)."""
    import random

    rng = random.Random(seed)
    with PtyApp("--files", str(tmp_path), "--export-dir", "exports", cols=100, rows=30) as app:
        # While a SIGTSTP has the app suspended the terminal is back in line mode, where ctrl+s is
        # XOFF and stops all output until a ctrl+q (which would end the app): as `stty -ixon` does,
        # flow control is off here, so a ctrl+s typed then is a key like the others.
        modes = termios.tcgetattr(app.slave)
        modes[0] &= ~termios.IXON
        termios.tcsetattr(app.slave, termios.TCSANOW, modes)
        app.modes_before = termios.tcgetattr(app.slave)
        assert app.read_until(b" quit "), app.out[-2000:]
        for kind, value in terminal_events(rng, 400):
            if kind == "input":
                app.send(value)
            elif kind == "resize":
                cols, rows = value
                fcntl.ioctl(app.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                app.signal(signal.SIGWINCH)
            else:
                app.signal(value)
                if value == signal.SIGTSTP:  # a shell's ctrl+z, then fg
                    time.sleep(0.05)
                    app.signal(signal.SIGCONT)
            app._read(rng.choice((0, 0, 0.005, 0.02)))  # keep the pty drained, as a terminal does
            assert app.proc.poll() is None, app.out[-3000:]
        app.signal(signal.SIGCONT)
        app.settle(quiet=0.5, timeout=30)
        assert app.proc.poll() is None, app.out[-3000:]
        assert b"Traceback" not in app.out
        app.signal(end)
        assert app.wait(timeout=30) == 128 + end, app.out[-3000:]
        for sequence in RESTORED:
            assert sequence in app.out, sequence
        assert app.modes() == app.modes_before
    assert not [p for p in root.iterdir() if p.name in ("exports", "backprop-exports")], "wrote outside --files"


@pytest.mark.parametrize(
    "signals, pause",
    [
        ((signal.SIGCONT,), 0.2),  # kill -CONT, no suspend before it
        ((signal.SIGTSTP, signal.SIGCONT), 0.2),  # kill -TSTP, then fg
        ((signal.SIGTSTP, signal.SIGCONT) * 4, 0.05),  # again and again, quickly
        ((signal.SIGTSTP, signal.SIGTSTP, signal.SIGCONT), 0.05),  # a second TSTP while stopped
        ((signal.SIGTSTP, signal.SIGCONT) * 3, 0.0),  # the two at once (handled in either order)
    ],
)
def test_suspend_and_continue_in_any_order_leave_the_terminal_as_it_was(signals, pause):
    """A SIGCONT without a SIGTSTP had Textual re-enter application mode and keep the raw modes as
    the ones to restore (the terminal was left without echo); one that came while the app was still
    leaving left it stopped for good. Whatever the order, the app runs on, draws, and a SIGTERM
    ends it with the terminal's modes as before."""
    with PtyApp(cols=100, rows=30) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.settle()
        for signum in signals:
            app.signal(signum)
            app._read(pause)
        app.settle()
        drawn = len(app.out)
        app.send(b"f")
        assert app.read_until(b"0.3825", timeout=20) or b"0.3825" in app.out[drawn:], app.out[-2000:]
        app.signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 128 + signal.SIGTERM, app.out[-2000:]
        assert app.modes() == app.modes_before


def test_exported_columns_and_lines_do_not_fix_the_size():
    """COLUMNS=50 LINES=10 in the environment held the app at 50×10 whatever the window (it asked
    for a larger one in a 100×30 terminal); the terminal's own size is used."""
    argv = ["env", "COLUMNS=50", "LINES=10", sys.executable, "-m", "tui"]  # PtyApp clears them from env=
    with PtyApp(cols=100, rows=30, argv=argv) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.settle()
        assert b"0.0500" in app.out and b"80" + "×".encode() + b"24" not in app.out
        app.send(b"q")
        assert app.wait() == 0


def test_an_escape_sequence_in_a_file_or_folder_name_never_reaches_the_terminal(tmp_path):
    """A model file named t<ESC>]2;OWNED<BEL>.toml set the terminal's title when the status line drew
    its name, and an --export-dir with one did when x said where it wrote: names are escaped."""
    title = b"\x1b]2;OWNED\x07"
    model = tmp_path / ("t" + title.decode() + ".toml")
    model.write_text("[data]\nx = [[0.05, 0.10]]\ny = [0.01]\n", encoding="utf-8")
    exports = str(tmp_path / ("e" + title.decode().replace("OWNED", "PWNED")))
    with PtyApp("--config", str(model), "--export-dir", exports, cols=120, rows=40) as app:
        assert app.read_until(b" quit "), app.out[-2000:]
        app.send(b"x")
        assert app.read_until(b"PWNED"), app.out[-2000:]
        app.settle()
        app.send(b"q")
        assert app.wait() == 0
    assert b"\x1b]2;" not in app.out and b"OWNED" in app.out
