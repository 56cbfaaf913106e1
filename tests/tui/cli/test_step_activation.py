"""Exercise 6(b) on the command line (issue 19): `--activation step` trains only the output layer,
and a model file that lands exactly on ReLU's kink (z₁⁽¹⁾ = 0) says which convention it uses."""

import json
import pathlib

import numpy as np
import pytest

from engine import activations, config, presets
from engine.network import Params, dataset_loss

KINK = pathlib.Path(__file__).parents[2] / "engine" / "data" / "relu_at_kink.toml"


def test_activation_choices_come_from_the_table(run_main):
    code, out, _ = run_main("train", "--help")
    assert code == 0 and "step" in out
    for name in activations.HIDDEN_ACTIVATIONS:
        assert run_main("train", "--activation", name, "--epochs", "1", "--format", "json")[0] == 0


def test_train_with_the_step_never_moves_the_hidden_layer(run_main):
    code, out, err = run_main("train", "--preset", "xor", "--activation", "step", "--epochs", "40", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    start = presets.load("xor").params
    end = doc["params"]
    # bit for bit: JSON floats read back exactly, and W⁽¹⁾ − η·x·0 is W⁽¹⁾
    assert end["W1"] == start.W1.tolist() and end["b1"] == start.b1.tolist()
    assert end["W2"] != start.W2.tolist()
    # the last loss is that of the start's hidden layer with the trained output layer
    m = presets.load("xor")
    p = Params(W1=start.W1, b1=start.b1, W2=np.array(end["W2"]), b2=np.array(end["b2"]))
    L = dataset_loss(p, m.X, m.Y, activations.get("step"), activations.get(m.output))
    assert L == pytest.approx(doc["loss"][-1], rel=1e-12)


def test_a_model_file_names_the_step_and_reads_back(tmp_path):
    m = presets.load("xor").with_(hidden="step")
    text = config.model_to_toml(m)
    assert 'activation = "step"' in text and "sigmoid | tanh | relu | step" in text
    path = tmp_path / "step.toml"
    path.write_text(text, encoding="utf-8")
    assert config.load_model(path).hidden == "step"


def test_gradcheck_at_relus_kink_says_so_rather_than_fail(run_main):
    m = config.load_model(KINK)
    z1 = m.params.W1[0, 0] * 1.0 + m.params.W1[1, 0] * 0.0 + m.params.b1[0]
    assert z1 == 0.0  # the file lands exactly on the kink
    code, out, err = run_main("gradcheck", "--config", str(KINK))
    assert code == 0 and err == ""
    starred = [line.split()[0] for line in out.splitlines() if line.endswith(" *")]
    assert starred == ["w₁₁⁽¹⁾", "w₂₁⁽¹⁾", "b₁⁽¹⁾"]  # unit 1's first-layer parameters, and no other
    assert "f'(0) = 0 (the notes' table)" in out and "not a bug" in out
    # backprop uses f'(0) = 0, the central quotient sees half the slope on the right
    rows = {
        tuple(r["parameter"]): r
        for r in json.loads(run_main("gradcheck", "--config", str(KINK), "--format", "json")[1])["rows"]
    }
    assert rows[("W1", 1, 1)]["analytic"] == 0.0 and rows[("W1", 1, 1)]["numeric"] > 0.01
    # without a kink (the notes' own start) nothing is starred and no remark is printed
    _, plain, _ = run_main("gradcheck", "--activation", "relu")
    assert not any(line.endswith(" *") for line in plain.splitlines()) and "not a bug" not in plain
