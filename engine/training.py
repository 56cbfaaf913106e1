"""Epochs of per-sample gradient descent (§2.9 steps 3–10) and the epoch-loss history.

History (DESIGN §6): losses[0] = L before training, losses[k] = L with the parameters at the end of
epoch k, L = (1/m) Σ ½(ŷ − y)². Samples are visited in data order.

Two implementations, one result:
- `plain_epochs` calls `network.sample_step`, the code that reads like the notes;
- `fast_epochs` is the same arithmetic written out on Python floats for the 2–2–1 shape, with the
  activations inlined. NumPy's per-call overhead (~1 µs) dominates arrays of two numbers, so scalar
  code is ~20× faster here.
  tests/test_training.py pins it to `plain_epochs`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.model import INIT_SCALE, Model, random_params
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
#
# One loop, written once below as a template, with f, f', g, g' written inline for the chosen
# activation pair: a Python function call costs about as much as the arithmetic of a whole unit,
# so inlining them makes the loop ~25% faster than calling them (benchmarks/bench_train.py).
# The arithmetic and its order are those of `plain_epochs`; tests/test_training.py pins the two
# for every activation pair.

# f(z) → a as an assignment, and f'(z) in terms of (z, a = f(z)), as the notes do for the sigmoid:
# σ' = a(1 − a). The sigmoid uses e^(−|z|) so it never overflows (as activations.sigmoid).
_INLINE = {
    "sigmoid": ("{a} = 1.0 / (1.0 + exp(-{z})) if {z} >= 0.0 else (e := exp({z})) / (1.0 + e)",
                "({a} * (1.0 - {a}))"),
    "tanh": ("{a} = tanh({z})", "(1.0 - {a} * {a})"),
    "relu": ("{a} = {z} if {z} > 0.0 else 0.0", "(1.0 if {z} > 0.0 else 0.0)"),
    "linear": ("{a} = {z}", "1.0"),
}

# One sample's forward pass and its backward pass with the update, as in `plain_epochs`.
_FORWARD = """\
z1 = w11 * x1 + w21 * x2 + b1
z2 = w12 * x1 + w22 * x2 + b2
{f_a1}
{f_a2}
zo = v1 * a1 + v2 * a2 + c
{g_yh}"""

_BACKWARD_UPDATE = """\
d = (yh - y) * {gd}                 # δ^(2) = (ŷ − y) g'(z^(2))
d1 = v1 * d * {fd1}                 # δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1))
d2 = v2 * d * {fd2}
w11 -= lr * (x1 * d1)               # W ← W − η ∂L/∂W, ∂L/∂w_ij^(1) = x_i δ_j^(1)
w21 -= lr * (x2 * d1)
w12 -= lr * (x1 * d2)
w22 -= lr * (x2 * d2)
b1 -= lr * d1
b2 -= lr * d2
v1 -= lr * (a1 * d)                 # ∂L/∂w_i1^(2) = a_i^(1) δ^(2)
v2 -= lr * (a2 * d)
c -= lr * d"""

# The loss pass of an epoch ends on the first sample, with the parameters the next epoch starts
# from: that forward pass is also the next epoch's first one, so it is not done twice.
_LOOP = """
def epochs_loop(w11, w12, w21, w22, b1, b2, v1, v2, c, data, lr, inv_m, epochs):
    first, rest = data[0], data[1:]
    x1, x2, y = first
{forward_4}
    losses = []
    for k in range(1, epochs + 1):
        before = (w11, w12, w21, w22, b1, b2, v1, v2, c)
        x1, x2, y = first
{step_8}
        for x1, x2, y in rest:
{forward_12}
{step_12}
        total = 0.0
        for x1, x2, y in rest:
{forward_12}
            e = yh - y
            total += 0.5 * (e * e)
        x1, x2, y = first
{forward_8}
        e = yh - y
        total += 0.5 * (e * e)
        loss = total * inv_m
        if not isfinite(loss):
            return losses, before, k
        losses.append(loss)
    return losses, (w11, w12, w21, w22, b1, b2, v1, v2, c), None
"""

_LOOPS: dict = {}


def _epochs_loop(hidden: str, output: str):
    """The loop of _LOOP with f = hidden and g = output written in (compiled once per pair)."""
    key = (hidden, output)
    if key not in _LOOPS:
        (f, fd), (g, gd) = _INLINE[hidden], _INLINE[output]
        forward = _FORWARD.format(f_a1=f.format(a="a1", z="z1"), f_a2=f.format(a="a2", z="z2"),
                                  g_yh=g.format(a="yh", z="zo"))
        step = _BACKWARD_UPDATE.format(gd=gd.format(a="yh", z="zo"), fd1=fd.format(a="a1", z="z1"),
                                       fd2=fd.format(a="a2", z="z2"))

        def indent(block: str, n: int) -> str:
            return "\n".join(" " * n + line for line in block.splitlines())

        src = _LOOP.format(forward_4=indent(forward, 4), forward_8=indent(forward, 8),
                           forward_12=indent(forward, 12), step_8=indent(step, 8), step_12=indent(step, 12))
        namespace = {"exp": math.exp, "tanh": math.tanh, "isfinite": math.isfinite}
        exec(compile(src, f"<fast_epochs {hidden}/{output}>", "exec"), namespace)
        _LOOPS[key] = namespace["epochs_loop"]
    return _LOOPS[key]


def fast_epochs(params: Params, model: Model, epochs: int) -> TrainResult:
    """Same as `plain_epochs`, on Python floats: w_ij is W1[i-1][j-1], v_i is W2[i-1][0], c is b^(2)."""
    loop = _epochs_loop(model.hidden, model.output)
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    losses, last, diverged_at = loop(w11, w12, w21, w22, b1, b2, v1, v2, c, data, model.lr, 1.0 / len(data), epochs)
    w11, w12, w21, w22, b1, b2, v1, v2, c = last
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


# --- many networks at once: the sweep (does a 2–2–1 net always learn XOR?) -----------------
#
# N networks that differ only in their starting point are trained side by side: every parameter of
# the notes becomes a row of N numbers, one per network, and each line of §2.9 runs once for all of
# them. The per-sample arithmetic is the one of `fast_epochs`, so network n of a sweep follows
# `train` on random_params(seed + n) to rounding (tests/test_sweep.py pins it to 1e-9).
#
# Layout: the bias is the weight of a constant input 1 (x̃ = (x1, x2, 1)), so
#   W̃1 = [W^(1); b^(1)ᵀ] has shape (3, 2, N): W̃1[i-1, j-1, n] = w_ij^(1) of network n (rows = inputs),
#   W̃2 = [W^(2); b^(2)]  has shape (3, N):    W̃2[i-1, n] = w_i1^(2), W̃2[2, n] = b^(2).
#
# Speed (benchmarks/bench_sweep.py): for N ≈ 1000 a NumPy call costs about as much as its arithmetic,
# so the loop calls ufuncs with preallocated outputs and avoids what makes a call slower: Python
# floats as operands (converted on every call; the constants are 0-d arrays), broadcasting an (N,)
# row against a (2, N) block (about 2.5× a plain call; rows are taken one by one instead) and
# slicing inside the loop. e^x is the costly arithmetic; np.exp2 is ~1.7× faster than np.exp here.

CONVERGED_LOSS = 0.01  # a network has learnt the task when its final data-set loss L is below this
SWEEP_REPORT_EVERY = 100  # epochs between progress calls when no loss_every is asked for


def _const(value: float) -> np.ndarray:
    arr = np.array(value, dtype=np.float64)
    arr.flags.writeable = False
    return arr


_ONE = _const(1.0)
_ZERO = _const(0.0)
_TWO = _const(2.0)
_MINUS_LOG2_E = _const(-1.4426950408889634)  # e^(−z) = 2^(−z·log₂e)
_TWO_LOG2_E = _const(2.8853900817779268)  # e^(2z) = 2^(2z·log₂e)


def _sigmoid_into(z: np.ndarray, out: np.ndarray) -> None:
    """σ(z) = 1/(1 + e^(−z)). For z < −709, e^(−z) overflows to inf and σ is 0, its exact limit."""
    np.multiply(z, _MINUS_LOG2_E, out)
    np.exp2(out, out)
    np.add(out, _ONE, out)
    np.divide(_ONE, out, out)


def _tanh_into(z: np.ndarray, out: np.ndarray) -> None:
    """tanh z = 1 − 2/(1 + e^(2z)), through np.exp2: ~2.5× faster than np.tanh here, and within
    4e-16 of it (absolute); e^(2z) = inf gives 1 and e^(2z) = 0 gives −1, the exact limits."""
    np.multiply(z, _TWO_LOG2_E, out)
    np.exp2(out, out)
    np.add(out, _ONE, out)
    np.divide(_TWO, out, out)
    np.subtract(_ONE, out, out)


def _relu_into(z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(z, _ZERO, out=out)  # out by keyword: NumPy 2.4 deprecates it positional here


def _linear_into(z: np.ndarray, out: np.ndarray) -> None:
    np.copyto(out, z)


# f'(z) from a = f(z), as the notes write σ' = σ(1 − σ); for ReLU, a > 0 exactly when z > 0.
def _sigmoid_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    np.subtract(_ONE, a, out)
    np.multiply(out, a, out)


def _tanh_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, a, out)
    np.subtract(_ONE, out, out)


def _relu_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    np.greater(a, _ZERO, out)


def _linear_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    out.fill(1.0)


_VECTOR = {
    "sigmoid": (_sigmoid_into, _sigmoid_prime_into),
    "tanh": (_tanh_into, _tanh_prime_into),
    "relu": (_relu_into, _relu_prime_into),
    "linear": (_linear_into, _linear_prime_into),
}


@dataclass(frozen=True)
class SweepRun:
    """One hidden activation of a sweep: column n of every array is network n (seed = seeds[n]).

    Arrays are read-only. `losses[k]` is the data-set loss of every network at epoch
    `loss_epochs[k]` (empty unless the sweep was asked for loss_every).
    """

    hidden: str
    final_loss: np.ndarray  # (N,) L after the last epoch; NaN or inf for a network that diverged
    W1: np.ndarray  # (N, 2, 2), rows = inputs, as Params.W1
    b1: np.ndarray  # (N, 2)
    W2: np.ndarray  # (N, 2, 1)
    b2: np.ndarray  # (N, 1)
    loss_epochs: np.ndarray  # (K,) epochs at which `losses` were taken, 0 = before training
    losses: np.ndarray  # (K, N)
    threshold: float = CONVERGED_LOSS

    @property
    def diverged(self) -> np.ndarray:
        """(N,) bool: the final loss or a final parameter is not finite."""
        finite = np.isfinite(self.final_loss)
        for arr in (self.W1, self.b1, self.W2, self.b2):
            finite &= np.isfinite(arr.reshape(arr.shape[0], -1)).all(axis=1)
        return ~finite

    @property
    def converged(self) -> np.ndarray:
        """(N,) bool: final loss < threshold (and not diverged)."""
        with np.errstate(invalid="ignore"):
            return (self.final_loss < self.threshold) & ~self.diverged

    @property
    def n_converged(self) -> int:
        return int(self.converged.sum())

    @property
    def n_diverged(self) -> int:
        return int(self.diverged.sum())

    @property
    def converged_at(self) -> np.ndarray:
        """(N,) int: first recorded epoch with loss < threshold, −1 if none (resolution: loss_every)."""
        if self.losses.shape[0] == 0:
            return np.full(self.final_loss.shape, -1, dtype=np.int64)
        with np.errstate(invalid="ignore"):
            below = self.losses < self.threshold
        return np.where(below.any(axis=0), self.loss_epochs[below.argmax(axis=0)], -1)

    def params(self, n: int) -> Params:
        """The final parameters of network n, as a single-network Params."""
        return Params(W1=self.W1[n], b1=self.b1[n], W2=self.W2[n], b2=self.b2[n])


@dataclass(frozen=True)
class SweepResult:
    """A sweep: the same N starting points (random_params(seeds[n])) trained once per hidden activation."""

    model: str  # the model's name (preset)
    output: str  # output activation
    lr: float
    epochs: int
    seeds: np.ndarray  # (N,) seeds[n] = seed + n
    threshold: float
    runs: tuple[SweepRun, ...]  # one per hidden activation, in the order asked for

    @property
    def nets(self) -> int:
        return int(self.seeds.shape[0])

    def run(self, hidden: str) -> SweepRun:
        for r in self.runs:
            if r.hidden == hidden:
                return r
        raise KeyError(hidden)


def _readonly(arr, dtype=np.float64) -> np.ndarray:
    arr = np.ascontiguousarray(arr, dtype=dtype)
    arr.flags.writeable = False
    return arr


def _sweep_losses(W1t: np.ndarray, W2t: np.ndarray, data, hidden: str, output: str) -> np.ndarray:
    """L = (1/m) Σ ½(ŷ − y)² for every network at once (§2.1)."""
    f, g = _VECTOR[hidden][0], _VECTOR[output][0]
    n = W2t.shape[1]
    a1 = np.empty((2, n))
    yhat = np.empty(n)
    total = np.zeros(n)
    for x1, x2, y in data:
        f(W1t[0] * x1 + W1t[1] * x2 + W1t[2], a1)
        g(W2t[0] * a1[0] + W2t[1] * a1[1] + W2t[2], yhat)
        e = yhat - y
        total += 0.5 * (e * e)
    return total * (1.0 / len(data))


def _sweep_epochs(W1t: np.ndarray, W2t: np.ndarray, data, lr: float, hidden: str, output: str,
                  epochs: int, loss_every: int, progress) -> tuple[list[int], list[np.ndarray]]:
    """Train the N networks of W̃1 (3, 2, N) and W̃2 (3, N) in place: per-sample SGD in data order.

    z_j^(1) = Σ_i x_i w_ij^(1) + b_j^(1) and ∂L/∂w_ij^(1) = x_i δ_j^(1): an input x_i = 0 adds
    nothing and leaves its weights as they are, and x_i = 1 needs no product, so each sample keeps
    only its non-zero inputs (a truth table has 0 to 2). Sums keep the order of `fast_epochs`.
    """
    f, f_prime = _VECTOR[hidden]
    g, g_prime = _VECTOR[output]
    same = hidden == output
    mul, sub, add = np.multiply, np.subtract, np.add
    n = W2t.shape[1]
    eta = _const(lr)
    # views, taken once: w_i·^(1) (row i of W^(1), 2 × N), b^(1), w_11^(2), w_21^(2), b^(2)
    W1_rows, b1 = (W1t[0], W1t[1]), W1t[2]
    W2, (w1_2, w2_2, b2) = W2t[0:2], W2t
    z1, eta_delta1, step2 = (np.empty((2, n)) for _ in range(3))
    z2, delta2, eta_delta2 = (np.empty(n) for _ in range(3))
    # a^(1) and ŷ share one block, and so do f'(z^(1)) and g'(z^(2)): with f = g one call does both
    a1_yhat, fprimes = np.empty((3, n)), np.empty((3, n))
    a1, yhat, fprime1, fprime2 = a1_yhat[0:2], a1_yhat[2], fprimes[0:2], fprimes[2]
    (a1_1, a1_2), (eta_delta1_1, eta_delta1_2), (step2_1, step2_2) = a1, eta_delta1, step2
    x_terms = (np.empty((2, n)), np.empty((2, n)))  # x_i w_i·^(1) when x_i is neither 0 nor 1
    samples = []
    for x1, x2, y in data:
        inputs = [(i, _const(xi), xi == 1.0) for i, xi in enumerate((x1, x2)) if xi != 0.0]
        samples.append((inputs, _const(y)))
    loss_epochs, losses = [], []
    if loss_every:
        loss_epochs.append(0)
        losses.append(_sweep_losses(W1t, W2t, data, hidden, output))
    report = loss_every or SWEEP_REPORT_EVERY
    for k in range(1, epochs + 1):
        for inputs, y in samples:
            # (1) forward, §2.3: z^(1) = W^(1)ᵀ x + b^(1) = Σ_i x_i w_i·^(1) + b^(1),  a^(1) = f(z^(1))
            terms = [W1_rows[i] if one else mul(W1_rows[i], xi, x_terms[i]) for i, xi, one in inputs]
            if len(terms) == 2:
                add(terms[0], terms[1], z1)
                add(z1, b1, z1)
            elif terms:
                add(terms[0], b1, z1)
            f(z1 if terms else b1, a1)
            # z^(2) = W^(2)ᵀ a^(1) + b^(2) = w_11^(2) a_1^(1) + w_21^(2) a_2^(1) + b^(2),  ŷ = g(z^(2))
            mul(W2, a1, step2)
            add(step2_1, step2_2, z2)
            add(z2, b2, z2)
            g(z2, yhat)
            # (2) backward, §2.5: δ^(2) = (ŷ − y) g'(z^(2))
            if same:
                f_prime(a1_yhat, fprimes)
            else:
                f_prime(a1, fprime1)
                g_prime(yhat, fprime2)
            sub(yhat, y, delta2)
            mul(delta2, fprime2, delta2)
            # §2.6: δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1)), with W^(2) before its update; the update
            # needs only η δ, so η δ^(1) = (W^(2) η δ^(2)) ⊙ f'(z^(1)) is formed directly.
            mul(delta2, eta, eta_delta2)
            mul(w1_2, eta_delta2, eta_delta1_1)
            mul(w2_2, eta_delta2, eta_delta1_2)
            mul(eta_delta1, fprime1, eta_delta1)
            # (3)+(4) §2.9 step 8: W^(2) ← W^(2) − η a^(1) δ^(2),  b^(2) ← b^(2) − η δ^(2)
            mul(a1_1, eta_delta2, step2_1)
            mul(a1_2, eta_delta2, step2_2)
            sub(W2, step2, W2)
            sub(b2, eta_delta2, b2)
            # w_i·^(1) ← w_i·^(1) − η x_i δ^(1),  b^(1) ← b^(1) − η δ^(1)
            for i, xi, one in inputs:
                sub(W1_rows[i], eta_delta1 if one else mul(eta_delta1, xi, x_terms[i]), W1_rows[i])
            sub(b1, eta_delta1, b1)
        if loss_every and (k % loss_every == 0 or k == epochs):
            loss_epochs.append(k)
            losses.append(_sweep_losses(W1t, W2t, data, hidden, output))
        if progress is not None and (k % report == 0 or k == epochs):
            progress(hidden, k)
    return loss_epochs, losses


def sweep(model: Model, nets: int, epochs: int, seed: int | None = None,
          hidden: tuple[str, ...] | list[str] | None = None, *, scale: float | None = None,
          threshold: float = CONVERGED_LOSS, loss_every: int = 0, progress=None) -> SweepResult:
    """Train `nets` independently initialised copies of `model` at once, vectorised across networks.

    The notes' §2.9 algorithm (per-sample gradient descent, samples in data order, `model.lr`,
    `model.output` activation) run for `epochs` epochs on each of N = `nets` networks, where
    network n starts from random_params(seed + n) (seed defaults to model.seed, so with a
    truth-table preset network 0 is the preset's own network). The same N starting points are
    trained once for every activation in `hidden` (default: model.hidden alone), so the split by
    hidden activation compares like with like. The model's own params are not used.

    A network has converged when its final data-set loss is below `threshold` (default
    CONVERGED_LOSS = 0.01). A network whose loss or parameters become non-finite has diverged: it
    is counted as such (SweepRun.diverged), never raises, and no NumPy warning is emitted.

    loss_every = k > 0 also records every network's data-set loss before training and every k
    epochs (and at the last epoch), for a chart; it costs about one extra forward pass per record.
    progress(hidden, epoch), if given, is called every `loss_every` (else 100) epochs; raise from
    it to abandon the sweep.
    """
    if nets < 1:
        raise ValueError(f"nets must be at least 1, got {nets}")
    if epochs < 0:
        raise ValueError(f"epochs must be ≥ 0, got {epochs}")
    if loss_every < 0:
        raise ValueError(f"loss_every must be ≥ 0, got {loss_every}")
    hidden = (model.hidden,) if hidden is None else tuple(hidden)
    for h in hidden:
        if h not in activations.HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown hidden activation {h!r}; expected one of "
                             f"{', '.join(activations.HIDDEN_ACTIVATIONS)}")
    if len(set(hidden)) != len(hidden) or not hidden:
        raise ValueError(f"hidden activations must be distinct and at least one, got {hidden}")
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    seed = model.seed if seed is None else int(seed)
    scale = INIT_SCALE if scale is None else scale
    seeds = np.arange(seed, seed + nets, dtype=np.int64)
    starts = [random_params(int(s), scale) for s in seeds]
    W1t_start = np.empty((3, 2, nets))
    W1t_start[0:2] = np.stack([p.W1 for p in starts], axis=-1)
    W1t_start[2] = np.stack([p.b1 for p in starts], axis=-1)
    W2t_start = np.empty((3, nets))
    W2t_start[0:2] = np.stack([p.W2[:, 0] for p in starts], axis=-1)
    W2t_start[2] = [p.b2[0] for p in starts]
    runs = []
    for h in hidden:
        W1t, W2t = W1t_start.copy(), W2t_start.copy()
        with np.errstate(all="ignore"):
            loss_epochs, losses = _sweep_epochs(W1t, W2t, data, model.lr, h, model.output, epochs,
                                                loss_every, progress)
            final = _sweep_losses(W1t, W2t, data, h, model.output)
        runs.append(SweepRun(
            hidden=h,
            final_loss=_readonly(final),
            W1=_readonly(np.moveaxis(W1t[0:2], -1, 0)),
            b1=_readonly(W1t[2].T),
            W2=_readonly(W2t[0:2].T[:, :, None]),
            b2=_readonly(W2t[2][:, None]),
            loss_epochs=_readonly(np.array(loss_epochs), dtype=np.int64),
            losses=_readonly(np.array(losses).reshape(len(losses), nets)),
            threshold=threshold,
        ))
    seeds.flags.writeable = False
    return SweepResult(model=model.name, output=model.output, lr=model.lr, epochs=epochs, seeds=seeds,
                       threshold=threshold, runs=tuple(runs))
