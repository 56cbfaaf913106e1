"""The 2–2–1 network of the notes, step by step (§2.3–§2.9).

Layout (DESIGN §1): w_ij^(l) joins unit i of layer l−1 to unit j of layer l and is stored as
W[l][i-1, j-1], so W1 has rows = inputs, exactly as the notes print W^(1). Hence the forward pass
is z = Wᵀa + b (the pseudocode's "W x" read with the matrix as printed), and the gradients come
out in the same layout as their weights: ∂L/∂W^(l) = a^(l−1) δ^(l)ᵀ (§4 prints the transpose).

Every sum of products is `tdot`, written out term by term (docs/NUMERICS.md): no BLAS, so a result is
the same on every CPU and the same for one input as for a batch, to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from engine.activations import Activation

if TYPE_CHECKING:  # for annotations only: numpy.typing costs ~2 ms to import
    from numpy.typing import ArrayLike


def frozen_array(value: ArrayLike, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A float64 copy that nobody can write to (the one-mutable-owner rule, docs/DESIGN.md §11)."""
    arr = np.array(value, dtype=np.float64)
    if shape is not None and arr.shape != shape:
        raise ValueError(f"expected shape {shape}, got {arr.shape}")
    arr.flags.writeable = False
    return arr


# init=False: built from anything array-like (the presets write the notes' nested lists), stored as
# read-only float64 arrays. eq=False: equality by value below (a class with __eq__ and no __hash__ is
# unhashable, as arrays are).
@dataclass(frozen=True, init=False, eq=False)
class Params:
    """W^(1) (2×2, rows = inputs), b^(1) (2), W^(2) (2×1), b^(2) (1); read-only float64."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def __init__(self, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: ArrayLike) -> None:
        for name, value, shape in (("W1", W1, (2, 2)), ("b1", b1, (2,)), ("W2", W2, (2, 1)), ("b2", b2, (1,))):
            object.__setattr__(self, name, frozen_array(value, shape))

    def as_dict(self) -> dict[str, list]:
        return {f.name: getattr(self, f.name).tolist() for f in fields(self)}

    def is_finite(self) -> bool:
        return all(np.isfinite(getattr(self, f.name)).all() for f in fields(self))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Params):
            return NotImplemented
        return all(np.array_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))


@dataclass(frozen=True)
class Grads:
    """∂L_i/∂W^(l) in the layout of W^(l), and ∂L_i/∂b^(l) = δ^(l)."""

    dW1: np.ndarray
    db1: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray


def sample_loss(yhat: np.ndarray, y: float) -> float:
    """L_i = ½(ŷ − y)² (§2.1)."""
    return float(0.5 * (yhat[0] - y) ** 2)


def tdot(W: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Wᵀa: (Wᵀa)_j = w_1j a_1 + w_2j a_2 + … , summed left to right as the notes do by hand (§2.3).
    `a` is one vector, or a batch of them in rows (then each row a ↦ Wᵀa, i.e. the batch times W).

    Not `W.T @ a`: BLAS kernels group and fuse (FMA) that sum differently per CPU and per batch size,
    so its last bit depends on the machine. Here each product and each sum is one IEEE operation,
    rounded once, in a fixed order: the same bits everywhere.
    """
    terms = [a[..., i, None] * W[i] for i in range(W.shape[0])]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


# --- (1) forward pass, one layer at a time (§2.3) -------------------------------------------


def forward_hidden(p: Params, x: np.ndarray, f: Activation) -> tuple[np.ndarray, np.ndarray]:
    """z^(1) = W^(1)ᵀ x + b^(1),  a^(1) = f(z^(1))."""
    z1 = tdot(p.W1, x) + p.b1
    a1 = f.f(z1)
    return z1, a1


def forward_output(p: Params, a1: np.ndarray, f: Activation) -> tuple[np.ndarray, np.ndarray]:
    """z^(2) = W^(2)ᵀ a^(1) + b^(2),  ŷ = a^(2) = f(z^(2))."""
    z2 = tdot(p.W2, a1) + p.b2
    yhat = f.f(z2)
    return z2, yhat


# --- (2)+(3) backward pass and gradients (§2.5–§2.9) ----------------------------------------


def backward_output(a1: np.ndarray, z2: np.ndarray, yhat: np.ndarray, y: float, f: Activation):
    """δ^(2) = (ŷ − y) f'(z^(2)) (§2.5's δ_ŷ);  ∂L/∂W^(2) = a^(1) δ^(2)ᵀ;  ∂L/∂b^(2) = δ^(2)."""
    fprime2 = f.d(z2)
    delta2 = (yhat - y) * fprime2
    dW2 = np.outer(a1, delta2)
    db2 = delta2
    return fprime2, delta2, dW2, db2


def backward_hidden(p: Params, x: np.ndarray, z1: np.ndarray, delta2: np.ndarray, f: Activation):
    """δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1));  ∂L/∂W^(1) = x δ^(1)ᵀ (rows = inputs);  ∂L/∂b^(1) = δ^(1).

    W^(2) δ^(2) is what §2.6 calls the local error δ_a of the hidden units (= ∂L/∂a^(1)).
    """
    da1 = tdot(p.W2.T, delta2)  # W⁽²⁾δ⁽²⁾
    fprime1 = f.d(z1)
    delta1 = da1 * fprime1
    dW1 = np.outer(x, delta1)
    db1 = delta1
    return da1, fprime1, delta1, dW1, db1


# --- (4) update (§1.1, §2.9 step 8) ---------------------------------------------------------


def update(p: Params, g: Grads, lr: float) -> Params:
    """W^(l) ← W^(l) − η ∂L/∂W^(l),  b^(l) ← b^(l) − η ∂L/∂b^(l)."""
    return Params(W1=p.W1 - lr * g.dW1, b1=p.b1 - lr * g.db1, W2=p.W2 - lr * g.dW2, b2=p.b2 - lr * g.db2)


# --- whole passes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pass:
    """Every intermediate value of one sample: what the notes compute by hand."""

    z1: np.ndarray
    a1: np.ndarray
    z2: np.ndarray
    yhat: np.ndarray
    loss: float
    fprime2: np.ndarray
    delta2: np.ndarray
    da1: np.ndarray
    fprime1: np.ndarray
    delta1: np.ndarray
    grads: Grads


def forward(p: Params, x, hidden: Activation, output: Activation):
    """ŷ for one input: returns (z1, a1, z2, yhat)."""
    x = np.asarray(x, dtype=np.float64)
    z1, a1 = forward_hidden(p, x, hidden)
    z2, yhat = forward_output(p, a1, output)
    return z1, a1, z2, yhat


def backward(p: Params, x, y: float, hidden: Activation, output: Activation) -> Pass:
    """Forward then backward on one sample (§2.9 steps 5–7)."""
    x = np.asarray(x, dtype=np.float64)
    z1, a1, z2, yhat = forward(p, x, hidden, output)
    fprime2, delta2, dW2, db2 = backward_output(a1, z2, yhat, y, output)
    da1, fprime1, delta1, dW1, db1 = backward_hidden(p, x, z1, delta2, hidden)
    return Pass(
        z1,
        a1,
        z2,
        yhat,
        sample_loss(yhat, y),
        fprime2,
        delta2,
        da1,
        fprime1,
        delta1,
        Grads(dW1=dW1, db1=db1, dW2=dW2, db2=db2),
    )


def sample_step(p: Params, x, y: float, hidden: Activation, output: Activation, lr: float) -> tuple[Params, Pass]:
    """One sample of per-sample gradient descent (§2.9 steps 5–8)."""
    ps = backward(p, x, y, hidden, output)
    return update(p, ps.grads, lr), ps


def dataset_loss(p: Params, X: np.ndarray, Y: np.ndarray, hidden: Activation, output: Activation) -> float:
    """L = (1/m) Σ L_i (§2.1), all samples at once (rows of X are samples): each ŷ_i to the last bit
    the `forward` of its x_i."""
    A1 = hidden.f(tdot(p.W1, X) + p.b1)
    Yhat = output.f(tdot(p.W2, A1) + p.b2)[:, 0]
    return float(np.mean(0.5 * (Yhat - Y) ** 2))


# --- batch gradient descent: the 1/m of §2.1 -------------------------------------------------


def mean_grads(grads: list[Grads] | tuple[Grads, ...]) -> Grads:
    """∂L/∂θ of L = (1/n) Σ L_i over a batch of n samples: (1/n)(g₁ + g₂ + … + gₙ), the per-sample
    gradients summed in the batch's order, then divided by n (engine.equations writes it so)."""
    if not grads:
        raise ValueError("a batch has at least one sample")
    n = len(grads)

    def mean(name: str) -> np.ndarray:
        total = getattr(grads[0], name)
        for g in grads[1:]:
            total = total + getattr(g, name)
        return total / n

    return Grads(dW1=mean("dW1"), db1=mean("db1"), dW2=mean("dW2"), db2=mean("db2"))


def batch_step(
    p: Params, X: np.ndarray, Y: np.ndarray, hidden: Activation, output: Activation, lr: float
) -> tuple[Params, list[Pass], Grads]:
    """One update of (mini-)batch gradient descent: every sample of the batch (rows of X) through the
    same parameters `p`, then θ ← θ − η·(1/n)Σ ∂L_i/∂θ. Returns the new parameters, each sample's Pass
    and the mean gradient."""
    passes = [backward(p, x, float(y), hidden, output) for x, y in zip(X, Y)]
    mean = mean_grads([ps.grads for ps in passes])
    return update(p, mean, lr), passes, mean
