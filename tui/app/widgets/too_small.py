"""The main screen's message below MIN_SIZE (tui/app/app.py): enlarge the terminal."""
from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.text.i18n import t
from tui.app.controllers.host import view_host


class TooSmall(Widget):
    """"Enlarge the terminal": drawn from the terminal's size and language now, so the main screen's
    rebuild for a new layout (watch_wide) cannot leave it empty (it did: a blank screen)."""

    def render(self) -> Text:
        width, height = self.app.size
        return Text(t("ui_too_small", view_host(self).lang, w=width, h=height))


__all__ = ["TooSmall"]
