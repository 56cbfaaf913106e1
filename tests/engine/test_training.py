"""Epochs, the loss history of DESIGN §6, the fast path pinned to the plain step code."""
import itertools
import math

import numpy as np
import pytest

from engine import activations, presets, training
from engine.network import dataset_loss

PAIRS = list(itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS))


@pytest.mark.parametrize("preset", ["lecture", "xor", "and", "nand"])
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_fast_epochs_pinned_to_plain_epochs(preset, hidden, output):
    # 60 epochs: long enough to cover every branch, short of the ReLU-kink cases where any two
    # roundings part ways after a hundred epochs or so (they cross z = 0 on different sides).
    model = presets.load(preset).with_(hidden=hidden, output=output)
    fast = training.fast_epochs(model.params, model, 60)
    plain = training.plain_epochs(model.params, model, 60)
    assert fast.diverged_at == plain.diverged_at
    assert fast.losses.shape == plain.losses.shape
    assert np.allclose(fast.losses, plain.losses, rtol=0, atol=1e-9)
    for name in ("W1", "b1", "W2", "b2"):
        assert np.allclose(getattr(fast.params, name), getattr(plain.params, name), rtol=0, atol=1e-9)


def test_fast_path_pinned_over_a_long_xor_run():
    model = presets.load("xor")
    fast = training.fast_epochs(model.params, model, 3000)
    plain = training.plain_epochs(model.params, model, 3000)
    assert np.max(np.abs(fast.losses - plain.losses)) < 1e-9


@pytest.mark.parametrize("lr", [5.0, 50.0])
def test_divergence_stops_at_the_same_epoch_and_keeps_the_last_finite_parameters(lr):
    model = presets.load("xor").with_(hidden="relu", output="linear", lr=lr)
    fast = training.train(model, 200)
    plain = training.train(model, 200, fast=False)
    assert fast.diverged_at == plain.diverged_at
    if fast.diverged:
        assert np.isfinite(fast.losses).all() and len(fast.losses) == fast.diverged_at
        assert fast.params.is_finite()
        assert math.isclose(dataset_loss(fast.params, model.X, model.Y, activations.get("relu"),
                                         activations.get("linear")), fast.losses[-1], rel_tol=1e-9)


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
