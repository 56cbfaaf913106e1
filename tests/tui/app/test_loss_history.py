"""The Loss panel and the loss CSV follow one model's history (issue 11, item 5).

`backprop-tui`, then `f f b b a`: the chart showed L₀ 0.2748 (the sigmoid model's) for tanh, and
after `u` the chart and the CSV mixed the sigmoid L₀ with the tanh L₁. A change of the model (`a`,
an edit in `w`, `o`) starts a new history, the panel says so, and `z` brings the old one back; η
alone goes on in the same history and is marked on the chart.
"""

from __future__ import annotations

import math

import pytest
from test_edit import choose, enter_path, type_value

from byhand import worked_example_loss
from engine import config, presets
from tui.app.screens.edit import EditScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.loss import LossPanel, LossPlot

TANH_L0 = worked_example_loss(math.tanh)  # 0.2475…
SIGMOID_L0 = worked_example_loss()  # 0.2748…


def panel(app) -> LossPanel:
    return app.query_one(LossPanel)


def chart(app) -> str:
    return app.query_one(LossPlot).render().plain


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_a_after_f_f_b_b_shows_the_tanh_models_l0_and_says_the_history_is_new(size, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        await pilot.pause()
        assert "L₀ 0.2748" in panel(app).border_title and not panel(app).border_subtitle
        await pilot.press("a")
        await pilot.pause()
        assert app.snapshot.losses.tolist() == [pytest.approx(TANH_L0, abs=1e-15)]
        assert "L₀ 0.2475" in panel(app).border_title
        if size == (120, 40):
            assert panel(app).border_subtitle == "new history: hidden tanh"
        else:  # the compact layout has no bottom border: the title says it, shorter
            assert panel(app).border_title == "L₀ 0.2475 · new: tanh" and not panel(app).border_subtitle
        explain = app.query_one(ExplainPanel).render().plain
        assert "loss history starts anew" in " ".join(explain.split())
        await pilot.press("f", "f", "b", "b", "u")
        await pilot.pause()
        losses = app.snapshot.losses.tolist()
        assert len(losses) == 2 and losses[0] == pytest.approx(TANH_L0, abs=1e-15)
        assert not any(v == pytest.approx(SIGMOID_L0, abs=1e-12) for v in losses)  # no sigmoid value
        assert "L₁" in panel(app).border_title
        await pilot.press(*["z"] * 6)  # u b b f f, then a: back at f f b b, the sigmoid history as it was
        await pilot.pause()
        assert app.snapshot.losses.tolist() == [SIGMOID_L0] and app.snapshot.hidden == "sigmoid"
        assert panel(app).border_title == "Loss: Lᵢ 0.2748 · L₀ 0.2748" and not panel(app).border_subtitle

    drive(scenario, size=size)


def test_pt_says_the_history_is_new(drive):
    async def scenario(app, pilot):
        await pilot.press("a")
        await pilot.pause()
        assert panel(app).border_subtitle == "novo histórico: oculta tanh"
        assert "histórico da perda recomeça" in " ".join(app.query_one(ExplainPanel).render().plain.split())

    drive(scenario, lang="pt")


def test_the_csv_after_a_holds_only_the_new_models_losses(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "a", "f", "f", "b", "b", "u", "x")
        await pilot.pause()

    drive(scenario, configure=lambda app: setattr(app, "export_dir", str(tmp_path)))
    rows = (tmp_path / "lecture_e1_s1_loss.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "epoch,loss,lr" and len(rows) == 3
    assert rows[1] == f"0,{TANH_L0!r},0.5" or float(rows[1].split(",")[1]) == pytest.approx(TANH_L0, abs=1e-15)
    assert all(float(r.split(",")[1]) != pytest.approx(SIGMOID_L0, abs=1e-12) for r in rows[1:])


def test_eta_changes_are_marked_on_the_chart_and_in_the_csv(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("s", "s", "plus")  # η 0.5 → 1 after L₂
        await pilot.pause()
        assert len(app.snapshot.losses) == 3  # the history goes on: η does not change L₀
        assert "η 0.50→1.00" in chart(app)
        await pilot.press("s", "s", "s", "minus", "minus")  # 1 → 0.5 → 0.2 after L₅: one mark
        await pilot.pause()
        text = chart(app)  # the newest label first; the older one, where there is no room, "η"
        assert "η 1.00→0.20" in text and "η 1.00→0.50" not in text and text.count("η") == 2
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("z", "z")  # both η changes at L₅ undone: its mark goes
        await pilot.pause()
        assert "η 1.00→0.20" not in chart(app) and "η 0.50→1.00" in chart(app)

    drive(scenario, configure=lambda app: setattr(app, "export_dir", str(tmp_path)))
    (csv,) = tmp_path.glob("*_loss.csv")
    rows = [r.split(",") for r in csv.read_text(encoding="utf-8").splitlines()[1:]]
    assert [float(r[2]) for r in rows] == [0.5, 0.5, 0.5, 1.0, 1.0, 1.0]  # η when each L_k was recorded


def test_the_chart_draws_a_line_where_eta_changed(drive):
    """The marker is a vertical line in the plot area, not only its label."""

    async def scenario(app, pilot):
        for _ in range(8):
            await pilot.press("s")
        await pilot.pause()
        before = chart(app).splitlines()
        await pilot.press("minus")  # after L₈: at the right edge, its label ends there
        for _ in range(8):
            await pilot.press("s")
        await pilot.pause()
        after = chart(app).splitlines()
        inner = [line for line in after if "┤" in line or line.lstrip().startswith("│")]
        assert sum(line.count("│") for line in inner) > sum(line.count("│") for line in before if line in inner) + 2
        assert "η 0.50→0.20" in chart(app)

    drive(scenario)


def test_an_edit_of_a_weight_starts_a_new_history_and_an_eta_edit_does_not(drive, message):
    async def scenario(app, pilot):
        await pilot.press("s", "s")
        await pilot.pause()
        kept = app.snapshot
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, EditScreen)
        await choose(app, pilot, "learning_rate")
        await type_value(pilot, "0.25")
        assert "the loss history goes on" in message(app, "edit-message")
        assert app.snapshot.losses.tolist() == kept.losses.tolist() and app.snapshot.epoch == kept.epoch
        assert [(c.at, c.old, c.new) for c in app.snapshot.loss_history.lr_marks] == [(2, 0.5, 0.25)]
        await choose(app, pilot, "weights.W1[1][0]")
        await type_value(pilot, "0.3")
        await pilot.press("escape")
        await pilot.pause()
        s = app.snapshot
        assert len(s.losses) == 1 and s.epoch == 0 and s.loss_history.lr_marks == ()
        assert panel(app).border_subtitle == "new history: weights edited"
        await pilot.press("z")
        await pilot.pause()
        assert app.snapshot.losses.tolist() == kept.losses.tolist()
        assert "η 0.50→0.25" in chart(app)

    drive(scenario)


def test_an_edit_of_the_data_or_the_output_activation_starts_a_new_history(drive):
    async def scenario(app, pilot):
        await pilot.press("s")
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "data.y[0]")
        await type_value(pilot, "0.5")
        assert app.snapshot.loss_history.start.kind == "data" and len(app.snapshot.losses) == 1
        await choose(app, pilot, "output_activation")
        assert app.snapshot.output == "tanh" and app.snapshot.loss_history.start.kind == "output"
        await pilot.press("escape")
        await pilot.pause()
        assert panel(app).border_subtitle == "new history: output tanh"

    drive(scenario)


def test_opening_a_model_file_starts_a_new_history(tmp_path, drive):
    path = str(tmp_path / "xor.toml")
    config.save_model(presets.load("xor"), path)

    async def scenario(app, pilot):
        await pilot.press("s", "s", "o")
        await pilot.pause()
        await enter_path(app, pilot, path)
        await pilot.pause()
        assert len(app.snapshot.losses) == 1 and app.snapshot.name == "xor"
        assert panel(app).border_subtitle == "new history: xor loaded"
        await pilot.press("z")
        await pilot.pause()
        assert len(app.snapshot.losses) == 3 and not panel(app).border_subtitle

    drive(scenario)
