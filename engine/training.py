"""Epochs of per-sample gradient descent (§2.9 steps 3–10) and the epoch-loss history.

History (DESIGN §6): losses[0] = L before training, losses[k] = L with the parameters at the end of
epoch k, L = (1/m) Σ ½(ŷ − y)². Samples are visited in data order.

Two implementations, one result:
- `plain_epochs` calls `network.sample_step`, the code that reads like the notes;
- `fast_epochs` is the same arithmetic written out on Python floats for the 2–2–1 shape. NumPy's
  per-call overhead (~1 µs) dominates arrays of two numbers, so scalar code is ~15× faster here.
  tests/test_training.py pins it to `plain_epochs`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.model import Model
from engine.network import Params, dataset_loss, sample_step


@dataclass(frozen=True)
class TrainResult:
    losses: np.ndarray  # L_1 … L_n for the epochs run (plus L_0 first when returned by `train`)
    params: Params  # the parameters at the end of the last finite epoch
    diverged_at: int | None = None  # first epoch whose loss was not finite, counted from 1

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def plain_epochs(params: Params, model: Model, epochs: int) -> TrainResult:
    """`epochs` epochs with the step code of engine.network; stops at the first non-finite loss."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    losses = []
    with np.errstate(all="ignore"):
        for k in range(1, epochs + 1):
            new = params
            for x, y in zip(model.X, model.Y):
                new, _ = sample_step(new, x, float(y), f, g, model.lr)
            loss = dataset_loss(new, model.X, model.Y, f, g)
            if not math.isfinite(loss):
                return TrainResult(np.array(losses), params, diverged_at=k)
            params = new
            losses.append(loss)
    return TrainResult(np.array(losses), params)


# --- fast path: scalar float code for the 2–2–1 net -----------------------------------------

def _sigmoid(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # z < 0: e^z cannot overflow
    return e / (1.0 + e)


def _relu(z: float) -> float:
    return z if z > 0.0 else 0.0


def _identity(z: float) -> float:
    return z


# f'(z) written in terms of (z, a = f(z)), as the notes do for the sigmoid: σ' = a(1 − a).
_SCALAR = {
    "sigmoid": (_sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": (math.tanh, lambda z, a: 1.0 - a * a),
    "relu": (_relu, lambda z, a: 1.0 if z > 0.0 else 0.0),
    "linear": (_identity, lambda z, a: 1.0),
}


def fast_epochs(params: Params, model: Model, epochs: int) -> TrainResult:
    """Same as `plain_epochs`, on Python floats: w_ij is W1[i-1][j-1], v_i is W2[i-1][0]."""
    f, fd = _SCALAR[model.hidden]
    g, gd = _SCALAR[model.output]
    lr = model.lr
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    inv_m = 1.0 / len(data)
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    losses = []
    diverged_at = None
    isfinite = math.isfinite
    for k in range(1, epochs + 1):
        before = (w11, w12, w21, w22, b1, b2, v1, v2, c)
        for x1, x2, y in data:
            z1 = w11 * x1 + w21 * x2 + b1
            z2 = w12 * x1 + w22 * x2 + b2
            a1 = f(z1)
            a2 = f(z2)
            zo = v1 * a1 + v2 * a2 + c
            yh = g(zo)
            d = (yh - y) * gd(zo, yh)  # δ^(2)
            d1 = v1 * d * fd(z1, a1)  # δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1))
            d2 = v2 * d * fd(z2, a2)
            w11 -= lr * x1 * d1
            w21 -= lr * x2 * d1
            w12 -= lr * x1 * d2
            w22 -= lr * x2 * d2
            b1 -= lr * d1
            b2 -= lr * d2
            v1 -= lr * a1 * d
            v2 -= lr * a2 * d
            c -= lr * d
        total = 0.0
        for x1, x2, y in data:
            e = g(v1 * f(w11 * x1 + w21 * x2 + b1) + v2 * f(w12 * x1 + w22 * x2 + b2) + c) - y
            total += 0.5 * (e * e)
        loss = total * inv_m
        if not isfinite(loss):
            diverged_at = k
            w11, w12, w21, w22, b1, b2, v1, v2, c = before
            break
        losses.append(loss)
    out = Params(W1=[[w11, w12], [w21, w22]], b1=[b1, b2], W2=[[v1], [v2]], b2=[c])
    return TrainResult(np.array(losses), out, diverged_at)


def train(model: Model, epochs: int, params: Params | None = None, fast: bool = True) -> TrainResult:
    """`epochs` epochs from `params` (default: the model's initial ones); losses = [L0, L1, …]."""
    params = model.params if params is None else params
    f, g = activations.get(model.hidden), activations.get(model.output)
    with np.errstate(all="ignore"):
        l0 = dataset_loss(params, model.X, model.Y, f, g)
    if not math.isfinite(l0):
        return TrainResult(np.array([l0]), params, diverged_at=0)
    run = fast_epochs if fast else plain_epochs
    res = run(params, model, epochs)
    return TrainResult(np.concatenate([[l0], res.losses]), res.params, res.diverged_at)
