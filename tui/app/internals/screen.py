"""The app's main screen on Textual's public API (what the stock rendering runs; DiffScreen adds
the private pieces, diffscreen.py)."""
from __future__ import annotations

from textual.screen import Screen


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


__all__ = ["MainScreen"]
