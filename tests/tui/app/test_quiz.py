"""Quiz mode (issue 4, item 1; issue 11): the question, the judging at the precision asked, the score, and
the app driven with Pilot: f asks first, Enter answers, Esc reveals (counted as asked), k toggles.

Expected values are the notes' example worked out by hand below (DESIGN §2), not read from the code.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from byhand import sigma
from engine import presets
from engine.network import Params
from engine.notation import num
from engine.stepper import Phase, Stepper
from tui.app import app as app_module
from tui.app.quiz import QuizState, judge, prompt_precision, question_for
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.quiz import QuizBar
from tui.app.widgets.steady_input import SteadyInput
from tui.cli import interactive
from tui.text.fmt import parse_number

# the notes' example by hand (§2.3–§2.9)
X1, X2, Y, ETA = 0.05, 0.10, 0.01, 0.5
Z11 = 0.15 * X1 + 0.25 * X2 + 0.35
Z12 = 0.20 * X1 + 0.30 * X2 + 0.35
A11, A12 = sigma(Z11), sigma(Z12)
Z2 = 0.40 * A11 + 0.45 * A12 + 0.60
YHAT = sigma(Z2)
DELTA2 = (YHAT - Y) * YHAT * (1 - YHAT)
DELTA11 = 0.40 * DELTA2 * A11 * (1 - A11)
W11_2_NEW = 0.40 - ETA * A11 * DELTA2


# --- reading numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.3825", 0.3825),
        ("0,3825", 0.3825),
        (" 0,3825 ", 0.3825),
        ("-0,5", -0.5),
        ("−0.5", -0.5),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("+2", 2.0),
        ("0,000668", 0.000668),
    ],
)
def test_parse_number_takes_a_decimal_point_or_comma(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "0.38.25", "1,2,3", "1,234.5", "nan", "inf", "-inf", "1e999", "1_000", "0x10", "½"]
)
def test_parse_number_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- judging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, value, ok",
    [
        (0.3825, Z11, True),  # Z11 = 0.38249999999999995 in floating point
        (0.38254, Z11, True),  # rounds to the same 4 decimals
        (0.3826, Z11, False),
        (0.3824, Z11, False),
        (0.38, Z11, False),
        (0.7514, YHAT, True),
        (0.7513, YHAT, False),
        (-0.0550, -0.05497, True),
        (0.0550, -0.05497, False),  # the sign matters
        # below 0.01: 3 significant digits, not an absolute 5·10⁻⁵ (issue 11)
        (0.000668, 0.0006677334312154591, True),  # the value as the app displays it
        (0.0006677, 0.0006677334312154591, True),
        (0.00067, 0.0006677334312154591, False),  # 2 significant digits
        (0.0007, 0.0006677334312154591, False),
        (0.00062, 0.0006677334312154591, False),
        (0.00071, 0.0006677334312154591, False),
        (0.0, 0.00003, False),  # 0 for anything within 5·10⁻⁵ was right
        (3.0e-5, 0.00003, True),
        (0.0, 0.0, True),
        (0.00004, 0.0, True),  # an exact 0 is asked at 4 decimals
    ],
)
def test_judge_at_the_precision_asked(answer, value, ok):
    assert judge(answer, value) is ok


@pytest.mark.parametrize(
    "answer, ok", [(0.3588, True), (0.3589, True), (0.35885, True), (0.3590, False), (0.3587, False)]
)
def test_judge_takes_the_value_that_follows_from_the_inputs_shown(answer, ok):
    """w₁₁⁽²⁾ ← 0.40 − 0.50·∂L/∂w₁₁⁽²⁾: exactly 0.358836…, but from the gradient as shown, 0.0823, it is
    0.35885, half-way: 0.3588 and 0.3589 are both right."""
    exact = 0.40 - ETA * A11 * DELTA2
    shown = 0.40 - 0.5 * 0.0823
    assert f"{exact:.4f}" == "0.3588" and judge(0.3589, exact) is False
    assert judge(answer, exact, shown) is ok


def test_question_comes_from_the_step_to_come_and_moves_nothing():
    st = Stepper(presets.lecture())
    before = st.snapshot
    q = question_for(before)
    assert st.snapshot is before and before.phase is Phase.READY and before.forward1 is None
    assert q.phase is Phase.F1 and q.symbol == "z₁⁽¹⁾" and q.value == pytest.approx(Z11, abs=1e-15)
    assert q.formula == "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825"
    assert question_for(before, comma=True).formula.endswith("0,15·0,05 + 0,25·0,10 + 0,35 = 0,3825")


def test_each_phase_asks_one_of_its_own_values():
    """Sample 1 of the notes: the first equation of each micro-step (z₁⁽¹⁾, z⁽²⁾, f'(z⁽²⁾), ∂L/∂a₁⁽¹⁾, the
    new w₁₁⁽²⁾); then the others, in the order the Explain panel lists them, on later samples."""
    st = Stepper(presets.lecture())
    expected = [
        ("z₁⁽¹⁾", Z11),
        ("z⁽²⁾", Z2),
        ("f'(z⁽²⁾)", YHAT * (1 - YHAT)),
        ("∂L/∂a₁⁽¹⁾", 0.40 * DELTA2),
        ("w₁₁⁽²⁾", W11_2_NEW),
    ]
    for symbol, value in expected:
        q = question_for(st.snapshot)
        assert (q.symbol, q.new) == (symbol, q.phase is Phase.U)
        assert q.value == pytest.approx(value, rel=1e-12)
        st.step()
    groups = {
        Phase.F1: ("z", "a"),
        Phase.F2: ("ŷ", "Lᵢ", "z⁽²⁾"),
        Phase.B2: ("f'(z⁽²⁾)", "δ⁽²⁾", "∂L/∂w₁₁⁽²⁾", "∂L/∂w₂₁⁽²⁾"),
        Phase.B1: ("∂L/∂a", "f'(z", "δ₁⁽¹⁾", "δ₂⁽¹⁾", "∂L/∂w"),
        Phase.U: ("w", "b"),
    }
    asked = set()
    for _ in range(5 * 6):
        q = question_for(st.snapshot)
        assert q.symbol.startswith(groups[q.phase]), (q.phase, q.symbol)
        after = st.step()
        assert after.phase is q.phase
        asked.add(q.symbol)
    assert {"a₂⁽¹⁾", "Lᵢ", "∂L/∂w₁₁⁽²⁾", "f'(z₂⁽¹⁾)", "b⁽²⁾"} <= asked  # the rotation reaches them


def test_quiz_state_counts_right_and_wrong_but_not_nonsense_or_skips():
    st = Stepper(presets.lecture())
    q = question_for(st.snapshot)
    s = QuizState(on=True).ask(q, "forward")
    nonsense = s.answer("zero point four")
    assert nonsense.asking and (nonsense.right, nonsense.asked) == (0, 0) and nonsense.verdict.kind == "nonsense"
    right = nonsense.answer("0,3825")
    assert not right.asking and (right.right, right.asked) == (1, 1) and right.verdict.kind == "right"
    retry = s.answer("0.3830")  # a first wrong answer: a hint and a second try, nothing counted yet
    assert retry.asking and (retry.right, retry.asked) == (0, 0) and retry.verdict.kind == "retry"
    wrong = retry.answer("0.3830")
    assert (wrong.right, wrong.asked) == (0, 1) and wrong.verdict.kind == "wrong" and wrong.verdict.answer == 0.383
    skipped = s.skip()  # a reveal counts as asked (issue 11), and is shown as revealed
    assert not skipped.asking and (skipped.right, skipped.asked, skipped.revealed) == (0, 1, 1)
    assert skipped.verdict.kind == "skipped"


# --- in the app -------------------------------------------------------------------------------


def verdict(app) -> str:
    return str(app.query_one("#quiz-verdict").render())


def bar(app) -> str:
    return " ".join(str(app.query_one(f"#quiz-{part}").render()) for part in ("prompt", "score"))


async def answer(pilot, text):
    await pilot.press(*text, "enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_right_answer_scores_and_reveals_the_step(size, drive, values_text):
    async def scenario(app, pilot):
        await pilot.press("f")
        await pilot.pause()
        assert app.quiz.asking and app.snapshot.phase is Phase.READY
        assert "z₁⁽¹⁾ =" in bar(app) and "0.3825" not in values_text(app)  # asked before it is shown
        assert isinstance(app.focused, SteadyInput)
        await answer(pilot, "0.3825")
        assert app.snapshot.phase is Phase.F1 and "0.3825" in values_text(app)
        assert (app.quiz.right, app.quiz.asked) == (1, 1) and "score 1/1" in bar(app)
        assert verdict(app) == "✓ Right: z₁⁽¹⁾ = 0.3825"
        assert app.focused is None  # the step keys are the App's again

    drive(scenario, size=size, quiz=True)


def test_wrong_answer_shows_the_right_value_with_its_formula(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0.38")
        assert app.quiz.asking and app.snapshot.phase is Phase.READY  # a second try first
        await answer(pilot, "0.38")
        assert (app.quiz.right, app.quiz.asked) == (0, 1) and "score 0/1" in bar(app)
        assert verdict(app) == (
            "✗ Not 0.38: z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825"
        )
        assert app.snapshot.phase is Phase.F1  # revealed all the same
        await pilot.press("f")
        await answer(pilot, "1.1")  # z⁽²⁾ = 1.1061
        await answer(pilot, "1.1")
        assert verdict(app).endswith("= 0.40·0.5945 + 0.45·0.5963 + 0.60 = 1.1061")
        assert (app.quiz.right, app.quiz.asked) == (0, 2)

    drive(scenario, quiz=True)


def test_comma_answer_at_80x24_in_portuguese(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0,3825")
        await pilot.press("f")
        await answer(pilot, "1,1061")
        await pilot.press("b")
        await answer(pilot, f"{YHAT * (1 - YHAT):.4f}".replace(".", ","))
        assert (app.quiz.right, app.quiz.asked) == (3, 3) and "acertos 3/3" in bar(app)
        assert verdict(app) == "✓ Certo: f'(z⁽²⁾) = 0,1868"
        assert app.snapshot.phase is Phase.B2

    drive(scenario, size=(80, 24), quiz=True, lang="pt", comma=True)


def test_nonsense_is_not_counted_and_asks_again(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "abc")
        assert app.quiz.asking and app.snapshot.phase is Phase.READY
        assert (app.quiz.right, app.quiz.asked) == (0, 0)
        assert verdict(app) == "'abc' is not a number; type e.g. 0.3825 (not counted)."
        await pilot.press("ctrl+a", "ctrl+k")  # the typed text stays for correcting; clear it
        await answer(pilot, "0.3825")
        assert (app.quiz.right, app.quiz.asked) == (1, 1) and app.snapshot.phase is Phase.F1

    drive(scenario, quiz=True)


def test_escape_reveals_and_counts_as_asked(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "escape")
        await pilot.pause()
        assert not app.quiz.asking and app.snapshot.phase is Phase.F1
        assert (app.quiz.right, app.quiz.asked, app.quiz.revealed) == (0, 1, 1)
        assert "score 0/1 · 1st 0 · 2nd 0 (1 revealed)" in bar(app)
        assert verdict(app).startswith("Revealed (counted as asked): z₁⁽¹⁾ = ") and verdict(app).endswith("= 0.3825")

    drive(scenario, quiz=True)


def test_k_toggles_quiz_mode(drive):
    async def scenario(app, pilot):
        quizbar = app.query_one(QuizBar)
        assert not app.quiz.on and not quizbar.display
        await pilot.press("f")
        await pilot.pause()
        assert app.snapshot.phase is Phase.F1 and not app.quiz.asking  # no quiz: f steps at once
        await pilot.press("k")
        await pilot.pause()
        assert app.quiz.on and quizbar.display
        await pilot.press("f")
        await pilot.pause()
        assert app.quiz.asking and app.snapshot.phase is Phase.F1
        await answer(pilot, "1.1061")
        assert app.snapshot.phase is Phase.F2 and app.quiz.right == 1
        await pilot.press("k")
        await pilot.pause()
        assert not app.quiz.on and not quizbar.display
        await pilot.press("b")
        await pilot.pause()
        assert app.snapshot.phase is Phase.B2

    drive(scenario)


def test_a_key_that_does_not_fit_is_refused_not_asked(drive):
    async def scenario(app, pilot):
        await pilot.press("u")
        await pilot.pause()
        assert not app.quiz.asking and app.snapshot.phase is Phase.READY
        assert "The forward pass comes first." in app.query_one(ExplainPanel).render().plain

    drive(scenario, quiz=True)


def test_space_and_undo_in_quiz_mode(drive):
    async def scenario(app, pilot):
        await pilot.press("space")
        await answer(pilot, "0.3825")
        assert app.snapshot.phase is Phase.F1
        await pilot.press("z")  # undo is not a micro-step: it is never asked
        await pilot.pause()
        assert app.snapshot.phase is Phase.READY and not app.quiz.asking

    drive(scenario, quiz=True)


def test_waiting_for_an_answer_starts_no_timer(drive):
    """No blinking cursor: the answer box's blink timer stays paused, so idle CPU stays at zero."""

    async def scenario(app, pilot):
        await pilot.press("f")
        await pilot.pause()
        box = app.query_one("#quiz-answer", SteadyInput)
        assert box.has_focus and box.cursor_blink is False
        assert not box._blink_timer._active.is_set()  # paused (Textual's Timer)

    drive(scenario, quiz=True)


def test_question_survives_a_layout_change(drive):
    """Crossing the wide-layout size re-arranges the panels; the open question and score stay."""

    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0.3825")
        await pilot.press("f")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.quiz.asking and "z⁽²⁾ =" in bar(app) and "score 1/1" in bar(app)
        await pilot.pause()
        await answer(pilot, "1.1061")
        assert app.snapshot.phase is Phase.F2 and (app.quiz.right, app.quiz.asked) == (2, 2)

    drive(scenario, quiz=True)


def test_keybar_lists_the_quiz_key(drive):
    async def scenario(app, pilot):
        assert "k quiz" in app.query_one(KeyBar).render().plain

    drive(scenario, size=(160, 40))


def test_quiz_option_on_the_command_line(monkeypatch):
    assert interactive.parser().parse_args(["--quiz"]).quiz is True
    assert interactive.parser().parse_args([]).quiz is False
    seen = {}
    monkeypatch.setattr(app_module.BackpropApp, "run", lambda self, **kw: seen.setdefault("on", self.quiz.on))
    monkeypatch.setattr(app_module, "not_a_terminal", lambda: None)  # the tests run without a terminal
    assert app_module.run(presets.lecture(), SimpleNamespace(quiz=True)) == 0
    assert seen["on"] is True


def test_at_80x24_the_bar_leaves_the_explain_panel_in_view(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0.38")  # a first wrong answer: the hint wraps onto a second row at 80 columns
        await pilot.pause()
        explain, quizbar = app.query_one(ExplainPanel).region, app.query_one(QuizBar).region
        assert explain.height >= 3 and explain.bottom <= quizbar.y and quizbar.height == 3
        assert verdict(app).startswith("✗ 0.38 has fewer digits than asked")
        await answer(pilot, "0.38")  # the second: the verdict with the formula
        await pilot.pause()
        explain, quizbar = app.query_one(ExplainPanel).region, app.query_one(QuizBar).region
        assert explain.height >= 3 and explain.bottom <= quizbar.y
        assert quizbar.height == 3 and quizbar.bottom <= app.size.height - 2  # status line and key bar below
        assert "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁" in app.query_one(ExplainPanel).render().plain

    drive(scenario, size=(80, 24), quiz=True)


# Keys that arrive together (one terminal read, key repeat, a script) are handled one after the
# other with no pause between them: Pilot's press() waits for idle after each key, so these tests
# post the Key events themselves.
def _post_keys(app, keys):
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key))


def test_k_then_step_keys_at_once_ask_the_question(drive):
    """The bar's parts are built when k first turns the quiz on; a step key right behind k finds them."""
    seen = {}

    async def scenario(app, pilot):
        _post_keys(app, "kff")
        await pilot.pause(0.2)
        seen["asking"] = app.quiz.asking
        seen["focused"] = app.focused

    drive(scenario)
    assert seen["asking"]
    assert isinstance(seen["focused"], SteadyInput)


def test_with_quiz_on_the_command_line_the_first_key_asks():
    """--quiz: the bar has its parts from the first compose, so a key typed during start-up asks."""
    import asyncio

    app = app_module.BackpropApp(presets.lecture(), quiz=True)
    seen = {}

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            _post_keys(app, "f")  # no pause first: as fast as a key typed while the app starts
            await pilot.pause(0.3)
            seen["asking"], seen["focused"] = app.quiz.asking, app.focused

    asyncio.run(main())
    assert seen["asking"]
    assert isinstance(seen["focused"], SteadyInput)


def test_quiz_parts_are_built_only_when_the_quiz_is_first_on(drive):
    seen = {}

    async def scenario(app, pilot):
        bar = app.query_one(QuizBar)
        seen["before"] = len(bar.query(SteadyInput))
        await pilot.press("k")
        seen["after"] = len(bar.query(SteadyInput))
        await pilot.press("k", "k")
        seen["again"] = len(bar.query(SteadyInput))

    drive(scenario)
    assert seen == {"before": 0, "after": 1, "again": 1}


# --- the fair quiz of issue 11, tried as the issue tried it -------------------------------------


def test_update_answer_from_the_gradient_as_shown_is_right(drive):
    """f f b b (Esc each), u: w₁₁⁽²⁾ from ∂L/∂w₁₁⁽²⁾ as shown (0.0823) is 0.35885; 0.3589 is right, and the
    formula beside it computes to what it says."""

    async def scenario(app, pilot):
        for key in "ffbb":
            await pilot.press(key, "escape")
            await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.quiz.asking and "w₁₁⁽²⁾" in bar(app) and "4 decimals" in str(app.query_one("#quiz-hint").render())
        await answer(pilot, "0.3589")
        assert app.quiz.verdict.kind == "right" and verdict(app) == "✓ Right: w₁₁⁽²⁾ = 0.3588"

    drive(scenario, quiz=True)


def test_a_small_value_is_asked_at_the_six_decimals_it_is_shown_at():
    """∂L/∂w₁₁⁽¹⁾ = 0.000668 (the panels write 6 decimals): 0.00062 and 0.00071 (±7 %) are wrong; 0 is
    not right for 3·10⁻⁵."""
    st = Stepper(presets.lecture())
    for _ in range(3):
        st.step()
    turn = 0
    while True:  # the sample whose B1 question is ∂L/∂w₁₁⁽¹⁾
        q = question_for(st.snapshot)
        if q.symbol == "∂L/∂w₁₁⁽¹⁾" or turn > 20:
            break
        for _ in range(5):
            st.step()
        turn += 1
    shown = num(q.value)
    assert q.symbol == "∂L/∂w₁₁⁽¹⁾" and q.precision == ("decimals", 6) and len(shown.split(".")[1]) == 6
    state = QuizState(on=True).ask(q, "backward")
    assert state.answer(shown).verdict.kind == "right"
    assert state.answer(f"{float(shown) + 1.01e-6:.6f}").verdict.kind == "retry"  # a unit of the last digit
    for wrong in (q.value * 0.93, q.value * 1.07, 0.0):
        assert state.answer(repr(wrong)).verdict.kind == "retry", wrong
    assert not judge(0.0, 3e-5) and judge(3.04e-5, 3.0401e-5) and not judge(3.1e-5, 3.04e-5)


def test_undo_does_not_score_the_same_question_twice(drive):
    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0.3825")
        assert (app.quiz.right, app.quiz.asked) == (1, 1)
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert app.quiz.asking and "z₁⁽¹⁾" in bar(app)
        await answer(pilot, "0.3825")
        assert (app.quiz.right, app.quiz.asked) == (1, 1) and "score 1/1" in bar(app)
        assert verdict(app).endswith("(answered before: not scored again)")
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("f", "escape")  # nor is a reveal of it counted
        await pilot.pause()
        assert (app.quiz.right, app.quiz.asked, app.quiz.revealed) == (1, 1, 0)

    drive(scenario, quiz=True)


def test_the_verdict_goes_with_its_step_and_s_says_it_does_not_ask(drive):
    async def scenario(app, pilot):
        for key in "ffbb":
            await pilot.press(key, "escape")
            await pilot.pause()
        await pilot.press("u")
        await answer(pilot, "0.3588")
        assert verdict(app) == "✓ Right: w₁₁⁽²⁾ = 0.3588" and app.query_one("#quiz-verdict").display
        await pilot.press("s")  # the whole next sample, unasked
        await pilot.pause()
        assert app.snapshot.phase is Phase.U and len(app.snapshot.losses) == 3
        assert not app.query_one("#quiz-verdict").display and app.quiz.verdict is None
        assert "s ran its micro-steps without asking" in app.query_one(ExplainPanel).render().plain
        assert (app.quiz.right, app.quiz.asked) == (1, 5)

    drive(scenario, quiz=True)


def test_e_says_it_does_not_ask(drive):
    async def scenario(app, pilot):
        await pilot.press("e")
        await pilot.pause()
        await pilot.pause()
        assert app.snapshot.phase is Phase.U and len(app.snapshot.losses) == 2 and not app.quiz.asking
        assert "e ran its micro-steps without asking" in app.query_one(ExplainPanel).render().plain

    drive(scenario, quiz=True)


@pytest.mark.parametrize(
    "typed, kind", [("2.000e+06", "right"), ("2000000.04", "right"), ("2.001e+06", "wrong"), ("2e6", "right")]
)
def test_a_huge_value_is_asked_at_the_precision_the_panels_write_it(typed, kind):
    """Issue 18: w₁₁⁽¹⁾ = 2·10⁶, x = (1, 0.1): the panels write z₁⁽¹⁾ = 2.000e+06, so the prompt asks 4
    significant digits (not 4 decimals) and 2.000e+06 is right."""
    model = presets.lecture().with_(
        params=Params(W1=[[2e6, 0.20], [0.25, 0.30]], b1=[0.35, 0.35], W2=[[0.40], [0.45]], b2=[0.60]),
        X=np.array([[1.0, 0.1]]),
        Y=np.array([0.01]),
    )
    q = question_for(Stepper(model).snapshot)
    assert q.symbol == "z₁⁽¹⁾" and num(q.value) == "2.000e+06" and q.precision == ("significant", 4)
    assert prompt_precision(q) == ("ui_quiz_significant", 4)
    assert QuizState(on=True).ask(q, "forward").answer(typed).verdict.kind == {"wrong": "retry"}.get(kind, kind)


@pytest.mark.parametrize(
    "sizes",
    [((120, 40), (80, 24)), ((80, 24), (120, 40)), ((120, 40), (160, 45))],
    ids=["wide-to-compact", "compact-to-wide", "wide-to-roomy"],
)
def test_a_half_typed_answer_survives_a_change_of_layout(sizes, drive):
    """Issue 18: '0.3', the terminal crosses the 120×40 ↔ 80×24 boundary, '825': the answer is 0.3825,
    not '825' (the panels are arranged for the new layout; the quiz bar, its text and focus stay)."""

    async def scenario(app, pilot):
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"0.3")
        layout = app.arrangement
        await pilot.resize_terminal(*sizes[1])
        await pilot.pause()
        assert app.arrangement != layout  # the layout did change
        answer_box = app.query_one("#quiz-answer", SteadyInput)
        assert answer_box.value == "0.3" and app.focused is answer_box
        await answer(pilot, "825")
        assert app.quiz.verdict.kind == "right" and verdict(app) == "✓ Right: z₁⁽¹⁾ = 0.3825"
        assert app.snapshot.phase is Phase.F1

    drive(scenario, size=sizes[0], quiz=True)
