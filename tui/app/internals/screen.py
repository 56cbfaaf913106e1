"""The app's main screen on Textual's public API (what the stock rendering runs; DiffScreen adds
the private pieces, diffscreen.py)."""

from __future__ import annotations

from textual.geometry import Size
from textual.screen import Screen

from tui.app.layout import HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS, breakpoint_classes


class MainScreen(Screen):
    """The panels' screen: widgets and CSS as any Screen; its breakpoint classes choose the layout."""

    HORIZONTAL_BREAKPOINTS = HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = VERTICAL_BREAKPOINTS

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

    def fit_breakpoints(self, size: Size) -> None:
        """Give the screen the breakpoint classes of `size` (tui/app/layout.py) now.

        Textual sets them when the screen on top, or the one just under it, is resized
        (Screen._on_resize); this screen can be further down (help over the activation view) and
        then showed the old layout at the new size for a frame after the screens over it closed. The
        App calls this at every resize, and before the first layout, with the size it lays out at.
        """
        self.update_classes(breakpoint_classes(size.width, size.height), animate=False)


__all__ = ["MainScreen"]
