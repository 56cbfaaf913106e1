"""Many networks at once: the sweep (does a 2–2–1 net always learn XOR?).

N networks that differ only in their starting point (network n starts from random_params(seed + n))
are trained side by side with the notes' §2.9 algorithm: per-sample gradient descent, samples in data
order. Two implementations, one result:

- `plain_epochs`, the reference: §2.9 as the notes write it, on a stack of N networks (readable
  NumPy, one line per line of the pseudocode);
- `fast_epochs`, the kernel `sweep` runs: the same arithmetic as straight runs of in-place ufunc
  calls generated per (activations, data) (see "the fast kernel" below), ~6× faster than the
  reference for 1000 XOR networks (benchmarks/bench_kernels.py measures the two in one run; the
  reference spends its time in NumPy's matmul of stacks of 2×2 matrices and in σ' recomputing σ).

tests/engine/test_sweep.py pins `fast_epochs` to `plain_epochs` for all 12 activation pairs and every
preset, the generic-rows path of large data sets and diverging runs included, to rtol 1e-12 (the
kernel regroups products, so the two agree to rounding, not bit for bit), and `plain_epochs` to
engine.training.plain_epochs run one network at a time.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine import activations
from engine.model import INIT_SCALE, Model
from engine.network import Params

CONVERGED_LOSS = 0.01  # a network has learnt the task when its final data-set loss L is below this
SWEEP_REPORT_EVERY = 100  # epochs between progress calls when no loss_every is asked for
SWEEP_CHUNK = 1_000_000  # network-samples between progress calls at most (~0.03–0.1 s)

Sample = tuple[float, float, float]  # (x1, x2, y)
Progress = Callable[[str, int], object]  # progress(hidden, epochs done); raise from it to stop


class Nets(NamedTuple):
    """The parameters of N networks, network n at index n of each, in the layout of Params."""

    W1: np.ndarray  # (N, 2, 2), rows = inputs: W1[n, i-1, j-1] = w_ij^(1) of network n
    b1: np.ndarray  # (N, 2)
    W2: np.ndarray  # (N, 2, 1)
    b2: np.ndarray  # (N, 1)


class Trained(NamedTuple):
    """What a run of epochs gives: the final parameters and the data-set losses L of every network."""

    nets: Nets
    loss_epochs: list[int]  # epochs at which `losses` were taken (0 = before training)
    losses: list[np.ndarray]  # (N,) each
    final: np.ndarray  # (N,) L after the last epoch


def _record_at(k: int, epochs: int, every: int) -> bool:
    """Whether epoch k ends a stretch of `every` epochs (or is the last one)."""
    return k % every == 0 or k == epochs


# --- the reference: §2.9 as the notes write it, for N networks at once -------------------------


def plain_epochs(
    start: Nets,
    data: Sequence[Sample],
    lr: float,
    hidden: str,
    output: str,
    epochs: int,
    loss_every: int = 0,
    progress: Progress | None = None,
) -> Trained:
    """`epochs` epochs of §2.9 on every network of `start`, as engine/network.py writes one.

    Every symbol of the notes gains a leading axis of N networks, and x, z, a, δ and the biases are
    column vectors, so each line below is the notes' line on a stack of N matrices (`M.mT` is the
    transpose of each matrix M[n]; `@` multiplies matrix by matrix, network by network). A network
    that diverges goes on as NaN or inf; nothing stops it. `loss_every` and `progress` as in `sweep`.
    """
    f, g = activations.get(hidden), activations.get(output)
    W1, W2 = start.W1.copy(), start.W2.copy()
    b1, b2 = start.b1[:, :, None].copy(), start.b2[:, :, None].copy()  # (N, 2, 1), (N, 1, 1)
    samples = [(np.array([[x1], [x2]]), y) for x1, x2, y in data]  # x as a column (2, 1)

    def loss() -> np.ndarray:
        """L = (1/m) Σ_i ½(ŷ_i − y_i)² (§2.1), for each network."""
        total = np.zeros(W1.shape[0])
        for x, y in samples:
            yhat = g.f(W2.mT @ f.f(W1.mT @ x + b1) + b2)
            total += 0.5 * (yhat[:, 0, 0] - y) ** 2
        return total / len(samples)

    loss_epochs, losses = ([0], [loss()]) if loss_every else ([], [])
    for k in range(1, epochs + 1):  # 3: for each epoch
        for x, y in samples:  # 4: for each sample
            # 5: (1) forward pass
            z1 = W1.mT @ x + b1
            a1 = f.f(z1)
            z2 = W2.mT @ a1 + b2
            yhat = g.f(z2)
            # 6: (2) backward pass: local errors
            delta2 = (yhat - y) * g.d(z2)
            delta1 = (W2 @ delta2) * f.d(z1)
            # 7: (3) gradients, in the layout of the weights (rows = inputs); 8: (4) update
            W2 -= lr * (a1 @ delta2.mT)
            b2 -= lr * delta2
            W1 -= lr * (x @ delta1.mT)
            b1 -= lr * delta1
        if loss_every and _record_at(k, epochs, loss_every):
            loss_epochs.append(k)
            losses.append(loss())
        if progress is not None and _record_at(k, epochs, loss_every or SWEEP_REPORT_EVERY):
            progress(hidden, k)
    final = losses[-1] if loss_every and epochs else loss()
    return Trained(Nets(W1, b1[:, :, 0], W2, b2[:, :, 0]), loss_epochs, losses, final)


# --- the fast kernel ------------------------------------------------------------------------
#
# Every parameter of the notes becomes a row of N numbers, one per network, and each line of §2.9
# runs once for all of them: the arithmetic of `plain_epochs` above, laid out for speed.
#
# Layout: the bias is the weight of a constant input 1 (x̃ = (x1, x2, 1)), so
#   W̃1 = [W^(1); b^(1)ᵀ] has shape (3, 2, N): W̃1[i-1, j-1, n] = w_ij^(1) of network n (rows = inputs),
#   W̃2 = [W^(2); b^(2)]  has shape (3, N):    W̃2[i-1, n] = w_i1^(2), W̃2[2, n] = b^(2).
#
# Speed (benchmarks/bench_sweep.py, benchmarks/bench_kernels.py): for N ≈ 1000 a NumPy call costs
# ~0.5 µs before its arithmetic (~0.25 µs per 1000 numbers), and e^x, scalar libm here, ~5.5 µs per
# 1000. So the loop of an epoch is generated for each (f, g, data) (exec of a source built below):
# the samples are known before training, and each becomes a straight run of ufunc calls on local
# names, with preallocated outputs and an input 0 (nothing to add, nothing to update) or 1 (no
# product) written out. It avoids what makes a call slower: Python floats as operands (the constants
# are 0-d arrays), broadcasting an (N,) row against a (2, N) block (~3× a plain call; rows are taken
# one by one) and slicing in the loop. Rows that take the same operation are neighbours in one block,
# so one call does them all:
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
# ŷ − y), so a network follows `plain_epochs` to rounding, not bit for bit.


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
    "tanh": (
        1,
        [
            "multiply({z}, two_log2e, {u})",
            "exp2({u}, {u})",
            "add({u}, one, {u})",
            "divide(two, {u}, {u})",
            "subtract(one, {u}, {a})",
        ],
    ),
    "relu": (1, ["maximum({z}, zero, out={a})"]),  # out by keyword: NumPy 2.4 deprecates it positional
    "linear": (1, ["copyto({a}, {z})"]),
    "step": (1, ["greater({z}, zero, {a})"]),  # H(z): 1.0 where z > 0, else 0.0
}
# f'(z) from a = f(z), as the notes write σ' = σ(1 − σ); for ReLU, a > 0 exactly when z > 0.
_SWEEP_FPRIME = {
    "sigmoid": ["subtract(one, {a}, {om})", "multiply({om}, {a}, {fp})"],
    "tanh": ["multiply({a}, {a}, {fp})", "subtract(one, {fp}, {fp})"],
    "relu": ["greater({a}, zero, {fp})"],
    "linear": ["{fp}.fill(1.0)"],
    "step": ["{fp}.fill(0.0)"],  # f'(z) = 0 wherever it exists (z = 0 taken as 0, as in activations)
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
    "exp exp2 add subtract multiply divide maximum greater copyto"
).split()


def _sweep_forward(hidden: str, output: str, j: int | None, x1: float, x2: float) -> list[str]:
    """§2.3 for sample j: z^(1) = Σ_i x_i w_i·^(1) + b^(1), a^(1) = f(z^(1)), z^(2), ŷ = g(z^(2)).

    j = None (with x1 = x2 = NaN): any sample, whose values are in the 0-d arrays x1_, x2_ (and y_)."""
    lines: list[str] = []
    terms: list[str] = []
    sample = "" if j is None else j
    for i, xi in ((1, x1), (2, x2)):
        if xi == 1.0:
            terms.append(f"W1_{i}")
        elif xi != 0.0:
            lines.append(f"multiply(W1_{i}, x{i}_{sample}, xw_{i})")
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
    title = "any sample" if j is None else f"sample {j + 1}: x = ({x1:g}, {x2:g}), y = {y:g}"
    lines = [f"# {title}; (1) forward, §2.3"]
    lines += _sweep_forward(hidden, output, j, x1, x2)
    sample = "" if j is None else j
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
        lines += [f"subtract(yhat, y_{sample}, k)", "multiply(k, kappa_eta, k)"]
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
        lines += [
            "multiply(eta_delta1_1, eta_delta2, eta_delta1_1)",
            "multiply(eta_delta1_2, eta_delta2, eta_delta1_2)",
        ]
    lines += [
        "# b^(1) ← b^(1) − η δ^(1), b^(2) ← b^(2) − η δ^(2), W^(2) ← W^(2) − η a^(1) δ^(2): one call",
        f"{update}(bW2, R, bW2)",
        "# w_i·^(1) ← w_i·^(1) − η x_i δ^(1) for x_i ≠ 0",
    ]
    for i, xi in ((1, x1), (2, x2)):
        if xi == 1.0:
            lines.append(f"{update}(W1_{i}, eta_delta1, W1_{i})")
        elif xi != 0.0:
            lines += [f"multiply(eta_delta1, x{i}_{sample}, xw_{i})", f"{update}(W1_{i}, xw_{i}, W1_{i})"]
    return lines


def _sweep_source(hidden: str, output: str, data: Sequence[Sample]) -> tuple[str, list[str]]:
    """The source of `epochs(n, …)` (n epochs of §2.9) and `losses(…)` (L into `total`, §2.1) for
    this f, g and data, and the names they take. To read it: print(_sweep_source("sigmoid",
    "sigmoid", [(0., 0., 0.), (0., 1., 1.), (1., 0., 1.), (1., 1., 0.)])[0])."""
    step: list[str] = []
    loss: list[str] = []
    names = list(_SWEEP_NAMES)
    for j, (x1, x2, y) in enumerate(data):
        names += [f"x{i}_{j}" for i, xi in ((1, x1), (2, x2)) if xi not in (0.0, 1.0)] + [f"y_{j}"]
        step += _sweep_step(hidden, output, j, x1, x2, y)
    # L = (1/m) Σ ½(ŷ − y)², summed in the order of engine.training.fast_epochs: samples 2 … m, then 1
    for j in [*range(1, len(data)), 0]:
        x1, x2, _ = data[j]
        loss += _sweep_forward(hidden, output, j, x1, x2)
        loss += [
            f"subtract(yhat, y_{j}, err)",
            "multiply(err, err, err)",
            "multiply(err, half, err)",
            "add(total, err, total)",
        ]
    src = _SWEEP_LOOP.format(names=", ".join(names), step=_indent(step, 8), loss=_indent(loss, 4))
    return src, names


def _indent(lines: list[str], n: int) -> str:
    return "\n".join(" " * n + line for line in lines)


Generated = Callable[..., None]  # a generated function: it writes its results into the arrays it is given


def _compiled(src: str, filename: str, *names: str) -> list[Generated]:
    namespace: dict[str, Generated] = {}
    exec(compile(src, filename, "exec"), namespace)
    return [namespace[name] for name in names]


@functools.lru_cache(maxsize=32)
def _sweep_loops(hidden: str, output: str, data: tuple[Sample, ...]) -> tuple[Generated, Generated, list[str]]:
    """(epochs, losses, names) for this f, g and data, compiled once."""
    src, names = _sweep_source(hidden, output, data)
    epochs, losses = _compiled(src, f"<sweep {hidden}/{output}>", "epochs", "losses")
    return epochs, losses, names


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
def _sweep_rows(hidden: str, output: str) -> tuple[Generated, Generated, list[str]]:
    """(epochs_rows, losses_rows, names) for this f, g and any data: one step for every sample."""
    nan = math.nan
    names = [*_SWEEP_NAMES, "x1_", "x2_", "y_"]
    loss = _sweep_forward(hidden, output, None, nan, nan) + [
        "subtract(yhat, y_, err)",
        "multiply(err, err, err)",
        "multiply(err, half, err)",
        "add(total, err, total)",
    ]
    src = _SWEEP_ROWS.format(
        names=", ".join(names), step=_indent(_sweep_step(hidden, output, None, nan, nan, nan), 8), loss=_indent(loss, 8)
    )
    epochs_rows, losses_rows = _compiled(src, f"<sweep rows {hidden}/{output}>", "epochs_rows", "losses_rows")
    return epochs_rows, losses_rows, names


def fast_epochs(
    start: Nets,
    data: Sequence[Sample],
    lr: float,
    hidden: str,
    output: str,
    epochs: int,
    loss_every: int = 0,
    progress: Progress | None = None,
) -> Trained:
    """`plain_epochs` through the generated kernel: the same networks, losses and calls of `progress`
    (and more of them on large sweeps: also within an epoch, after about SWEEP_CHUNK network-samples)."""
    n = start.W1.shape[0]
    W1t = np.empty((3, 2, n))  # W̃1 = [W^(1); b^(1)ᵀ] and W̃2 = [W^(2); b^(2)], network n in column n
    W1t[0:2], W1t[2] = np.moveaxis(start.W1, 0, -1), start.b1.T
    W2t = np.empty((3, n))
    W2t[0:2], W2t[2] = start.W2[:, :, 0].T, start.b2[:, 0]
    unrolled = len(data) <= UNROLL_SAMPLES
    if unrolled:
        epochs_loop, losses_of, names = _sweep_loops(hidden, output, tuple(data))
    else:
        epochs_rows, losses_rows, names = _sweep_rows(hidden, output)
    sign1, sign2 = _SWEEP_F[hidden][0], _SWEEP_F[output][0]
    kappa_eta = _kappa(hidden, output) * lr
    W1 = W1t[0:2] * sign1  # w_1·^(1), w_2·^(1), stored sign₁ W^(1)
    P = np.empty((6, n))  # [b^(1); b^(2); W^(2); k], stored sign₁ b^(1), sign₂ b^(2), sign₂ W^(2)
    P[0:2], P[2], P[3:5] = W1t[2] * sign1, W2t[2] * sign2, W2t[0:2] * sign2
    A, R, wa = np.empty((3, n)), np.empty((5, n)), np.empty((2, n))
    env = {
        "W1_1": W1[0],
        "W1_2": W1[1],
        "b1": P[0:2],
        "bW2": P[0:5],
        "b2": P[2],
        "W2": P[3:5],
        "k": P[5],
        "K": P[3:6],
        "A": A,
        "a1": A[0:2],
        "a1_1": A[0],
        "a1_2": A[1],
        "yhat": A[2],
        "F": R[0:3],
        "f1": R[0:2],
        "f2": R[2],
        "om2": np.empty(n),
        "z1": np.empty((2, n)),
        "z2": wa[0],
        "wa": wa,
        "wa_1": wa[0],
        "wa_2": wa[1],
        "R": R,
        "D": R[0:3],
        "eta_delta1": R[0:2],
        "eta_delta1_1": R[0],
        "eta_delta1_2": R[1],
        "eta_delta2": R[2],
        "s": R[3:5],
        "s_1": R[3],
        "s_2": R[4],
        "xw_1": np.empty((2, n)),
        "xw_2": np.empty((2, n)),
        "total": np.empty(n),
        "err": np.empty(n),
        "one": _const(1.0),
        "zero": _const(0.0),
        "two": _const(2.0),
        "half": _const(0.5),
        "two_log2e": _const(2.8853900817779268),  # e^(2z) = 2^(2z·log₂e)
        "inv_m": _const(1.0 / len(data)),
        "kappa_eta": _const(kappa_eta),
        "minus_kappa_eta": _const(-kappa_eta),
        "exp": np.exp,
        "exp2": np.exp2,
        "add": np.add,
        "subtract": np.subtract,
        "multiply": np.multiply,
        "divide": np.divide,
        "maximum": np.maximum,
        "greater": np.greater,
        "copyto": np.copyto,
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

    def in_chunks(run: Generated, order: Sequence[Sample]) -> None:
        """`run` over `order` in chunks of rows, with a progress call between two chunks."""
        for lo in range(0, len(order), rows):
            if lo and progress is not None:
                progress(hidden, k)
            run(order[lo : lo + rows], **env)

    def loss() -> np.ndarray:
        if unrolled:
            losses_of(**env)
        else:  # in the order of the unrolled `losses`: samples 2 … m, then sample 1
            env["total"].fill(0.0)
            in_chunks(losses_rows, [*data[1:], *data[:1]])
            np.multiply(env["total"], env["inv_m"], env["total"])
        return env["total"].copy()

    loss_epochs: list[int] = []
    losses: list[np.ndarray] = []
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
    nets = Nets(
        W1=np.moveaxis(W1 * sign1, -1, 0),
        b1=(P[0:2] * sign1).T,
        W2=(P[3:5] * sign2).T[:, :, None],
        b2=(P[2] * sign2)[:, None],
    )
    return Trained(nets, loss_epochs, losses, final)


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


def _readonly(arr: np.ndarray | list[int], dtype: type = np.float64) -> np.ndarray:
    out: np.ndarray = np.array(arr, dtype=dtype)  # a copy: nobody else holds it
    out.flags.writeable = False
    return out


def _random_starts(seeds: np.ndarray, scale: float) -> Nets:
    """random_params(seeds[n], scale) for every n, bit for bit.

    random_params draws W^(1), b^(1), W^(2), b^(2) with four rng.uniform(−s, s) calls, each value
    −s + (s − (−s))·u for the next u of the generator; one rng.random(9) per seed gives the same u
    in the same order, and the arithmetic is then done once for all seeds: ~3× faster, which is
    ~5% of a 1000-network sweep. tests/engine/test_sweep.py pins it to random_params.
    """
    low, width = -scale, scale - -scale
    if not math.isfinite(width):
        raise OverflowError("scale: the range of the uniform draw is not finite")
    u = np.stack([np.random.default_rng(int(s)).random(9) for s in seeds])  # (N, 9)
    p = low + width * u  # columns: w11 w12 w21 w22 (W^(1) row by row), b1 b2, w11 w21 (W^(2)), b^(2)
    return Nets(W1=p[:, 0:4].reshape(-1, 2, 2), b1=p[:, 4:6], W2=p[:, 6:8, None], b2=p[:, 8:9])


def sweep(
    model: Model,
    nets: int,
    epochs: int,
    seed: int | None = None,
    hidden: tuple[str, ...] | list[str] | None = None,
    *,
    scale: float | None = None,
    threshold: float = CONVERGED_LOSS,
    loss_every: int = 0,
    progress: Progress | None = None,
    fast: bool = True,
) -> SweepResult:
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

    fast = False trains with `plain_epochs`, the reference, instead of the generated kernel.
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
            raise ValueError(
                f"unknown hidden activation {h!r}; expected one of {', '.join(activations.HIDDEN_ACTIVATIONS)}"
            )
    if len(set(hidden)) != len(hidden) or not hidden:
        raise ValueError(f"hidden activations must be distinct and at least one, got {hidden}")
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    seed = model.seed if seed is None else int(seed)
    scale = INIT_SCALE if scale is None else scale
    seeds = np.arange(seed, seed + nets, dtype=np.int64)
    start = _random_starts(seeds, scale)
    train = fast_epochs if fast else plain_epochs
    runs = []
    for h in hidden:
        with np.errstate(all="ignore"):
            res = train(start, data, model.lr, h, model.output, epochs, loss_every, progress)
        runs.append(
            SweepRun(
                hidden=h,
                final_loss=_readonly(res.final),
                W1=_readonly(res.nets.W1),
                b1=_readonly(res.nets.b1),
                W2=_readonly(res.nets.W2),
                b2=_readonly(res.nets.b2),
                loss_epochs=_readonly(res.loss_epochs, dtype=np.int64),
                losses=_readonly(np.array(res.losses).reshape(len(res.losses), nets)),
                threshold=threshold,
            )
        )
    seeds.flags.writeable = False
    return SweepResult(
        model=model.name,
        output=model.output,
        lr=model.lr,
        epochs=epochs,
        seeds=seeds,
        threshold=threshold,
        runs=tuple(runs),
    )
