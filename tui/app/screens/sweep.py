"""The `W` screen: does a 2–2–1 net always learn this data set? (issue 4, item 7)

engine.sweep.sweep trains N independently initialised networks (seeds seed … seed + N − 1) on
the current data set, η and output activation, once per hidden activation on the same starting
points, in a thread worker. The screen shows how many converged (final L < 0.01) per hidden
activation, and a plotext histogram of log₁₀ of the final losses of one of them (Tab switches):
on a log scale the networks that learnt and the ones stuck on a plateau form separate humps.

The worker never touches a widget: it posts Progress (throttled) and Done messages; `n` and `e`
change the size and start again (the running sweep is cancelled through its progress callback).
"""

from __future__ import annotations

import math
import time

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from engine import activations, sweep
from engine.model import Model
from tui.app.screens.base import TopScreen
from tui.text import fmt, histogram
from tui.text.histogram import log10_losses, log10_range
from tui.text.i18n import act_name, t, tn

NETS = (50, 100, 200, 500, 1000, 2000)
EPOCHS = (500, 1000, 2000, 5000, 10000)
DEFAULT_NETS, DEFAULT_EPOCHS = 200, 2000  # ~1 s for XOR on a 2-core machine
BINS = 30
PROGRESS_INTERVAL = 0.1  # seconds: ≤ 10 progress redraws a second


class Cancelled(Exception):
    """Raised from the progress callback to abandon a sweep nobody waits for any more."""


def next_in(ladder: tuple[int, ...], value: int) -> int:
    """The next value of the ladder after `value`, wrapping round."""
    bigger = [v for v in ladder if v > value]
    return bigger[0] if bigger else ladder[0]


class SweepScreen(TopScreen):
    OVERLAY = "sweep"  # a view: play goes on underneath; x (the key table's) exports the App's moment

    BINDINGS = [
        Binding("escape,W,q", "close", show=False),
        Binding("n", "nets", show=False),
        Binding("e", "epochs", show=False),
        Binding("r", "run", show=False),
        Binding("tab", "next_activation", show=False),
    ]

    class Progress(Message):
        def __init__(self, run: int, hidden: str, epoch: int) -> None:
            super().__init__()
            self.run, self.hidden, self.epoch = run, hidden, epoch

    class Done(Message):
        def __init__(self, run: int, result: sweep.SweepResult, seconds: float) -> None:
            super().__init__()
            self.run, self.result, self.seconds = run, result, seconds

    selected: reactive[int] = reactive(0)

    def __init__(
        self,
        model: Model,
        *,
        lang: str = "en",
        comma: bool = False,
        nets: int = DEFAULT_NETS,
        epochs: int = DEFAULT_EPOCHS,
        hidden: tuple[str, ...] = activations.HIDDEN_ACTIVATIONS,
    ) -> None:
        super().__init__()
        self.model, self.lang, self.comma = model, lang, comma
        self.nets, self.epochs, self.hidden = nets, epochs, tuple(hidden)
        self.result: sweep.SweepResult | None = None
        self.seconds = 0.0
        self._run = 0
        self._progress: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="sweep-title")
        yield Static(id="sweep-table")
        yield Static(id="sweep-hist-title")
        yield PlotextPlot(id="sweep-hist")
        yield Static(id="sweep-keys")

    def on_mount(self) -> None:
        self.action_run()

    def on_resize(self) -> None:
        self._draw()

    def watch_selected(self) -> None:
        self._draw()

    # --- the worker ------------------------------------------------------------------------
    def action_run(self) -> None:
        self._run += 1
        self.result, self._progress = None, (self.hidden[0], 0)
        self._sweep(self._run, self.model, self.nets, self.epochs, self.hidden)
        self._draw()

    @work(thread=True, exclusive=True, group="sweep")
    def _sweep(self, run: int, model: Model, nets: int, epochs: int, hidden: tuple[str, ...]) -> None:
        worker = get_current_worker()
        last = 0.0

        def progress(h: str, epoch: int) -> None:
            nonlocal last
            if worker.is_cancelled or run != self._run:
                raise Cancelled
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL:
                last = now
                self.post_message(self.Progress(run, h, epoch))

        started = time.monotonic()
        try:
            result = sweep.sweep(model, nets, epochs, hidden=hidden, progress=progress)
        except Cancelled:
            return
        self.post_message(self.Done(run, result, time.monotonic() - started))

    def on_sweep_screen_progress(self, msg: Progress) -> None:
        if msg.run == self._run and self.result is None:
            self._progress = (msg.hidden, msg.epoch)
            self._draw()

    def on_sweep_screen_done(self, msg: Done) -> None:
        if msg.run == self._run:
            self.result, self.seconds, self._progress = msg.result, msg.seconds, None
            self._draw()

    # --- drawing ---------------------------------------------------------------------------
    def _n(self, v: float) -> str:
        return fmt.num(v, self.comma)

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        lang, m = self.lang, self.model
        first, last = m.seed, m.seed + self.nets - 1
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        title.append(
            t(
                "ui_sweep_title",
                lang,
                nets=tn("n_networks", self.nets, lang),
                epochs=tn("n_epochs", self.epochs, lang),
                name=m.name,
            )
            + "\n",
            "bold",
        )
        title.append(
            t(
                "ui_sweep_setup",
                lang,
                output=act_name(m.output, lang),
                lr=fmt.short(m.lr, self.comma),
                first=first,
                last=last,
                threshold=self._n(sweep.CONVERGED_LOSS),
            )
        )
        self.query_one("#sweep-title", Static).update(title)
        self.query_one("#sweep-table", Static).update(self._table())
        self._histogram()
        self.query_one("#sweep-keys", Static).update(Text(t("ui_sweep_keys", lang), no_wrap=True, overflow="ellipsis"))

    def _table(self) -> Text:
        lang, r = self.lang, self.result
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        if r is None:
            hidden, epoch = self._progress or (self.hidden[0], 0)
            out.append(
                t("ui_sweep_running", lang, hidden=act_name(hidden, lang), epoch=epoch, epochs=self.epochs), "bold"
            )
            return out
        cols = (
            t("cli_sweep_hidden", lang),
            t("cli_sweep_converged", lang),
            t("cli_sweep_diverged", lang),
            t("cli_sweep_median", lang),
        )
        width = max(len(cols[0]), *(len(act_name(run.hidden, lang)) for run in r.runs)) + 2
        conv = max(len(cols[1]), len(f"{r.nets} / {r.nets} (100.0%)")) + 2
        out.append(f"  {cols[0]:<{width}}{cols[1]:<{conv}}{cols[2]:>{len(cols[2])}}  {cols[3]}\n", "bold")
        for k, run in enumerate(r.runs):
            share = fmt.num(100.0 * run.n_converged / r.nets, self.comma, decimals=1)
            finite = run.final_loss[np.isfinite(run.final_loss)]
            median = self._n(float(np.median(finite))) if finite.size else "—"
            line = (
                f"{act_name(run.hidden, lang):<{width}}{f'{run.n_converged} / {r.nets} ({share}%)':<{conv}}"
                f"{run.n_diverged:>{len(cols[2])}}  {median}"
            )
            out.append(("▶ " if k == self.selected else "  ") + line + "\n", "reverse" if k == self.selected else "")
        seconds = fmt.num(self.seconds, self.comma, decimals=1)
        out.append(t("ui_sweep_done", lang, seconds=seconds), "dim")
        return out

    def _histogram(self) -> None:
        plot = self.query_one("#sweep-hist", PlotextPlot)
        caption = self.query_one("#sweep-hist-title", Static)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        r = self.result
        if r is None:
            caption.update("")
            plot.refresh()
            return
        run = r.runs[self.selected % len(r.runs)]
        logs = log10_losses(run.final_loss)
        if not logs.size:
            caption.update(Text(t("ui_sweep_no_hist", self.lang, hidden=act_name(run.hidden, self.lang)), "bold"))
            plot.refresh()
            return
        lo, hi = log10_range(r.runs)  # one x axis for every activation, so Tab compares like with like
        threshold = math.log10(r.threshold)
        # the line is drawn only on the axis; off it, the caption says on which side it lies (issue 19)
        where = (
            "ui_sweep_hist"
            if lo <= threshold <= hi
            else ("ui_sweep_hist_right" if threshold > hi else "ui_sweep_hist_left")
        )
        caption.update(
            Text(
                t(
                    where,
                    self.lang,
                    hidden=act_name(run.hidden, self.lang),
                    networks=tn("n_networks", logs.size, self.lang),
                    threshold=self._n(r.threshold),
                    at=fmt.num(threshold, self.comma),
                ),
                "bold",
                no_wrap=True,
                overflow="ellipsis",
            )
        )
        b = histogram.bars(logs, lo, hi, BINS)
        dark = self.app.current_theme.dark
        histogram.plot(plt, b, width=0.8, color="cyan" if dark else "blue")
        if lo <= threshold <= hi:
            plt.vline(threshold, "orange" if dark else "red")
        plot.refresh()

    # --- keys --------------------------------------------------------------------------------
    def action_nets(self) -> None:
        self.nets = next_in(NETS, self.nets)
        self.action_run()

    def action_epochs(self) -> None:
        self.epochs = next_in(EPOCHS, self.epochs)
        self.action_run()

    def action_next_activation(self) -> None:
        self.selected = (self.selected + 1) % len(self.hidden)

    def action_close(self) -> None:
        self._run += 1  # the progress callback sees it and abandons the sweep
        self.workers.cancel_group(self, "sweep")
        self.close()


__all__ = ["SweepScreen", "next_in", "DEFAULT_NETS", "DEFAULT_EPOCHS"]
