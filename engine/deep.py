"""A chain of k hidden layers of two units and the one output unit: why gradients vanish through
successive sigmoids (exercise 6(c)).

The network is the notes' 2–2–1 network with more hidden layers, in the same layout (DESIGN §1,
engine.network): L = k + 1 layers, a⁽⁰⁾ = x, and for l = 1 … L

    z⁽ˡ⁾ = W⁽ˡ⁾ᵀ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,    a⁽ˡ⁾ = f(z⁽ˡ⁾),    ŷ = a⁽ᴸ⁾,    Lᵢ = ½(ŷ − y)²

where W⁽ˡ⁾ has rows = inputs (w_ij⁽ˡ⁾ joins unit i of layer l−1 to unit j of layer l, as W⁽¹⁾ is
printed), f is the hidden activation for l ≤ k and the output activation for l = L. Backward:

    δ⁽ᴸ⁾ = (ŷ − y) f'(z⁽ᴸ⁾),    δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾) ⊙ f'(z⁽ˡ⁾),
    ∂L/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ δ⁽ˡ⁾ᵀ,    ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾.

How the chain's weights are chosen (`chain`): layer 1 is the model's first layer (W⁽¹⁾, b⁽¹⁾) and
layer L is the model's output layer (W⁽²⁾, b⁽²⁾ of the 2–2–1 network), so k = 1 is exactly the
notes' network (tests/engine/test_deep.py pins it to engine.network bit for bit). Each hidden layer
l = 2 … k in between is a rotation of the plane by a random angle θ_l, uniform in [0, 2π) from
numpy.random.default_rng(seed), drawn in order l = 2, 3, …:

    W⁽ˡ⁾ = [[cos θ_l, −sin θ_l], [sin θ_l, cos θ_l]],    b⁽ˡ⁾ = b⁽¹⁾.

A rotation has scale 1: ‖W⁽ˡ⁾ δ‖ = ‖δ‖ for every δ. So from one hidden layer to the next the
error's length changes by the activation's f' alone, between the smallest and the largest f'(z_j⁽ˡ⁾)
of the layer, and with σ' ≤ 0.25 (§1.6) it falls at least fourfold per sigmoid layer: the
vanishing gradient, with nothing of the weights mixed in. The same seed gives the same angles for
every activation and every k (layer l's angle does not depend on k), so switching sigmoid → tanh →
ReLU changes the activation alone. Every hidden layer gets the first layer's bias (a ReLU unit with
z ≤ 0 passes no gradient: f' = 0 cuts the chain, which two-unit ReLU layers show often).

The bound (`bounds`): from δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾) ⊙ f'(z⁽ˡ⁾),
‖δ⁽ˡ⁾‖ ≤ max_j f'(z_j⁽ˡ⁾) · ‖W⁽ˡ⁺¹⁾‖₂ · ‖δ⁽ˡ⁺¹⁾‖ (‖·‖₂ the spectral norm), hence

    ‖δ⁽ˡ⁾‖ ≤ |δ⁽ᴸ⁾| · Π⁽ˡ⁾ · ∏_{m=l+1}^{L} ‖W⁽ᵐ⁾‖₂,    Π⁽ˡ⁾ = ∏_{m=l}^{k} max_j f'(z_j⁽ᵐ⁾),

and for sigmoid hidden layers Π⁽ˡ⁾ ≤ 0.25ⁿ with n = k − l + 1, the number of hidden layers the
error has passed through on its way from the output down to layer l.

Pure NumPy; nothing here knows about the screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.activations import Activation
from engine.network import Params, frozen_array, tdot

MAX_LAYERS = 12  # k = 1 … 12 hidden layers
DEFAULT_LAYERS = 6  # what `backprop-tui depth` and the d screen start with
SIGMOID_BOUND = 0.25  # σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4, reached at z = 0 (§1.6)


@dataclass(frozen=True)
class Chain:
    """The weights W⁽ˡ⁾ (rows = inputs) and biases b⁽ˡ⁾ of layers l = 1 … L (index l − 1), read-only."""

    W: tuple[np.ndarray, ...]
    b: tuple[np.ndarray, ...]

    @property
    def k(self) -> int:
        """Hidden layers."""
        return len(self.W) - 1

    @property
    def L(self) -> int:
        """Layers with weights: k hidden and the output."""
        return len(self.W)


def rotation(theta: float) -> np.ndarray:
    """[[cos θ, −sin θ], [sin θ, cos θ]]: a 2×2 weight matrix of scale 1 (‖W δ‖ = ‖δ‖)."""
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def angles(k: int, seed: int) -> np.ndarray:
    """θ_2 … θ_k, uniform in [0, 2π) from `seed`; the first k − 1 of them for any larger k too."""
    return np.random.default_rng(seed).uniform(0.0, 2.0 * math.pi, MAX_LAYERS)[: max(k - 1, 0)]


def chain(first: Params, k: int, seed: int) -> Chain:
    """The model's layer 1, k − 1 rotations (the module's docstring), the model's output layer."""
    if not 1 <= k <= MAX_LAYERS:
        raise ValueError(f"k must be a whole number from 1 to {MAX_LAYERS}, got {k}")
    W = [first.W1] + [frozen_array(rotation(theta)) for theta in angles(k, seed)] + [first.W2]
    b = [first.b1] * k + [first.b2]
    return Chain(tuple(W), tuple(b))


@dataclass(frozen=True)
class DeepPass:
    """Every value of one sample through the chain, per layer l = 1 … L (index l − 1)."""

    z: tuple[np.ndarray, ...]  # z⁽ˡ⁾
    a: tuple[np.ndarray, ...]  # a⁽ˡ⁾ (a⁽ᴸ⁾ = ŷ)
    fprime: tuple[np.ndarray, ...]  # f'(z⁽ˡ⁾)
    delta: tuple[np.ndarray, ...]  # δ⁽ˡ⁾
    dW: tuple[np.ndarray, ...]  # ∂L/∂W⁽ˡ⁾, in the layout of W⁽ˡ⁾
    db: tuple[np.ndarray, ...]  # ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾
    yhat: float
    loss: float


def forward(c: Chain, x, hidden: Activation, output: Activation) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """z⁽ˡ⁾ = W⁽ˡ⁾ᵀ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = f(z⁽ˡ⁾) for l = 1 … L, from a⁽⁰⁾ = x: returns ([z⁽ˡ⁾], [a⁽ˡ⁾])."""
    a = np.asarray(x, dtype=np.float64)
    zs, as_ = [], []
    for l in range(c.L):
        f = output if l == c.L - 1 else hidden
        z = tdot(c.W[l], a) + c.b[l]
        a = f.f(z)
        zs.append(z)
        as_.append(a)
    return zs, as_


def loss(c: Chain, x, y: float, hidden: Activation, output: Activation) -> float:
    """Lᵢ = ½(ŷ − y)² (§2.1)."""
    _, as_ = forward(c, x, hidden, output)
    return float(0.5 * (as_[-1][0] - y) ** 2)


def backward(c: Chain, x, y: float, hidden: Activation, output: Activation) -> DeepPass:
    """Forward, then δ⁽ᴸ⁾ = (ŷ − y) f'(z⁽ᴸ⁾), δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾) ⊙ f'(z⁽ˡ⁾) from l = L − 1 down
    to 1, and ∂L/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ δ⁽ˡ⁾ᵀ, ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾ (the same operations, in the same order, as
    engine.network.backward_output and backward_hidden)."""
    x = np.asarray(x, dtype=np.float64)
    zs, as_ = forward(c, x, hidden, output)
    L = c.L
    fps: list[np.ndarray] = [np.empty(0)] * L
    deltas: list[np.ndarray] = [np.empty(0)] * L
    fps[L - 1] = output.d(zs[L - 1])
    deltas[L - 1] = (as_[L - 1] - y) * fps[L - 1]
    for l in range(L - 2, -1, -1):
        da = tdot(c.W[l + 1].T, deltas[l + 1])  # W⁽ˡ⁺¹⁾δ⁽ˡ⁺¹⁾, ∂L/∂a⁽ˡ⁾: §2.6's local error of the units of layer l
        fps[l] = hidden.d(zs[l])
        deltas[l] = da * fps[l]
    inputs = [x] + as_[:-1]
    dW = tuple(np.outer(inputs[l], deltas[l]) for l in range(L))
    yhat = float(as_[-1][0])
    return DeepPass(
        tuple(zs), tuple(as_), tuple(fps), tuple(deltas), dW, tuple(deltas), yhat, float(0.5 * (as_[-1][0] - y) ** 2)
    )


def delta_norms(p: DeepPass) -> list[float]:
    """|δ⁽ˡ⁾| = ‖δ⁽ˡ⁾‖ (Euclidean length; for the output unit |δ⁽ᴸ⁾|), l = 1 … L."""
    return [math.hypot(*d.tolist()) for d in p.delta]  # not np.linalg.norm: BLAS, CPU-dependent bits


def fprime_products(p: DeepPass) -> list[float]:
    """Π⁽ˡ⁾ = ∏_{m=l}^{k} max_j f'(z_j⁽ᵐ⁾): the hidden layers' largest f', multiplied from layer k down
    to l (1 for the output layer: no hidden layer passed yet), l = 1 … L."""
    out = [1.0]
    for fp in reversed(p.fprime[:-1]):
        out.append(out[-1] * float(np.max(fp)))
    return out[::-1]


def dead_units(p: DeepPass) -> list[tuple[int, ...]]:
    """The units (1-based) of each layer l = 1 … L whose f'(zⱼ⁽ˡ⁾) is 0: they pass no error down
    (δⱼ⁽ˡ⁾ = uⱼ · 0 = 0), whatever comes from above; a ReLU with z ≤ 0, or σ/tanh saturated in double
    precision. Π⁽ˡ⁾ takes each layer's largest f' and so never shows them: these do."""
    return [tuple(j + 1 for j, v in enumerate(np.ravel(fp).tolist()) if v == 0.0) for fp in p.fprime]


def hidden_passed(l: int, k: int) -> int:
    """n = k − l + 1: the hidden layers the error passes from the output down to layer l (0 for l = L)."""
    return max(k - l + 1, 0)


def sigmoid_reference(k: int) -> list[float]:
    """0.25ⁿ for l = 1 … L: the bound on Π⁽ˡ⁾ when the hidden layers are sigmoids."""
    return [SIGMOID_BOUND ** hidden_passed(l, k) for l in range(1, k + 2)]


def weight_norms(c: Chain) -> list[float]:
    """‖W⁽ˡ⁾‖₂ (largest singular value) for l = 1 … L; 1 for the rotations."""
    return [spectral_norm(W) for W in c.W]


def spectral_norm(W: np.ndarray) -> float:
    """‖W‖₂ of a 2×2 or 2×1 matrix in closed form (no LAPACK, so the same bits on every CPU): a column's
    length, or for [[a, b], [c, d]] the larger singular value (‖(a + d, c − b)‖ + ‖(a − d, c + b)‖)/2."""
    if W.shape[1] == 1:
        return math.hypot(*W[:, 0].tolist())
    (a, b), (c, d) = W.tolist()
    return (math.hypot(a + d, c - b) + math.hypot(a - d, c + b)) / 2


def bounds(c: Chain, p: DeepPass, factors: list[float] | None = None) -> list[float]:
    """|δ⁽ᴸ⁾| · F⁽ˡ⁾ · ∏_{m=l+1}^{L} ‖W⁽ᵐ⁾‖₂ for l = 1 … L, with F = Π (the default): a bound on ‖δ⁽ˡ⁾‖
    for every activation; with F = sigmoid_reference(k), what ‖δ⁽ˡ⁾‖ can be at most if the hidden
    layers are sigmoids (the σ' ≤ 0.25 line)."""
    factors = fprime_products(p) if factors is None else factors
    norms = weight_norms(c)
    top = abs(float(p.delta[-1][0]))
    out = []
    for l in range(c.L):
        w = 1.0
        for m in range(l + 1, c.L):
            w *= norms[m]
        out.append(top * factors[l] * w)
    return out


@dataclass(frozen=True)
class Depth:
    """What the depth view and `backprop-tui depth` show: the chain, its pass, and per layer l = 1 … L
    the length |δ⁽ˡ⁾|, Π⁽ˡ⁾, 0.25ⁿ and the σ' ≤ 0.25 line (`bounds` with 0.25ⁿ for Π)."""

    x: np.ndarray
    y: float
    hidden: str
    output: str
    seed: int
    chain: Chain
    run: DeepPass
    norms: list[float]
    products: list[float]
    reference: list[float]
    sigmoid_line: list[float]

    @property
    def k(self) -> int:
        return self.chain.k


def depth(first: Params, x, y: float, hidden: str, output: str, k: int, seed: int) -> Depth:
    """The chain of `chain(first, k, seed)` on the sample (x, y), with every number the view shows."""
    c = chain(first, k, seed)
    x = frozen_array(x, (2,))
    with np.errstate(all="ignore"):  # an overflowing chain is shown as computed (inf, NaN), not warned about
        p = backward(c, x, float(y), activations.get(hidden), activations.get(output))
        reference = sigmoid_reference(k)
        return Depth(
            x,
            float(y),
            hidden,
            output,
            seed,
            c,
            p,
            delta_norms(p),
            fprime_products(p),
            reference,
            bounds(c, p, reference),
        )


SATURATING = ("sigmoid", "tanh")  # f' > 0 for every z, yet it computes to 0 where f(z) rounds to its limit


@dataclass(frozen=True)
class ZeroUnit:
    """Why one unit's δⱼ = uⱼ · f'(zⱼ) is 0, u being (W⁽ˡ⁺¹⁾δ⁽ˡ⁺¹⁾)ⱼ (ŷ − y at the output). `reason`:
    no_error   uⱼ = 0: no error reached the unit (ŷ = y at the output);
    relu_off   ReLU with z ≤ 0: f'(z) = 0 by definition (the notes' table);
    step_flat  the step (exercise 6(b)): f'(z) = 0 for every z ≠ 0, and taken as 0 at z = 0, where it
               does not exist;
    saturated  σ or tanh at a z where f(z) rounds to its limit (σ: 0 or 1, tanh: ±1) in double
               precision, so f'(z) = σ(1 − σ) or 1 − tanh² computes to 0, though it is > 0 exactly;
    zero_slope any other activation whose f'(z) is 0 there;
    underflow  uⱼ ≠ 0 and f'(zⱼ) ≠ 0, but their product is below the smallest double and rounds to 0."""

    j: int  # 1-based
    z: float
    f: float  # f(z)
    fprime: float
    upstream: float  # uⱼ
    reason: str


@dataclass(frozen=True)
class Cut:
    """The highest layer whose δ is all 0 (every layer below it gets 0 too), and why, unit by unit."""

    layer: int  # l, 1-based; L is the output layer
    activation: str
    units: tuple[ZeroUnit, ...]


def zero_reason(activation: str, z: float, fprime: float, upstream: float) -> str:
    """ZeroUnit.reason of a unit whose δ = upstream · fprime is 0."""
    if upstream == 0.0:
        return "no_error"
    if fprime == 0.0:
        if activation == "relu":
            return "relu_off"
        if activation == "step":
            return "step_flat"
        return "saturated" if activation in SATURATING else "zero_slope"
    return "underflow"


def cut(d: Depth) -> Cut | None:
    """Where the error stopped on its way down, and why: None when δ⁽¹⁾ is not all 0."""
    p, c = d.run, d.chain
    if not all(v == 0.0 for v in np.ravel(p.delta[0])):
        return None
    for i in range(c.L - 1, -1, -1):
        if np.all(p.delta[i] == 0.0):
            break
    out = i == c.L - 1
    name = d.output if out else d.hidden
    f = activations.get(name)
    up = (np.asarray(p.a[i]) - d.y) if out else c.W[i + 1] @ p.delta[i + 1]  # backward's own operations
    units = tuple(
        ZeroUnit(
            j + 1,
            float(p.z[i][j]),
            float(f.f(p.z[i][j : j + 1])[0]),
            float(p.fprime[i][j]),
            float(up[j]),
            zero_reason(name, float(p.z[i][j]), float(p.fprime[i][j]), float(up[j])),
        )
        for j in range(np.size(p.z[i]))
    )
    return Cut(i + 1, name, units)


WEIGHTS_RULE = (
    "layer 1 and the output layer are the model's; each hidden layer l = 2..k has "
    "W = [[cos t, -sin t], [sin t, cos t]] with t = numpy.random.default_rng(seed).uniform(0, 2*pi, 12)[l-2] "
    "and b = b of layer 1"
)


def as_json(d: Depth) -> dict:
    """Everything needed to recompute the view: every layer's W (rows = inputs, as W1) and b, the input,
    the target, and per layer z, a, f'(z), δ and ∂L/∂W, with |δ|, Π, 0.25ⁿ, the σ line and the dead units
    (f' = 0, 1-based)."""
    p, c = d.run, d.chain
    dead = dead_units(p)
    layers = []
    for l in range(c.L):
        layers.append(
            {
                "l": l + 1,
                "activation": d.output if l == c.L - 1 else d.hidden,
                "W": c.W[l].tolist(),
                "b": c.b[l].tolist(),
                "z": p.z[l].tolist(),
                "a": p.a[l].tolist(),
                "fprime": p.fprime[l].tolist(),
                "delta": p.delta[l].tolist(),
                "dW": p.dW[l].tolist(),
                "delta_norm": d.norms[l],
                "fprime_product": d.products[l],
                "sigmoid_reference": d.reference[l],
                "sigmoid_bound": d.sigmoid_line[l],
                "dead_units": list(dead[l]),
            }
        )
    return {
        "k": c.k,
        "activation": d.hidden,
        "output_activation": d.output,
        "seed": d.seed,
        "weights": WEIGHTS_RULE,
        "x": d.x.tolist(),
        "y": d.y,
        "yhat": p.yhat,
        "loss": p.loss,
        "layers": layers,
    }


__all__ = [
    "Cut",
    "ZeroUnit",
    "cut",
    "zero_reason",
    "SATURATING",
    "Depth",
    "depth",
    "as_json",
    "WEIGHTS_RULE",
    "MAX_LAYERS",
    "SIGMOID_BOUND",
    "Chain",
    "DeepPass",
    "rotation",
    "angles",
    "chain",
    "forward",
    "loss",
    "backward",
    "delta_norms",
    "dead_units",
    "fprime_products",
    "hidden_passed",
    "sigmoid_reference",
    "weight_norms",
    "bounds",
]
