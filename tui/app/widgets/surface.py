"""The surface view's drawing (issue 13): rows of (text, style) runs, painted as given, a change
refreshing only the columns that changed; and the palette that turns tui/text/surface_art's cell
codes into half-block cells.

Nothing is computed here but colours: the values come from engine.surface, their levels, contour
cells and sample markers from tui/text/surface_art. In true colour and 256 colours each cell is "▀"
with the upper pixel as its foreground and the lower one as its background (two pixels a cell); in
16 colours and NO_COLOR the screen draws surface_art's shading characters instead (no colour needed
to read them).

Why not RowCache (widgets/base.py): it keys a run's style by (spans, column, row) and builds each
through Textual's style stack, right for panels of text whose layout holds still, ~50 µs a run. A
picture has thousands of runs whose colours move every frame: its runs are styled here from a
palette of a few hundred rich Styles made once, and the same diff (changed_columns) keeps the bytes
per redraw to the cells that changed.
"""

from __future__ import annotations

from itertools import groupby

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.app.widgets.base import REGIONS_MAX, changed_columns
from tui.text import surface_art as art

Run = tuple[str, Style | None]  # text and its style over the widget's own (None: the widget's)
PIXEL_CODES = art.COLOUR_LEVELS + 2  # a pixel: a level, the contour, or not finite
MARK_BASE = PIXEL_CODES * PIXEL_CODES  # a cell code from here on: a sample marker over its lower pixel
MARKS = (art.LOW, art.HIGH, art.BOTH)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


# the shading range from its low end (blue) through its middle (the background's neighbour) to its
# high end (orange), as the web playgrounds draw a class boundary; the contour in the text colour
RAMPS = {
    True: ("#2f7fd8", "#262626", "#f0932b", "#ffffff", "#ff00ff"),  # dark: low, middle, high, contour, NaN
    False: ("#1c64c8", "#f2f2f2", "#e07b00", "#000000", "#c000c0"),
}
SIDES = {True: ("#14304f", "#4d3211"), False: ("#d6e6fa", "#fbe2c2")}  # hidden space: ŷ < 0.5, ŷ ≥ 0.5


def ramp(dark: bool) -> list[Color]:
    """The colour of each pixel code: the COLOUR_LEVELS levels, then the contour and not-finite."""
    low, mid, high, contour, nan = (np.array(_rgb(c), dtype=float) for c in RAMPS[dark])
    out = []
    for k in range(art.COLOUR_LEVELS):
        f = (k + 0.5) / art.COLOUR_LEVELS
        c = low + (mid - low) * (f / 0.5) if f < 0.5 else mid + (high - mid) * ((f - 0.5) / 0.5)
        out.append(Color.from_rgb(*(int(round(v)) for v in c)))
    return out + [Color.from_rgb(*contour.astype(int)), Color.from_rgb(*nan.astype(int))]


class Palette:
    """Cell code → (character, Style), made once per theme (dark or light) and kept."""

    def __init__(self, dark: bool) -> None:
        self.dark = dark
        self.colours = ramp(dark)
        self.ink = self.colours[art.CODE_CONTOUR]
        self.sides = [Color.from_rgb(*_rgb(c)) for c in SIDES[dark]]
        self._cells: dict[int, tuple[str, Style]] = {}

    def cell(self, code: int) -> tuple[str, Style]:
        try:
            return self._cells[code]
        except KeyError:
            pass
        if code >= MARK_BASE:  # a sample: its marker in the text colour over the lower pixel's colour
            mark, lower = divmod(code - MARK_BASE, PIXEL_CODES)
            out = (MARKS[mark], Style(color=self.ink, bgcolor=self.colours[lower], bold=True))
        else:
            up, down = divmod(code, PIXEL_CODES)
            out = ("▀", Style(color=self.colours[up], bgcolor=self.colours[down]))
        self._cells[code] = out
        return out

    def half_rows(self, up: np.ndarray, down: np.ndarray, marked: dict[tuple[int, int], str]) -> list[list[Run]]:
        """The picture's rows: one run per stretch of equal cells."""
        codes = up * PIXEL_CODES + down
        for (r, c), m in marked.items():
            if 0 <= r < codes.shape[0] and 0 <= c < codes.shape[1]:
                codes[r, c] = MARK_BASE + MARKS.index(m) * PIXEL_CODES + down[r, c]
        rows: list[list[Run]] = []
        for row in codes.tolist():
            runs: list[Run] = []
            for code, group in groupby(row):
                ch, style = self.cell(code)
                runs.append((ch * sum(1 for _ in group), style))
            rows.append(runs)
        return rows

    def side_rows(self, p: art.HiddenPicture) -> list[list[Run]]:
        """The hidden space in colour: each side of the decision line tinted, · the line, the samples."""
        chars = [row.replace(art.LEVELS[0], " ") for row in art.hidden_rows(p)]  # the tint says the side
        rows: list[list[Run]] = []
        for text, high in zip(chars, p.high_side.tolist()):
            runs: list[Run] = []
            for (is_high, ch), group in groupby(zip(high, text)):
                n = sum(1 for _ in group)
                bold = ch != " "
                style = Style(color=self.ink if bold else None, bgcolor=self.sides[is_high], bold=bold)
                runs.append((ch * n, style))
            rows.append(runs)
        return rows


def plain_rows(rows: list[str]) -> list[list[Run]]:
    """Characters only (16 colours, NO_COLOR): the shading of surface_art, in the widget's colours."""
    return [[(row, None)] for row in rows]


def framed_runs(
    body: list[list[Run]],
    cols: int,
    bounds: tuple[float, float, float, float],
    comma: bool,
    x_name: str = "x₁",
    y_name: str = "x₂",
) -> list[list[Run]]:
    """The picture's rows with surface_art.framed's axes around them."""
    lines = art.framed([" " * cols] * len(body), bounds, comma, x_name, y_name)
    out: list[list[Run]] = [[(lines[0], None)]]
    for line, runs in zip(lines[1:], body):
        out.append([(line[: len(line) - cols], None), *runs])
    out += [[(line, None)] for line in lines[1 + len(body) :]]
    return out


def width_of(runs: list[Run]) -> int:
    return sum(len(text) for text, _ in runs)


def beside(*columns: tuple[list[list[Run]], int], gap: int = 2) -> list[list[Run]]:
    """Columns of rows (each with its width) side by side, each row padded to its column's width."""
    height = max((len(rows) for rows, _ in columns), default=0)
    out = []
    for y in range(height):
        line: list[Run] = []
        for k, (rows, width) in enumerate(columns):
            runs = rows[y] if y < len(rows) else []
            pad = width - width_of(runs) + (gap if k < len(columns) - 1 else 0)
            line += [*runs, (" " * pad, None)] if pad > 0 else runs
        out.append(line)
    return out


class Canvas(Widget):
    """Rows of runs painted as given; a new picture refreshes only the columns that changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []
        self._for: tuple = ()  # (size, base style) the strips were made for
        self._regions_sent = 0

    def show(self, rows: list[list[Run]]) -> None:
        base = self.rich_style
        width, height = self.size
        new = []
        for runs in rows[:height]:
            segments = [Segment(text, base + style if style is not None else base) for text, style in runs if text]
            new.append(Strip(segments).adjust_cell_length(width, base))
        old, key = self._strips, (self.size, base)
        self._strips = new
        if key != self._for or len(old) != len(new) or self._regions_sent > REGIONS_MAX:
            self._for, self._regions_sent = key, 0
            self.refresh()
            return
        for y, (a, b) in enumerate(zip(old, new)):
            span = changed_columns(a, b)
            if span is not None:
                self._regions_sent += 1
                self.refresh(Region(span[0], y, span[1] - span[0], 1))

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y >= len(self._strips):
            return Strip.blank(self.size.width, base)
        if self._for == (self.size, base):
            return self._strips[y]
        return self._strips[y].adjust_cell_length(self.size.width, base)  # resized: the screen redraws next

    @property
    def text(self) -> list[str]:
        """The rows as characters (tests read the picture)."""
        return [strip.text for strip in self._strips]


__all__ = ["Canvas", "Palette", "beside", "framed_runs", "plain_rows", "ramp"]
