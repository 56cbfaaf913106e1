"""Scripted screencasts: --keys / --keys-file replayed into the app reach the state that pressing
the same keys reaches, whatever --delay is; bad scripts are refused before the app starts."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import struct
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from engine import presets
from tui.app.app import BackpropApp
from tui.app.replay import pilot_for, replay, settle
from tui.host.script import Script, ScriptError, parse_keys, script_from_args
from tui.main import main
from tui.text.key_names import is_key_name


def args(**kw):
    base = dict(keys=None, keys_file=None, delay=None, exit_after=None, max_epochs=None, target_loss=None)
    base.update(kw)
    return SimpleNamespace(**base)


# --- parsing -------------------------------------------------------------------------------------


def test_parse_keys_and_comments():
    assert parse_keys("f f  b b\tu") == ("f", "f", "b", "b", "u")
    assert parse_keys("f f # forward\n# a whole comment line\nspace u\n", comments=True) == ("f", "f", "space", "u")
    assert parse_keys("f # b") == ("f", "#", "b")  # on the command line # is a key


@pytest.mark.parametrize(
    "key",
    [
        "f",
        "W",
        "+",
        "?",
        "space",
        "plus",
        "minus",
        "question_mark",
        "escape",
        "tab",
        "enter",
        "f1",
        "ctrl+s",
        "equals_sign",
    ],
)
def test_textual_key_names_are_accepted(key):
    assert is_key_name(key)


@pytest.mark.parametrize("key", ["foo", "spcae", "ctrl+", "\x07"])
def test_unknown_key_names_are_refused(key):
    assert not is_key_name(key)


def test_script_from_args():
    assert script_from_args(args()) is None
    s = script_from_args(args(keys="f f b b u"))
    assert s == Script(("f", "f", "b", "b", "u"), 0.8, None)
    assert script_from_args(args(keys="f", delay=0.0, exit_after=1.5)) == Script(("f",), 0.0, 1.5)
    assert script_from_args(args(keys="p", max_epochs=10)).keys == ("p",)
    assert script_from_args(args(keys="p", target_loss=0.01)).keys == ("p",)


@pytest.mark.parametrize(
    "kw, words",
    [
        (dict(keys="f zz"), ["--keys", "'zz'"]),
        (dict(keys="   "), ["--keys", "none"]),
        (dict(keys="f p"), ["--max-epochs", "--target-loss"]),
        (dict(delay=0.5), ["--delay", "--keys"]),
        (dict(exit_after=0.0), ["--exit-after"]),
        (dict(keys_file="/nonexistent/keys.txt"), ["--keys-file /nonexistent/keys.txt", "cannot read"]),
    ],
)
def test_bad_scripts_name_the_option(kw, words):
    with pytest.raises(ScriptError) as e:
        script_from_args(args(**kw))
    for w in words:
        assert w in str(e.value)


def test_keys_file(tmp_path):
    f = tmp_path / "lesson.keys"
    f.write_text("# the notes' example\nf f   # forward pass\nb b\nu\n", encoding="utf-8")
    assert script_from_args(args(keys_file=str(f))).keys == ("f", "f", "b", "b", "u")


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--keys", "f nonsense"], ["--keys", "nonsense"]),
        (["--keys", "p"], ["--max-epochs"]),
        (["--delay", "-1", "--keys", "f"], ["--delay", "≥ 0"]),
        (["--keys", "f", "--keys-file", "x"], ["not allowed with"]),
    ],
)
def test_command_line_refuses_bad_scripts_with_exit_2(argv, words, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    for w in words:
        assert w in err


# --- replay reaches the state of pressing the keys ---------------------------------------------


async def pressed(model, keys, **kw):
    """The app after a person's key presses, each waited for."""
    app = BackpropApp(model, **kw)
    async with app.run_test(size=(80, 24)) as pilot:
        for k in keys:
            await pilot.press(k)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
        return app.snapshot, len(app.stepper.history), app.stepper.position


async def replayed(model, keys, delay=0.0, **kw):
    app = BackpropApp(model, **kw)
    async with app.run_test(size=(80, 24)) as pilot:
        await replay(pilot, Script(tuple(keys), delay, None))
        return app.snapshot, len(app.stepper.history), app.stepper.position


@pytest.mark.parametrize(
    "preset, keys, kw",
    [
        ("lecture", "f f b b u", {}),
        ("lecture", "f f b b u space space plus a z y", {}),
        ("xor", "s e minus s f f b", {}),
        ("xor", "e p f", dict(max_epochs=300)),  # play runs to its stop before the next key
        ("and", "p z y f", dict(target_loss=0.05)),
    ],
)
def test_replay_reaches_the_state_of_pressing_the_keys(preset, keys, kw):
    keys = keys.split()
    a, na, pa = asyncio.run(pressed(presets.load(preset), keys, **kw))
    b, nb, pb = asyncio.run(replayed(presets.load(preset), keys, **kw))
    assert a.same_state(b) and (na, pa) == (nb, pb)
    if "p" in keys:
        assert a.epoch > 1  # play did train


def test_lecture_replay_shows_the_notes_numbers():
    s, _, _ = asyncio.run(replayed(presets.lecture(), "f f b b u".split(), delay=0.01))
    assert s.phase.name == "U"
    assert round(float(s.forward1.z1[0]), 4) == 0.3825 and round(float(s.forward2.yhat[0]), 4) == 0.7514
    assert round(float(s.backward2.delta2[0]), 4) == 0.1385


def test_replay_as_auto_pilot_exits_after_the_last_key():
    app = BackpropApp(presets.lecture())
    started = time.monotonic()
    asyncio.run(app.run_async(headless=True, size=(80, 24), auto_pilot=pilot_for(Script(("s", "v"), 0.0, 0.2))))
    assert time.monotonic() - started < 30
    assert app.return_code == 0 and app.snapshot.phase.name == "U"


def test_settle_waits_for_a_running_worker():
    async def main():
        app = BackpropApp(presets.load("xor"), max_epochs=2000)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("p")
            await settle(pilot)
            assert not app.playing and app.snapshot.epoch == 2000

    asyncio.run(main())


# --- in a real terminal, as asciinema records it -----------------------------------------------


def run_in_pty(argv, cols=120, rows=40, timeout=60.0) -> tuple[int, bytes]:
    import fcntl
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=max(1.0, deadline - time.monotonic())), out
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_a_screencast_runs_to_its_end_in_a_real_terminal(tmp_path):
    code, out = run_in_pty(
        [
            sys.executable,
            "-m",
            "tui",
            "--keys",
            "f f b b u x",
            "--delay",
            "0.05",
            "--exit-after",
            "0",
            "--export-dir",
            str(tmp_path),
        ]
    )
    assert code == 0, out[-2000:]
    assert (tmp_path / "lecture_e1_s1.md").exists()  # the keys reached the app: u, then x
    assert "0.7514" in (tmp_path / "lecture_e1_s1.md").read_text(encoding="utf-8")
    assert b"0.7514" in out  # and it was drawn on the terminal


def test_settle_survives_a_worker_cancelled_by_the_next_key():
    async def main():
        app = BackpropApp(presets.load("xor"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("W", "escape")  # the sweep is cancelled while it runs
            await settle(pilot)
            await pilot.press("W")
            app.screen.action_close()
            await settle(pilot)
            assert not [w for w in app.workers if not w.is_finished]

    asyncio.run(main())
