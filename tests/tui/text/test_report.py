"""tui/text/report.py as the command line prints it, to the character, on values chosen by hand
(mutants of report.py that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import math
from types import SimpleNamespace

import numpy as np

from engine import presets
from engine.network import Params
from tui.text import report

M = "\u2212"
# every parameter a different value: a swapped index shows
P = Params(W1=[[0.11, 0.12], [0.21, 0.22]], b1=[0.31, -0.32], W2=[[0.41], [0.42]], b2=[-0.5])


def test_parameters_one_line_per_layer_each_with_its_own_value():
    assert report.Text("en", False).params(P) == [
        "w₁₁⁽¹⁾ = 0.1100   w₁₂⁽¹⁾ = 0.1200   w₂₁⁽¹⁾ = 0.2100   w₂₂⁽¹⁾ = 0.2200",
        f"b₁⁽¹⁾ = 0.3100   b₂⁽¹⁾ = {M}0.3200",
        f"w₁₁⁽²⁾ = 0.4100   w₂₁⁽²⁾ = 0.4200   b⁽²⁾ = {M}0.5000",
    ]
    assert report.Text("pt", True).params(P)[1] == f"b₁⁽¹⁾ = 0,3100   b₂⁽¹⁾ = {M}0,3200"


def test_a_vector_and_the_setup_line():
    assert report.Text("en", False).vec([0.05, -0.1]) == f"(0.0500, {M}0.1000)"
    assert report.Text("pt", True).vec([0.05, -0.1]) == f"(0,0500; {M}0,1000)"
    model = presets.lecture().with_(hidden="tanh", lr=0.25)
    assert report.Text("en", False).setup(model) == (
        "2–2–1 network, hidden activation tanh, output activation sigmoid, learning rate η = 0.2500"
    )


def test_transcript_labels_in_english():
    assert report.transcript_labels("en") == {
        "title": "Backpropagation, step by step",
        "setup": "2–2–1 network, hidden activation {hidden}, output activation {output}, learning rate $\\eta = {lr}$.",
        "step": "Epoch {epoch}, sample {sample}",
        "forward_pass": "Forward pass",
        "backward_pass": "Backward pass",
        "gradients": "Gradients",
        "update": "Update",
        "notes": "notes {value} (ex. {where})",
        "chain": "chain of §2.6:",
        "act_sigmoid": "sigmoid",
        "act_tanh": "tanh",
        "act_relu": "relu",
        "act_step": "step",
        "act_linear": "linear",
    }
    pt = report.transcript_labels("pt")
    assert (pt["act_sigmoid"], pt["act_relu"]) == ("sigmoide", "ReLU")  # the notes' names (issue 19)
    assert (pt["step"], pt["gradients"], pt["update"], pt["notes"]) == (
        "Época {epoch}, exemplo {sample}",
        "Gradientes",
        "Atualização",
        "notas {value} (ex. {where})",
    )


def row(key, analytic, numeric, rel_error):
    return SimpleNamespace(key=key, analytic=analytic, numeric=numeric, rel_error=rel_error)


def test_the_gradient_check_table_to_the_character():
    """Columns right-aligned: parameter in 9, the values in 19 each (the widest value, −1.234567890e−300,
    and two spaces), the relative error in 16; the header over them; m and h in the title."""
    model = presets.load("xor")
    rows = [row(("W1", 1, 1), 1.5e-3, 1.5000001e-3, 6.7e-8), row(("b2", 1), -2.0, -2.0, 0.0)]
    text = report.gradcheck_text(rows, model, "central", 1e-5, 6.7e-8, report.Text("en", False))
    assert text.split("\n") == [
        f"gradient check: central differences, h = 1.0e{M}05, mean loss over the data set (m = 4)",
        report.Text("en", False).setup(model),
        "",
        "parameter" + " " * 11 + "analytic" + " " * 12 + "numeric" + "  " + "relative error",
        "w₁₁⁽¹⁾   " + f"   +1.500000000e{M}03" + f"   +1.500000100e{M}03" + " " * 9 + f"6.7e{M}08",
        "b⁽²⁾     " + f"   {M}2.000000000e+00" + f"   {M}2.000000000e+00" + " " * 15 + "0",
        "",
        f"largest relative error: 6.7e{M}08",
        "",
    ]
    cannot = report.gradcheck_text(rows, model, "forward", 1e-7, math.inf, report.Text("en", False))
    assert cannot.split("\n")[0].startswith(f"gradient check: forward differences, h = 1.0e{M}07,")
    assert cannot.split("\n")[-2] == (
        "cannot check the gradient: the loss or a derivative is not finite at these parameters (overflow)"
    )


def test_train_prints_about_ten_rows_as_their_epochs_arrive_and_the_last_one_run():
    model = presets.load("xor")
    tx = report.Text("en", False)
    chunk = lambda losses, diverged=False: SimpleNamespace(losses=np.asarray(losses), params=P, diverged=diverged)
    # 20 epochs: L0 … L20, rows at 0, 2, …, 20, in two chunks (epochs 0–10 and 11–20)
    pieces = list(
        report.train_text_pieces(
            model, [chunk([1 + k / 100 for k in range(11)]), chunk([1 + k / 100 for k in range(11, 21)])], 20, tx
        )
    )
    assert pieces[0] == f"xor: 4 samples, 20 epochs\n{tx.setup(model)}\n\nepoch  L\n"
    assert pieces[1] == "".join(f"{k:>5}  {1 + k / 100:.4f}\n" for k in range(0, 11, 2))
    assert pieces[2] == "".join(f"{k:>5}  {1 + k / 100:.4f}\n" for k in range(12, 21, 2))
    assert pieces[3] == "\n".join(["", "parameters after epoch 20"] + [f"  {r}" for r in tx.params(P)]) + "\n"
    # a run that diverged at epoch 7 of 20 prints epoch 7, the last one run, too
    stopped = list(report.train_text_pieces(model, [chunk([0.5] * 8, diverged=True)], 20, tx))
    assert [line.split()[0] for line in stopped[1].splitlines()] == ["0", "2", "4", "6", "7"]
    assert "parameters after epoch 7" in stopped[2]


def test_the_trace_text_leaves_a_line_between_steps():
    from engine import export

    steps = list(export.iter_trace(presets.lecture(), 2))
    text = "".join(report.trace_text_pieces(steps, report.Text("en", False)))
    lines = text.split("\n")
    assert lines[:3] == ["Backpropagation, step by step", report.Text("en", False).setup(presets.lecture()), ""]
    assert lines[3] == "Epoch 1, sample 1: x = (0.0500, 0.1000), y = 0.0100"
    assert lines.count("") == 3  # before each step, and the end of the text


def test_no_epoch_run_prints_the_parameters_after_epoch_0():
    pieces = list(report.train_text_pieces(presets.load("xor"), [], 0, report.Text("en", False)))
    assert pieces[-1].split("\n")[1] == "parameters after epoch 0"


def test_h_as_a_power_of_ten_or_a_number():
    assert [report.h_text(h) for h in (1e-5, 1e-12, 1.0, 2e-5)] == ["10⁻⁵", "10⁻¹²", "10⁰", f"2.000e{M}05"]


def test_the_chain_rule_line_is_named_and_wraps_at_an_equals_sign():
    from engine import equations
    from engine.stepper import Stepper

    s = Stepper(presets.lecture())
    for _ in range(4):
        s.step()
    (chain,) = [e for e in equations.of_snapshot(s.snapshot) if e.role == "chain"]
    tx = report.Text("en", False)
    lines = report.equation_lines(chain, tx, "  ", 80)
    assert lines[0] == "  " + tx.t("ui_ex_chain") + " ∂L/∂w₂₁⁽¹⁾ = x₂ × f'(z₁⁽¹⁾) × w₁₁⁽²⁾ × f'(z⁽²⁾) × (ŷ − y)"
    assert lines[1:] == ["      = 0.10 × 0.24107 × 0.40 × 0.18680 × (0.75140 − 0.01) = 0.001335"]
    assert all(len(line) <= 80 for line in lines)


def test_a_portuguese_transcript_names_the_activations_as_the_notes_do():
    from engine import export

    model = presets.lecture().with_(hidden="relu")
    steps = list(export.iter_trace(model, 1))
    md = export.to_markdown(steps, report.transcript_labels("pt"))
    assert "ativação oculta ReLU, ativação de saída sigmoide" in md
    assert "hidden activation relu, output activation sigmoid" in export.to_markdown(
        steps, report.transcript_labels("en")
    )
