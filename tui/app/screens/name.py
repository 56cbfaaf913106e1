"""The name a student joins a class session with, asked first in a browser tab (`serve --join`,
issue 22): every tab of a served class runs as the server's user, so the login name says nothing.
Enter joins with the name typed (cleaned as the session cleans names: printable, at most 32
characters); an empty name is refused with a line; Esc joins with the default name. No key of the
App's runs under it: a TopScreen that names no OVERLAY, so the key table lets none through, and no
key opens it (tests/keymash.py's screens are the ones that name one)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.app.screens.base import TopScreen
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import SteadyInput
from tui.host.session_schema import NAME_CHARS, clean_name
from tui.text.i18n import t


class NameScreen(TopScreen):
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, lang: str, default: str, join: Callable[[str], None]) -> None:
        super().__init__()
        self.lang, self.default, self.join = lang, default, join

    def compose(self) -> ComposeResult:
        with Vertical(id="path-body"):
            yield Plain(t("session_name_title", self.lang), id="path-title")
            yield SteadyInput("", id="path-value", compact=True, select_on_focus=False, max_length=NAME_CHARS)
            yield Plain(id="path-message")
            yield Plain(t("session_name_help", self.lang), id="path-help")

    def on_mount(self) -> None:
        self.query_one(SteadyInput).focus()

    def on_input_submitted(self, event: SteadyInput.Submitted) -> None:
        event.stop()
        name = clean_name(event.value)
        if not name:
            self.query_one("#path-message", Plain).update(t("session_reason_name", self.lang))
            return
        if self.close():
            self.join(name)

    def action_cancel(self) -> None:
        if self.close():
            self.join(self.default)


__all__ = ["NameScreen"]
