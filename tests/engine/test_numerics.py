"""The engine's arithmetic is the same on every CPU (docs/NUMERICS.md): no BLAS, sums of products written
out in a fixed order (engine.network.tdot), and the one fast path pinned bit for bit to the plain code
wherever no e^x or tanh is involved. CI runs tests/engine and tests/tui/cli again under OpenBLAS's
Haswell (FMA) and Prescott kernels; the last test here proves that setting reaches NumPy."""

import os
import platform
import subprocess
import sys

import numpy as np
import pytest

from engine import activations, deep, presets, training
from engine.network import Params, backward, dataset_loss, forward, tdot


def awkward(rng, *shape):
    """Numbers whose products and sums all round, over many binades: where a fused multiply-add or
    another order of summation shows in the last bit."""
    return rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4, size=shape)


def test_tdot_is_the_notes_sum_written_out_left_to_right():
    rng = np.random.default_rng(18)
    for n, k in ((2, 2), (2, 1), (1, 2)):
        W, A = awkward(rng, n, k), awkward(rng, 50, n)
        batch = tdot(W, A)
        for row, a in zip(batch, A):
            by_hand = [
                sum((float(W[i, j]) * float(a[i]) for i in range(1, n)), float(W[0, j]) * float(a[0])) for j in range(k)
            ]
            assert tdot(W, a).tolist() == by_hand == row.tolist()


@pytest.mark.parametrize("hidden, output", [("sigmoid", "sigmoid"), ("tanh", "linear"), ("relu", "linear")])
def test_the_step_code_is_the_hand_sum_to_the_last_bit(hidden, output):
    """z = w₁ⱼx₁ + w₂ⱼx₂ + bⱼ on Python floats, and δ⁽¹⁾ = w_j1⁽²⁾δ⁽²⁾f'(z_j⁽¹⁾): what a BLAS kernel with FMA
    rounds otherwise (OPENBLAS_CORETYPE=Haswell before issue 18)."""
    rng = np.random.default_rng(7)
    f, g = activations.get(hidden), activations.get(output)
    for _ in range(200):
        p = Params(awkward(rng, 2, 2), awkward(rng, 2), awkward(rng, 2, 1), awkward(rng, 1))
        x = awkward(rng, 2)
        (w11, w12), (w21, w22) = p.W1.tolist()
        (v1,), (v2,) = p.W2.tolist()
        x1, x2 = x.tolist()
        with np.errstate(all="ignore"):
            ps = backward(p, x, 0.5, f, g)
            assert ps.z1.tolist() == [w11 * x1 + w21 * x2 + p.b1[0], w12 * x1 + w22 * x2 + p.b1[1]]
            a1, a2 = ps.a1.tolist()
            assert ps.z2.tolist() == [v1 * a1 + v2 * a2 + p.b2[0]]
            d = float(ps.delta2[0])
            assert ps.da1.tolist() == [d * v1, d * v2]
            X = np.vstack([x, awkward(rng, 2), x])  # a batch: each row its own forward pass, bit for bit
            Y = np.array([0.5, 0.0, 0.5])
            losses = [0.5 * (float(forward(p, r, f, g)[3][0]) - y) ** 2 for r, y in zip(X, Y)]
            assert dataset_loss(p, X, Y, f, g) == float(np.mean(losses)) or not np.isfinite(losses).all()


@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
@pytest.mark.parametrize("hidden, output", [("relu", "linear"), ("relu", "relu")])
def test_the_fast_path_is_the_plain_code_bit_for_bit_without_e_x(preset, hidden, output):
    """training.fast_epochs does the plain code's operations in its order; with no e^x or tanh (libm there,
    NumPy's loops here) the parameters after 200 epochs are the same bits."""
    model = presets.load(preset).with_(hidden=hidden, output=output)
    fast = training.fast_epochs(model.params, model, 200)
    plain = training.plain_epochs(model.params, model, 200)
    assert fast.params == plain.params and fast.diverged_at == plain.diverged_at


def test_spectral_norm_in_closed_form_is_lapacks_to_a_few_ulps():
    rng = np.random.default_rng(3)
    for _ in range(2000):
        W = awkward(rng, 2, 2)
        assert abs(deep.spectral_norm(W) - np.linalg.norm(W, 2)) <= 8 * np.finfo(float).eps * np.linalg.norm(W, 2)
        v = awkward(rng, 2, 1)
        assert abs(deep.spectral_norm(v) - np.linalg.norm(v)) <= 2 * np.finfo(float).eps * np.linalg.norm(v)
    assert deep.spectral_norm(np.array([[0.6, -0.8], [0.8, 0.6]])) == 1.0  # a rotation, exactly


KERNEL = "from threadpoolctl import threadpool_info; print([i.get('architecture') for i in threadpool_info() if i.get('internal_api') == 'openblas'])"


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="OpenBLAS's x86-64 kernels")
def test_openblas_coretype_chooses_the_kernel_ci_runs_under():
    """.ci/run's second and third passes set OPENBLAS_CORETYPE: it must reach NumPy's OpenBLAS."""
    pytest.importorskip("threadpoolctl")
    seen = {}
    for core in ("Haswell", "Prescott"):
        env = dict(os.environ, OPENBLAS_CORETYPE=core)
        out = subprocess.run(
            [sys.executable, "-c", "import numpy; " + KERNEL],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        seen[core] = out.strip()
    if seen["Haswell"] == "[]":
        pytest.skip("this NumPy is not built on OpenBLAS")
    assert seen["Haswell"] == "['Haswell']"  # FMA
    assert seen["Prescott"] != seen["Haswell"]  # no FMA (OpenBLAS names its kernel Katmai or Prescott)
