"""The surface in characters (tui/text/surface_art.py): XOR after training, cell by cell against ŷ
computed here by hand (σ written out), the contour where ŷ crosses 0.5, the samples' markers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import presets
from engine import surface as S
from engine.training import train
from tui.text import fmt
from tui.text import surface_art as art


def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def by_hand(p, x1: float, x2: float) -> tuple[float, float, float]:
    """(ŷ, a₁⁽¹⁾, a₂⁽¹⁾) of the sigmoid network at (x1, x2), written out."""
    a = [sig(p.W1[0, j] * x1 + p.W1[1, j] * x2 + p.b1[j]) for j in (0, 1)]
    return sig(p.W2[0, 0] * a[0] + p.W2[1, 0] * a[1] + p.b2[0]), a[0], a[1]


@pytest.fixture(scope="module")
def xor():
    m = presets.load("xor")
    res = train(m, 5000)
    x1, x2 = S.grid(-0.5, 1.5, 21), S.grid(-0.5, 1.5, 21)
    return m, res.params, S.surface(res.params, m.hidden, m.output, x1, x2)


def shade_of(y: float) -> str:
    return "░▒▓█"[min(3, int(y * 4))]


def test_every_cell_is_the_shade_of_its_yhat_or_the_contour_or_a_sample(xor):
    m, p, s = xor
    plane = art.output_plane(s, m.output)
    rows = art.shade_rows(plane.values, plane.low, plane.high, plane.contour, art.marks(m.X, m.Y, s.x1, s.x2))
    assert len(rows) == 21 and all(len(r) == 21 for r in rows)
    samples = {(0.0, 0.0): "○", (0.0, 1.0): "●", (1.0, 0.0): "●", (1.0, 1.0): "○"}
    for r, row in enumerate(rows):
        v2 = 1.5 - 0.1 * r  # the top row is x₂ = 1.5
        for c, ch in enumerate(row):
            v1 = -0.5 + 0.1 * c
            y = by_hand(p, v1, v2)[0]
            at = (round(v1, 9) + 0.0, round(v2, 9) + 0.0)
            if at in samples:
                assert ch == samples[at], at
                continue
            # the contour: ŷ on the other side of 0.5 from the right or upper neighbour
            other = [by_hand(p, v1 + 0.1, v2)[0]] if c < 20 else []
            other += [by_hand(p, v1, v2 + 0.1)[0]] if r > 0 else []
            crossing = any((o >= 0.5) != (y >= 0.5) for o in other)
            assert ch == ("·" if crossing else shade_of(y)), (r, c, y)


def test_xor_trained_reads_as_xor_in_the_corners_and_has_a_contour(xor):
    m, p, s = xor
    text = "\n".join(art.text_picture(s, m.X, m.Y, m.output))
    rows = art.text_picture(s, m.X, m.Y, m.output)[2:23]  # title, x₂ name, then the 21 rows
    body = [r.split("┤" if "┤" in r else "│", 1)[1] for r in rows]
    assert body[0][0] == shade_of(by_hand(p, -0.5, 1.5)[0]) == "█"  # top left: x = (−0.5, 1.5), ŷ high
    assert body[-1][-1] == "█" and body[0][-1] == "░" and body[-1][0] == "░"
    assert body[5][5] == "●" and body[15][15] == "●" and body[15][5] == "○" and body[5][15] == "○"
    assert sum(row.count("·") for row in body) >= 20  # two lines of contour across the plane
    assert "x₁" in text and "x₂" in text and rows[0].lstrip().startswith(art.tick(1.5))
    assert art.tick(-0.5) == fmt.num(-0.5, decimals=2).replace("-", "−")


def test_a_cell_holding_samples_of_both_targets_is_half_filled():
    X = np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 1.0]])
    found = art.marks(X, np.array([0.0, 1.0, 1.0]), S.grid(0, 1, 3), S.grid(0, 1, 3))
    assert found == {(2, 0): "◐", (0, 2): "●"}


def test_half_blocks_hold_two_grid_rows_a_cell(xor):
    m, p, s = xor
    x = S.grid(-0.5, 1.5, 8)
    sf = S.surface(p, m.hidden, m.output, x, x)
    plane = art.output_plane(sf, m.output)
    up, down = art.half_codes(plane.values, plane.low, plane.high, plane.contour)
    assert up.shape == down.shape == (4, 8)
    for r in range(4):
        for c in range(8):
            for code, row in ((up[r, c], 7 - 2 * r), (down[r, c], 6 - 2 * r)):
                if plane.contour[row, c]:
                    assert code == art.CODE_CONTOUR
                else:
                    y = by_hand(p, x[c], x[row])[0]
                    assert code == min(art.COLOUR_LEVELS - 1, int(y * art.COLOUR_LEVELS)), (r, c)


def test_shading_ranges_and_clipping():
    assert art.shade_range("sigmoid") == (0.0, 1.0, False)
    assert art.shade_range("tanh") == (-1.0, 1.0, False)
    assert art.shade_range("linear") == (0.0, 1.0, True) == art.shade_range("relu")
    assert art.levels(np.array([-3.0, 0.0, 0.2499, 0.25, 0.5, 0.99, 1.0, 7.0, math.nan]), 0, 1, 4).tolist() == [
        0,
        0,
        0,
        1,
        2,
        3,
        3,
        3,
        4,
    ]
    assert art.unit_level("sigmoid") == 0.5 and art.unit_level("tanh") == 0.0
    assert art.unit_level("relu") > 0 and art.unit_level("relu") < 1e-300


def test_the_legend_and_the_predictions(xor):
    m, p, _ = xor
    plane = art.output_plane(S.surface(p, m.hidden, m.output, S.grid(0, 1, 2), S.grid(0, 1, 2)), m.output)
    assert art.legend(plane, "ŷ", "en") == "░ ŷ < 0.25  ▒ < 0.5  ▓ < 0.75  █ ≥ 0.75  · ŷ = 0.5  ○ y < 0.5  ● y ≥ 0.5"
    assert "0,25" in art.legend(plane, "ŷ", "pt", comma=True)
    clipped = art.Plane(plane.values, plane.contour, 0.0, 1.0, True)
    assert art.legend(clipped, "ŷ", "en").endswith("(values beyond the ends clipped)")
    preds = S.predictions(p, m.X, m.Y, m.hidden, m.output)
    lines = art.prediction_rows(preds, "en")
    assert lines[-1] == "4 of 4 right at 0.5"
    for line, (x, y) in zip(lines[1:5], zip(m.X, m.Y)):
        yhat = by_hand(p, *x)[0]
        assert line.split() == [fmt.num(x[0]), fmt.num(x[1]), fmt.num(y), fmt.num(yhat), "right"]
    assert art.prediction_rows(preds, "pt", comma=True)[-1] == "certos: 4 de 4 em 0,5"


def test_the_hidden_space_after_training_separates_xor(xor):
    m, p, _ = xor
    hs = S.hidden_space(p, m.X, m.Y, m.hidden, m.output)
    pic = art.hidden_picture(hs, m.hidden, 30, 15)
    assert pic.bounds == pytest.approx((-0.05, 1.05, -0.05, 1.05))
    rows = art.hidden_rows(pic)
    assert len(rows) == 15 and all(len(r) == 30 for r in rows)
    # each sample's cell holds its marker, on the side of the line its target is on
    for (a1, a2), y in zip(hs.points, m.Y):
        c, r = int((a1 + 0.05) / 1.1 * 30), int((1.05 - a2) / 1.1 * 15)
        assert rows[r][c] in ("●" if y else "○", "◐")
        assert pic.high_side[r, c] == (p.W2[0, 0] * a1 + p.W2[1, 0] * a2 + p.b2[0] >= 0) or pic.line[r, c]
    # the line: cells whose corners lie on both sides of w₁a₁ + w₂a₂ + b = 0
    assert 15 <= int(pic.line.sum()) and "·" in "".join(rows)
    eq = art.decision_line(hs)[0]
    assert eq.startswith(fmt.num(p.W2[0, 0]).replace("-", "−") + "·a₁⁽¹⁾") and eq.endswith("= 0")
    assert len(art.decision_line(hs, width=20)) == 2


def test_csv_rows_are_the_grid_at_full_precision(xor):
    m, p, _ = xor
    s = S.surface(p, m.hidden, m.output, S.grid(0, 1, 3), S.grid(0, 1, 2))
    lines = "".join(art.csv_rows(s)).splitlines()
    assert lines[0] == "x1,x2,yhat,a1_1,a1_2" and len(lines) == 1 + 6
    x1, x2, yhat, a1, a2 = (float(v) for v in lines[6].split(","))
    assert (x1, x2) == (1.0, 1.0)
    want = by_hand(p, 1.0, 1.0)
    assert yhat == pytest.approx(want[0], rel=1e-13) and (a1, a2) == pytest.approx(want[1:], rel=1e-14)
    assert yhat == s.yhat[1, 2]  # repr: every digit


def test_values_that_are_not_finite_are_question_marks():
    v = np.array([[math.nan, 0.2], [0.9, math.inf]])
    contour = S.crossings(v)
    rows = art.shade_rows(v, 0.0, 1.0, contour, {})
    assert rows[1][0] == "?" and rows[0][1] == "?"  # the top row is the last of v
    up, down = art.half_codes(v, 0.0, 1.0, contour)
    assert up[0, 1] == art.CODE_NAN and down[0, 0] == art.CODE_NAN and up[0, 0] == art.COLOUR_LEVELS - 1


# --- issue 18, "freeze": the samples' markers without a Python step per sample ------------------


def marks_by_hand(X, Y, x1, x2, rows=None):
    """The plain loop the markers were once drawn with: each sample at its nearest grid point."""
    nx, ny = len(x1), len(x2)
    fold = 1 if rows is None else ny // rows
    found = {}
    for (a, b), y in zip(X.tolist(), Y.tolist()):
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        with np.errstate(over="ignore"):
            u, v = (a - x1[0]) / (x1[-1] - x1[0]) * (nx - 1), (b - x2[0]) / (x2[-1] - x2[0]) * (ny - 1)
        if not (math.isfinite(u) and math.isfinite(v)):  # 1e308 overflows: far beyond the grid
            continue
        c, r = round(u), round(v)
        if 0 <= c < nx and 0 <= r < ny:
            found.setdefault(((ny - 1 - r) // fold, c), []).append(y)
    return {
        at: art.HIGH if all(y >= 0.5 for y in ys) else art.LOW if not any(y >= 0.5 for y in ys) else art.BOTH
        for at, ys in found.items()
    }


def awkward_samples(rng, m):
    """Random samples around and beyond the grid, on its points and half-way between them (ties), with
    NaN and ±∞ inputs, NaN targets and targets of both kinds."""
    X = rng.uniform(-1.0, 2.0, (m, 2))
    X[: m // 4] = np.round(X[: m // 4] * 20) / 20  # on grid points and on the halves between them (21 points)
    X[m // 4 : m // 4 + 5] = [[np.nan, 0.0], [0.0, np.inf], [-np.inf, 1.0], [1e308, 0.5], [0.5, -1e308]]
    Y = rng.choice([0.0, 1.0, 0.3, 0.7, np.nan], m)
    return X, Y


@pytest.mark.parametrize("seed", range(4))
def test_markers_are_the_plain_loop_s(seed):
    rng = np.random.default_rng(seed)
    X, Y = awkward_samples(rng, 3000)
    for x1, x2, rows in [
        (S.grid(-0.5, 1.5, 21), S.grid(-0.5, 1.5, 21), None),
        (S.grid(-0.5, 1.5, 58), S.grid(-0.5, 1.5, 58), 29),
        (S.grid(0.1, 0.3, 7), S.grid(-2.0, 0.0, 10), 5),
    ]:
        assert art.marks(X, Y, x1, x2, rows=rows) == marks_by_hand(X, Y, x1, x2, rows)
    assert art.marks(X[:0], Y[:0], S.grid(0, 1, 5), S.grid(0, 1, 5)) == {}


def hidden_marks_by_hand(hs, bounds, cols, rows):
    lo1, hi1, lo2, hi2 = bounds
    found = {}
    for (a, b), y in zip(hs.points.tolist(), hs.targets.tolist()):
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        c = min(cols - 1, max(0, int((a - lo1) / (hi1 - lo1) * cols)))
        r = min(rows - 1, max(0, int((hi2 - b) / (hi2 - lo2) * rows)))
        found.setdefault((r, c), []).append(y)
    return {
        at: art.HIGH if all(y >= 0.5 for y in ys) else art.LOW if not any(y >= 0.5 for y in ys) else art.BOTH
        for at, ys in found.items()
    }


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_the_hidden_space_markers_are_the_plain_loop_s(hidden):
    rng = np.random.default_rng(7)
    X, Y = awkward_samples(rng, 2000)
    p = presets.load("xor").params
    hs = S.hidden_space(p, X, Y, hidden, "sigmoid")
    for cols, rows in [(40, 12), (7, 3)]:
        pic = art.hidden_picture(hs, hidden, cols, rows)
        assert pic.marks == hidden_marks_by_hand(hs, pic.bounds, cols, rows)


def python_calls(fn) -> int:
    """How many Python and C functions `fn()` calls (sys.setprofile): the work a Python loop does."""
    import sys

    n = 0

    def count(frame, event, arg):
        nonlocal n
        n += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return n


def test_drawing_the_markers_takes_as_many_python_steps_for_60000_samples_as_for_6000():
    """No step per sample (a data set of 60 000 rows redrew the h view in seconds): the count of calls
    depends on the cells, not on the samples (both data sets fill every cell of these grids)."""
    rng = np.random.default_rng(1)
    p = presets.load("xor").params
    x1, x2 = S.grid(-0.5, 1.5, 58), S.grid(-0.5, 1.5, 58)
    counts = []
    for m in (6000, 60000):
        X = rng.uniform(-0.6, 1.6, (m, 2))
        Y = (X[:, 0] > X[:, 1]).astype(float)
        hs = S.hidden_space(p, X, Y, "sigmoid", "sigmoid")
        counts.append(
            python_calls(
                lambda: (
                    art.marks(X, Y, x1, x2, rows=29),
                    art.marks(X, Y, x1, x2),
                    art.hidden_picture(hs, "sigmoid", 40, 12),
                )
            )
        )
    assert counts[1] <= counts[0] * 1.05 + 100, counts
