"""Exercise 4(a): the NumPy lines of each micro-step (engine/numpy_code.py) are the engine's arithmetic.

For every micro-step (F1 F2 B2 B1 U) of two samples, every hidden activation (sigmoid, tanh, ReLU, step)
and every output activation (linear too), on the notes' example, XOR and random models: the text of
the lines, run as it is (exec) on the state before the step as the Stepper holds it, gives every value
the Stepper recorded for the step, within rounding (the lines' `W1.T @ x` may go through BLAS, the
textbook σ differs from the engine's overflow-safe one by an ulp: docs/NUMERICS.md).
"""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import byhand
from engine import config, equations, numpy_code, presets
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.model import Model, random_params
from engine.stepper import Phase, Stepper
from lastbits import ABS, REL


def random_model(seed: int) -> Model:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (3, 2))
    return Model(name=f"random{seed}", params=random_params(seed, scale=1.5), X=X, Y=rng.uniform(-1, 1, 3), lr=0.7)


KINK = pathlib.Path(__file__).parent / "data" / "relu_at_kink.toml"  # z₁⁽¹⁾ = 0 exactly: ReLU's f'(0) = 0
MODELS = {
    "lecture": presets.lecture,
    "xor": lambda: presets.load("xor"),
    "random1": lambda: random_model(1),
    "random2": lambda: random_model(2),
    "kink": lambda: config.load_model(str(KINK)),
}


def run_lines(phase: Phase, sample: equations.Sample) -> tuple[numpy_code.Step, dict]:
    """Run the micro-step's lines on what the engine held before it: the names it reads, no more."""
    step = numpy_code.step(phase, sample.hidden, sample.output)
    state = numpy_code.known(sample)
    namespace = {"np": np, **{name: state[name] for name in step.reads}}
    exec(step.code, namespace)  # noqa: S102 - the text shown on screen and written into scripts, as it is
    return step, namespace


def assert_close(got, want, where: str) -> None:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{where}: shape {got.shape} against the engine's {want.shape}"
    np.testing.assert_allclose(got, want, rtol=REL, atol=ABS, err_msg=where)


def reproduce(model: Model, samples: int = 2) -> list[str]:
    """Step through `samples` samples; at each micro-step run its lines and compare. Returns what was checked."""
    stepper, checked = Stepper(model), []
    for _ in range(samples * len(numpy_code.PHASES)):
        s = stepper.step()
        sample = equations.sample_of(s)
        step, namespace = run_lines(s.phase, sample)
        for name in step.writes:
            assert_close(
                namespace[name],
                numpy_code.result(sample, s.phase, name),
                f"{model.name} {model.hidden}/{model.output} {s.phase.value} {name}",
            )
        checked.append(s.phase.value)
    return checked


@pytest.mark.parametrize("output", OUTPUT_ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("name", list(MODELS))
def test_the_lines_of_every_micro_step_give_the_engines_values(name, hidden, output):
    model = MODELS[name]().with_(hidden=hidden, output=output)
    assert reproduce(model) == ["F1", "F2", "B2", "B1", "U"] * 2


def test_each_line_assigns_what_its_micro_step_records():
    """Every value of a phase's record has its line (∂L/∂b is δ, a line too): nothing shown is left
    without the code that computes it, and the lines compute nothing else."""
    records = {
        Phase.F1: ("z1", "a1"),
        Phase.F2: ("z2", "yhat", "loss"),
        Phase.B2: ("fprime2", "delta2", "dW2", "db2"),
        Phase.B1: ("da1", "fprime1", "delta1", "dW1", "db1"),
        Phase.U: ("W1", "b1", "W2", "b2"),
    }
    for hidden in HIDDEN_ACTIVATIONS:
        for output in OUTPUT_ACTIVATIONS:
            for phase in numpy_code.PHASES:
                assert numpy_code.step(phase, hidden, output).writes == records[phase]


def test_the_lines_read_like_the_notes_in_the_engines_layout():
    """z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ with W1 as the notes print it (rows = inputs), ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ, σ' = σ(1 − σ)."""
    f1 = numpy_code.step(Phase.F1, "sigmoid", "sigmoid").code
    assert f1 == "z1 = W1.T @ x + b1\na1 = 1 / (1 + np.exp(-z1))"
    b1 = numpy_code.step(Phase.B1, "sigmoid", "sigmoid").code.splitlines()
    assert b1 == [
        "da1 = W2 @ delta2",
        "fprime1 = a1 * (1 - a1)",
        "delta1 = da1 * fprime1",
        "dW1 = np.outer(x, delta1)",
        "db1 = delta1",
    ]
    assert numpy_code.step(Phase.B1, "relu", "linear").reads == ("x", "W2", "z1", "delta2")


def test_the_lecture_lines_give_the_notes_numbers():
    """The lines alone, from the notes' starting point, give the sample-step written out by hand
    (tests/byhand.py, DESIGN §2): not only the engine's values, the notes' too."""
    ex = byhand.worked_example()
    namespace = {
        "np": np,
        "x": np.array(ex["x"]),
        "y": ex["y"],
        "eta": ex["eta"],
        "W1": np.array(ex["W1"]),
        "b1": np.array(ex["b1"]),
        "W2": np.array(ex["W2"]).reshape(2, 1),
        "b2": np.array([ex["b2"]]),
    }
    for phase in numpy_code.PHASES:
        exec(numpy_code.step(phase).code, namespace)  # noqa: S102
    for name in ("z1", "a1", "delta1"):
        assert_close(namespace[name], ex[name], name)
    for name in ("z2", "yhat", "delta2"):
        assert_close(namespace[name], [ex[name]], name)
    assert_close(namespace["loss"], ex["loss"], "loss")
    assert_close(namespace["dW1"], ex["dW1"], "dW1")
    assert_close(namespace["dW2"], np.array(ex["dW2"]).reshape(2, 1), "dW2")
    assert_close(namespace["W1"], ex["W1_after"], "W1 after")
    assert_close(namespace["b1"], ex["b1_after"], "b1 after")
    assert_close(namespace["W2"], np.array(ex["W2_after"]).reshape(2, 1), "W2 after")
    assert_close(namespace["b2"], [ex["b2_after"]], "b2 after")


def test_unknown_activations_and_ready_have_no_lines():
    with pytest.raises(ValueError):
        numpy_code.step(Phase.F1, "linear", "sigmoid")  # linear is an output activation only
    with pytest.raises(ValueError):
        numpy_code.step(Phase.READY)
