"""The key table: every key of the App once, without Textual (DESIGN §3: tui/text holds it).

KEY_TABLE holds every key of DESIGN §5 and the keys the app adds: its Textual name(s), how it is
shown, its App action, its key-bar and help labels, and for f, b, u and space the phases they reach.
App.BINDINGS, the key bar, the help page, the "next key" hint, a refusal's "press X" and the quiz's
micro-steps are derived from it (tests/tui/text/test_key_table.py, tests/tui/app/test_key_table_app.py).
Key names themselves are checked in tui/text/key_names.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.stepper import Phase
from tui.text.i18n import language_names, t, template


@dataclass(frozen=True)
class Key:
    """One key of DESIGN §5 (or one the app adds) and everything said or done about it."""

    action: str  # the App action it runs (BackpropApp.action_<action>); Refused.expected names these too
    names: tuple[str, ...]  # the key(s) as Textual names them; the first is the one scripts and tests press
    shown: str  # as the key bar and the hints write it ("␣", "^s")
    bar: str  # i18n key of its key-bar label; neighbours with the same label are one item ("+-")
    priority: int  # in the key bar: lower survives longer when the terminal is narrow
    help: str  # i18n key of its help label; neighbours with the same label are one row ("z  y")
    spelled: str = ""  # as the help page writes it, when not as shown ("space")
    does: frozenset[Phase] = frozenset()  # a micro-step key: the phases it moves the Stepper to
    playing_bar: str = ""  # i18n key of its key-bar label while training plays, when it changes
    named: str = ""  # i18n key of its name in the command palette (ctrl+p), when not its help label
    # (which neighbours may share: "undo / redo one step" names two commands)
    over: frozenset[str] = frozenset()  # the overlays (OVERLAYS) it still works over; over the others it does
    # nothing (the overlay's own keys come first: tui/app/screens/base.py)

    def steps_from(self, phase: Phase, mid_batch: bool = False) -> bool:
        """It does the micro-step that follows `phase` (space always; f, b or u in their phases);
        `mid_batch`: B1 of a sample that is not its batch's last (Snapshot.mid_batch)."""
        return phase_after(phase, mid_batch) in self.does

    @property
    def binding(self) -> str:
        """The key(s) as Textual's Binding takes them: "plus,equals_sign"."""
        return ",".join(self.names)


_ALL = frozenset(Phase) - {Phase.READY}  # space: whatever micro-step comes next

# The screens shown over the main one (tui/app/screens/, each names itself by its OVERLAY): the key
# that opens it, where it has one of its own; "file" is the prompt of o and ctrl+s.
OVERLAYS = (
    "help",
    "edit",
    "file",
    "gradcheck",
    "activation_view",
    "chain",
    "sweep",
    "depth",
    "compare",
    "predictions",
    "surface",
)
# Over the views that follow the App's moment the keys that move it still work, as each view lists;
# over the editor and the file prompt the model does not move (issue 9).
_STEPS = frozenset({"activation_view", "chain", "predictions", "surface"})  # f b u space: the micro-steps shown
_HISTORY = frozenset({"chain", "predictions", "surface"})  # z y
_PLAYS = frozenset({"predictions", "surface"})  # e p
_VIEWS = frozenset({"gradcheck", "activation_view", "chain", "sweep", "depth", "compare", "predictions", "surface"})

KEY_TABLE: tuple[Key, ...] = (
    Key("forward", ("f",), "f", "ui_key_forward", 0, "ui_help_f", does=frozenset({Phase.F1, Phase.F2}), over=_STEPS),
    Key("backward", ("b",), "b", "ui_key_backward", 0, "ui_help_b", does=frozenset({Phase.B2, Phase.B1}), over=_STEPS),
    Key("update", ("u",), "u", "ui_key_update", 0, "ui_help_u", does=frozenset({Phase.U}), over=_STEPS),
    Key("step", ("space",), "␣", "ui_key_step", 2, "ui_help_space", spelled="space", does=_ALL, over=_STEPS),
    Key("finish_sample", ("s",), "s", "ui_key_sample", 2, "ui_help_s", over=_HISTORY | {"compare"}),
    Key("finish_epoch", ("e",), "e", "ui_key_epoch", 2, "ui_help_e", over=_PLAYS),
    Key("play", ("p",), "p", "ui_key_play", 1, "ui_help_p", playing_bar="ui_key_pause", over=_PLAYS),
    Key("undo", ("z",), "z", "ui_key_undo", 1, "ui_help_zy", named="ui_cmd_undo", over=_HISTORY),
    Key("redo", ("y",), "y", "ui_key_redo", 3, "ui_help_zy", named="ui_cmd_redo", over=_HISTORY),
    Key(
        "activation",
        ("a",),
        "a",
        "ui_key_activation",
        4,
        "ui_help_a",
        over=frozenset({"activation_view", "chain", "surface"}),
    ),
    Key("lr_up", ("plus", "equals_sign"), "+", "ui_key_lr", 4, "ui_help_pm", named="ui_cmd_lr_up"),
    Key("lr_down", ("minus", "underscore"), "-", "ui_key_lr", 4, "ui_help_pm", named="ui_cmd_lr_down"),
    Key("reset", ("r",), "r", "ui_key_reset", 3, "ui_help_r", over=frozenset({"surface"})),
    # issue 19: η and activations too
    Key("reset_loaded", ("R",), "R", "ui_key_reset_loaded", 5, "ui_help_R", over=frozenset({"surface"})),
    # issue 19: per-sample → full batch → mini-batch (§2.1's 1/m), from the next epoch when pressed mid-epoch
    Key("batch_mode", ("m",), "m", "ui_key_batch", 4, "ui_help_m"),
    Key("gradcheck", ("g",), "g", "ui_key_gradcheck", 5, "ui_help_g"),
    Key("activation_view", ("v",), "v", "ui_key_activation_view", 5, "ui_help_v"),
    Key("compare", ("c",), "c", "ui_key_compare", 5, "ui_help_c"),
    Key("surface", ("h",), "h", "ui_key_surface", 5, "ui_help_h"),
    Key("export", ("x",), "x", "ui_key_export", 5, "ui_help_x", over=_VIEWS | {"help"}),
    Key("sweep", ("W",), "W", "ui_key_sweep", 6, "ui_help_W"),
    Key("depth", ("d",), "d", "ui_key_depth", 6, "ui_help_d"),
    Key("predictions", ("T",), "T", "ui_key_predictions", 6, "ui_help_T"),
    Key(
        "chain", ("C",), "C", "ui_key_chain", 6, "ui_help_C"
    ),  # issue 19: exercise 6(a), the chain rule in words  # issue 13: did it learn the truth table?
    Key("log_scale", ("L",), "L", "ui_key_log", 6, "ui_help_L", over=frozenset({"compare"})),
    # issue 19, exercise 4(a): the NumPy lines of each micro-step in Explain instead of its equations
    Key("numpy_lines", ("P",), "P", "ui_key_numpy", 6, "ui_help_P"),
    Key("language", ("l",), "l", "ui_key_lang", 6, "ui_help_l", over=_VIEWS - {"sweep"}),
    Key("theme", ("t",), "t", "ui_key_theme", 6, "ui_help_t", over=frozenset({"surface"})),
    # issue 18: a panel too short for its lines says "▼ 5 more · ↓/PgDn" and these scroll it by a page
    Key("explain_down", ("down", "pagedown"), "↓", "ui_key_more", 6, "ui_help_more", named="ui_cmd_more_down"),
    Key("explain_up", ("up", "pageup"), "↑", "ui_key_more", 6, "ui_help_more", named="ui_cmd_more_up"),
    Key("quiz", ("k",), "k", "ui_key_quiz", 4, "ui_help_k"),
    Key("follow", ("F",), "F", "ui_key_follow", 6, "ui_help_F"),  # issue 22: a student back to the lecturer's state
    Key("edit", ("w",), "w", "ui_key_edit", 5, "ui_help_w"),
    Key("open", ("o",), "o", "ui_key_open", 6, "ui_help_o", over=frozenset({"edit"})),
    Key("save", ("ctrl+s",), "^s", "ui_key_save", 6, "ui_help_cs", over=frozenset({"edit"})),
    # Textual's command palette (its convention's key), offering every other key of this table by name
    Key("command_palette", ("ctrl+p",), "^p", "ui_key_palette", 6, "ui_help_cp"),
    Key(
        "help",
        ("question_mark", "f1"),
        "?",
        "ui_key_help",
        0,
        "ui_help_help",
        named="ui_help_title",
        over=(_VIEWS - {"gradcheck", "sweep"}) | {"edit"},
    ),
    Key("quit", ("q",), "q", "ui_key_quit", 0, "ui_help_q"),
)

_BY_ACTION = {key.action: key for key in KEY_TABLE}
MICRO_STEP_KEYS = tuple(key for key in KEY_TABLE if key.does)  # f, b, u, space


def key_for(action: str | None) -> Key | None:
    """The table's key for an App action (a Refused.expected, a quiz's pending step); None if none."""
    return _BY_ACTION.get(action) if action is not None else None


def keys_of(action: str) -> str:
    """The Binding key string of the table's key for an App action: a screen that passes the key on to
    the App (Binding(keys_of("export"), "app.export")) binds the same key(s)."""
    return _BY_ACTION[action].binding


def passes_over(overlay: str) -> tuple[Key, ...]:
    """The keys of the table that still work over `overlay` (one of OVERLAYS), in table order: the overlay
    binds them to the App's actions (tui/app/screens/base.py TopScreen)."""
    return tuple(key for key in KEY_TABLE if overlay in key.over)


def written(key: Key, lang: str = "en") -> str:
    """The key as the help page and the command palette write it in `lang`: a spelled key in the
    language's word (i18n key_<spelled>: space, espaço), else as shown."""
    return t("key_" + key.spelled, lang) if key.spelled else key.shown


def label(key: str, lang: str = "en") -> str:
    """A key's help or name label (its i18n key) in `lang`: `l`'s lists the languages of the catalogs
    (reading each catalog for its name, so only for a label that names them)."""
    if "{languages}" in template(key, lang):
        return t(key, lang, languages=language_names())
    return t(key, lang)


def palette_commands(lang: str = "en") -> tuple[tuple[Key, str], ...]:
    """The command palette's commands: every key of the table but the palette's own, with its name in
    `lang` (its `named` label, else its help label), in table order."""
    return tuple((key, label(key.named or key.help, lang)) for key in KEY_TABLE if key.action != "command_palette")


def _runs(table: tuple[Key, ...], label: str) -> list[list[Key]]:
    """The table cut into runs of neighbours that share the i18n label named by `label`."""
    runs: list[list[Key]] = []
    for key in table:
        if runs and getattr(runs[-1][0], label) == getattr(key, label):
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


def bar_items(playing: bool = False) -> tuple[tuple[str, str, int], ...]:
    """The key bar: (key shown, i18n label, priority), in table order; `playing` swaps p's label."""
    return tuple(
        ("".join(k.shown for k in run), (run[0].playing_bar if playing else "") or run[0].bar, run[0].priority)
        for run in _runs(KEY_TABLE, "bar")
    )


def bar_actions() -> tuple[tuple[tuple[str, str], ...], ...]:
    """(key shown, App action) of each key of each key-bar item, in bar_items' order ("+-" is lr_up,
    then lr_down): what a click on an item runs (tui/app/widgets/keybar.py)."""
    return tuple(tuple((k.shown, k.action) for k in run) for run in _runs(KEY_TABLE, "bar"))


def help_rows(lang: str = "en") -> tuple[tuple[str, str], ...]:
    """The help page's key rows: (key as written in `lang`, i18n label), in table order; a spelled key
    is written in the language's word (see written)."""
    return tuple(("  ".join(written(k, lang) for k in run), run[0].help) for run in _runs(KEY_TABLE, "help"))


def phase_after(phase: Phase, mid_batch: bool = False) -> Phase:
    """The phase the next micro-step reaches: the engine's order F1 F2 B2 B1 U (Phase's own), and after
    U the next sample's F1 (tests/tui/text/test_key_table.py checks it against Stepper.step). In batch
    mode, B1 of a sample before its batch's last goes on to the next sample's F1 (`mid_batch`)."""
    if mid_batch and phase is Phase.B1:
        return Phase.F1
    order = [p for p in Phase if p is not Phase.READY]
    return order[0] if phase is Phase.READY else order[(order.index(phase) + 1) % len(order)]


def next_key(phase: Phase, mid_batch: bool = False) -> Key:
    """The key that does the next micro-step from `phase` (f, b or u: the first in the table that does it)."""
    return next(key for key in MICRO_STEP_KEYS if key.steps_from(phase, mid_batch))
