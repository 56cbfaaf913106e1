"""`trace --format python | notebook` (exercise 4(a)): what it writes runs and prints every number the
trace prints.

The script runs in a fresh interpreter (sys.executable: only NumPy needed); the notebook's code cells
run in order in one namespace, as a kernel would, without Jupyter. Their printed values are compared,
step by step and name by name, with `trace --format json` of the same command line (--steps, the
activations, η, the model's data), within rounding (the script's W1.T @ x may go through BLAS, its σ is
the textbook one: docs/NUMERICS.md). The micro-steps' code is engine/numpy_code.py's: a line changed
there changes what these programs print.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import math
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest

from lastbits import ABS, REL

KINK = pathlib.Path(__file__).parents[2] / "engine" / "data" / "relu_at_kink.toml"
VALUE = re.compile(r"^    (\w+) = (.*)$")
PHASE = re.compile(r"^  (\S.*)$")
HEAD = re.compile(r"^\D*(\d+)\D+(\d+): x = (.*), y = (.*)$")


def parse(text: str) -> tuple[list[dict], list[str]]:
    """The steps a program printed, as trace JSON's STEPs (DESIGN §6), and its other lines."""
    steps, other, block = [], [], None
    for line in text.splitlines():
        if m := HEAD.match(line):
            steps.append({"epoch": int(m[1]), "sample": int(m[2]), "x": number(m[3]), "y": number(m[4]), "blocks": {}})
        elif steps and (m := PHASE.match(line)):
            block = steps[-1]["blocks"].setdefault(m[1], {})
        elif steps and (m := VALUE.match(line)):
            block[m[1]] = number(m[2])
        else:
            other.append(line)
    out = []
    for s in steps:
        blocks = list(s.pop("blocks").values())  # parameters, F1, F2, B2, B1, U: in the order printed
        params, f1, f2, b2, b1, u = blocks
        out.append(
            {
                **s,
                "params": params,
                **f1,
                **f2,
                "delta2": b2["delta2"],
                "delta1": b1["delta1"],
                "grads": {"W1": b1["dW1"], "b1": b1["db1"], "W2": b2["dW2"], "b2": b2["db2"]},
                "params_after": u,
            }
        )
    return out, other


def number(text: str):
    return json.loads(text.replace("nan", "NaN").replace("inf", "Infinity"))


def same(got, want, where: str = "$", rel: float = REL) -> None:
    """`got` (printed by the program) is `want` (trace JSON) within rounding; JSON's null is a number
    that is not finite."""
    if isinstance(want, dict):
        for key, value in want.items():
            same(got[key], value, f"{where}.{key}", rel)
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for k, (a, b) in enumerate(zip(got, want)):
            same(a, b, f"{where}[{k}]", rel)
    elif want is None:
        assert not math.isfinite(got), f"{where}: {got} where the trace has null"
    else:
        assert math.isfinite(got) and abs(got - want) <= max(rel * max(abs(got), abs(want)), ABS), (
            f"{where}: {got!r} against the trace's {want!r}"
        )


def compare(printed: str, trace_json: str, rel: float = REL) -> list[dict]:
    steps, _ = parse(printed)
    want = json.loads(trace_json)["steps"]
    assert len(steps) == len(want) and steps, (len(steps), len(want))
    for k, (a, b) in enumerate(zip(steps, want)):
        same(a, b, f"step {k + 1}", rel)
    return steps


def run_script(path: pathlib.Path) -> str:
    """The script in a fresh interpreter, in its own folder; it imports NumPy and nothing else."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names
    }
    assert imported == {"numpy"}
    done = subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def run_notebook(text: str) -> str:
    """Every code cell of the notebook, in order, in one namespace; what they print."""
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102
    return out.getvalue()


CASES = {
    "lecture": (),
    "lecture-tanh-relu-3": ("--activation", "tanh", "--output-activation", "relu", "--steps", "3"),
    "xor-9": ("--preset", "xor", "--steps", "9"),
    "xor-relu-linear-6": (
        "--preset",
        "xor",
        "--activation",
        "relu",
        "--output-activation",
        "linear",
        "--lr",
        "0.1",
        "--steps",
        "6",
    ),
    "and-step-tanh-5": ("--preset", "and", "--activation", "step", "--output-activation", "tanh", "--steps", "5"),
    "nand-seed-sigmoid-linear-4": ("--preset", "nand", "--seed", "7", "--output-activation", "linear", "--steps", "4"),
    "kink": ("--config", str(KINK), "--steps", "2"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_script_prints_every_number_of_the_trace(case, run_main, tmp_path):
    args = CASES[case]
    code, trace_json, _ = run_main("trace", *args, "--format", "json")
    assert code == 0
    code, text, err = run_main("trace", *args, "--format", "python")
    assert code == 0 and err == ""
    script = tmp_path / "trace.py"
    script.write_text(text, encoding="utf-8")
    compare(run_script(script), trace_json)


@pytest.mark.parametrize("case", ["lecture", "xor-relu-linear-6", "and-step-tanh-5"])
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_notebook_runs_cell_by_cell_to_the_same_numbers(case, lang, run_main):
    args = CASES[case]
    code, trace_json, _ = run_main("trace", *args, "--format", "json")
    code, text, err = run_main("trace", *args, "--format", "notebook", "--lang", lang)
    assert code == 0 and err == ""
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)  # raises on a notebook Jupyter would refuse
    kinds = [cell.cell_type for cell in nb.cells]
    assert kinds[0] == "markdown" and kinds.count("code") >= 7  # the model, five micro-steps, helpers, the run
    heading = "Backpropagation passo a passo" if lang == "pt" else "Backpropagation, step by step"
    assert nb.cells[0].source.startswith("# " + heading)
    compare(run_notebook(text), trace_json)


def test_each_micro_step_is_a_function_of_the_lines_the_app_shows(run_main):
    """The code of each micro-step in the script is engine/numpy_code.py's lines, as they are."""
    from engine import numpy_code
    from engine.stepper import Phase

    _, text, _ = run_main("trace", "--preset", "xor", "--activation", "relu", "--format", "python")
    for phase in numpy_code.PHASES:
        step = numpy_code.step(phase, "relu", "sigmoid")
        head = f"def {phase.value}({', '.join(step.reads)}):"
        body = (
            text.split(head)[1].split("    return ")[0].split('"""')[2].strip("\n").splitlines()
        )  # after the docstring
        assert [line.split("  # ")[0].strip() for line in body] == [line.code for line in step.lines]
        assert [line.split("  # ")[1] for line in body] == [line.symbol.text for line in step.lines]
    assert "def B1(x, W2, z1, delta2):" in text and Phase.B1.value == "B1"


def test_a_run_that_diverges_stops_where_the_trace_stops(run_main, tmp_path):
    """DESIGN §6: the trace stops at the end of the first epoch whose data-set loss is not finite; the
    script prints the same steps and says so."""
    model = tmp_path / "linear.toml"
    model.write_text('output_activation = "linear"\nlearning_rate = 5\n[data]\nx = [[10, 10], [5, -5]]\ny = [100, 3]\n')
    args = ("--config", str(model), "--steps", "400")
    code, trace_json, err = run_main("trace", *args, "--format", "json")
    assert code == 1
    epoch = len(json.loads(trace_json)["steps"]) // 2
    assert err.strip() == f"backprop-tui: diverged at epoch {epoch}"
    _, text, _ = run_main("trace", *args, "--format", "python")
    script = tmp_path / "trace.py"
    script.write_text(text, encoding="utf-8")
    printed = run_script(script)
    # 240 steps of a run whose weights grow without bound carry an ulp of the first steps (BLAS, the
    # textbook σ) to the 12th digit: the same steps, the same values to 1e-6, the same last epoch
    compare(printed, trace_json, rel=1e-6)
    assert parse(printed)[1][-1] == f"diverged at epoch {epoch}"


def test_the_script_and_the_notebook_are_the_same_program(run_main):
    """One list of cells: the script's code is the notebook's code cells, in order."""
    _, script, _ = run_main("trace", "--preset", "or", "--steps", "2", "--format", "python")
    _, notebook, _ = run_main("trace", "--preset", "or", "--steps", "2", "--format", "notebook")
    cells = [c.source for c in nbformat.reads(notebook, as_version=4).cells if c.cell_type == "code"]
    assert script.endswith("\n\n\n".join(cells) + "\n")
    assert run_main("trace", "--preset", "or", "--steps", "2", "--format", "notebook")[1] == notebook  # same bytes


@pytest.mark.parametrize(
    "argv",
    [
        ["--format", "ipynb"],
        ["--format", "notebook", "--config", "/nonexistent.toml"],
        ["--format", "python", "--steps", "0"],
        ["--format", "python", "--lr", "-1"],
    ],
    ids=" ".join,
)
def test_bad_input_is_one_line_and_exit_2(argv, run_main):
    code, out, err = run_main("trace", *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_only_the_notebook_loads_nbformat(run_python):
    check = "import sys; from tui.main import main; main({argv}); sys.stderr.write(str('nbformat' in sys.modules))"
    done = run_python(check.format(argv=["trace", "--format", "python"]))
    assert done.returncode == 0 and done.stderr == "False"
    done = run_python(check.format(argv=["trace", "--format", "notebook"]))
    assert done.returncode == 0 and done.stderr == "True"


def test_the_program_does_not_grow_with_the_steps(run_main):
    """--steps is a number in the program, which runs them: 10⁹ steps are written at once, no longer."""
    _, one, _ = run_main("trace", "--preset", "xor", "--format", "python")
    code, many, _ = run_main("trace", "--preset", "xor", "--steps", str(10**9), "--format", "python")
    assert code == 0 and "steps = 1000000000" in many and len(many) <= len(one) + 20


@pytest.mark.parametrize("fmt", ["python", "notebook"])
def test_a_full_disk_is_one_line_and_exit_1(fmt):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "trace", "--format", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=pathlib.Path(__file__).parents[3],
        )
    assert (
        done.returncode == 1
        and done.stderr == "backprop-tui: error: cannot write the output: No space left on device\n"
    )


def test_a_model_whose_first_loss_is_not_finite_runs_no_step(run_main, tmp_path):
    """L0 not finite: the trace computes no step and says "diverged at epoch 0"; so does the script."""
    model = tmp_path / "huge.toml"
    model.write_text(
        'output_activation = "linear"\n[weights]\nW1 = [[0.15, 0.2], [0.25, 0.3]]\nb1 = [0.35, 0.35]\n'
        "W2 = [[1e308], [1e308]]\nb2 = [0.6]\n[data]\nx = [[0.05, 0.1]]\ny = [0.01]\n"
    )
    code, trace_json, err = run_main("trace", "--config", str(model), "--steps", "3", "--format", "json")
    assert code == 1 and json.loads(trace_json)["steps"] == [] and err.strip() == "backprop-tui: diverged at epoch 0"
    _, text, _ = run_main("trace", "--config", str(model), "--steps", "3", "--format", "python", "--lang", "pt")
    script = tmp_path / "trace.py"
    script.write_text(text, encoding="utf-8")
    assert run_script(script) == "divergiu na época 0\n"


@pytest.mark.parametrize("stem", ['quo"te"', "back\\slash", 'tri"""ple', "new\nline"])
def test_a_model_files_name_never_breaks_the_program(stem, run_main, tmp_path):
    """The model's name (its file's) goes into the header: any name leaves a program that runs."""
    try:
        model = tmp_path / f"{stem}.toml"
        model.write_text("[data]\nx = [[0.05, 0.1]]\ny = [0.01]\n")
    except OSError:
        pytest.skip("the file system refuses the name")
    code, text, _ = run_main("trace", "--config", str(model), "--format", "python")
    assert code == 0
    script = tmp_path / "trace.py"
    script.write_text(text, encoding="utf-8")
    assert parse(run_script(script))[0][0]["epoch"] == 1
