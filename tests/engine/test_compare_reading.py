"""Issue 19, "Exercise 5 without a conclusion": the c screen and `backprop-tui compare` say what the
numbers show (engine.compare.reading), each fact checked here against training done by hand
(tests/byhand.py's sample-step, repeated): on the notes' example ReLU has the largest ‖δ⁽¹⁾‖ yet
sigmoid's L falls fastest over 100 epochs; on XOR over 2000 epochs tanh stalls at 0.125 and ReLU at 0.0626."""

from __future__ import annotations

import math

import pytest

import byhand
from engine import compare, presets
from tui.text.compare import compare_markdown, compare_text, reading_lines
from tui.text.report import Text

HIDDEN = ("sigmoid", "tanh", "relu")  # exercise 5's three: the step of 6(b) (the fourth column) is left out here


def five(columns):
    """The columns (or runs) of exercise 5's three activations, in the order of HIDDEN."""
    return columns[: len(HIDDEN)]


def by_hand(model, hidden: str, epochs: int, end: list | None = None) -> list[float]:
    """L0 … LN (L = mean ½(ŷ − y)² over the data set), sample-steps in data order, plain floats."""
    p = model.params
    W1 = tuple(tuple(float(v) for v in row) for row in p.W1)
    b1, W2, b2 = tuple(float(v) for v in p.b1), tuple(float(v) for v in p.W2[:, 0]), float(p.b2[0])
    X, Y = [tuple(float(v) for v in x) for x in model.X], [float(y) for y in model.Y]

    def L(W1, b1, W2, b2):
        return sum(
            byhand.worked_example_with(hidden, W1, b1, W2, b2, x, y, model.lr)["loss"] for x, y in zip(X, Y)
        ) / len(X)

    out = [L(W1, b1, W2, b2)]
    for _ in range(epochs):
        for x, y in zip(X, Y):
            a = byhand.worked_example_with(hidden, W1, b1, W2, b2, x, y, model.lr)["after"]
            W1, b1, W2, b2 = a["W1"], a["b1"], a["W2"], a["b2"]
        out.append(L(W1, b1, W2, b2))
    if end is not None:
        end.extend([W1, b1])
    return out


def stalled_by_hand(losses: list[float]) -> bool:
    """L changed by less than 0.1 % over the last 10 % of the epochs, and is still above 10 % of L0."""
    n = len(losses) - 1
    before, last = losses[n - round(n / 10)], losses[n]
    return abs(before - last) < 1e-3 * before and last > 0.1 * losses[0]


def test_the_notes_example_larger_gradient_is_not_the_faster_fall():
    m = presets.lecture()
    hand = {h: byhand.worked_example_with(h) for h in HIDDEN}
    norms = {h: math.hypot(*hand[h]["delta1"]) for h in HIDDEN}
    hist = {h: by_hand(m, h, 100) for h in HIDDEN}
    falls = {h: (hist[h][0] - hist[h][-1]) / hist[h][0] for h in HIDDEN}
    cols = five(compare.compare(m))
    runs = five(compare.histories(m, 100))
    r = compare.reading(cols, runs, m.X)
    assert r.hidden_grad == pytest.approx([norms[h] for h in HIDDEN], rel=1e-12)
    assert [HIDDEN[k] for k in r.largest] == [max(norms, key=norms.get)] == ["relu"]
    assert r.falls == pytest.approx([falls[h] for h in HIDDEN], rel=1e-9)
    assert [HIDDEN[k] for k in r.fastest] == [max(falls, key=falls.get)] == ["sigmoid"]
    assert r.stalled == () and r.agree is False
    text = " ".join(compare_text(cols, m.m, Text("en", False), runs, 100, m.X).split())
    assert "Largest hidden gradient on this sample: relu" in text
    assert "Fastest fall of L over 100 epochs: sigmoid" in text
    assert f"sigmoid {falls['sigmoid'] * 100:.1f} %" in text
    assert "A larger gradient is a larger first step, not a faster descent" in text
    assert "Stalled" not in text
    pt = " ".join(compare_markdown(cols, m.m, Text("pt", True), runs, 100, m.X).split())
    assert "Maior gradiente oculto neste exemplo: ReLU" in pt and "Queda mais rápida de L em 100 épocas: sigmoide" in pt
    assert f"sigmoide {falls['sigmoid'] * 100:.1f} %".replace(".", ",") in pt
    assert "Um gradiente maior é um primeiro passo maior" in pt


def test_xor_tanh_and_relu_stall():
    m = presets.load("xor")
    hist = {h: by_hand(m, h, 2000) for h in HIDDEN}
    cols = five(compare.compare(m))
    runs = five(compare.histories(m, 2000))
    for h, run in zip(HIDDEN, runs):
        assert list(run.losses) == pytest.approx(hist[h], rel=1e-9, abs=1e-15)
    r = compare.reading(cols, runs, m.X)
    stalled = [h for h in HIDDEN if stalled_by_hand(hist[h])]
    assert stalled == ["tanh", "relu"]
    assert [HIDDEN[k] for k in r.stalled] == stalled
    assert hist["tanh"][-1] == pytest.approx(0.125, abs=1e-4) and hist["relu"][-1] == pytest.approx(0.0626, abs=1e-4)
    said = " ".join(" ".join(reading_lines(cols, Text("en", False), runs, m.X)).split())
    assert (
        "Stalled (over the last 10 % of the epochs L changed by less than 0.1 %, still above 10 % of L₀): "
        "tanh at L = 0.1250, relu at L = 0.0626." in said
    )
    assert "Fastest fall of L over 2000 epochs: sigmoid" in said
    pt = " ".join(reading_lines(cols, Text("pt", False), runs, m.X))
    assert "tanh em L = 0.1250, ReLU em L = 0.0626" in pt


@pytest.mark.parametrize(
    "losses, diverged, expected",
    [
        ([1.0] + [0.5] * 100, None, True),  # flat, and half of L0: stalled
        ([1.0] + [0.05] * 100, None, False),  # flat, but below 10 % of L0: it has learnt
        ([1.0] + [0.5 - 0.001 * k for k in range(100)], None, False),  # still falling: 2 % over the last 10
        ([1.0] + [0.5] * 100, 50, False),  # diverged: not a stall
        ([1.0] + [0.5] * 5, None, False),  # 5 epochs say nothing
    ],
)
def test_the_stall_rule(losses, diverged, expected):
    assert compare.stalled(losses, diverged) is expected


def test_only_the_gradient_without_training_and_agreement_said_as_such():
    m = presets.lecture()
    cols = five(compare.compare(m))
    said = reading_lines(cols, Text("en", False))
    assert len(said) == 2 and said[1].startswith("Largest hidden gradient on this sample: relu")
    # one activation that both has the largest gradient and falls fastest: no "why they differ"
    runs = five(compare.histories(m, 100))
    r = compare.reading(cols[1:], runs[1:], m.X)  # tanh and relu: relu's gradient larger, tanh fell faster
    assert [("tanh", "relu")[k] for k in r.largest] == ["relu"] and [("tanh", "relu")[k] for k in r.fastest] == ["tanh"]
    r = compare.reading(cols[:2], runs[:2], m.X)  # sigmoid and tanh: tanh's gradient larger, sigmoid fell faster
    assert r.agree is False
    x = presets.load("xor")
    xc, xr = five(compare.compare(x)), five(compare.histories(x, 200))
    lines = reading_lines(xc, Text("en", False), xr, x.X)
    assert compare.reading(xc, xr, x.X).agree is True
    assert lines[-1] == "Here the larger hidden gradient went with the faster fall of L."
    assert not any("larger first step" in line for line in lines)


def test_the_dead_relu_unit_the_run_ends_with_is_named():
    """Lecture, 100 epochs: ReLU ends with both hidden units at z ≤ 0 on the one sample (f' = 0), by hand:
    only b⁽²⁾ still learns, which is why its L keeps falling and still falls slowest."""
    m = presets.lecture()
    end: list = []
    by_hand(m, "relu", 100, end)
    W1, b1 = end
    x = [float(v) for v in m.X[0]]
    z = [W1[0][j] * x[0] + W1[1][j] * x[1] + b1[j] for j in range(2)]
    assert max(z) <= 0.0
    cols, runs = five(compare.compare(m)), five(compare.histories(m, 100))
    assert compare.reading(cols, runs, m.X).dead == ((2, 2),)
    said = reading_lines(cols, Text("en", False), runs, m.X)[-1]
    assert said.endswith("; relu ended with 2 dead hidden units (f'(z) = 0 on every sample: they learn no more).")
    pt = reading_lines(cols, Text("pt", False), runs, m.X)[-1]
    assert pt.endswith(
        "; ReLU terminou com 2 unidades ocultas mortas (f'(z) = 0 em todos os exemplos: elas não aprendem mais)."
    )
    # without the samples to check the end state, the clause is not said
    assert "dead unit" not in reading_lines(cols, Text("en", False), runs)[-1]
