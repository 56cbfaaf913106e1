"""Epochs of per-sample gradient descent (§2.9 steps 3–10), of batch and mini-batch gradient descent
(§2.1's L = (1/m) Σ Lᵢ: one update per batch with the mean of its per-sample gradients), and the
epoch-loss history.

Batches (`batches`): the samples in data order cut into runs of N, [0, N), [N, 2N), …; when N does
not divide m the last batch is shorter and averages over its own size. N ≥ m is the full batch
(one update per epoch); N = 1 is per-sample descent, number for number. The epoch loss L_k is the
same data-set loss in every mode.

History (DESIGN §6): losses[0] = L before training, losses[k] = L with the parameters at the end of
epoch k, L = (1/m) Σ ½(ŷ − y)². Samples are visited in data order.

Two implementations, one result:
- `plain_epochs` calls `network.sample_step`, the code that reads like the notes;
- `fast_epochs` is the same arithmetic, in the same order, written out on Python floats for the
  2–2–1 shape: NumPy's per-call overhead (~1 µs) dominates arrays of two numbers, so scalar code is
  ~50× faster here (benchmarks/bench_kernels.py). tests/engine/test_training.py pins it to
  `plain_epochs` for every activation pair and preset.

Many networks at once (the sweep) are in engine/sweep.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.model import Model
from engine.network import Params, batch_step, dataset_loss, sample_step


def diverged(loss: float) -> bool:
    """The one test of divergence (DESIGN §6, docs/CLI.md): a run diverges at the first epoch k whose data-set
    loss L_k, with the parameters at the end of epoch k, is not finite (k = 0: L0, before training).
    `train`, `trace`, the app's steps, e and p all ask it of that L: a sample's Lᵢ or a parameter that
    overflows in the middle of an epoch shows in the epoch's L."""
    return not math.isfinite(loss)


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
    losses: list[float] = []
    with np.errstate(all="ignore"):
        for k in range(1, epochs + 1):
            new = params
            for x, y in zip(model.X, model.Y):
                new, _ = sample_step(new, x, float(y), f, g, model.lr)
            loss = dataset_loss(new, model.X, model.Y, f, g)
            if diverged(loss):
                return TrainResult(np.array(losses), params, diverged_at=k)
            params = new
            losses.append(loss)
    return TrainResult(np.array(losses), params)


# --- fast path: the same loop on Python floats ----------------------------------------------
#
# The activations of engine.activations on one float: f(z), and f'(z) from z and a = f(z), as the
# notes write σ' = σ(1 − σ). The sigmoid takes e^(−|z|), so it never overflows (as
# activations.sigmoid). tests/engine/test_training.py pins each to engine.activations.
# Until issue 10 this loop was generated per activation pair (exec) with f and f' written inline:
# it bought ~1.2× over this one, too little for a code generator (benchmarks/bench_kernels.py).


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else (e := math.exp(z)) / (1.0 + e)


def _sigmoid_prime(z: float, a: float) -> float:
    return a * (1.0 - a)


def _tanh_prime(z: float, a: float) -> float:
    return 1.0 - a * a


def _relu(z: float) -> float:
    return z if z > 0.0 else 0.0


def _relu_prime(z: float, a: float) -> float:
    return 1.0 if z > 0.0 else 0.0


def _step(z: float) -> float:
    return 1.0 if z > 0.0 else 0.0


def _step_prime(z: float, a: float) -> float:
    return 0.0  # f'(z) = 0 for z ≠ 0; at z = 0 it does not exist, taken as 0 (activations.step_prime)


def _linear(z: float) -> float:
    return z


def _linear_prime(z: float, a: float) -> float:
    return 1.0


SCALAR: dict[str, tuple[Callable[[float], float], Callable[[float, float], float]]] = {
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (math.tanh, _tanh_prime),
    "relu": (_relu, _relu_prime),
    "linear": (_linear, _linear_prime),
    "step": (_step, _step_prime),
}


def fast_epochs(params: Params, model: Model, epochs: int) -> TrainResult:
    """Same as `plain_epochs`, on Python floats: w_ij is W1[i-1][j-1], v_i is W2[i-1][0], c is b^(2)."""
    (f, f_prime), (g, g_prime) = SCALAR[model.hidden], SCALAR[model.output]
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    lr, inv_m = model.lr, 1.0 / len(data)
    # The loss sums samples 2 … m, then sample 1: any order gives L to rounding, this one keeps the
    # results of earlier versions (and the sweep's order) bit for bit.
    loss_order = data[1:] + data[:1]
    losses: list[float] = []
    for k in range(1, epochs + 1):
        before = (w11, w12, w21, w22, b1, b2, v1, v2, c)
        for x1, x2, y in data:
            # (1) forward pass
            z1 = w11 * x1 + w21 * x2 + b1
            z2 = w12 * x1 + w22 * x2 + b2
            a1, a2 = f(z1), f(z2)
            zo = v1 * a1 + v2 * a2 + c
            yh = g(zo)
            # (2) backward pass: δ^(2) = (ŷ − y) g'(z^(2)), δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1))
            d = (yh - y) * g_prime(zo, yh)
            d1 = v1 * d * f_prime(z1, a1)
            d2 = v2 * d * f_prime(z2, a2)
            # (3)+(4) W ← W − η ∂L/∂W: ∂L/∂w_ij^(1) = x_i δ_j^(1), ∂L/∂w_i1^(2) = a_i^(1) δ^(2)
            w11 -= lr * (x1 * d1)
            w21 -= lr * (x2 * d1)
            w12 -= lr * (x1 * d2)
            w22 -= lr * (x2 * d2)
            b1 -= lr * d1
            b2 -= lr * d2
            v1 -= lr * (a1 * d)
            v2 -= lr * (a2 * d)
            c -= lr * d
        total = 0.0  # L = (1/m) Σ ½(ŷ − y)² with the parameters at the end of the epoch
        for x1, x2, y in loss_order:
            e = g(v1 * f(w11 * x1 + w21 * x2 + b1) + v2 * f(w12 * x1 + w22 * x2 + b2) + c) - y
            total += 0.5 * (e * e)
        loss = total * inv_m
        if diverged(loss):
            return TrainResult(np.array(losses), _params(*before), diverged_at=k)
        losses.append(loss)
    return TrainResult(np.array(losses), _params(w11, w12, w21, w22, b1, b2, v1, v2, c))


def _params(
    w11: float, w12: float, w21: float, w22: float, b1: float, b2: float, v1: float, v2: float, c: float
) -> Params:
    return Params(
        W1=np.array([[w11, w12], [w21, w22]]), b1=np.array([b1, b2]), W2=np.array([[v1], [v2]]), b2=np.array([c])
    )


def _before_training(model: Model, params: Params | None) -> TrainResult:
    """A run before its first epoch: losses = [L0] at `params` (default: the model's initial ones),
    diverged at epoch 0 when L0 itself is not finite (then there is nothing to train)."""
    params = model.params if params is None else params
    f, g = activations.get(model.hidden), activations.get(model.output)
    with np.errstate(all="ignore"):
        l0 = dataset_loss(params, model.X, model.Y, f, g)
    return TrainResult(np.array([l0]), params, 0 if diverged(l0) else None)


def train(model: Model, epochs: int, params: Params | None = None, fast: bool = True) -> TrainResult:
    """`epochs` epochs from `params` (default: the model's initial ones); losses = [L0, L1, …]."""
    start = _before_training(model, params)
    if start.diverged:
        return start
    run = fast_epochs if fast else plain_epochs
    res = run(start.params, model, epochs)
    return TrainResult(np.concatenate([start.losses, res.losses]), res.params, res.diverged_at)


CHUNK_SAMPLES = 100_000  # sample-steps per piece of train_chunks: ~0.1 s, and a few MB at most


def train_chunks(
    model: Model, epochs: int, params: Params | None = None, chunk: int | None = None
) -> Iterator[TrainResult]:
    """`train` in pieces of at most `chunk` epochs (default: CHUNK_SAMPLES sample-steps), so a run of
    any length is written as it goes in bounded memory. The first piece's losses start with L0; each
    piece's params are those at its end and diverged_at counts from the start of the run; the last
    piece is the one that diverged. Concatenated, the pieces' losses are train()'s, bit for bit
    (fast_epochs starts each piece from the parameters the previous one ended with)."""
    chunk = max(1, CHUNK_SAMPLES // model.m) if chunk is None else chunk
    start = _before_training(model, params)
    if start.diverged:
        yield start
        return
    params, head, done = start.params, start.losses.tolist(), 0
    while done < epochs or head:
        n = min(chunk, epochs - done)
        res = fast_epochs(params, model, n)
        losses = np.concatenate([head, res.losses]) if head else res.losses
        head = []
        if res.diverged_at is not None:
            yield TrainResult(losses, res.params, done + res.diverged_at)
            return
        yield TrainResult(losses, res.params)
        params, done = res.params, done + n


# --- batch and mini-batch gradient descent ------------------------------------------------------

FULL = "full"  # --batch full: one batch of all m samples


def batch_size(batch: int | str | None, m: int) -> int:
    """The samples per update: 1 per-sample (None), m for the full batch, else min(N, m)."""
    if batch is None:
        return 1
    if batch == FULL:
        return m
    n = int(batch)
    if n < 1:
        raise ValueError(f"a batch has at least one sample, got {batch!r}")
    return min(n, m)


def batches(m: int, size: int) -> list[range]:
    """The batches of one epoch in data order: [0, N), [N, 2N), …, the last one shorter when N ∤ m."""
    return [range(start, min(start + size, m)) for start in range(0, m, size)]


def batch_of(sample: int, m: int, size: int) -> range:
    """The batch that holds `sample`."""
    start = sample - sample % size
    return range(start, min(start + size, m))


def plain_batch_epochs(params: Params, model: Model, epochs: int, size: int) -> TrainResult:
    """`epochs` epochs of (mini-)batch descent with network.batch_step; stops at the first non-finite loss."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    losses: list[float] = []
    with np.errstate(all="ignore"):
        for k in range(1, epochs + 1):
            new = params
            for b in batches(model.m, size):
                new, _, _ = batch_step(new, model.X[b.start : b.stop], model.Y[b.start : b.stop], f, g, model.lr)
            loss = dataset_loss(new, model.X, model.Y, f, g)
            if diverged(loss):
                return TrainResult(np.array(losses), params, diverged_at=k)
            params = new
            losses.append(loss)
    return TrainResult(np.array(losses), params)


def fast_batch_epochs(params: Params, model: Model, epochs: int, size: int) -> TrainResult:
    """`plain_batch_epochs` on Python floats (as fast_epochs for per-sample descent): each batch's
    per-sample gradients summed in data order, divided by the batch's size, then one update."""
    (f, f_prime), (g, g_prime) = SCALAR[model.hidden], SCALAR[model.output]
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    cuts = [data[b.start : b.stop] for b in batches(len(data), size)]
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    lr, inv_m = model.lr, 1.0 / len(data)
    loss_order = data[1:] + data[:1]
    losses: list[float] = []
    for k in range(1, epochs + 1):
        before = (w11, w12, w21, w22, b1, b2, v1, v2, c)
        for cut in cuts:
            s: tuple[float, ...] = ()
            for x1, x2, y in cut:
                z1 = w11 * x1 + w21 * x2 + b1
                z2 = w12 * x1 + w22 * x2 + b2
                a1, a2 = f(z1), f(z2)
                zo = v1 * a1 + v2 * a2 + c
                yh = g(zo)
                d = (yh - y) * g_prime(zo, yh)
                d1 = v1 * d * f_prime(z1, a1)
                d2 = v2 * d * f_prime(z2, a2)
                gs = (x1 * d1, x1 * d2, x2 * d1, x2 * d2, d1, d2, a1 * d, a2 * d, d)
                s = tuple(t + u for t, u in zip(s, gs)) if s else gs
            n = len(cut)
            m11, m12, m21, m22, mb1, mb2, mv1, mv2, mc = (t / n for t in s)
            w11 -= lr * m11
            w12 -= lr * m12
            w21 -= lr * m21
            w22 -= lr * m22
            b1 -= lr * mb1
            b2 -= lr * mb2
            v1 -= lr * mv1
            v2 -= lr * mv2
            c -= lr * mc
        total = 0.0  # L = (1/m) Σ ½(ŷ − y)², summed as fast_epochs sums it (samples 2 … m, then 1)
        for x1, x2, y in loss_order:
            e = g(v1 * f(w11 * x1 + w21 * x2 + b1) + v2 * f(w12 * x1 + w22 * x2 + b2) + c) - y
            total += 0.5 * (e * e)
        loss = total * inv_m
        if diverged(loss):
            return TrainResult(np.array(losses), _params(*before), diverged_at=k)
        losses.append(loss)
    return TrainResult(np.array(losses), _params(w11, w12, w21, w22, b1, b2, v1, v2, c))


def train_batch_chunks(
    model: Model, epochs: int, batch: int | str, params: Params | None = None, shuffle: bool = False
) -> Iterator[TrainResult]:
    """train_chunks for (mini-)batch descent: the pieces' losses start with L0; with `shuffle` the
    samples are put in a fresh random order each epoch (drawn from model.seed, as train --shuffle)
    and then cut into batches."""
    size = batch_size(batch, model.m)
    start = _before_training(model, params)
    yield TrainResult(start.losses, start.params, start.diverged_at)
    if start.diverged:
        return
    rng = np.random.default_rng(model.seed) if shuffle else None
    chunk = max(1, CHUNK_SAMPLES // model.m // (10 if shuffle else 1))
    params, done = start.params, 0
    losses: list[float] = []
    while done < epochs:
        n = 1 if shuffle else min(chunk, epochs - done)
        run = model
        if rng is not None:
            order = rng.permutation(model.m)
            run = model.with_(X=model.X[order], Y=model.Y[order])
        res = fast_batch_epochs(params, run, n, size)
        losses.extend(res.losses)
        if res.diverged_at is not None:
            yield TrainResult(np.array(losses), res.params, done + res.diverged_at)
            return
        params, done = res.params, done + n
        if len(losses) >= chunk or done == epochs:
            yield TrainResult(np.array(losses), params)
            losses = []


def mode_epochs(params: Params, model: Model, epochs: int, batch: int | str | None) -> TrainResult:
    """`epochs` epochs in a mode: per-sample descent (None) or batches of `batch` (the Loss chart's
    curve of the other mode, from the same start)."""
    if batch is None:
        return fast_epochs(params, model, epochs)
    return fast_batch_epochs(params, model, epochs, batch_size(batch, model.m))
