"""The file name prompt of `o` (open a model file) and ctrl+s (save the model as one): the App's side
(tui/app/controllers/files.py) does the work and says what went wrong, and the prompt stays open.
"""
from __future__ import annotations

import os
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.host import files
from tui.text.i18n import t
from tui.app.screens.base import TopScreen
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import PATH_LENGTH, SteadyInput


class PathScreen(TopScreen, ModalScreen):
    """A file name prompt for open and save. `handler(path)` does the work and returns None when
    done (the prompt closes) or the message to show (the prompt stays, nothing changed). With a
    `folder` (--files, backprop-tui serve) a name outside it never reaches the handler; with a
    `shared` folder too (open, in a browser tab), a name the folder has no file for is read from
    there (tui/host/files.py user_file)."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, default: str, handler: Callable[[str], str | None], lang: str,
                 confirm_overwrite: bool = False, folder: str | os.PathLike | None = None,
                 shared: str | os.PathLike | None = None) -> None:
        super().__init__()
        self.title_text, self.default, self.handler, self.lang = title, default, handler, lang
        self.confirm_overwrite, self.folder, self.shared = confirm_overwrite, folder, shared
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
            path = files.user_file(self.folder, text, self.shared)
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


__all__ = ["PathScreen"]
