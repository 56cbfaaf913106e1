"""The `h` screen (issue 13): the decision surface ŷ(x₁, x₂) over the plane around the data, each
hidden unit's a_j⁽¹⁾ over the same plane, and the samples in the hidden layer's space with the output
unit's decision line: one screen, three parts, at 80×24 and larger.

    ┌ ŷ(x₁, x₂), square pixels ─────────┐  a₁⁽¹⁾  a₂⁽¹⁾   (small, same span)
    │ the samples ○/●, the ŷ = 0.5 line │  hidden space (a₁⁽¹⁾, a₂⁽¹⁾): ○/● at their a⁽¹⁾,
    └───────────────────────────────────┘  · w₁₁⁽²⁾a₁ + w₂₁⁽²⁾a₂ + b⁽²⁾ = f⁻¹(0.5)

The title gives L, the data-set loss of the parameters drawn (computed from them, so mid-epoch it is
not the last epoch's Lₖ); the status line under the picture says the epoch and sample.

It follows the App's Snapshot (the `snapshot` reactive): p trains underneath and the picture moves
with it, f b u space s e z y a r work here as on the main screen. `+` `-` zoom in and out about the
span's centre (engine.surface.zoom), `0` goes back to the data's span; Esc, h or q closes. `x`
exports as everywhere (SVG screenshot, transcript when the sample is finished, loss CSV) and the
surface's grid as CSV (x1,x2,yhat,a1_1,a1_2; `export_files`).

Colour: half-block cells (two pixels a cell) in true colour and 256 colours; surface_art's shading
characters (░▒▓█, · contour, ○/● samples) on a 16-colour terminal (the ANSI themes), under NO_COLOR,
and wherever the console has fewer colours. Everything drawn comes from engine.surface and
tui/text/surface_art; this module lays it out and picks the grid sizes from the screen's size. During
play the terminal gets only the cells that changed (internals/diffscreen.OpaqueDiffScreen): about 0.22
of a full paint a frame at 120×40 (benchmarks/bench_surface.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine import activations
from engine import surface as S
from engine.network import dataset_loss
from tui.app.host import view_host
from tui.app.internals.diffscreen import OpaqueDiffScreen
from tui.app.screens.base import ViewScreen
from tui.app.widgets.status import StatusLine
from tui.app.widgets.surface import Canvas, Palette, Run, beside, framed_runs, plain_rows, width_of
from tui.text import fmt
from tui.text import surface_art as art
from tui.text.i18n import t

LABELS = 7  # a framed picture's left margin: "−0.50 ┤"
FRAME_ROWS = 3  # framed: the axis name above, the axis line and the ends below
CHROME = 4  # the screen's title, legend, status line and key line


@dataclass(frozen=True)
class Plan:
    """Sizes in cells of the three parts for a screen of width × height."""

    cols: int  # the decision surface: cols × rows cells
    rows: int
    unit_cols: int  # each hidden unit's picture
    unit_rows: int
    hidden_cols: int  # the hidden space
    hidden_rows: int
    right: int  # the right column's width


def plan(width: int, height: int) -> Plan:
    body = max(height - CHROME, FRAME_ROWS + 4)
    rows = max(4, min(body - FRAME_ROWS, (int(width * 0.55) - LABELS) // 2))
    cols = 2 * rows  # square pixels: a cell is about twice as tall as wide, and holds two pixels
    right = max(20, width - (LABELS + cols + 3) - 1)  # the left part: labels, picture, " x₁"; a gap
    unit_cols = (right - 2) // 2
    unit_rows = max(3, min(unit_cols // 2, body // 3))
    hidden_rows = max(3, body - 2 - unit_rows - 2 - FRAME_ROWS)  # titles: units, their names, space, line
    return Plan(cols, rows, unit_cols, unit_rows, right - LABELS - 6, hidden_rows, right)  # 6: " a₁⁽¹⁾" after the axis


def shading(app) -> bool:
    """Draw with characters, not colours: NO_COLOR, an ANSI (16-colour) theme, or a console with fewer
    than 256 colours (a headless app's console says nothing: its theme decides)."""
    if getattr(app, "no_color", False) or "ansi" in app.theme:
        return True
    return not app.is_headless and app.console.color_system not in ("256", "truecolor")


class SurfaceScreen(OpaqueDiffScreen, ViewScreen):
    FOLLOWS = ("snapshot", "lang", "notice_text", "theme")
    # the App's keys that work here (the key table's Key.over): the micro-steps and play move the picture (it follows the Snapshot)
    OVERLAY = "surface"
    SHOWS_NOTICE = True  # in its key line
    BINDINGS = [
        Binding("escape,h,q", "close", show=False),
        Binding("plus,equals_sign", "zoom(1)", show=False),
        Binding("minus,underscore", "zoom(-1)", show=False),
        Binding("0", "zoom(0)", show=False),
    ]

    def __init__(self, comma: bool = False) -> None:
        super().__init__()
        self.comma = comma
        self.zoom = 0  # zoom key presses: + in, − out
        self.surface: S.Surface | None = None  # the decision surface as last drawn (x exports its grid)
        self._palette: Palette | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="surf-title")
        yield Canvas(id="surf-body")
        yield Static(id="surf-legend")
        yield StatusLine(comma=self.comma, id="surf-status")
        yield Static(id="surf-keys")

    def _resized(self) -> None:
        self.call_after_refresh(self._redraw)  # the canvas has its new size after this refresh

    def palette(self) -> Palette:
        dark = self.app.current_theme.dark
        if self._palette is None or self._palette.dark != dark:
            self._palette = Palette(dark)
        return self._palette

    def bounds(self) -> tuple[float, float, float, float]:
        return S.zoom(self._span(view_host(self).snapshot.X), self.zoom)

    # What depends on the data alone is kept while the data is the same object (frozen arrays): play
    # and the micro-steps move the parameters, not the samples, and 60 000 of them cost milliseconds.
    _span_for: tuple = (None, None)  # (X, its span)
    _marks_for: tuple = (None, None, None)  # (X, Y, {grid: marks})

    def _span(self, X) -> tuple[float, float, float, float]:
        if self._span_for[0] is not X:
            self._span_for = (X, S.span(X))
        return self._span_for[1]

    def _marks_of(self, s, x1, x2, rows: int | None) -> dict[tuple[int, int], str]:
        """surface_art.marks of the Snapshot's samples on the grid x1 × x2 (kept per grid)."""
        X, Y, kept = self._marks_for
        if X is not s.X or Y is not s.Y or len(kept) > 8:  # zoom and resize make new grids: a few kept
            kept = {}
            self._marks_for = (s.X, s.Y, kept)
        key = (float(x1[0]), float(x1[-1]), len(x1), float(x2[0]), float(x2[-1]), len(x2), rows)
        if key not in kept:
            kept[key] = art.marks(s.X, s.Y, x1, x2, rows=rows)
        return kept[key]

    def _redraw(self, *_) -> None:
        if not self.is_mounted or view_host(self).snapshot is None:
            return
        s, lang, comma = view_host(self).snapshot, view_host(self).lang, self.comma
        canvas = self.query_one(Canvas)
        width, height = canvas.size.width or self.size.width, self.size.height
        p = plan(width, height)
        plain = shading(self.app)
        lo1, hi1, lo2, hi2 = b = self.bounds()
        fold = 1 if plain else 2  # grid rows a cell: half blocks hold two pixels
        x1 = S.grid(lo1, hi1, p.cols)
        surf = S.surface(s.params, s.hidden, s.output, x1, S.grid(lo2, hi2, fold * p.rows))
        self.surface = surf
        units = S.surface(
            s.params, s.hidden, s.output, S.grid(lo1, hi1, p.unit_cols), S.grid(lo2, hi2, fold * p.unit_rows)
        )
        hs = S.hidden_space(s.params, s.X, s.Y, s.hidden, s.output)
        equation = art.decision_line(hs, comma, p.right)
        hp = art.hidden_picture(hs, s.hidden, p.hidden_cols, p.hidden_rows + 1 - len(equation))

        main = self._picture(art.output_plane(surf, s.output), surf, s, plain)
        left = framed_runs(main, p.cols, b, comma)
        pictures = [self._picture(art.unit_plane(units, s.hidden, j), units, s, plain) for j in (0, 1)]
        unit_rows: list[list[Run]] = [[(fmt.sym("a", j + 1, 1), None)] for j in (0, 1)]
        units_part = beside(*((unit_rows[j : j + 1] + pictures[j], p.unit_cols) for j in (0, 1)))
        hidden_body = plain_rows(art.hidden_rows(hp)) if plain else self.palette().side_rows(hp)
        equation_rows: list[list[Run]] = [[(line, None)] for line in equation]
        hidden_part = framed_runs(hidden_body, p.hidden_cols, hp.bounds, comma, "a₁⁽¹⁾", "a₂⁽¹⁾")
        right: list[list[Run]] = [
            [(t("ui_surf_units", lang), None)],
            *units_part,
            [(t("ui_surf_hidden", lang), None)],
            *equation_rows,
            *hidden_part,
        ]
        canvas.show(beside((left, max(width_of(r) for r in left)), (right, p.right), gap=1))

        # L of the parameters drawn, computed from them: mid-epoch the last Lₖ of the history belongs to
        # other parameters (xor, h s s s: "epoch 0 · L = 0.1265" over a net whose L is 0.1275). The
        # status line below says the epoch and sample.
        with np.errstate(all="ignore"):
            loss = dataset_loss(s.params, s.X, s.Y, activations.get(s.hidden), activations.get(s.output))
        title = Text(
            t("ui_surf_title", lang, loss=art.minus(fmt.num(loss, comma))),
            "bold",
            no_wrap=True,
            overflow="ellipsis",
            end="",
        )
        self.query_one("#surf-title", Static).update(title, layout=False)  # fixed heights: no layout, no full paint
        status = self.query_one(StatusLine)
        status.lang, status.snapshot = lang, s
        notice = view_host(self).notice_text
        plane = art.output_plane(surf, s.output)
        legend = (
            art.legend(plane, "ŷ", lang, comma)
            if plain
            else t("ui_surf_colours", lang, low=art.compact(plane.low, comma), high=art.compact(plane.high, comma))
        )
        self.query_one("#surf-legend", Static).update(
            Text(legend, no_wrap=True, overflow="ellipsis", end=""), layout=False
        )
        keys = notice or (t("ui_surf_keys", lang) if width >= 100 else t("ui_surf_keys_short", lang))
        self.query_one("#surf-keys", Static).update(
            Text(keys, "bold" if notice else "", no_wrap=True, overflow="ellipsis", end=""), layout=False
        )

    def _picture(self, plane: art.Plane, surf: S.Surface, s, plain: bool):
        """One quantity over the plane: shading characters, or half-block cells."""
        if plain:
            return plain_rows(
                art.shade_rows(
                    plane.values, plane.low, plane.high, plane.contour, self._marks_of(s, surf.x1, surf.x2, None)
                )
            )
        up, down = art.half_codes(plane.values, plane.low, plane.high, plane.contour)
        return self.palette().half_rows(up, down, self._marks_of(s, surf.x1, surf.x2, up.shape[0]))

    def export_files(self) -> dict[str, str]:
        """What x writes besides the usual set: the decision surface's grid as drawn (full precision)."""
        return {} if self.surface is None else {"_surface.csv": "".join(art.csv_rows(self.surface))}

    def action_zoom(self, k: int) -> None:
        zoom = 0 if k == 0 else max(-S.MAX_ZOOM, min(S.MAX_ZOOM, self.zoom + k))
        if zoom != self.zoom:
            self.zoom = zoom
            self._redraw()

    def action_close(self) -> None:
        self.close()


__all__ = ["Plan", "SurfaceScreen", "plan", "shading"]
