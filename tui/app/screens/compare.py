"""The `c` screen: exercise 5, sigmoid, tanh and ReLU side by side (and exercise 6(b)'s step) (issue 12, item 2).

The App's current sample from the parameters it started with (the Snapshot's `params_start`), once
per hidden activation, the output activation kept as the notes keep it (engine.compare): z, a, f'(z),
z⁽²⁾, δ⁽²⁾, δ⁽¹⁾, the nine gradients with the largest and smallest |∂L/∂θ| of each row marked (▲ ▼
and a style: it reads without colour), and ŷ, Lᵢ and L before → after one update. Beside the table
(below it, or on a page of its own when the terminal is small) the data-set loss of each activation
trained N epochs from the same parameters, on one chart, each curve drawn with its own letter.

Training 3 × N epochs runs at once when it is a few milliseconds of work (INLINE_SAMPLES), else in
a thread worker on the Snapshot's own frozen arrays, which posts its result and is cancelled when
the screen closes or N or the start changes; it never touches a widget. The screen follows the
App's Snapshot (`s` moves to the next sample here; play may go on underneath).

Keys: + / − N along EPOCHS; Tab the next page (when the table is cut in pages); s next sample; L log
scale (the App's); l language; ? help; x export (the App's set, the screenshot of this screen, and the
comparison as JSON and Markdown); Esc, q or c closes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import get_current_worker

from engine import compare
from engine.model import Model
from engine.network import Params
from engine.stepper import Snapshot
from engine.training import TrainResult
from tui.app.host import view_host
from tui.app.screens.base import ViewScreen
from tui.app.widgets.loss import PLOT_LIMIT, downsample
from tui.app.widgets.plot import SafePlot
from tui.text import compare as table
from tui.text import fmt
from tui.text.i18n import act_name, t, tn
from tui.text.report import Text as Words

EPOCHS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)  # what + and − walk
DEFAULT_EPOCHS = 200
INLINE_SAMPLES = 3_000  # 3 × N × m sample-steps up to this (~3 ms) are trained at once, more in a worker
MARKERS = {"sigmoid": "s", "tanh": "t", "relu": "r", "step": "h"}  # each curve its letter: told apart without colour
COLOURS = {
    "sigmoid": ("cyan", "blue"),
    "tanh": ("orange", "red"),
    "relu": ("green", "green"),
    "step": ("magenta", "magenta"),
}  # dark, light; step: h for Heaviside (exercise 6(b))
CHART_WIDTH = 40  # the chart goes beside the table from this many columns to spare
CHART_HEIGHT = 12  # … else below it from this many rows, else on a page of its own


@dataclass(frozen=True)
class Start:
    """Where the comparison starts: the sample and the parameters it started with, and the settings."""

    params: Params
    X: np.ndarray
    Y: np.ndarray
    output: str
    lr: float
    first: int  # the sample-step: epoch·m + sample

    def same(self, other: Start | None) -> bool:
        return (
            other is not None
            and other.params is self.params
            and other.X is self.X
            and other.Y is self.Y
            and (other.output, other.lr, other.first) == (self.output, self.lr, self.first)
        )


def start_of(s: Snapshot) -> Start:
    return Start(s.params_start, s.X, s.Y, s.output, s.lr, s.epoch * s.m + s.sample)


def paginate(heights: list[int], room: int) -> list[list[int]]:
    """The sections (by height) packed in order onto pages of `room` rows; a section never split."""
    pages: list[list[int]] = [[]]
    used = 0
    for k, h in enumerate(heights):
        if pages[-1] and used + h > room:
            pages.append([])
            used = 0
        pages[-1].append(k)
        used += h
    return pages


class CompareTable(Static):
    """The columns of the comparison (tui/text/compare.py lays out the cells)."""

    COMPONENT_CLASSES = {"cmp--largest", "cmp--smallest", "cmp--section", "cmp--current"}


class ComparePlot(SafePlot):
    """The three loss curves; set up when painted, at the size painted (tui/app/widgets/plot.py)."""


class CompareScreen(ViewScreen):
    FOLLOWS = ("snapshot", "lang", "notice_text", "log_scale")
    # the App's keys that work here (the key table's Key.over): s moves to the next sample (the columns follow), L the log scale
    # of the chart, help, language; x is the screen's own (it adds the comparison to the export)
    OVERLAY = "compare"
    SHOWS_NOTICE = True  # in its key line
    BINDINGS = [
        Binding("escape,c,q", "close", show=False),
        Binding("plus,equals_sign", "epochs_up", show=False),
        Binding("minus,underscore", "epochs_down", show=False),
        Binding("tab", "next_page", show=False),
    ]

    class Done(Message):
        """The worker's histories for run `run`."""

        def __init__(self, run: int, runs: tuple[TrainResult, ...]) -> None:
            super().__init__()
            self.run, self.runs = run, runs

    epochs: reactive[int] = reactive(DEFAULT_EPOCHS, init=False)
    page: reactive[int] = reactive(0, init=False)

    def __init__(self, comma: bool = False, epochs: int = DEFAULT_EPOCHS) -> None:
        super().__init__()
        self.comma = comma
        self.set_reactive(CompareScreen.epochs, epochs)
        self.columns: tuple[compare.Column, ...] = ()
        self.runs: tuple[TrainResult, ...] | None = None  # the histories of `_trained`, when they have come
        self._trained: tuple[Start, int] | None = None  # the start and N the histories are (being) made for
        self._run = 0
        self.mode = "beside"  # beside, below or paged (_layout)
        self.pages: list[list[str]] = [list(table.SECTIONS)]
        self.table_text = Text()  # the table as shown now

    def compose(self) -> ComposeResult:
        yield Static(id="cmp-title")
        with Container(id="cmp-main"):
            yield CompareTable(id="cmp-table")
            with Vertical(id="cmp-right"):
                yield Static(id="cmp-chart-title")
                plot = ComparePlot(id="cmp-chart")
                plot.build = self._build_chart
                yield plot
                yield Static(id="cmp-reading")
        yield Static(id="cmp-keys")

    def watch_epochs(self) -> None:
        self._redraw()

    def watch_page(self) -> None:
        self._redraw()

    # --- what is shown ---------------------------------------------------------------------------
    def _model(self, s: Snapshot) -> Model:
        return view_host(self).stepper.model.with_(name=s.name, X=s.X, Y=s.Y, output=s.output, lr=s.lr)

    def _words(self) -> Words:
        return Words(view_host(self).lang, self.comma)

    def _redraw(self, *_) -> None:
        if not self.is_mounted:
            return
        s = view_host(self).snapshot
        start = start_of(s)
        self.columns = compare.compare(self._model(s), start.params, start.first)
        self._train(s, start)
        self._layout()
        words = self._words()
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        head, setup = table.heading(self.columns, words)
        title.append(head + "\n", "bold")
        title.append(setup)
        self.query_one("#cmp-title", Static).update(title)
        sections = (
            self.pages[self.page]
            if self.mode == "paged" and self.page < len(self.pages)
            else (list(table.SECTIONS) if self.mode != "paged" else [])
        )
        self.table_text = self._table(sections, words, act_name(s.hidden, view_host(self).lang))
        self.query_one(CompareTable).update(self.table_text)
        self._chart_title()
        self._reading()
        self.query_one(ComparePlot).refresh()
        notice = view_host(self).notice_text
        if notice:
            keys = Text(notice, "bold", no_wrap=True, overflow="ellipsis")
        elif self.mode == "paged":
            keys = Text(
                t("cmp_keys_paged", view_host(self).lang, page=self.page + 1, pages=len(self.pages) + 1),
                no_wrap=True,
                overflow="ellipsis",
            )
        else:
            keys = Text(t("cmp_keys", view_host(self).lang), no_wrap=True, overflow="ellipsis")
        self.query_one("#cmp-keys", Static).update(keys)

    def _section_heights(self) -> list[int]:
        """Rows of each section as the table draws it: its title and rows, the legend after the last."""
        rows = compare.rows(self.columns)
        heights = [1 + sum(r.section == sec for r in rows) for sec in table.SECTIONS]
        heights[-1] += 3  # a blank line and the two lines of the legend
        return heights

    def _widths(self, words: Words, tight: bool | None = None) -> tuple[int, list[int]]:
        """The label column's width and each activation's (its longest cell, a mark, two spaces)."""
        if tight is None:
            tight = self._tight(words)
        rows = compare.rows(self.columns)
        label = max(len(r.symbol.text) for r in rows) + 2
        lang = view_host(self).lang
        return label, [
            max(len(act_name(c.hidden, lang)), *(len(table.cell(r, k, words, tight)) for r in rows)) + 3
            for k, c in enumerate(self.columns)
        ]

    def _tight(self, words: Words) -> bool:
        """before→after without spaces when the table would not fit the screen's width with them."""
        label, widths = self._widths(words, tight=False)
        return label + sum(widths) + 3 > self.size.width

    def _table_width(self) -> int:
        label, widths = self._widths(self._words())
        return label + sum(widths) + 3  # the padding either side and the border

    def _layout(self) -> None:
        """Beside, below or paged, for the room the screen has (module docstring)."""
        width, height = self.size.width, self.size.height
        room = max(height - 3, 1)  # the title's two rows and the key line
        heights = self._section_heights()
        need = 1 + sum(heights)  # and the column header
        table_w = self._table_width()
        if need <= room and width - table_w >= CHART_WIDTH:
            mode = "beside"
        elif need + CHART_HEIGHT <= room:
            mode = "below"
        else:
            mode = "paged"
            self.pages = [[table.SECTIONS[k] for k in page] for page in paginate(heights, room - 1)]
        self.mode = mode
        if mode != "paged":
            self.pages = [list(table.SECTIONS)]
        main = self.query_one("#cmp-main")
        for m in ("beside", "below", "paged"):
            main.set_class(m == mode, f"-{m}")
        chart_page = mode == "paged" and self.page >= len(self.pages)
        if mode == "paged" and self.page > len(self.pages):
            self.set_reactive(CompareScreen.page, 0)
        main.set_class(chart_page, "-chart-page")
        self.query_one(CompareTable).styles.width = table_w if mode == "beside" else "1fr"

    def _table(self, sections: list[str], words: Words, current: str) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        if not sections:
            return out
        t_ = self.query_one(CompareTable)
        style = {m: t_.get_component_rich_style(f"cmp--{m}") for m in ("largest", "smallest", "section", "current")}
        rows = compare.rows(self.columns)
        names = [act_name(c.hidden, view_host(self).lang) for c in self.columns]
        tight = self._tight(words)
        label, widths = self._widths(words, tight)
        out.append(" " * label)
        for name, w in zip(names, widths):  # the App's own activation underlined
            out.append(" " * (w - len(name) - 1))
            out.append(name, style["current"] if name == current else "bold")
            out.append(" ")
        for r in rows:
            if r.section not in sections:
                continue
            if r is next(q for q in rows if q.section == r.section):
                out.append("\n" + table.section_title(r.section, self.columns, words), style["section"])
            out.append(f"\n  {r.symbol.text:<{label - 2}}")
            for k, (mark, w) in enumerate(zip(table.marks(r), widths)):
                text = table.cell(r, k, words, tight)
                out.append(" " * (w - len(text) - 1))
                st = style["largest"] if mark == table.LARGEST else style["smallest"] if mark == table.SMALLEST else ""
                out.append(text + (mark or " "), st)
        if "after" in sections:
            out.append("\n\n" + "\n".join(table.legend(view_host(self).snapshot.m, words)), "dim")
        return out

    # --- the loss curves ---------------------------------------------------------------------------
    def _train(self, s: Snapshot, start: Start) -> None:
        """The histories for this start and N: kept if made already, made at once if small, else in a
        worker (what an older worker sends is ignored)."""
        n = self.epochs
        if self._trained is not None and start.same(self._trained[0]) and self._trained[1] == n:
            return
        self._run += 1
        self._trained, self.runs = (start, n), None
        self.workers.cancel_group(self, "compare")
        model = self._model(s)
        if 3 * n * model.m <= INLINE_SAMPLES:
            self.runs = compare.histories(model, n, start.params)
        else:
            self._histories(self._run, model, n, start.params)

    @work(thread=True, exclusive=True, group="compare")
    def _histories(self, run: int, model: Model, epochs: int, params: Params) -> None:
        worker = get_current_worker()
        runs = compare.histories(model, epochs, params, go_on=lambda: not worker.is_cancelled and run == self._run)
        if runs is not None and not worker.is_cancelled:
            self.post_message(self.Done(run, runs))

    def on_compare_screen_done(self, msg: Done) -> None:
        if msg.run == self._run:
            self.runs = msg.runs
            self._redraw()  # the chart, and the table's reading of the runs

    def _reading(self) -> None:
        """Under the chart: what the numbers say (tui/text/compare.reading_lines), the training's part
        once the histories have come."""
        said = table.reading_lines(self.columns, self._words(), self.runs, view_host(self).snapshot.X)
        out = Text(end="")
        if said:
            out.append(said[0], "bold")
            out.append("".join("\n" + line for line in said[1:]))
        self.query_one("#cmp-reading", Static).update(out)

    def _chart_title(self) -> None:
        key = "cmp_training" if self.runs is None else "cmp_history"
        self.query_one("#cmp-chart-title", Static).update(
            Text(
                tn(key, self.epochs, view_host(self).lang, epochs=self.epochs),
                "bold",
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    def _build_chart(self, plot: SafePlot) -> None:
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        lang = view_host(self).lang
        if self.runs is None:
            return
        dark = self.app.current_theme.dark
        log = view_host(self).log_scale
        width = max(plot.size.width, 20)
        lo, hi = math.inf, -math.inf
        for run, c in zip(self.runs, self.columns):
            losses = np.asarray(run.losses, dtype=float)
            keep = np.isfinite(losses) & ((losses > 0) if log else True)
            if not keep.any():
                continue
            epochs, values = downsample(losses[keep], width)
            xs = np.flatnonzero(keep)[epochs]
            values = np.clip(values, -PLOT_LIMIT, PLOT_LIMIT)
            lo, hi = min(lo, float(values.min())), max(hi, float(values.max()))
            plt.plot(
                xs.tolist(),
                values.tolist(),
                marker=MARKERS[c.hidden],
                label=act_name(c.hidden, lang),
                color=COLOURS[c.hidden][0 if dark else 1],
            )
        if not math.isfinite(lo):  # no finite loss to draw (a diverged start): an empty chart
            return
        plt.yscale("log" if log else "linear")
        plt.xlabel(t("ui_loss_chart", lang))
        ticks = sorted({int(round(v)) for v in np.linspace(0, self.epochs, 5)})
        plt.xticks(ticks, [str(k) for k in ticks])  # type: ignore[arg-type]  # plotext: list[float], invariant
        if math.isfinite(lo) and hi > lo and not log:
            rows = max(plot.size.height - 4, 2)
            yt = np.linspace(lo, hi, int(min(rows, 5)))
            plt.yticks(yt.tolist(), [fmt.num(v, self.comma) for v in yt])

    # --- keys ------------------------------------------------------------------------------------
    def _step_epochs(self, direction: int) -> None:
        k = min(range(len(EPOCHS)), key=lambda i: abs(math.log(EPOCHS[i] / self.epochs)))
        self.epochs = EPOCHS[min(max(k + direction, 0), len(EPOCHS) - 1)]

    def action_epochs_up(self) -> None:
        self._step_epochs(+1)

    def action_epochs_down(self) -> None:
        self._step_epochs(-1)

    def action_next_page(self) -> None:
        if self.mode == "paged":
            self.page = (self.page + 1) % (len(self.pages) + 1)

    def export_files(self) -> dict[str, str]:
        """The comparison as the command line writes it: JSON and Markdown (with the histories when
        they have come)."""
        words, m = self._words(), view_host(self).snapshot.m
        runs = self.runs
        X = view_host(self).snapshot.X
        return {
            "_compare.json": compare.compare_json(self.columns, runs, X) + "\n",
            "_compare.md": table.compare_markdown(self.columns, m, words, runs, self.epochs, X),
        }

    def action_close(self) -> None:
        self._run += 1  # what a worker still sends is ignored
        self.workers.cancel_group(self, "compare")
        self.close()


__all__ = ["CompareScreen", "CompareTable", "ComparePlot", "EPOCHS", "DEFAULT_EPOCHS", "INLINE_SAMPLES", "paginate"]
