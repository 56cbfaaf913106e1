"""The network over the whole input plane: the decision surface, each hidden unit's surface, and the
samples in the hidden layer's space (issue 13).

Everything is computed by the same forward pass as engine.network, for a grid of inputs at once
(rows of X are inputs, with network.tdot, as engine.network.dataset_loss does): a grid point's
ŷ is the forward pass of that input, to the last bit (tests/engine/test_surface.py). No Python loop
per point: a 120×40 terminal's grid of 120 × 80 half-block pixels is a few array operations per layer.

The decision threshold is ŷ = 0.5 (THRESHOLD): the truth-table presets' targets are 0 and 1. In the
hidden space the output unit decides along the line w₁₁⁽²⁾a₁⁽¹⁾ + w₂₁⁽²⁾a₂⁽¹⁾ + b⁽²⁾ = f⁻¹(0.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.network import Params, tdot

THRESHOLD = 0.5  # ŷ above it reads as 1, below as 0 (the truth tables' targets)
MARGIN = 0.5  # the plane shown around the data: its bounding box widened by this on every side
MAX_POINTS = 1_000_000  # a grid larger than this is refused (memory: ~5 arrays of 8 bytes per point)


@dataclass(frozen=True, eq=False)
class Surface:
    """ŷ and a⁽¹⁾ over a grid: x1 (columns, left to right), x2 (rows, bottom to top)."""

    x1: np.ndarray  # nx values
    x2: np.ndarray  # ny values
    yhat: np.ndarray  # ny × nx
    a1: np.ndarray  # 2 × ny × nx: a₁⁽¹⁾ and a₂⁽¹⁾
    z2: np.ndarray  # ny × nx, the output's pre-activation

    @property
    def shape(self) -> tuple[int, int]:
        return self.yhat.shape


def span(X: np.ndarray, margin: float = MARGIN) -> tuple[float, float, float, float]:
    """(x1 low, x1 high, x2 low, x2 high): the data's bounding box widened by `margin` ([−0.5, 1.5]² for
    the truth tables); a degenerate side (one sample) gets ±margin around it."""
    X = np.asarray(X, dtype=np.float64)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


ZOOM_STEP = 1.25  # one zoom key press: the span's width ÷ or × this
MAX_ZOOM = 8  # presses either way: from 1.25⁻⁸ ≈ 0.17 to 1.25⁸ ≈ 6 times the span


def zoom(bounds: tuple[float, float, float, float], k: int) -> tuple[float, float, float, float]:
    """`bounds` (a span) zoomed in k times (k < 0: out) by ZOOM_STEP about its centre."""
    f = ZOOM_STEP ** -max(-MAX_ZOOM, min(MAX_ZOOM, k))
    lo1, hi1, lo2, hi2 = bounds
    c1, c2, h1, h2 = (lo1 + hi1) / 2, (lo2 + hi2) / 2, (hi1 - lo1) / 2 * f, (hi2 - lo2) / 2 * f
    return c1 - h1, c1 + h1, c2 - h2, c2 + h2


def grid(lo: float, hi: float, n: int) -> np.ndarray:
    """n evenly spaced values from lo to hi (both included): the centres of n pixels would shift the
    data's corners off the grid, and the truth tables' inputs should be grid points."""
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    return np.linspace(lo, hi, n)


def forward_many(p: Params, X: np.ndarray, hidden: str, output: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A1, Z2, Yhat) for the inputs in the rows of X: the forward pass of engine.network, batched."""
    f, g = activations.get(hidden), activations.get(output)
    with np.errstate(all="ignore"):  # a diverged model's surface is NaN, drawn as such
        A1 = f.f(tdot(p.W1, X) + p.b1)
        Z2 = tdot(p.W2, A1) + p.b2
        Yhat = g.f(Z2)
    return A1, Z2[:, 0], Yhat[:, 0]


def surface(p: Params, hidden: str, output: str, x1: np.ndarray, x2: np.ndarray) -> Surface:
    """The network over the grid x1 × x2."""
    x1, x2 = np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64)
    if x1.size * x2.size > MAX_POINTS:
        raise ValueError(f"a grid of {x1.size}×{x2.size} points is more than {MAX_POINTS}")
    G1, G2 = np.meshgrid(x1, x2)  # ny × nx each
    X = np.column_stack((G1.ravel(), G2.ravel()))
    A1, Z2, Yhat = forward_many(p, X, hidden, output)
    ny, nx = x2.size, x1.size
    return Surface(x1=x1, x2=x2, yhat=Yhat.reshape(ny, nx), a1=A1.T.reshape(2, ny, nx), z2=Z2.reshape(ny, nx))


def crossings(values: np.ndarray, level: float = THRESHOLD) -> np.ndarray:
    """A boolean grid: True where the value is on the other side of `level` from a neighbour to its
    right or above (the cells the contour `value = level` passes through)."""
    above = values >= level
    out = np.zeros(values.shape, dtype=bool)
    out[:, :-1] |= above[:, :-1] != above[:, 1:]
    out[:-1, :] |= above[:-1, :] != above[1:, :]
    return out


@dataclass(frozen=True)
class Prediction:
    """One data row: the input, its target, ŷ, and whether ŷ falls on the target's side of 0.5."""

    x: tuple[float, float]
    y: float
    yhat: float

    @property
    def right(self) -> bool:
        return bool(right(np.array([self.yhat]), np.array([self.y]))[0])


def right(yhat: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """For each row, ŷ falls on its target's side of THRESHOLD (a NaN ŷ, a diverged net's, never does)."""
    yhat, Y = np.asarray(yhat, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.isfinite(yhat) & ((yhat >= THRESHOLD) == (Y >= THRESHOLD))


@dataclass(frozen=True, eq=False)
class Tally:
    """ŷ of every data row and whether it is right, as arrays: a data set of thousands of rows is
    counted without a Python object per row (predictions() builds those for the rows shown)."""

    yhat: np.ndarray  # m
    right: np.ndarray  # m booleans

    @property
    def m(self) -> int:
        return int(self.yhat.size)

    @property
    def n_right(self) -> int:
        return int(np.count_nonzero(self.right))


def tally(p: Params, X: np.ndarray, Y: np.ndarray, hidden: str, output: str) -> Tally:
    """ŷ and right/wrong for every data row, by the batched forward pass."""
    _, _, Yhat = forward_many(p, np.asarray(X, dtype=np.float64), hidden, output)
    return Tally(Yhat, right(Yhat, Y))


class LastTally:
    """tally() of the inputs last asked for, kept while every one of them is the same: the parameters,
    X and Y are frozen (the same object holds the same values) and the activations are names. Keyed
    on the parameters alone, a change of activation (a), of the data (w) or the undo of either kept
    the count of the model before it."""

    def __init__(self) -> None:
        self._key: tuple = ()
        self._done: Tally | None = None

    def __call__(self, p: Params, X: np.ndarray, Y: np.ndarray, hidden: str, output: str) -> Tally:
        key = (p, X, Y, hidden, output)
        same = (
            len(self._key) == len(key)
            and all(a is b for a, b in zip(key[:3], self._key[:3]))
            and key[3:] == self._key[3:]
        )
        if not same or self._done is None:
            self._done, self._key = tally(*key), key
        return self._done


def labels(Y: np.ndarray) -> bool:
    """The targets are all 0 or 1 (a truth table): right/wrong at 0.5 is what the data asks."""
    Y = np.asarray(Y, dtype=np.float64)
    return bool(Y.size) and bool(np.all((Y == 0) | (Y == 1)))


def predictions(p: Params, X: np.ndarray, Y: np.ndarray, hidden: str, output: str) -> list[Prediction]:
    """ŷ for every data row, with its target: "did it learn XOR?"."""
    _, _, Yhat = forward_many(p, np.asarray(X, dtype=np.float64), hidden, output)
    return [Prediction((float(x[0]), float(x[1])), float(y), float(v)) for x, y, v in zip(X, Y, Yhat)]


def inverse(output: str, y: float = THRESHOLD) -> float:
    """f⁻¹(y) for the output activation: the z⁽²⁾ at which ŷ = y (NaN where f never takes y)."""
    if output == "sigmoid":
        return math.log(y / (1 - y)) if 0 < y < 1 else math.nan
    if output == "tanh":
        return math.atanh(y) if -1 < y < 1 else math.nan
    if output == "relu":
        return y if y > 0 else math.nan
    return y


@dataclass(frozen=True)
class HiddenSpace:
    """The samples at (a₁⁽¹⁾, a₂⁽¹⁾) and the output unit's decision line w₁a₁ + w₂a₂ + b = level."""

    points: np.ndarray  # m × 2
    targets: np.ndarray  # m
    w: tuple[float, float]  # w₁₁⁽²⁾, w₂₁⁽²⁾
    b: float  # b⁽²⁾
    level: float  # f⁻¹(0.5)

    def line(self, a1: np.ndarray) -> np.ndarray:
        """a₂ on the decision line at each a₁ (NaN where the line is vertical: w₂₁⁽²⁾ = 0)."""
        w1, w2 = self.w
        with np.errstate(all="ignore"):
            return (
                (self.level - self.b - w1 * np.asarray(a1, dtype=np.float64)) / w2
                if w2 != 0
                else np.full(np.shape(a1), np.nan)
            )

    def side(self, a: np.ndarray) -> np.ndarray:
        """w₁a₁ + w₂a₂ + b − level for points a (rows): positive on the ŷ > 0.5 side for an increasing f."""
        a = np.asarray(a, dtype=np.float64)
        w1, w2 = self.w
        return a[..., 0] * w1 + a[..., 1] * w2 + self.b - self.level


def hidden_space(p: Params, X: np.ndarray, Y: np.ndarray, hidden: str, output: str) -> HiddenSpace:
    A1, _, _ = forward_many(p, np.asarray(X, dtype=np.float64), hidden, output)
    return HiddenSpace(
        points=A1,
        targets=np.asarray(Y, dtype=np.float64),
        w=(float(p.W2[0, 0]), float(p.W2[1, 0])),
        b=float(p.b2[0]),
        level=inverse(output),
    )


__all__ = [
    "HiddenSpace",
    "MARGIN",
    "MAX_POINTS",
    "MAX_ZOOM",
    "ZOOM_STEP",
    "zoom",
    "Prediction",
    "Surface",
    "THRESHOLD",
    "crossings",
    "forward_many",
    "grid",
    "hidden_space",
    "inverse",
    "labels",
    "predictions",
    "right",
    "span",
    "surface",
    "Tally",
    "tally",
    "LastTally",
]
