"""The Loss panel: the data-set loss L per epoch as a plotext chart, and the current sample's Lᵢ.

The history can be long (a play run adds thousands of epochs a second), so the chart draws at most
a few points per column: the epochs are cut into equal buckets and each bucket keeps its first,
lowest and highest loss, so neither a spike nor the trend disappears.

The history is one model's (engine/history.py): when a change of the model started it, the panel's
subtitle says what started it ("new history: hidden tanh"; in the compact layout, which has no
bottom border, the end of the title says "new: tanh"). Each change of η in it is a vertical
line at the loss after which η changed, labelled "η 0.50→1.00" where the label has room (newest first), else "η".
"""

from __future__ import annotations

import math

import numpy as np
from textual.app import ComposeResult
from textual.color import Color
from textual.reactive import reactive

from engine.history import HistoryStart, LrChange
from engine.stepper import Snapshot
from tui.app.widgets.base import RowCache, SnapshotView
from tui.app.widgets.plot import SafePlot
from tui.text import fmt
from tui.text.i18n import act_name, mode_name

POINTS_PER_COLUMN = 2
# the other mode's curve (issue 19) is trained here, on the App's thread, for at most this many epochs:
# a few hundredths of a second at the presets' sizes, and once per history (it grows as the history does)
OTHER_MODE_EPOCHS = 2000
OTHER_MODE_SAMPLES = 200_000  # nor more sample-steps than this (a large data set gets fewer epochs)
# the y tick labels and the frame take about this many columns of the chart's width
AXIS_COLUMNS = 8


def downsample(losses: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, losses) with at most ~max_points points: first, min and max of equal buckets, plus the last.

    It allocates nothing the size of the history. The loss history is a read-only view, and NumPy's
    argmin and argmax copy a read-only array before they look at it (two copies of the whole history
    per redraw, 16 MB at 10⁶ epochs, in bucket-sized pieces: issue 18). min and max do not, and the
    first entry equal to one is found in a mask of the bucket's size (a byte per loss, freed at once).
    """
    n = len(losses)
    if n <= max_points:
        return np.arange(n), losses
    buckets = max(1, max_points // 3)
    edges = np.linspace(0, n, buckets + 1).astype(int)
    keep = {0, n - 1}
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist()):
        if hi <= lo:
            continue
        chunk = losses[lo:hi]
        keep.update((lo, lo + _first(chunk, chunk.min()), lo + _first(chunk, chunk.max())))
    idx = np.array(sorted(keep))  # the epochs kept (no arange of every epoch: 8 MB at 10⁶ epochs)
    return idx, losses[idx]


def _first(chunk: np.ndarray, value) -> int:
    """Where `value` (the chunk's min or max) first occurs: what argmin or argmax gives, a NaN's too
    (min and max are NaN when the chunk holds one, and the arg functions then point at the first)."""
    hits = np.isnan(chunk) if value != value else chunk == value
    return int(hits.argmax())


def _all_drawable(losses: np.ndarray, log_scale: bool) -> bool:
    """Every loss finite (and > 0 on a log axis), found without a mask the size of the history: min
    and max are NaN if any loss is, ±inf if any is, and allocate nothing."""
    if not len(losses):
        return True
    low, high = float(losses.min()), float(losses.max())
    return math.isfinite(low) and math.isfinite(high) and (low > 0 or not log_scale)


TITLE_FRAME = 6  # "╭─ " and " ─╮" around the border title
PLOT_LIMIT = 1e12  # plotext overflows computing ticks near 1e300; a diverging loss is drawn clipped


class LossPlot(RowCache, SafePlot):
    """The loss chart, set up when it is painted (`build`, the panel's; tui/app/widgets/plot.py).

    A new epoch moves the curve's end and a few labels: as a RowCache, the chart repaints only the
    rows that changed (issue 5, key → screen).
    """

    DEFAULT_CSS = """
    LossPlot {
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """


class LossPanel(SnapshotView):
    """The chart, with Lᵢ and L in the title. `log_scale` is the App's, bound like the Snapshot."""

    # The panel draws only its border: a new Snapshot repaints the title (when it changes) and the
    # chart (when the history does), not every row of the panel (issue 5, key → screen).
    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    lang: reactive[str] = reactive("en", repaint=False)
    log_scale: reactive[bool] = reactive(False)
    _asked: tuple = ()  # (loss history, log_scale, lang) of the last refresh of the chart
    _title: str | None = None  # the border title as last set
    _subtitle: str | None = None  # the border subtitle as last set
    _other: tuple = ()  # (key, losses, params) of the other mode's curve as far as it was trained

    def compose(self) -> ComposeResult:
        plot = LossPlot(id="loss-plot")
        plot.build = self._build
        yield plot

    def on_mount(self) -> None:
        self._redraw()

    def watch_snapshot(self) -> None:
        self._redraw()

    def watch_lang(self) -> None:
        self._redraw()

    def watch_log_scale(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # a change of layout can change the border (where "new history" goes) and leave the size as it was
        self._redraw()

    def title(self, s: Snapshot, tail: str = "") -> str:
        """Loss: Lᵢ 0.2748 · L₀ 0.2748 · log — Lᵢ of this sample, L_k of the data set after epoch k;
        with a `tail` (the compact layout's "new: tanh") without "Loss: " and the tail at the end.

        Lᵢ (also in Explain) goes when the whole title would not fit on the border: a number is
        never cut to "0.08…"."""
        parts = []
        if s.forward2 is not None:
            parts.append(f"Lᵢ {self.num(s.forward2.loss)}")
        parts.append(f"L{fmt.sub(len(s.losses) - 1)} {self.num(s.loss_now)}")
        if self.log_scale:
            parts.append("log")
        head, end = ("", [tail]) if tail else (f"{self.t('ui_loss')}: ", [])
        title = head + " · ".join(parts + end)
        room = self.outer_size.width - TITLE_FRAME
        if s.forward2 is not None and 0 < room < len(title):
            title = head + " · ".join(parts[1:] + end)
        return title

    def subtitle(self, start: HistoryStart, short: bool = False) -> str:
        """What started the history shown ("new history: hidden tanh", `short`: "new: tanh"); "" for
        the model the app opened with."""
        if start.kind == "start":
            return ""
        detail = act_name(start.detail, self.lang) if start.kind in ("activation", "output") else start.detail
        if short:
            return self.t("ui_loss_new_short", what=detail or self.t(f"ui_loss_what_{start.kind}"))
        return self.t(f"ui_loss_new_{start.kind}", name=detail)

    def mark_label(self, c: LrChange) -> str:
        """η 0.5→1: the change of η a vertical line marks."""
        return f"η {self.short(c.old)}→{self.short(c.new)}"

    def _redraw(self) -> None:
        s = self.snapshot
        if s is None or not self.is_mounted:
            return
        try:
            plot = self.query_one(LossPlot)
        except Exception:  # not composed yet
            return
        title = self.title(s)
        subtitle = self.subtitle(s.loss_history.start)
        if subtitle and self.styles.border_bottom[0] in ("", "none", "hidden"):
            # the compact layout has no bottom border to say it on: the end of the title, shorter, and
            # without "Loss: " (Lᵢ and L say it), so that it fits the half-width panel at 80 columns
            title, subtitle = self.title(s, tail=self.subtitle(s.loss_history.start, short=True)), ""
        if title != self._title:
            self._set_title(title)
        if subtitle != self._subtitle:
            self._subtitle = subtitle
            self.border_subtitle = subtitle
        # with the terminal's own colours (ANSI theme) plotext draws in the default colours too
        plot.theme = "clear" if self.app.current_theme.ansi else "auto"
        asked = (s.loss_history, self.log_scale, self.lang, s.batch, s.batch_next, s.lr)
        if self._asked and asked[0] is self._asked[0] and asked[1:] == self._asked[1:]:
            return  # f and b leave the history as it was: rebuilding the chart costs ~1/3 of a key press
        self._asked = asked
        plot.content_changed()  # a resize repaints it too

    def _set_title(self, title: str) -> None:
        self._title = title
        self.border_title = title

    def _build(self, plot: SafePlot) -> None:
        """Set up the plotext figure for what the chart shows now, at its size; LossPlot.render builds it."""
        s = self.snapshot
        if s is None:
            return
        # Set up afresh for every build, even of the same data: plotext's build changes the figure
        # (with a log scale, a second build of it fails and the chart went blank after L then t).
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        losses = np.asarray(s.losses, dtype=float)
        if _all_drawable(losses, self.log_scale):  # the usual case: nothing as long as the history (issue 18)
            values, epochs_kept = losses, None
        else:
            finite = np.isfinite(losses)
            if self.log_scale:
                finite &= losses > 0
            values, epochs_kept = losses[finite], np.flatnonzero(finite)
        width = max(plot.size.width, 20)
        # plotext's own first colour is a light green: on a light theme's white it is ~2:1, so there
        # the curve takes the theme's primary colour (8.6:1 in the high-contrast theme)
        theme = self.app.current_theme
        colour = None if theme.ansi or theme.dark else Color.parse(theme.primary).rgb
        if len(values):
            idx_e, vals = downsample(values, POINTS_PER_COLUMN * width)
            vals = np.clip(vals, -PLOT_LIMIT, PLOT_LIMIT)
            xs = idx_e if epochs_kept is None else epochs_kept[idx_e]
            plt.plot(xs.tolist(), vals.tolist(), marker="braille", color=colour)
            if len(values) == 1:
                plt.scatter(xs.tolist(), vals.tolist(), marker="dot", color=colour)
        both = vals if len(values) else None
        other = self.other_mode(s)
        if other is not None:
            mode, curve = other
            idx_o, vals_o = downsample(curve, POINTS_PER_COLUMN * width)
            vals_o = np.clip(vals_o, -PLOT_LIMIT, PLOT_LIMIT)
            # its own glyph (•), not only its own colour: the two curves read apart without colour too
            plt.plot(idx_o.tolist(), vals_o.tolist(), marker="•")
            if len(values) and math.isfinite(float(vals_o.min())) and math.isfinite(float(vals_o.max())):
                both = np.concatenate([vals, vals_o])  # the axis holds both curves
        plt.yscale("log" if self.log_scale else "linear")
        with_label = plot.size.height >= 8
        if with_label:  # with the other mode's curve, the label is the legend of the two (glyph, mode)
            plt.xlabel(self.t("ui_loss_chart") if other is None else self.legend(s, other[0]))
        # rows for data: the height less the frame's two lines, the x tick labels and the label
        data_rows = plot.size.height - 3 - with_label
        if 0 < len(losses) <= 8:  # whole epochs, not 0.25 of one
            plt.xticks(list(range(len(losses))))
        elif len(losses) > 8:
            ticks = sorted({int(round(v)) for v in np.linspace(0, len(losses) - 1, 4)})
            plt.xticks(ticks, [str(k) for k in ticks])  # type: ignore[arg-type]  # plotext: list[float], invariant
        lo: float | None = None
        hi: float | None = None
        if len(values) == 1:  # one point: a band around it rather than plotext's arbitrary range
            v = float(values[0])
            plt.xlim(0, 1)
            if self.log_scale:
                # a decade either side (0 has no place on a log axis: the point was not drawn); on a
                # log axis plotext takes the limits as log₁₀ values, and the ticks as values
                lo, hi = v / 10, v * 10
                plt.ylim(math.log10(lo), math.log10(hi))
            else:
                lo, hi = (0.0, 2 * v) if v > 0 else (-1.0, 1.0)
                plt.ylim(lo, hi)
        elif len(values):
            assert both is not None  # len(values): set above
            lo, hi = float(both.min()), float(both.max())
        if hi is not None:
            # the labels need a row of their own above the curve's only row or two
            self._mark_lr_changes(plt, s.loss_history.lr_marks, len(losses), width, hi, data_rows >= 3)
        if lo is not None and (data_rows <= 1 or (self.log_scale and len(values) == 1)):
            # one row (the 80×24 layout): one label, the loss now. Two labels on one row would be
            # drawn over each other, and which one plotext shows last is not fixed.
            plt.yticks([float(vals[-1])], [self.num(vals[-1])])
        elif lo is not None and hi is not None and hi > lo and not self.log_scale:  # (set together)
            # tick labels through tui.text.fmt, so they follow --decimal-comma like every other number;
            # no more labels than rows, so that no two share a row
            at = np.linspace(lo, hi, int(min(max(data_rows, 2), 5)))
            plt.yticks(at.tolist(), [self.num(v) for v in at])
        elif lo is not None and hi is not None and hi > lo > 0:
            # on the log axis too: plotext's own labels (0.0000100) are not the notes' style (1.000e−05)
            at = np.geomspace(lo, hi, int(min(max(data_rows, 2), 5)))
            plt.yticks(at.tolist(), [self.num(v) for v in at])

    def legend(self, s: Snapshot, other: str) -> str:
        """ "⣀ batch • per-sample": which curve is which, by glyph; in as few letters as the names allow,
        so that plotext, which leaves out a label wider than the chart, keeps it at 35 columns."""
        now = mode_name(s.batch, s.m, self.lang)
        if now == mode_name("full", s.m, self.lang):
            now = self.t("ui_key_batch")
        return self.t("ui_loss_other_mode", now=now, mode=other)

    def other_mode(self, s: Snapshot) -> tuple[str, np.ndarray] | None:
        """In batch mode (or with a change of mode asked for): the other mode's data-set loss per epoch
        from the parameters this history started from, with η now, over as many epochs as the history
        has (at most OTHER_MODE_EPOCHS): (its name, L₀ …). Per-sample descent is compared with the
        mode in force, or with the mode asked for; None when neither is a batch mode."""
        if s.history_params is None or (s.batch is None and (s.batch_next is None or s.batch_next[0] is None)):
            return None
        if s.batch is not None:
            other = None
        else:
            assert s.batch_next is not None  # (returned above otherwise)
            other = s.batch_next[0]
        from engine import training  # lazy: the app starts without it
        from engine.model import Model  # lazy, with training

        epochs = min(len(s.losses) - 1, OTHER_MODE_EPOCHS, max(1, OTHER_MODE_SAMPLES // s.m))
        key = (s.history_params, s.X, s.Y, s.hidden, s.output, s.lr, other)
        if self._other and self._other[0] == key:
            losses, params = self._other[1], self._other[2]
        else:
            losses, params = [s.losses[0]], s.history_params
        if len(losses) - 1 < epochs and math.isfinite(losses[-1]):
            model = Model(name=s.name, params=params, X=s.X, Y=s.Y, hidden=s.hidden, output=s.output, lr=s.lr)
            with np.errstate(all="ignore"):
                res = training.mode_epochs(params, model, epochs - (len(losses) - 1), other)
            losses = losses + res.losses.tolist()
            params = res.params
        self._other = (key, losses, params)
        name = mode_name(other, s.m, self.lang)
        if other is not None and name == mode_name("full", s.m, self.lang):
            name = self.t("ui_key_batch")
        return name, np.asarray(losses[: epochs + 1], dtype=float)

    def _mark_lr_changes(self, plt, marks: tuple[LrChange, ...], n: int, width: int, top: float, labels: bool) -> None:
        """A vertical line at each η change (one per column at most: the last one there) and, if
        `labels`, its label on the top row, newest first, where it does not run into a label already
        placed (else "η" alone, else none). Columns are estimated from the chart's width less its axis."""
        if not marks:
            return
        span = max(n - 1, 1)  # the x axis runs from L₀ to the last loss (0 to 1 for one point)
        columns = max(width - AXIS_COLUMNS, 1)
        placed: list[tuple[int, int]] = []  # columns taken by labels
        # plotext takes a label's background and a line's colour when they are drawn, before
        # textual_plotext themes the figure (white and black then): name the panel's own colours
        # (none with the terminal's colours)
        theme, variables = self.app.current_theme, self.app.theme_variables
        background = "default" if theme.ansi else Color.parse(variables["surface"]).rgb
        ink = "default" if theme.ansi else Color.parse(variables["foreground"]).rgb
        drawn: set[int] = set()
        for c in reversed(marks):
            col = round(c.at / span * (columns - 1))
            if col in drawn:
                continue  # a later change shows on this column already
            drawn.add(col)
            plt.vline(c.at, color=ink)
            if not labels:
                continue
            right = col >= columns / 2  # the label ends at the line, else it starts there
            for label in (self.mark_label(c), "η"):  # where the whole label has no room: η alone
                first, last = (col - len(label) + 1, col) if right else (col, col + len(label) - 1)
                if first >= 0 and last < columns and not any(first <= b + 1 and a - 1 <= last for a, b in placed):
                    placed.append((first, last))
                    plt.text(label, c.at, top, alignment="right" if right else "left", color=ink, background=background)
                    break


__all__ = ["LossPanel", "downsample"]
