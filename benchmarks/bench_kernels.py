"""Each code generator of the engine against its plain counterpart, in one run (issue 10, item 4).

    python benchmarks/bench_kernels.py [--repeats 7] [--epochs 5000] [--nets 1000] [--sweep-epochs 500]

1. One network on Python floats: engine.training.fast_epochs (the loop generated per activation pair,
   f and f' written inline) against `hand_epochs` below, the same loop written once by hand with
   f and f' called as functions. XOR, every activation pair, `--epochs` epochs; the two must agree
   bit for bit.
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
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from engine import activations, presets, sweep, training  # noqa: E402
from engine.model import Model  # noqa: E402
from engine.network import Params  # noqa: E402

RULE = 1.5  # a generator must buy at least this much over its plain counterpart


# --- the candidate: the generated scalar loop, written by hand --------------------------------

def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else (e := math.exp(z)) / (1.0 + e)


SCALAR: dict[str, tuple[Callable[[float], float], Callable[[float, float], float]]] = {
    "sigmoid": (_sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": (math.tanh, lambda z, a: 1.0 - a * a),
    "relu": (lambda z: z if z > 0.0 else 0.0, lambda z, a: 1.0 if z > 0.0 else 0.0),
    "linear": (lambda z: z, lambda z, a: 1.0),
}


def hand_epochs(params: Params, model: Model, epochs: int) -> training.TrainResult:
    """training.fast_epochs's arithmetic in its order, with f, f' called instead of inlined."""
    (f, f_prime), (g, g_prime) = SCALAR[model.hidden], SCALAR[model.output]
    data = [(float(x[0]), float(x[1]), float(y)) for x, y in zip(model.X, model.Y)]
    (w11, w12), (w21, w22) = params.W1.tolist()
    b1, b2 = params.b1.tolist()
    (v1,), (v2,) = params.W2.tolist()
    (c,) = params.b2.tolist()
    lr, inv_m = model.lr, 1.0 / len(data)
    loss_order = data[1:] + data[:1]
    losses: list[float] = []
    for k in range(1, epochs + 1):
        before = (w11, w12, w21, w22, b1, b2, v1, v2, c)
        for x1, x2, y in data:
            z1 = w11 * x1 + w21 * x2 + b1
            z2 = w12 * x1 + w22 * x2 + b2
            a1, a2 = f(z1), f(z2)
            zo = v1 * a1 + v2 * a2 + c
            yh = g(zo)
            d = (yh - y) * g_prime(zo, yh)
            d1 = v1 * d * f_prime(z1, a1)
            d2 = v2 * d * f_prime(z2, a2)
            w11 -= lr * (x1 * d1)
            w21 -= lr * (x2 * d1)
            w12 -= lr * (x1 * d2)
            w22 -= lr * (x2 * d2)
            b1 -= lr * d1
            b2 -= lr * d2
            v1 -= lr * (a1 * d)
            v2 -= lr * (a2 * d)
            c -= lr * d
        total = 0.0
        for x1, x2, y in loss_order:
            e = g(v1 * f(w11 * x1 + w21 * x2 + b1) + v2 * f(w12 * x1 + w22 * x2 + b2) + c) - y
            total += 0.5 * (e * e)
        loss = total * inv_m
        if not math.isfinite(loss):
            w11, w12, w21, w22, b1, b2, v1, v2, c = before
            break
        losses.append(loss)
    else:
        k = None  # type: ignore[assignment]
    out = Params(W1=np.array([[w11, w12], [w21, w22]]), b1=np.array([b1, b2]), W2=np.array([[v1], [v2]]),
                 b2=np.array([c]))
    return training.TrainResult(np.array(losses), out, k)


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
    print(f"1. one network, XOR, {args.epochs} epochs: generated training.fast_epochs vs hand_epochs "
          f"(median of {args.repeats})")
    print(f"   {'hidden/output':16s}{'generated ms':>14s}{'by hand ms':>12s}{'ratio':>8s}  bit for bit")
    ratios = []
    for hidden, output in itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS):
        model = presets.load("xor").with_(hidden=hidden, output=output)
        gen = training.fast_epochs(model.params, model, args.epochs)
        hand = hand_epochs(model.params, model, args.epochs)
        same = (gen.diverged_at == hand.diverged_at and np.array_equal(gen.losses, hand.losses)
                and gen.params == hand.params)
        if not same:
            sys.exit(f"{hidden}/{output}: the hand-written loop differs from the generated one")
        tg, th = interleaved(lambda: training.fast_epochs(model.params, model, args.epochs),
                             lambda: hand_epochs(model.params, model, args.epochs), args.repeats)
        mg, mh = statistics.median(tg), statistics.median(th)
        ratios.append(mh / mg)
        print(f"   {hidden + '/' + output:16s}{mg * 1e3:14.1f}{mh * 1e3:12.1f}{mh / mg:7.2f}×  yes")
    ratio = statistics.median(ratios)
    print(f"   the generator buys {ratio:.2f}× (median over the 12 pairs; {min(ratios):.2f}–{max(ratios):.2f}×): "
          f"{'keep' if ratio >= RULE else 'drop'} (rule: ≥ {RULE}×)")
    return ratio


def sweep_part(args: argparse.Namespace) -> float:
    model = presets.load("xor")
    print(f"2. {args.nets} XOR networks × {args.sweep_epochs} epochs, hidden {model.hidden}: generated kernel "
          f"(sweep.fast_epochs) vs plain reference (sweep.plain_epochs) (median of {args.repeats})")
    # agreement over 20 epochs (beyond that, gradient descent amplifies rounding: tests/engine/test_sweep.py)
    a, b = sweep.sweep(model, args.nets, 20).runs[0], sweep.sweep(model, args.nets, 20, fast=False).runs[0]
    worst = max(float(np.max(np.abs(getattr(a, f) - getattr(b, f)) / (1e-3 + np.abs(getattr(b, f)))))
                for f in ("final_loss", "W1", "b1", "W2", "b2"))
    tf, tp = interleaved(lambda: sweep.sweep(model, args.nets, args.sweep_epochs),
                         lambda: sweep.sweep(model, args.nets, args.sweep_epochs, fast=False), args.repeats)
    mf, mp = statistics.median(tf), statistics.median(tp)
    samples = args.nets * args.sweep_epochs * model.m
    print(f"   {'':16s}{'median s':>10s}{'ns per network-sample':>24s}")
    print(f"   {'kernel':16s}{mf:10.3f}{mf / samples * 1e9:24.1f}")
    print(f"   {'reference':16s}{mp:10.3f}{mp / samples * 1e9:24.1f}")
    ratio = mp / mf
    print(f"   the kernel buys {ratio:.2f}×: {'keep' if ratio >= RULE else 'drop'} (rule: ≥ {RULE}×); "
          f"largest difference {worst:.1e} (relative, 1e-3 floor; required ≤ 1e-12)")
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
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}, "
          f"numpy {np.__version__}; load average {os.getloadavg()[0]:.2f}")
    print()
    scalar_part(args)
    print()
    sweep_part(args)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
