"""The histogram of a sweep's final losses, log₁₀ L per network: what `sweep` prints and what the
sweep screen draws, from one set of bins and ticks (plotext, through whichever plotext object the
caller has: the module for text, a textual-plotext widget's for the screen)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tui.text import fmt

BINS = 40
LOG10_FLOOR = -300.0  # log₁₀ of a final loss of exactly 0 (never seen in practice)


def log10_losses(final_loss: np.ndarray) -> np.ndarray:
    """log₁₀ L of the networks whose final loss is finite (diverged ones are counted apart)."""
    finite = final_loss[np.isfinite(final_loss)]
    with np.errstate(divide="ignore"):
        return np.maximum(np.log10(finite), LOG10_FLOOR)


def log10_range(runs) -> tuple[float, float]:
    """Whole decades that hold every finite log₁₀ L of every run: one x axis for all histograms."""
    logs = np.concatenate([log10_losses(r.final_loss) for r in runs])
    if not logs.size:
        return -1.0, 0.0
    lo, hi = math.floor(logs.min()), math.ceil(logs.max())
    return float(lo), float(max(hi, lo + 1))


@dataclass(frozen=True)
class Bars:
    """Bars over [lo, hi], x ticks at whole decades (at most ten), y ticks at quarters."""

    lo: float
    hi: float
    centres: list[float]
    counts: list[int]
    xticks: list[int]
    yticks: list[int]


def bars(logs: np.ndarray, lo: float, hi: float, bins: int = BINS) -> Bars:
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(logs, edges)
    decades = list(range(int(lo), int(hi) + 1))
    step = max(1, math.ceil(len(decades) / 10))
    top = int(counts.max()) if counts.size else 0
    return Bars(
        lo,
        hi,
        ((edges[:-1] + edges[1:]) / 2).tolist(),
        counts.tolist(),
        decades[::step],
        sorted({round(top * k / 4) for k in range(5)}),
    )


def plot(plt, b: Bars, *, width: float, color: str | None = None) -> None:
    """Draw the bars on plotext's `plt` (cleared by the caller); the decades with fmt's minus: −3."""
    if color is None:
        plt.bar(b.centres, b.counts, width=width)
    else:
        plt.bar(b.centres, b.counts, width=width, color=color)
    plt.xlim(b.lo, b.hi)
    plt.xticks(b.xticks, [fmt.integer(d) for d in b.xticks])
    plt.yticks(b.yticks, [fmt.integer(v) for v in b.yticks])
    plt.xlabel("log₁₀ L")
