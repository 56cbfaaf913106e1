"""engine/equations.py: the notes' equations of each micro-step, the one model every view renders.

(a) Honest arithmetic: every substitution, as written, computes to its result as written, to its last
digit, for the notes' example and random models, with a decimal point and a decimal comma.
(b) The values are the notes' formulas worked by hand (tests/byhand.py), at full precision.
(c) The notes' rounding slips land on a⁽¹⁾, z⁽²⁾ and f'(z⁽¹⁾), and nowhere else.
The views' own renderings are checked the same way in tests/tui/app/test_equation_views.py.
"""

from __future__ import annotations

import math

import pytest

import writtenmath as wm
from byhand import worked_example
from engine import equations, export, presets
from engine import notation as n
from engine.notation import num
from engine.stepper import Phase, Stepper

MODELS = [presets.lecture(), presets.load("xor")] + wm.random_models(24)


def step_equations(model, steps: int = 2):
    """(step, phase, equation) for every equation of the first `steps` sample-steps."""
    for step in export.iter_trace(model, steps):
        for phase, eqs in equations.all_steps(export.sample_of_step(step)):
            for e in eqs:
                yield step, phase, e


@pytest.mark.parametrize("comma", [False, True], ids=["point", "comma"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m.name}-{m.hidden}-{m.output}")
def test_every_substitution_computes_to_its_result_as_written(model, comma):
    approx = 0
    for _, phase, e in step_equations(model):
        w = equations.write(e, comma)
        problem = wm.check_line(e, w.line())
        assert problem is None, f"{phase.value}: {problem}"
        approx += w.relation == "≈"
        assert "((" not in w.substitution, w.substitution  # a negative factor in one pair of parentheses
        mark = "," if comma else "."
        assert (
            mark in w.substitution + w.result
            or not any(ch.isdigit() for ch in w.result + w.substitution)
            or all("." not in t and "," not in t for t in wm.numbers(w.substitution) + [w.result])
        )
        assert ("." if comma else ",") not in w.substitution + w.result  # one decimal mark
    if model.name in ("lecture", "xor"):
        assert approx == 0  # the presets' arithmetic is exact as shown: no ≈


def test_the_random_models_cover_every_activation_and_magnitude():
    models = wm.random_models(24)
    assert {(m.hidden, m.output) for m in models} == {
        (h, o) for h in ("sigmoid", "tanh", "relu", "step") for o in ("sigmoid", "tanh", "relu", "linear")
    }
    weights = [abs(v) for m in models for v in m.params.W1.ravel()]
    assert min(weights) < 1e-5 and max(weights) > 1e3
    assert any(v < 0 for m in models for v in m.params.W2.ravel())


def test_the_issue_substitutions_are_now_right():
    """The three of issue 11: 0.1000·0.0134 = 0.001335, 0.40 − 0.50·0.0823 = 0.3588, and the chain."""
    eqs = {(phase, e.quantity, e.role): equations.write(e) for _, phase, e in step_equations(presets.lecture(), 1)}
    grad = eqs[Phase.B1, n.grad(n.weight(2, 1, 1)), "main"]
    assert grad.substitution == "0.10·0.01335" and grad.result == "0.001335"
    upd = eqs[Phase.U, n.weight(1, 1, 2), "main"]
    assert upd.substitution == "0.40 − 0.50·0.08233" and upd.result == "0.3588"
    chain = eqs[Phase.B1, n.grad(n.weight(2, 1, 1)), "chain"]
    assert (
        wm.check_line(next(e for _, _, e in step_equations(presets.lecture(), 1) if e.role == "chain"), chain.line())
        is None
    )


def by_hand_values() -> tuple[dict, dict]:
    """Every quantity of the notes' example by hand: (values before the update, parameters after)."""
    h = worked_example()
    x, (z1, z2), (a1, a2) = h["x"], h["z1"], h["a1"]
    W1, W2, b1, d1, d2 = h["W1"], h["W2"], h["b1"], h["delta1"], h["delta2"]
    v = {
        n.x(1): x[0],
        n.x(2): x[1],
        n.Y: h["y"],
        n.ETA: h["eta"],
        n.z(1, 1): z1,
        n.z(2, 1): z2,
        n.a(1, 1): a1,
        n.a(2, 1): a2,
        n.z(1, 2): h["z2"],
        n.YHAT: h["yhat"],
        n.LOSS: h["loss"],
        n.fprime(n.z(1, 2)): h["yhat"] * (1 - h["yhat"]),
        n.delta(1, 2): d2,
        n.bias(1, 2): h["b2"],
        n.grad(n.bias(1, 2)): d2,
    }
    for j in (1, 2):
        a = (a1, a2)[j - 1]
        v[n.fprime(n.z(j, 1))] = a * (1 - a)
        v[n.grad(n.a(j, 1))] = W2[j - 1] * d2
        v[n.delta(j, 1)] = d1[j - 1]
        v[n.bias(j, 1)] = b1[j - 1]
        v[n.grad(n.bias(j, 1))] = d1[j - 1]
        v[n.weight(j, 1, 2)] = W2[j - 1]
        v[n.grad(n.weight(j, 1, 2))] = h["dW2"][j - 1]
        for i in (1, 2):
            v[n.weight(i, j, 1)] = W1[i - 1][j - 1]
            v[n.grad(n.weight(i, j, 1))] = h["dW1"][i - 1][j - 1]
    after = {n.bias(1, 2): h["b2_after"]}
    for j in (1, 2):
        after[n.weight(j, 1, 2)] = h["W2_after"][j - 1]
        after[n.bias(j, 1)] = h["b1_after"][j - 1]
        for i in (1, 2):
            after[n.weight(i, j, 1)] = h["W1_after"][i - 1][j - 1]
    return v, after


def test_values_are_the_notes_formulas_by_hand():
    before, after = by_hand_values()
    seen = set()
    for _, _phase, e in step_equations(presets.lecture(), 1):
        want = after[e.quantity] if e.update else before[e.quantity]
        assert e.value == pytest.approx(want, rel=1e-12), e.quantity.text
        for r in equations.refs(e.expr):  # every number substituted is the quantity it names
            assert r.value == pytest.approx(before[r.sym], rel=1e-12), (e.quantity.text, r.sym.text)
        # the tree computes the engine's value from the exact inputs
        assert equations.evaluate(e.expr, lambda r: r.value) == pytest.approx(e.value, rel=1e-12)
        seen.add((e.quantity, e.update))
    # every quantity of the notes' worked example has its equation; all 9 parameters are updated
    assert {q for q, upd in seen if not upd} == set(before) - {n.x(1), n.x(2), n.Y, n.ETA} - set(after)
    assert {q for q, upd in seen if upd} == set(after)


NOTES_SLIPS = {
    n.a(1, 1): (0.5946, "2"),
    n.a(2, 1): (0.5969, "2"),
    n.z(1, 2): (1.1059, "2"),
    n.fprime(n.z(1, 1)): (0.2410, "3"),
    n.fprime(n.z(2, 1)): (0.2405, "3"),
}


def printed(eqs) -> dict:
    return {e.quantity: (e.printed, e.where) for e in eqs if e.printed is not None}


def test_the_notes_slips_are_on_the_quantities_they_misprint():
    """DESIGN §2: a⁽¹⁾ = (0.5946, 0.5969), z⁽²⁾ = 1.1059 (exercise 2), a⁽¹⁾(1 − a⁽¹⁾) = (0.2410, 0.2405)
    (exercise 3): on f'(z⁽¹⁾), the quantity the slip is about, not on δ⁽¹⁾ that uses it."""
    eqs = [e for _, _, e in step_equations(presets.lecture(), 1)]
    assert printed(eqs) == NOTES_SLIPS
    for e in eqs:
        if e.printed is not None:
            assert num(e.printed) != num(e.value)  # a slip: the exact value written differs
    # the Explain panel's path (a Stepper's Snapshots) carries the same remarks
    stepper, via_snapshots = Stepper(presets.lecture()), []
    for _ in range(5):
        stepper.step()
        via_snapshots += equations.of_snapshot(stepper.snapshot)
    assert printed(via_snapshots) == NOTES_SLIPS


@pytest.mark.parametrize(
    "model",
    [presets.lecture().with_(hidden="tanh"), presets.lecture().with_(lr=0.1), presets.load("xor")]
    + wm.random_models(4),
    ids=lambda m: m.name,
)
def test_no_remark_outside_the_notes_example(model):
    """Only the notes' own example, from its own start, has values printed in the notes: another
    activation, the second step (parameters changed) or another model has none."""
    steps = list(export.iter_trace(model, 2))
    sample_eqs = [e for s in steps for _, eqs in equations.all_steps(export.sample_of_step(s)) for e in eqs]
    if model.name == "lecture" and model.hidden == "sigmoid":  # η does not change the first step
        first = [e for _, eqs in equations.all_steps(export.sample_of_step(steps[0])) for e in eqs]
        assert printed(first) == NOTES_SLIPS
        sample_eqs = [e for _, eqs in equations.all_steps(export.sample_of_step(steps[1])) for e in eqs]
    assert printed(sample_eqs) == {}


def test_every_micro_step_has_its_equations_in_the_notes_order():
    eqs = {
        phase: es
        for phase, es in equations.all_steps(export.sample_of_step(next(export.iter_trace(presets.lecture()))))
    }
    names = {phase: [e.quantity.text for e in es if e.role != "chain"] for phase, es in eqs.items()}
    assert names[Phase.F1] == ["z₁⁽¹⁾", "z₂⁽¹⁾", "a₁⁽¹⁾", "a₂⁽¹⁾"]
    assert names[Phase.F2] == ["z⁽²⁾", "ŷ", "Lᵢ"]
    assert names[Phase.B2] == ["f'(z⁽²⁾)", "δ⁽²⁾", "∂L/∂w₁₁⁽²⁾", "∂L/∂w₂₁⁽²⁾", "∂L/∂b⁽²⁾"]
    assert names[Phase.U] == ["w₁₁⁽²⁾", "w₂₁⁽²⁾", "b⁽²⁾", "w₁₁⁽¹⁾", "w₁₂⁽¹⁾", "w₂₁⁽¹⁾", "w₂₂⁽¹⁾", "b₁⁽¹⁾", "b₂⁽¹⁾"]
    assert [e.quantity.text for e in eqs[Phase.U] if e.role == "main"] == ["w₁₁⁽²⁾", "w₂₁⁽²⁾", "b⁽²⁾", "w₂₁⁽¹⁾"]
    assert math.isclose(sum(1 for e in eqs[Phase.B1] if e.role == "chain"), 1)


def test_the_writer_reads_back_what_it_wrote_in_latex():
    """The transcripts' LaTeX substitution computes to its result as well (tex numbers read back)."""
    for model in MODELS[:8]:
        for _, phase, e in step_equations(model, 1):
            if e.copy:
                continue
            w = equations.write(e, comma=True, tex=True)
            computed = wm.redo(e, w.substitution or w.symbolic, tex=True)  # f'(z) = 1: nothing substituted
            if w.relation == "=":
                assert wm.agrees(computed, w.result), (phase.value, w)
                continue
            # ≈ hides no mismatch: the exact inputs give the engine's result, and each number written
            # (inputs and result) is its exact value rounded
            equations.check(e)
            assert wm.agrees(e.value, w.result), (phase.value, w)
            assert all(wm.agrees(ref.value, text) for text, ref in wm.read(e, w.substitution, True)), (phase.value, w)


# --- what a step computed is written with what it used (issue 18) ---------------------------------


def finished_sample_then(*changes: str) -> Stepper:
    """The lecture example after f f b b u, then η changed by the keys' ladder (+: lr_up, -: lr_down)."""
    stepper = Stepper(presets.lecture())
    for _ in range(5):
        stepper.step()
    for change in changes:
        stepper.lr_up() if change == "+" else stepper.lr_down()
    return stepper


@pytest.mark.parametrize("changes, now", [(("+",), 1.0), (("-", "-"), 0.1), ((), 0.5)])
def test_an_update_is_written_with_the_eta_it_used_whatever_eta_is_now(changes, now):
    s = finished_sample_then(*changes).snapshot
    assert s.lr == now and s.update is not None and s.update.lr == 0.5
    eqs = equations.of_snapshot(s)
    w11 = next(e for e in eqs if e.quantity == n.weight(1, 1, 2))
    # by hand: w₁₁⁽²⁾ ← 0.40 − 0.5 · a₁⁽¹⁾δ⁽²⁾, the notes' 0.3588
    assert abs(w11.value - (0.40 - 0.5 * 0.08233)) < 5e-5 and num(w11.value) == "0.3588"
    assert equations.write(w11).line().endswith("= 0.40 − 0.50·0.08233 = 0.3588")
    for e in eqs:  # every update line computes, from its inputs as written, to its result
        assert wm.check_line(e, equations.write(e).line().split(" ← ")[1].split(" = ", 1)[1], False) is None, e
    step = export.step_from_snapshot(s)
    assert step.lr == 0.5
    md = export.to_markdown([step])
    assert r"learning rate $\eta = 0.5000$" in md
    assert r"= 0.40 - 0.50 \cdot 0.08233 = 0.3588$" in md
    updates = [line for line in md.splitlines() if r"\leftarrow" in line]
    assert len(updates) == 9 and all(r" - 0.50 \cdot " in line for line in updates)


def test_shown_refuses_an_equation_its_inputs_do_not_give():
    """≈ never hides a mismatch: rendering the update with another η, or F1 with a value it was not
    computed from, raises FalseEquation instead of writing a line."""
    import dataclasses

    s = finished_sample_then().snapshot
    sample = equations.sample_of(s)
    for e in equations.micro_step(Phase.U, dataclasses.replace(sample, lr=1.0)):
        with pytest.raises(equations.FalseEquation):
            equations.shown(e)
    off = dataclasses.replace(sample, z1=sample.z1 + [1e-6, 0.0])
    with pytest.raises(equations.FalseEquation):
        equations.shown(equations.micro_step(Phase.F1, off)[0])
    for phase in (Phase.F1, Phase.F2, Phase.B2, Phase.B1, Phase.U):  # the true records pass
        for e in equations.micro_step(phase, sample):
            equations.shown(e)
