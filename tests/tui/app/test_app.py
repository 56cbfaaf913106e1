"""The interactive app driven with Textual's Pilot: the keys of DESIGN §5 on the notes' example.

Numbers are read off the panels as a person would read them, and checked against the notes
(DESIGN §2) and against the formulas of §2.3–§2.9 written out by hand below.
No pytest-asyncio here: each test runs its own event loop with asyncio.run.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from byhand import worked_example
from engine import presets
from engine.stepper import Phase
from tui.app import app as app_module
from tui.app.app import BackpropApp, run
from tui.app.screens.gradcheck import GradCheckScreen
from tui.app.screens.help import HelpScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.loss import LossPanel, downsample
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.status import StatusLine
from tui.app.widgets.too_small import TooSmall
from tui.app.widgets.values import ValuesPanel

SIZES = [(120, 40), (80, 24)]


def text(app, panel) -> str:
    """A panel's text as shown, lines joined: a formula wrapped at 80 columns still reads as one."""
    return " ".join(app.query_one(panel).render().plain.split())


def screen_text(app) -> str:
    return "\n".join(text(app, p) for p in (NetworkPanel, ValuesPanel, ParametersPanel, ExplainPanel, StatusLine))


# --- the notes' example, by hand (§2.3–§2.9, DESIGN §2) ----------------------------------------


@pytest.fixture
def by_hand():
    return worked_example()


@pytest.mark.parametrize("size", SIZES)
def test_f_f_b_b_u_shows_the_notes_numbers(size, drive):
    seen = {}

    async def scenario(app, pilot):
        for key in ("f", "f", "b", "b", "u"):
            await pilot.press(key)
            seen[app.snapshot.phase] = (screen_text(app), text(app, ExplainPanel))

    drive(scenario, size=size)
    screen, explain = seen[Phase.F1]
    for v in ("0.3825", "0.3900", "0.5945", "0.5963"):
        assert v in screen
    assert "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825" in explain
    assert "0.5946" in explain and "0.5969" in explain  # as printed in the notes
    screen, explain = seen[Phase.F2]
    for v in ("1.1061", "0.7514", "0.2748"):
        assert v in screen
    assert "1.1059" in explain and "0.40·0.5945 + 0.45·0.5963 + 0.60 = 1.1061" in explain
    screen, explain = seen[Phase.B2]
    for v in ("0.1385", "0.0823", "0.0826", "0.1868"):
        assert v in screen
    screen, explain = seen[Phase.B1]
    for v in ("0.0134", "0.0150", "0.000668", "0.000750", "0.001335", "0.001500", "0.2411", "0.2407"):
        assert v in screen
    assert "f'(z₁⁽¹⁾) = a₁⁽¹⁾(1 − a₁⁽¹⁾) = 0.5945·(1 − 0.5945) = 0.2411 ← notes 0.2410" in explain
    assert "0.2405" in explain and "δ₁⁽¹⁾ = ∂L/∂a₁⁽¹⁾·f'(z₁⁽¹⁾) = 0.0554·0.2411 = 0.0134" in explain
    assert "∂L/∂w₂₁⁽¹⁾ = x₂δ₁⁽¹⁾ = 0.10·0.01335 = 0.001335" in explain
    if size == (120, 40):  # the roomier Explain also shows §2.6's chain
        assert "chain of §2.6: ∂L/∂w₂₁⁽¹⁾ = x₂ × f'(z₁⁽¹⁾) × w₁₁⁽²⁾ × f'(z⁽²⁾) × (ŷ − y) = " in explain
    screen, explain = seen[Phase.U]
    for v in (
        "0.3588",
        "0.4087",
        "0.5308",
        "0.1497",
        "0.1996",
        "0.2493",
        "0.2992",
        "0.3433",
        "0.3425",
        "−0.0412",
        "−0.000334",
    ):
        assert v in screen
    assert "0.2580" in explain  # L after the update (DESIGN §2)
    assert "w₁₁⁽²⁾ ← w₁₁⁽²⁾ − η ∂L/∂w₁₁⁽²⁾ = 0.40 − 0.50·0.08233 = 0.3588" in explain


def test_a_tall_explain_shows_every_equation_of_the_step(drive):
    """With room, B1 shows the local errors (§2.6's δ_a, labelled as such), every gradient, the chain
    and the layout remark; U shows all 9 updates, in the order the quiz asks them."""
    seen = {}

    async def scenario(app, pilot):
        for key in ("f", "f", "b", "b", "u"):
            await pilot.press(key)
            seen[app.snapshot.phase] = app.query_one(ExplainPanel).render().plain

    drive(scenario, size=(160, 50))
    b1, u = seen[Phase.B1], seen[Phase.U]
    assert "local error (§2.6): ∂L/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ⁽²⁾ = 0.40·0.1385 = 0.0554" in b1
    assert "∂L/∂w₁₁⁽¹⁾ = x₁δ₁⁽¹⁾ = 0.05·0.013355 = 0.000668" in b1 and "∂L/∂b₂⁽¹⁾ = δ₂⁽¹⁾ = 0.0150" in b1
    assert "§4" in b1 and "chain of §2.6" in b1
    updates = [line.split(" ← ")[0] for line in u.splitlines()[1:] if " ← " in line]
    assert updates == ["w₁₁⁽²⁾", "w₂₁⁽²⁾", "b⁽²⁾", "w₁₁⁽¹⁾", "w₁₂⁽¹⁾", "w₂₁⁽¹⁾", "w₂₂⁽¹⁾", "b₁⁽¹⁾", "b₂⁽¹⁾"]
    assert "see Parameters" not in u  # the stand-in for the updates left out


def test_values_match_the_formulas_at_full_precision(by_hand, drive):
    want = by_hand
    got = {}

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        got["b1"] = app.snapshot
        await pilot.press("u")
        got["u"] = app.snapshot

    drive(scenario)
    s = got["b1"]
    assert s.forward1.z1.tolist() == pytest.approx(want["z1"], rel=1e-12)
    assert s.forward1.a1.tolist() == pytest.approx(want["a1"], rel=1e-12)
    assert s.forward2.z2[0] == pytest.approx(want["z2"], rel=1e-12)
    assert s.forward2.yhat[0] == pytest.approx(want["yhat"], rel=1e-12)
    assert s.forward2.loss == pytest.approx(want["loss"], rel=1e-12)
    assert s.backward2.delta2[0] == pytest.approx(want["delta2"], rel=1e-12)
    assert s.backward1.delta1.tolist() == pytest.approx(want["delta1"], rel=1e-12)
    assert s.backward2.dW2[:, 0].tolist() == pytest.approx(want["dW2"], rel=1e-12)
    assert s.backward1.dW1.tolist()[0] == pytest.approx(want["dW1"][0], rel=1e-12)
    assert s.backward1.dW1.tolist()[1] == pytest.approx(want["dW1"][1], rel=1e-12)
    p = got["u"].params
    assert p.W2[:, 0].tolist() == pytest.approx(want["W2_after"], rel=1e-12)
    assert p.b2[0] == pytest.approx(want["b2_after"], rel=1e-12)
    assert p.W1.tolist()[1] == pytest.approx(want["W1_after"][1], rel=1e-12)
    assert p.b1.tolist() == pytest.approx(want["b1_after"], rel=1e-12)


def test_values_stay_blank_until_computed(drive):
    async def scenario(app, pilot):
        start = text(app, ValuesPanel)
        assert "0." not in start  # nothing computed: blank, not zero
        await pilot.press("f")
        after = text(app, ValuesPanel)
        assert "0.3825" in after and "1.1061" not in after and "0.0134" not in after

    drive(scenario)


# --- every key of DESIGN §5 --------------------------------------------------------------------


def test_z_five_times_restores_the_start_exactly(drive):
    async def scenario(app, pilot):
        start, start_text = app.snapshot, screen_text(app)
        await pilot.press("f", "f", "b", "b", "u")
        assert app.snapshot.phase is Phase.U
        await pilot.press(*"zzzzz")
        assert app.snapshot.same_state(start)
        for panel in (NetworkPanel, ValuesPanel, ParametersPanel, StatusLine):
            assert text(app, panel) in start_text
        assert "Undo: step 1 of 6" in text(app, ExplainPanel) and "Ready: sample 1 of 1" in text(app, ExplainPanel)
        await pilot.press("z")  # nothing left to undo: refused, nothing changes
        assert app.snapshot.same_state(start)
        assert "Nothing to undo" in text(app, ExplainPanel)

    drive(scenario)


def test_y_redoes_what_z_undid(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f")
        after_f2 = app.snapshot
        await pilot.press("z", "z", "y", "y")
        assert app.snapshot.same_state(after_f2)

    drive(scenario)


def test_space_walks_the_micro_steps_in_order(drive):
    async def scenario(app, pilot):
        phases = []
        for _ in range(6):
            await pilot.press("space")
            phases.append(app.snapshot.phase)
        assert phases == [Phase.F1, Phase.F2, Phase.B2, Phase.B1, Phase.U, Phase.F1]
        assert "0.3588" in text(app, ParametersPanel)  # the next sample starts from the updated weights

    drive(scenario)


def test_s_finishes_the_sample_and_e_the_epoch(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "s")
        assert app.snapshot.phase is Phase.U and "0.3588" in text(app, ParametersPanel)
        assert app.snapshot.sample == 0

    drive(scenario)

    async def xor(app, pilot):
        await pilot.press("e")
        s = app.snapshot
        assert (s.phase, s.sample, len(s.losses)) == (Phase.U, 3, 2)
        assert "sample 4 of 4" in text(app, StatusLine)

    drive(xor, model=presets.load("xor"))


def test_a_cycles_the_hidden_activation(drive):
    async def scenario(app, pilot):
        seen = []
        for _ in range(4):
            await pilot.press("a")
            seen.append(app.snapshot.hidden)
            assert app.snapshot.hidden in text(app, StatusLine)
        assert seen == ["tanh", "relu", "step", "sigmoid"]  # the step: exercise 6(b)
        await pilot.press("a", "f")
        assert "tanh(0.3825)" in text(app, ExplainPanel)

    drive(scenario)


def test_plus_and_minus_change_the_learning_rate(drive):
    async def scenario(app, pilot):
        await pilot.press("plus")
        assert app.snapshot.lr == 1.0 and "η = 1.00" in text(app, StatusLine)
        await pilot.press("minus", "minus")
        assert app.snapshot.lr == 0.2
        await pilot.press("f", "f", "b", "b", "u")
        assert "0.40 − 0.20·0.0823" in text(app, ExplainPanel)

    drive(scenario)


def test_r_resets_to_the_initial_parameters(drive):
    async def scenario(app, pilot):
        start = app.snapshot
        await pilot.press("s", "s", "r")
        s = app.snapshot
        assert s.params == start.params and s.epoch == 0 and s.phase is Phase.READY
        assert "0.1500" in text(app, ParametersPanel)

    drive(scenario)


def test_g_shows_the_gradient_check(drive):
    async def scenario(app, pilot):
        await pilot.press("g")
        assert isinstance(app.screen, GradCheckScreen)
        body = str(app.screen.query_one("#gradcheck-body").render())  # the table (below it: the walk-through)
        assert body.count("0.0823") == 3  # backprop, central and forward differences agree to 4 decimals
        assert "agrees" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, GradCheckScreen)

    drive(scenario)


@pytest.mark.parametrize("lang, word", [("en", "Micro-steps"), ("pt", "Micropassos"), ("es", "Micropasos")])
def test_question_mark_opens_help_in_the_language(lang, word, drive):
    async def scenario(app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body").render().plain
        assert word in body and "z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(scenario, size=(80, 24), lang=lang)


def test_q_quits(drive):
    """`q` ends the app with return code 0: before it the app runs and has no return code; after it
    (and before run_test's own clean-up) the return code is 0. Pressing another key (`f`) instead
    leaves the return code None and fails here."""
    seen = {}

    async def scenario(app, pilot):
        assert app.is_running and app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        seen["return_code"] = app.return_code

    app = drive(scenario)
    assert seen["return_code"] == 0
    assert not app.is_running


def test_l_t_and_capital_l_switch_language_theme_and_log_scale(drive):
    async def scenario(app, pilot):
        await pilot.press("l")
        assert app.lang == "pt" and "época" in text(app, StatusLine)
        assert "Rede" in app.query_one(NetworkPanel).border_title
        await pilot.press("t")
        assert app.theme == "backprop-contrast"
        await pilot.press("t")
        assert app.theme == "backprop-dark"
        await pilot.press("L")
        assert app.log_scale and "log" in app.query_one(LossPanel).border_title

    drive(scenario)


def test_log_scale_chart_survives_repaints(drive):
    """A log-scale chart drawn again with the same data (a theme change, any full repaint) still
    shows its curve: plotext's build changes the figure, so each build sets it up afresh."""
    from tui.app.widgets.loss import LossPlot

    drawn = []

    async def scenario(app, pilot):
        await pilot.press("f", "b", "u", "f", "f", "b", "b", "u", "L")
        plot = app.query_one(LossPlot)
        for repaint in ("refresh", "t", "t"):
            if repaint == "refresh":
                plot.refresh()
            else:
                await pilot.press(repaint)
            await pilot.pause()
            drawn.append("".join(line.text for line in plot.render_lines(plot.region.reset_offset)))

    drive(scenario)
    for chart in drawn:
        assert "┤" in chart and any(ch in chart for ch in "⠁⠂⠄⡀⠈⠐⠠⢀⠑⠤⣀⠉⠒"), chart[:200]


# --- keys out of order change nothing -----------------------------------------------------------


@pytest.mark.parametrize(
    "keys, refused, message",
    [
        ((), "b", "The forward pass comes first. Press f (forward)."),
        ((), "u", "The forward pass comes first. Press f (forward)."),
        (("f", "f"), "u", "The backward pass comes first. Press b (backward)."),
        (("f", "f"), "f", "The forward pass is complete. Press b (backward)."),
        (("f", "f", "b", "b"), "b", "The backward pass is complete. Press u (update)."),
        (("f", "f", "b", "b", "u"), "u", "The parameters are already updated. Press f (forward)."),
    ],
)
def test_out_of_order_key_changes_nothing_and_says_what_to_press(keys, refused, message, drive):
    async def scenario(app, pilot):
        await pilot.press(*keys)
        before, history, shown = app.snapshot, len(app.stepper.history), screen_text(app)
        await pilot.press(refused)
        assert app.snapshot is before and len(app.stepper.history) == history
        assert message in text(app, ExplainPanel)
        assert screen_text(app).replace(message, "").strip() != ""  # the panels are still there
        for panel in (NetworkPanel, ValuesPanel, ParametersPanel, StatusLine):
            assert text(app, panel) in shown

    drive(scenario)


def test_refusal_in_portuguese(drive):
    async def scenario(app, pilot):
        await pilot.press("b")
        assert "Primeiro vem a propagação direta. Tecle f (direta)." in text(app, ExplainPanel)
        await pilot.press("l")  # the notice follows the language: pt → es → en
        assert "Primero va la propagación hacia adelante. Pulse f (adelante)." in text(app, ExplainPanel)
        await pilot.press("l")
        assert "The forward pass comes first." in text(app, ExplainPanel)

    drive(scenario, lang="pt")


# --- play ---------------------------------------------------------------------------------------


def test_play_trains_in_the_worker_and_the_chart_grows(drive):
    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        s = app.snapshot
        assert not app.playing and s.epoch == 300 and len(s.losses) == 301
        assert s.losses[-1] < s.losses[0]
        assert "L₃₀₀" in app.query_one(LossPanel).border_title
        assert "maximum of 300 epochs" in text(app, ExplainPanel)
        await pilot.press("z")  # one undo leaves the whole run
        assert app.snapshot.epoch == 0 and app.snapshot.phase is Phase.READY

    drive(scenario, max_epochs=300)


def test_keys_answer_during_play_and_p_pauses(drive):
    async def scenario(app, pilot):
        await pilot.press("p")
        assert app.playing
        await pilot.press("L", "l")  # view keys are handled while play goes on
        assert app.log_scale and app.lang == "pt" and app.playing
        await pilot.press("p")
        assert not app.playing
        await app.workers.wait_for_complete()
        await pilot.pause()
        paused_at = app.snapshot.epoch
        assert paused_at < 10**9
        await pilot.pause(0.05)
        assert app.snapshot.epoch == paused_at  # nothing arrives after the pause

    drive(scenario, max_epochs=10**9)


def test_a_step_key_during_play_pauses_then_steps(drive):
    async def scenario(app, pilot):
        await pilot.press("p")
        await pilot.press("f")
        assert not app.playing and app.snapshot.phase is Phase.F1
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.snapshot.phase is Phase.F1

    drive(scenario, max_epochs=10**9)


def test_play_first_finishes_the_current_epoch(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.snapshot.epoch == 5 and app.snapshot.phase is Phase.READY

    drive(scenario, max_epochs=5)


def test_paced_play_trains_whole_ticks_and_stops_exactly_at_max_epochs(drive):
    # speed 50 epochs/s: ticks of 5 epochs; the last tick is cut to land on epoch 12
    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.snapshot.epoch == 12 and len(app.snapshot.losses) == 13
        assert not app.playing

    drive(scenario, max_epochs=12, speed=50)


def test_play_has_a_default_pace_and_a_default_stop():
    from tui.app.controllers.play import DEFAULT_MAX_EPOCHS, DEFAULT_SPEED

    app = BackpropApp(presets.lecture())
    assert app.speed == DEFAULT_SPEED > 0 and app.max_epochs == DEFAULT_MAX_EPOCHS


def test_play_stops_at_the_target_loss(drive):
    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        losses = app.snapshot.losses
        assert losses[-1] <= 0.1 < losses[-2]
        assert "Target loss 0.1 reached" in text(app, ExplainPanel)

    drive(scenario, target_loss=0.1)


def test_divergence_pauses_and_says_so(drive):
    model = presets.lecture().with_(output="linear", lr=10.0)

    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        s = app.snapshot
        assert not app.playing and s.diverged_at is not None
        assert f"Diverged at epoch {s.diverged_at}" in text(app, ExplainPanel)
        before = app.snapshot
        await pilot.press("f")  # refused until reset
        assert app.snapshot is before and "Press r (reset)" in text(app, ExplainPanel)
        await pilot.press("r")
        assert app.snapshot.diverged_at is None

    drive(scenario, model=model)


# --- terminals ----------------------------------------------------------------------------------


def test_too_small_says_so_and_resizing_brings_the_panels_back(drive):
    async def scenario(app, pilot):
        msg = app.query_one(TooSmall)
        assert msg.display and "80×24" in msg.render().plain and "60×20" in msg.render().plain
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.query_one(TooSmall).display and not app.wide
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.wide and "0.1500" in text(app, ParametersPanel)

    drive(scenario, size=(60, 20))


def test_decimal_comma(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        assert "0,3825" in text(app, ValuesPanel) and "0,15·0,05" in text(app, ExplainPanel)

    drive(scenario, comma=True)


def test_keybar_marks_the_next_key_and_fits(drive):
    async def scenario(app, pilot):
        bar = text(app, KeyBar)
        assert len(bar) <= 80 and "f forward" in bar and "? help" in bar

    drive(scenario, size=(80, 24))


def test_downsample_keeps_ends_and_extremes():
    import numpy as np

    losses = np.linspace(1.0, 0.0, 100_000)
    losses[50_000] = 5.0  # a spike must survive
    epochs, values = downsample(losses, 300)
    assert len(values) <= 310 and epochs[0] == 0 and epochs[-1] == 99_999 and 5.0 in values


def test_run_rejects_an_unknown_theme(capsys):
    args = SimpleNamespace(
        lang="en", theme="nope", decimal_comma=False, no_mouse=False, target_loss=None, max_epochs=None
    )
    assert run(presets.lecture(), args) == 2
    assert "nope" in capsys.readouterr().err


def test_run_passes_the_options(monkeypatch):
    seen = {}

    def fake_run(self, **kw):
        seen.update(kw, app=self)

    monkeypatch.setattr(app_module.BackpropApp, "run", fake_run)
    monkeypatch.setattr(app_module, "not_a_terminal", lambda: None)  # the tests run without a terminal
    args = SimpleNamespace(
        lang="pt", theme="high-contrast", decimal_comma=True, no_mouse=True, target_loss=0.01, max_epochs=7
    )
    assert run(presets.lecture(), args) == 0
    app = seen["app"]
    assert seen["mouse"] is False and app.lang == "pt" and app.comma and app.theme == "backprop-contrast"
    assert app.target_loss == 0.01 and app.max_epochs == 7
