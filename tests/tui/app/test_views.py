"""The activation view (v), the gradient check (g) and the sweep screen (W), driven with Pilot.

Numbers on screen are checked against formulas written out here by hand (σ = 1/(1 + e⁻ᶻ),
tanh, the notes' example of §2.3 and finite differences of L = ½(ŷ − y)² computed with math.exp),
and the sweep counts against engine.sweep.sweep run on its own.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from engine import gradcheck, presets, sweep
from engine.model import Model
from engine.network import Params
from tui.app.screens.activation import ActivationPlot, ActivationScreen, ActivationTable, nice_ticks, x_range
from tui.app.screens.gradcheck import GradCheckScreen
from tui.app.screens.sweep import SweepScreen, next_in
from tui.text import fmt
from tui.text.fmt import param as row_symbol

SIZES = [(120, 40), (80, 24)]


def shown(v: float) -> str:
    """A number as the screens write it: tui.text.fmt, with a true minus sign."""
    return fmt.num(v).replace("-", "−")


def table_text(app) -> str:
    return str(app.screen.query_one(ActivationTable).render())


@pytest.fixture
def lecture_loss(sigma):
    """L = ½(ŷ − y)² of the notes' example with b⁽²⁾ and w₁₁⁽²⁾ free (§2.3, §2.1), by hand."""

    def loss(b2=0.60, w11_2=0.40):
        x1, x2, y = 0.05, 0.10, 0.01
        a1 = sigma(0.15 * x1 + 0.25 * x2 + 0.35)
        a2 = sigma(0.20 * x1 + 0.30 * x2 + 0.35)
        yhat = sigma(w11_2 * a1 + 0.45 * a2 + b2)
        return 0.5 * (yhat - y) ** 2

    return loss


# --- activation view ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_v_shows_the_sigmoid_table_of_section_1_6(size, sigma, drive):
    async def scenario(app, pilot):
        await pilot.press("v")
        assert isinstance(app.screen, ActivationScreen)
        text = table_text(app)
        for z in (-4, -2, 0, 2, 4):
            s = sigma(z)
            assert f"{s:.4f}" in text and f"{s * (1 - s):.4f}" in text
        # as §1.6 prints them
        for value in ("0.0180", "0.0177", "0.1192", "0.1050", "0.5000", "0.2500", "0.8808", "0.9820"):
            assert value in text
        assert "press f" in text  # no z yet
        await pilot.press("escape")
        assert not isinstance(app.screen, ActivationScreen)

    drive(scenario, size=size)


def test_activation_view_follows_the_forward_pass_and_marks_each_z(sigma, drive):
    async def scenario(app, pilot):
        await pilot.press("v", "f")  # f works inside the view
        text = table_text(app)
        z1, z2 = 0.15 * 0.05 + 0.25 * 0.10 + 0.35, 0.20 * 0.05 + 0.30 * 0.10 + 0.35
        for z in (z1, z2):
            assert f"= {z:.4f}" in text
            assert f"{sigma(z):.4f}" in text and f"{sigma(z) * (1 - sigma(z)):.4f}" in text
        assert "z₁⁽¹⁾ = 0.3825" in text and "z₂⁽¹⁾ = 0.3900" in text
        chart = app.screen.query_one(ActivationPlot).plt
        drawn = chart.uncolorize(chart.build())
        assert "z₁⁽¹⁾" in drawn and "z₂⁽¹⁾" in drawn and "f'(z)" in drawn
        # the output layer: z⁽²⁾ after the second f
        await pilot.press("o")
        assert "press f" in table_text(app)
        await pilot.press("f")
        assert "z⁽²⁾ = 1.1061" in table_text(app)
        assert "output layer: sigmoid" in str(app.screen.query_one("#act-title").render())

    drive(scenario)


def test_a_in_the_activation_view_switches_to_tanh(drive):
    async def scenario(app, pilot):
        await pilot.press("v", "a")
        assert app.snapshot.hidden == "tanh"
        text = table_text(app)
        assert f"{math.tanh(2):.4f}" in text and f"{1 - math.tanh(2) ** 2:.4f}" in text
        assert "hidden layer: tanh" in str(app.screen.query_one("#act-title").render())

    drive(scenario, size=(80, 24))


def test_saturated_and_dead_units_are_named(drive):
    big = Model(
        name="big",
        params=Params(W1=[[10.0, -10.0], [10.0, -10.0]], b1=[5.0, -5.0], W2=[[0.4], [0.45]], b2=[0.6]),
        X=[[0.05, 0.10]],
        Y=[0.01],
    )

    async def scenario(app, pilot):
        await pilot.press("v", "f")
        text = table_text(app)
        z1 = 10 * 0.05 + 10 * 0.10 + 5  # 6.5: σ' = 0.0015, far below σ'(0) = 0.25
        assert f"= {z1:.4f}" in text and "saturated" in text
        await pilot.press("a", "a", "f")  # relu; z₂⁽¹⁾ = −6.5: f' = 0
        assert app.snapshot.hidden == "relu"
        assert "no gradient flows back" in table_text(app)
        assert app.screen.query_one(ActivationPlot).plt  # drawn without error

    drive(scenario, model=big)


def test_this_samples_f_and_f_prime_never_run_together(drive):
    """z₂⁽¹⁾ = −250.67 under a sigmoid: f and f' are both 1.367e−109, ten characters each, and the view
    wrote them as one number, 1.367e−1091.367e−109 (found by the oracle fuzz, issue 18)."""
    model = Model(
        name="saturated",
        params=Params(W1=[[0.0, 0.0], [0.0, 0.0]], b1=[0.0, -250.6691], W2=[[0.4], [0.45]], b2=[0.6]),
        X=[[0.0, 0.0]],
        Y=[0.01],
    )

    async def scenario(app, pilot):
        await pilot.press("v", "f")
        rows = table_text(app).splitlines()
        k = next(k for k, row in enumerate(rows) if row.startswith("z₂⁽¹⁾ = "))
        assert rows[k + 1].split() == [shown(1.367042938e-109)] * 2, rows[k + 1]

    drive(scenario, model=model)


def test_axis_helpers():
    assert x_range([("z", 0.38, 0.59)]) == 6.0
    assert x_range([("z", -14.0, 0.0)]) == 16.0  # widened to hold z, with a margin
    assert x_range([("z", 1e6, 1.0)]) == 100.0
    assert nice_ticks(-0.08, 1.2) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(-1.2, 1.3) == [-1.0, -0.5, 0.0, 0.5, 1.0]


# --- gradient check ----------------------------------------------------------------------------


def table_row(body: str, key: tuple) -> list[str]:
    """The cells of a parameter's row of the g table (its first two characters hold the ▶ of the pick)."""
    return next(line[2:] for line in body.splitlines() if line[2:].startswith(row_symbol(key) + " ")).split()


def test_g_shows_central_and_forward_differences_that_agree_with_backprop(lecture_loss, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "g")
        assert isinstance(app.screen, GradCheckScreen)
        body = app.screen.text.plain
        h = 1e-4  # the notes' step (exercise 2(d)) comes first
        central = gradcheck.check_snapshot(app.snapshot, h, "central")
        forward = gradcheck.check_snapshot(app.snapshot, h, "forward")
        assert len(central) == 9
        for c, f in zip(central, forward):
            assert table_row(body, c.key)[1:] == [
                shown(c.analytic),
                shown(c.numeric),
                shown(c.rel_error),
                shown(f.numeric),
                shown(f.rel_error),
            ]
            assert c.rel_error < 1e-6  # central differences agree with backprop
        # b⁽²⁾ by hand: δ⁽²⁾ = 0.1385, and both difference quotients of L
        by_hand_c = (lecture_loss(0.60 + h) - lecture_loss(0.60 - h)) / (2 * h)
        by_hand_f = (lecture_loss(0.60 + h) - lecture_loss(0.60)) / h
        row = table_row(body, ("b2", 1))
        assert row[1:3] == ["0.1385", "0.1385"] and row[4] == f"{by_hand_f:.4f}"
        assert abs(by_hand_c - central[-1].numeric) < 1e-9
        assert "10⁻⁴" in body and "agrees" in body

    drive(scenario)


def test_step_size_is_settable_and_forward_error_grows_with_h(lecture_loss, drive):
    async def scenario(app, pilot):
        await pilot.press("g")
        await pilot.press("plus", "plus", "plus")  # 10⁻⁴ → 10⁻¹
        body = app.screen.text.plain
        assert "h = 10⁻¹" in body
        h = 0.1
        by_hand_f = (lecture_loss(0.60 + h) - lecture_loss(0.60)) / h
        row = table_row(body, ("b2", 1))
        assert row[4] == f"{by_hand_f:.4f}"  # 0.1340: the O(h) error of forward differences shows
        assert f"{by_hand_f:.4f}" != "0.1385"
        fwd = gradcheck.max_rel_error(gradcheck.check_snapshot(app.snapshot, h, "forward"))
        cen = gradcheck.max_rel_error(gradcheck.check_snapshot(app.snapshot, h, "central"))
        assert cen < fwd  # O(h²) against O(h)
        assert "truncation error" in body  # not blamed on backprop
        await pilot.press("plus")  # the ladder ends at 10⁻¹
        assert "h = 10⁻¹ " in app.screen.text.plain
        for _ in range(14):
            await pilot.press("minus")
        assert "h = 10⁻¹²" in app.screen.text.plain  # and at 10⁻¹², the far end of the plot
        await pilot.press("g")
        assert not isinstance(app.screen, GradCheckScreen)
        assert app.snapshot.lr == 0.5  # + and − set h there, not η

    drive(scenario, size=(80, 24))


# --- sweep ---------------------------------------------------------------------------------------


def sweep_screen_scenario(model, nets, epochs, check):
    async def scenario(app, pilot):
        screen = SweepScreen(model, nets=nets, epochs=epochs)
        await app.push_screen(screen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        await check(app, pilot, screen)

    return scenario


def test_sweep_screen_shows_the_counts_of_engine_sweep(drive):
    xor = presets.load("xor")
    expected = sweep.sweep(xor, 40, 400, hidden=("sigmoid", "tanh", "relu"))

    async def check(app, pilot, screen):
        assert screen.result is not None
        table = str(screen.query_one("#sweep-table").render())
        for run in expected.runs:
            row = next(line for line in table.splitlines() if run.hidden in line)
            assert f"{run.n_converged} / 40" in row
            assert int(row.split()[-2]) == run.n_diverged
            assert fmt.num(float(np.median(run.final_loss))) in row
        hist = screen.query_one("#sweep-hist")
        drawn = hist.plt.uncolorize(hist.plt.build())
        assert "█" in drawn and "log₁₀ L" in drawn
        assert "sigmoid (40 networks)" in str(screen.query_one("#sweep-hist-title").render())
        await pilot.press("tab")
        assert "tanh (40 networks)" in str(screen.query_one("#sweep-hist-title").render())
        await pilot.press("n")  # 40 is not on the ladder: the next one up, and it runs again
        assert screen.nets == 50
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert screen.result.nets == 50
        assert "50 / 50" in str(screen.query_one("#sweep-table").render()) or "/ 50 (" in str(
            screen.query_one("#sweep-table").render()
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, SweepScreen)

    drive(sweep_screen_scenario(xor, 40, 400, check), model=xor, size=(80, 24))


def test_W_opens_the_sweep_on_the_current_data_and_escape_cancels_it(monkeypatch, drive):
    # The sweep is held at its start until the test has looked at the screen, so what the test sees
    # never depends on how fast this machine trains 200 networks.
    release = threading.Event()
    real_sweep = sweep.sweep

    def held_sweep(*args, **kwargs):
        release.wait(timeout=30)
        return real_sweep(*args, **kwargs)

    monkeypatch.setattr(sweep, "sweep", held_sweep)

    async def scenario(app, pilot):
        await pilot.press("W")
        assert isinstance(app.screen, SweepScreen)
        assert app.screen.model.name == "xor" and app.screen.nets == 200 and app.screen.epochs == 2000
        assert "training" in str(app.screen.query_one("#sweep-table").render())
        await pilot.press("escape")  # cancels: the worker stops at its next progress call
        release.set()
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, SweepScreen)

    drive(scenario, model=presets.load("xor"))


def test_ladders():
    assert next_in((50, 100, 200), 100) == 200
    assert next_in((50, 100, 200), 200) == 50
    assert next_in((50, 100, 200), 60) == 100
