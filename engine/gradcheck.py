"""Gradient check: the analytic gradient of backprop against finite differences of the loss.

For a set of samples S the loss is the mean L = (1/|S|) Σ_{i∈S} L_i, and its gradient is the mean
of the per-sample gradients that network.backward computes (§2.9 step 7). Each parameter θ is
nudged by ±h and the loss recomputed:

    central: ∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h     error O(h²)
    forward: ∂L/∂θ ≈ (L(θ + h) − L(θ)) / h          error O(h)

Rows are keyed in the notes' notation: ("W1", i, j) is w_ij^(1), ("b1", j) is b_j^(1),
("W2", i, 1) is w_i1^(2), ("b2", 1) is b^(2); indices count from 1 as in the notes. The command
line writes a key as W2:1:1 or b2:1 (`parse_key`, `key_name`).

Exercise 2(d) for one parameter (`walk`): θ, θ ± h, L at each, the quotient, backprop's value and
their difference. And the picture every numerical-methods lecture draws (`sweep`): the error of the
quotient against h from 10⁻¹ to 10⁻¹², log–log; truncation error falls with h (∝ h forward, ∝ h²
central) until rounding error, ∝ ε·L/h, takes over; the best h sits at the bottom of the V.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from engine import activations
from engine.equations import is_notes_example
from engine.model import Model
from engine.network import Params, backward, forward, forward_hidden, sample_loss
from engine.notation import PARAMS

DEFAULT_H = 1e-5
METHODS = ("forward", "central")
PARAM_NAMES = ("W1", "b1", "W2", "b2")


@dataclass(frozen=True)
class GradRow:
    key: tuple  # ("W1", i, j), ("b1", j), ("W2", i, 1), ("b2", 1)
    analytic: float
    numeric: float
    rel_error: float
    theta: float = math.nan  # the parameter's value
    loss: float = math.nan  # L(θ)
    loss_plus: float = math.nan  # L(θ + h)
    loss_minus: float | None = None  # L(θ − h): central differences only


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


def _row(
    p: Params,
    X,
    Y,
    hidden: str,
    output: str,
    grads: dict[str, np.ndarray],
    base: float,
    name: str,
    index: tuple[int, ...],
    h: float,
    method: str,
) -> GradRow:
    """One parameter: L(θ + h) (and L(θ − h)), the quotient and backprop's value. `base` is L(θ)."""
    plus = mean_loss(_nudged(p, name, index, h), X, Y, hidden, output)
    minus = None
    if method == "central":
        minus = mean_loss(_nudged(p, name, index, -h), X, Y, hidden, output)
        numeric = (plus - minus) / (2 * h)
    else:
        numeric = (plus - base) / h
    analytic = float(grads[name][index])
    return GradRow(
        _key(name, index),
        analytic,
        numeric,
        relative_error(analytic, numeric),
        float(getattr(p, name)[index]),
        base,
        plus,
        minus,
    )


def _checked(X, Y, h: float, method: str) -> tuple[np.ndarray, np.ndarray]:
    if method not in METHODS:
        raise ValueError(f"method must be 'central' or 'forward', got {method!r}")
    if not h > 0:
        raise ValueError(f"step size h must be > 0, got {h}")
    return np.asarray(X, dtype=np.float64).reshape(-1, 2), np.asarray(Y, dtype=np.float64).reshape(-1)


def check(
    p: Params, X, Y, hidden: str = "sigmoid", output: str = "sigmoid", h: float = DEFAULT_H, method: str = "central"
) -> list[GradRow]:
    """One row per parameter, in the order w11, w12, w21, w22 (W1), b1, W2, b2."""
    X, Y = _checked(X, Y, h, method)
    with np.errstate(all="ignore"):  # an overflow gives a NaN row (checkable() is then False), no warning
        grads = analytic_gradient(p, X, Y, hidden, output)
        base = mean_loss(p, X, Y, hidden, output)
        return [
            _row(p, X, Y, hidden, output, grads, base, name, index, h, method)
            for name in PARAM_NAMES
            for index in np.ndindex(getattr(p, name).shape)
        ]


def check_model(
    model: Model,
    samples: Sequence[int] | None = None,
    params: Params | None = None,
    h: float = DEFAULT_H,
    method: str = "central",
) -> list[GradRow]:
    """Check on the model's samples (all, or the indices given) at `params` (default: initial)."""
    idx = list(range(model.m)) if samples is None else list(samples)
    return check(
        model.params if params is None else params, model.X[idx], model.Y[idx], model.hidden, model.output, h, method
    )


def check_snapshot(s, h: float = DEFAULT_H, method: str = "central") -> list[GradRow]:
    """Check the current sample of a stepper Snapshot at the parameters its gradients belong to
    (params_start: after U the snapshot's params are already the updated ones)."""
    return check(s.params_start, s.X[[s.sample]], s.Y[[s.sample]], s.hidden, s.output, h, method)


def kinked(p: Params, X, Y, hidden: str, h: float) -> frozenset[tuple]:
    """The first-layer parameters (w_ij⁽¹⁾, b_j⁽¹⁾) of every hidden unit j that sits at a kink for some
    sample: ReLU or the step, with z_j within reach of 0 for a nudge of ±h (|z_j| ≤ h·(1 + |x₁| + |x₂|)).
    There f' does not exist; backprop uses the convention f'(0) = 0 (the notes' table for ReLU; the
    step's slope on both sides), while the quotient straddles the kink (ReLU: about half the slope on
    the right; the step: the jump over h). They differ, and that is no bug in backprop."""
    if hidden not in activations.KINKS:
        return frozenset()
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    f = activations.get(hidden)
    units: set[int] = set()
    with np.errstate(all="ignore"):
        for x in X:
            z1 = forward_hidden(p, x, f)[0]
            reach = h * (1.0 + float(np.sum(np.abs(x))))
            units |= {j for j in range(2) if abs(float(z1[j])) <= reach}
    return frozenset([("W1", i + 1, j + 1) for i in range(2) for j in units] + [("b1", j + 1) for j in units])


def kinked_model(model: Model, h: float = DEFAULT_H, params: Params | None = None) -> frozenset[tuple]:
    return kinked(model.params if params is None else params, model.X, model.Y, model.hidden, h)


def kinked_snapshot(s, h: float = DEFAULT_H) -> frozenset[tuple]:
    return kinked(s.params_start, s.X[[s.sample]], s.Y[[s.sample]], s.hidden, h)


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


# --- exercise 2(d) for one parameter: the walk-through, and the error against h ------------------

KEYS = tuple(key for key, _, _ in PARAMS)  # every parameter in the notes' order, as the rows name it
FIRST_KEY = ("W2", 1, 1)  # w₁₁⁽²⁾: the parameter of §2.5 and exercise 2(d), where g and C start
NOTES_H = 1e-4  # the step of exercise 2(d): "change a weight by +0.0001"
# 10⁻¹ … 10⁻¹², four steps a decade (each decade's own power of ten exactly as 10.0 ** −k)
SWEEP_H = tuple(10.0 ** -(k / 4) for k in range(4, 49))


def key_name(key: tuple) -> str:
    """("W2", 1, 1) → "W2:1:1", ("b2", 1) → "b2:1": a parameter as the command line names it."""
    return ":".join(str(part) for part in key)


def parse_key(text: str) -> tuple:
    """ "W2:1:1" → ("W2", 1, 1); a ValueError that says in one line what was wrong and what is expected."""
    name, *index_text = text.strip().split(":")
    shapes = {"W1": "W1:i:j (i, j = 1, 2)", "b1": "b1:j (j = 1, 2)", "W2": "W2:i:1 (i = 1, 2)", "b2": "b2:1"}
    if name not in shapes:
        raise ValueError(f"unknown parameter {text!r}: expected W1:i:j, b1:j, W2:i:1 or b2:1 (e.g. W2:1:1)")
    try:
        key = (name, *(int(part) for part in index_text))
    except ValueError:
        raise ValueError(f"bad parameter {text!r}: indices are whole numbers, as in {shapes[name]}") from None
    if key not in KEYS:
        raise ValueError(f"parameter {text!r} out of range: {name} is {shapes[name]}")
    return key


def _where(key: tuple) -> tuple[str, tuple[int, ...]]:
    """The array name and 0-based index of a parameter key."""
    for k, name, index in PARAMS:
        if k == key:
            return name, index
    raise ValueError(f"unknown parameter {key!r}")


@dataclass(frozen=True)
class NotesPrint:
    """What the notes print for L(θ + h) in exercise 2(d), and how they got it: L rounded to 4 decimals
    plus h times the rounded gradient, 0.2748 + 10⁻⁴ × 0.0823 ≈ 0.274808. The exact L(w₁₁⁽²⁾ + 10⁻⁴) is
    0.274849: the rounding of L (0.27484 → 0.2748) is four times the change h·∂L/∂θ ≈ 8.2·10⁻⁶ being measured."""

    key: tuple
    h: float
    loss: float  # the L they start from, rounded
    grad: float  # the gradient they add, rounded
    loss_plus: float  # what they print


NOTES_LOSS_PLUS = NotesPrint(key=("W2", 1, 1), h=NOTES_H, loss=0.2748, grad=0.0823, loss_plus=0.274808)


@dataclass(frozen=True)
class Walk:
    """Exercise 2(d) for one parameter θ at step h: θ ± h, L at each, the quotient, backprop's ∂L/∂θ.
    L is the mean loss over the `m` samples differentiated (m = 1: the sample's own Lᵢ)."""

    row: GradRow
    method: str
    h: float
    m: int
    notes: NotesPrint | None  # the notes' printed L(θ + h), when this is their exercise 2(d)

    @property
    def key(self) -> tuple:
        return self.row.key

    @property
    def theta_plus(self) -> float:
        return self.row.theta + self.h  # the value the nudged parameter holds (one float addition)

    @property
    def theta_minus(self) -> float | None:
        return self.row.theta - self.h if self.method == "central" else None

    @property
    def quotient(self) -> float:
        return self.row.numeric

    @property
    def analytic(self) -> float:
        return self.row.analytic

    @property
    def difference(self) -> float:
        """The quotient − backprop's value."""
        return self.row.numeric - self.row.analytic


def walk(p: Params, X, Y, hidden: str, output: str, key: tuple, h: float = NOTES_H, method: str = "forward") -> Walk:
    """Exercise 2(d) for the parameter `key` (as the rows name it) on the samples X, Y."""
    X, Y = _checked(X, Y, h, method)
    name, index = _where(key)
    with np.errstate(all="ignore"):
        grads = analytic_gradient(p, X, Y, hidden, output)
        row = _row(p, X, Y, hidden, output, grads, mean_loss(p, X, Y, hidden, output), name, index, h, method)
    n = NOTES_LOSS_PLUS
    notes = n if key == n.key and math.isclose(h, n.h) and is_notes_example(p, X, Y, hidden, output) else None
    return Walk(row, method, h, len(Y), notes)


def walk_model(model: Model, key: tuple, h: float = NOTES_H, method: str = "forward") -> Walk:
    """The walk-through on the model's data set, at its initial parameters (the command line's)."""
    return walk(model.params, model.X, model.Y, model.hidden, model.output, key, h, method)


def walk_snapshot(s, key: tuple, h: float = NOTES_H, method: str = "forward") -> Walk:
    """The walk-through on the current sample of a Snapshot, where check_snapshot checks it."""
    return walk(s.params_start, s.X[[s.sample]], s.Y[[s.sample]], s.hidden, s.output, key, h, method)


@dataclass(frozen=True)
class Sweep:
    """|quotient − backprop| against h for one parameter and method: the V of truncation and rounding."""

    key: tuple
    method: str
    hs: tuple[float, ...]
    errors: tuple[float, ...]  # |quotient − ∂L/∂θ| at each h (NaN: not finite)

    @property
    def best(self) -> int | None:
        """The index of the smallest error (the larger h on a tie); None when no error is finite."""
        finite = [k for k, e in enumerate(self.errors) if math.isfinite(e)]
        return min(finite, key=lambda k: (self.errors[k], -self.hs[k])) if finite else None

    @property
    def best_h(self) -> float:
        k = self.best
        return math.nan if k is None else self.hs[k]

    @property
    def best_error(self) -> float:
        k = self.best
        return math.nan if k is None else self.errors[k]


def sweep(p: Params, X, Y, hidden: str, output: str, key: tuple, method: str, hs: Sequence[float] = SWEEP_H) -> Sweep:
    """The error of the quotient at every h of `hs` (default 10⁻¹ … 10⁻¹², 4 a decade)."""
    X, Y = _checked(X, Y, 1.0, method)
    name, index = _where(key)
    errors = []
    with np.errstate(all="ignore"):
        grads = analytic_gradient(p, X, Y, hidden, output)
        base = mean_loss(p, X, Y, hidden, output)
        for h in hs:
            r = _row(p, X, Y, hidden, output, grads, base, name, index, float(h), method)
            e = abs(r.numeric - r.analytic)
            errors.append(e if math.isfinite(e) else math.nan)
    return Sweep(key, method, tuple(float(h) for h in hs), tuple(errors))


def sweep_snapshot(s, key: tuple, method: str, hs: Sequence[float] = SWEEP_H) -> Sweep:
    """The sweep on the current sample of a Snapshot (the `g` screen's loss)."""
    return sweep(s.params_start, s.X[[s.sample]], s.Y[[s.sample]], s.hidden, s.output, key, method, hs)
