"""The notes' worked example (DESIGN §2) at full precision, against scalar formulas written here."""

import math

import numpy as np
import pytest

from byhand import sigma as s
from byhand import worked_example
from engine import activations, presets
from engine.network import Params, backward, dataset_loss, forward, sample_step

SIG, TANH, RELU, LIN = (activations.get(n) for n in ("sigmoid", "tanh", "relu", "linear"))


# The notes' example by hand (§4, exercise 2): w_ij^(1) joins x_i to hidden unit j (tests/byhand.py).
_hand = worked_example()
(w11, w12), (w21, w22) = _hand["W1"]
b11, b12 = _hand["b1"]
(v1, v2), c = _hand["W2"], _hand["b2"]
(x1, x2), y, eta = _hand["x"], _hand["y"], _hand["eta"]
z1, z2 = _hand["z1"]
a1, a2 = _hand["a1"]
zo, yhat, L, d_out = _hand["z2"], _hand["yhat"], _hand["loss"], _hand["delta2"]
d1, d2 = _hand["delta1"]
dW1 = [[x1 * d1, x1 * d2], [x2 * d1, x2 * d2]]  # rows = inputs
dW2 = [a1 * d_out, a2 * d_out]
new = dict(
    W1=[[w11 - eta * dW1[0][0], w12 - eta * dW1[0][1]], [w21 - eta * dW1[1][0], w22 - eta * dW1[1][1]]],
    b1=[b11 - eta * d1, b12 - eta * d2],
    W2=[[v1 - eta * dW2[0]], [v2 - eta * dW2[1]]],
    b2=[c - eta * d_out],
)


def close(a, b, tol=1e-14):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=tol, atol=tol)


@pytest.fixture
def lecture():
    return presets.load("lecture")


def test_lecture_forward_pass_full_precision(lecture):
    z1v, a1v, z2v, yhatv = forward(lecture.params, lecture.X[0], SIG, SIG)
    assert close(z1v, [z1, z2]) and close(a1v, [a1, a2]) and close(z2v, [zo]) and close(yhatv, [yhat])


def test_lecture_backward_pass_full_precision(lecture):
    ps = backward(lecture.params, lecture.X[0], float(lecture.Y[0]), SIG, SIG)
    assert math.isclose(ps.loss, L, rel_tol=1e-14)
    assert close(ps.delta2, [d_out]) and close(ps.delta1, [d1, d2])
    assert close(ps.grads.dW1, dW1) and close(ps.grads.db1, [d1, d2])
    assert close(ps.grads.dW2, [[dW2[0]], [dW2[1]]]) and close(ps.grads.db2, [d_out])


def test_lecture_update_and_loss_after_update(lecture):
    after, _ = sample_step(lecture.params, lecture.X[0], float(lecture.Y[0]), SIG, SIG, lecture.lr)
    for name in ("W1", "b1", "W2", "b2"):
        assert close(getattr(after, name), new[name]), name
    yhat_after = s(
        new["W2"][0][0] * s(new["W1"][0][0] * x1 + new["W1"][1][0] * x2 + new["b1"][0])
        + new["W2"][1][0] * s(new["W1"][0][1] * x1 + new["W1"][1][1] * x2 + new["b1"][1])
        + new["b2"][0]
    )
    assert math.isclose(dataset_loss(after, lecture.X, lecture.Y, SIG, SIG), 0.5 * (yhat_after - y) ** 2, rel_tol=1e-13)


def test_lecture_values_as_design_section_2_prints_them(lecture):
    """The 4-decimal values DESIGN §2 lists (the notes' numbers, with their rounding slips fixed)."""
    after, ps = sample_step(lecture.params, lecture.X[0], float(lecture.Y[0]), SIG, SIG, lecture.lr)
    r = lambda v: np.round(np.asarray(v, dtype=float), 4).tolist()  # noqa: E731
    assert r(ps.z1) == [0.3825, 0.39] and r(ps.a1) == [0.5945, 0.5963]
    assert r(ps.z2) == [1.1061] and r(ps.yhat) == [0.7514] and round(ps.loss, 4) == 0.2748
    assert r(ps.delta2) == [0.1385] and r(ps.grads.dW2[:, 0]) == [0.0823, 0.0826] and r(ps.delta1) == [0.0134, 0.015]
    assert np.round(ps.grads.dW1, 6).tolist() == [[0.000668, 0.00075], [0.001335, 0.0015]]
    assert r(after.W2[:, 0]) == [0.3588, 0.4087] and r(after.b2) == [0.5308]
    assert r(after.W1) == [[0.1497, 0.1996], [0.2493, 0.2992]] and r(after.b1) == [0.3433, 0.3425]
    _, _, _, yhat_after = forward(after, lecture.X[0], SIG, SIG)
    assert r(yhat_after) == [0.7284]
    assert round(dataset_loss(after, lecture.X, lecture.Y, SIG, SIG), 4) == 0.2580


def test_w21_of_layer_1_carries_x2_into_hidden_unit_1():
    """Rows = inputs (DESIGN §1): W1[1][0] = w21^(1) joins x2 to hidden unit 1, nothing else."""
    p = Params(W1=[[0.0, 0.0], [0.7, 0.0]], b1=[0.0, 0.0], W2=[[1.0], [1.0]], b2=[0.0])
    z1v, _, _, _ = forward(p, [0.0, 2.0], LIN, LIN)
    assert z1v.tolist() == [1.4, 0.0]
    z1v, _, _, _ = forward(p, [3.0, 0.0], LIN, LIN)
    assert z1v.tolist() == [0.0, 0.0]
    ps = backward(p, [0.0, 2.0], 0.0, LIN, LIN)
    # ∂L/∂w21^(1) = x2 δ1^(1): only the row of x2 is non-zero
    assert ps.grads.dW1[0].tolist() == [0.0, 0.0] and ps.grads.dW1[1, 0] != 0.0


def test_params_are_read_only(lecture):
    with pytest.raises(ValueError):
        lecture.params.W1[0, 0] = 1.0
    with pytest.raises(ValueError):
        Params(W1=[[1.0, 2.0, 3.0]], b1=[0, 0], W2=[[0], [0]], b2=[0])


@pytest.mark.filterwarnings("error")
def test_sigmoid_at_plus_minus_1000_is_exact_and_silent():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    out = activations.sigmoid(z)
    assert out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5
    assert math.isclose(out[1], math.exp(-50.0) / (1 + math.exp(-50.0)), rel_tol=1e-15)
    d = activations.sigmoid_prime(z)
    assert d[0] == 0.0 and d[-1] == 0.0 and d[2] == 0.25
    p = Params(W1=[[1000.0, -1000.0], [0.0, 0.0]], b1=[0.0, 0.0], W2=[[1000.0], [1000.0]], b2=[-1000.0])
    ps = backward(p, [1.0, 1.0], 1.0, SIG, SIG)
    assert np.isfinite(ps.delta1).all() and np.isfinite(ps.loss)


@pytest.mark.parametrize(
    "name, z, f, d",
    [
        ("tanh", 0.3, math.tanh(0.3), 1 - math.tanh(0.3) ** 2),
        ("relu", -0.2, 0.0, 0.0),
        ("relu", 0.0, 0.0, 0.0),  # the notes' table: f'(0) = 0
        ("relu", 0.2, 0.2, 1.0),
        ("linear", -1.5, -1.5, 1.0),
        ("sigmoid", 0.3, s(0.3), s(0.3) * (1 - s(0.3))),
    ],
)
def test_activation_table(name, z, f, d):
    act = activations.get(name)
    assert math.isclose(float(act.f(np.array([z]))[0]), f, rel_tol=1e-15, abs_tol=0)
    assert math.isclose(float(act.d(np.array([z]))[0]), d, rel_tol=1e-15, abs_tol=0)


def test_dataset_loss_is_the_mean_of_sample_losses():
    m = presets.load("xor")
    losses = [backward(m.params, x, float(yv), SIG, SIG).loss for x, yv in zip(m.X, m.Y)]
    assert math.isclose(dataset_loss(m.params, m.X, m.Y, SIG, SIG), sum(losses) / 4, rel_tol=1e-14)
