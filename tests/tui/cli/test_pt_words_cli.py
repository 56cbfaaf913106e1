"""Issue 19: the command line's text output names the activations as the notes do in Portuguese
(sigmoide) while the options and JSON keep the machine names, and its counts agree with their number."""

import json

import pytest


@pytest.mark.parametrize(
    "lang, setup",
    [
        ("pt", "rede 2–2–1, ativação oculta sigmoide, ativação de saída sigmoide"),
        ("en", "2–2–1 network, hidden activation sigmoid, output activation sigmoid"),
    ],
)
def test_trace_names_the_activations_in_the_language(run_main, lang, setup):
    code, out, _ = run_main("trace", "--lang", lang, "--activation", "sigmoid")
    assert code == 0 and setup in out


@pytest.mark.parametrize(
    "lang, header",
    [
        ("pt", "lecture: 1 exemplo, 1 época"),
        ("en", "lecture: 1 sample, 1 epoch"),
    ],
)
def test_train_counts_one_sample_and_one_epoch_in_the_singular(run_main, lang, header):
    code, out, _ = run_main("train", "--epochs", "1", "--lang", lang)
    assert code == 0 and header in out


@pytest.mark.parametrize("lang, header", [("pt", "xor: 4 exemplos, 2 épocas"), ("en", "xor: 4 samples, 2 epochs")])
def test_train_counts_in_the_plural(run_main, lang, header):
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "2", "--lang", lang)
    assert code == 0 and header in out


def test_sweep_text_in_pt_says_sigmoide_and_json_keeps_sigmoid(run_main):
    code, out, _ = run_main(
        "sweep", "--preset", "xor", "--nets", "1", "--epochs", "1", "--lang", "pt", "--activations", "sigmoid,relu"
    )
    assert code == 0
    text = " ".join(out.split())
    assert "1 rede × 1 época" in text and "oculta sigmoide" in text and "ReLU" in text
    assert "sigmoid " not in out and "relu" not in out
    code, js, _ = run_main(
        "sweep",
        "--preset",
        "xor",
        "--nets",
        "1",
        "--epochs",
        "1",
        "--lang",
        "pt",
        "--activations",
        "sigmoid,relu",
        "--format",
        "json",
    )
    assert code == 0 and [r["hidden"] for r in json.loads(js)["runs"]] == ["sigmoid", "relu"]


def test_the_target_warning_counts_one_more_target_in_the_singular(run_main, tmp_path):
    path = tmp_path / "y2.toml"
    path.write_text("[data]\nx = [[0.05, 0.10], [0.2, 0.3]]\ny = [2.0, 3.0]\n")
    code, _, err = run_main("trace", "--config", str(path), "--lang", "en")
    assert code == 0 and "(1 more target outside it)" in err
    code, _, err = run_main("trace", "--config", str(path), "--lang", "pt")
    assert code == 0 and "(mais 1 alvo fora dele)" in err and "saída sigmoide" in err


def test_compare_in_pt_heads_its_columns_sigmoide_tanh_relu(run_main):
    code, out, _ = run_main("compare", "--lang", "pt")
    assert code == 0
    assert "Exercícios 5 e 6(b): sigmoide, tanh, ReLU e degrau" in out
    header = next(line for line in out.splitlines() if "tanh" in line and "sigmoide" in line and "Exerc" not in line)
    assert header.split() == ["sigmoide", "tanh", "ReLU", "degrau"]


def test_surface_text_in_pt_says_sigmoide(run_main):
    code, out, _ = run_main("surface", "--lang", "pt", "--preset", "xor")
    assert code == 0 and "oculta sigmoide, saída sigmoide" in " ".join(out.split())
