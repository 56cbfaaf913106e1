"""A Screen that sends the terminal only the cells that changed (issue 5: bytes per micro-step).

Textual repaints the whole region of every widget that refreshes. One micro-step changes a few
numbers in every panel, so every panel refreshes and each key press rewrote the whole 120×40
screen: ~20 kB, what a full paint costs, over every student's SSH link. This compositor remembers
what the terminal shows (one (character, style) per cell) and, for a partial update, sends only the
runs of cells that differ, each preceded by a cursor move. Full updates (start-up, resize, theme,
returning from the help screen) go out as Textual writes them and reset the memory.

What it buys (docs/PERFORMANCE.md, benchmarks/bench_internals.py): 0.216 of a full paint per
micro-step, where Textual's own compositor sends 0.502 of one (the row cache refreshing only the
changed columns) and the budget is 0.25.

It relies on Textual's compositor internals (textual._compositor, 8.2: Compositor's updates, the
chops, spans and chop ends of a partial update; support.REQUIRED): if those change, the tests of
tests/tui/app/test_robustness.py that compare the screen with a fresh full paint will say so, and
a diff that raises sends Textual's own update (a fallback, counted in fallbacks.py).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import Control
from rich.segment import Segment
from textual._compositor import Compositor, CompositorUpdate, LayoutUpdate
from textual.screen import Screen
from textual.strip import Strip

from tui.app.internals import STOCK, fallbacks
from tui.app.internals.cells import Cell, strip_cells
from tui.app.internals.screen import MainScreen

# Unchanged cells between two changed runs are resent when the gap is shorter than a cursor move
# (ESC [ row ; col H, 6 to 8 bytes), so short gaps don't cost more than they save.
GAP = 8


class CellsUpdate(CompositorUpdate):
    """Runs of cells, each written after a cursor move to where it starts."""

    def __init__(self, runs: list[tuple[int, int, list[Cell]]]) -> None:
        self.runs = runs

    def _segments(self, y: int, x: int, cells: list[Cell]):
        yield Control.move_to(x, y).segment
        text: list[str] = []
        style = cells[0][1]
        for ch, st in cells:
            if st != style:
                yield Segment("".join(text), style)
                text, style = [], st
            text.append(ch)
        yield Segment("".join(text), style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for y, x, cells in self.runs:
            yield from self._segments(y, x, cells)

    def render_segments(self, console: Console) -> str:
        out = []
        for y, x, cells in self.runs:
            segments = self._segments(y, x, cells)
            out.append(next(segments).text)
            out.append(Strip(list(segments)).render(console))
        return "".join(out)


class DiffCompositor(Compositor):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[list[Cell | None]] = []  # what the terminal shows, per line; None: unknown

    def forget(self) -> None:
        """Something else drew on the terminal: the next updates send every cell they cover."""
        self.shown = []

    def _line(self, y: int) -> list[Cell | None]:
        width, height = self.size
        if len(self.shown) != height or (self.shown and len(self.shown[0]) != width):
            self.shown = [[None] * width for _ in range(height)]
        return self.shown[y]

    def render_full_update(self, simplify: bool = False) -> LayoutUpdate:
        update = super().render_full_update(simplify=simplify)
        if simplify:  # a screenshot, not a write to the terminal
            return update
        width = self.size.width
        shown = []
        try:
            for line in update.strips:
                cells = strip_cells(line)[:width]
                shown.append(cells + [None] * (width - len(cells)))
        except Exception:  # noqa: BLE001 - see render_partial_update
            fallbacks.note("diff")
            shown = []
        self.shown = shown
        return update

    def render_partial_update(self):
        update = super().render_partial_update()
        if update is None:
            return None
        try:
            return self._diff(update)
        except Exception:  # noqa: BLE001 - never cost a frame: send Textual's own update, forget the cells
            fallbacks.note("diff")
            self.forget()
            return update

    def _diff(self, update):
        """The runs of cells that differ from what the terminal shows. Each chop is turned into
        cells once, however many spans of its line it meets: the work is linear in the cells of
        the update, and the memory is one (character, style) per cell of the screen."""
        runs: list[tuple[int, int, list[Cell]]] = []
        converted: dict[tuple[int, int], list[Cell]] = {}  # (y, x) of a chop → its cells
        for y, x1, x2 in update.spans:
            shown = self._line(y)
            new: list[Cell | None] = [None] * (x2 - x1)
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                if strip is None or x >= x2 or end <= x1:
                    continue
                cells = converted.get((y, x))
                if cells is None:
                    cells = converted[y, x] = strip_cells([strip])
                lo, hi = max(x, x1), min(end, x2, x + len(cells))
                new[lo - x1 : hi - x1] = cells[lo - x : hi - x]
            old = shown[x1:x2]
            if new == old:  # the usual case for most of a dirty span: compared in C
                continue
            # the changed cells, and the unknown ones (None) that end a run
            marks = [i for i, (cell, was) in enumerate(zip(new, old)) if cell is None or cell != was]
            start: int | None = None  # the current run of changed cells: [start, last]
            last = 0  # (read only while there is a start)
            for i in marks:
                x = x1 + i
                cell = new[i]
                if cell is None:
                    if start is not None:
                        runs.append(self._run(y, start, last, new, x1, shown))
                        start = None
                    continue
                if start is not None and x - last > GAP + 1:
                    runs.append(self._run(y, start, last, new, x1, shown))
                    start = None
                if start is None:
                    start = x - 1 if cell[0] == "" and x > x1 and new[i - 1] is not None else x
                last = x
            if start is not None:
                runs.append(self._run(y, start, last, new, x1, shown))
        return CellsUpdate(runs) if runs else None

    @staticmethod
    def _run(y: int, start: int, last: int, new: list, x1: int, shown: list) -> tuple[int, int, list[Cell]]:
        cells = new[start - x1 : last - x1 + 1]
        shown[start : last + 1] = cells
        return y, start, cells


class DiffScreen(MainScreen):
    """The app's main screen; widgets and CSS as any Screen, only the terminal writes differ."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compositor: DiffCompositor = DiffCompositor()

    def on_screen_suspend(self) -> None:  # another screen (help, gradient check) takes the terminal
        self._compositor.forget()

    def on_screen_resume(self) -> None:
        self._compositor.forget()


class OpaqueDiffScreen(Screen):
    """A screen over the main one that covers it whole (the surface view, issue 13): the terminal gets
    only the cells that changed (DiffCompositor), and the regions of the screen below that change
    (its panels follow the Snapshot while play goes on) are not repainted here.

    Textual repaints a lower screen's dirty regions on the screen on top (Screen._compositor_refresh,
    "background screens", for screens that let the one below show through); over this opaque screen
    that repainted all of it at every frame of play, nothing of which shows. Those calls are the only
    ones that pass regions to a Screen's refresh; its own widgets refresh themselves."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not STOCK:
            self._compositor = DiffCompositor()

    def refresh(self, *regions, **kwargs):
        if regions and not kwargs:
            return self
        return super().refresh(*regions, **kwargs)

    def _forget(self) -> None:
        if isinstance(self._compositor, DiffCompositor):
            self._compositor.forget()

    def on_screen_suspend(self) -> None:  # help on top: what the terminal shows is no longer known
        self._forget()

    def on_screen_resume(self) -> None:
        self._forget()


def main_screen(**kwargs) -> Screen:
    """The app's main screen: DiffScreen, or under BACKPROP_TUI_RENDERING=stock Textual's own."""
    return MainScreen(**kwargs) if STOCK else DiffScreen(**kwargs)


def frame_ansi(app) -> str:
    """The frame on the screen now (the top screen over those it lets show through) as lines of
    text with the terminal's colour escapes, without cursor moves: it can be printed on the normal
    screen (--keep-screen). Rendered as App.export_screenshot renders it, lines joined, not sent.
    Textual has no public way to do this: if its compositor has changed, the frame is left out ("")."""
    try:
        update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True)
        return "\n".join("".join(strip.render(app.console) for strip in line) for line in update.strips)
    except Exception:  # noqa: BLE001 - a frame not kept never stops the app from ending
        fallbacks.note("frame")
        return ""


__all__ = ["DiffScreen", "DiffCompositor", "OpaqueDiffScreen", "CellsUpdate", "main_screen", "frame_ansi", "GAP"]
