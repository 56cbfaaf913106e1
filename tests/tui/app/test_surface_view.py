"""The `h` screen (tui/app/screens/surface.py): the decision surface, the hidden units' surfaces and the
hidden space, following the App's Snapshot; shading characters without colour; en and pt; x writes
the grid; SVG snapshots at 80×24 and 120×40."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import presets
from tui.app.app import BackpropApp
from tui.app.screens.surface import SurfaceScreen, plan
from tui.app.widgets.surface import Canvas
from tui.text import fmt

XOR = presets.load("xor")
SHADES = set("░▒▓█")


def canvas(app) -> list[str]:
    return app.screen.query_one(Canvas).text


def title(app) -> str:
    return str(app.screen.query_one("#surf-title").render())


def by_hand(p, x1, x2, sigma):
    a = [sigma(p.W1[0, j] * x1 + p.W1[1, j] * x2 + p.b1[j]) for j in (0, 1)]
    return sigma(p.W2[0, 0] * a[0] + p.W2[1, 0] * a[1] + p.b2[0]), a


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_h_opens_the_three_parts_and_they_fit(size, drive, sigma):
    async def scenario(app, pilot):
        await pilot.press("h")
        assert isinstance(app.screen, SurfaceScreen)
        rows = canvas(app)
        text = "\n".join(rows)
        assert len(rows) == size[1] - 4 and all(len(r) <= size[0] for r in rows)
        assert "x₁" in text and "x₂" in text and "a₁⁽¹⁾" in text and "a₂⁽¹⁾" in text
        assert "▀" in text and not SHADES & set(text.replace("─", ""))  # half blocks in true colour
        assert text.count("●") >= 2 * 3 and text.count("○") >= 2 * 3  # the samples in all three pictures
        assert "Decision surface" in title(app)
        # the surface drawn is ŷ of the network at the grid points, to the rounding of the output's sum
        s, p = app.screen.surface, app.snapshot.params
        k = plan(*size)
        assert s.yhat.shape == (2 * k.rows, k.cols)
        for r, c in ((0, 0), (k.rows, k.cols // 2), (2 * k.rows - 1, k.cols - 1)):
            y, a = by_hand(p, s.x1[c], s.x2[r], sigma)
            assert s.yhat[r, c] == pytest.approx(y, rel=1e-14, abs=0)
            assert s.a1[0, r, c] == pytest.approx(a[0], rel=1e-15) and s.a1[1, r, c] == pytest.approx(a[1], rel=1e-15)
        assert (s.x1[0], s.x1[-1], s.x2[0], s.x2[-1]) == (-0.5, 1.5, -0.5, 1.5)
        await pilot.press("escape")
        assert not isinstance(app.screen, SurfaceScreen)

    drive(scenario, size=size, model=XOR)


def test_it_follows_u_and_play(drive):
    async def scenario(app, pilot):
        await pilot.press("h")
        start = canvas(app)
        before = app.screen.surface.yhat.copy()
        await pilot.press("f", "f", "b", "b", "u")  # the micro-steps work here
        await pilot.pause()
        assert app.snapshot.sample == 0 and app.snapshot.update is not None
        assert not np.array_equal(app.screen.surface.yhat, before)
        eq_before = [r for r in start if "·a₁⁽¹⁾" in r]
        assert [r for r in canvas(app) if "·a₁⁽¹⁾" in r] != eq_before  # the output's line moved
        shown = []
        body = app.screen.query_one(Canvas)
        draw = body.show
        body.show = lambda rows: (shown.append(app.snapshot.epoch), draw(rows))
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.playing and app.snapshot.epoch == 3000
        assert len(set(shown)) >= 3 and shown[-1] == 3000  # redrawn while it trained, live
        assert f"L = {fmt.num(app.snapshot.losses[-1])} " in title(app)  # at the epoch's end: L₃₀₀₀
        text = "\n".join(canvas(app))
        assert canvas(app) != start
        # XOR learnt: the surface is high at (0, 1) and low at (0, 0), and a contour crosses the plane
        s = app.screen.surface
        at = lambda x1, x2: s.yhat[int(np.argmin(abs(s.x2 - x2))), int(np.argmin(abs(s.x1 - x1)))]  # noqa: E731
        assert at(0, 1) > 0.9 and at(1, 0) > 0.9 and at(0, 0) < 0.1 and at(1, 1) < 0.1
        assert "·" in text  # the hidden space's line drawn between the samples

    drive(scenario, model=XOR, max_epochs=3000, speed=6000)  # half a second: several frames


@pytest.mark.parametrize("how", ["theme", "no_color"])
def test_without_colour_it_draws_shading_characters(how, drive, monkeypatch):
    if how == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    kw = {"theme": "backprop-ansi"} if how == "theme" else {}

    async def scenario(app, pilot):
        await pilot.press("e", "e", "h")
        text = "\n".join(canvas(app))
        assert "▀" not in text and SHADES & set(text)
        assert "●" in text and "○" in text
        legend = str(app.screen.query_one("#surf-legend").render())
        assert legend.startswith("░ ŷ < 0.25  ▒ < 0.5  ▓ < 0.75  █ ≥ 0.75  · ŷ = 0.5")
        s = app.screen.surface
        assert s.yhat.shape[0] == plan(120, 40).rows  # one grid row a cell: a character each

    drive(scenario, model=XOR, **kw)


def test_pt_and_zoom(drive):
    async def scenario(app, pilot):
        await pilot.press("h", "l")
        assert "Superfície de decisão" in title(app) and f"L = {fmt.num(app.snapshot.losses[0])} " in title(app)
        assert "espaço oculto" in "\n".join(canvas(app))
        await pilot.press("plus")
        s = app.screen.surface
        assert (s.x1[0], s.x1[-1]) == pytest.approx((0.5 - 0.8, 0.5 + 0.8))
        assert fmt.num(-0.3, decimals=2).replace("-", "−") in "\n".join(canvas(app))
        await pilot.press("minus", "minus", "0")
        assert (app.screen.surface.x1[0], app.screen.surface.x1[-1]) == (-0.5, 1.5)
        await pilot.press("h")
        assert not isinstance(app.screen, SurfaceScreen)
        assert app.snapshot.lr == XOR.lr  # + and − zoomed; they did not change η

    drive(scenario, model=XOR)


def test_x_writes_the_grid_as_csv(tmp_path, drive, sigma):
    async def scenario(app, pilot):
        await pilot.press("h", "x")
        assert "_surface.csv" in app.notice_text

    drive(scenario, model=XOR, size=(80, 24), configure=lambda app: setattr(app, "export_dir", str(tmp_path)))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["xor_e1_s1.svg", "xor_e1_s1_loss.csv", "xor_e1_s1_surface.csv"]
    lines = (tmp_path / "xor_e1_s1_surface.csv").read_text().splitlines()
    k = plan(80, 24)
    assert lines[0] == "x1,x2,yhat,a1_1,a1_2" and len(lines) == 1 + k.cols * 2 * k.rows
    x1, x2, yhat, a1, a2 = (float(v) for v in lines[-1].split(","))
    assert (x1, x2) == (1.5, 1.5)
    y, a = by_hand(XOR.params, 1.5, 1.5, sigma)
    assert yhat == pytest.approx(y, rel=1e-14) and [a1, a2] == pytest.approx(a, rel=1e-15)
    assert math.isfinite(yhat)


WIDE, COMPACT = (120, 40), (80, 24)


@pytest.mark.parametrize("size", [COMPACT, WIDE])
def test_snapshot(snap_compare, size):
    app = BackpropApp(presets.load("xor"))
    assert snap_compare(app, press=["e"] * 30 + ["h"], terminal_size=size)


def test_snapshot_shading_pt(snap_compare):
    app = BackpropApp(presets.load("xor"), lang="pt", theme="backprop-ansi")
    assert snap_compare(app, press=["e"] * 30 + ["h"], terminal_size=COMPACT)


@pytest.mark.parametrize("theme", [None, "backprop-ansi"])
def test_every_activation_and_a_diverged_model_draw(theme, drive):
    model = XOR.with_(output="linear", lr=1e6)

    async def scenario(app, pilot):
        await pilot.press("h", "a")  # tanh hidden: shaded over [−1, 1]
        assert app.snapshot.hidden == "tanh" and "a₁⁽¹⁾" in "\n".join(canvas(app))
        await pilot.press("a")  # relu
        assert app.snapshot.hidden == "relu"
        for _ in range(12):  # η = 10⁶ with a linear output: it diverges within a few epochs
            await pilot.press("e")
            await pilot.pause()
            if app.snapshot.diverged_at is not None:
                break
        assert app.snapshot.diverged_at is not None
        s = app.screen.surface
        text = "\n".join(canvas(app))
        if theme and not np.isfinite(s.yhat).all():
            assert "?" in text  # not finite: "?" in characters (its own colour in half blocks)
        assert len(canvas(app)) == 36

    drive(scenario, model=model, theme=theme)


def loss_by_hand(s, sigma) -> float:
    """L = (1/m) Σ ½(ŷ − y)² over the data set with the Snapshot's parameters, each ŷ by hand."""
    return (
        sum(0.5 * (by_hand(s.params, x[0], x[1], sigma)[0] - y) ** 2 for x, y in zip(s.X.tolist(), s.Y.tolist())) / s.m
    )


def test_the_title_gives_the_loss_of_the_net_drawn_and_no_epoch_of_its_own(drive, sigma):
    """Issue 18: xor, h s s s said "epoch 0 · L = 0.1265" (L₀, the start's) in the title, "epoch 1" in the
    status line, over a net whose L is 0.1275. Each number shown now describes the network drawn."""
    from tui.app.widgets.status import StatusLine
    from tui.text.i18n import t

    async def scenario(app, pilot):
        await pilot.press("h")
        for key in ["s", "s", "s", "f", "s", "s", "e", "z", "a"]:
            await pilot.press(key)
            await pilot.pause()
            s = app.snapshot
            loss = loss_by_hand(s, sigma) if s.hidden == "sigmoid" else None
            shown = title(app)
            assert "epoch" not in shown
            if loss is not None:
                assert t("ui_surf_title", loss=fmt.num(loss).replace("-", "−")) == shown, (key, shown, loss)
            status = app.screen.query_one(StatusLine).render().plain
            assert t("ui_status_epoch", epoch=s.epoch + 1) in status
        assert app.snapshot.hidden == "tanh"
        assert t("ui_surf_title", loss=fmt.num(app.snapshot.losses[0])) == title(app)  # L₀ of the new model

    drive(scenario, model=XOR, size=(120, 40))


def test_a_redraw_on_60000_rows_takes_no_python_step_per_row(drive):
    """Issue 18, "freeze": each key on the h view of 60 000 rows took seconds (a Python loop per sample
    for the markers). The Python calls of one redraw are as many for 60 000 rows as for 6 000."""
    import sys

    from engine.model import Model, random_params

    def calls(screen) -> int:
        n = 0

        def count(frame, event, arg):
            nonlocal n
            n += event in ("call", "c_call")

        screen._marks_for, screen._span_for = (None, None, None), (None, None)  # nothing kept from before
        sys.setprofile(count)
        try:
            screen._redraw()
        finally:
            sys.setprofile(None)
        return n

    counts = []
    for m in (6000, 60000):
        rng = np.random.default_rng(0)
        X = rng.uniform(0.0, 1.0, (m, 2))
        model = Model("big", random_params(0), X, (X[:, 0] > X[:, 1]).astype(float))

        async def scenario(app, pilot):
            await pilot.press("h", "s")
            await pilot.pause()
            counts.append(calls(app.screen))

        drive(scenario, model=model, size=(120, 40))
    assert counts[1] <= counts[0] * 1.05 + 100, counts
