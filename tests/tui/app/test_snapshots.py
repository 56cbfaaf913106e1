"""SVG snapshots of the screens a lecturer shows: the start, each micro-step, the help screen,
at 120×40 and 80×24, in English and Portuguese. Regenerate with `pytest --snapshot-update`
after a deliberate change, and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from engine import presets
from tui.app.app import BackpropApp

WIDE, COMPACT = (120, 40), (80, 24)
STEPS = {
    "start": [],
    "F1": ["f"],
    "F2": ["f", "f"],
    "B2": ["f", "f", "b"],
    "B1": ["f", "f", "b", "b"],
    "U": ["f", "f", "b", "b", "u"],
}


def app(lang: str = "en") -> BackpropApp:
    return BackpropApp(presets.lecture(), lang=lang)


@pytest.mark.parametrize("step", list(STEPS))
def test_wide_en(snap_compare, step):
    assert snap_compare(app("en"), press=STEPS[step], terminal_size=WIDE)


@pytest.mark.parametrize("step", ["start", "F2", "B1", "U"])
def test_compact_en(snap_compare, step):
    assert snap_compare(app("en"), press=STEPS[step], terminal_size=COMPACT)


@pytest.mark.parametrize("step", ["start", "B1"])
def test_compact_pt(snap_compare, step):
    assert snap_compare(app("pt"), press=STEPS[step], terminal_size=COMPACT)


def test_wide_pt_update(snap_compare):
    assert snap_compare(app("pt"), press=STEPS["U"], terminal_size=WIDE)


@pytest.mark.parametrize("lang, size", [("en", COMPACT), ("pt", WIDE)])
def test_help(snap_compare, lang, size):
    assert snap_compare(app(lang), press=["question_mark"], terminal_size=size)


def test_refused_key(snap_compare):
    assert snap_compare(app("en"), press=["b"], terminal_size=COMPACT)


def test_too_small(snap_compare):
    assert snap_compare(app("en"), terminal_size=(60, 20))


def test_gradcheck_walk_through(snap_compare):
    """g: the table, exercise 2(d)'s walk-through (central, w₁₁⁽²⁾, h = 10⁻⁴) and the error against h, on the
    lecture's model with a ReLU hidden layer and a linear output. Below h ≈ 10⁻⁹ the plot draws rounding
    error, which follows the last bit of every L(θ ± h): with σ that bit is e^x's, which NumPy's SIMD loops
    round otherwise on another CPU; ReLU and linear take +, −, × and max only, the same bits everywhere
    (docs/NUMERICS.md). The sigmoid walk-through's numbers are tests/tui/app/test_fdwalk_app.py's."""
    model = presets.lecture().with_(hidden="relu", output="linear")
    assert snap_compare(BackpropApp(model, lang="en"), press=["g", "m"], terminal_size=WIDE)


def test_depth_view(snap_compare):
    """d at 80×24: twelve sigmoid layers, |δ| on a log scale under the σ' ≤ 0.25 line (exercise 6c)."""
    assert snap_compare(app("en"), press=["d", "9", "right", "right", "right"], terminal_size=COMPACT)


def test_compare_screen(snap_compare):
    """c: the three activations side by side with the loss curves (trained at once for the lecture)."""
    assert snap_compare(app("en"), press=["c"], terminal_size=WIDE)
