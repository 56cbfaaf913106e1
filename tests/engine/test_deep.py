"""engine/deep.py: the chain of k hidden layers (exercise 6(c)), pinned to the 2–2–1 engine at k = 1,
to finite differences at every k, and to the bound σ' ≤ 0.25 behind the vanishing gradient."""

import itertools
import math
from decimal import Decimal, localcontext

import numpy as np
import pytest

from engine import activations, deep, network, presets

HIDDEN = activations.HIDDEN_ACTIVATIONS
SIG = activations.get("sigmoid")


def lecture():
    m = presets.lecture()
    return m.params, m.X[0], float(m.Y[0])


# --- k = 1 is the notes' 2–2–1 network --------------------------------------------------------


@pytest.mark.parametrize("hidden, output", itertools.product(HIDDEN, activations.OUTPUT_ACTIVATIONS))
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_one_hidden_layer_is_the_2_2_1_network_bit_for_bit(hidden, output, seed):
    p, x, y = lecture()
    f, g = activations.get(hidden), activations.get(output)
    c = deep.chain(p, 1, seed)
    assert c.k == 1 and c.L == 2
    d = deep.backward(c, x, y, f, g)
    ref = network.backward(p, x, y, f, g)
    pairs = [
        (d.z[0], ref.z1),
        (d.a[0], ref.a1),
        (d.z[1], ref.z2),
        (d.a[1], ref.yhat),
        (d.fprime[1], ref.fprime2),
        (d.delta[1], ref.delta2),
        (d.fprime[0], ref.fprime1),
        (d.delta[0], ref.delta1),
        (d.dW[0], ref.grads.dW1),
        (d.db[0], ref.grads.db1),
        (d.dW[1], ref.grads.dW2),
        (d.db[1], ref.grads.db2),
    ]
    for mine, theirs in pairs:
        assert mine.shape == theirs.shape
        assert np.array_equal(mine, theirs)  # bitwise: the same operations in the same order
    assert d.loss == ref.loss and d.yhat == float(ref.yhat[0])


def test_the_lecture_numbers_at_k_1():
    """The notes' worked example: ŷ = 0.7514, δ⁽²⁾ = 0.1385 (to the notes' 4 decimals)."""
    p, x, y = lecture()
    d = deep.backward(deep.chain(p, 1, 0), x, y, SIG, SIG)
    assert round(d.yhat, 4) == 0.7514
    assert round(float(d.delta[1][0]), 4) == 0.1385


# --- the chain's weights -----------------------------------------------------------------------


def test_chain_layout_rotations_and_biases():
    p, _, _ = lecture()
    c = deep.chain(p, 5, 7)
    assert c.k == 5 and c.L == 6
    assert np.array_equal(c.W[0], p.W1) and np.array_equal(c.W[-1], p.W2)
    assert np.array_equal(c.b[-1], p.b2)
    thetas = np.random.default_rng(7).uniform(0.0, 2.0 * math.pi, 12)
    for l in range(1, 5):
        t = thetas[l - 1]
        assert np.array_equal(c.W[l], np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]]))
        assert np.allclose(c.W[l].T @ c.W[l], np.eye(2), atol=1e-15)  # scale 1: ‖W δ‖ = ‖δ‖
        assert np.array_equal(c.b[l], p.b1)
    # a layer's angle does not depend on k: the chain of k + 1 extends the chain of k
    longer = deep.chain(p, 6, 7)
    assert all(np.array_equal(a, b) for a, b in zip(c.W[:-1], longer.W[:-2]))


@pytest.mark.parametrize("k", [0, 13, -1])
def test_k_outside_1_to_12_is_refused(k):
    p, _, _ = lecture()
    with pytest.raises(ValueError):
        deep.chain(p, k, 0)


# --- finite differences at every depth, in 60-digit arithmetic ---------------------------------
#
# A sigmoid chain of 12 layers has ∂L/∂w⁽¹⁾ near 10⁻¹⁰, below what float64 central differences of an
# L near 0.27 can resolve (rounding alone is ε·L/h ≈ 10⁻¹¹ at h = 10⁻⁵). So the test computes the loss
# with its own forward pass in Decimal at 60 digits, from the very same float64 weights (Decimal(float)
# is exact), with h = 10⁻²⁰: truncation ~h² and rounding ~10⁻⁶⁰/h are far below float64's own error.
# Bound: |backprop − central difference| ≤ 10⁻⁹ · |central difference| for every parameter (an exact 0,
# a dead ReLU's, must be 0 on both sides).


def _dec_act(name: str, z: Decimal) -> Decimal:
    if name == "sigmoid":
        return 1 / (1 + (-z).exp())
    if name == "tanh":
        e = (2 * z).exp()
        return (e - 1) / (e + 1)
    if name == "relu":
        return z if z > 0 else Decimal(0)
    if name == "step":  # Heaviside, exercise 6(b): 1 for z > 0, else 0
        return Decimal(1) if z > 0 else Decimal(0)
    return z  # linear


def _dec_loss(W, b, x, y, hidden, output) -> Decimal:
    a = [Decimal(float(v)) for v in x]
    L = len(W)
    for l in range(L):
        rows, cols = len(W[l]), len(W[l][0])
        z = [sum((W[l][i][j] * a[i] for i in range(rows)), Decimal(0)) + b[l][j] for j in range(cols)]
        a = [_dec_act(output if l == L - 1 else hidden, zj) for zj in z]
    return (a[0] - Decimal(y)) ** 2 / 2


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("k", range(1, 13))
def test_backprop_agrees_with_central_differences(hidden, k):
    p, x, y = lecture()
    c = deep.chain(p, k, 0)
    d = deep.backward(c, x, y, activations.get(hidden), SIG)
    W = [[[Decimal(float(v)) for v in row] for row in Wl] for Wl in c.W]
    b = [[Decimal(float(v)) for v in bl] for bl in c.b]
    h = Decimal("1e-20")
    with localcontext() as ctx:
        ctx.prec = 60
        checked = 0
        for l in range(c.L):
            for index in itertools.chain(
                itertools.product(range(len(W[l])), range(len(W[l][0]))), ((j,) for j in range(len(b[l])))
            ):
                target = W[l][index[0]] if len(index) == 2 else b[l]
                j = index[-1]
                theta = target[j]
                target[j] = theta + h
                plus = _dec_loss(W, b, x, y, hidden, "sigmoid")
                target[j] = theta - h
                minus = _dec_loss(W, b, x, y, hidden, "sigmoid")
                target[j] = theta
                numeric = float((plus - minus) / (2 * h))
                analytic = float(d.dW[l][index] if len(index) == 2 else d.db[l][index])
                assert abs(analytic - numeric) <= 1e-9 * abs(numeric), (l + 1, index, analytic, numeric)
                checked += 1
        assert checked == 4 * k + 2 * k + 2 + 1  # every W⁽ˡ⁾ and b⁽ˡ⁾, the output's 2×1 and 1


def test_the_loss_is_the_forward_pass_loss():
    p, x, y = lecture()
    c = deep.chain(p, 4, 3)
    f = activations.get("tanh")
    assert deep.loss(c, x, y, f, SIG) == deep.backward(c, x, y, f, SIG).loss


# --- why gradients vanish through sigmoids: the bound, by its formula ---------------------------


def _spectral(W: np.ndarray) -> float:
    """Largest singular value, from the eigenvalues of WᵀW (not np.linalg.norm(W, 2))."""
    return math.sqrt(max(np.linalg.eigvalsh(W.T @ W)))


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("k", range(1, 13))
def test_sigmoid_chain_delta_falls_with_depth_under_the_quarter_bound(k, seed):
    p, x, y = lecture()
    c = deep.chain(p, k, seed)
    d = deep.backward(c, x, y, SIG, SIG)
    norms = [math.sqrt(sum(float(v) ** 2 for v in dl)) for dl in d.delta]
    L = k + 1
    # falls with depth: each layer down has a smaller |δ|
    assert all(norms[l] < norms[l + 1] for l in range(L - 1)), norms
    # the bound: ‖δ⁽ˡ⁾‖ ≤ |δ⁽ᴸ⁾| · ∏ over the hidden layers l … k of (0.25 · ‖W⁽ᵐ⁺¹⁾‖)
    for l in range(1, L + 1):
        bound = abs(float(d.delta[-1][0]))
        for m in range(l, L):
            bound *= 0.25 * _spectral(np.asarray(c.W[m]))  # W⁽ᵐ⁺¹⁾ is c.W[m]
        assert norms[l - 1] <= bound * (1 + 1e-12), (l, norms[l - 1], bound)
    # each layer's f' is at most 0.25, so the product Π⁽ˡ⁾ is at most 0.25ⁿ (n = k − l + 1)
    products = deep.fprime_products(d)
    for l in range(1, L + 1):
        expected = 1.0
        for m in range(l, L):
            expected *= max(float(v) for v in SIG.d(d.z[m - 1]))
        assert products[l - 1] == pytest.approx(expected, rel=1e-14)
        assert products[l - 1] <= 0.25 ** (k - l + 1)
    assert deep.sigmoid_reference(k) == [0.25 ** (k - l + 1) for l in range(1, L + 1)]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("k", [1, 6, 12])
def test_bounds_hold_for_every_activation(hidden, k):
    p, x, y = lecture()
    c = deep.chain(p, k, 0)
    d = deep.backward(c, x, y, activations.get(hidden), SIG)
    for norm, bound in zip(deep.delta_norms(d), deep.bounds(c, d)):
        assert norm <= bound * (1 + 1e-12)


def test_a_rotation_chain_changes_the_error_by_f_prime_alone():
    """Through a rotation the length of W δ is that of δ, so ‖δ⁽ˡ⁾‖ / ‖δ⁽ˡ⁺¹⁾‖ lies between the smallest
    and the largest f'(z_j⁽ˡ⁾): tanh keeps most of it, sigmoid keeps at most a quarter."""
    p, x, y = lecture()
    for name in HIDDEN:
        c = deep.chain(p, 8, 0)
        d = deep.backward(c, x, y, activations.get(name), SIG)
        n = deep.delta_norms(d)
        for l in range(0, c.k - 1):  # δ⁽ˡ⁺¹⁾ goes back through the rotation W⁽ˡ⁺²⁾
            if n[l + 1] == 0.0:
                assert n[l] == 0.0
                continue
            ratio = n[l] / n[l + 1]
            fp = [float(v) for v in d.fprime[l]]
            assert min(fp) - 1e-12 <= ratio <= max(fp) + 1e-12


def test_tanh_keeps_more_than_sigmoid_at_depth_12():
    p, x, y = lecture()
    c = deep.chain(p, 12, 0)
    s = deep.delta_norms(deep.backward(c, x, y, SIG, SIG))
    t = deep.delta_norms(deep.backward(c, x, y, activations.get("tanh"), SIG))
    assert s[0] < 1e-8 < 1e-3 < t[0]


def test_the_step_cuts_the_chain_at_the_top_hidden_layer_and_says_why():
    """Exercise 6(b): f' = 0 at every z, so δ of the highest hidden layer is already 0 (issue 19)."""
    p, x, y = lecture()
    d = deep.depth(p, x, y, "step", "sigmoid", 4, 0)
    c = deep.cut(d)
    assert c is not None and c.layer == 4 and c.activation == "step"
    assert [u.reason for u in c.units] == ["step_flat", "step_flat"]
    assert (
        deep.zero_reason("step", 0.0, 0.0, 1.0) == "step_flat"
        and deep.zero_reason("relu", -1.0, 0.0, 1.0) == "relu_off"
    )
