"""Issue 19, "the quiz gives one try": a second try with a hint that names what is off, computed from the
record's numbers; right answers counted by try; `--quiz-log FILE` (one CSV row per question).

The wrong answers are built by hand from the notes' example (DESIGN §2), the way a student gets them
wrong: the other a, the other sign, no f'(z), the value of another quantity, another rounding.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap

import pytest

from byhand import sigma
from engine import equations, presets
from engine.notation import num
from engine.stepper import Phase, Stepper, next_micro_step
from tui.app.quiz import Question, QuizState, question_for
from tui.app.quiz_hint import hint_for
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.steady_input import SteadyInput
from tui.host import quizlog
from tui.main import main

# the notes' example by hand (§2.3–§2.9)
X1, X2, Y, ETA = 0.05, 0.10, 0.01, 0.5
Z11 = 0.15 * X1 + 0.25 * X2 + 0.35
Z12 = 0.20 * X1 + 0.30 * X2 + 0.35
A11, A12 = sigma(Z11), sigma(Z12)
Z2 = 0.40 * A11 + 0.45 * A12 + 0.60
YHAT = sigma(Z2)
FP2 = YHAT * (1 - YHAT)
DELTA2 = (YHAT - Y) * FP2
DA11 = 0.40 * DELTA2
FP11 = A11 * (1 - A11)
DELTA11 = DA11 * FP11
DELTA12 = 0.45 * DELTA2 * A12 * (1 - A12)
DW11_2 = A11 * DELTA2


def asked(symbol: str, new: bool = False) -> Question:
    """The question on `symbol` of the notes' first sample, asked before the step that computes it."""
    st = Stepper(presets.lecture())
    while True:
        before = st.snapshot
        after = next_micro_step(before)
        for e in equations.of_snapshot(after):
            if e.quantity.text == symbol and e.update == new and e.askable:
                return Question(
                    phase=after.phase,
                    equation=e,
                    formula=equations.write(e).line(),
                    before=before,
                    key=("test", symbol),
                    epoch=after.epoch,
                    sample=after.sample,
                )
        st.step()
        assert st.snapshot.phase is not Phase.U or before.phase is not Phase.U


def hint(q: Question, answer: float, lang: str = "en"):
    text = f"{answer:.4f}" if abs(answer) >= 0.01 else f"{answer:.6f}"
    h = hint_for(q, float(text), text)
    said = h.text(lang)
    assert num(q.value) not in said.replace(text, "")  # nothing of the value asked is given away
    return h.kind, said


# --- the hint, from the numbers ----------------------------------------------------------------------


def test_a_gradient_with_the_other_a_names_the_factor():
    q = asked("∂L/∂w₁₁⁽²⁾")
    kind, said = hint(q, A12 * DELTA2)
    assert kind == "factor"
    assert said == "0.0826 is a₁⁽¹⁾δ⁽²⁾ with a₂⁽¹⁾ in place of a₁⁽¹⁾: ∂L/∂w₁₁⁽²⁾ takes a₁⁽¹⁾."
    _, pt = hint(q, A12 * DELTA2, "pt")
    assert pt == "0.0826 é a₁⁽¹⁾δ⁽²⁾ com a₂⁽¹⁾ no lugar de a₁⁽¹⁾: ∂L/∂w₁₁⁽²⁾ usa a₁⁽¹⁾."


def test_a_gradient_with_the_wrong_sign():
    kind, said = hint(asked("∂L/∂w₁₁⁽²⁾"), -DW11_2)
    assert (
        kind == "sign"
        and said == "-0.0823 has the size of ∂L/∂w₁₁⁽²⁾ but the wrong sign: check the signs in a₁⁽¹⁾δ⁽²⁾."
    )


def test_a_gradient_without_f_prime_is_off_by_that_factor():
    """a₁⁽¹⁾(ŷ − y): δ⁽²⁾ without its f'(z⁽²⁾), 0.4405 where the gradient is 0.0823."""
    kind, said = hint(asked("∂L/∂w₁₁⁽²⁾"), A11 * (YHAT - Y))
    assert kind == "fprime_missing" and "off by a factor f'(z⁽²⁾), which it lacks" in said
    kind, said = hint(asked("∂L/∂w₁₁⁽²⁾"), DW11_2 * FP2)
    assert kind == "fprime_extra" and "f'(z⁽²⁾) too many" in said


def test_the_local_error_without_f_prime_leaves_out_that_factor():
    kind, said = hint(asked("δ₁⁽¹⁾"), DA11)
    assert kind == "missing" and said == "0.0554 leaves out f'(z₁⁽¹⁾): δ₁⁽¹⁾ = ∂L/∂a₁⁽¹⁾·f'(z₁⁽¹⁾)."


def test_the_value_of_another_quantity_on_screen():
    kind, said = hint(asked("f'(z⁽²⁾)"), YHAT)  # at F2 the screen shows ŷ = 0.7514
    assert kind == "shown" and said == "0.7514 is ŷ, on the screen now, not f'(z⁽²⁾) = ŷ(1 − ŷ)."
    _, pt = hint(asked("f'(z⁽²⁾)"), YHAT, "pt")
    assert pt == "0.7514 é ŷ, que está na tela, e não f'(z⁽²⁾) = ŷ(1 − ŷ)."


def test_right_but_rounded_to_fewer_digits_or_a_unit_off():
    q = asked("z₁⁽¹⁾")
    h = hint_for(q, 0.38, "0.38")
    assert h.kind == "digits" and h.text() == "0.38 has fewer digits than asked: give z₁⁽¹⁾ to 4 decimals."
    assert hint_for(q, 0.3827, "0.3827").kind == "close"
    assert hint_for(q, 0.3827, "0,3827").text("pt").startswith("0,3827 está perto, mas não é z₁⁽¹⁾ com 4 casas")


def test_the_update_against_the_gradient_without_eta_and_before_it():
    q = asked("w₁₁⁽²⁾", new=True)
    assert hint(q, 0.40 + ETA * DW11_2)[0] == "term_sign"  # θ + η∂L/∂θ
    kind, said = hint(q, 0.40 - DW11_2)  # no η
    assert kind == "missing" and said.startswith("0.3177 leaves out η: w₁₁⁽²⁾ = w₁₁⁽²⁾ − η·∂L/∂w₁₁⁽²⁾")
    kind, said = hint(q, 0.40)
    assert kind == "before" and "as the screen shows it before this step" in said


def test_the_loss_without_its_half_and_an_activation_not_applied():
    assert hint(asked("Lᵢ"), (YHAT - Y) ** 2)[0] == "missing_half"
    kind, said = hint(asked("a₁⁽¹⁾"), Z11)
    assert kind == "missing_f" and said == "0.3825 leaves out the activation f: a₁⁽¹⁾ = f(z₁⁽¹⁾)."


def test_a_gradient_of_the_hidden_layer_with_the_other_delta():
    kind, said = hint(asked("∂L/∂w₂₁⁽¹⁾"), X2 * DELTA12)
    assert kind == "factor" and "δ₂⁽¹⁾ in place of δ₁⁽¹⁾" in said


def test_when_nothing_fits_the_hint_names_the_inputs():
    kind, said = hint(asked("z₁⁽¹⁾"), 7.0)
    assert kind == "inputs"
    assert said == "7.0000 is not z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾; it uses w₁₁⁽¹⁾, x₁, w₂₁⁽¹⁾, x₂, b₁⁽¹⁾."


# --- the state machine: two tries, counted apart -------------------------------------------------------


def start() -> QuizState:
    return QuizState(on=True).ask(question_for(Stepper(presets.lecture()).snapshot), "forward")


def test_second_try_right():
    s = start().answer("0.3830")
    assert s.asking and s.second_try and s.verdict.kind == "retry" and s.asked == 0 and s.outcome is None
    s = s.answer("0.3825")
    assert not s.asking and s.verdict.kind == "right" and s.verdict.tries == 2
    assert (s.first, s.second, s.right, s.asked, s.revealed) == (0, 1, 1, 1, 0)
    assert s.outcome.answers == ("0.3830", "0.3825") and (s.outcome.first, s.outcome.second) == (False, True)


def test_second_try_wrong_reveals_and_escape_at_the_second_try_counts_as_revealed():
    wrong = start().answer("0.3830").answer("0.39")
    assert wrong.verdict.kind == "wrong" and (wrong.right, wrong.asked, wrong.revealed) == (0, 1, 0)
    assert wrong.outcome.answers == ("0.3830", "0.39") and not wrong.outcome.revealed
    skipped = start().answer("0.3830").skip()
    assert skipped.verdict.kind == "skipped" and (skipped.right, skipped.asked, skipped.revealed) == (0, 1, 1)
    assert skipped.outcome.answers == ("0.3830",) and skipped.outcome.revealed


def test_first_try_right_and_nonsense_is_not_a_try():
    s = start().answer("zero").answer("0,3825")
    assert (s.first, s.second) == (1, 0) and s.outcome.answers == ("0,3825",) and s.outcome.first
    s = start().answer("0.3830").answer("abc")
    assert s.asking and s.second_try and s.verdict.kind == "nonsense"


# --- in the app ------------------------------------------------------------------------------------------


def verdict(app) -> str:
    return str(app.query_one("#quiz-verdict").render())


def bar(app) -> str:
    return " ".join(str(app.query_one(f"#quiz-{part}").render()) for part in ("prompt", "hint", "score"))


async def answer(pilot, text):
    await pilot.press(*text, "enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_second_try_with_a_hint_then_the_score_by_try(size, lang, drive):
    async def scenario(app, pilot):
        comma = lang == "pt"
        await pilot.press("f")
        await pilot.pause()
        await answer(pilot, "0,3830" if comma else "0.3830")
        assert app.quiz.asking and app.snapshot.phase is Phase.READY  # not revealed yet
        assert verdict(app).startswith("✗ 0" + ("," if comma else ".") + "3830 ")
        assert ("Mais uma tentativa" if comma else "One more try") in verdict(app)
        assert ("2ª tentativa" if comma else "2nd try") in bar(app)
        box = app.query_one("#quiz-answer", SteadyInput)
        assert box.value == "" and app.focused is box  # an empty box for the second try
        await answer(pilot, "0,3825" if comma else "0.3825")
        assert app.snapshot.phase is Phase.F1
        assert verdict(app) == (
            "✓ Certo na segunda tentativa: z₁⁽¹⁾ = 0,3825" if comma else "✓ Right at the second try: z₁⁽¹⁾ = 0.3825"
        )
        await pilot.press("f")
        await answer(pilot, "1,1061" if comma else "1.1061")
        assert ("acertos 2/2 · 1ª 1 · 2ª 1" if comma else "score 2/2 · 1st 1 · 2nd 1") in bar(app)
        assert "z⁽²⁾ = w₁₁⁽²⁾a₁⁽¹⁾" in app.query_one(ExplainPanel).render().plain or size == (80, 24)

    drive(scenario, size=size, quiz=True, lang=lang, comma=lang == "pt")


# --- the lecturer's log ------------------------------------------------------------------------------------


def read_log(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_log_has_one_row_per_question_read_back_with_csv(tmp_path, drive):
    path = tmp_path / "class.csv"

    def configure(app):
        app.quizzes.log = quizlog.QuizLog(str(path), "Ana")

    async def scenario(app, pilot):
        await pilot.press("f")
        await answer(pilot, "0.3825")  # right at the first try
        await pilot.press("f")
        await answer(pilot, "1.1")
        await answer(pilot, "1.1061")  # right at the second
        await pilot.press("b")
        await answer(pilot, "0.2")
        await answer(pilot, "0.3")  # wrong twice
        await pilot.press("b", "escape")  # revealed
        await pilot.pause()

    drive(scenario, quiz=True, configure=configure)
    rows = read_log(path)
    assert list(rows[0]) == list(quizlog.HEADER)
    assert [r["question"] for r in rows] == ["z_1^(1)", "z^(2)", "f'(z^(2))", "dL/da_1^(1)"]
    assert [r["phase"] for r in rows] == ["F1", "F2", "B2", "B1"]
    assert [(r["answer_1"], r["answer_2"]) for r in rows] == [
        ("0.3825", ""),
        ("1.1", "1.1061"),
        ("0.2", "0.3"),
        ("", ""),
    ]
    assert [(r["right_first_try"], r["right_second_try"], r["revealed"]) for r in rows] == [
        ("true", "false", "false"),
        ("false", "true", "false"),
        ("false", "false", "false"),
        ("false", "false", "true"),
    ]
    assert float(rows[0]["value"]) == pytest.approx(Z11, abs=1e-9) and float(rows[2]["value"]) == pytest.approx(FP2)
    assert {r["student"] for r in rows} == {"Ana"} and {r["epoch"] for r in rows} == {"1"}
    assert all("T" in r["time"] and ("+" in r["time"][10:] or "-" in r["time"][10:]) for r in rows)  # ISO, offset


HOSTILE = [
    "Silva, Ana",
    'Ana "the" Silva',
    "two\nlines\r\n",
    '=HYPERLINK("http://x","y")',
    "+55 11",
    "-1+1",
    "@SUM(A1)",
    "\tTab",
    "é" * 50,
    "\x1b]2;title\x07",
    "",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_stays_one_cell_of_one_row(name, tmp_path):
    path = tmp_path / "log.csv"
    q = start()
    log = quizlog.QuizLog(str(path), name)
    log.append(q.answer("0.3825").outcome)
    log.append(q.skip().outcome)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == 3  # the header and two rows: no name breaks a line
    rows = read_log(path)
    assert len(rows) == 2 and rows[0]["student"] == rows[1]["student"]
    student = rows[0]["student"]
    assert 0 < len(student) <= quizlog.MAX_NAME and student.isprintable()
    assert not student.startswith(("=", "+", "-", "@", "\t"))  # a spreadsheet takes none for a formula
    assert rows[0]["question"] == "z_1^(1)" and rows[0]["right_first_try"] == "true"


def test_two_apps_appending_at_once_leave_whole_rows_and_one_header(tmp_path):
    path = tmp_path / "shared.csv"
    code = textwrap.dedent(f"""
        import sys
        sys.path[:0] = {sys.path!r}
        from engine import presets
        from engine.stepper import Stepper
        from tui.app.quiz import QuizState, question_for
        from tui.host.quizlog import QuizLog
        q = QuizState(on=True).ask(question_for(Stepper(presets.lecture()).snapshot), "forward")
        done = q.answer("0.3825").outcome
        log = QuizLog({str(path)!r}, sys.argv[1] * 30)
        for _ in range(300):
            log.append(done)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, who]) for who in "AB"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows = read_log(path)
    assert len(rows) == 600 and path.read_text().count("time,student") == 1
    assert sorted({r["student"] for r in rows}) == ["A" * 30, "B" * 30]
    assert all(r["question"] == "z_1^(1)" and r["right_first_try"] == "true" for r in rows)


@pytest.mark.parametrize("where", ["missing/dir/log.csv", "."])
def test_a_log_that_cannot_be_written_is_refused_at_start_up(where, tmp_path, capsys):
    path = str(tmp_path / where)
    assert main(["--quiz-log", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("backprop-tui: error: --quiz-log ") and "Traceback" not in err


def test_a_write_that_fails_mid_session_says_so_and_the_quiz_goes_on(tmp_path, drive):
    folder = tmp_path / "gone"
    folder.mkdir()

    def configure(app):
        app.quizzes.log = quizlog.QuizLog(str(folder / "log.csv"), "Ana")

    async def scenario(app, pilot):
        folder.rmdir()  # the folder went away after start-up
        await pilot.press("f")
        await answer(pilot, "0.3825")
        assert app.snapshot.phase is Phase.F1 and app.quiz.right == 1
        assert "Quiz log: cannot write" in app.query_one(ExplainPanel).render().plain
        await pilot.press("f")
        await answer(pilot, "1.1061")
        assert app.snapshot.phase is Phase.F2 and app.quiz.right == 2

    drive(scenario, quiz=True, configure=configure)


def test_the_name_defaults_to_the_login_and_survives_a_missing_one(monkeypatch):
    from tui.cli import interactive

    monkeypatch.setattr(quizlog.getpass, "getuser", lambda: "ana")
    args = interactive.parser().parse_args([])
    interactive.check_quiz_log(args)
    assert args.name == "ana"

    def no_login():
        raise OSError("no login")

    monkeypatch.setattr(quizlog.getpass, "getuser", no_login)
    args = interactive.parser().parse_args([])
    interactive.check_quiz_log(args)
    assert args.name == "student"
    args = interactive.parser().parse_args(["--name", "=1+1"])
    interactive.check_quiz_log(args)
    assert args.name == "'=1+1"


def test_quiz_log_turns_the_quiz_on(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from tui.app import app as app_module

    seen = {}
    monkeypatch.setattr(
        app_module.BackpropApp, "run", lambda self, **kw: seen.update(on=self.quiz.on, log=self.quizzes.log)
    )
    monkeypatch.setattr(app_module, "not_a_terminal", lambda: None)
    path = str(tmp_path / "log.csv")
    assert app_module.run(presets.lecture(), SimpleNamespace(quiz_log=path, name="Ana")) == 0
    assert seen["on"] is True and seen["log"].path == os.path.abspath(path) and seen["log"].student == "Ana"


def test_a_wrong_batch_mean_gets_a_hint_naming_the_sample_left_out():
    """Batch mode (§2.1's 1/m): the gradient at U is the mean of the samples' gradients, an equation the
    quiz may ask; a wrong answer that leaves one sample out is named, and no Mean crashes the hint
    (it raised AttributeError: the hint knew no Mean)."""
    st = Stepper(presets.load("xor"), batch="full")
    while True:
        before = st.snapshot
        after = next_micro_step(before)
        means = [e for e in equations.of_snapshot(after) if isinstance(e.expr, equations.Mean) and e.askable]
        if means:
            break
        st.step()
    e = next(m for m in means if abs(m.expr.terms[0].value) > 1e-3)
    q = Question(
        phase=after.phase,
        equation=e,
        formula=equations.write(e).line(),
        before=before,
        key=("test", "mean"),
        epoch=after.epoch,
        sample=after.sample,
    )
    terms = [t.value for t in e.expr.terms]
    without_first = sum(terms[1:]) / (len(terms) - 1)
    kind, said = hint(q, without_first)
    assert kind == "missing" and "g₁" in said
    for wrong in (-e.value, e.value * 3 + 0.5, 0.0):  # any wrong answer gets a hint, never a crash
        hint(q, wrong)
