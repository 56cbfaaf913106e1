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

import functools
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from engine import activations
from engine.model import INIT_SCALE, Model
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
        if res.diverged:
            yield TrainResult(losses, res.params, done + res.diverged_at)
            return
        yield TrainResult(losses, res.params)
        params, done = res.params, done + n


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
# Speed (benchmarks/bench_sweep.py): for N ≈ 1000 a NumPy call costs ~0.5 µs before its arithmetic
# (~0.25 µs per 1000 numbers), and e^x, scalar libm here, ~5.5 µs per 1000. So the loop of an epoch
# is generated for each (f, g, data), as `_epochs_loop` is for one network: the samples are known
# before training, and each becomes a straight run of ufunc calls on local names, with preallocated
# outputs and an input 0 (nothing to add, nothing to update) or 1 (no product) written out. It avoids
# what makes a call slower: Python floats as operands (the constants are 0-d arrays), broadcasting an
# (N,) row against a (2, N) block (~3× a plain call; rows are taken one by one) and slicing in the
# loop. Rows that take the same operation are neighbours in one block, so one call does them all:
#   A  (3, N) = [a^(1); ŷ]
#   P  (6, N) = [b^(1); b^(2); W^(2); k]   bW2 = P[0:5] is updated in one call; K = P[3:6] = [W^(2); k]
#   R  (5, N) = [η δ^(1); η δ^(2); η a^(1) δ^(2)] up to sign, in the order of bW2. Its first rows
#               hold F = ±[f'(z^(1)); g'(z^(2))] (±(1 − a^(1)) for a sigmoid f), then D = F ⊙ K in place.
# Each call writes in place where it can (e^ into z, z^(2) into wa[0]): fewer rows to fetch.
# A sigmoid layer is stored with the sign of all its parameters flipped (exact): Σ_i x_i (−w_ij) +
# (−b_j) is then exactly −z_j, of which σ(z) = 1/(1 + e^(−z)) takes e^ with no extra call. sign₁,
# sign₂ are that sign (+1 or −1) per layer; the signs of F and k are chosen so that every stored
# parameter P = sign·θ is updated as P ← P − sign₁ R, one operation for both layers. Per XOR sample
# with sigmoids: 19 calls, 3 of them e^x on N numbers. Products are regrouped (η is taken in with
# ŷ − y), so a network follows `fast_epochs` to rounding, not bit for bit.

CONVERGED_LOSS = 0.01  # a network has learnt the task when its final data-set loss L is below this
SWEEP_REPORT_EVERY = 100  # epochs between progress calls when no loss_every is asked for
SWEEP_CHUNK = 1_000_000  # network-samples between progress calls at most (~0.03–0.1 s)


def _const(value: float) -> np.ndarray:
    arr = np.array(value, dtype=np.float64)
    arr.flags.writeable = False
    return arr


# a = f(z) from z as stored (−z for the sigmoid), with u as scratch (z itself when it is not a
# parameter, so e^ runs in place): (sign of the layer, calls)
_SWEEP_F = {
    # σ(z) = 1/(1 + e^(−z)); for z < −709, e^(−z) overflows to inf and σ is 0, its exact limit.
    "sigmoid": (-1, ["exp({z}, {u})", "add({u}, one, {u})", "divide(one, {u}, {a})"]),
    # tanh z = 1 − 2/(1 + e^(2z)) through exp2: ~2.5× faster than np.tanh here, within 4e-16 of it
    # (absolute); e^(2z) = inf gives 1 and e^(2z) = 0 gives −1, the exact limits.
    "tanh": (1, ["multiply({z}, two_log2e, {u})", "exp2({u}, {u})", "add({u}, one, {u})",
                 "divide(two, {u}, {u})", "subtract(one, {u}, {a})"]),
    "relu": (1, ["maximum({z}, zero, out={a})"]),  # out by keyword: NumPy 2.4 deprecates it positional
    "linear": (1, ["copyto({a}, {z})"]),
}
# f'(z) from a = f(z), as the notes write σ' = σ(1 − σ); for ReLU, a > 0 exactly when z > 0.
_SWEEP_FPRIME = {
    "sigmoid": ["subtract(one, {a}, {om})", "multiply({om}, {a}, {fp})"],
    "tanh": ["multiply({a}, {a}, {fp})", "subtract(one, {fp}, {fp})"],
    "relu": ["greater({a}, zero, {fp})"],
    "linear": ["{fp}.fill(1.0)"],
}

_SWEEP_LOOP = """
def epochs(n, *, {names}):
    for _ in range(n):
{step}


def losses(*, {names}):
    total.fill(0.0)
{loss}
    multiply(total, inv_m, total)
"""

_SWEEP_NAMES = (  # what the generated code sees, as local names (a row or block of N each)
    "W1_1 W1_2 b1 bW2 W2 b2 k K A a1 a1_1 a1_2 yhat F f1 f2 om2 z1 z2 wa wa_1 wa_2 "
    "R D eta_delta1 eta_delta1_1 eta_delta1_2 eta_delta2 s s_1 s_2 xw_1 xw_2 total err "
    "one zero two two_log2e half inv_m kappa_eta minus_kappa_eta "
    "exp exp2 add subtract multiply divide maximum greater copyto").split()


def _sweep_forward(hidden: str, output: str, j: int | None, x1: float, x2: float) -> list[str]:
    """§2.3 for sample j: z^(1) = Σ_i x_i w_i·^(1) + b^(1), a^(1) = f(z^(1)), z^(2), ŷ = g(z^(2)).

    j = None (with x1 = x2 = NaN): any sample, whose values are in the 0-d arrays x1_, x2_ (and y_)."""
    lines, terms = [], []
    j = "" if j is None else j
    for i, xi in ((1, x1), (2, x2)):
        if xi == 1.0:
            terms.append(f"W1_{i}")
        elif xi != 0.0:
            lines.append(f"multiply(W1_{i}, x{i}_{j}, xw_{i})")
            terms.append(f"xw_{i}")
    if len(terms) == 2:
        lines += [f"add({terms[0]}, {terms[1]}, z1)", "add(z1, b1, z1)"]
    elif terms:
        lines.append(f"add({terms[0]}, b1, z1)")
    lines.append(f"# a^(1) = {hidden}(z^(1))")
    lines += [s.format(z="z1" if terms else "b1", u="z1", a="a1") for s in _SWEEP_F[hidden][1]]
    lines.append(f"# z^(2) = w_11^(2) a_1^(1) + w_21^(2) a_2^(1) + b^(2),  ŷ = {output}(z^(2))")
    lines += ["multiply(W2, a1, wa)", "add(wa_1, wa_2, z2)", "add(z2, b2, z2)"]
    lines += [s.format(z="z2", u="z2", a="yhat") for s in _SWEEP_F[output][1]]
    return lines


def _kappa(hidden: str, output: str) -> int:
    """The sign in k = κ η (ŷ − y) that makes R = [η δ^(1); sign₁ sign₂ η δ^(2); sign₁ sign₂ η a^(1) δ^(2)].

    D = F ⊙ [sign₂ W^(2); k] and η δ^(1) comes from D[0:2] and D[2]: with F[0:2] signed sign₁ and
    F[2] signed ρ, D[2] = ρ κ η δ^(2) must be sign₁ sign₂ η δ^(2), so κ = sign₁ sign₂ ρ.
    """
    rho = -1 if hidden == output == "sigmoid" else 1  # F = A − 1 there: −(1 − ŷ) in row 2
    return _SWEEP_F[hidden][0] * _SWEEP_F[output][0] * rho


def _sweep_step(hidden: str, output: str, j: int | None, x1: float, x2: float, y: float) -> list[str]:
    """§2.9 steps 3–8 for sample j on every network: forward, δ^(2), δ^(1), the update.

    j = None (with x1 = x2 = y = NaN): any sample, as _sweep_forward."""
    update = "subtract" if _SWEEP_F[hidden][0] == 1 else "add"  # P ← P − sign₁ R
    sample = "any sample" if j is None else f"sample {j + 1}: x = ({x1:g}, {x2:g}), y = {y:g}"
    lines = [f"# {sample}; (1) forward, §2.3"]
    lines += _sweep_forward(hidden, output, j, x1, x2)
    j = "" if j is None else j
    lines.append("# (2) backward, §2.5–2.6: F = [f'(z^(1)); g'(z^(2))] from a^(1) and ŷ, one call when f = g")
    # For a sigmoid f, f'(z^(1)) = a^(1) ⊙ (1 − a^(1)), and a^(1) is a factor of the W^(2) step
    # too: F keeps only a^(1) − 1 (signed as the stored layer), and η δ^(1) comes from the step.
    if hidden == output == "sigmoid":
        lines.append("subtract(A, one, F)")  # [a^(1) − 1; ŷ − 1]
    elif hidden == output:
        lines += [s.format(a="A", om="F", fp="F") for s in _SWEEP_FPRIME[hidden]]
    else:
        if hidden == "sigmoid":
            lines.append("subtract(a1, one, f1)")
        else:
            lines += [s.format(a="a1", om="f1", fp="f1") for s in _SWEEP_FPRIME[hidden]]
        lines += [s.format(a="yhat", om="om2", fp="f2") for s in _SWEEP_FPRIME[output]]
    lines.append("# k = κ η (ŷ − y): ŷ − 0 = ŷ and ŷ − 1 = −(1 − ŷ) exactly, so a 0/1 target takes one call")
    if y == 0.0:
        lines.append("multiply(yhat, kappa_eta, k)")
    elif y == 1.0 and output == "sigmoid":
        lines.append("multiply(f2, kappa_eta, k)" if hidden == "sigmoid" else "multiply(om2, minus_kappa_eta, k)")
    else:
        lines += [f"subtract(yhat, y_{j}, k)", "multiply(k, kappa_eta, k)"]
    if hidden == output == "sigmoid":
        lines.append("multiply(f2, yhat, f2)  # −g'(z^(2)) = (ŷ − 1) ŷ")
    lines += [
        "# D = F ⊙ [W^(2); k], W^(2) before its update: D[2] = ±η δ^(2)",
        "multiply(F, K, D)",
        "# (3)+(4) §2.9 step 8: the W^(2) step η a^(1) δ^(2), and η δ^(1) = (W^(2) δ^(2)) ⊙ f'(z^(1)) η",
        "multiply(a1_1, eta_delta2, s_1)",
        "multiply(a1_2, eta_delta2, s_2)",
    ]
    if hidden == "sigmoid":
        lines.append("multiply(eta_delta1, s, eta_delta1)  # W^(2) ⊙ (1 − a^(1)) ⊙ a^(1) η δ^(2)")
    else:
        lines += ["multiply(eta_delta1_1, eta_delta2, eta_delta1_1)",
                  "multiply(eta_delta1_2, eta_delta2, eta_delta1_2)"]
    lines += ["# b^(1) ← b^(1) − η δ^(1), b^(2) ← b^(2) − η δ^(2), W^(2) ← W^(2) − η a^(1) δ^(2): one call",
              f"{update}(bW2, R, bW2)",
              "# w_i·^(1) ← w_i·^(1) − η x_i δ^(1) for x_i ≠ 0"]
    for i, xi in ((1, x1), (2, x2)):
        if xi == 1.0:
            lines.append(f"{update}(W1_{i}, eta_delta1, W1_{i})")
        elif xi != 0.0:
            lines += [f"multiply(eta_delta1, x{i}_{j}, xw_{i})", f"{update}(W1_{i}, xw_{i}, W1_{i})"]
    return lines


def _sweep_source(hidden: str, output: str, data) -> tuple[str, list[str]]:
    """The source of `epochs(n, …)` (n epochs of §2.9) and `losses(…)` (L into `total`, §2.1) for
    this f, g and data, and the names they take. To read it: print(_sweep_source("sigmoid",
    "sigmoid", [(0., 0., 0.), (0., 1., 1.), (1., 0., 1.), (1., 1., 0.)])[0])."""
    step, loss, names = [], [], list(_SWEEP_NAMES)
    for j, (x1, x2, y) in enumerate(data):
        names += [f"x{i}_{j}" for i, xi in ((1, x1), (2, x2)) if xi not in (0.0, 1.0)] + [f"y_{j}"]
        step += _sweep_step(hidden, output, j, x1, x2, y)
    # L = (1/m) Σ ½(ŷ − y)², summed in the order of `fast_epochs`: samples 2 … m, then sample 1
    for j in [*range(1, len(data)), 0]:
        x1, x2, _ = data[j]
        loss += _sweep_forward(hidden, output, j, x1, x2)
        loss += [f"subtract(yhat, y_{j}, err)", "multiply(err, err, err)", "multiply(err, half, err)",
                 "add(total, err, total)"]
    indent = lambda lines, n: "\n".join(" " * n + line for line in lines)  # noqa: E731
    src = _SWEEP_LOOP.format(names=", ".join(names), step=indent(step, 8), loss=indent(loss, 4))
    return src, names


@functools.lru_cache(maxsize=32)
def _sweep_loops(hidden: str, output: str, data: tuple):
    """(epochs, losses, names) for this f, g and data, compiled once."""
    src, names = _sweep_source(hidden, output, data)
    namespace: dict = {}
    exec(compile(src, f"<sweep {hidden}/{output}>", "exec"), namespace)
    return namespace["epochs"], namespace["losses"], names


# A data set of more than UNROLL_SAMPLES rows is not written out sample by sample: its source would
# take ~1 ms a sample to compile (minutes for 100 000 rows, and nothing can stop a compile). Its
# samples run through one generic step instead, a loop over rows of (x1, x2, y) put into the 0-d
# arrays x1_, x2_, y_: the same calls with no input or target written out as 0 or 1 (a few more calls
# per sample, the same numbers), in chunks of rows, so a progress call can stop it within a chunk.
UNROLL_SAMPLES = 64

_SWEEP_ROWS = """
def epochs_rows(rows, *, {names}):
    for r1, r2, r3 in rows:
        x1_.fill(r1)
        x2_.fill(r2)
        y_.fill(r3)
{step}


def losses_rows(rows, *, {names}):
    for r1, r2, r3 in rows:
        x1_.fill(r1)
        x2_.fill(r2)
        y_.fill(r3)
{loss}
"""


@functools.lru_cache(maxsize=16)
def _sweep_rows(hidden: str, output: str):
    """(epochs_rows, losses_rows, names) for this f, g and any data: one step for every sample."""
    nan = math.nan
    names = [*_SWEEP_NAMES, "x1_", "x2_", "y_"]
    loss = _sweep_forward(hidden, output, None, nan, nan) + [
        "subtract(yhat, y_, err)", "multiply(err, err, err)", "multiply(err, half, err)", "add(total, err, total)"]
    indent = lambda lines: "\n".join(" " * 8 + line for line in lines)  # noqa: E731
    src = _SWEEP_ROWS.format(names=", ".join(names), step=indent(_sweep_step(hidden, output, None, nan, nan, nan)),
                             loss=indent(loss))
    namespace: dict = {}
    exec(compile(src, f"<sweep rows {hidden}/{output}>", "exec"), namespace)
    return namespace["epochs_rows"], namespace["losses_rows"], names


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


def _sweep_epochs(W1t: np.ndarray, W2t: np.ndarray, data, lr: float, hidden: str, output: str,
                  epochs: int, loss_every: int, progress) -> tuple[list[int], list[np.ndarray], np.ndarray]:
    """Train the N networks of W̃1 (3, 2, N) and W̃2 (3, N) in place: per-sample SGD in data order.

    Returns the recorded (loss_epochs, losses) and the data-set loss L after the last epoch.
    """
    unrolled = len(data) <= UNROLL_SAMPLES
    if unrolled:
        epochs_loop, losses_of, names = _sweep_loops(hidden, output, tuple(data))
    else:
        epochs_rows, losses_rows, names = _sweep_rows(hidden, output)
    sign1, sign2 = _SWEEP_F[hidden][0], _SWEEP_F[output][0]
    kappa_eta = _kappa(hidden, output) * lr
    n = W2t.shape[1]
    W1 = W1t[0:2] * sign1  # w_1·^(1), w_2·^(1), stored sign₁ W^(1)
    P = np.empty((6, n))  # [b^(1); b^(2); W^(2); k], stored sign₁ b^(1), sign₂ b^(2), sign₂ W^(2)
    P[0:2], P[2], P[3:5] = W1t[2] * sign1, W2t[2] * sign2, W2t[0:2] * sign2
    A, R, wa = np.empty((3, n)), np.empty((5, n)), np.empty((2, n))
    env = {
        "W1_1": W1[0], "W1_2": W1[1], "b1": P[0:2], "bW2": P[0:5], "b2": P[2], "W2": P[3:5], "k": P[5],
        "K": P[3:6], "A": A, "a1": A[0:2], "a1_1": A[0], "a1_2": A[1], "yhat": A[2],
        "F": R[0:3], "f1": R[0:2], "f2": R[2], "om2": np.empty(n),
        "z1": np.empty((2, n)), "z2": wa[0], "wa": wa, "wa_1": wa[0], "wa_2": wa[1],
        "R": R, "D": R[0:3], "eta_delta1": R[0:2], "eta_delta1_1": R[0], "eta_delta1_2": R[1],
        "eta_delta2": R[2], "s": R[3:5], "s_1": R[3], "s_2": R[4],
        "xw_1": np.empty((2, n)), "xw_2": np.empty((2, n)), "total": np.empty(n), "err": np.empty(n),
        "one": _const(1.0), "zero": _const(0.0), "two": _const(2.0), "half": _const(0.5),
        "two_log2e": _const(2.8853900817779268),  # e^(2z) = 2^(2z·log₂e)
        "inv_m": _const(1.0 / len(data)), "kappa_eta": _const(kappa_eta), "minus_kappa_eta": _const(-kappa_eta),
        "exp": np.exp, "exp2": np.exp2, "add": np.add, "subtract": np.subtract, "multiply": np.multiply,
        "divide": np.divide, "maximum": np.maximum, "greater": np.greater, "copyto": np.copyto,
    }
    if unrolled:
        for j, (x1, x2, y) in enumerate(data):
            env.update({f"x1_{j}": _const(x1), f"x2_{j}": _const(x2), f"y_{j}": _const(y)})
    else:
        env.update({"x1_": np.zeros(()), "x2_": np.zeros(()), "y_": np.zeros(())})
    env = {name: env[name] for name in names}
    # Work between two progress calls: about SWEEP_CHUNK network-samples (~0.1 s), so that the
    # caller can stop a sweep of any size soon (and at least every `report` epochs).
    rows = max(1, SWEEP_CHUNK // n)
    k = 0

    def in_chunks(run, order) -> None:
        """`run` over `order` in chunks of rows, with a progress call between two chunks."""
        for lo in range(0, len(order), rows):
            if lo and progress is not None:
                progress(hidden, k)
            run(order[lo:lo + rows], **env)

    def loss() -> np.ndarray:
        if unrolled:
            losses_of(**env)
        else:  # in the order of `fast_epochs`, as the unrolled `losses`: samples 2 … m, then sample 1
            env["total"].fill(0.0)
            in_chunks(losses_rows, data[1:] + data[:1])
            np.multiply(env["total"], env["inv_m"], env["total"])
        return env["total"].copy()

    loss_epochs, losses = [], []
    if loss_every:
        loss_epochs.append(0)
        losses.append(loss())
    report = loss_every or SWEEP_REPORT_EVERY
    per_run = max(1, SWEEP_CHUNK // (len(data) * n))
    while k < epochs:  # in runs up to the next record or progress call
        boundary = min(epochs, (k // report + 1) * report)
        run = min(boundary - k, per_run)
        if unrolled:
            epochs_loop(run, **env)
        else:
            for _ in range(run):
                in_chunks(epochs_rows, data)
        k += run
        if loss_every and k == boundary:
            loss_epochs.append(k)
            losses.append(loss())
        if progress is not None:
            progress(hidden, k)
    final = loss()
    W1t[0:2], W1t[2] = W1 * sign1, P[0:2] * sign1
    W2t[0:2], W2t[2] = P[3:5] * sign2, P[2] * sign2
    return loss_epochs, losses, final


def _random_starts(seeds: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """W̃1 (3, 2, N) and W̃2 (3, N) of random_params(seeds[n], scale) for every n, bit for bit.

    random_params draws W^(1), b^(1), W^(2), b^(2) with four rng.uniform(−s, s) calls, each value
    −s + (s − (−s))·u for the next u of the generator; one rng.random(9) per seed gives the same u
    in the same order, and the arithmetic is then done once for all seeds: ~3× faster, which is
    ~5% of a 1000-network sweep. tests/test_sweep.py pins it to random_params.
    """
    low, width = -scale, scale - -scale
    if not math.isfinite(width):
        raise OverflowError("scale: the range of the uniform draw is not finite")
    u = np.stack([np.random.default_rng(int(s)).random(9) for s in seeds], axis=-1)  # (9, N)
    p = low + width * u  # rows: w11 w12 w21 w22 (W^(1) row by row), b1 b2, w11 w21 (W^(2)), b^(2)
    W1t = np.empty((3, 2, len(seeds)))
    W1t[0:2] = p[0:4].reshape(2, 2, -1)
    W1t[2] = p[4:6]
    return W1t, p[6:9].copy()


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
    progress(hidden, epoch), if given, is called every `loss_every` (else 100) epochs, and more often
    on large sweeps (after about SWEEP_CHUNK network-samples, also within an epoch, `epoch` then
    being the epochs done); raise from it to abandon the sweep.
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
    W1t_start, W2t_start = _random_starts(seeds, scale)
    runs = []
    for h in hidden:
        W1t, W2t = W1t_start.copy(), W2t_start.copy()
        with np.errstate(all="ignore"):
            loss_epochs, losses, final = _sweep_epochs(W1t, W2t, data, model.lr, h, model.output, epochs,
                                                       loss_every, progress)
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
