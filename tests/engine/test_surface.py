"""The network over the input plane (issue 13): every grid point is the forward pass of its input
(a⁽¹⁾, z⁽²⁾ and ŷ to the last bit, on every CPU: docs/NUMERICS.md)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import activations, presets
from engine import surface as S
from engine.model import random_params
from engine.network import forward
from engine.training import train

PAIRS = [(h, o) for h in activations.HIDDEN_ACTIVATIONS for o in activations.OUTPUT_ACTIVATIONS]


@pytest.mark.parametrize("hidden, output", PAIRS)
def test_every_grid_point_is_the_forward_pass_of_its_input(hidden, output):
    p = random_params(7, scale=3.0)
    x1, x2 = S.grid(-0.5, 1.5, 13), S.grid(-0.5, 1.5, 9)
    s = S.surface(p, hidden, output, x1, x2)
    f, g = activations.get(hidden), activations.get(output)
    assert s.shape == (9, 13) and s.a1.shape == (2, 9, 13)
    for r, v2 in enumerate(x2):
        for c, v1 in enumerate(x1):
            z1, a1, z2, yhat = forward(p, [v1, v2], f, g)
            # one sum of products for every input (engine.network.tdot), no BLAS: batch and single input
            # agree to the last bit on every CPU (CI runs this under two OpenBLAS kernels)
            assert s.a1[0, r, c] == a1[0] and s.a1[1, r, c] == a1[1]
            assert s.z2[r, c] == z2[0] and s.yhat[r, c] == yhat[0]


def test_by_hand_at_the_corners_of_xor():
    m = presets.load("xor")
    p = m.params
    s = S.surface(p, "sigmoid", "sigmoid", S.grid(0, 1, 2), S.grid(0, 1, 2))

    def sig(z):
        return 1 / (1 + math.exp(-z))

    for r, x2 in enumerate((0.0, 1.0)):
        for c, x1 in enumerate((0.0, 1.0)):
            h = [sig(p.W1[0, j] * x1 + p.W1[1, j] * x2 + p.b1[j]) for j in (0, 1)]
            y = sig(p.W2[0, 0] * h[0] + p.W2[1, 0] * h[1] + p.b2[0])
            assert s.yhat[r, c] == pytest.approx(y, rel=1e-14)


def test_span_is_the_data_and_a_margin():
    assert S.span(presets.load("xor").X) == (-0.5, 1.5, -0.5, 1.5)
    assert S.span(np.array([[0.05, 0.10]])) == pytest.approx((-0.45, 0.55, -0.4, 0.6))


def test_grid_refuses_too_few_and_too_many_points():
    with pytest.raises(ValueError):
        S.grid(0, 1, 1)
    with pytest.raises(ValueError):
        S.surface(random_params(0), "sigmoid", "sigmoid", np.zeros(1001), np.zeros(1001))


def test_crossings_mark_the_contour():
    v = np.array([[0.1, 0.2, 0.7], [0.1, 0.6, 0.9], [0.2, 0.3, 0.4]])
    c = S.crossings(v)
    assert c.tolist() == [[False, True, False], [True, True, True], [False, False, False]]


def test_predictions_after_training_xor_are_right():
    m = presets.load("xor")
    res = train(m, 5000)
    preds = S.predictions(res.params, m.X, m.Y, m.hidden, m.output)
    assert [p.y for p in preds] == [0.0, 1.0, 1.0, 0.0]
    _, _, _, yhat = forward(res.params, m.X[1], activations.get(m.hidden), activations.get(m.output))
    assert preds[1].yhat == pytest.approx(yhat[0], rel=1e-15)
    assert all(p.right == ((p.yhat >= 0.5) == (p.y >= 0.5)) for p in preds)


@pytest.mark.parametrize("output, level", [("sigmoid", 0.0), ("tanh", math.atanh(0.5)), ("relu", 0.5), ("linear", 0.5)])
def test_the_hidden_space_line_is_where_yhat_is_one_half(output, level):
    p = random_params(3, scale=2.0)
    assert S.inverse(output) == pytest.approx(level)
    m = presets.load("xor")
    hs = S.hidden_space(p, m.X, m.Y, "tanh", output)
    a1 = np.linspace(-1, 1, 7)
    a2 = hs.line(a1)
    g = activations.get(output)
    z2 = hs.w[0] * a1 + hs.w[1] * a2 + hs.b
    assert np.allclose(g.f(z2), 0.5, atol=1e-12)
    # the points are the hidden activations of the data
    A1, _, _ = S.forward_many(p, m.X, "tanh", output)
    assert np.array_equal(hs.points, A1)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(-5, 5), st.floats(-5, 5))
def test_random_points_match_the_forward_pass(seed, v1, v2):
    p = random_params(seed, scale=4.0)
    s = S.surface(p, "relu", "linear", np.array([v1, 0.0]), np.array([v2, 1.0]))
    _, _, _, yhat = forward(p, [v1, v2], activations.get("relu"), activations.get("linear"))
    assert s.yhat[0, 0] == pytest.approx(yhat[0], rel=1e-15, abs=1e-15)


def test_zoom_scales_the_span_about_its_centre():
    b = (-0.5, 1.5, -0.5, 1.5)
    assert S.zoom(b, 0) == b
    assert S.zoom(b, 1) == pytest.approx((0.5 - 0.8, 0.5 + 0.8, 0.5 - 0.8, 0.5 + 0.8))
    assert S.zoom(b, -1) == pytest.approx((0.5 - 1.25, 0.5 + 1.25, 0.5 - 1.25, 0.5 + 1.25))
    assert S.zoom(b, 100) == S.zoom(b, S.MAX_ZOOM)


def test_last_tally_counts_again_when_anything_it_depends_on_changes():
    """Issue 18: keyed on the parameters alone, the count outlived a change of activation or data."""
    xor = presets.load("xor")
    last = S.LastTally()
    p, X, Y = xor.params, xor.X, xor.Y
    for hidden, output, Ys in [
        ("sigmoid", "sigmoid", Y),
        ("tanh", "sigmoid", Y),
        ("tanh", "tanh", Y),
        ("tanh", "tanh", 1.0 - Y),
        ("sigmoid", "sigmoid", Y),
    ]:
        got = last(p, X, Ys, hidden, output)
        want = S.tally(p, X, Ys, hidden, output)
        assert np.array_equal(got.right, want.right) and np.allclose(got.yhat, want.yhat, rtol=1e-15, atol=0)
    assert last(p, X, Y, "sigmoid", "sigmoid") is last(p, X, Y, "sigmoid", "sigmoid")  # the same inputs: kept
