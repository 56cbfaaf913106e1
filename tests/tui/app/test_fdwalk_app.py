"""The `g` screen's finite-difference walk-through (issue 12 item 1, exercise 2(d)): ↑ ↓ pick a
parameter, + − step h, m switches forward and central, Tab switches table and plot at 80×24; every
number against the notes' formulas written here by hand."""

from __future__ import annotations

import math
import re

import keymash
from byhand import sigma
from engine import gradcheck, presets
from svgcells import drawn_cells
from tui.app.screens.gradcheck import ErrorPlot, GradCheckBody, GradCheckScreen
from tui.text import fmt
from tui.text.i18n import t

X1, X2, Y = 0.05, 0.10, 0.01
A1, A2 = sigma(0.15 * X1 + 0.25 * X2 + 0.35), sigma(0.20 * X1 + 0.30 * X2 + 0.35)


def loss(v1=0.40, v2=0.45, c=0.60) -> float:
    """L = ½(ŷ − y)² of the notes' example with the output layer's parameters free (§2.3)."""
    return 0.5 * (sigma(v1 * A1 + v2 * A2 + c) - Y) ** 2


def delta2() -> float:
    yh = sigma(0.40 * A1 + 0.45 * A2 + 0.60)
    return (yh - Y) * yh * (1 - yh)


def walk_values(app) -> dict[str, float]:
    """The walk-through as shown: label → number (θ, θ + h, L(θ), L(θ + h), quotient, backprop …)."""
    text = str(app.screen.query_one("#gc-walk").render())
    return {
        label: fmt.parse_number(value)
        for line in text.splitlines()[1:]  # under the header line
        if not line.startswith("*")
        for label, value in re.findall(r"\s*(\S.*?)\s+= (\S+)", line)
    }


def walk_text(app) -> str:
    return str(app.screen.query_one("#gc-walk").render())


def screen_rows(app) -> list[str]:
    """The screen's text as drawn, row by row (from the SVG screenshot)."""
    rows: dict[int, dict[int, str]] = {}
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        rows.setdefault(row, {})[col] = ch
    return ["".join(rows.get(r, {}).get(c, " ") for c in range(app.size.width)).strip() for r in range(app.size.height)]


FULL = 0.5e-15 + 1e-16  # half a unit of the 15th decimal the walk-through shows, and a float's rounding


def test_g_opens_on_exercise_2d_forward_with_the_notes_step_and_slip(drive):
    async def scenario(app, pilot):
        await pilot.press("g")
        assert isinstance(app.screen, GradCheckScreen)
        v = walk_values(app)
        h = 1e-4
        assert v["θ"] == 0.4 and abs(v["θ + h"] - 0.4001) < FULL
        assert abs(v["L(θ)"] - loss()) <= FULL and abs(v["L(θ + h)"] - loss(v1=0.40 + h)) <= FULL
        assert abs(v["(L(θ + h) − L(θ)) / h"] - (v["L(θ + h)"] - v["L(θ)"]) / h) <= 2 * FULL / h
        assert abs(v["backprop ∂L/∂w₁₁⁽²⁾"] - A1 * delta2()) <= FULL  # ∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾ δ⁽²⁾
        text = walk_text(app)
        diff = v["(L(θ + h) − L(θ)) / h"] - v["backprop ∂L/∂w₁₁⁽²⁾"]
        assert f"{t('fd_difference')}" in text and fmt.num(diff) in text
        assert "w₁₁⁽²⁾ (W2:1:1) · forward · h = 10⁻⁴ · L = Lᵢ of this sample" in text
        assert "L(θ + h) = " in text and " *\n" in text
        assert "* the notes print L⁺ ≈ 0.274808 (0.2748 + 10⁻⁴ × 0.0823" in text.replace("\n", " ")
        assert fmt.num(loss(v1=0.40 + h), decimals=6) == "0.274849" and "0.274849" in text
        assert "θ − h" not in text  # forward differences need no L(θ − h)
        assert "▶ w₁₁⁽²⁾" in app.screen.query_one(GradCheckBody).render().plain

    drive(scenario)


def test_arrows_pick_the_parameter_and_the_slip_is_the_notes_own(drive):
    async def scenario(app, pilot):
        await pilot.press("g", "down")
        v = walk_values(app)
        h = 1e-4
        assert v["θ"] == 0.45 and abs(v["L(θ + h)"] - loss(v2=0.45 + h)) <= FULL
        assert abs(v["backprop ∂L/∂w₂₁⁽²⁾"] - A2 * delta2()) <= FULL
        assert "notes" not in walk_text(app) and "*" not in walk_text(app)  # they print L⁺ for w₁₁⁽²⁾ only
        assert "▶ w₂₁⁽²⁾" in app.screen.query_one(GradCheckBody).render().plain
        await pilot.press("down", "down")  # the last row is b⁽²⁾: it stays there
        v = walk_values(app)
        assert v["θ"] == 0.6 and abs(v["L(θ + h)"] - loss(c=0.60 + h)) <= FULL
        assert abs(v["backprop ∂L/∂b⁽²⁾"] - delta2()) <= FULL  # ∂L/∂b⁽²⁾ = δ⁽²⁾
        for _ in range(10):
            await pilot.press("up")
        assert walk_values(app)["θ"] == 0.15 and "w₁₁⁽¹⁾ (W1:1:1)" in walk_text(app)  # the first row stays
        v = walk_values(app)
        a1_nudged = sigma((0.15 + h) * X1 + 0.25 * X2 + 0.35)
        by_hand = 0.5 * (sigma(0.40 * a1_nudged + 0.45 * A2 + 0.60) - Y) ** 2
        assert abs(v["L(θ + h)"] - by_hand) <= FULL
        assert abs(v["backprop ∂L/∂w₁₁⁽¹⁾"] - X1 * 0.40 * delta2() * A1 * (1 - A1)) <= FULL / 100

    drive(scenario)


def test_m_switches_to_central_differences_and_h_steps_by_decades(drive):
    async def scenario(app, pilot):
        await pilot.press("g", "m")
        h = 1e-4
        v = walk_values(app)
        assert abs(v["θ − h"] - 0.3999) < FULL and abs(v["L(θ − h)"] - loss(v1=0.40 - h)) <= FULL
        assert abs(v["(L(θ + h) − L(θ − h)) / 2h"] - (v["L(θ + h)"] - v["L(θ − h)"]) / (2 * h)) <= FULL / h
        assert "· central ·" in walk_text(app) and "0.274808" in walk_text(app)  # L⁺ is the same for both
        await pilot.press("plus")
        h = 1e-3
        v = walk_values(app)
        assert abs(v["θ + h"] - 0.401) < FULL and abs(v["L(θ + h)"] - loss(v1=0.40 + h)) <= FULL
        assert "h = 10⁻³" in walk_text(app) and "notes" not in walk_text(app)
        # central differences: the error is O(h²), so at h = 10⁻³ still below 10⁻⁷ of the gradient
        assert abs(v["(L(θ + h) − L(θ − h)) / 2h"] - A1 * delta2()) < 1e-7 * A1 * delta2()
        await pilot.press("m")
        v = walk_values(app)
        assert "θ − h" not in v and abs(v["(L(θ + h) − L(θ)) / h"] - (loss(0.401) - loss()) / h) < 1e-11
        await pilot.press(*["minus"] * 12)
        assert "h = 10⁻¹²" in walk_text(app)

    drive(scenario)


def test_the_plot_marks_the_best_h_and_follows_the_parameter(drive):
    async def scenario(app, pilot):
        await pilot.press("g")
        screen = app.screen
        plot = screen.query_one(ErrorPlot)
        assert plot.display and screen.query_one("#gc-right").display
        s = app.snapshot
        for method in gradcheck.METHODS:  # the sweep on this sample, as the engine computes it
            assert screen.sweeps()[method] == gradcheck.sweep_snapshot(s, ("W2", 1, 1), method)
        fwd, cen = screen.sweeps()["forward"], screen.sweeps()["central"]
        assert 1e-9 <= fwd.best_h <= 1e-6 and 1e-6 <= cen.best_h <= 1e-4
        best = t(
            "ui_fd_best",
            "en",
            forward=f"10{fmt.sup(round(math.log10(fwd.best_h)))}",
            central=f"10{fmt.sup(round(math.log10(cen.best_h)))}",
        )
        assert best in walk_text(app)
        drawn = str(plot.render())
        assert "◆" in drawn and "f" in drawn and "c" in drawn and ("10⁻¹²" in drawn or "10⁻¹¹" in drawn)
        assert "w₁₁⁽²⁾" in str(screen.query_one("#gc-plot-title").render())
        await pilot.press("down")
        assert screen.sweeps()["forward"].key == ("W2", 2, 1)
        assert "w₂₁⁽²⁾" in str(screen.query_one("#gc-plot-title").render())

    drive(scenario)


def test_compact_tab_switches_table_and_plot_and_walk_stays(drive):
    async def scenario(app, pilot):
        await pilot.press("g")
        screen = app.screen
        assert screen.compact
        table, right, walk = (
            screen.query_one(GradCheckBody),
            screen.query_one("#gc-right"),
            screen.query_one("#gc-walk"),
        )
        assert table.display and not right.display and walk.display
        assert "Tab table/plot" in str(screen.query_one("#gc-keys").render())
        await pilot.press("tab")
        assert not table.display and right.display and walk.display
        assert walk.region.bottom <= right.region.y  # the walk-through above the plot, both on screen
        assert right.region.bottom <= 23
        await pilot.press("tab")
        assert table.display and not right.display
        # the table, the walk-through and the key line fit 80×24 with the slip line (central: 3 L lines)
        await pilot.press("m")
        await pilot.pause()
        rows = screen_rows(app)
        assert rows[0].startswith("Gradient check") and rows[23].startswith("↑↓ parameter")
        assert any(r.startswith("θ − h") for r in rows) and any(r.startswith("* the notes print") for r in rows)
        assert rows[22].startswith(t("ui_fd_best", "en", forward="", central="")[:6])  # the last line, whole

    drive(scenario, size=(80, 24))


def test_wide_shows_all_three_and_tab_does_nothing(drive):
    async def scenario(app, pilot):
        await pilot.press("g", "tab")
        screen = app.screen
        assert not screen.compact
        for part in (GradCheckBody, ErrorPlot):
            assert screen.query_one(part).display
        assert "Tab" not in str(screen.query_one("#gc-keys").render())
        walk, right = screen.query_one("#gc-walk"), screen.query_one("#gc-right")
        assert walk.region.right <= right.region.x and right.region.width >= 40 and right.region.height >= 15

    drive(scenario)


def test_l_reads_it_in_portuguese_and_x_exports(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("g", "l")
        assert app.lang == "pt" and isinstance(app.screen, GradCheckScreen)
        text = walk_text(app)
        assert "progressiva" in text and "L = Lᵢ deste exemplo" in text and "as notas imprimem L⁺" in text
        assert "Verificação do gradiente" in app.screen.text.plain
        await pilot.press("x")
        await pilot.pause()
        assert any(p.suffix == ".svg" for p in tmp_path.iterdir())  # the screen as shown, as from any screen
        await pilot.press("l")  # pt → es → en
        assert app.lang == "es" and "adelante" in walk_text(app) and "los apuntes imprimen L⁺" in walk_text(app)
        await pilot.press("l")
        assert "forward" in walk_text(app)

    drive(scenario, configure=lambda app: setattr(app, "export_dir", str(tmp_path)))


def test_xor_input_of_zero_says_the_parameter_does_not_move_the_loss(drive):
    async def scenario(app, pilot):
        await pilot.press("g", *["up"] * 6)  # w₁₁⁽¹⁾ on XOR's first sample, x = (0, 0)
        assert app.screen.key == ("W1", 1, 1)
        v = walk_values(app)
        assert v["L(θ + h)"] == v["L(θ)"] and v["(L(θ + h) − L(θ)) / h"] == 0.0
        assert set(app.screen.sweeps()["forward"].errors) == {0.0}
        assert str(app.screen.query_one("#gc-plot-title").render()) == t("ui_fd_plot_zero", "en")

    drive(scenario, model=presets.load("xor"))


def test_the_key_mash_presses_the_new_keys():
    assert {"up", "down", "m", "tab", "plus", "minus"} <= set(keymash.KEYS)
