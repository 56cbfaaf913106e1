"""The main screen's message below MIN_SIZE (tui/app/app.py): enlarge the terminal."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.app.host import view_host
from tui.text.i18n import t


class TooSmall(Widget):
    """ "Enlarge the terminal": drawn from the terminal's size and language at each paint, so no change
    of size or layout can leave it empty or stale (a rebuild of the main screen once did: a blank screen)."""

    def render(self) -> Text:
        width, height = self.app.size
        return Text(t("ui_too_small", view_host(self).lang, w=width, h=height))


__all__ = ["TooSmall"]
