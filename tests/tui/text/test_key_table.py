"""The key table (tui/text/keys.py KEY_TABLE) against DESIGN §5 and the engine: every key of the contract
is in it with its action, its names are Textual's, its labels exist in every language, and what it
says about the micro-step keys (which phases f, b, u and space reach, the next key) is what the
Stepper does. tests/tui/app/test_key_table_app.py checks that the app shows and binds this table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import presets
from engine import stepper as stepper_module
from engine.stepper import Phase, Refused, Stepper
from tui.text.i18n import LANGS, t
from tui.text.key_names import is_key_name
from tui.text.keys import (
    KEY_TABLE,
    MICRO_STEP_KEYS,
    bar_actions,
    bar_items,
    help_rows,
    key_for,
    keys_of,
    next_key,
    palette_commands,
    phase_after,
    written,
)

# DESIGN §5 (written out here, not read from the table): the key as Textual names it → the App action.
DESIGN_KEYS = {
    "f": "forward",
    "b": "backward",
    "u": "update",
    "space": "step",
    "s": "finish_sample",
    "e": "finish_epoch",
    "p": "play",
    "z": "undo",
    "y": "redo",
    "a": "activation",
    "plus": "lr_up",
    "minus": "lr_down",
    "r": "reset",
    "g": "gradcheck",
    "question_mark": "help",
    "q": "quit",
}
# The keys the app adds (docs/KEYS.md): the same for them.
EXTRA_KEYS = {
    "v": "activation_view",
    "c": "compare",
    "x": "export",
    "W": "sweep",
    "d": "depth",
    "L": "log_scale",
    "l": "language",
    "t": "theme",
    "k": "quiz",
    "w": "edit",
    "o": "open",
    "ctrl+s": "save",
    "f1": "help",
    "equals_sign": "lr_up",
    "underscore": "lr_down",
    "h": "surface",
    "T": "predictions",
    "R": "reset_loaded",
    "C": "chain",
    "down": "explain_down",
    "pagedown": "explain_down",
    "up": "explain_up",
    "pageup": "explain_up",
    "P": "numpy_lines",
    "ctrl+p": "command_palette",
    "m": "batch_mode",  # issue 19, exercise 4(a)
    "F": "follow",
}  # issue 22: a student back to the lecturer's state


def table_names() -> dict[str, str]:
    return {name: key.action for key in KEY_TABLE for name in key.names}


def test_the_table_has_exactly_the_keys_of_design_and_the_extra_ones():
    assert table_names() == DESIGN_KEYS | EXTRA_KEYS


def test_each_key_and_each_action_is_in_the_table_once():
    names = [name for key in KEY_TABLE for name in key.names]
    assert len(names) == len(set(names))
    actions = [key.action for key in KEY_TABLE]
    assert len(actions) == len(set(actions))
    shown = [key.shown for key in KEY_TABLE]
    assert len(shown) == len(set(shown))


def test_every_name_is_a_key_textual_knows():
    assert all(is_key_name(name) for key in KEY_TABLE for name in key.names)


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_exists_in_every_language(lang):
    for key in KEY_TABLE:
        for label in filter(None, (key.bar, key.help, key.playing_bar, key.named)):
            assert t(label, lang).strip(), (key.action, label, lang)


def test_the_key_bar_and_the_help_list_every_key_of_the_table_in_its_order():
    bar = [shown for shown, _, _ in bar_items()]
    assert "".join(bar) == "".join(key.shown for key in KEY_TABLE)
    assert {label for _, label, _ in bar_items()} == {key.bar for key in KEY_TABLE}
    assert ("+-", "ui_key_lr", 4) in bar_items() and ("␣", "ui_key_step", 2) in bar_items()
    written = [w for row, _ in help_rows() for w in row.split("  ")]
    assert written == [key.spelled or key.shown for key in KEY_TABLE]
    assert {label for _, label in help_rows()} == {key.help for key in KEY_TABLE}
    assert ("z  y", "ui_help_zy") in help_rows() and ("space", "ui_help_space") in help_rows()


@pytest.mark.parametrize("lang", LANGS)
def test_the_command_palette_names_every_other_key_once_in_each_language(lang):
    """ctrl+p finds a key by its name: every key of the table but the palette's own, each under a name
    no other has (z and y share a help row, "undo / redo one step", but not a name)."""
    commands = palette_commands(lang)
    assert [key.action for key, _ in commands] == [key.action for key in KEY_TABLE if key.action != "command_palette"]
    names = [name for _, name in commands]
    assert len(set(names)) == len(names) and all(name.strip() for name in names)
    by_action = {key.action: name for key, name in commands}
    assert by_action["undo"] == t("ui_cmd_undo", lang) != by_action["redo"]
    assert by_action["forward"] == t("ui_help_f", lang)  # otherwise the help page's label
    assert written(key_for("step"), lang) == t("key_space", lang) and written(key_for("save"), lang) == "^s"


def test_playing_changes_only_the_play_keys_label():
    changed = [(a, b) for a, b in zip(bar_items(), bar_items(playing=True)) if a != b]
    assert changed == [(("p", "ui_key_play", 1), ("p", "ui_key_pause", 1))]


def test_keys_of_gives_the_binding_of_an_action():
    assert keys_of("lr_up") == "plus,equals_sign" and keys_of("save") == "ctrl+s"
    assert key_for("export") is not None and key_for("export").names == ("x",)
    assert key_for(None) is None and key_for("no_such_action") is None


# --- the micro-step keys against the Stepper -----------------------------------------------------


def stepper_at_every_phase() -> list[Stepper]:
    """A Stepper at each phase of two samples (READY, F1 … U, then F1 … U of the next sample)."""
    out = []
    for n in range(11):
        s = Stepper(presets.lecture())
        for _ in range(n):
            s.step()
        out.append(s)
    return out


def test_phase_after_is_where_the_engines_next_micro_step_goes():
    seen = set()
    for s in stepper_at_every_phase():
        before = s.snapshot.phase
        seen.add(before)
        assert s.step().phase is phase_after(before), before
    assert seen == set(Phase)


def test_the_micro_step_keys_are_f_b_u_and_space():
    assert [key.names for key in MICRO_STEP_KEYS] == [("f",), ("b",), ("u",), ("space",)]


@pytest.mark.parametrize("key", MICRO_STEP_KEYS, ids=lambda k: k.action)
def test_a_micro_step_key_does_the_phases_the_table_says_and_only_from_where_it_says(key):
    reached = set()
    for s in stepper_at_every_phase():
        before = s.snapshot.phase
        do = getattr(s, key.action)  # the App runs the Stepper method of the same name (BackpropApp.micro_step)
        if key.steps_from(before):
            after = do().phase
            assert after is phase_after(before) and after in key.does, (key.action, before)
            reached.add(after)
        else:
            with pytest.raises(Refused):
                do()
    assert reached == key.does


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_the_next_key_is_the_one_of_f_b_u_that_does_the_next_micro_step(phase):
    key = next_key(phase)
    assert key.names[0] in "fbu" and key.steps_from(phase)
    assert [k for k in MICRO_STEP_KEYS if k.steps_from(phase)] == [key, key_for("step")]


def test_every_refusal_names_an_action_of_the_table():
    """Refused.expected is what the refusal notice turns into "press X": each one the Stepper can
    raise is the action of a key in the table."""
    source = Path(stepper_module.__file__).read_text(encoding="utf-8")
    expected = set(re.findall(r'Refused\("\w+", "(\w+)"\)', source))
    assert expected >= {"forward", "backward", "update", "reset", "finish_epoch"}
    assert all(key_for(e) is not None for e in expected), expected


def test_the_command_line_checks_key_names_without_loading_the_key_table():
    """tui/host/script.py checks --keys with tui/text/key_names.py: `backprop-tui presets`, `sweep` and
    `--help` start without the Stepper the key table imports."""
    code = "import sys, tui.cli.commands; print(sorted({'tui.text.keys', 'engine.stepper'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.stdout.strip() == "[]"


def test_bar_actions_follow_the_bar_items():
    """A click on a key-bar item runs the actions of its keys: one per key shown, in the same order."""
    items, actions = bar_items(), bar_actions()
    assert len(items) == len(actions)
    for (shown, _, _), keys in zip(items, actions):
        assert "".join(k for k, _ in keys) == shown
        assert all(key_for(action).shown == k for k, action in keys)
    assert ("+", "lr_up") in actions[[i for i, (shown, _, _) in enumerate(items) if shown == "+-"][0]]
