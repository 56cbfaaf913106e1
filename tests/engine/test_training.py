"""Epochs, the loss history of DESIGN §6, the fast path pinned to the plain step code."""

import itertools
import math

import numpy as np
import pytest

from engine import activations, presets, training
from engine.network import dataset_loss

PAIRS = list(itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS))
PRECISION = {"rtol": 1e-12, "atol": 1e-15}  # rounding: the two paths add and multiply in other orders


def test_every_activation_pair_and_preset_is_covered():
    assert len(PAIRS) == 16 and len(set(PAIRS)) == 16  # 4 hidden (with the step) × 4 output
    assert set(training.SCALAR) == set(activations.OUTPUT_ACTIVATIONS) | set(activations.HIDDEN_ACTIVATIONS)
    assert set(presets.PRESETS) == {"lecture", "xor", "and", "or", "nand"}


@pytest.mark.parametrize("name", sorted(training.SCALAR))
def test_scalar_activations_are_those_of_engine_activations(name):
    # e^x and tanh come from libm here and from NumPy's own loops there: they may differ by an ulp.
    zs = np.concatenate(
        [
            np.linspace(-800.0, 800.0, 4001),
            np.linspace(-3.0, 3.0, 601),
            [-0.0, 0.0, 5e-324, -5e-324, 709.8, -709.8, 745.2, -745.2, 1e308, -1e308, np.inf, -np.inf],
        ]
    )
    f, f_prime = training.SCALAR[name]
    ref = activations.get(name)
    with np.errstate(all="ignore"):
        a, d = ref.f(zs), ref.d(zs)
    mine_a = np.array([f(float(z)) for z in zs])
    mine_d = np.array([f_prime(float(z), f(float(z))) for z in zs])
    np.testing.assert_allclose(mine_a, a, rtol=1e-15, atol=0)
    np.testing.assert_allclose(mine_d, d, rtol=1e-15, atol=5e-16)
    if name in ("relu", "linear"):
        np.testing.assert_array_equal(mine_a, a)
        np.testing.assert_array_equal(mine_d, d)


def assert_same_run(fast, plain, precision=PRECISION):
    assert fast.diverged_at == plain.diverged_at
    assert fast.losses.shape == plain.losses.shape
    np.testing.assert_allclose(fast.losses, plain.losses, **precision)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(getattr(fast.params, name), getattr(plain.params, name), **precision)


# Rounding differences grow with the epochs where gradient descent amplifies them (nand, tanh/tanh:
# 2e-12 by epoch 30, 1e-11 by epoch 40), so full precision is asked over 20 epochs, and 1e-9 over
# 60, long enough to cover every branch, short of the ReLU-kink cases where any two roundings part
# ways after a hundred epochs or so (they cross z = 0 on different sides).
@pytest.mark.parametrize("epochs, precision", [(20, PRECISION), (60, {"rtol": 0, "atol": 1e-9})])
@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_fast_epochs_pinned_to_plain_epochs(preset, hidden, output, epochs, precision):
    model = presets.load(preset).with_(hidden=hidden, output=output)
    assert_same_run(
        training.fast_epochs(model.params, model, epochs), training.plain_epochs(model.params, model, epochs), precision
    )


def test_fast_path_pinned_over_a_long_xor_run():
    model = presets.load("xor")
    fast = training.fast_epochs(model.params, model, 3000)
    plain = training.plain_epochs(model.params, model, 3000)
    np.testing.assert_allclose(fast.losses, plain.losses, rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("hidden", activations.HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("lr", [5.0, 50.0, 1e6])
def test_divergence_stops_at_the_same_epoch_and_keeps_the_last_finite_parameters(hidden, lr):
    model = presets.load("xor").with_(hidden=hidden, output="linear", lr=lr)
    fast = training.train(model, 200)
    plain = training.train(model, 200, fast=False)
    assert fast.diverged  # a linear output with this η: the loss blows up
    assert_same_run(fast, plain)
    assert np.isfinite(fast.losses).all() and len(fast.losses) == fast.diverged_at
    assert fast.params.is_finite()
    assert math.isclose(
        dataset_loss(fast.params, model.X, model.Y, activations.get(hidden), activations.get("linear")),
        fast.losses[-1],
        rel_tol=1e-9,
    )


def test_history_is_L0_then_the_loss_at_the_end_of_each_epoch():
    model = presets.load("lecture")
    res = training.train(model, 3)
    assert len(res.losses) == 4
    sig = activations.get("sigmoid")
    assert res.losses[0] == dataset_loss(model.params, model.X, model.Y, sig, sig)
    assert round(res.losses[0], 4) == 0.2748 and round(res.losses[1], 4) == 0.2580  # DESIGN §2
    assert np.all(np.diff(res.losses) < 0)


def test_xor_preset_learns_xor():
    """The preset's own seed and η: per-sample SGD reaches L < 0.01 well within 20 000 epochs."""
    model = presets.load("xor")
    res = training.train(model, 20_000)
    assert not res.diverged
    assert res.losses[-1] < 0.01
    first = int(np.argmax(res.losses < 0.01))
    assert 0 < first < 20_000
    sig = activations.get("sigmoid")
    assert math.isclose(dataset_loss(res.params, model.X, model.Y, sig, sig), res.losses[-1], rel_tol=1e-9)


@pytest.mark.parametrize("lr, epochs", [(0.5, 40), (50.0, 200)])  # the second one diverges
def test_train_chunks_are_train_bit_for_bit(lr, epochs):
    model = presets.load("xor").with_(hidden="relu", output="linear", lr=lr)
    whole = training.train(model, epochs)
    pieces = list(training.train_chunks(model, epochs, chunk=7))
    np.testing.assert_array_equal(np.concatenate([p.losses for p in pieces]), whole.losses)
    assert pieces[-1].params == whole.params and pieces[-1].diverged_at == whole.diverged_at
    assert all(not p.diverged for p in pieces[:-1])
