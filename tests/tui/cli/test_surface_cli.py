"""`backprop-tui surface` (tui/cli/surface.py): every grid value is the forward pass of its point
(engine.network.forward, within the engine test's tolerance), after N epochs equal to train()'s."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import activations, presets
from engine.config import apply_overrides
from engine.network import Params, forward
from engine.training import train
from tui.text import fmt


def close_to_forward(p, hidden, output, x, yhat, a1):
    """As the engine test: a⁽¹⁾ and ŷ to the last bit (the same sums in the same order, no BLAS)."""
    f, g = activations.get(hidden), activations.get(output)
    _, a, _, y = forward(p, np.array(x), f, g)
    assert a1 == [a[0], a[1]] and yhat == y[0]


def params_of(doc):
    q = doc["params"]
    return Params(np.array(q["W1"]), np.array(q["b1"]), np.array(q["W2"]), np.array(q["b2"]))


@pytest.mark.parametrize(
    "preset, hidden, output", [("xor", "sigmoid", "sigmoid"), ("lecture", "tanh", "linear"), ("or", "relu", "tanh")]
)
def test_json_is_the_forward_pass_at_every_grid_point(run_main, preset, hidden, output):
    code, out, err = run_main(
        "surface",
        "--preset",
        preset,
        "--activation",
        hidden,
        "--output-activation",
        output,
        "--epochs",
        "30",
        "--grid",
        "9",
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    m = presets.load(preset)
    m = apply_overrides(m, hidden=hidden, output=output, lr=None, seed=None)
    res = train(m, 30)
    p = params_of(doc)
    for k in ("W1", "b1", "W2", "b2"):  # trained for N epochs equals train()
        assert np.array_equal(getattr(p, k), getattr(res.params, k))
    assert doc["epochs"] == 30 and doc["model"]["hidden"] == hidden and doc["model"]["output"] == output
    lo1, hi1 = m.X[:, 0].min() - 0.5, m.X[:, 0].max() + 0.5
    assert doc["x1"] == np.linspace(lo1, hi1, 9).tolist() and len(doc["x2"]) == 9
    assert "rows are x2" in doc["grid_layout"]
    for r, v2 in enumerate(doc["x2"]):
        for c, v1 in enumerate(doc["x1"]):
            close_to_forward(p, hidden, output, [v1, v2], doc["yhat"][r][c], [doc["a1"][0][r][c], doc["a1"][1][r][c]])
    assert [d["y"] for d in doc["predictions"]] == m.Y.tolist()
    assert doc["data"]["X"] == m.X.tolist()


def test_xor_after_enough_epochs_gets_every_row_right(run_main):
    code, out, err = run_main("surface", "--preset", "xor", "--epochs", "5000", "--grid", "21", "--lang", "en")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("xor: hidden sigmoid, output sigmoid, after 5000 epochs")
    assert lines[-1] == "4 of 4 right at 0.5"
    assert [line.split()[-1] for line in lines[-5:-1]] == ["right"] * 4
    res = train(presets.load("xor"), 5000)
    f = activations.get("sigmoid")
    for line, x in zip(lines[-5:-1], presets.load("xor").X):
        assert line.split()[3] == fmt.num(forward(res.params, x, f, f)[3][0])
    picture = lines[3:26]
    assert sum(row.count("·") for row in picture) >= 20 and sum(row.count("●") for row in picture) == 2
    doc = json.loads(run_main("surface", "--preset", "xor", "--epochs", "5000", "--format", "json")[1])
    assert all(d["right"] for d in doc["predictions"])


def test_untrained_xor_gets_some_wrong_and_pt_text(run_main):
    code, out, _ = run_main("surface", "--preset", "xor", "--grid", "5", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert out.splitlines()[-1] == "certos: 2 de 4 em 0,5" and "errado" in out and "−0,50" in out


def test_csv_rows_at_full_precision(run_main):
    code, out, _ = run_main("surface", "--preset", "lecture", "--grid", "3", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "x1,x2,yhat,a1_1,a1_2" and len(lines) == 10
    m = presets.lecture()
    f = activations.get("sigmoid")
    for line in lines[1:]:
        x1, x2, yhat, a1, a2 = (float(v) for v in line.split(","))
        _, a, _, y = forward(m.params, np.array([x1, x2]), f, f)
        assert [a1, a2] == a.tolist() and yhat == y[0]
    assert lines[1].split(",")[:2] == [repr(0.05 - 0.5), repr(0.10 - 0.5)]


@pytest.mark.parametrize(
    "argv",
    [
        ["--grid", "1"],
        ["--grid", "202"],
        ["--grid", "x"],
        ["--epochs", "-1"],
        ["--epochs", "1000001"],
        ["--format", "svg"],
        ["--preset", "nope"],
    ],
)
def test_bad_input_exits_2_with_one_line(run_main, argv):
    code, out, err = run_main("surface", *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "error" in err


def test_a_diverging_run_exits_1_and_still_draws(run_main):
    code, out, err = run_main(
        "surface", "--output-activation", "linear", "--lr", "1e6", "--epochs", "50", "--grid", "4", "--format", "json"
    )
    assert code == 1 and "diverged" in err
    assert json.loads(out)["diverged_at"] is not None
