"""Gradient check: the analytic gradient of backprop against finite differences of the loss.

For a set of samples S the loss is the mean L = (1/|S|) Σ_{i∈S} L_i, and its gradient is the mean
of the per-sample gradients that network.backward computes (§2.9 step 7). Each parameter θ is
nudged by ±h and the loss recomputed:

    central: ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h     error O(h²)
    forward: ∂L/∂θ ≈ (L(θ + h) − L(θ)) / h          error O(h)

Rows are keyed in the notes' notation: ("W1", i, j) is w_ij^(1), ("b1", j) is b_j^(1),
("W2", i, 1) is w_i1^(2), ("b2", 1) is b^(2); indices count from 1 as in the notes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy as np

from engine import activations
from engine.model import Model
from engine.network import Params, backward, forward, sample_loss

DEFAULT_H = 1e-5
PARAM_NAMES = ("W1", "b1", "W2", "b2")


@dataclass(frozen=True)
class GradRow:
    key: tuple  # ("W1", i, j), ("b1", j), ("W2", i, 1), ("b2", 1)
    analytic: float
    numeric: float
    rel_error: float


def relative_error(a: float, n: float) -> float:
    """|a − n| / max(|a|, |n|), 0 when both are exactly 0 (a dead ReLU unit, an input of 0), and NaN
    when either is not finite: an overflowing loss leaves nothing to compare (see `checkable`)."""
    if not (math.isfinite(a) and math.isfinite(n)):
        return math.nan
    scale = max(abs(a), abs(n))
    return 0.0 if scale == 0.0 else abs(a / scale - n / scale)  # a − n itself may overflow


def mean_loss(p: Params, X, Y, hidden: str, output: str) -> float:
    """(1/|S|) Σ L_i, one sample at a time with the step code of engine.network."""
    f, g = activations.get(hidden), activations.get(output)
    return float(np.mean([sample_loss(forward(p, x, f, g)[3], float(y)) for x, y in zip(X, Y)]))


def analytic_gradient(p: Params, X, Y, hidden: str, output: str) -> dict[str, np.ndarray]:
    """The mean over the samples of backprop's ∂L_i/∂θ, in the layout of each parameter."""
    f, g = activations.get(hidden), activations.get(output)
    passes = [backward(p, x, float(y), f, g) for x, y in zip(X, Y)]
    return {name: np.mean([getattr(ps.grads, "d" + name) for ps in passes], axis=0) for name in PARAM_NAMES}


def _nudged(p: Params, name: str, index: tuple[int, ...], h: float) -> Params:
    arr = np.array(getattr(p, name))
    arr[index] += h
    return replace(p, **{name: arr})


def _key(name: str, index: tuple[int, ...]) -> tuple:
    return (name, *(k + 1 for k in index))


def check(p: Params, X, Y, hidden: str = "sigmoid", output: str = "sigmoid", h: float = DEFAULT_H,
          method: str = "central") -> list[GradRow]:
    """One row per parameter, in the order w11, w12, w21, w22 (W1), b1, W2, b2."""
    if method not in ("central", "forward"):
        raise ValueError(f"method must be 'central' or 'forward', got {method!r}")
    if not h > 0:
        raise ValueError(f"step size h must be > 0, got {h}")
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    Y = np.asarray(Y, dtype=np.float64).reshape(-1)
    rows = []
    with np.errstate(all="ignore"):  # an overflow gives a NaN row (checkable() is then False), no warning
        grads = analytic_gradient(p, X, Y, hidden, output)
        base = mean_loss(p, X, Y, hidden, output) if method == "forward" else None
        for name in PARAM_NAMES:
            for index in np.ndindex(getattr(p, name).shape):
                plus = mean_loss(_nudged(p, name, index, h), X, Y, hidden, output)
                if base is None:  # central
                    minus = mean_loss(_nudged(p, name, index, -h), X, Y, hidden, output)
                    numeric = (plus - minus) / (2 * h)
                else:
                    numeric = (plus - base) / h
                analytic = float(grads[name][index])
                rows.append(GradRow(_key(name, index), analytic, numeric, relative_error(analytic, numeric)))
    return rows


def check_model(model: Model, samples: Sequence[int] | None = None, params: Params | None = None,
                h: float = DEFAULT_H, method: str = "central") -> list[GradRow]:
    """Check on the model's samples (all, or the indices given) at `params` (default: initial)."""
    idx = list(range(model.m)) if samples is None else list(samples)
    return check(model.params if params is None else params, model.X[idx], model.Y[idx], model.hidden,
                 model.output, h, method)


def check_snapshot(s, h: float = DEFAULT_H, method: str = "central") -> list[GradRow]:
    """Check the current sample of a stepper Snapshot at the parameters its gradients belong to
    (params_start: after U the snapshot's params are already the updated ones)."""
    return check(s.params_start, s.X[[s.sample]], s.Y[[s.sample]], s.hidden, s.output, h, method)


def checkable(rows: Iterable[GradRow]) -> bool:
    """Every analytic and numeric derivative is finite, so the relative errors mean something."""
    return all(math.isfinite(r.rel_error) for r in rows)


def max_rel_error(rows: Iterable[GradRow]) -> float:
    """The largest relative error, NaN when a row cannot be checked: never a small number that
    would read as "agrees" (max() skips a NaN that follows a number)."""
    rows = list(rows)
    if not checkable(rows):
        return math.nan
    return max((r.rel_error for r in rows), default=0.0)
