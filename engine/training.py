"""Epochs of per-sample gradient descent (§2.9 steps 3–10) and the epoch-loss history.

History (DESIGN §6): losses[0] = L before training, losses[k] = L with the parameters at the end of
epoch k, L = (1/m) Σ ½(ŷ − y)². Samples are visited in data order.

Two implementations, one result:
- `plain_epochs` calls `network.sample_step`, the code that reads like the notes;
- `fast_epochs` is the same arithmetic written out on Python floats for the 2–2–1 shape, with the
  activations inlined. NumPy's per-call overhead (~1 µs) dominates arrays of two numbers, so scalar
  code is ~20× faster here.
  tests/engine/test_training.py pins it to `plain_epochs` for every activation pair and preset.

Many networks at once (the sweep) are in engine/sweep.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator

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
    losses: list[float] = []
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
# The arithmetic and its order are those of `plain_epochs`; tests/engine/test_training.py pins the two
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

EpochsLoop = Callable[..., tuple[list[float], tuple[float, ...], int | None]]
_LOOPS: dict[tuple[str, str], EpochsLoop] = {}


def _epochs_loop(hidden: str, output: str) -> EpochsLoop:
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
        namespace: dict[str, object] = {"exp": math.exp, "tanh": math.tanh, "isfinite": math.isfinite}
        exec(compile(src, f"<fast_epochs {hidden}/{output}>", "exec"), namespace)
        _LOOPS[key] = namespace["epochs_loop"]  # type: ignore[assignment]  # made by the exec above
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
    out = Params(W1=np.array([[w11, w12], [w21, w22]]), b1=np.array([b1, b2]), W2=np.array([[v1], [v2]]),
                 b2=np.array([c]))
    return TrainResult(np.array(losses), out, diverged_at)


def _before_training(model: Model, params: Params | None) -> TrainResult:
    """A run before its first epoch: losses = [L0] at `params` (default: the model's initial ones),
    diverged at epoch 0 when L0 itself is not finite (then there is nothing to train)."""
    params = model.params if params is None else params
    f, g = activations.get(model.hidden), activations.get(model.output)
    with np.errstate(all="ignore"):
        l0 = dataset_loss(params, model.X, model.Y, f, g)
    return TrainResult(np.array([l0]), params, None if math.isfinite(l0) else 0)


def train(model: Model, epochs: int, params: Params | None = None, fast: bool = True) -> TrainResult:
    """`epochs` epochs from `params` (default: the model's initial ones); losses = [L0, L1, …]."""
    start = _before_training(model, params)
    if start.diverged:
        return start
    run = fast_epochs if fast else plain_epochs
    res = run(start.params, model, epochs)
    return TrainResult(np.concatenate([start.losses, res.losses]), res.params, res.diverged_at)


CHUNK_SAMPLES = 100_000  # sample-steps per piece of train_chunks: ~0.1 s, and a few MB at most


def train_chunks(model: Model, epochs: int, params: Params | None = None,
                 chunk: int | None = None) -> Iterator[TrainResult]:
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
