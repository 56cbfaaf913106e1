"""Exercise 4(a), "implement it in Python with NumPy": the few NumPy lines of each micro-step.

The one place these lines are written. The Explain panel shows them (key P) and `trace --format
python|notebook` builds its script and its notebook from them; tests/engine/test_numpy_code.py runs
exactly this text on the state before every micro-step, for every activation, and checks that it gives
the values engine.network computed (within rounding: `W1.T @ x` may go through BLAS, where the engine
sums term by term, docs/NUMERICS.md). A line here that drifts from the engine fails that test.

Names are the engine's (and the notes' symbols spelled in ASCII): x, y, W1, b1, W2, b2, eta (η), z1,
a1, z2, yhat (ŷ), loss (Lᵢ), fprime2 (f'(z⁽²⁾)), delta2 (δ⁽²⁾), dW2 (∂L/∂W⁽²⁾), db2, da1 (∂L/∂a⁽¹⁾),
fprime1, delta1, dW1, db1. The layout is the engine's (DESIGN §1): W1[i-1, j-1] = wᵢⱼ⁽¹⁾, rows =
inputs, so z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ is `W1.T @ x + b1`, and ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ is `np.outer(x, delta1)`.
f' is written from a = f(z) where the notes do (§1.6: σ' = σ(1 − σ), tanh' = 1 − tanh²), from z
where they do (ReLU: 1 if z > 0 else 0, so f'(0) = 0 as in the notes' table; the step: 0).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

from engine import notation as n
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.equations import Sample
from engine.notation import Symbol
from engine.stepper import Phase

# f(z) and f'(z) of each activation as NumPy text, {z} the pre-activation and {a} = f(z)
F_CODE: dict[str, str] = {
    "sigmoid": "1 / (1 + np.exp(-{z}))",
    "tanh": "np.tanh({z})",
    "relu": "np.maximum(0, {z})",
    "step": "np.heaviside({z}, 0.0)",  # H(z): 1 if z > 0, else 0
    "linear": "{z}",
}
FPRIME_CODE: dict[str, str] = {
    "sigmoid": "{a} * (1 - {a})",
    "tanh": "1 - {a} ** 2",
    "relu": "np.where({z} > 0, 1.0, 0.0)",
    "step": "np.zeros_like({z})",  # 0 wherever f' exists; at z = 0 it does not, taken as 0
    "linear": "np.ones_like({z})",
}

# What each micro-step computes (the Stepper's record of it), in the engine's order; {f1} {f1'} are
# the hidden activation and its derivative, {f2} {f2'} the output's.
PHASE_CODE: dict[Phase, tuple[str, ...]] = {
    Phase.F1: ("z1 = W1.T @ x + b1", "a1 = {f1}"),
    Phase.F2: ("z2 = W2.T @ a1 + b2", "yhat = {f2}", "loss = 0.5 * (yhat[0] - y) ** 2"),
    Phase.B2: ("fprime2 = {f2'}", "delta2 = (yhat - y) * fprime2", "dW2 = np.outer(a1, delta2)", "db2 = delta2"),
    Phase.B1: (
        "da1 = W2 @ delta2",
        "fprime1 = {f1'}",
        "delta1 = da1 * fprime1",
        "dW1 = np.outer(x, delta1)",
        "db1 = delta1",
    ),
    Phase.U: ("W1 = W1 - eta * dW1", "b1 = b1 - eta * db1", "W2 = W2 - eta * dW2", "b2 = b2 - eta * db2"),
}
PHASES: tuple[Phase, ...] = tuple(PHASE_CODE)  # F1 F2 B2 B1 U


# every name a line may read, in the order the notes introduce them (the sample, the parameters, η,
# then what each micro-step computes)
ORDER = (
    "x",
    "y",
    "W1",
    "b1",
    "W2",
    "b2",
    "eta",
    "z1",
    "a1",
    "z2",
    "yhat",
    "loss",
    "fprime2",
    "delta2",
    "dW2",
    "db2",
    "da1",
    "fprime1",
    "delta1",
    "dW1",
    "db1",
)


# each variable as the notes write it (the whole vector or matrix: z⁽¹⁾, ∂L/∂W⁽¹⁾), for the comments
SYMBOLS: dict[str, Symbol] = {
    "x": n.Symbol("x"),
    "y": n.Y,
    "eta": n.ETA,
    **{name: n.Symbol(name[0], int(name[1])) for name in ("W1", "b1", "W2", "b2")},
    "z1": n.Symbol("z", 1),
    "a1": n.Symbol("a", 1),
    "z2": n.Symbol("z", 2),
    "yhat": n.YHAT,
    "loss": n.LOSS,
    "fprime2": n.fprime(n.Symbol("z", 2)),
    "delta2": n.Symbol("δ", 2),
    "dW2": n.grad(n.Symbol("W", 2)),
    "db2": n.grad(n.Symbol("b", 2)),
    "da1": n.grad(n.Symbol("a", 1)),
    "fprime1": n.fprime(n.Symbol("z", 1)),
    "delta1": n.Symbol("δ", 1),
    "dW1": n.grad(n.Symbol("W", 1)),
    "db1": n.grad(n.Symbol("b", 1)),
}


@dataclass(frozen=True)
class Line:
    """One line of NumPy: `code`, which assigns the variable `name`."""

    code: str
    name: str

    @property
    def symbol(self) -> Symbol:
        """What it assigns, in the notes' symbols (z⁽¹⁾, δ⁽¹⁾, ∂L/∂W⁽¹⁾)."""
        return SYMBOLS[self.name]


@dataclass(frozen=True)
class Step:
    """The lines of one micro-step with one pair of activations, and the names they read (set before
    the step: the sample, the parameters, η and what earlier micro-steps computed) and assign."""

    phase: Phase
    lines: tuple[Line, ...]
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    @property
    def code(self) -> str:
        return "\n".join(line.code for line in self.lines)


def _fill(template: str, hidden: str, output: str) -> str:
    return (
        template.replace("{f1}", F_CODE[hidden].format(z="z1"))
        .replace("{f1'}", FPRIME_CODE[hidden].format(z="z1", a="a1"))
        .replace("{f2}", F_CODE[output].format(z="z2"))
        .replace("{f2'}", FPRIME_CODE[output].format(z="z2", a="yhat"))
    )


@cache
def step(phase: Phase, hidden: str = "sigmoid", output: str = "sigmoid") -> Step:
    """The NumPy lines of the micro-step that reaches `phase`, with these activations."""
    if hidden not in HIDDEN_ACTIVATIONS or output not in OUTPUT_ACTIVATIONS:
        raise ValueError(f"no NumPy lines for activations {hidden!r} / {output!r}")
    if phase not in PHASE_CODE:
        raise ValueError(f"phase {phase.value} computes nothing")
    lines, reads, writes = [], [], []
    for template in PHASE_CODE[phase]:
        code = _fill(template, hidden, output)
        tree = ast.parse(code)
        target = tree.body[0].targets[0].id  # type: ignore[attr-defined]
        used = sorted(
            (
                node
                for node in ast.walk(tree.body[0].value)  # type: ignore[attr-defined]
                if isinstance(node, ast.Name)
            ),
            key=lambda node: node.col_offset,
        )  # as written
        reads += [
            name
            for name in dict.fromkeys(node.id for node in used)
            if name != "np" and name not in writes and name not in reads
        ]
        lines.append(Line(code, target))
        if target not in writes:
            writes.append(target)
    reads.sort(key=ORDER.index)  # a function's arguments in the notes' order: x, y, W1, …, η, z1, …
    return Step(phase, tuple(lines), tuple(reads), tuple(writes))


PARAM_NAMES = ("W1", "b1", "W2", "b2")


def known(s: Sample) -> dict[str, object]:
    """The names the lines read, with what the engine holds for them in the sample `s`: the sample,
    η, the parameters before the update, and every value its micro-steps have computed so far."""
    out: dict[str, object] = {"x": s.x, "y": s.y, "eta": s.lr}
    out.update({name: getattr(s.params, name) for name in PARAM_NAMES})
    for name in ORDER[ORDER.index("z1") :]:  # what the micro-steps compute, in their order
        if getattr(s, name) is not None:
            out[name] = getattr(s, name)
    return out


def result(s: Sample, phase: Phase, name: str):
    """What the engine computed for the variable `name` that the micro-step `phase` assigns: its
    record's value (at U, the parameters after the update)."""
    if phase is Phase.U:
        if s.params_after is None:
            raise ValueError("phase U is not computed yet")
        return getattr(s.params_after, name)
    value = getattr(s, name)
    if value is None:
        raise ValueError(f"phase {phase.value} is not computed yet")
    return value


__all__ = [
    "F_CODE",
    "FPRIME_CODE",
    "ORDER",
    "PARAM_NAMES",
    "PHASES",
    "PHASE_CODE",
    "SYMBOLS",
    "Line",
    "Step",
    "known",
    "result",
    "step",
]
