"""`backprop-tui depth` (tui/cli/depth.py): the JSON recomputed from its own weights with formulas
written here, the text table's numbers, and one-line errors for bad input."""

from __future__ import annotations

import json
import math

import pytest

from engine import presets
from tui.text import fmt


def _act(name: str, z: float) -> float:
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z))
    if name == "tanh":
        return math.tanh(z)
    if name == "relu":
        return max(0.0, z)
    return z


def _dact(name: str, z: float) -> float:
    if name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    return 1.0


def recompute(doc: dict) -> list[dict]:
    """z, a, f'(z), δ per layer from the JSON's W (rows = inputs), b, x and y, by the notes' formulas:
    z_j = Σ_i w_ij a_i + b_j, δ⁽ᴸ⁾ = (ŷ − y) f'(z⁽ᴸ⁾), δ_i⁽ˡ⁾ = (Σ_j w_ij⁽ˡ⁺¹⁾ δ_j⁽ˡ⁺¹⁾) f'(z_i⁽ˡ⁾)."""
    a = list(doc["x"])
    out = []
    for layer in doc["layers"]:
        W, b, name = layer["W"], layer["b"], layer["activation"]
        z = [sum(W[i][j] * a[i] for i in range(len(a))) + b[j] for j in range(len(b))]
        a = [_act(name, v) for v in z]
        out.append({"z": z, "a": a, "fprime": [_dact(name, v) for v in z], "W": W})
    top = out[-1]
    top["delta"] = [(top["a"][0] - doc["y"]) * top["fprime"][0]]
    for l in range(len(out) - 2, -1, -1):
        nxt = out[l + 1]
        out[l]["delta"] = [
            sum(nxt["W"][i][j] * nxt["delta"][j] for j in range(len(nxt["delta"]))) * out[l]["fprime"][i]
            for i in range(len(out[l]["z"]))
        ]
    return out


def close(mine, theirs, rel=1e-12, abs_=1e-300):
    return all(math.isclose(p, q, rel_tol=rel, abs_tol=abs_) for p, q in zip(mine, theirs)) and len(mine) == len(theirs)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("k", [1, 5, 12])
def test_json_is_recomputable_from_its_own_weights(run_main, activation, k):
    code, out, err = run_main(
        "depth", "--layers", str(k), "--activation", activation, "--seed", "3", "--format", "json"
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert (doc["k"], doc["activation"], doc["output_activation"], doc["seed"]) == (k, activation, "sigmoid", 3)
    assert doc["x"] == [0.05, 0.10] and doc["y"] == 0.01
    assert [layer["l"] for layer in doc["layers"]] == list(range(1, k + 2))
    assert [len(layer["W"]) for layer in doc["layers"]] == [2] * (k + 1)  # rows = inputs
    assert [len(layer["W"][0]) for layer in doc["layers"]] == [2] * k + [1]
    mine = recompute(doc)
    for layer, ref in zip(doc["layers"], mine):
        for field in ("z", "a", "fprime", "delta"):
            assert close(layer[field], ref[field]), (layer["l"], field, layer[field], ref[field])
        assert math.isclose(layer["delta_norm"], math.hypot(*layer["delta"]), rel_tol=1e-15)
    assert math.isclose(doc["yhat"], mine[-1]["a"][0], rel_tol=1e-15)
    assert math.isclose(doc["loss"], 0.5 * (mine[-1]["a"][0] - 0.01) ** 2, rel_tol=1e-13)
    # layer 1 and the output layer are the lecture's; the ones between have scale 1 (rotations)
    p = presets.lecture().params
    assert doc["layers"][0]["W"] == p.W1.tolist() and doc["layers"][0]["b"] == p.b1.tolist()
    assert doc["layers"][-1]["W"] == p.W2.tolist() and doc["layers"][-1]["b"] == p.b2.tolist()
    for layer in doc["layers"][1:-1]:
        (c, s_), (s2, c2) = layer["W"]
        assert c == c2 and s_ == -s2 and math.isclose(c * c + s2 * s2, 1.0, rel_tol=1e-15)
        assert layer["b"] == p.b1.tolist()


def test_json_at_k_1_is_the_notes_worked_example(run_main):
    code, out, _ = run_main("depth", "--layers", "1", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["k"] == 1
    assert round(doc["yhat"], 4) == 0.7514 and round(doc["layers"][1]["delta"][0], 4) == 0.1385


def test_text_rows_hold_the_json_numbers(run_main):
    code, out, err = run_main("depth", "--layers", "4", "--lang", "en")
    _, js, _ = run_main("depth", "--layers", "4", "--format", "json")
    doc = json.loads(js)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Depth (exercise 6c): k = 4 hidden layers")
    assert max(len(line) for line in lines) <= 80
    head = lines.index(next(line for line in lines if line.startswith("l ")))
    rows = lines[head + 1 : head + 6]
    for row, layer in zip(rows, reversed(doc["layers"])):  # from the output down to layer 1
        l = layer["l"]
        cells = row.split()
        assert cells[0] == str(l)
        nums = [c for c in cells[1:] if c != "ŷ"][:3]
        # |δ⁽ˡ⁾| = ‖δ⁽ˡ⁾‖; Π f' of the hidden layers l … k (their largest f'); 0.25ⁿ with n = k − l + 1
        product = math.prod(max(h["fprime"]) for h in doc["layers"][l - 1 : 4])
        assert nums == [fmt.num(math.hypot(*layer["delta"])), fmt.num(product), fmt.num(0.25 ** (4 - l + 1))]
        assert "┃" in row and "█" in row
    assert "10⁻" in lines[head + 6]


def test_text_in_portuguese_with_decimal_comma(run_main):
    code, out, _ = run_main("depth", "--layers", "2", "--lang", "pt", "--decimal-comma", "--activation", "relu")
    assert code == 0
    assert out.startswith("Profundidade (exercício 6c): k = 2") and "0,0500; 0,1000" in out
    assert "oculta ReLU" in out and "saída sigmoide" in " ".join(out.split()) and "0,25ⁿ" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        (("--layers", "13"), "--layers"),
        (("--layers", "0"), "--layers"),
        (("--layers", "x"), "--layers"),
        (("--activation", "softmax"), "--activation"),
        (("--format", "csv"), "--format"),
        (("--seed", "-1"), "--seed"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_main, argv, needle):
    code, out, err = run_main("depth", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("backprop-tui depth: error:") and needle in err


# --- issue 18: "the depth view gives a false reason" ----------------------------------------------


def model_file(tmp_path, hidden: str, w1: float, w2: float = 0.4, y: float = 0.01, output: str = "sigmoid") -> str:
    path = tmp_path / f"{hidden}.toml"
    path.write_text(
        f'activation = "{hidden}"\noutput_activation = "{output}"\n[weights]\n'
        f"W1 = [[{w1}, {w1}], [{w1}, {w1}]]\nb1 = [0, 0]\nW2 = [[{w2}], [{w2}]]\nb2 = [0.6]\n"
        f"[data]\nx = [[1, 1]]\ny = [{y}]\n",
        encoding="utf-8",
    )
    return str(path)


def summary(out: str) -> str:
    """The text's last paragraph (the summary), unwrapped."""
    return " ".join(out.strip().split("\n\n")[-1].split("\n")).split("σ' ≤ 0.25 keeps it ≤ 0.25ⁿ (n = k − l + 1) ")[-1]


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid"])
def test_a_saturated_layer_is_named_as_saturated_not_as_relu(tmp_path, run_main, hidden):
    """The issue's model: W⁽¹⁾ all 100, x = (1, 1), so z⁽¹⁾ = 200 for both units. f'(200) is positive
    (sech²(200), σ(200)(1 − σ(200)) ≈ e⁻²⁰⁰), but f(200) rounds to 1 and f' computes to 0."""
    z = 100 * 1 + 100 * 1
    assert _dact(hidden, z) == 0.0 and _act(hidden, z) == 1.0 and math.exp(-2 * z) > 0  # what happened, by hand
    code, out, _ = run_main("depth", "--config", model_file(tmp_path, hidden, 100), "--layers", "3")
    text = summary(out)
    assert code == 0 and "ReLU" not in text, text
    assert text == (
        f"No gradient reaches layer 1: δ⁽¹⁾ = 0 at layer 1 ({hidden}). Units 1 and 2: z = 200.0000 "
        f"saturates {hidden}: f(z) rounds to 1 in double precision, so f'(z), positive in exact "
        "arithmetic, computes to 0."
    )


def test_relu_names_z_at_most_0(tmp_path, run_main):
    code, out, _ = run_main("depth", "--config", model_file(tmp_path, "relu", -1), "--layers", "1")
    assert summary(out) == (
        "No gradient reaches layer 1: δ⁽¹⁾ = 0 at layer 1 (relu). Units 1 and 2: z = −2.0000 ≤ 0, "
        "where ReLU's f'(z) = 0."
    )


def test_an_underflow_is_named_as_one(tmp_path, run_main):
    """z⁽¹⁾ = −744: σ' ≈ 1e−323 is not 0, (W⁽²⁾δ⁽²⁾)ⱼ is not 0, their product underflows to 0."""
    code, out, _ = run_main("depth", "--config", model_file(tmp_path, "sigmoid", -372), "--layers", "1")
    text = summary(out)
    assert math.exp(-744.0) > 0 and "Unit 1: (W⁽²⁾δ⁽²⁾)₁·f'(z) = " in text and "Unit 2: (W⁽²⁾δ⁽²⁾)₂" in text
    assert text.count("underflows to 0") == 2 and "ReLU" not in text and "saturates" not in text


def test_an_output_delta_of_0_says_why(tmp_path, run_main):
    _, out, _ = run_main(
        "depth", "--config", model_file(tmp_path, "sigmoid", 0, w2=0, y=_act("sigmoid", 0.6)), "--layers", "2"
    )
    assert summary(out) == "δ at the output is 0: there is nothing to propagate. ŷ = y."
    _, out, _ = run_main("depth", "--config", model_file(tmp_path, "sigmoid", 0, w2=1000), "--layers", "2")
    text = summary(out)
    assert text.startswith("δ at the output is 0: there is nothing to propagate. z = ") and "saturates sigmoid" in text
    _, out, _ = run_main(
        "depth", "--config", model_file(tmp_path, "sigmoid", 0, w2=-1000, output="relu"), "--layers", "2"
    )
    assert "≤ 0, where ReLU's f'(z) = 0" in summary(out)


def test_the_reason_in_portuguese(tmp_path, run_main):
    _, out, _ = run_main("depth", "--config", model_file(tmp_path, "tanh", 100), "--layers", "3", "--lang", "pt")
    assert "satura a tanh" in out and "ReLU" not in out
