"""Editing the model in the app (issue 4, item 2): the Edit screen (w), open (o) and save (ctrl+s).

An edited value must change the computed numbers exactly as the notes' formulas say (checked against
hand-written formulas); a bad value or a bad file must leave the app exactly as it was and say why,
a bad file with the same ConfigError line the command line prints.
"""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from engine import config, presets
from engine.stepper import Phase
from tests.engine.test_config import same_numbers
from tui import main as cli
from tui.app.app import BackpropApp
from tui.app.screens.edit import EditScreen
from tui.app.screens.help import help_text
from tui.app.screens.path import PathScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KEYS as KEYBAR_KEYS
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.status import StatusLine
from tui.text.i18n import t


def field_index(app, name: str) -> int:
    """A field of the Edit screen by its model-file name, or "add_row" / "del_row"."""
    return next(k for k, f in enumerate(app.screen.fields) if name in (f.config, f.kind))


async def choose(app, pilot, name: str):
    """On the Edit screen: move the highlight to a field with the arrow keys and press Enter."""
    target = field_index(app, name)
    options = app.screen.query_one(OptionList)
    while options.highlighted != target:
        await pilot.press("down" if options.highlighted < target else "up")
    await pilot.press("enter")
    await pilot.pause()


async def type_value(pilot, text: str):
    await pilot.press("ctrl+a", "ctrl+k", *text, "enter")
    await pilot.pause()


async def enter_path(app, pilot, path: str):
    """In the file prompt: put the path in the box (typing 60 characters adds nothing) and press Enter."""
    app.screen.query_one("#path-value").value = path
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_editing_a_weight_changes_the_forward_pass(size, sigma, drive, message, values_text):
    """w₂₁⁽¹⁾ = 0,3 (decimal comma): z₁⁽¹⁾ = 0.15·0.05 + 0.3·0.10 + 0.35 = 0.3875, and z undoes the edit."""

    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        await choose(app, pilot, "weights.W1[1][0]")
        await type_value(pilot, "0,3")
        assert message(app, "edit-message") == "w₂₁⁽¹⁾ = 0.3000: the model starts over (z undoes)."
        assert "0.3000" in str(
            app.screen.query_one("#edit-fields").get_option_at_index(field_index(app, "weights.W1[1][0]")).prompt
        )
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EditScreen)
        await pilot.press("f")
        await pilot.pause()
        z11 = 0.15 * 0.05 + 0.3 * 0.10 + 0.35
        h = app.snapshot.forward1
        assert h.z1[0] == pytest.approx(z11, abs=1e-15) and h.a1[0] == pytest.approx(sigma(z11))
        assert h.z1[1] == pytest.approx(0.20 * 0.05 + 0.30 * 0.10 + 0.35, abs=1e-15)  # unchanged
        assert "0.3875" in values_text(app)
        await pilot.press("z", "z")
        await pilot.pause()
        assert app.snapshot.params == presets.lecture().params and app.snapshot.phase is Phase.READY

    drive(scenario, size=size)


def test_editing_eta_and_a_target_changes_the_update(sigma, drive):
    """η = 0.25 and y = 0.5: w₁₁⁽²⁾ ← 0.40 − 0.25·a₁⁽¹⁾·(ŷ − 0.5)ŷ(1 − ŷ)."""

    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "learning_rate")
        await type_value(pilot, "0,25")
        await choose(app, pilot, "data.y[0]")
        await type_value(pilot, "0.5")
        await pilot.press("escape", "s")
        await pilot.pause()
        a1, a2 = sigma(0.3825), sigma(0.39)
        yhat = sigma(0.40 * a1 + 0.45 * a2 + 0.60)
        delta2 = (yhat - 0.5) * yhat * (1 - yhat)
        assert app.snapshot.lr == 0.25 and app.snapshot.y == 0.5
        assert app.snapshot.params.W2[0][0] == pytest.approx(0.40 - 0.25 * a1 * delta2, rel=1e-12)
        assert app.snapshot.params.b2[0] == pytest.approx(0.60 - 0.25 * delta2, rel=1e-12)

    drive(scenario)


def test_adding_and_deleting_data_rows(drive, message):
    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "add_row")
        assert app.stepper.snapshot.m == 2
        await choose(app, pilot, "data.x[1][0]")
        await type_value(pilot, "1")
        await pilot.press("escape", "s", "f")  # sample 1, then sample 2's forward pass
        await pilot.pause()
        assert app.snapshot.sample == 1 and app.snapshot.x.tolist() == [1.0, 0.10]
        p = app.snapshot.params  # after sample 1's update
        assert app.snapshot.forward1.z1[0] == pytest.approx(p.W1[0][0] * 1.0 + p.W1[1][0] * 0.10 + p.b1[0], abs=1e-15)
        assert "sample 2 of 2" in app.query_one(StatusLine).render().plain
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "del_row")
        assert app.stepper.snapshot.m == 1
        before = app.stepper.snapshot
        await pilot.press("enter")  # deleting the only row is refused
        await pilot.pause()
        assert app.stepper.snapshot is before
        assert message(app, "edit-message") == "data: the data set needs at least one row"

    drive(scenario)


def test_enter_on_an_activation_cycles_it(drive, message):
    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "output_activation")
        assert app.snapshot.output == "tanh"
        assert message(app, "edit-message") == "output activation = tanh: the model starts over (z undoes)."

    drive(scenario)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("abc", "w₁₁⁽¹⁾ (weights.W1[0][0]): expected a number such as 0.3825, got 'abc'"),
        ("1,2,3", "w₁₁⁽¹⁾ (weights.W1[0][0]): expected a number such as 0.3825, got '1,2,3'"),
        ("nan", "w₁₁⁽¹⁾ (weights.W1[0][0]): expected a number such as 0.3825, got 'nan'"),
    ],
)
def test_a_bad_value_changes_nothing(text, expected, drive, message):
    async def scenario(app, pilot):
        history = app.stepper.history
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "weights.W1[0][0]")
        await type_value(pilot, text)
        assert message(app, "edit-message") == expected
        assert app.stepper.history == history and app.snapshot is history[-1]
        assert app.screen.editing is not None  # still typing: the value can be corrected
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.stepper.history == history

    drive(scenario)


def test_a_learning_rate_of_zero_changes_nothing(drive, message):
    async def scenario(app, pilot):
        history = app.stepper.history
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "learning_rate")
        await type_value(pilot, "-0,5")
        assert message(app, "edit-message") == "η (learning_rate): expected a number > 0, got '-0,5'"
        assert app.stepper.history == history and app.snapshot.lr == 0.5

    drive(scenario, size=(80, 24))


def test_enter_on_an_unchanged_value_makes_no_undo_step(drive):
    async def scenario(app, pilot):
        history = app.stepper.history
        app.stepper.finish_sample()  # weights with many digits: 0.14978…
        app.snapshot = app.stepper.snapshot
        history = app.stepper.history
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "weights.W1[0][0]")
        await pilot.press("enter")
        await pilot.pause()
        assert app.stepper.history == history

    drive(scenario)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def cli_error(capsys, path) -> str:
    assert cli.main(["trace", "--config", path]) == 2
    return capsys.readouterr().err.strip().removeprefix("backprop-tui: error: ")


@pytest.mark.parametrize(
    "content",
    [
        "[data]\nx = [[0.1, 0.2]]\ny = [1.5, 2]\n",
        "[data]\nx = [[0.1, 0.2]]\ny = [1.5]\n[weights]\nW1 = [[0.1, 0.2]]\n",
        "learning_rate = 0\n[data]\nx = [[0.1, 0.2]]\ny = [1.5]\n",
        "this is not toml",
        None,  # no such file
    ],
)
def test_a_bad_file_changes_nothing_and_says_what_the_command_line_says(tmp_path, capsys, content, drive, message):
    path = str(tmp_path / "missing.toml") if content is None else write(tmp_path / "bad.toml", content)
    expected = cli_error(capsys, path)
    with pytest.raises(config.ConfigError) as e:
        config.load_model(path)
    assert str(e.value) == expected

    async def scenario(app, pilot):
        await pilot.press("f")
        await pilot.pause()
        history, snapshot = app.stepper.history, app.snapshot
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        await enter_path(app, pilot, path)
        assert message(app, "path-message") == f"{expected}\nNot opened; nothing changed."
        await pilot.press("escape")
        await pilot.pause()
        assert app.stepper.history == history and app.snapshot is snapshot and app.stepper.model.name == "lecture"

    drive(scenario)


def test_save_then_open_round_trips(tmp_path, drive):
    path = str(tmp_path / "edited.toml")

    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "weights.b2[0]")
        await type_value(pilot, "0.123456789")
        await choose(app, pilot, "data.x[0][0]")
        await type_value(pilot, "0,7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one("#path-value").value == "./lecture.toml"  # the default
        await enter_path(app, pilot, path)
        assert isinstance(app.screen, EditScreen)  # saved: back where ctrl+s was pressed
        saved = config.load_model(path)
        assert saved.params.b2[0] == 0.123456789 and saved.X.tolist() == [[0.7, 0.10]]
        assert same_numbers(saved, app.stepper.model)
        await choose(app, pilot, "weights.b2[0]")  # change it again, then open the saved file
        await type_value(pilot, "9")
        await pilot.press("escape", "o")
        await pilot.pause()
        assert app.screen.query_one("#path-value").value == path  # the last file is the default
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathScreen)
        assert same_numbers(app.stepper.model, saved) and app.snapshot.params.b2[0] == 0.123456789
        assert app.snapshot.name == "edited" and app.snapshot.phase is Phase.READY
        assert "Opened" in app.query_one(ExplainPanel).render().plain
        await pilot.press("z")  # undo: back to before the file was opened
        await pilot.pause()
        assert app.snapshot.params.b2[0] == 9.0

    drive(scenario)


def test_save_never_overwrites_silently(tmp_path, drive, message):
    path = write(tmp_path / "keep.toml", "[data]\nx = [[1, 2]]\ny = [3]\n")

    async def scenario(app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        await enter_path(app, pilot, path)
        assert isinstance(app.screen, PathScreen)
        assert message(app, "path-message") == f"{path} exists: Enter again replaces it."
        assert (tmp_path / "keep.toml").read_text() == "[data]\nx = [[1, 2]]\ny = [3]\n"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathScreen)
        assert same_numbers(config.load_model(path), presets.lecture())

    drive(scenario)


def test_save_into_a_missing_folder_says_so(tmp_path, drive, message):
    path = str(tmp_path / "no" / "such" / "m.toml")

    async def scenario(app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        await enter_path(app, pilot, path)
        assert isinstance(app.screen, PathScreen)
        assert message(app, "path-message").startswith(f"{path}: cannot write the file: ")
        assert not (tmp_path / "no").exists()

    drive(scenario, size=(80, 24))


def keybar_width() -> int:
    """A terminal wide enough for the key bar to show every key (it drops the least used first)."""
    return sum(len(k) + len(t(label)) + 3 for k, label, _ in KEYBAR_KEYS) + 2


def test_keys_are_listed_in_help_and_keybar(drive):
    for lang, words in (
        ("en", ("quiz", "edit weights", "open a model file", "save the model")),
        ("pt", ("quiz", "editar pesos", "abrir arquivo de modelo", "salvar o modelo")),
    ):
        text = help_text(lang, 120).plain
        assert all(w in text for w in words), lang
        lines = help_text(lang, 78).plain.splitlines()  # the help body's width at 80×24
        for key in ("k", "w", "o", "^s"):  # in the right-hand column, not cut short
            line = next(x for x in lines if f" {key} " in x[30:])
            assert "…" not in line[line.index(f" {key} ", 30) :], line

    async def scenario(app, pilot):
        bar = app.query_one(KeyBar).render().plain
        assert "w edit" in bar and "o open" in bar and "^s save" in bar

    drive(scenario, size=(keybar_width(), 40))


def test_the_prompts_offer_the_file_given_on_the_command_line(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from tui.app import app as app_module

    path = write(tmp_path / "class.toml", "[data]\nx = [[1, 2]]\ny = [3]\n")
    seen = {}
    monkeypatch.setattr(app_module.BackpropApp, "run", lambda self, **kw: seen.setdefault("app", self))
    monkeypatch.setattr(app_module, "not_a_terminal", lambda: None)  # the tests run without a terminal
    assert app_module.run(config.load_model(path), SimpleNamespace(config=path)) == 0
    assert seen["app"].model_files.model_path == path and seen["app"].model_files.default_path() == path
    assert BackpropApp(presets.load("xor")).model_files.default_path() == "./xor.toml"


def test_r_after_z_starts_from_the_model_on_screen(tmp_path, drive):
    """Issue 18: w, y = 0.9, Esc, z (y = 0.01 on screen), r: y stays 0.01; the same after o, z, r."""
    path = write(tmp_path / "other.toml", "[data]\nx = [[1, 2]]\ny = [0.9]\n")

    async def scenario(app, pilot):
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "data.y[0]")
        await type_value(pilot, "0.9")
        await pilot.press("escape", "z")
        await pilot.pause()
        assert app.snapshot.y == 0.01
        await pilot.press("r", "f", "f")
        await pilot.pause()
        assert app.snapshot.y == 0.01 and app.snapshot.params == presets.lecture().params
        assert "½(0.7514 − 0.01)² = 0.2748" in app.query_one(ExplainPanel).render().plain
        await pilot.press("o")
        await pilot.pause()
        await enter_path(app, pilot, path)
        assert app.snapshot.name == "other"
        await pilot.press("z", "r")
        await pilot.pause()
        assert app.snapshot.name == "lecture" and app.snapshot.X.tolist() == [[0.05, 0.10]]
        assert app.snapshot.y == 0.01 and app.snapshot.params == presets.lecture().params

    drive(scenario)
