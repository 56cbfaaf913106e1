"""Issue 19, "Depth with ReLU": Π max f' multiplies each layer's largest f' and so hides a dead unit;
the depth view shows each unit's δ⁽ˡ⁾ⱼ, computed here by hand from the chain, and marks the units whose
f'(z) is 0 (in `backprop-tui depth` and the `d` screen, which share tui/text/depth.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import deep
from engine.presets import lecture as default_model
from tui.text import depth as depth_text
from tui.text import fmt


def by_hand(k: int, seed: int = 0):
    """z, f' and δ of every layer of the ReLU chain, with plain Python floats (no engine.deep.backward)."""
    m = default_model()
    c = deep.chain(m.params, k, seed)
    x, y = [float(v) for v in m.X[0]], float(m.Y[0])
    a, zs, fps = x, [], []
    for l in range(c.L):
        W, b = c.W[l].tolist(), c.b[l].tolist()
        z = [sum(a[i] * W[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
        if l == c.L - 1:
            a = [1 / (1 + math.exp(-v)) for v in z]
            fps.append([v * (1 - v) for v in a])
        else:
            a = [max(v, 0.0) for v in z]
            fps.append([1.0 if v > 0 else 0.0 for v in z])
        zs.append(z)
    deltas = [None] * c.L
    deltas[-1] = [(a[0] - y) * fps[-1][0]]
    for l in range(c.L - 2, -1, -1):
        W = c.W[l + 1].tolist()
        up = [sum(W[j][i] * deltas[l + 1][i] for i in range(len(deltas[l + 1]))) for j in range(len(W))]
        deltas[l] = [u * f for u, f in zip(up, fps[l])]
    return deltas, fps


def shown_units(out: str, L: int) -> dict[int, list[str]]:
    """Layer → its δ₁, δ₂ cells as printed (columns 5 and 6 of a row)."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0].isdigit() and int(cells[0]) <= L:
            nums = [c for c in cells[1:] if c != "ŷ" and not c.startswith(("█", "┃", "▏"))]
            rows[int(cells[0])] = nums[3:]
    return rows


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_relu_chain_shows_each_unit_and_marks_the_dead_one(lang):
    m = default_model()
    k = 6
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "relu", m.output, k, 0)
    deltas, fps = by_hand(k)
    dead = [[j + 1 for j, f in enumerate(fp) if f == 0.0] for fp in fps]
    assert any(dead[:-1]), "the default chain with ReLU has a dead unit (the lecturer's case)"
    # Π max f' is 1 all the way down: it cannot show the dead unit
    assert all(p == 1.0 for p in d.products)
    assert deep.dead_units(d.run) == [tuple(x) for x in dead]
    out = depth_text.text(d, lang, False, 80)
    rows = shown_units(out, k + 1)
    for l in range(1, k + 2):
        want = [fmt.num(v) + (depth_text.DEAD if j + 1 in dead[l - 1] else "") for j, v in enumerate(deltas[l - 1])]
        assert rows[l] == want, (l, rows[l], want)
        np.testing.assert_allclose(d.run.delta[l - 1], deltas[l - 1], rtol=1e-12, atol=1e-300)
    where = [l for l in range(1, k + 2) if dead[l - 1]]
    legend = " ".join(out.split())
    for l in where:
        unit = dead[l - 1][0]
        assert (f"layer {l}, unit {unit}" if lang == "en" else f"camada {l}, unidade {unit}") in legend
    assert max(len(line) for line in out.splitlines()) <= 80


def test_no_dead_unit_is_said_so():
    m = default_model()
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "tanh", m.output, 6, 0)
    assert deep.dead_units(d.run) == [()] * 7
    out = " ".join(depth_text.text(d, "en", False, 80).split())
    assert "No dead unit" in out and depth_text.DEAD not in out


def test_json_lists_the_dead_units():
    m = default_model()
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "relu", m.output, 6, 0)
    doc = deep.as_json(d)
    assert [layer["dead_units"] for layer in doc["layers"]] == [list(t) for t in deep.dead_units(d.run)]
    assert any(layer["dead_units"] for layer in doc["layers"])
