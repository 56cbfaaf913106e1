"""`trace --format python | notebook`: the trace as a NumPy program a student can run and read.

One list of cells makes both: the script is its code cells in order (the first markdown cell as its
docstring), the notebook (tui/cli/trace.py, nbformat) is every cell. Each micro-step is a function
whose body is exactly its lines in engine/numpy_code.py, the lines the Explain panel shows under P;
its arguments are the names those lines read, it returns what they assign. A loop runs the trace's
sample-steps, cycling through the data set from its first sample as `trace` does (DESIGN §6), and
prints every value the trace prints, at full precision (Python's repr, as the JSON has them); it stops
where `trace` stops, at the end of the first epoch whose data-set loss is not finite.

A sample-step is the calls of `sample_step_lines`: a mode that updates once per batch would call the
four first micro-steps per sample and U once on the mean gradients, without changing the functions.
Text meant for a person (titles, the header) comes from `labels`, which the caller translates (the
engine does not import tui); only the standard library is used here.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from engine import numpy_code
from engine.config import shown
from engine.model import Model
from engine.stepper import Phase

DEFAULT_LABELS = {
    "title": "Backpropagation, step by step",
    "setup": "2–2–1 network, hidden activation {hidden}, output activation {output}, learning rate η = {lr}",
    "header": (
        "Written by backprop-tui trace --format {format} for {steps} sample-steps of the model {name}: each "
        "micro-step is the NumPy lines the app shows (key P). Run it: it prints every value the trace "
        "prints, at full precision. It needs only NumPy."
    ),
    "layout": (
        "W1[i-1, j-1] is the weight wᵢⱼ⁽¹⁾ from input i to hidden unit j, as the notes print W⁽¹⁾ "
        "(rows = inputs): so z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ is W1.T @ x + b1, and ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ is np.outer(x, delta1)."
    ),
    "model": "The model: the data set (one sample per row of X), the parameters and η",
    "steps_title": "The micro-steps of §2.9, one function each",
    "run": "The sample-steps, from the first sample of the data set (cycling through it)",
    "dataset_loss": "L = (1/m) Σ Lᵢ over the data set (§2.1): the run stops at the end of an epoch where it is not finite",
    "step": "Epoch {epoch}, sample {sample}",
    "parameters": "parameters",
    "diverged": "diverged at epoch {epoch}",
    "F1": "F1 · forward pass, hidden layer (§2.3)",
    "F2": "F2 · forward pass, output layer and loss (§2.3, §2.1)",
    "B2": "B2 · backward pass, output layer (§2.5)",
    "B1": "B1 · backward pass, hidden layer (§2.6)",
    "U": "U · update (§2.9 step 8)",
    "act_sigmoid": "sigmoid",
    "act_tanh": "tanh",
    "act_relu": "relu",
    "act_step": "step",
    "act_linear": "linear",
}


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str


def literal(value) -> str:
    """A number or nested list of numbers as Python source that gives the same float64 back (repr is the
    shortest text that round-trips); a value that is not finite as float("inf") or float("nan")."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    v = float(value)
    return repr(v) if math.isfinite(v) else f'float("{v!r}")'


def _docstring(text: str, indent: str) -> str:
    """`text` as a docstring at `indent`; a backslash or a triple quote in it (a model's name) stays text."""
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if "\n" not in body:
        return f'{indent}"""{body}{" " if body.endswith(chr(34)) else ""}"""'
    lines = [(indent + line if line else "") for line in body.split("\n")]
    return f'{indent}"""' + "\n".join(lines)[len(indent) :] + f'\n{indent}"""'


def _fstring(template: str, fields: Mapping[str, str]) -> str:
    """A label with {placeholders} as a Python f-string literal whose fields are the expressions `fields`."""
    marks = {name: f"\x00{k}\x00" for k, name in enumerate(fields)}
    text = template
    for name, mark in marks.items():
        text = text.replace("{" + name + "}", mark)
    text = text.replace("{", "{{").replace("}", "}}")
    for name, mark in marks.items():
        text = text.replace(mark, "{" + fields[name] + "}")
    return "f" + repr(text)


def call(step: numpy_code.Step) -> str:
    """`z1, a1 = F1(x, W1, b1)`: a micro-step's function called on the names it reads."""
    return f"{', '.join(step.writes)} = {step.phase.value}({', '.join(step.reads)})"


def function(step: numpy_code.Step, title: str) -> str:
    """The micro-step as a function: its lines, as they are (each with the notes' symbol of what it assigns
    as a comment), between its arguments and its return."""
    lines = [f"def {step.phase.value}({', '.join(step.reads)}):", _docstring(title, "    ")]
    width = max(len(line.code) for line in step.lines)
    lines += [f"    {line.code.ljust(width)}  # {line.symbol.text}" for line in step.lines]  # the notes' symbol
    lines.append(f"    return {', '.join(step.writes)}")
    return "\n".join(lines)


def show(step: numpy_code.Step, title: str) -> str:
    return f"show({title!r}, " + ", ".join(f"{name}={name}" for name in step.writes) + ")"


def sample_step_lines(steps: Mapping[Phase, numpy_code.Step]) -> list[str]:
    """One sample-step of per-sample gradient descent (§2.9 steps 5–8): each micro-step called, then its
    values printed."""
    out = []
    for phase in numpy_code.PHASES:
        out += [call(steps[phase]), show(steps[phase], phase.value)]
    return out


def cells(model: Model, steps: int, labels: Mapping[str, str] | None = None, fmt: str = "python") -> list[Cell]:
    """The program of `trace --steps STEPS` on `model`: markdown and code cells, in order."""
    lab = dict(DEFAULT_LABELS)
    lab.update(labels or {})
    by_phase = {phase: numpy_code.step(phase, model.hidden, model.output) for phase in numpy_code.PHASES}
    p = model.params
    setup = lab["setup"].format(
        hidden=lab.get("act_" + model.hidden, model.hidden),
        output=lab.get("act_" + model.output, model.output),
        lr=repr(model.lr),
    )
    header = lab["header"].format(format=fmt, steps=steps, name=shown(model.name))  # a file's name: one line
    out = [
        Cell("markdown", f"# {lab['title']}\n\n{setup}.\n\n{header}\n\n{lab['layout']}"),
        Cell("markdown", f"## {lab['model']}"),
        Cell(
            "code",
            "\n".join(
                [
                    "import numpy as np",
                    "",
                    'np.seterr(all="ignore")  # a run that diverges goes on with inf and nan, as the trace does',
                    "",
                    f"X = np.array({literal(model.X.tolist())})",
                    f"Y = np.array({literal(model.Y.tolist())})",
                    *(f"{name} = np.array({literal(getattr(p, name).tolist())})" for name in numpy_code.PARAM_NAMES),
                    f"eta = {literal(model.lr)}",
                    f"steps = {int(steps)}",
                ]
            ),
        ),
        Cell("markdown", f"## {lab['steps_title']}"),
    ]
    for phase, step in by_phase.items():
        title, formula = lab[phase.value], lab.get("formula_" + phase.value, "")
        out += [
            Cell("markdown", f"### {title}" + (f"\n\n{formula}" if formula else "")),
            Cell("code", function(step, f"{title}\n\n{formula}" if formula else title)),
        ]
    f1, f2 = by_phase[Phase.F1], by_phase[Phase.F2]
    out.append(
        Cell(
            "code",
            "\n".join(
                [
                    f"def dataset_loss({', '.join(numpy_code.PARAM_NAMES)}):",
                    _docstring(lab["dataset_loss"], "    "),
                    "    losses = []",
                    "    for x, y in zip(X, Y):",
                    f"        {call(f1)}",
                    f"        {call(f2)}",
                    "        losses.append(loss)",
                    "    return np.mean(losses)",
                    "",
                    "",
                    "def show(title, **values):",
                    '    print("  " + title)',
                    "    for name, value in values.items():",
                    '        print(f"    {name} = {np.asarray(value).tolist()!r}")',
                ]
            ),
        )
    )
    head = _fstring(lab["step"], {"epoch": "epoch + 1", "sample": "i + 1"})
    diverged = _fstring(lab["diverged"], {"epoch": "epoch + 1"})
    body = [
        "epoch, i = divmod(k, len(X))",
        "x, y = X[i], Y[i]",
        f'print({head} + f": x = {{x.tolist()!r}}, y = {{y.tolist()!r}}")',
        f"show({lab['parameters']!r}, W1=W1, b1=b1, W2=W2, b2=b2)",
        *sample_step_lines(by_phase),
        "if i == len(X) - 1 and not np.isfinite(dataset_loss(W1, b1, W2, b2)):",
        f"    print({diverged})",
        "    break",
    ]
    out += [
        Cell("markdown", f"## {lab['run']}"),
        Cell(
            "code",
            "\n".join(
                [
                    "if not np.isfinite(dataset_loss(W1, b1, W2, b2)):",
                    f"    print({lab['diverged'].format(epoch=0)!r})",
                    "    steps = 0",
                    "for k in range(steps):",
                    *("    " + line for line in body),
                ]
            ),
        ),
    ]
    return out


def script(model: Model, steps: int, labels: Mapping[str, str] | None = None) -> str:
    """The program as one Python file: the first cell's text as its docstring, then every code cell."""
    parts = cells(model, steps, labels, "python")
    doc = "\n\n".join(textwrap.fill(paragraph, 100) for paragraph in parts[0].source.removeprefix("# ").split("\n\n"))
    code = [c.source for c in parts if c.kind == "code"]
    return _docstring(doc, "") + "\n" + "\n\n\n".join(code) + "\n"


__all__ = ["Cell", "DEFAULT_LABELS", "call", "cells", "function", "literal", "sample_step_lines", "script"]
