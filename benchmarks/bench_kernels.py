"""Each code generator of the engine against its plain counterpart, in one run (issue 10, item 4).

    python benchmarks/bench_kernels.py [--repeats 7] [--epochs 5000] [--nets 1000] [--sweep-epochs 500]

1. One network on Python floats: `generated_epochs` below (the loop engine.training.fast_epochs was
   until issue 10: generated per activation pair, f and f' written inline; dropped) against
   engine.training.fast_epochs, the same loop written once by hand with f and f' called as
   functions. XOR, every activation pair, `--epochs` epochs; the two must agree bit for bit. For
   context, the hand-written loop against engine.training.plain_epochs (the NumPy step code).
2. N networks at once: engine.sweep.fast_epochs (the kernel generated per activations and data) against
   engine.sweep.plain_epochs (§2.9 on a stack of N networks, plain NumPy), through
   sweep.sweep(..., fast=True/False): XOR, `--nets` networks × `--sweep-epochs` epochs; the two must
   agree to 1e-12 (relative) over 20 epochs.

The two sides of each pair run interleaved, `--repeats` times, after one untimed warm-up each (the
generators compile on first use); medians and their ratio are printed. The issue's rule: a generator
that buys less than 1.5× is dropped. Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from engine import activations, presets, sweep, training  # noqa: E402
from engine.model import Model  # noqa: E402
from engine.network import Params  # noqa: E402

RULE = 1.5  # a generator must buy at least this much over its plain counterpart


# --- the dropped generator --------------------------------------------------------------------
#
# engine.training.fast_epochs was, until issue 10, the loop below, generated per activation pair
# (exec) with f, f' written inline; it is kept here only so that the decision to drop it can be
# rechecked on any machine. One loop, written once below as a template, with f, f', g, g' written
# inline for the chosen activation pair.

# f(z) → a as an assignment, and f'(z) in terms of (z, a = f(z)), as the notes do for the sigmoid:
# σ' = a(1 − a). The sigmoid uses e^(−|z|) so it never overflows (as activations.sigmoid).
_INLINE = {
    "sigmoid": ("{a} = 1.0 / (1.0 + exp(-{z})) if {z} >= 0.0 else (e := exp({z})) / (1.0 + e)", "({a} * (1.0 - {a}))"),
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
        forward = _FORWARD.format(
            f_a1=f.format(a="a1", z="z1"), f_a2=f.format(a="a2", z="z2"), g_yh=g.format(a="yh", z="zo")
        )
        step = _BACKWARD_UPDATE.format(
            gd=gd.format(a="yh", z="zo"), fd1=fd.format(a="a1", z="z1"), fd2=fd.format(a="a2", z="z2")
        )

        def indent(block: str, n: int) -> str:
            return "\n".join(" " * n + line for line in block.splitlines())

        src = _LOOP.format(
            forward_4=indent(forward, 4),
            forward_8=indent(forward, 8),
            forward_12=indent(forward, 12),
            step_8=indent(step, 8),
            step_12=indent(step, 12),
        )
        namespace = {"exp": math.exp, "tanh": math.tanh, "isfinite": math.isfinite}
        exec(compile(src, f"<fast_epochs {hidden}/{output}>", "exec"), namespace)
        _LOOPS[key] = namespace["epochs_loop"]
    return _LOOPS[key]


def generated_epochs(params: Params, model: Model, epochs: int) -> training.TrainResult:
    """engine.training.fast_epochs as it was: w_ij is W1[i-1][j-1], v_i is W2[i-1][0], c is b^(2)."""
    loop = _epochs_loop(model.hidden, model.output)
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    losses, last, diverged_at = loop(w11, w12, w21, w22, b1, b2, v1, v2, c, data, model.lr, 1.0 / len(data), epochs)
    w11, w12, w21, w22, b1, b2, v1, v2, c = last
    out = Params(W1=[[w11, w12], [w21, w22]], b1=[b1, b2], W2=[[v1], [v2]], b2=[c])
    return training.TrainResult(np.array(losses), out, diverged_at)


# --- timing ---------------------------------------------------------------------------------


def interleaved(a: Callable[[], object], b: Callable[[], object], repeats: int) -> tuple[list[float], list[float]]:
    a(), b()  # warm-up: compiles the generated code, fills caches
    ta, tb = [], []
    for _ in range(repeats):
        for fn, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return ta, tb


def scalar_part(args: argparse.Namespace) -> float:
    print(
        f"1. one network, XOR, {args.epochs} epochs: the dropped generator vs training.fast_epochs, by hand "
        f"(median of {args.repeats})"
    )
    print(f"   {'hidden/output':16s}{'generated ms':>14s}{'by hand ms':>12s}{'ratio':>8s}  bit for bit")
    ratios = []
    for hidden, output in itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS):
        model = presets.load("xor").with_(hidden=hidden, output=output)
        gen = generated_epochs(model.params, model, args.epochs)
        hand = training.fast_epochs(model.params, model, args.epochs)
        same = (
            gen.diverged_at == hand.diverged_at
            and np.array_equal(gen.losses, hand.losses)
            and gen.params == hand.params
        )
        if not same:
            sys.exit(f"{hidden}/{output}: the hand-written loop differs from the generated one")
        tg, th = interleaved(
            lambda: generated_epochs(model.params, model, args.epochs),
            lambda: training.fast_epochs(model.params, model, args.epochs),
            args.repeats,
        )
        mg, mh = statistics.median(tg), statistics.median(th)
        ratios.append(mh / mg)
        print(f"   {hidden + '/' + output:16s}{mg * 1e3:14.1f}{mh * 1e3:12.1f}{mh / mg:7.2f}×  yes")
    ratio = statistics.median(ratios)
    print(
        f"   the generator buys {ratio:.2f}× (median over the 12 pairs; {min(ratios):.2f}–{max(ratios):.2f}×): "
        f"{'keep' if ratio >= RULE else 'drop'} (rule: ≥ {RULE}×)"
    )
    model = presets.load("xor")
    n = max(1, args.epochs // 20)
    th, tp = interleaved(
        lambda: training.fast_epochs(model.params, model, n),
        lambda: training.plain_epochs(model.params, model, n),
        max(3, args.repeats // 2),
    )
    print(
        f"   context: training.fast_epochs against training.plain_epochs (NumPy), XOR, {n} epochs: "
        f"{statistics.median(tp) / statistics.median(th):.1f}× faster"
    )
    return ratio


def sweep_part(args: argparse.Namespace) -> float:
    model = presets.load("xor")
    print(
        f"2. {args.nets} XOR networks × {args.sweep_epochs} epochs, hidden {model.hidden}: generated kernel "
        f"(sweep.fast_epochs) vs plain reference (sweep.plain_epochs) (median of {args.repeats})"
    )
    # agreement over 20 epochs (beyond that, gradient descent amplifies rounding: tests/engine/test_sweep.py)
    a, b = sweep.sweep(model, args.nets, 20).runs[0], sweep.sweep(model, args.nets, 20, fast=False).runs[0]
    worst = max(
        float(np.max(np.abs(getattr(a, f) - getattr(b, f)) / (1e-3 + np.abs(getattr(b, f)))))
        for f in ("final_loss", "W1", "b1", "W2", "b2")
    )
    tf, tp = interleaved(
        lambda: sweep.sweep(model, args.nets, args.sweep_epochs),
        lambda: sweep.sweep(model, args.nets, args.sweep_epochs, fast=False),
        args.repeats,
    )
    mf, mp = statistics.median(tf), statistics.median(tp)
    samples = args.nets * args.sweep_epochs * model.m
    print(f"   {'':16s}{'median s':>10s}{'ns per network-sample':>24s}")
    print(f"   {'kernel':16s}{mf:10.3f}{mf / samples * 1e9:24.1f}")
    print(f"   {'reference':16s}{mp:10.3f}{mp / samples * 1e9:24.1f}")
    ratio = mp / mf
    print(
        f"   the kernel buys {ratio:.2f}×: {'keep' if ratio >= RULE else 'drop'} (rule: ≥ {RULE}×); "
        f"largest difference {worst:.1e} (relative, 1e-3 floor; required ≤ 1e-12)"
    )
    if worst > 1e-12:
        sys.exit("the kernel and the reference differ")
    return ratio


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=5000, help="epochs of the one-network runs")
    ap.add_argument("--nets", type=int, default=1000)
    ap.add_argument("--sweep-epochs", type=int, default=500)
    args = ap.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}, "
        f"numpy {np.__version__}; load average {os.getloadavg()[0]:.2f}"
    )
    print()
    scalar_part(args)
    print()
    sweep_part(args)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
