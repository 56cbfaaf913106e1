"""The file name prompt of `o` (open a model file) and ctrl+s (save the model as one): the App's side
(tui/app/controllers/files.py) does the work and says what went wrong, and the prompt stays open.

For `o` it also lists the model files of the folder (tui/host/files.py model_files: the working
folder, or --files and the shared folder in a browser tab): ↓ from the name goes to the list, ↑↓
choose, Enter opens the one chosen (its name is put in the box, so the box always says what Enter
opens), ↑ from the top of the list goes back to the box. At most LIST_LIMIT names, and how many more.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList

from tui.app.screens.base import TopScreen
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import PATH_LENGTH, SteadyInput
from tui.host import files
from tui.text.i18n import t, tn


class PathList(OptionList):
    """The model files to choose from; ↑ on the first goes back to the name box."""

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.screen.query_one(SteadyInput).focus()
            return
        super().action_cursor_up()

    def action_page_up(self) -> None:  # Textual 8.2 raised KeyError with no rows on screen (screens/edit.py)
        if self.scrollable_content_region:
            super().action_page_up()

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()


class PathScreen(TopScreen):
    """A file name prompt for open and save. `handler(path)` does the work and returns None when
    done (the prompt closes) or the message to show (the prompt stays, nothing changed). With a
    `folder` (--files, backprop-tui serve) a name outside it never reaches the handler; with a
    `shared` folder too (open, in a browser tab), a name the folder has no file for is read from
    there (tui/host/files.py user_file)."""

    OVERLAY = "file"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        title: str,
        default: str,
        handler: Callable[[str], str | None],
        lang: str,
        confirm_overwrite: bool = False,
        folder: str | os.PathLike | None = None,
        shared: str | os.PathLike | None = None,
        listing: files.Listing | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.default, self.handler, self.lang = title, default, handler, lang
        self.confirm_overwrite, self.folder, self.shared = confirm_overwrite, folder, shared
        self.listing = listing  # the model files to choose from (open), None: no list (save)
        self._confirmed: str | None = None  # the existing file the user was warned about

    def compose(self) -> ComposeResult:
        with Vertical(id="path-body"):
            yield Plain(self.title_text, id="path-title")
            yield SteadyInput(
                self.default, id="path-value", compact=True, select_on_focus=False, max_length=PATH_LENGTH
            )
            yield Plain(id="path-message")
            if self.listing is not None:
                yield from self._compose_list(self.listing)
            yield Plain(t("ui_path_help", self.lang), id="path-help")

    def _compose_list(self, listing: files.Listing) -> ComposeResult:
        if not listing.names:
            yield Plain(t("ui_path_no_files", self.lang), id="path-files-title")
            return
        yield Plain(t("ui_path_files", self.lang), id="path-files-title")
        # Text, not markup: a file named "[b]x.toml" is shown as it is
        yield PathList(*(Text(name) for name in listing.names), id="path-files", compact=True)
        if listing.more or listing.capped:
            key = "ui_path_more_capped" if listing.capped else "ui_path_more"
            yield Plain(tn(key, listing.more, self.lang), id="path-files-more")

    def on_mount(self) -> None:
        self.query_one(SteadyInput).focus()

    def on_key(self, event: events.Key) -> None:
        """↓ from the box goes to the list (its first name, or the one chosen before)."""
        if (
            event.key == "down"
            and self.listing is not None
            and self.listing.names
            and isinstance(self.focused, SteadyInput)
        ):
            event.stop()
            event.prevent_default()
            names = self.query_one(PathList)
            names.focus()
            if names.highlighted is None:
                names.highlighted = 0
            self._show_choice(names.highlighted)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The box says what Enter opens (once the list is in use: not the list's own first highlight)."""
        event.stop()
        if isinstance(self.focused, PathList):
            self._show_choice(event.option_index)

    def _show_choice(self, index: int | None) -> None:
        if self.listing is not None and index is not None and 0 <= index < len(self.listing.names):
            box = self.query_one(SteadyInput)
            box.value = self.listing.names[index]
            box.cursor_position = len(box.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.on_top and self.listing is not None and event.option_index < len(self.listing.names):
            self.submit(self.listing.names[event.option_index])

    def on_input_submitted(self, event: SteadyInput.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, value: str) -> None:
        """Open (or save) the file `value` names; the prompt stays, saying why, when that fails."""
        if not self.on_top:  # a second Enter sent with the first: the file is already done with
            return
        text = value.strip()
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


__all__ = ["PathScreen", "PathList"]
