"""Pictures of engine.surface in characters (issue 13): what `backprop-tui surface` prints, what the
app's surface view draws where colour is not there (16 colours, NO_COLOR), and the cell codes its
half-block drawing colours. Pure: no Textual, no rich; every value comes from engine.surface.

Decisions (docs/KEYS.md, `h`):
- Shading: four levels, one character per grid point, ░ ▒ ▓ █ for the lowest to the highest quarter
  of the shading range. For ŷ with a sigmoid output that range is [0, 1], so ▒|▓ is exactly ŷ = 0.5:
  ░ ŷ < 0.25, ▒ < 0.5, ▓ < 0.75, █ ≥ 0.75. An output (or hidden) activation bounded on both sides
  is shaded over its own range (tanh: [−1, 1], so █ is ŷ ≥ 0.5 there); an unbounded one (relu,
  linear) over [0, 1], values beyond clipped to the end levels (the truth tables' targets are 0
  and 1; the legend says "clipped"). A value that is not finite (a diverged model) is "?".
- The ŷ = 0.5 contour (engine.surface.crossings) is drawn with "·" over the shading: a grid point
  whose ŷ is on the other side of 0.5 from its right or upper neighbour.
- The training samples sit at their nearest grid point, marked with their target's side of 0.5:
  ○ y < 0.5, ● y ≥ 0.5 (the truth tables: ○ is 0, ● is 1); ◐ when samples of both kinds share a cell.
- Rows run from the top of the span (x₂ high) down; columns from x₁ low to high.
- A hidden unit's own picture (a_j⁽¹⁾) has its contour where z_j⁽¹⁾ = 0, the line the unit draws:
  a = f(0) (0.5 for σ, 0 for tanh), and a > 0 for ReLU.
- The hidden space: the samples at (a₁⁽¹⁾, a₂⁽¹⁾) over the hidden activation's range, the output's
  decision line w₁₁⁽²⁾a₁ + w₂₁⁽²⁾a₂ + b⁽²⁾ = f⁻¹(0.5) drawn with "·" through the cells it crosses
  (its sign changes between a cell's corners), the ŷ ≥ 0.5 side shaded ░.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine import surface as S
from tui.text import fmt
from tui.text.i18n import t

LEVELS = "░▒▓█"  # shading, lowest quarter of the range first
CONTOUR = "·"  # the ŷ = 0.5 contour, and the decision line in the hidden space
NOT_FINITE = "?"
LOW, HIGH, BOTH = "○", "●", "◐"  # a sample's target below 0.5, at or above it, both in one cell
COLOUR_LEVELS = 6  # the app's half-block colours: 3 on each side of the middle (ŷ = 0.5 for σ); more cost bytes in play
CODE_CONTOUR, CODE_NAN = COLOUR_LEVELS, COLOUR_LEVELS + 1  # pixel codes beyond the levels
MAX_TEXT_GRID = 201  # `surface --grid`: points per side at most (a text line per grid row)


def minus(text: str) -> str:
    """A number as the screen writes it: the minus sign U+2212."""
    return text.replace("-", "−")


def tick(value: float, comma: bool = False) -> str:
    """An axis end: two decimals (−0.50, 1.50)."""
    return minus(fmt.num(value, comma, decimals=2))


def compact(value: float, comma: bool = False) -> str:
    """A cut or threshold as short as it is: 0.25, 0.5, −1, 0."""
    if value == 0:
        return "0"
    text = minus(fmt.num(value, comma))
    return text.rstrip("0").rstrip(".,") if "e" not in text else text


def shade_range(activation: str) -> tuple[float, float, bool]:
    """(low, high, clipped): the activation's range when it is bounded on both sides, else [0, 1]
    with the values beyond it clipped."""
    low, high, _, _ = activations.RANGES[activation]
    if math.isfinite(low) and math.isfinite(high):
        return low, high, False
    return 0.0, 1.0, True


def unit_level(hidden: str) -> float:
    """The a_j⁽¹⁾ at which z_j⁽¹⁾ = 0 (the unit's line), as crossings() takes it (value ≥ level)."""
    at_zero = float(activations.get(hidden).f(np.array([0.0]))[0])
    # ReLU and the step: a > 0 ⇔ z > 0 (both give 0 at z = 0)
    return math.nextafter(at_zero, math.inf) if hidden in activations.KINKS else at_zero


def levels(values: np.ndarray, low: float, high: float, n: int) -> np.ndarray:
    """The level 0 … n−1 of each value over [low, high] (clipped), n for a value that is not finite."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    with np.errstate(all="ignore"):
        k = np.floor((np.where(finite, v, low) - low) / (high - low) * n)
    return np.where(finite, np.clip(k, 0, n - 1), n).astype(np.int64)


def cells(values: np.ndarray, low: float, high: float, n: int) -> np.ndarray:
    """The nearest of n evenly spaced grid points from low to high for each value (round half to even),
    as floats: it may fall outside 0 … n−1 (far outside for 1e308: no overflow), NaN stays NaN."""
    with np.errstate(all="ignore"):
        return np.rint((np.asarray(values, dtype=np.float64) - low) / (high - low) * (n - 1))


def _grouped(rows: np.ndarray, cols: np.ndarray, Y: np.ndarray, height: int, width: int) -> dict[tuple[int, int], str]:
    """(row, col) → the marker of the samples in that cell (rows, cols: each sample's, inside
    height × width): ○ when all their targets are below 0.5, ● when all are at or above it, ◐ when
    both. Counted per cell by NumPy: a Python step per occupied cell, none per sample (a data set of
    60 000 rows redrew the h view in seconds)."""
    key = rows.astype(np.int64) * width + cols.astype(np.int64)
    total = np.bincount(key, minlength=height * width)
    with np.errstate(invalid="ignore"):  # a NaN target counts as below 0.5
        high = np.bincount(key, weights=(Y >= S.THRESHOLD).astype(np.float64), minlength=height * width)
    at = np.flatnonzero(total)
    mark = np.where(high[at] == total[at], 1, np.where(high[at] == 0, 0, 2))
    names = (LOW, HIGH, BOTH)
    return {(r, c): names[k] for r, c, k in zip((at // width).tolist(), (at % width).tolist(), mark.tolist())}


def marks(
    X: np.ndarray, Y: np.ndarray, x1: np.ndarray, x2: np.ndarray, rows: int | None = None
) -> dict[tuple[int, int], str]:
    """(row from the top, column) → marker of the samples inside the grid x1 × x2, at their nearest
    grid point; `rows` < len(x2): grid rows folded into cells (2 pixels a cell for half blocks).
    NumPy over all samples at once: the work per sample is a few array operations, not Python steps."""
    nx, ny = len(x1), len(x2)
    fold = 1 if rows is None else ny // rows
    X, Y = np.asarray(X, dtype=np.float64).reshape(-1, 2), np.asarray(Y, dtype=np.float64).reshape(-1)
    c, r = cells(X[:, 0], x1[0], x1[-1], nx), cells(X[:, 1], x2[0], x2[-1], ny)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(X[:, 0]) & np.isfinite(X[:, 1]) & (c >= 0) & (c < nx) & (r >= 0) & (r < ny)
    c, r = c[inside].astype(np.int64), r[inside].astype(np.int64)
    return _grouped((ny - 1 - r) // fold, c, Y[inside], (ny - 1) // fold + 1, nx)


def shade_rows(
    values: np.ndarray, low: float, high: float, contour: np.ndarray, marked: dict[tuple[int, int], str]
) -> list[str]:
    """One character per grid point, top row first: shading, the contour, the samples."""
    chars = np.array([*LEVELS, NOT_FINITE])[levels(values, low, high, len(LEVELS))]
    chars = np.where(contour & np.isfinite(values), CONTOUR, chars)[::-1].copy()
    for (r, c), m in marked.items():
        chars[r, c] = m
    return ["".join(row) for row in chars.tolist()]


def half_codes(values: np.ndarray, low: float, high: float, contour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(upper, lower) pixel codes of each half-block cell, top row first: 0 … COLOUR_LEVELS−1 the
    shading level, CODE_CONTOUR the contour, CODE_NAN not finite. `values` has an even number of
    rows (x₂ low first): two grid rows a cell."""
    k = levels(values, low, high, COLOUR_LEVELS)  # COLOUR_LEVELS where not finite
    k = np.where(k == COLOUR_LEVELS, CODE_NAN, np.where(contour, CODE_CONTOUR, k))[::-1]
    return k[0::2], k[1::2]


@dataclass(frozen=True)
class Plane:
    """What a picture of one quantity over the input plane needs, for text and for the app."""

    values: np.ndarray  # ny × nx, x₂ low first
    contour: np.ndarray  # ny × nx booleans
    low: float
    high: float
    clipped: bool


def output_plane(s: S.Surface, output: str) -> Plane:
    low, high, clipped = shade_range(output)
    return Plane(s.yhat, S.crossings(s.yhat), low, high, clipped)


def unit_plane(s: S.Surface, hidden: str, j: int) -> Plane:
    low, high, clipped = shade_range(hidden)
    a = s.a1[j]
    return Plane(a, S.crossings(a, unit_level(hidden)), low, high, clipped)


def framed(
    body: list[str],
    bounds: tuple[float, float, float, float],
    comma: bool = False,
    x_name: str = "x₁",
    y_name: str = "x₂",
) -> list[str]:
    """The picture with its axes: x₂'s ends at the top and bottom rows, x₁'s under the first and
    last columns.

         x₂
       1.50 ┤▓▓▒·░
            │…
      −0.50 ┤█▓▒·░
            └─────
             −0.50  1.50 x₁
    """
    lo1, hi1, lo2, hi2 = bounds
    top, bottom = tick(hi2, comma), tick(lo2, comma)
    w = max(len(top), len(bottom), len(y_name))
    width = len(body[0]) if body else 0
    out = [" " * (w - len(y_name)) + y_name]
    for i, row in enumerate(body):
        label = top if i == 0 else bottom if i == len(body) - 1 else ""
        out.append(f"{label:>{w}} {'┤' if label else '│'}{row}")
    out.append(" " * (w + 1) + "└" + "─" * width)
    left, right = tick(lo1, comma), tick(hi1, comma)
    gap = max(1, width - len(left) - len(right))
    out.append(" " * (w + 2) + left + " " * gap + right + " " + x_name)
    return out


def legend(plane: Plane, name: str, lang: str, comma: bool = False, contour: str = "0.5") -> str:
    """░ ŷ < 0.25  ▒ < 0.5  ▓ < 0.75  █ ≥ 0.75  · ŷ = 0.5  ○ y < 0.5  ● y ≥ 0.5 (clipped)."""
    n = len(LEVELS)
    cuts = [plane.low + (plane.high - plane.low) * k / n for k in range(1, n)]

    def v(x: float) -> str:
        return compact(x, comma)

    parts = [f"{LEVELS[0]} {name} < {v(cuts[0])}"]
    parts += [f"{LEVELS[k]} < {v(cuts[k])}" for k in range(1, n - 1)]
    parts.append(f"{LEVELS[-1]} ≥ {v(cuts[-1])}")
    half = v(S.THRESHOLD)
    parts.append(f"{CONTOUR} {name} = {contour.replace('.', ',') if comma else contour}")
    parts.append(f"{LOW} y < {half}  {HIGH} y ≥ {half}")
    text = "  ".join(parts)
    if plane.clipped:
        text += "  " + t("surface_clipped", lang)
    return text


def text_picture(
    s: S.Surface, X: np.ndarray, Y: np.ndarray, output: str, lang: str = "en", comma: bool = False
) -> list[str]:
    """ŷ over the grid as `backprop-tui surface` prints it: title, the framed picture, the legend."""
    plane = output_plane(s, output)
    body = shade_rows(plane.values, plane.low, plane.high, plane.contour, marks(X, Y, s.x1, s.x2))
    bounds = (float(s.x1[0]), float(s.x1[-1]), float(s.x2[0]), float(s.x2[-1]))
    return (
        [t("surface_text_title", lang, nx=len(s.x1), ny=len(s.x2))]
        + framed(body, bounds, comma)
        + [legend(plane, "ŷ", lang, comma)]
    )


def prediction_rows(preds: list[S.Prediction], lang: str = "en", comma: bool = False) -> list[str]:
    """x₁ x₂ y ŷ and right/wrong at 0.5 for every data row, then how many are right."""
    cells = [
        [
            minus(fmt.num(p.x[0], comma)),
            minus(fmt.num(p.x[1], comma)),
            minus(fmt.num(p.y, comma)),
            minus(fmt.num(p.yhat, comma)),
            t("surface_right" if p.right else "surface_wrong", lang),
        ]
        for p in preds
    ]
    head = ["x₁", "x₂", "y", "ŷ", t("surface_at_half", lang, half=compact(S.THRESHOLD, comma))]
    widths = [max(len(r[k]) for r in [head, *cells]) for k in range(len(head))]
    lines = [
        "  ".join(f"{c:>{w}}" if k < 4 else c for k, (c, w) in enumerate(zip(row, widths))).rstrip()
        for row in [head, *cells]
    ]
    right = sum(p.right for p in preds)
    return lines + [t("surface_right_count", lang, right=right, m=len(preds), half=compact(S.THRESHOLD, comma))]


def csv_rows(s: S.Surface) -> Iterator[str]:
    """x1,x2,yhat,a1_1,a1_2 at full precision (repr), x₂ low to high, x₁ low to high within: what
    `surface --format csv` writes and the app's x exports."""
    yield "x1,x2,yhat,a1_1,a1_2\n"
    for r, v2 in enumerate(s.x2.tolist()):
        yhat, a1, a2 = s.yhat[r].tolist(), s.a1[0, r].tolist(), s.a1[1, r].tolist()
        yield "".join(f"{v1!r},{v2!r},{y!r},{h1!r},{h2!r}\n" for v1, y, h1, h2 in zip(s.x1.tolist(), yhat, a1, a2))


# --- the hidden layer's space -------------------------------------------------------------------
HIDDEN_PAD = 0.05  # the hidden plane's box: the activation's range widened by this share of it


def hidden_bounds(hidden: str, points: np.ndarray) -> tuple[float, float, float, float]:
    """The box drawn for (a₁⁽¹⁾, a₂⁽¹⁾): the hidden activation's range (ReLU: [0, the largest a, at
    least 1]), widened by HIDDEN_PAD on every side."""
    low, high, _, _ = activations.RANGES[hidden]
    out = []
    for j in (0, 1):
        lo, hi = low, high
        if not math.isfinite(hi):
            finite = points[:, j][np.isfinite(points[:, j])]
            hi = max(1.0, float(finite.max()) if finite.size else 1.0)
        pad = (hi - lo) * HIDDEN_PAD
        out += [lo - pad, hi + pad]
    return out[0], out[1], out[2], out[3]


@dataclass(frozen=True)
class HiddenPicture:
    """The hidden space in cells (top row first): which side of the decision line each cell's
    centre is on (True: ŷ ≥ 0.5; NaN model: all False), the cells the line crosses, the samples."""

    bounds: tuple[float, float, float, float]
    high_side: np.ndarray  # rows × cols
    line: np.ndarray  # rows × cols
    marks: dict[tuple[int, int], str]


def hidden_picture(hs: S.HiddenSpace, hidden: str, cols: int, rows: int) -> HiddenPicture:
    b = hidden_bounds(hidden, hs.points)
    lo1, hi1, lo2, hi2 = b
    # cell corners and centres; row 0 at the top (a₂ high)
    c1, c2 = np.linspace(lo1, hi1, cols + 1), np.linspace(hi2, lo2, rows + 1)
    m1, m2 = (c1[:-1] + c1[1:]) / 2, (c2[:-1] + c2[1:]) / 2
    G1, G2 = np.meshgrid(c1, c2)
    corner = hs.side(np.column_stack((G1.ravel(), G2.ravel()))).reshape(rows + 1, cols + 1) >= 0
    line = (
        (corner[:-1, :-1] != corner[1:, :-1])
        | (corner[:-1, :-1] != corner[:-1, 1:])
        | (corner[:-1, :-1] != corner[1:, 1:])
    )
    M1, M2 = np.meshgrid(m1, m2)
    with np.errstate(invalid="ignore"):
        high = hs.side(np.column_stack((M1.ravel(), M2.ravel()))).reshape(rows, cols) >= 0
    # each sample in the cell it falls in (clamped to the box), all samples at once
    points = np.asarray(hs.points, dtype=np.float64).reshape(-1, 2)
    finite = np.isfinite(points[:, 0]) & np.isfinite(points[:, 1])
    a, b2 = points[finite, 0], points[finite, 1]
    with np.errstate(all="ignore"):
        c = np.clip(np.trunc((a - lo1) / (hi1 - lo1) * cols), 0, cols - 1)
        r = np.clip(np.trunc((hi2 - b2) / (hi2 - lo2) * rows), 0, rows - 1)
    targets = np.asarray(hs.targets, dtype=np.float64).reshape(-1)[finite]
    return HiddenPicture(b, high, line, _grouped(r, c, targets, rows, cols))


def hidden_rows(p: HiddenPicture) -> list[str]:
    """The hidden space in characters: ░ on the ŷ ≥ 0.5 side, · the line, the samples."""
    chars = np.where(p.line, CONTOUR, np.where(p.high_side, LEVELS[0], " "))
    for (r, c), m in p.marks.items():
        chars[r, c] = m
    return ["".join(row) for row in chars.tolist()]


def decision_line(hs: S.HiddenSpace, comma: bool = False, width: int | None = None) -> list[str]:
    """w₁₁⁽²⁾a₁⁽¹⁾ + w₂₁⁽²⁾a₂⁽¹⁾ + b⁽²⁾ = f⁻¹(0.5) with the numbers (5.1000·a₁⁽¹⁾ − 5.3000·a₂⁽¹⁾ + 2.4000 = 0):
    one line, or two (before b⁽²⁾'s term) when it is wider than `width`."""
    w1, w2 = hs.w

    def n(x: float) -> str:
        return minus(fmt.short(x, comma))

    def term(x: float) -> str:
        return f"− {n(-x)}" if x < 0 else f"+ {n(x)}"

    first = f"{n(w1)}·{fmt.sym('a', 1, 1)} {term(w2)}·{fmt.sym('a', 2, 1)}"
    second = f"{term(hs.b)} = {compact(hs.level, comma)}"
    one = f"{first} {second}"
    return [one] if width is None or len(one) <= width else [first, "  " + second]


__all__ = [
    "BOTH",
    "CODE_CONTOUR",
    "CODE_NAN",
    "COLOUR_LEVELS",
    "CONTOUR",
    "HIGH",
    "HiddenPicture",
    "LEVELS",
    "LOW",
    "MAX_TEXT_GRID",
    "NOT_FINITE",
    "compact",
    "csv_rows",
    "Plane",
    "decision_line",
    "framed",
    "half_codes",
    "hidden_bounds",
    "hidden_picture",
    "hidden_rows",
    "legend",
    "levels",
    "marks",
    "minus",
    "output_plane",
    "prediction_rows",
    "shade_range",
    "shade_rows",
    "text_picture",
    "tick",
    "unit_level",
    "unit_plane",
]
