"""Memory after long play (issue 18): the loss history is copied once per play run, not by doubling
along it, and the chart draws a bounded number of points however long the history.

The peak memory itself (benchmarks/bench_app.py, item 8) is measured, not tested: these check the
mechanisms that keep it down, without timing anything.
"""

from __future__ import annotations

import numpy as np

from engine import presets
from engine.history import capacity_for
from tui.app.widgets.loss import POINTS_PER_COLUMN, LossPlot


def test_a_play_run_copies_its_loss_history_once(drive):
    """Play knows how many epochs it may still bring (--max-epochs): the history grows once, at the
    run's first update, to the power of two that holds them all. Doubling along the run held the old
    and the new array at once near its end (up to 2 × 8 MB at 10⁶ epochs)."""
    epochs = 20_000

    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        s = app.snapshot
        assert s.epoch == epochs and len(s.losses) == epochs + 1
        h = s.loss_history
        assert h.buffer.grown <= 1  # one copy, while the history was a few hundred losses long
        assert len(h.buffer.data) == capacity_for(epochs + 1)  # and no more room than that
        for _ in range(3):  # e after the run: within that room, no copy
            await pilot.press("e")
        await pilot.pause()
        assert app.snapshot.loss_history.buffer is h.buffer and h.buffer.grown <= 1
        assert len(app.snapshot.losses) == epochs + 4

    drive(scenario, model=presets.load("xor"), max_epochs=epochs, speed=0)


def test_the_chart_of_a_long_history_draws_a_bounded_number_of_points(drive, monkeypatch):
    """plotext gets at most a few points per column, not one per epoch (10⁶ epochs: 8 MB of floats
    as Python lists, and plotext's own copies of them)."""
    drawn = []

    async def scenario(app, pilot):
        app.snapshot = app.stepper.adopt(app.snapshot.params, np.linspace(0.3, 0.01, 300_000))
        await pilot.pause()
        plot = app.query_one(LossPlot)
        real = plot.plt.plot
        monkeypatch.setattr(plot.plt, "plot", lambda xs, ys, **kw: drawn.append(len(xs)) or real(xs, ys, **kw))
        plot.refresh()
        plot.render()
        assert drawn and max(drawn) <= POINTS_PER_COLUMN * plot.size.width + 2

    drive(scenario, model=presets.load("xor"))


def test_redrawing_the_chart_of_a_long_history_copies_none_of_it(drive):
    """The chart reads the history in place. NumPy's argmin/argmax copy a read-only array (the loss
    history is one): the redraw of 10⁶ epochs copied all 8 MB twice, and its finiteness mask took
    another 1 MB (issue 18). What a redraw allocates at its peak must be far below the history's size."""
    import tracemalloc

    epochs = 1_000_000

    async def scenario(app, pilot):
        losses = 0.3 * np.exp(-np.arange(epochs) / 2e5) + 0.01 + 0.005 * np.sin(np.arange(epochs) / 500)
        app.snapshot = app.stepper.adopt(app.snapshot.params, losses)
        await pilot.pause()
        plot = app.query_one(LossPlot)
        for log_scale in (False, True):
            app.log_scale = log_scale
            await pilot.pause()
            plot.render()  # plotext's first build of this figure, outside the measure
            tracemalloc.start()
            try:
                text = plot.render()
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert text.plain.strip()  # drawn, not blank
            assert peak < 8 * epochs / 32  # under 250 kB, against 8 MB of history (before: 1.4 MB)

    drive(scenario, model=presets.load("xor"))
