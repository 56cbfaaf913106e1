"""Editing the model in the app (issue 4, item 2): the `w` screen, the open/save prompt, the App's side.

    w   the Edit screen: every weight, bias, η, activation and data value in a list; Enter edits the
        highlighted one (0.3825 or 0,3825), data rows can be added or deleted
    o   open a model file (TOML), ctrl+s save the model as one (engine.config: validated, atomic)

An edit builds a new Model from what the screen shows now (the current parameters, data and
settings, so a value changed after some training starts from the trained weights) and hands it to
Stepper.load_model: the model starts over and one z goes back to before the edit. A value that is
not a number, a learning rate ≤ 0 or a file that does not load changes nothing and says why; a bad
file with the same ConfigError line the command line prints.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine import activations, config
from engine.model import Model
from engine.network import Params
from engine.stepper import Snapshot
from tui.host import files
from tui.text import fmt
from tui.app.notice import Notice
from tui.text.i18n import t
from tui.app.screens.base import TopScreen
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import PATH_LENGTH, SteadyInput


# --- the model's fields, pure -----------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One editable thing. `key` locates it: ("W1", i, j) with 0-based indices as stored, ("x", row, col),
    ("lr",), ("hidden",) …; `config` is its name in a model file, as ConfigError names it."""

    key: tuple
    symbol: str
    config: str

    @property
    def kind(self) -> str:
        return self.key[0]


# A data set of more rows than this lists its first ones and its last one: a list of 300 000 lines
# took a minute to build, on the UI thread, and no one scrolls through it. The rest: the model file.
EDIT_ROWS = 100


def model_fields(model: Model) -> list[Field]:
    """η, the activations, the parameters in the notes' order, then the data rows, then row actions.

    Beyond EDIT_ROWS rows: the first EDIT_ROWS − 1, a ("more_rows", n) line for the n not listed,
    and the last row (the one add and delete act on)."""
    out = [Field(("lr",), "η", "learning_rate"), Field(("hidden",), "", "activation"),
           Field(("output",), "", "output_activation")]
    for i in (1, 2):
        for j in (1, 2):
            out.append(Field(("W1", i - 1, j - 1), fmt.weight(i, j, 1), f"weights.W1[{i - 1}][{j - 1}]"))
    for j in (1, 2):
        out.append(Field(("b1", j - 1), fmt.bias(j, 1), f"weights.b1[{j - 1}]"))
    for i in (1, 2):
        out.append(Field(("W2", i - 1, 0), fmt.weight(i, 1, 2), f"weights.W2[{i - 1}][0]"))
    out.append(Field(("b2", 0), fmt.sym("b", None, 2), "weights.b2[0]"))
    rows = range(model.m) if model.m <= EDIT_ROWS else [*range(EDIT_ROWS - 1), model.m - 1]
    for r in rows:
        if r == model.m - 1 and model.m > EDIT_ROWS:
            out.append(Field(("more_rows", model.m - EDIT_ROWS), "", ""))
        out.append(Field(("x", r, 0), f"x{fmt.sub(1)}", f"data.x[{r}][0]"))
        out.append(Field(("x", r, 1), f"x{fmt.sub(2)}", f"data.x[{r}][1]"))
        out.append(Field(("y", r), "y", f"data.y[{r}]"))
    out.append(Field(("add_row",), "", ""))
    out.append(Field(("del_row",), "", ""))
    return out


def field_value(model: Model, key: tuple) -> float | str:
    kind = key[0]
    if kind == "lr":
        return model.lr
    if kind == "hidden":
        return model.hidden
    if kind == "output":
        return model.output
    if kind in ("W1", "b1", "W2", "b2"):
        return float(getattr(model.params, kind)[key[1:]])
    if kind == "x":
        return float(model.X[key[1], key[2]])
    if kind == "y":
        return float(model.Y[key[1]])
    raise KeyError(key)


def with_value(model: Model, key: tuple, value: float) -> Model:
    """A new Model with one number changed; ValueError when the Model refuses it (η ≤ 0)."""
    kind = key[0]
    if kind == "lr":
        return model.with_(lr=value)
    if kind in ("W1", "b1", "W2", "b2"):
        arrays = {name: np.array(getattr(model.params, name)) for name in ("W1", "b1", "W2", "b2")}
        arrays[kind][key[1:]] = value
        return model.with_(params=Params(**arrays))
    if kind == "x":
        X = np.array(model.X)
        X[key[1], key[2]] = value
        return model.with_(X=X)
    if kind == "y":
        Y = np.array(model.Y)
        Y[key[1]] = value
        return model.with_(Y=Y)
    raise KeyError(key)


def with_next_activation(model: Model, key: tuple) -> Model:
    """Enter on an activation cycles it: the hidden ones (sigmoid → tanh → relu), the output ones
    (… → linear)."""
    names = activations.HIDDEN_ACTIVATIONS if key[0] == "hidden" else activations.OUTPUT_ACTIVATIONS
    now = model.hidden if key[0] == "hidden" else model.output
    nxt = names[(names.index(now) + 1) % len(names)]
    return model.with_(hidden=nxt) if key[0] == "hidden" else model.with_(output=nxt)


def with_row_added(model: Model) -> Model:
    """A copy of the last data row at the end, ready to be edited."""
    return model.with_(X=np.vstack([model.X, model.X[-1:]]), Y=np.append(model.Y, model.Y[-1]))


def with_row_deleted(model: Model) -> Model:
    if model.m == 1:
        raise ValueError("the data set needs at least one row")
    return model.with_(X=model.X[:-1], Y=model.Y[:-1])


def model_now(s: Snapshot, base: Model) -> Model:
    """The model as the screen shows it: the parameters now (only U changes them, so these are the
    ones the next forward pass uses), the data set, η and the activations as set now."""
    return base.with_(name=s.name, params=s.params, X=s.X, Y=s.Y, hidden=s.hidden, output=s.output, lr=s.lr)


def exact_text(value: float, comma: bool) -> str:
    """The value to start typing from: every digit (repr reads back as the same float), so Enter on an
    unchanged value changes nothing, not even the 5th decimal."""
    text = repr(float(value))
    return text.replace(".", ",") if comma else text


# --- the screens ------------------------------------------------------------------------------

class FieldList(OptionList):
    """The editor's list. Page up / down do nothing while it has no rows on screen (a terminal too
    small, or the key right behind `w`): Textual 8.2's OptionList raised KeyError there."""

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()


class EditScreen(TopScreen):
    """`w`: choose a value with ↑↓, Enter, type, Enter. Each change is applied at once (undoable).

    The list shows the App's model as it is now: no key of the App that steps or trains reaches
    this screen (APP_ACTIONS), so nothing moves behind it; Esc, w or q go back (while typing a
    value, Esc stops typing and the box takes the letters)."""

    APP_ACTIONS = frozenset({"open", "save", "help"})
    BINDINGS = [
        Binding("escape,w,q", "back", show=False),
        Binding("ctrl+s", "app.save", show=False),
        Binding("o", "app.open", show=False),
    ]
    COMPONENT_CLASSES = {"edit--label", "edit--value", "edit--row", "edit--action"}

    def __init__(self, current: Callable[[], Model], apply: Callable[[Model, str, dict], None], lang: str,
                 comma: bool) -> None:
        super().__init__()
        self.current, self.apply, self.lang, self.comma = current, apply, lang, comma
        self.fields: list[Field] = []
        self.editing: Field | None = None

    def t(self, _key: str, /, **values: object) -> str:
        return t(_key, self.lang, **values)

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-body"):
            yield Plain(self.t("ui_edit_title"), id="edit-title")
            yield FieldList(id="edit-fields")
            with Horizontal(id="edit-line"):
                yield Plain(id="edit-label")
                yield SteadyInput(id="edit-value", compact=True, select_on_focus=False)
                yield Plain(self.t("ui_edit_typing"), id="edit-typing")
            yield Plain(id="edit-message")
            yield Plain(self.t("ui_edit_help"), id="edit-help")

    def on_mount(self) -> None:
        self.query_one("#edit-value").can_focus = False
        self.refill()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refill()  # a file may have been opened over this screen

    # --- the list ---
    def refill(self) -> None:
        model = self.current()
        self.fields = model_fields(model)
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.set_options(Option(self.prompt(model, f), disabled=f.kind == "more_rows") for f in self.fields)
        options.highlighted = min(keep or 0, len(self.fields) - 1)

    def style(self, name: str):
        # partial: colours and weight only, so the list's highlight bar shows through
        return self.get_component_rich_style(name, partial=True)

    def prompt(self, model: Model, f: Field) -> Text:
        label, value = self.style("edit--label"), self.style("edit--value")
        if f.kind == "more_rows":
            return Text(self.t("ui_edit_more_rows", n=f.key[1]), self.style("edit--row"))
        if f.kind in ("add_row", "del_row"):
            return Text(self.t("ui_edit_add_row" if f.kind == "add_row" else "ui_edit_del_row"),
                        self.style("edit--action"))
        if f.kind in ("hidden", "output"):
            name = self.t("ui_edit_hidden" if f.kind == "hidden" else "ui_edit_output")
            return Text.assemble((f"{name:<22}", label), (f"{field_value(model, f.key):>12}", value))
        if f.kind in ("x", "y"):
            row = self.t("ui_edit_row", i=f.key[1] + 1)
            text = Text.assemble((f"{row:<12}", self.style("edit--row")), (f"{f.symbol:<10}", label))
        else:
            name = self.t("ui_edit_lr") if f.kind == "lr" else f.symbol
            text = Text(f"{name:<22}", label)
        text.append(f"{fmt.num(field_value(model, f.key), self.comma):>12}", value)
        text.append(f"   {f.config}", "dim")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        f = self.fields[event.option_index]
        model = self.current()
        if f.kind == "add_row":
            self.done(with_row_added(model), "ui_edit_row_added", i=model.m + 1)
        elif f.kind == "del_row":
            if model.m == 1:
                self.say(self.t("ui_edit_last_row"), error=True)
            else:
                self.done(with_row_deleted(model), "ui_edit_row_deleted", i=model.m)
        elif f.kind in ("hidden", "output"):
            new = with_next_activation(model, f.key)
            name = "@ui_edit_hidden" if f.kind == "hidden" else "@ui_edit_output"
            self.done(new, "ui_edit_done", field=name, value=field_value(new, f.key))
        else:
            self.start_typing(f, model)

    # --- typing a value ---
    def start_typing(self, f: Field, model: Model) -> None:
        self.editing = f
        self.add_class("-typing")
        name = self.t("ui_edit_lr") if f.kind == "lr" else f.symbol
        if f.kind in ("x", "y"):
            name = f"{self.t('ui_edit_row', i=f.key[1] + 1)} {f.symbol}"
        self.query_one("#edit-label", Plain).update(f"{name} =")
        box = self.query_one("#edit-value", SteadyInput)
        box.can_focus = True
        box.value = exact_text(field_value(model, f.key), self.comma)
        box.cursor_position = len(box.value)
        box.focus()
        self.say("")

    def stop_typing(self) -> None:
        self.editing = None
        self.remove_class("-typing")
        self.query_one("#edit-value").can_focus = False
        self.query_one(OptionList).focus()

    def on_input_submitted(self, event: SteadyInput.Submitted) -> None:
        event.stop()
        f = self.editing
        if f is None:
            return
        name = f"{f.symbol} ({f.config})"
        try:
            value = fmt.parse_number(event.value)
        except ValueError:
            self.say(self.t("ui_edit_bad_number", field=name, example=fmt.num(0.3825, self.comma),
                            text=event.value.strip()), error=True)
            return
        model = self.current()
        if value == field_value(model, f.key):  # unchanged: no new model, no undo step
            self.stop_typing()
            return
        try:
            new = with_value(model, f.key, value)
        except ValueError:  # the Model's own check: η must be > 0
            self.say(self.t("ui_edit_bad_lr", field=name, text=event.value.strip()), error=True)
            return
        self.stop_typing()
        self.done(new, "ui_edit_done", field=f.symbol, value=fmt.num(value, self.comma))

    def done(self, model: Model, key: str, **values: object) -> None:
        """Hand the new model to the App (which starts over on it) and say what changed."""
        self.apply(model, key, values)
        self.refill()
        # a value "@key" is itself translated, as in the App's Notice
        self.say(self.t(key, **{k: self.t(v[1:]) if str(v).startswith("@") else v for k, v in values.items()}))

    def say(self, message: str, error: bool = False) -> None:
        box = self.query_one("#edit-message", Plain)
        box.update(message)
        box.set_class(error, "-error")

    def action_back(self) -> None:
        if self.editing is not None:
            self.stop_typing()
            self.say("")
        else:
            self.close()


class PathScreen(TopScreen, ModalScreen):
    """A file name prompt for open and save. `handler(path)` does the work and returns None when
    done (the prompt closes) or the message to show (the prompt stays, nothing changed). With a
    `folder` (--files, backprop-tui serve) a name outside it never reaches the handler."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, default: str, handler: Callable[[str], str | None], lang: str,
                 confirm_overwrite: bool = False, folder: str | os.PathLike | None = None) -> None:
        super().__init__()
        self.title_text, self.default, self.handler, self.lang = title, default, handler, lang
        self.confirm_overwrite, self.folder = confirm_overwrite, folder
        self._confirmed: str | None = None  # the existing file the user was warned about

    def compose(self) -> ComposeResult:
        with Vertical(id="path-body"):
            yield Plain(self.title_text, id="path-title")
            yield SteadyInput(self.default, id="path-value", compact=True, select_on_focus=False,
                              max_length=PATH_LENGTH)
            yield Plain(id="path-message")
            yield Plain(t("ui_path_help", self.lang), id="path-help")

    def on_mount(self) -> None:
        self.query_one(SteadyInput).focus()

    def on_input_submitted(self, event: SteadyInput.Submitted) -> None:
        event.stop()
        if not self.on_top:  # a second Enter sent with the first: the file is already done with
            return
        text = event.value.strip()
        if not text:
            return self.say(t("ui_path_empty", self.lang, example=self.default))
        try:
            path = files.user_file(self.folder, text)
        except files.Refused as e:
            self._confirmed = None
            return self.say(e.text(self.lang))
        if self.confirm_overwrite and os.path.exists(path) and path != self._confirmed:
            self._confirmed = path
            return self.say(t("ui_path_exists", self.lang, path=files.display_path(self.folder, path)), error=False)
        problem = self.handler(path)
        if problem is None:
            self.close()
        else:
            self._confirmed = None
            self.say(problem)

    def say(self, message: str, error: bool = True) -> None:
        box = self.query_one("#path-message", Plain)
        box.update(message)
        box.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.close()


class EditActions:
    """The App's side of editing, mixed into BackpropApp (which has `stepper`, `_apply`, `notice`)."""

    model_path: str | None = None  # the file last opened or saved: the next prompt's default
    files_folder: str | None = None  # --files DIR (backprop-tui serve): o, ctrl+s and x stay inside it

    def current_model(self) -> Model:
        return model_now(self.stepper.snapshot, self.stepper.model)

    def _say(self, key: str, **values: object) -> None:
        self.notice = Notice(key, tuple(values.items()))

    def load_edited(self, model: Model, key: str, values: dict) -> None:
        """Start over on an edited model (one undo step); the notice says what changed."""
        if self._apply(lambda: self.stepper.load_model(model)):
            self._say(key, **values)

    def _default_path(self) -> str:
        return self.model_path or os.path.join(".", f"{self.stepper.snapshot.name}.toml")

    def action_edit(self) -> None:
        self._pause(quiet=True)
        self.open_screen(EditScreen, lambda: EditScreen(self.current_model, self.load_edited, self.lang, self.comma))

    def action_open(self) -> None:
        self._pause(quiet=True)
        self.open_screen(PathScreen, lambda: PathScreen(t("ui_path_open_title", self.lang), self._default_path(),
                                                        self.open_model_file, self.lang, folder=self.files_folder))

    def action_save(self) -> None:
        self.open_screen(PathScreen, lambda: PathScreen(t("ui_path_save_title", self.lang), self._default_path(),
                                                        self.save_model_file, self.lang, confirm_overwrite=True,
                                                        folder=self.files_folder))

    def open_model_file(self, path: str) -> str | None:
        """Load and start over on the file's model; a bad file changes nothing and says why."""
        try:
            model = config.load_model(path)
        except config.ConfigError as e:
            return f"{e}\n{t('ui_path_not_opened', self.lang)}"
        if not self._apply(lambda: self.stepper.load_model(model)):
            return t("ui_path_not_opened", self.lang)
        self.model_path = files.display_path(self.files_folder, path)
        self._say("ui_opened", path=self.model_path)
        return None

    def save_model_file(self, path: str) -> str | None:
        name = files.display_path(self.files_folder, path)
        try:
            config.save_model(self.current_model(), path)
        except OSError as e:
            return t("ui_path_cannot_write", self.lang, path=name, reason=e.strerror or str(e))
        except ValueError as e:  # a diverged run's infinite weights have no place in a model file
            return t("ui_path_cannot_write", self.lang, path=name, reason=str(e))
        self.model_path = name
        self._say("ui_saved", path=name)
        return None


__all__ = ["EditScreen", "PathScreen", "EditActions", "Field", "model_fields", "field_value", "with_value",
           "with_next_activation", "with_row_added", "with_row_deleted", "model_now", "exact_text"]
