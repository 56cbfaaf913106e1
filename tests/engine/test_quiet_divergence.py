"""A run that overflows says so by its record (diverged_at), never by NumPy's RuntimeWarnings on the
terminal: the plain training loop and a long epoch's fast path (mutants of training.py and stepper.py
that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import math

import numpy as np
import pytest

from engine import training
from engine.model import Model
from engine.network import Params
from engine.stepper import Stepper

# a linear output with W⁽²⁾ = 1e150 and η = 1e10: the first update overflows L
GROW = Params(W1=[[0, 0], [0, 0]], b1=[0, 0], W2=[[1e150], [1e150]], b2=[0])


@pytest.mark.filterwarnings("error")
def test_the_plain_loop_diverges_silently():
    model = Model("grow", GROW, [[1.0, 1.0]] * 3, [0.0] * 3, output="linear", lr=1e10)
    res = training.train(model, 5, fast=False)
    assert res.diverged_at == 1 and len(res.losses) == 1
    assert math.isclose(res.losses[0], model_l0(model), rel_tol=1e-15)  # L₀ only: L₁ overflowed


def model_l0(model):
    return 0.5 * (1e150 * 0.5 * 2) ** 2  # ŷ = w₁₁⁽²⁾·½ + w₂₁⁽²⁾·½ with a hidden layer at σ(0) = ½


@pytest.mark.filterwarnings("error")
def test_a_long_epoch_on_the_parameters_alone_diverges_silently():
    model = Model("grow", GROW, [[1.0, 1.0]] * 12, [0.0] * 12, output="linear", lr=1e10)
    s = Stepper(model, history_limit=5)
    snap = s.finish_epoch()
    assert snap.diverged_at == 1 and not math.isfinite(snap.loss_now)
    assert np.isfinite(snap.losses[0])
