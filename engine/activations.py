"""Activation functions and their derivatives (notes §1.5, table 1; §1.6 for the sigmoid).

Each activation is a pair (f, f') over NumPy arrays. The derivative takes z, not f(z), so
ReLU's f'(0) = 0 follows the notes' table (1 if z > 0, else 0). The step (exercise 6(b)) has
f'(z) = 0 wherever it exists; at z = 0, where it does not, the same convention gives 0.
Kinks (KINKS): the activations whose f' does not exist at z = 0, so that a finite difference there
differs from the value used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[Array], Array]
    d: Callable[[Array], Array]
    formula: str  # f(z) in the notes' notation, for the Explain panel and exports
    derivative: str  # f'(z), written the way the notes write it (§1.6: σ(z)(1 − σ(z)))


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)) (§1.6).

    Computed with e^(−|z|) so it never overflows: at z = −1000 the naive form asks for e^1000.
    For z ≥ 0 this is exactly the textbook expression.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: Array) -> Array:
    """σ'(z) = σ(z)(1 − σ(z)) (§1.6, step 3)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: Array) -> Array:
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_prime(z: Array) -> Array:
    """1 − tanh²(z) (table 1)."""
    t = np.tanh(np.asarray(z, dtype=np.float64))
    return 1.0 - t * t


def relu(z: Array) -> Array:
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def relu_prime(z: Array) -> Array:
    """1 if z > 0, else 0: the notes' table gives 0 at the kink z = 0."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def step(z: Array) -> Array:
    """Heaviside step (exercise 6(b)): 1 for z > 0, else 0 (so f(0) = 0, like ReLU's a = 0 there)."""
    return np.heaviside(np.asarray(z, dtype=np.float64), 0.0)  # NaN stays NaN, as in ReLU's maximum


def step_prime(z: Array) -> Array:
    """0 for every z ≠ 0, the slope of a flat piece. At z = 0 the step jumps, so f'(0) does not exist;
    like ReLU's kink it is taken as 0 (the value of the derivative on both sides)."""
    return np.zeros_like(np.asarray(z, dtype=np.float64))


def linear(z: Array) -> Array:
    return np.asarray(z, dtype=np.float64) * 1.0


def linear_prime(z: Array) -> Array:
    return np.ones_like(np.asarray(z, dtype=np.float64))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, "σ(z) = 1/(1 + e⁻ᶻ)", "σ(z)(1 − σ(z))"),
    "tanh": Activation("tanh", tanh, tanh_prime, "tanh(z)", "1 − tanh²(z)"),
    "relu": Activation("relu", relu, relu_prime, "max(0, z)", "1 if z > 0 else 0"),
    "linear": Activation("linear", linear, linear_prime, "z", "1"),
    "step": Activation("step", step, step_prime, "H(z) = 1 if z > 0 else 0", "0 (z ≠ 0; undefined at z = 0)"),
}

# The values each activation can reach or approach: (low, high, low included, high included). A
# target outside the output activation's range can never be met, so the loss cannot reach 0 (issue 12,
# item 5). The asymptotes count as inside: 0 and 1 are the usual targets of a sigmoid (XOR).
RANGES: dict[str, tuple[float, float, bool, bool]] = {
    "sigmoid": (0.0, 1.0, True, True),
    "tanh": (-1.0, 1.0, True, True),
    "relu": (0.0, float("inf"), True, False),
    "linear": (float("-inf"), float("inf"), False, False),
    "step": (0.0, 1.0, True, True),
}


def outside_range(name: str, values: Array) -> Array:
    """For each value, True where `name` cannot produce it (y = 2 for a sigmoid output)."""
    low, high, low_in, high_in = RANGES[name]
    v = np.asarray(values, dtype=np.float64)
    below = v < low if low_in else v <= low
    above = v > high if high_in else v >= high
    return (below | above) & np.isfinite(v) if np.isfinite(low) or np.isfinite(high) else np.zeros(v.shape, bool)


KINKS = ("relu", "step")  # f'(0) does not exist; the engine uses 0 there (the notes' table for ReLU)


def at_kink(name: str, z: Array) -> Array:
    """True where `name` has no derivative at z (z exactly 0 for ReLU and the step)."""
    z = np.asarray(z, dtype=np.float64)
    return (z == 0.0) if name in KINKS else np.zeros(z.shape, bool)


HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "step")
OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


def get(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}") from None


def next_hidden(name: str) -> str:
    """The hidden activation after `name` in the cycle sigmoid → tanh → relu → step → sigmoid."""
    i = HIDDEN_ACTIVATIONS.index(name) if name in HIDDEN_ACTIVATIONS else -1
    return HIDDEN_ACTIVATIONS[(i + 1) % len(HIDDEN_ACTIVATIONS)]
