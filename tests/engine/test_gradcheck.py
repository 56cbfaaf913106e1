"""Backprop's gradient against finite differences, for every hidden × output activation pair."""

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import activations, gradcheck, presets
from engine.network import Params, forward
from engine.stepper import Stepper

PAIRS = list(itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS))


def magnitudes(lo, hi):
    """Numbers with |v| in [lo, hi] and either sign: gradients then stay well above round-off."""
    return st.builds(lambda m, neg: -m if neg else m, st.floats(lo, hi), st.booleans())


@st.composite
def cases(draw):
    w = magnitudes(0.2, 1.5)
    p = Params(
        W1=[[draw(w), draw(w)], [draw(w), draw(w)]], b1=[draw(w), draw(w)], W2=[[draw(w)], [draw(w)]], b2=[draw(w)]
    )
    m = draw(st.integers(1, 3))
    X = np.array([[draw(magnitudes(0.1, 1.0)), draw(magnitudes(0.1, 1.0))] for _ in range(m)])
    Y = np.array([draw(st.floats(-1.0, 1.0)) for _ in range(m)])
    return p, X, Y


@pytest.mark.parametrize("hidden, output", PAIRS)
@settings(max_examples=25, deadline=None)
@given(case=cases())
def test_central_differences_agree_with_backprop(hidden, output, case):
    p, X, Y = case
    f, g = activations.get(hidden), activations.get(output)
    for x, y in zip(X, Y):
        z1, _, z2, yhat = forward(p, x, f, g)
        # away from ReLU's kink: a nudge of h = 1e-5 must not carry any z across 0
        if "relu" in (hidden, output):
            assume(np.min(np.abs(np.concatenate([z1, z2]))) > 1e-2)
        assume(abs(yhat[0] - y) > 0.05)  # a sample with a loss to differentiate
    rows = gradcheck.check(p, X, Y, hidden, output)
    assert len(rows) == 9
    for r in rows:
        # Central differences with h = 1e-5 carry an absolute error of ~1e-11 (h²·f‴ + ε·L/h), which
        # for a gradient of ~1e-6 (a saturated unit) is a relative error above 1e-6: so the
        # tolerance is relative plus a small absolute part. A wrong gradient is off by its own size.
        scale = max(abs(r.analytic), abs(r.numeric))
        assert abs(r.analytic - r.numeric) <= 1e-6 * scale + 1e-10, r


def test_lecture_rows_in_the_notes_order_and_notation():
    rows = gradcheck.check_model(presets.load("lecture"))
    assert [r.key for r in rows] == [
        ("W1", 1, 1),
        ("W1", 1, 2),
        ("W1", 2, 1),
        ("W1", 2, 2),
        ("b1", 1),
        ("b1", 2),
        ("W2", 1, 1),
        ("W2", 2, 1),
        ("b2", 1),
    ]
    assert round(rows[2].analytic, 6) == 0.001335  # ∂L/∂w21^(1) = x2 δ1^(1), DESIGN §2
    assert round(rows[8].analytic, 4) == 0.1385  # ∂L/∂b^(2) = δ^(2)
    assert gradcheck.max_rel_error(rows) < 1e-6


def test_forward_differences_are_first_order():
    model = presets.load("xor")
    central = gradcheck.max_rel_error(gradcheck.check_model(model))
    fwd = gradcheck.max_rel_error(gradcheck.check_model(model, method="forward"))
    assert central < 1e-7 < fwd < 1e-2
    coarse = gradcheck.max_rel_error(gradcheck.check_model(model, method="forward", h=1e-3))
    assert coarse > fwd  # error shrinks with h (O(h))


def test_a_wrong_gradient_is_caught():
    """The check can fail: a gradient off by 1% shows as relative error ≈ 1e-2."""
    model = presets.load("lecture")
    rows = gradcheck.check_model(model)
    assert gradcheck.relative_error(rows[0].analytic * 1.01, rows[0].numeric) > 5e-3


def test_mean_over_the_samples_asked_for():
    model = presets.load("xor")
    one = gradcheck.check_model(model, samples=[1])
    assert one == gradcheck.check(model.params, model.X[[1]], model.Y[[1]])
    assert one != gradcheck.check_model(model)


def test_check_snapshot_uses_the_parameters_of_the_sample():
    stepper = Stepper(presets.load("xor"))
    stepper.finish_sample()
    stepper.finish_sample()  # sample 2 updated: its gradients belong to params_start
    snap = stepper.snapshot
    rows = gradcheck.check_snapshot(snap)
    assert snap.x.tolist() == [0.0, 1.0] and snap.backward1.dW1[1, 0] != 0.0
    assert np.isclose(rows[2].analytic, snap.backward1.dW1[1, 0], rtol=0, atol=1e-15)  # w21^(1), m = 1
    assert gradcheck.max_rel_error(rows) < 1e-6


def test_bad_arguments():
    p = presets.load("lecture").params
    with pytest.raises(ValueError):
        gradcheck.check(p, [[0, 0]], [0], method="backward")
    with pytest.raises(ValueError):
        gradcheck.check(p, [[0, 0]], [0], h=0)
