"""engine/chain.py: exercise 6(a)'s chain of ∂L/∂θ factor by factor, and exercise 3(d)'s a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾.

(a) The factors multiply to the gradient backprop computed and to a finite difference of the loss, for
    every parameter, every hidden × output activation pair and random models of every magnitude.
(b) Each factor and each running product is the notes' formula worked by hand (tests/byhand.py).
(c) The numbers are the record of the step where the backward pass has reached θ (never the settings
    now), else computed from the parameters on screen, and the chain says which.
(d) Where a factor is 0 the chain knows it (the step), and ReLU's kink is flagged.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import writtenmath as wm
from byhand import chain_by_hand
from engine import activations, chain, config, equations, gradcheck, notation, presets
from engine.network import backward
from engine.stepper import Phase, Stepper

MODELS = [presets.lecture(), presets.load("xor")] + wm.random_models(24)
KINK = Path(__file__).parent / "data" / "relu_at_kink.toml"


def snap_at(model, presses: str = "", sample: int = 0):
    st = Stepper(model)
    for _ in range(sample):
        st.finish_sample()
    for key in presses:
        {"f": st.forward, "b": st.backward, "u": st.update}[key]()
    return st.snapshot


def by_hand(model, key, sample: int = 0):
    p = model.params
    W1 = p.W1.tolist()
    return chain_by_hand(
        W1,
        p.b1.tolist(),
        [v[0] for v in p.W2.tolist()],
        float(p.b2[0]),
        [float(v) for v in model.X[sample]],
        float(model.Y[sample]),
        model.hidden,
        model.output,
        key,
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m.name}-{m.hidden}-{m.output}")
def test_the_factors_multiply_to_backprops_gradient_and_to_a_finite_difference(model):
    f, g = activations.get(model.hidden), activations.get(model.output)
    s = snap_at(model, "ffbb")
    with np.errstate(all="ignore"):
        engine = backward(model.params, model.X[0], float(model.Y[0]), f, g).grads
    if not all(np.isfinite(getattr(engine, k)).all() for k in ("dW1", "db1", "dW2", "db2")):
        pytest.skip("the loss overflows at these parameters: nothing to multiply")
    h = 1e-6
    fd = {r.key: r for r in gradcheck.check(model.params, model.X[:1], model.Y[:1], model.hidden, model.output, h)}
    kinks = gradcheck.kinked(model.params, model.X[:1], model.Y[:1], model.hidden, h)
    for key, arr, index in notation.PARAMS:
        c = chain.of_snapshot(s, key)
        product = math.prod(fct.value for fct in c.factors)
        assert product == pytest.approx(float(getattr(engine, "d" + arr)[index]), rel=1e-12, abs=1e-300), key
        assert c.factors[-1].running == pytest.approx(product, rel=1e-12, abs=1e-300)
        assert c.grouped.value == c.gradient == c.factors[-1].running
        row = fd[key]
        if key in kinks or not math.isfinite(row.numeric):
            continue
        # the quotient's own error: truncation ~h² and rounding ~ε·L/h; generous against both
        tol = 1e-5 * max(abs(product), abs(row.numeric)) + 1e-9 * max(1.0, row.loss) / h * 1e-3 + 1e-10
        assert abs(product - row.numeric) <= tol, (key, product, row.numeric)


def test_the_finite_difference_test_meets_every_parameter_and_activation():
    """The test above is not empty: gradcheck lists the nine parameters in the notes' order and the models cover
    every pair of activations."""
    assert len(notation.PARAMS) == 9
    assert {(m.hidden, m.output) for m in MODELS} >= {
        (h, o) for h in activations.HIDDEN_ACTIVATIONS for o in activations.OUTPUT_ACTIVATIONS
    }


@pytest.mark.parametrize(
    "model",
    MODELS[:2] + wm.random_models(24)[:16] + wm.random_models(24)[24:],
    ids=lambda m: f"{m.name}-{m.hidden}-{m.output}",
)
@pytest.mark.parametrize("key", gradcheck.KEYS, ids=gradcheck.key_name)
def test_each_factor_and_product_is_the_notes_formula_by_hand(model, key):
    s = snap_at(model, "ffbb")
    c = chain.of_snapshot(s, key)
    factors, product = by_hand(model, key)
    if not all(math.isfinite(v) for v in factors):
        pytest.skip("overflow")
    assert [f.value for f in c.factors] == pytest.approx(factors, rel=1e-12, abs=1e-300)
    running = 1.0
    for f, hand in zip(c.factors, factors):
        running *= hand
        assert f.running == pytest.approx(running, rel=1e-12, abs=1e-300)
    assert c.gradient == pytest.approx(product, rel=1e-12, abs=1e-300)


def test_the_notes_chain_for_w21_and_w11():
    """§2.5 and §2.6 on the notes' example: the factors the notes name, in backprop's order, and their products
    δ⁽²⁾ = 0.1385, ∂L/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ⁽²⁾ (their δ_a), δ₁⁽¹⁾ = 0.0134 and ∂L/∂w₂₁⁽¹⁾ = 0.001335."""
    s = snap_at(presets.lecture(), "ffbb")
    c = chain.of_snapshot(s, ("W1", 2, 1))
    assert [f.equation.quantity.text for f in c.factors] == [
        "∂L/∂ŷ",
        "∂ŷ/∂z⁽²⁾",
        "∂z⁽²⁾/∂a₁⁽¹⁾",
        "∂a₁⁽¹⁾/∂z₁⁽¹⁾",
        "∂z₁⁽¹⁾/∂w₂₁⁽¹⁾",
    ]
    assert [f.product.quantity.text for f in c.factors[1:]] == ["δ⁽²⁾", "∂L/∂a₁⁽¹⁾", "δ₁⁽¹⁾", "∂L/∂w₂₁⁽¹⁾"]
    assert [round(f.running, 6) for f in c.factors] == [0.741405, 0.138491, 0.055396, 0.013355, 0.001335]
    assert c.delta.text == "δ₁⁽¹⁾" and c.previous.text == "x₂" and c.delta_factors == 4
    c2 = chain.of_snapshot(s, ("W2", 1, 1))
    assert [f.equation.quantity.text for f in c2.factors] == ["∂L/∂ŷ", "∂ŷ/∂z⁽²⁾", "∂z⁽²⁾/∂w₁₁⁽²⁾"]
    assert round(c2.gradient, 4) == 0.0823 and c2.previous.text == "a₁⁽¹⁾" and c2.delta.text == "δ⁽²⁾"
    bias = chain.of_snapshot(s, ("b1", 2))
    assert bias.previous is None and bias.factors[-1].value == 1.0 and bias.gradient == bias.factors[-2].running


def test_every_factor_and_product_is_an_honest_equation():
    """Written with engine.equations (the same digits rule): each substitution computes to its result as written."""
    for model in MODELS[:2] + wm.random_models(24)[:8]:
        s = snap_at(model, "ffbb")
        for key in gradcheck.KEYS:
            c = chain.of_snapshot(s, key)
            for e in [f.equation for f in c.factors] + [f.product for f in c.factors if f.product] + [c.grouped]:
                for comma in (False, True):
                    line = equations.write(e, comma).line()
                    assert wm.check_line(e, line) is None, line


def test_the_record_is_used_once_the_backward_pass_reached_theta_else_the_parameters_on_screen():
    model = presets.lecture()
    for presses, w2, w1 in (
        ("", False, False),
        ("f", False, False),
        ("ff", False, False),
        ("ffb", True, False),
        ("ffbb", True, True),
        ("ffbbu", True, True),
    ):
        s = snap_at(model, presses)
        assert chain.of_snapshot(s, ("W2", 1, 1)).recorded is w2, presses
        assert chain.of_snapshot(s, ("W1", 2, 1)).recorded is w1, presses
        # either way the same numbers: the record is what the computation gives
        assert chain.of_snapshot(s, ("W1", 2, 1)).gradient == pytest.approx(0.0013354668624309, rel=1e-12)


def test_after_the_update_the_chain_is_the_records_not_the_parameters_now():
    """At U the parameters on screen are the updated ones; the chain is the backward pass's, with W⁽²⁾ before."""
    s = snap_at(presets.lecture(), "ffbbu")
    assert s.phase is Phase.U and float(s.params.W2[0, 0]) != 0.40
    c = chain.of_snapshot(s, ("W1", 2, 1))
    assert c.recorded and c.factors[2].value == 0.40  # ∂z⁽²⁾/∂a₁⁽¹⁾ = w₁₁⁽²⁾ as the backward pass used it
    assert c.gradient == float(s.backward1.dW1[1, 0])


def test_a_changed_activation_is_a_new_model_computed_with_it():
    st = Stepper(presets.lecture())
    st.finish_sample()
    st.cycle_hidden()  # tanh: a new model at READY, nothing recorded
    s = st.snapshot
    c = chain.of_snapshot(s, ("W1", 2, 1))
    assert not c.recorded and c.hidden == "tanh"
    z = float(s.params_start.W1[0, 0] * s.x[0] + s.params_start.W1[1, 0] * s.x[1] + s.params_start.b1[0])
    assert c.factors[3].value == pytest.approx(1 - math.tanh(z) ** 2, rel=1e-12)


def test_the_step_makes_the_hidden_chain_vanish_at_its_slope():
    s = snap_at(presets.lecture().with_(hidden="step"), "ffbb")
    for key in gradcheck.KEYS:
        c = chain.of_snapshot(s, key)
        if c.layer == 1:
            assert c.vanishes_at == 3 and c.factors[3].activation == "step" and c.gradient == 0.0
        else:
            assert c.vanishes_at is None and c.gradient != 0.0


def test_relu_exactly_at_its_kink_is_flagged_with_the_convention():
    model = config.load_model(KINK)
    s = snap_at(model, "ffbb")
    c = chain.of_snapshot(s, ("W1", 1, 1))
    slope = c.factors[3]
    assert slope.kink and slope.z == 0.0 and slope.value == 0.0 and c.vanishes_at == 3
    assert not chain.of_snapshot(s, ("W1", 1, 2)).factors[3].kink
