"""Robustness (issue 5): whatever a class throws at it, the app neither crashes nor loses work.

- random key sequences and terminal resizes against the app in Pilot: no exception; undoing to the
  start gives the initial parameters back exactly; what the terminal shows (the app's own writes,
  replayed on a small terminal emulator) is what a fresh full paint shows;
- corrupted model files: a valid Model or one ConfigError, and from the real command line exit 2 with
  one stderr line, never a traceback, and the app is never imported;
- extreme models (η = 1e6, weights 1e300, linear output): "diverged", no NumPy warning anywhere;
- files written atomically: a failing write raises and leaves what was there.

Hypothesis runs derandomized with a few examples, so the suite is deterministic and quick.
Timing is measured in benchmarks/, never here.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size
from textual._compositor import CompositorUpdate

import keymash
from engine import config, presets
from engine.config import ConfigError
from engine.model import Model
from engine.stepper import Refused, Stepper
from tui.app.app import BackpropApp

# No shrinking: an app run takes ~1 s, so shrinking a failure would take minutes; the failing
# sequence is in the assertion message (or the exception's notes) instead.
FEW = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Every key of the app's binding tables and what its input boxes take (tests/keymash.py), but the
# ones that end the app: undoing to the start is checked in the same app.
KEYS = [k for k in keymash.KEYS if k not in keymash.QUIT_KEYS]
ACTIONS = st.one_of(st.sampled_from(KEYS), st.tuples(st.integers(20, 200), st.integers(10, 60)))  # a terminal resize


# --- a terminal emulator just large enough for what Textual writes -------------------------------
TOKEN = re.compile(
    r"\x1b\[([0-9;?<>=]*)([ -/]*[@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|(\n)|([^\x1b\n]+)", re.S
)


class Terminal:
    """Characters per cell, after cursor moves (CSI row;col H) and text; styles are ignored."""

    def __init__(self, width: int, height: int):
        self.size = (width, height)
        self.cells = [[" "] * width for _ in range(height)]
        self.x = self.y = 0

    def write(self, data: str) -> None:
        for m in TOKEN.finditer(data):
            params, final, newline, text = m.group(1), m.group(2), m.group(3), m.group(4)
            if final == "H":
                row, _, col = (params or "1;1").partition(";")
                self.y, self.x = int(row or 1) - 1, int(col or 1) - 1
            elif newline:
                self.y, self.x = self.y + 1, 0
            elif text:
                for ch in text:
                    width = get_character_cell_size(ch)
                    if width == 0:
                        if self.x:
                            self.cells[self.y][self.x - 1] += ch
                        continue
                    if 0 <= self.y < self.size[1] and self.x + width <= self.size[0]:
                        self.cells[self.y][self.x] = ch
                        if width == 2:
                            self.cells[self.y][self.x + 1] = ""
                    self.x += width

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]


def painted_lines(app) -> list[str]:
    """What a full paint of the current screen would show, from Textual's own render."""
    term = Terminal(*app.size)
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        term.x, term.y = 0, y
        term.write("".join(seg.text for seg in strip if not seg.control))
    return term.lines()


def capture_terminal(app) -> list[Terminal]:
    """Replay every update the app sends to the terminal (headless: rendered but not written)."""
    box: list[Terminal] = []

    def display(screen, renderable) -> None:
        if renderable is None or not isinstance(renderable, CompositorUpdate):
            return
        if not box or box[0].size != tuple(app.size):
            box[:] = [Terminal(*app.size)]
        box[0].write(renderable.render_segments(app.console))

    app._display = display
    return box


def params_equal(a, b) -> bool:
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("W1", "b1", "W2", "b2"))


async def back_to_start(app, pilot) -> None:
    """Stop play, close screens and quiz, then undo to the first Snapshot with the app's own action."""
    app.play.pause(quiet=True)
    await app.workers.wait_for_complete()
    await pilot.pause()
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await pilot.pause()
    guard = len(app.stepper.history) + 1
    while app.stepper.position > 0 and guard:
        app.action_undo()
        guard -= 1
    await pilot.pause()


@pytest.mark.parametrize("preset", ["lecture", "xor"])
@FEW
@given(actions=st.lists(ACTIONS, min_size=1, max_size=20))
def test_random_keys_and_resizes_never_crash_and_undo_restores_the_start(preset, actions, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a file name typed into o / ctrl+s is relative to here
    app = keymash.new_app(str(tmp_path), preset)
    start = app.stepper.snapshot.params
    seen: list[str] = []

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            terminal = capture_terminal(app)
            await pilot.pause()
            for action in actions:
                if isinstance(action, tuple):
                    await pilot.resize_terminal(*action)
                else:
                    await pilot.press(action)
                seen.append(str(action))
            await back_to_start(app, pilot)
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert app.stepper.position == 0
            assert params_equal(app.snapshot.params, start), f"after {seen}"
            assert app.snapshot is app.stepper.history[0]
            # the terminal shows what a full paint would: nothing stale left by partial updates
            assert terminal and terminal[0].lines() == painted_lines(app), f"after {seen}"

    asyncio.run(main())


def test_resize_with_help_open_keeps_help_and_panels():
    """Was a crash: the wide/compact recompose rebuilt the screen on top (help), not the panels'. Now the
    same panels are re-arranged (tui/app/layout.py), under help too."""
    from tui.app.screens.help import HelpBody
    from tui.app.widgets.network import NetworkPanel

    app = BackpropApp(presets.lecture())

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("question_mark")
            await pilot.resize_terminal(50, 20)
            await pilot.resize_terminal(90, 30)
            assert app.screen.query(HelpBody) and not app.screen.query(NetworkPanel)
            # the panels under help follow the size too: compact, the network's 4 rows on top
            assert app.screen_stack[0].has_class("-narrow") and app.arrangement == "compact"
            await pilot.press("escape")
            assert app.screen is app.screen_stack[0] and len(app.screen.query(NetworkPanel)) == 1
            network = app.screen.query_one(NetworkPanel)
            assert network.region.y == 0 and network.region.height == 4
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert app.arrangement == "wide" and app.screen.query_one(NetworkPanel) is network
            assert network.region.y == 13  # below parameters, values and loss

    asyncio.run(main())


def test_a_resize_two_screens_down_arranges_the_panels_for_the_new_size():
    """Textual gives its breakpoint classes to the screen on top and the one just under it; with the
    activation view and help over the main screen, the first frame after closing them showed the
    panels in the old layout at the new size (until the main screen's own resize caught up)."""
    from tui.app.widgets.network import NetworkPanel

    app = BackpropApp(presets.lecture())

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("v")
            await pilot.press("question_mark")
            assert len(app.screen_stack) == 3
            await pilot.resize_terminal(90, 30)
            await pilot.pause()
            main = app.screen_stack[0]  # arranged for 90×30 already, under both screens
            assert main.has_class("-narrow", "-short") and not main.has_class("-wide") and not main.has_class("-tall")
            await pilot.press("escape")
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is app.screen_stack[0] and app.arrangement == "compact"
            network = app.screen.query_one(NetworkPanel)
            assert network.region.y == 0 and network.region.height == 4 and network.region.width == 90

    asyncio.run(main())


def test_terminal_matches_a_full_paint_after_every_key():
    """The cell-diffing screen (tui/app/internals/diffscreen.py) against a fresh paint, key by key, with screens."""
    app = BackpropApp(presets.load("xor"))

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            terminal = capture_terminal(app)
            await pilot.pause()
            for key in [
                "f",
                "f",
                "b",
                "b",
                "u",
                "question_mark",
                "escape",
                "s",
                "e",
                "l",
                "t",
                "a",
                "plus",
                "g",
                "escape",
                "z",
                "z",
                "y",
                "L",
                "r",
                (90, 30),
                "f",
                "f",
                (130, 45),
                "b",
                "e",
            ]:
                if isinstance(key, tuple):
                    await pilot.resize_terminal(*key)
                else:
                    await pilot.press(key)
                await pilot.pause()
                assert terminal[0].lines() == painted_lines(app), f"after {key!r}"

    asyncio.run(main())


def test_undo_after_play_restores_the_start_exactly():
    app = BackpropApp(presets.load("xor"))
    start = app.stepper.snapshot.params

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f", "b")  # b is refused here; f leaves the epoch unfinished
            await pilot.press("p")
            await pilot.pause(0.3)
            await pilot.press("z", "p", "f")  # keys while playing pause it first
            assert not app.playing
            await back_to_start(app, pilot)
            assert params_equal(app.snapshot.params, start)

    asyncio.run(main())


# --- model files ------------------------------------------------------------------------------
VALID = config.model_to_toml(presets.lecture())


def corrupt(draw) -> str | bytes:
    kind = draw(st.sampled_from(["truncate", "type", "number", "shape", "junk", "key"]))
    text = VALID
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text) - 1))]
    if kind == "junk":
        data = text.encode()
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    numbers = [m.span() for m in re.finditer(r"-?\d+\.\d+(e[-+]?\d+)?|\b\d+\b", text)]
    lo, hi = draw(st.sampled_from(numbers))
    if kind == "type":
        value = draw(st.sampled_from(['"0.5"', "true", "[]", "{}", "[[1, 2]]", "1979-05-27", '"sigmoid"']))
    elif kind == "number":
        value = draw(
            st.sampled_from(
                [
                    "1e400",
                    "-1e400",
                    "inf",
                    "-inf",
                    "nan",
                    "1e308",
                    "-1e-320",
                    "0",
                    "99999999999999999999999",
                    "-0.0",
                    "1e300",
                ]
            )
        )
    elif kind == "shape":
        value = draw(st.sampled_from(["[1.0, 2.0, 3.0]", "[[1.0]]", "[[1.0, 2.0, 3.0]]", "[]", "[[]]"]))
    else:  # a key renamed, or a name replaced
        name = draw(st.sampled_from(["activation", "learning_rate", "W1", "b2", "x", "y", "[data]", "sigmoid"]))
        return text.replace(name, draw(st.sampled_from(["activatoin", "", "W3", "relu6", "[dat]", "y"])), 1)
    return text[:lo] + value + text[hi:]


@settings(FEW, max_examples=150)
@given(data=st.data())
def test_corrupted_model_file_gives_a_model_or_one_config_error(data, tmp_path):
    content = corrupt(data.draw)
    path = tmp_path / "model.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        model = config.load_model(path)
    except ConfigError as e:
        message = str(e)
        assert "\n" not in message and str(path) in message
        return
    assert isinstance(model, Model)
    for name in ("W1", "b1", "W2", "b2"):
        assert np.all(np.isfinite(getattr(model.params, name)))
    assert np.all(np.isfinite(model.X)) and np.all(np.isfinite(model.Y)) and model.lr > 0


BAD_FILES = {
    "truncated.toml": VALID[: len(VALID) // 2],
    "wrong-type.toml": VALID.replace("learning_rate = 0.5", 'learning_rate = "fast"'),
    "huge.toml": VALID.replace("0.15", "1e400"),
    "nan.toml": VALID.replace("0.35", "nan"),
    "shape.toml": VALID.replace("[0.35, 0.35]", "[0.35, 0.35, 0.35]"),
    "junk.toml": b"\x00\xff\xfe junk \x89PNG\r\n\x1a\n",
}


def write_bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    content = BAD_FILES[name]
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ConfigError):
        config.load_model(path)  # these are bad for certain; the CLI must say so
    return path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_cli_rejects_a_corrupted_file_with_exit_2_and_one_line(name, tmp_path, run_tui, c_utf8_env):
    path = write_bad(tmp_path, name)
    for args in (["train", "--config", str(path), "--epochs", "3"], ["--config", str(path)]):
        done = run_tui(*args, env=c_utf8_env)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert str(path) in lines[0]


def test_the_app_is_never_imported_for_a_bad_file(tmp_path, run_python, c_utf8_env):
    path = write_bad(tmp_path, "shape.toml")
    code = (
        "import sys; from tui.main import main; rc = main(sys.argv[1:]); "
        "print(rc, 'textual' in sys.modules, 'tui.app.app' in sys.modules)"
    )
    done = run_python(code, "--config", str(path), env=c_utf8_env)
    assert done.stdout.split() == ["2", "False", "False"], done.stderr


# --- extreme models ---------------------------------------------------------------------------
EXTREME = """output_activation = "linear"
learning_rate = 1e6
[weights]
W1 = [[1e300, 1e300], [1e300, -1e300]]
b1 = [1e300, 1e300]
W2 = [[1e300], [1e300]]
b2 = [1e300]
[data]
x = [[0.05, 0.10], [1.0, 0.0]]
y = [0.01, 1.0]
"""
EXPLODING = """output_activation = "linear"
activation = "relu"
learning_rate = 1e6
[data]
x = [[0.05, 0.10], [1.0, 0.5], [0.0, 1.0]]
y = [0.01, 1.0, 0.5]
"""  # finite at the start, diverges after a few updates


@pytest.mark.parametrize("text", [EXTREME, EXPLODING], ids=["weights-1e300", "eta-1e6"])
def test_cli_train_stops_with_diverged_and_no_numpy_warning(text, tmp_path, run_tui, c_utf8_env):
    path = tmp_path / "extreme.toml"
    path.write_text(text)
    done = run_tui("train", "--config", str(path), "--epochs", "200", env=c_utf8_env)
    assert "diverged" in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode != 0


@pytest.mark.parametrize("text", [EXTREME, EXPLODING], ids=["weights-1e300", "eta-1e6"])
def test_stepping_through_a_diverging_model_raises_no_warning(text, tmp_path):
    path = tmp_path / "extreme.toml"
    path.write_text(text)
    model = config.load_model(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stepper = Stepper(model)
        for _ in range(300):
            try:
                stepper.step()
            except Refused as r:
                assert r.code == "diverged"
                break
        else:
            pytest.fail("300 micro-steps of a diverging model without a divergence")


@pytest.mark.parametrize("text", [EXTREME, EXPLODING], ids=["weights-1e300", "eta-1e6"])
def test_app_play_pauses_on_divergence_with_a_message(text, tmp_path):
    path = tmp_path / "extreme.toml"
    path.write_text(text)
    app = BackpropApp(config.load_model(path))

    async def main():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            async with app.run_test(size=(120, 40)) as pilot:
                for key in ["f", "f", "b", "b", "u"]:  # by hand first, then play
                    await pilot.press(key)
                await pilot.press("p")
                for _ in range(100):
                    await pilot.pause(0.05)
                    if not app.playing:
                        break
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert not app.playing
                assert app.snapshot.diverged_at is not None
                assert "diverged" in app.notice_text.lower()
                await pilot.press("f", "p", "space")  # refused, and still says why; nothing breaks
                assert "diverged" in app.notice_text.lower()

    asyncio.run(main())


# --- files written atomically ------------------------------------------------------------------
def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_save_model_failing_at_replace_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.toml"
    config.save_model(presets.lecture(), path)
    before = path.read_bytes()
    monkeypatch.setattr(os, "replace", enospc)
    with pytest.raises(OSError) as e:
        config.save_model(presets.load("xor"), path)
    assert e.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.toml"]  # no temporary file left


def test_save_model_failing_at_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.toml"
    config.save_model(presets.lecture(), path)
    before = path.read_bytes()
    monkeypatch.setattr(os, "fsync", enospc)  # the disk fills while the new file is written
    with pytest.raises(OSError):
        config.save_model(presets.load("xor"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.toml"]


def test_save_model_into_a_path_under_a_file_fails_cleanly(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("keep me")
    with pytest.raises(OSError):
        config.save_model(presets.lecture(), blocker / "model.toml")
    assert blocker.read_text() == "keep me"


def test_export_failing_leaves_earlier_exports_intact(tmp_path, monkeypatch):
    exporter = pytest.importorskip("tui.app.exporter")
    snapshot = Stepper(presets.lecture()).step()
    first = exporter.export_snapshot(snapshot, "<svg/>", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert before and all(Path(p).exists() for p in first.files)
    monkeypatch.setattr(os, "replace", enospc)
    monkeypatch.setattr(os, "link", enospc)
    with pytest.raises(OSError):
        exporter.export_snapshot(snapshot, "<svg/>", tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
