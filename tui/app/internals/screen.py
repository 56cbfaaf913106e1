"""The app's main screen on Textual's public API (what the stock rendering runs; DiffScreen adds
the private pieces, diffscreen.py)."""
from __future__ import annotations

from textual.geometry import Offset
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen):
    """The panels' screen: widgets and CSS as any Screen."""

    def on_resize(self, event) -> None:
        """Lay out at the app's size, whatever size the event carries (runs before Textual's own
        resize handler).

        After a layout at a new size, Textual's Screen posts itself a Resize of that size and lays
        out again when it arrives. With two sizes in flight at once (at start-up under TERM=dumb,
        Rich's 80×25 guess and the terminal's real size), each layout queued a Resize of the other
        size, a callback between them kept Textual from merging the two, and the screen laid out
        and repainted forever: a blank terminal, a core at 100 %, keys never handled. The app's size
        is the latest one (capped, tui/app/app.py), so every Resize lays out at the same size and
        the second layout finds nothing to do.
        """
        size = self.app.size
        if event.size != size:
            event.size = event.virtual_size = event.container_size = size

    def get_widget_and_offset_at(self, x: int, y: int) -> tuple[Widget | None, Offset | None]:
        """The widget under (x, y), or none while the layout is being rebuilt.

        Crossing the wide/compact border removes every panel and mounts new ones (App.watch_wide);
        until the next layout the screen's map still holds the removed panels. A mouse press in
        that moment (a click while the window is dragged across the border, or a browser tab's
        resize and click in one message) found a removed panel with no parent and Textual's text
        selection raised on it: the app died. A widget no longer on the screen is under no point.
        """
        widget, offset = super().get_widget_and_offset_at(x, y)
        if widget is not None and (widget.parent is None or not widget.is_attached):
            return None, None
        return widget, offset


__all__ = ["MainScreen"]
