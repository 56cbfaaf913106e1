"""Exercise 2(d) for one parameter (engine.gradcheck.walk) and the error of the quotient against h."""

import math

import numpy as np
import pytest

from byhand import sigma, worked_example
from engine import activations, gradcheck, presets
from engine.network import Params, forward, sample_loss
from engine.stepper import Stepper


def loss_at(p: Params, X, Y, hidden="sigmoid", output="sigmoid") -> float:
    """The mean loss, one sample at a time with engine.network's forward pass."""
    f, g = activations.get(hidden), activations.get(output)
    return float(np.mean([sample_loss(forward(p, np.asarray(x, float), f, g)[3], float(y)) for x, y in zip(X, Y)]))


def nudged(p: Params, name: str, index: tuple, h: float) -> Params:
    arrays = {k: np.array(getattr(p, k)) for k in ("W1", "b1", "W2", "b2")}
    arrays[name][index] += h
    return Params(**arrays)


@pytest.mark.parametrize("method", gradcheck.METHODS)
@pytest.mark.parametrize("preset", ["lecture", "xor"])
@pytest.mark.parametrize(
    "key, name, index",
    [(("W2", 1, 1), "W2", (0, 0)), (("b1", 2), "b1", (1,)), (("W1", 2, 1), "W1", (1, 0)), (("b2", 1), "b2", (0,))],
)
def test_walk_quotient_is_the_difference_of_losses_by_hand(preset, method, key, name, index):
    m = presets.load(preset)
    h = 1e-4
    w = gradcheck.walk_model(m, key, h, method)
    L = loss_at(m.params, m.X, m.Y)
    Lp = loss_at(nudged(m.params, name, index, h), m.X, m.Y)
    assert w.row.theta == float(getattr(m.params, name)[index])
    assert w.theta_plus == w.row.theta + h
    assert w.row.loss == L and w.row.loss_plus == Lp
    assert w.m == m.m and w.method == method and w.h == h and w.key == key
    if method == "forward":
        assert w.quotient == (Lp - L) / h
        assert w.row.loss_minus is None and w.theta_minus is None
    else:
        Lm = loss_at(nudged(m.params, name, index, -h), m.X, m.Y)
        assert w.row.loss_minus == Lm and w.theta_minus == w.row.theta - h
        assert w.quotient == (Lp - Lm) / (2 * h)
    assert w.difference == w.quotient - w.analytic
    rows = gradcheck.check_model(m, h=h, method=method)
    assert next(r for r in rows if r.key == key) == w.row  # the table's row is the walk's


def test_lecture_walk_is_exercise_2d_and_flags_the_notes_slip():
    ex = worked_example()
    a1, d2 = ex["a1"][0], ex["delta2"]
    w = gradcheck.walk_model(presets.lecture(), ("W2", 1, 1), 1e-4, "forward")
    assert w.analytic == pytest.approx(a1 * d2, rel=1e-14)  # ∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾ δ⁽²⁾ = 0.0823
    assert round(w.row.loss, 4) == 0.2748
    # L(w₁₁⁽²⁾ + 10⁻⁴) by hand: ŷ with v₁ nudged
    a2 = ex["a1"][1]
    yh = sigma((0.40 + 1e-4) * a1 + 0.45 * a2 + 0.60)
    assert w.row.loss_plus == pytest.approx(0.5 * (yh - 0.01) ** 2, rel=1e-13)
    assert round(w.row.loss_plus, 6) == 0.274849
    n = w.notes
    assert n is not None and n.loss_plus == 0.274808
    assert round(n.loss + n.h * n.grad, 6) == n.loss_plus  # how the notes got it: 0.2748 + 10⁻⁴ × 0.0823
    assert abs(n.loss_plus - w.row.loss_plus) > 4e-5  # the slip: L rounded before adding h·∂L/∂θ
    assert gradcheck.walk_model(presets.lecture(), ("W2", 1, 1), 1e-4, "central").notes == n


@pytest.mark.parametrize(
    "preset, key, h, hidden",
    [
        ("lecture", ("W2", 2, 1), 1e-4, "sigmoid"),
        ("lecture", ("W2", 1, 1), 1e-5, "sigmoid"),
        ("lecture", ("W2", 1, 1), 1e-4, "tanh"),
        ("xor", ("W2", 1, 1), 1e-4, "sigmoid"),
    ],
)
def test_no_slip_flagged_away_from_the_notes_exercise(preset, key, h, hidden):
    m = presets.load(preset).with_(hidden=hidden)
    assert gradcheck.walk_model(m, key, h).notes is None


def test_walk_on_a_snapshot_differentiates_the_current_sample():
    st = Stepper(presets.load("xor"))
    for _ in range(5 * 2):  # two samples done: the third is current
        st.step()
    s = st.snapshot
    w = gradcheck.walk_snapshot(s, ("b2", 1), 1e-3, "central")
    X, Y = s.X[[s.sample]], s.Y[[s.sample]]
    assert w.m == 1
    assert w.row.loss == loss_at(s.params_start, X, Y)
    assert w.row.loss_plus == loss_at(nudged(s.params_start, "b2", (0,), 1e-3), X, Y)


@pytest.mark.parametrize(
    "text, key", [("W2:1:1", ("W2", 1, 1)), ("b2:1", ("b2", 1)), ("W1:2:1", ("W1", 2, 1)), (" b1:2 ", ("b1", 2))]
)
def test_parse_key(text, key):
    assert gradcheck.parse_key(text) == key
    assert gradcheck.key_name(key) == text.strip()


@pytest.mark.parametrize(
    "text, says",
    [
        ("W3:1:1", "unknown parameter"),
        ("w2:1:1", "unknown parameter"),
        ("W2:3:1", "out of range"),
        ("W2:1:2", "out of range"),
        ("b2", "out of range"),
        ("W2:1:1:1", "out of range"),
        ("W2:a:1", "whole numbers"),
        ("", "unknown"),
    ],
)
def test_parse_key_refuses_with_one_line(text, says):
    with pytest.raises(ValueError) as e:
        gradcheck.parse_key(text)
    assert says in str(e.value) and "\n" not in str(e.value)


def slope(sw, lo, hi):
    """The log–log slope of the error over the h in [lo, hi] (least squares)."""
    pts = [(math.log10(h), math.log10(e)) for h, e in zip(sw.hs, sw.errors) if lo <= h <= hi and e > 0]
    x, y = np.array(pts).T
    return float(np.polyfit(x, y, 1)[0])


def test_sweep_runs_from_one_tenth_to_1e_12_four_a_decade():
    assert gradcheck.SWEEP_H[0] == 0.1 and gradcheck.SWEEP_H[-1] == pytest.approx(1e-12, rel=1e-15)
    assert len(gradcheck.SWEEP_H) == 45 and 1e-4 in gradcheck.SWEEP_H
    assert np.allclose(np.diff(np.log10(gradcheck.SWEEP_H)), -0.25)


def test_the_error_against_h_is_a_v_for_the_lecture_preset():
    m = presets.lecture()
    fwd = gradcheck.sweep(m.params, m.X, m.Y, "sigmoid", "sigmoid", ("W2", 1, 1), "forward")
    cen = gradcheck.sweep(m.params, m.X, m.Y, "sigmoid", "sigmoid", ("W2", 1, 1), "central")
    quotient = (loss_at(nudged(m.params, "W2", (0, 0), 1e-3), m.X, m.Y) - loss_at(m.params, m.X, m.Y)) / 1e-3
    by_hand_f = abs(quotient - gradcheck.walk_model(m, ("W2", 1, 1)).analytic)
    assert fwd.errors[fwd.hs.index(1e-3)] == by_hand_f
    # truncation: ∝ h forward, ∝ h² central, at the large-h end
    assert 0.8 < slope(fwd, 1e-5, 1e-1) < 1.2
    assert 1.7 < slope(cen, 1e-3, 1e-1) < 2.3
    # rounding: rises as h shrinks, ∝ 1/h roughly (noisy: loose bounds)
    assert -2.0 < slope(fwd, 1e-12, 1e-9) < -0.3
    assert -2.0 < slope(cen, 1e-12, 1e-7) < -0.3
    for sw in (fwd, cen):
        assert sw.errors[-1] > 100 * sw.best_error and sw.errors[0] > 100 * sw.best_error  # both arms of the V
    assert 1e-9 <= fwd.best_h <= 1e-6  # ~√ε
    assert 1e-6 <= cen.best_h <= 1e-4  # ~∛ε
    assert cen.best_error < fwd.best_error


def test_sweep_of_a_parameter_that_does_not_move_the_loss():
    m = presets.load("xor")  # the first sample is x = (0, 0): w₁₁⁽¹⁾ x₁ is 0 whatever w₁₁⁽¹⁾ is
    sw = gradcheck.sweep(m.params, m.X[:1], m.Y[:1], m.hidden, m.output, ("W1", 1, 1), "forward")
    assert set(sw.errors) == {0.0} and sw.best_h == 0.1


def test_sweep_of_an_overflowing_loss_has_no_best_h():
    p = Params(W1=[[1e308, 0], [0, 0]], b1=[1e308, 0], W2=[[1e308], [0]], b2=[0])
    sw = gradcheck.sweep(p, [[1.0, 0.0]], [0.5], "relu", "linear", ("W2", 1, 1), "central", hs=[1e-2, 1e-3])
    assert sw.best is None and math.isnan(sw.best_h)
