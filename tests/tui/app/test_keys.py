"""Keys and screens never crash the app (issue 9): the reported sequences, then a mash of every key.

- a key that opens a screen already open does nothing (DuplicateIds before); a screen closed twice
  (two Enters at once in the file prompt) closes once (ScreenStackError before);
- text typed or read from files is shown as written, never parsed as markup (MarkupError before);
- the App's keys do not reach the model behind a screen unless that screen says so (the activation
  view runs f b u space a, and shows the new values);
- below 80×24 the main screen asks for a larger terminal whatever the layout before, and only
  q ? l t work there;
- every key of the app's binding tables sent at once from every screen, then a random mash of them
  with bursts without pauses and resizes (tests/keymash.py; benchmarks/fuzz_keys.py runs it at length).
"""

from __future__ import annotations

import asyncio
import random

import pytest
from textual.screen import ModalScreen

from engine import config, presets
from keymash import KEYS, QUIT_KEYS, SIZES, check_sane, mash, new_app, run_mash, screen_names, send_at_once, tail
from tui.app.app import MIN_SIZE, WIDE_SIZE
from tui.app.screens.activation import ActivationScreen, ActivationTable
from tui.app.screens.base import TopScreen
from tui.app.screens.edit import EditScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.path import PathScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.status import StatusLine
from tui.app.widgets.too_small import TooSmall


def kinds(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack[1:]]


# --- screens open once and close once -------------------------------------------------------------

SCREEN_KEY_CASES = [
    (["w", "w"], []),  # the key that opened a screen closes it, as v, g and W always did
    (["w", "question_mark", "w"], ["EditScreen", "HelpScreen"]),
    (["f1", "f1"], []),
    (["question_mark", "f1"], []),
    (["v", "question_mark", "v"], ["ActivationScreen", "HelpScreen"]),
    (["w", "o", "ctrl+s"], ["EditScreen", "PathScreen"]),
    (["g", "question_mark", "v", "w"], ["GradCheckScreen"]),
    (["c", "c"], []),
    (["c", "question_mark", "c"], ["CompareScreen", "HelpScreen"]),
]


async def close_all(app, pilot) -> None:
    while app.screen is not app.screen_stack[0]:
        await pilot.press("escape")
        await pilot.pause()


def test_a_screen_key_twice_never_opens_a_second_screen(drive):
    """w w, w ? w, F1 F1, ? F1, v ? v were DuplicateIds; pressed, or sent at once as tmux does."""

    async def scenario(app, pilot):
        for keys, expected in SCREEN_KEY_CASES:
            for at_once in (False, True):
                if at_once:
                    send_at_once(app, keys)
                else:
                    await pilot.press(*keys)
                await pilot.pause()
                await pilot.pause()
                assert kinds(app) == expected, (keys, at_once)
                assert app.stepper.position == 0  # and nothing moved behind them
                await close_all(app, pilot)

    drive(scenario)


@pytest.mark.parametrize("first", [[], ["w"]], ids=["main", "over-the-editor"])
def test_two_enters_at_once_in_the_file_prompt_close_it_once(first, tmp_path, drive):
    """`o`, then Enter Enter as tmux sends them: the file opens once, the screen below stays."""
    path = tmp_path / "model.toml"
    config.save_model(presets.load("xor"), path)

    async def scenario(app, pilot):
        await pilot.press(*first, "o")
        assert isinstance(app.screen, PathScreen)
        send_at_once(app, ["enter", "enter"])
        await pilot.pause()
        await pilot.pause()
        assert kinds(app) == (["EditScreen"] if first else [])
        assert app.stepper.position == 1 and len(app.snapshot.Y) == 4  # xor, opened once: one step to undo

    drive(scenario, configure=lambda app: setattr(app.model_files, "model_path", str(path)))


@pytest.mark.parametrize("keys", [["q", "ctrl+s"], ["v", "ctrl+q", "o", "k", "f"]])
def test_keys_sent_right_behind_q_do_nothing(keys, drive):
    """`q ctrl+s` at once pushed the file prompt into the closing app (NoMatches, a traceback)."""

    async def scenario(app, pilot):
        send_at_once(app, keys)
        await pilot.pause()

    app = drive(scenario)
    assert app.return_code == 0


def test_every_screen_closes_once_whatever_is_asked_twice(drive):
    async def scenario(app, pilot):
        for key in ("w", "question_mark", "v", "g", "o"):
            await pilot.press(key)
            await pilot.pause()
            top = app.screen
            assert isinstance(top, TopScreen)
            assert top.close() and not top.close()  # the second does nothing: the screen is gone
            await pilot.pause()
            assert app.screen is app.screen_stack[0]

    drive(scenario)


# --- text shown as written ----------------------------------------------------------------------


def test_markup_typed_into_the_open_prompt_is_shown_as_typed(tmp_path, monkeypatch, drive, message):
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o", "ctrl+u", *"[x=", "enter")
        await pilot.pause()
        assert "[x=: cannot read the file" in message(app, "path-message")

    drive(scenario)


def test_a_file_name_with_brackets_keeps_them(tmp_path, drive, message):
    """`model[v2].toml` was reported as `model.toml: …`; saving to `out[b].toml` names it right too."""
    bad = tmp_path / "model[v2].toml"
    bad.write_text("learning_rate = [\n")
    saved = tmp_path / "out[b].toml"

    async def scenario(app, pilot):
        await pilot.press("o")
        app.screen.query_one("#path-value").value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert f"{bad}:" in message(app, "path-message")
        await pilot.press("escape", "ctrl+s")
        app.screen.query_one("#path-value").value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        assert saved.exists() and not isinstance(app.screen, PathScreen)
        assert f"Saved to {saved}." in app.query_one(ExplainPanel).render().plain
        await pilot.press("o")
        app.screen.query_one("#path-value").value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        assert f"Opened {saved}" in app.query_one(ExplainPanel).render().plain
        assert "out[b]" in app.query_one(StatusLine).render().plain  # the model is named after its file

    drive(scenario)


def test_an_edited_value_with_markup_is_shown_as_typed(drive, message):
    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")  # η: start typing
        await pilot.press("ctrl+a", "ctrl+k", *"[/]", "enter")
        await pilot.pause()
        assert "got '[/]'" in message(app, "edit-message")

    drive(scenario)


def test_an_export_notice_over_a_screen_shows_the_folder_as_it_is(tmp_path, drive):
    """Over a screen the export says where it wrote in a notification: `out[red]` keeps its brackets."""
    folder = tmp_path / "out[red]"

    async def scenario(app, pilot):
        await pilot.press("g")
        await pilot.pause()
        app.action_export()  # the App's action, as x runs it over the gradient-check screen
        await pilot.pause()
        await pilot.pause()
        note = list(app._notifications)[-1]  # run_test draws no toasts: what the toast is given
        assert str(folder) in note.message and not note.markup  # Toast draws markup=False text as it is

    drive(scenario, configure=lambda app: setattr(app, "export_dir", str(folder)))


def test_an_export_on_the_activation_view_is_announced_once(tmp_path, drive):
    """The activation view shows the App's notice in its key line: no toast repeats it."""

    async def scenario(app, pilot):
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert str(tmp_path) in app.notice_text and str(tmp_path) in str(app.screen.query_one("#act-keys").render())
        assert not app._notifications  # run_test draws no toasts: none was given

    drive(scenario, configure=lambda app: setattr(app, "export_dir", str(tmp_path)))


# --- keys behind a screen -----------------------------------------------------------------------

MODEL_KEYS = ["f", "b", "u", "space", "s", "e", "p", "z", "y", "a", "plus", "minus", "r", "k"]


@pytest.mark.parametrize("opener, screen", [("w", EditScreen), ("question_mark", HelpScreen)])
def test_the_app_keys_do_not_move_the_model_behind_a_screen(opener, screen, drive):
    """`w`, then s (or f, p …), then Esc: the main screen had moved on behind the editor."""

    async def scenario(app, pilot):
        await pilot.press("f")
        before = app.snapshot
        await pilot.press(opener)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        await pilot.press(*MODEL_KEYS)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        assert app.snapshot is before and not app.playing and not app.quiz.on
        await pilot.press("escape")
        await pilot.pause()
        assert app.snapshot is before

    drive(scenario)


def test_the_editor_shows_the_model_it_edits(drive):
    """What the editor lists is what the App holds, before and after keys pressed in it."""

    async def scenario(app, pilot):
        await pilot.press("s")  # one sample: the weights moved
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("s", "s", "e")
        await pilot.pause()
        lr_index = next(k for k, f in enumerate(app.screen.fields) if f.config == "weights.W1[0][0]")
        shown = str(app.screen.query_one("#edit-fields").get_option_at_index(lr_index).prompt)
        assert f"{app.snapshot.params.W1[0, 0]:.4f}" in shown

    drive(scenario)


def test_the_activation_view_runs_its_documented_keys_and_shows_fresh_values(drive):
    async def scenario(app, pilot):
        await pilot.press("v")
        await pilot.pause()
        table = app.screen.query_one(ActivationTable)
        await pilot.press("f")
        await pilot.pause()
        assert app.snapshot.forward1 is not None
        assert f"{app.snapshot.forward1.z1[0]:.4f}" in table.render().plain
        await pilot.press("a")  # sigmoid → tanh, shown at once
        await pilot.pause()
        assert app.snapshot.hidden == "tanh" and "tanh" in str(app.screen.query_one("#act-title").render())
        position = app.stepper.position
        await pilot.press("s", "e", "p", "z", "r", "w", "g")  # not documented there: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ActivationScreen) and app.stepper.position == position and not app.playing

    drive(scenario)


def test_a_quiz_question_asked_from_the_activation_view_says_where_it_waits(drive):
    async def scenario(app, pilot):
        await pilot.press("k", "v", "f")
        await pilot.pause()
        assert app.quiz.asking and app.stepper.position == 0
        assert "main screen" in str(app.screen.query_one("#act-keys").render())
        await pilot.press("escape", *"0.3825", "enter")
        await pilot.pause()
        assert app.stepper.position == 1 and app.quiz.right == 1

    drive(scenario)


def test_modal_screens_take_no_model_key(drive):
    async def scenario(app, pilot):
        for opener in ("g", "o"):
            await pilot.press(opener)
            await pilot.pause()
            assert isinstance(app.screen, ModalScreen)
            send_at_once(app, ["f", "s", "e", "z", "w", "v"])
            await pilot.pause()
            assert app.stepper.position == 0 and isinstance(app.screen, ModalScreen)
            await pilot.press("escape")
            await pilot.pause()

    drive(scenario)


# --- too small ------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [(120, 40), (90, 30)], ids=["from-roomy", "from-compact"])
def test_too_small_is_said_whatever_the_layout_before_and_keys_wait(start, drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        before = app.snapshot
        await pilot.resize_terminal(77, 21)
        await pilot.pause()
        message = app.query_one(TooSmall)
        assert message.display and message.region.area and "77×21" in message.render().plain
        send_at_once(app, [*MODEL_KEYS, "w", "o", "v", "g", "W", "x", "ctrl+s"])
        await pilot.pause()
        assert app.snapshot is before and kinds(app) == [] and not app.playing
        await pilot.press("l")  # the language still switches: the message follows
        await pilot.pause()
        assert "Aumente" in app.query_one(TooSmall).render().plain
        await pilot.press("question_mark")  # help still opens and closes
        await pilot.pause()
        assert kinds(app) == ["HelpScreen"]
        await pilot.press("escape")
        await pilot.resize_terminal(*WIDE_SIZE)
        await pilot.pause()
        assert not app.query_one(TooSmall).display and app.wide
        await pilot.press("f")
        assert app.snapshot is not before

    drive(scenario, size=start)


def test_the_hidden_quiz_box_takes_no_keys_while_too_small(drive):
    """The quiz's answer box kept the focus while hidden below 80×24: Enter answered and stepped."""

    async def scenario(app, pilot):
        await pilot.press("k", "f")
        await pilot.pause()
        assert app.quiz.asking and app.focused is not None
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        await pilot.press(*"0.3825", "enter")
        await pilot.pause()
        assert app.stepper.position == 0 and app.quiz.asking and app.focused is None
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press(*"0.3825", "enter")  # in view again, the box has the keys again
        await pilot.pause()
        assert app.stepper.position == 1 and app.quiz.right == 1

    drive(scenario)


def test_q_quits_while_too_small(drive):
    async def scenario(app, pilot):
        await pilot.resize_terminal(MIN_SIZE[0] - 1, MIN_SIZE[1])
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


# --- the mash -------------------------------------------------------------------------------------


def test_the_mash_covers_every_key_of_every_screen():
    """The keys come from the binding tables: the screens' keys and Textual's widgets' are there."""
    for key in (
        "w",
        "o",
        "ctrl+s",
        "v",
        "g",
        "W",
        "c",
        "h",
        "x",
        "k",
        "question_mark",
        "f1",
        "escape",
        "enter",
        "tab",
        "up",
        "down",
        "pagedown",
        "n",
        "ctrl+u",
        "ctrl+q",
        "[",
        "0",
        "T",
        "C",
        "ctrl+p",
    ):
        assert key in KEYS, key
    assert any(action[0] == "click" for action in mash(0, 200))  # the clickable key bar (issue 13) too
    assert any(w < MIN_SIZE[0] for w, _ in SIZES) and any(w >= WIDE_SIZE[0] and h >= WIDE_SIZE[1] for w, h in SIZES)


OPENERS = [None, "w", "o", "ctrl+s", "question_mark", "v", "g", "W", "d", "c", "h", "T", "C", "k", "ctrl+p", (77, 21)]


def test_every_key_on_every_screen(tmp_path, monkeypatch):
    """From each screen (and in quiz mode, and too small) every key of the tables at once, then Esc
    must close what is open and space step: each screen meets each key, whatever the random mash draws."""
    monkeypatch.chdir(tmp_path)  # Enter in a file prompt writes relative to here
    keys = [k for k in KEYS if k not in QUIT_KEYS]
    seen = set()

    async def main():
        app = new_app(str(tmp_path))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for k, opener in enumerate(OPENERS):
                if isinstance(opener, tuple):
                    await pilot.resize_terminal(*opener)
                elif opener:
                    await pilot.press(opener)
                await pilot.pause()
                seen.add(type(app.screen).__name__)
                send_at_once(app, random.Random(k).sample(keys, len(keys)))
                await pilot.pause()
                await check_sane(app, pilot)

    asyncio.run(main())
    assert screen_names() | {"KeyPalette"} <= seen, screen_names() - seen


def test_a_mash_of_every_key_screen_and_size_never_crashes(tmp_path):
    """200 random keys, most in bursts, with resizes; benchmarks/fuzz_keys.py mashes 20 × 3 000."""
    result = run_mash(0, 200, str(tmp_path))
    assert result.error is None, f"seed 0: {result.error!r}\nlast keys: {tail(result)}"


def test_text_typed_without_end_stays_bounded_in_every_box(drive):
    """200 000 characters typed (or pasted as keystrokes, or sent by a browser tab in one message)
    into the quiz's answer took a core and gigabytes: each key cost in proportion to the text. Every
    box now takes a bounded text: a value VALUE_LENGTH characters, a file name PATH_LENGTH."""
    from textual.widgets import Input

    from tui.app.widgets.steady_input import PATH_LENGTH, VALUE_LENGTH

    lengths = {}

    async def scenario(app, pilot):
        for opener, closer, name in (
            (["k", "f"], ["escape", "k"], "quiz"),
            (["w", "enter"], ["escape", "escape"], "edit"),
            (["o", "ctrl+u"], ["escape"], "path"),
        ):
            await pilot.press(*opener)
            send_at_once(app, ["9"] * (PATH_LENGTH + 500))
            await pilot.pause()
            lengths[name] = len(app.focused.value) if isinstance(app.focused, Input) else None
            await pilot.press(*closer)

    drive(scenario)
    assert lengths == {"quiz": VALUE_LENGTH, "edit": VALUE_LENGTH, "path": PATH_LENGTH}
