"""Presenter mode and captions (issue 13, item 5): with --present each press of space plays the next
scripted key and nothing else does, the script never runs ahead of the presses, the other keys work as
usual; --captions names each key as played, with the keys file's comments; the end of a recording."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from types import SimpleNamespace

import pytest

from engine import presets
from engine.stepper import Phase
from keymash import send_at_once
from tui.app.app import BackpropApp
from tui.app.replay import caption, replay
from tui.app.widgets.caption import CaptionBar
from tui.host.script import Script, ScriptError, parse_commented, script_from_args
from tui.main import main
from tui.text.i18n import t

LESSON = """# the notes' worked example
f f      # forward pass: z(1), a(1), then z(2), y-hat, L
b b
u        # update
# a look at the gradient
g escape
"""


def args(**kw):
    base = dict(
        keys=None,
        keys_file=None,
        delay=None,
        exit_after=None,
        max_epochs=None,
        target_loss=None,
        present=False,
        captions=False,
    )
    base.update(kw)
    return SimpleNamespace(**base)


# --- the script keeps its comments --------------------------------------------------------------


def test_comments_caption_their_line_or_the_lines_below():
    keys, captions = parse_commented(LESSON)
    assert keys == ("f", "f", "b", "b", "u", "g", "escape")
    assert (
        captions
        == ("forward pass: z(1), a(1), then z(2), y-hat, L",) * 2
        + ("the notes' worked example",) * 2
        + ("update",)
        + ("a look at the gradient",) * 2
    )
    assert parse_commented("f f\nb # \n") == (("f", "f", "b"), ())  # no comment text: no captions


def test_script_options(tmp_path):
    f = tmp_path / "lesson.keys"
    f.write_text(LESSON, encoding="utf-8")
    s = script_from_args(args(keys_file=str(f), present=True, captions=True, exit_after=1.0))
    assert s.present and s.show_captions and s.exit_after == 1.0 and s.caption(4) == "update"
    assert script_from_args(args(keys="f f")).captions == () and not script_from_args(args(keys="f")).present
    for kw, words in (
        (dict(present=True), ["--present", "--keys"]),
        (dict(captions=True), ["--captions", "--keys"]),
        (dict(keys="f", present=True, delay=0.5), ["--delay", "--present"]),
    ):
        with pytest.raises(ScriptError) as e:
            script_from_args(args(**kw))
        assert all(w in str(e.value) for w in words)


def test_command_line_refuses_present_without_a_script(capsys):
    assert main(["--present"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--present needs --keys or --keys-file" in err


# --- presenting ------------------------------------------------------------------------------------


def timers(app) -> int:
    return len(app._timers) + sum(len(node._timers) for node in app.screen_stack[0].walk_children(with_self=True))


def present(scenario, script: Script, *, model=None, size=(80, 24), captions=False):
    app = BackpropApp(model or presets.lecture())
    app.captions = captions

    async def run():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            task = asyncio.create_task(replay(pilot, script))
            await pilot.pause()
            await scenario(app, pilot, task)
            if not task.done():
                task.cancel()

    asyncio.run(run())
    return app


async def idle(pilot, n=5):
    for _ in range(n):
        await pilot.pause()


async def until_waiting(app) -> bool:
    """Until the replay waits for the presenter (the last key has been played and has settled)."""
    for _ in range(1000):
        if app.presenter.waiting or not app.presenter.active:
            break
        await asyncio.sleep(0.01)
    return app.presenter.waiting


async def space(app, pilot):
    """The presenter's space once the last key has been played (a space before is dropped by design),
    then until the key it plays has been played: the replay waits again, or the script is over."""
    await until_waiting(app)
    await pilot.press("space")
    for _ in range(1000):
        await asyncio.sleep(0.01)
        if app.presenter.waiting or not app.presenter.active:
            break
    await idle(pilot)


def test_space_plays_the_next_key_only_and_the_script_waits_without_a_timer():
    script = Script(("f", "f", "b"), 0.8, None, present=True)

    async def scenario(app, pilot, task):
        before = timers(app)
        await asyncio.sleep(1.0)  # longer than --delay: nothing plays without the presenter
        await idle(pilot)
        assert app.stepper.position == 0 and app.presenter.waiting and timers(app) == before
        await space(app, pilot)
        assert app.snapshot.phase is Phase.F1 and app.stepper.position == 1
        await space(app, pilot)
        assert app.snapshot.phase is Phase.F2
        await space(app, pilot)
        await asyncio.wait_for(task, 10)
        assert app.snapshot.phase is Phase.B2
        await pilot.press("space")  # the script is over: space steps again
        await idle(pilot)
        assert app.snapshot.phase is Phase.B1

    present(scenario, script)


def test_the_script_never_runs_ahead_of_spaces_pressed_at_once():
    script = Script(("f", "f", "b", "b", "u"), 0.8, None, present=True)

    async def scenario(app, pilot, task):
        send_at_once(app, ["space"] * 4)  # four presses queued before the first key has been played
        await idle(pilot, 10)
        assert await until_waiting(app)
        assert app.stepper.position == 1 and app.snapshot.phase is Phase.F1  # one key: the rest were dropped
        send_at_once(app, ["space", "space"])
        await idle(pilot, 10)
        assert await until_waiting(app)
        assert app.stepper.position == 2 and not task.done()

    present(scenario, script)


def test_other_keys_work_as_usual_while_presenting():
    script = Script(("b", "b"), 0.8, None, present=True)

    async def scenario(app, pilot, task):
        await pilot.press("f", "f")  # the presenter's own keys: as usual
        await idle(pilot)
        assert app.snapshot.phase is Phase.F2 and app.stepper.position == 2
        await space(app, pilot)  # the script's b
        assert app.snapshot.phase is Phase.B2

    present(scenario, script)


def test_a_scripted_space_steps_and_is_not_taken_for_the_presenters():
    script = Script(("space", "space"), 0.8, None, present=True)

    async def scenario(app, pilot, task):
        await space(app, pilot)
        assert app.stepper.position == 1 and app.presenter.waiting
        await space(app, pilot)
        assert app.stepper.position == 2 and task.done()

    present(scenario, script)


def test_captions_show_the_comments_and_what_uncommented_keys_did(tmp_path):
    f = tmp_path / "lesson.keys"
    f.write_text(LESSON, encoding="utf-8")
    script = script_from_args(args(keys_file=str(f), present=True, captions=True))
    expected = (
        ["f · forward pass: z(1), a(1), then z(2), y-hat, L"] * 2
        + ["b · the notes' worked example"] * 2
        + ["u · update", "g · a look at the gradient", "escape · a look at the gradient"]
    )

    async def scenario(app, pilot, task):
        bar = app.query_one("#caption", CaptionBar)
        assert bar.display and app.caption == ""
        for i, text in enumerate(expected):
            await space(app, pilot)
            assert app.caption.split("  ■ ")[0] == text, i
            shown = [b.text for b in app.screen.query(CaptionBar)]
            assert shown == [app.caption]  # on the gradient-check screen too, docked at its bottom
        await asyncio.wait_for(task, 10)
        assert app.caption == expected[-1] + "  ■ " + t("ui_caption_end")

    present(scenario, script, captions=True)


def test_captions_without_comments_name_the_phase_or_the_help_label():
    en = "en"
    s0 = presets.lecture()
    assert caption("f", "", en, None, None) == "f · " + t("ui_help_f")  # refused: nothing changed

    async def scenario(app, pilot, task):
        for _ in range(3):
            await space(app, pilot)
        await asyncio.wait_for(task, 10)
        assert app.caption == "␣ · " + t("ui_phase_B2") + "  ■ " + t(
            "ui_caption_end"
        )  # ␣ reached B2: the third micro-step

    present(
        scenario, Script(("f", "space", "space"), 0.8, None, present=True, show_captions=True), model=s0, captions=True
    )


def test_caption_bar_fits_80x24_and_keeps_every_panel():
    async def scenario(app, pilot, task):
        await space(app, pilot)
        bar = app.query_one("#caption", CaptionBar)
        assert bar.region.height == 1 and bar.region.y == 21  # above the status line and the key bar
        for wid in ("network", "values", "loss", "params", "explain"):
            region = app.query_one(f"#{wid}").region
            assert region.height > 0 and region.bottom <= 21, wid
        assert app.query_one("#explain").region.height >= 5

    present(scenario, Script(("f",), 0.8, None, present=True, show_captions=True), captions=True)


def test_exit_after_ends_a_presented_script_after_its_last_key():
    async def scenario(app, pilot, task):
        await space(app, pilot)
        assert not task.done() and app.return_code is None
        await space(app, pilot)
        await asyncio.wait_for(task, 10)
        assert app.return_code == 0 and app.snapshot.phase is Phase.F2

    present(scenario, Script(("f", "f"), 0.8, 0.0, present=True))


def test_without_present_space_is_a_key_of_the_app():
    app = BackpropApp(presets.lecture())

    async def run():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("space")
            assert app.stepper.position == 1 and not app.presenter.active

    asyncio.run(run())


# --- in a real terminal ------------------------------------------------------------------------------


def test_a_presented_lesson_in_a_real_terminal(tmp_path):
    """backprop-tui --keys-file F --present --captions --exit-after 0 --keep-screen in a pty: nothing plays
    until space; each space plays one key; the app ends after the last one and prints its last frame,
    caption included."""
    f = tmp_path / "lesson.keys"
    f.write_text("f f   # forward pass\nb\n", encoding="utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "--keys-file",
            str(f),
            "--present",
            "--captions",
            "--exit-after",
            "0",
            "--keep-screen",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    out = b""

    def read(until: bytes, timeout: float = 30.0) -> bool:
        nonlocal out
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until in out:
                return True
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    return until in out
        return until in out

    def quiet(gap: float = 1.0, timeout: float = 30.0) -> None:
        """Read until the app has drawn nothing for `gap` seconds: the key has been played and drawn."""
        nonlocal out
        deadline = last = time.monotonic()
        deadline += timeout
        while time.monotonic() < deadline and time.monotonic() - last < gap:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    return
                last = time.monotonic()

    try:
        assert read(b"sample 1 of 1"), out[-2000:]
        quiet()
        assert (
            b"0.3825" not in out
        )  # nothing played without the presenter (z₁⁽¹⁾ of F1; Explain lists "F1 forward" ahead)
        for _ in range(3):  # each once the last key has been played: a space before would be dropped
            os.write(master, b" ")
            quiet()
        assert proc.wait(timeout=30) == 0
        read(b"\x00", timeout=0.5)
        frame = out[out.rindex(b"\x1b[?1049l") :]  # after the alternate screen: the frame --keep-screen printed
        assert b"B2 backward" in frame and "b · B2 backward · output δ".encode() in frame
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
