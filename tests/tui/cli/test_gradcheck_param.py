"""`gradcheck --param`: exercise 2(d) for one parameter on the command line (issue 12 item 1)."""

import json

import numpy as np
import pytest

from byhand import sigma, worked_example
from engine import activations, presets
from engine.network import Params, forward, sample_loss
from tui.text import fmt


def loss_by_hand(preset: str, name: str, index: tuple, h: float) -> float:
    """The mean loss of the preset with one parameter nudged by h, through engine.network's forward pass."""
    m = presets.load(preset)
    arrays = {k: np.array(getattr(m.params, k)) for k in ("W1", "b1", "W2", "b2")}
    arrays[name][index] += h
    p = Params(**arrays)
    f = activations.get("sigmoid")
    return float(np.mean([sample_loss(forward(p, x, f, f)[3], float(y)) for x, y in zip(m.X, m.Y)]))


def full(v: float, comma: bool = False) -> str:
    return fmt.num(v, comma, extra=11)


def test_text_walks_through_exercise_2d_and_flags_the_notes_slip(run_main):
    code, out, err = run_main("gradcheck", "--param", "W2:1:1", "--h", "1e-4", "--method", "forward")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("finite differences for w₁₁⁽²⁾ (W2:1:1): forward differences, h = 10⁻⁴")
    ex = worked_example()
    a1, a2 = ex["a1"]
    L = ex["loss"]
    Lp = 0.5 * (sigma((0.40 + 1e-4) * a1 + 0.45 * a2 + 0.60) - 0.01) ** 2
    L_engine, Lp_engine = loss_by_hand("lecture", "W2", (0, 0), 0.0), loss_by_hand("lecture", "W2", (0, 0), 1e-4)
    assert Lp_engine == pytest.approx(Lp, rel=1e-13) and L_engine == pytest.approx(L, rel=1e-13)
    assert f"θ     = {full(0.4)}   L(θ)     = {full(L_engine)}" in lines
    assert f"θ + h = {full(0.4 + 1e-4)}   L(θ + h) = {full(Lp_engine)} *" in lines
    quotient = (Lp_engine - L_engine) / 1e-4
    assert f"(L(θ + h) − L(θ)) / h = {full(quotient)}" in lines
    backprop = float(next(x for x in lines if x.startswith("backprop ∂L/∂w₁₁⁽²⁾   = ")).split("= ")[1])
    assert backprop == pytest.approx(a1 * ex["delta2"], abs=1e-15)  # ∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾ δ⁽²⁾, 15 decimals
    diff = next(x for x in lines if x.startswith("difference"))
    assert fmt.num(quotient - a1 * ex["delta2"]) in diff
    assert lines[-1].startswith("* the notes print L⁺ ≈ 0.274808 (0.2748 + 10⁻⁴ × 0.0823")
    assert lines[-1].endswith(f"is {fmt.num(Lp, decimals=6)}") and fmt.num(Lp, decimals=6) == "0.274849"


def test_central_text_has_theta_minus_h_and_pt(run_main):
    code, out, _ = run_main("gradcheck", "--param", "W2:1:1", "--method", "central", "--lang", "pt", "--decimal-comma")
    Lm = loss_by_hand("lecture", "W2", (0, 0), -1e-4)
    assert code == 0 and f"θ − h = {full(0.4 - 1e-4, True)}   L(θ − h) = {full(Lm, True)}" in out.splitlines()
    assert "diferenças centrais" in out and "(L(θ + h) − L(θ − h)) / 2h" in out
    assert "* as notas imprimem L⁺ ≈ 0,274808" in out  # L(θ + h) is the same with either method


@pytest.mark.parametrize(
    "argv",
    [
        ["--preset", "xor"],
        ["--activation", "tanh"],
        ["--h", "1e-5"],
        ["--param", "W2:2:1"],
        ["--output-activation", "linear"],
    ],
)
def test_the_slip_is_the_notes_example_alone(run_main, argv):
    code, out, _ = run_main("gradcheck", "--param", "W2:1:1", *argv)
    assert code == 0 and "*" not in out and "notes" not in out


def test_eta_does_not_change_the_loss_so_the_slip_stays(run_main):
    assert "* the notes print L⁺ ≈ 0.274808" in run_main("gradcheck", "--param", "W2:1:1", "--lr", "0.1")[1]


def test_json_row_for_one_parameter(run_main):
    code, out, _ = run_main("gradcheck", "--param", "W2:1:1", "--h", "1e-4", "--method", "forward", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["method"] == "forward" and doc["h"] == 1e-4
    [row] = doc["rows"]
    assert row["parameter"] == ["W2", 1, 1] and row["theta"] == 0.4
    L, Lp = loss_by_hand("lecture", "W2", (0, 0), 0.0), loss_by_hand("lecture", "W2", (0, 0), 1e-4)
    assert row["loss"] == L and row["loss_plus"] == Lp and "loss_minus" not in row
    assert row["numeric"] == (Lp - L) / 1e-4
    ex = worked_example()
    assert row["analytic"] == pytest.approx(ex["a1"][0] * ex["delta2"], rel=1e-14)


def test_json_central_row_of_a_bias_on_xor(run_main):
    code, out, _ = run_main(
        "gradcheck", "--preset", "xor", "--param", "b2:1", "--method", "central", "--h", "1e-3", "--format", "json"
    )
    [row] = json.loads(out)["rows"]
    Lp, Lm = loss_by_hand("xor", "b2", (0,), 1e-3), loss_by_hand("xor", "b2", (0,), -1e-3)
    assert row["parameter"] == ["b2", 1] and row["loss_plus"] == Lp and row["loss_minus"] == Lm
    assert row["numeric"] == (Lp - Lm) / 2e-3 and row["theta"] == float(presets.load("xor").params.b2[0])


def test_every_row_gains_the_losses_without_param(run_main):
    code, out, _ = run_main("gradcheck", "--format", "json")
    doc = json.loads(out)
    assert doc["method"] == "central" and doc["h"] == 1e-5 and len(doc["rows"]) == 9  # the defaults as before
    L = loss_by_hand("lecture", "W2", (0, 0), 0.0)
    for row in doc["rows"]:
        assert list(row) == [
            "parameter",
            "analytic",
            "numeric",
            "rel_error",
            "theta",
            "loss",
            "loss_plus",
            "loss_minus",
        ]
        assert row["loss"] == L
    w21 = doc["rows"][2]
    assert w21["parameter"] == ["W1", 2, 1] and w21["theta"] == 0.25
    assert w21["loss_plus"] == loss_by_hand("lecture", "W1", (1, 0), 1e-5)
    code, out, _ = run_main("gradcheck", "--format", "json", "--method", "forward")
    assert all("loss_minus" not in row for row in json.loads(out)["rows"])


@pytest.mark.parametrize(
    "text, says",
    [
        ("W3:1:1", "unknown parameter"),
        ("W2:3:1", "out of range"),
        ("b2", "out of range"),
        ("W2-1-1", "unknown parameter"),
        ("W1:1:x", "whole numbers"),
    ],
)
def test_bad_param_exits_2_with_one_line(run_main, text, says):
    code, out, err = run_main("gradcheck", "--param", text)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("backprop-tui gradcheck: error: argument --param: ")
    assert says in err
