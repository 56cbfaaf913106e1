"""engine/gradcheck.py's arguments reach the computation: the parameters asked for, the sample of a
Snapshot, the parameter a sweep is of; checked against a 2–2–1 sigmoid net written out here by hand
(mutants of gradcheck.py that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import math

from byhand import worked_example
from engine import gradcheck, presets
from engine.model import Model
from engine.network import Params
from engine.stepper import Stepper


def sig(z):
    return 1 / (1 + math.exp(-z))


def loss(W1, b1, W2, b2, x, y):
    """Lᵢ = ½(ŷ − y)² of one sample, every unit by hand (W1 rows = inputs)."""
    a = [sig(W1[0][j] * x[0] + W1[1][j] * x[1] + b1[j]) for j in (0, 1)]
    return 0.5 * (sig(W2[0] * a[0] + W2[1] * a[1] + b2) - y) ** 2


def test_check_model_uses_the_parameters_given_not_the_models():
    lecture = presets.lecture()
    zeros = Model("zeros", Params(W1=[[0, 0], [0, 0]], b1=[0, 0], W2=[[0], [0]], b2=[0]), lecture.X, lecture.Y)
    rows = gradcheck.check_model(zeros, params=lecture.params)
    ex = worked_example()
    by_key = {r.key: r for r in rows}
    assert math.isclose(by_key[("W2", 1, 1)].analytic, ex["dW2"][0], rel_tol=1e-12)
    assert math.isclose(by_key[("W1", 2, 1)].analytic, ex["dW1"][1][0], rel_tol=1e-12)
    assert math.isclose(by_key[("b2", 1)].theta, 0.60, rel_tol=0, abs_tol=0)


def test_a_sweep_is_of_its_parameter_and_of_the_snapshots_sample_at_its_starting_parameters():
    s = Stepper(presets.load("xor"))
    for _ in range(3):
        s.finish_sample()  # at U of sample 3 (index 2): params_start ≠ params
    snap = s.snapshot
    p, (x, y) = snap.params_start, (snap.X[2], float(snap.Y[2]))
    W1, b1, W2, b2 = p.W1.tolist(), p.b1.tolist(), p.W2[:, 0].tolist(), float(p.b2[0])
    h = 1e-3
    # ∂L/∂w₁₁⁽²⁾ by hand, and its forward difference quotient
    a1 = sig(W1[0][0] * x[0] + W1[1][0] * x[1] + b1[0])
    a2 = sig(W1[0][1] * x[0] + W1[1][1] * x[1] + b1[1])
    yh = sig(W2[0] * a1 + W2[1] * a2 + b2)
    grad = (yh - y) * yh * (1 - yh) * a1
    quotient = (loss(W1, b1, [W2[0] + h, W2[1]], b2, x, y) - loss(W1, b1, W2, b2, x, y)) / h
    sw = gradcheck.sweep_snapshot(snap, ("W2", 1, 1), "forward", hs=(h,))
    assert (sw.key, sw.method, sw.hs) == (("W2", 1, 1), "forward", (h,))
    assert math.isclose(sw.errors[0], abs(quotient - grad), rel_tol=1e-6)
    central = gradcheck.sweep_snapshot(snap, ("W2", 1, 1), "central", hs=(h,))
    quotient = (loss(W1, b1, [W2[0] + h, W2[1]], b2, x, y) - loss(W1, b1, [W2[0] - h, W2[1]], b2, x, y)) / (2 * h)
    assert math.isclose(central.errors[0], abs(quotient - grad), rel_tol=1e-4)
