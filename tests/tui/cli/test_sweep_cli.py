"""`backprop-tui sweep` (tui/cli/sweep.py): the engine's counts, as text and JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import presets, sweep


def test_cli_json_reports_the_engines_counts(run_main):
    code, out, err = run_main(
        "sweep",
        "--nets",
        "10",
        "--epochs",
        "300",
        "--preset",
        "or",
        "--activations",
        "sigmoid,relu",
        "--threshold",
        "0.0105",
        "--format",
        "json",
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    expected = sweep.sweep(presets.load("or"), 10, 300, hidden=("sigmoid", "relu"), threshold=0.0105)
    assert (doc["model"], doc["nets"], doc["epochs"], doc["seeds"]) == ("or", 10, 300, [0, 9])
    assert [r["hidden"] for r in doc["runs"]] == ["sigmoid", "relu"]
    for mine, run in zip(doc["runs"], expected.runs):
        assert mine["converged"] == run.n_converged and mine["diverged"] == 0
        np.testing.assert_allclose(mine["final_loss"], run.final_loss, rtol=0, atol=1e-15)


def test_cli_json_writes_null_for_a_diverged_network(run_main):
    code, out, _ = run_main(
        "sweep", "--nets", "3", "--epochs", "20", "--output-activation", "linear", "--lr", "1e6", "--format", "json"
    )
    doc = json.loads(out)
    assert code == 0
    assert doc["runs"][0]["diverged"] == 3 and doc["runs"][0]["final_loss"] == [None, None, None]
    assert doc["runs"][0]["median_loss"] is None


def test_cli_text_table_and_histograms(run_main):
    code, out, err = run_main(
        "sweep", "--nets", "40", "--epochs", "400", "--activations", "sigmoid,tanh", "--seed", "5", "--lang", "en"
    )
    assert code == 0 and err == ""
    result = sweep.sweep(presets.load("xor"), 40, 400, seed=5, hidden=("sigmoid", "tanh"))
    lines = out.splitlines()
    assert lines[0].startswith("sweep: xor, 40 networks × 400 epochs")
    assert "seeds 5 … 44" in out
    for run in result.runs:
        row = next(line for line in lines if line.startswith(run.hidden + " "))
        assert f"{run.n_converged} / 40 (" in row
    assert out.count("log₁₀ L") >= 2 and out.count("┌") == 2  # one histogram per hidden activation
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in out  # no colour codes in text output


def test_cli_text_in_portuguese_with_decimal_comma(run_main):
    code, out, _ = run_main("sweep", "--nets", "5", "--epochs", "10", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert out.startswith("varredura: xor, 5 redes")
    assert "0,0100" in out and "0.0100" not in out


def test_cli_says_when_every_network_diverged(run_main):
    code, out, _ = run_main("sweep", "--nets", "3", "--epochs", "20", "--output-activation", "linear", "--lr", "1e6")
    assert code == 0
    assert "every network diverged" in out and "┌" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--activation", "tanh", "--activations", "sigmoid,relu"],
        ["--activations", "sigmoid,linear"],
        ["--activations", "tanh,tanh"],
        ["--nets", "0"],
        ["--epochs", "many"],
        ["--threshold", "-1"],
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(run_main, argv):
    code, out, err = run_main("sweep", "--epochs", "5", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_sweep_command_does_not_import_textual(run_python):
    code = (
        "import sys; from tui.main import main; main(['sweep', '--nets', '2', '--epochs', '2']); "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    assert run_python(code).returncode == 0
