"""The Edit screen (`w`, issue 4, item 2): every weight, bias, η, activation and data value in a list;
Enter edits the highlighted one (0.3825 or 0,3825), data rows can be added or deleted.

What it lists and the Model each change makes come from tui/app/model_edit.py (pure); the App's side
(tui/app/controllers/edit.py) starts over on the new Model with a new loss history (η alone keeps
the history and is marked in it): one z goes back to before the edit. A value that is not a number
or a learning rate ≤ 0 changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.model import Model
from tui.app.model_edit import (
    Field,
    exact_text,
    field_value,
    model_fields,
    with_next_activation,
    with_row_added,
    with_row_deleted,
    with_value,
)
from tui.app.screens.base import TopScreen
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import SteadyInput
from tui.text import fmt
from tui.text.i18n import act_name, t, tn


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
    this screen (the key table passes on only o, ctrl+s and ?), so nothing moves behind it; Esc, w or q go back (while typing a
    value, Esc stops typing and the box takes the letters)."""

    OVERLAY = "edit"
    BINDINGS = [
        Binding("escape,w,q", "back", show=False),
    ]
    COMPONENT_CLASSES = {"edit--label", "edit--value", "edit--row", "edit--action"}

    def __init__(
        self, current: Callable[[], Model], apply: Callable[[Model, str, dict], None], lang: str, comma: bool
    ) -> None:
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
            return Text(tn("ui_edit_more_rows", f.key[1], self.lang), self.style("edit--row"))
        if f.kind in ("add_row", "del_row"):
            return Text(
                self.t("ui_edit_add_row" if f.kind == "add_row" else "ui_edit_del_row"), self.style("edit--action")
            )
        if f.kind in ("hidden", "output"):
            name = self.t("ui_edit_hidden" if f.kind == "hidden" else "ui_edit_output")
            act = cast(str, field_value(model, f.key))  # an activation field holds its name
            return Text.assemble((f"{name:<22}", label), (f"{act_name(act, self.lang):>12}", value))
        if f.kind in ("x", "y"):
            row = self.t("ui_edit_row", i=f.key[1] + 1)
            text = Text.assemble((f"{row:<12}", self.style("edit--row")), (f"{f.symbol:<10}", label))
        else:
            name = self.t("ui_edit_lr") if f.kind == "lr" else f.symbol
            text = Text(f"{name:<22}", label)
        text.append(f"{fmt.num(cast(float, field_value(model, f.key)), self.comma):>12}", value)  # a number field
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
            act = cast(str, field_value(new, f.key))  # an activation field holds its name
            self.done(new, "ui_edit_done", field=name, value=act_name(act, self.lang))
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
        box.value = exact_text(cast(float, field_value(model, f.key)), self.comma)  # typed fields are numbers
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
            self.say(
                self.t("ui_edit_bad_number", field=name, example=fmt.num(0.3825, self.comma), text=event.value.strip()),
                error=True,
            )
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
        key = "ui_edit_lr_done" if f.kind == "lr" else "ui_edit_done"  # η alone is not another model
        self.done(new, key, field=f.symbol, value=fmt.num(value, self.comma))

    def done(self, model: Model, key: str, **values: object) -> None:
        """Hand the new model to the App (which starts over on it) and say what changed."""
        self.apply(model, key, values)
        self.refill()
        # a value "@key" is itself translated, as in the App's Notice
        self.say(
            self.t(
                key, **{k: self.t(v[1:]) if isinstance(v, str) and v.startswith("@") else v for k, v in values.items()}
            )
        )

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


__all__ = ["EditScreen", "FieldList"]
