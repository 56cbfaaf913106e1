"""Traces and loss histories as JSON, Markdown, LaTeX and CSV (DESIGN §6).

A trace is a list of TraceSteps, one per sample-step (§2.9 steps 5–8), each holding what the
engine computed: every value comes from engine.network (`backward`, `update`) or from a stepper
Snapshot, never from arithmetic here. Epochs and samples count from 1, as on screen.

JSON (`trace --format json`): {"steps": [STEP, …]}, STEP = {"epoch", "sample", "x", "y", "params",
"z1", "a1", "z2", "yhat", "loss", "delta2", "delta1", "grads": {"W1","b1","W2","b2"},
"params_after": {…}}. Vectors are lists in the layout of the engine: W1 [[w11, w12], [w21, w22]]
(rows = inputs), W2 [[w11], [w21]], and the output layer's z2, yhat, delta2 and b2 are lists of one
(the layer has one unit); y and loss are numbers. A value that is not finite is written as null.

Markdown and LaTeX are transcripts a lecturer pastes into notes, in the notes' symbols
($z_1^{(1)}$, $\\delta^{(2)}$, $w_{21}^{(1)}$), each value shown with its substitution. Headings
come from `labels` (the caller translates them; the engine does not import tui).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from engine import activations
from engine.model import Model
from engine.network import Grads, Params, Pass, backward, update
from engine.notation import tex_bias, tex_num, tex_sym, tex_weight
from engine.stepper import Phase, Snapshot


@dataclass(frozen=True)
class TraceStep:
    """One sample-step: the parameters before, every intermediate value, the parameters after."""

    epoch: int  # from 1
    sample: int  # from 1
    x: np.ndarray
    y: float
    hidden: str
    output: str
    lr: float
    params: Params
    values: Pass
    params_after: Params


def trace(model: Model, steps: int = 1, params: Params | None = None) -> list[TraceStep]:
    """`steps` sample-steps from the start of the data set, cycling through it (DESIGN §6)."""
    return list(iter_trace(model, steps, params))


def iter_trace(model: Model, steps: int = 1, params: Params | None = None) -> Iterator[TraceStep]:
    """The steps of `trace` one at a time, so a long trace is written as it is computed."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    p = model.params if params is None else params
    for k in range(steps):
        epoch, i = divmod(k, model.m)
        x, y = model.X[i], float(model.Y[i])
        with np.errstate(all="ignore"):  # a diverging step is kept as computed (inf/NaN → null in JSON)
            values = backward(p, x, y, f, g)
            after = update(p, values.grads, model.lr)
        step = TraceStep(epoch + 1, i + 1, x, y, model.hidden, model.output, model.lr, p, values, after)
        yield step
        if diverged(step):  # DESIGN §6: a run whose loss becomes non-finite stops there
            return
        p = after


def diverged(step: TraceStep) -> bool:
    """The step's loss or the parameters it produced are not finite."""
    return not (np.isfinite(step.values.loss) and step.params_after.is_finite())


def step_from_snapshot(s: Snapshot) -> TraceStep:
    """The TraceStep of a stepper Snapshot whose phase is U (the sample has been updated)."""
    f1, f2, b2, b1 = s.forward1, s.forward2, s.backward2, s.backward1
    if s.phase is not Phase.U or f1 is None or f2 is None or b2 is None or b1 is None:
        raise ValueError(f"a trace record needs a finished sample (phase U), got phase {s.phase.value}")
    values = Pass(z1=f1.z1, a1=f1.a1, z2=f2.z2, yhat=f2.yhat, loss=f2.loss, fprime2=b2.fprime2, delta2=b2.delta2,
                  da1=b1.da1, fprime1=b1.fprime1, delta1=b1.delta1,
                  grads=Grads(dW1=b1.dW1, db1=b1.db1, dW2=b2.dW2, db2=b2.db2))
    return TraceStep(s.epoch + 1, s.sample + 1, s.x, s.y, s.hidden, s.output, s.lr, s.params_start, values,
                     s.params)


# --- JSON ------------------------------------------------------------------------------------

def plain(value):
    """Lists and floats for json; non-finite numbers become None (JSON has no NaN)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and np.isfinite(value).all():
            return value.tolist()  # the common case, in C: 20 001 losses of a long run
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def _params(p: Params) -> dict:
    return {"W1": p.W1, "b1": p.b1, "W2": p.W2, "b2": p.b2}


def step_record(step: TraceStep) -> dict:
    """One STEP of DESIGN §6, with the keys in the documented order."""
    v = step.values
    return plain({
        "epoch": step.epoch,
        "sample": step.sample,
        "x": step.x,
        "y": step.y,
        "params": _params(step.params),
        "z1": v.z1,
        "a1": v.a1,
        "z2": v.z2,
        "yhat": v.yhat,
        "loss": v.loss,
        "delta2": v.delta2,
        "delta1": v.delta1,
        "grads": {"W1": v.grads.dW1, "b1": v.grads.db1, "W2": v.grads.dW2, "b2": v.grads.db2},
        "params_after": _params(step.params_after),
    })


def trace_json(steps: Sequence[TraceStep]) -> str:
    return "".join(trace_json_pieces(steps))


def trace_json_pieces(steps: Iterable[TraceStep]) -> Iterator[str]:
    """trace_json one step at a time: the same text as json.dumps({"steps": […]}, indent=2)."""
    sep = '{\n  "steps": [\n'
    for step in steps:
        record = json.dumps(step_record(step), indent=2, allow_nan=False)
        yield sep + "\n".join("    " + line for line in record.splitlines())
        sep = ",\n"
    yield '{\n  "steps": []\n}' if sep.startswith("{") else "\n  ]\n}"


def train_json(losses: Sequence[float], params: Params) -> str:
    """`train --format json`: {"loss": [L0, …, LN], "params": {…}} at full precision."""
    return "".join(train_json_pieces([(losses, params)]))


def train_json_pieces(chunks: Iterable[tuple[Sequence[float], Params]]) -> Iterator[str]:
    """train_json from a run given in pieces (losses, params at the end of the piece): the text
    json.dumps writes for the whole run, written piece by piece (any number of epochs, bounded memory)."""
    yield '{"loss": ['
    sep, last = "", None
    for losses, params in chunks:
        items = json.dumps(plain(np.asarray(losses, dtype=np.float64)), allow_nan=False)[1:-1]
        if items:
            yield sep + items
            sep = ", "
        last = params
    if last is None:
        raise ValueError("a run needs at least one piece: its parameters end the document")
    yield '], "params": ' + json.dumps(plain(_params(last)), allow_nan=False) + "}"


def loss_csv(losses: Sequence[float], lr: Sequence[float] | None = None) -> str:
    """epoch,loss with L0 on the row of epoch 0; full precision (repr round-trips the float).

    With `lr` (the app's export: LossHistory.lr_per_loss) a third column, lr: the η in force when
    that row's loss was recorded, so a change of η shows where it happened. The losses are those of
    one model only: a change of the model starts a new history (engine/history.py)."""
    if lr is None:
        return "epoch,loss\n" + loss_csv_rows(losses)
    if len(lr) != len(losses):
        raise ValueError(f"one η per loss: {len(lr)} for {len(losses)}")
    return "epoch,loss,lr\n" + "".join(f"{k},{float(v)!r},{float(r)!r}\n" for k, (v, r) in enumerate(zip(losses, lr)))


def loss_csv_rows(losses: Sequence[float], first_epoch: int = 0) -> str:
    """The rows of loss_csv for losses[0] at epoch `first_epoch`, losses[1] at the next, …"""
    return "".join(f"{k},{float(v)!r}\n" for k, v in enumerate(losses, first_epoch))


# --- transcripts (Markdown and LaTeX share the equations) -------------------------------------

DEFAULT_LABELS = {
    "title": "Backpropagation, step by step",
    "setup": "2–2–1 network, hidden activation {hidden}, output activation {output}, learning rate $\\eta = {lr}$.",
    "step": "Epoch {epoch}, sample {sample}",
    "forward_pass": "Forward pass",
    "backward_pass": "Backward pass",
    "gradients": "Gradients",
    "update": "Update",
}

TEX_F = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "linear": r"\mathrm{id}"}


class _Tex:
    """Numbers and products in LaTeX with the caller's decimal mark."""

    def __init__(self, comma: bool):
        self.comma = comma

    def n(self, v: float) -> str:
        return tex_num(v, self.comma)

    def f(self, v: float) -> str:
        """A factor of a product: negative numbers in parentheses."""
        text = self.n(v)
        return f"({text})" if float(v) < 0 else text

    def vec(self, values) -> str:
        sep = ";\\ " if self.comma else ", "
        return "(" + sep.join(self.n(v) for v in values) + ")"


def _dfrac(sym: str) -> str:
    return rf"\frac{{\partial L_i}}{{\partial {sym}}}"


def _equations(step: TraceStep, comma: bool) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections of (left side, right side) equations for one step, in the order of §2.9."""
    t = _Tex(comma)
    p, v, q = step.params, step.values, step.params_after
    fh, fo = TEX_F[step.hidden], TEX_F[step.output]
    z2, yhat, d2 = tex_sym("z", None, 2), tex_sym("ŷ", None, None), tex_sym("δ", None, 2)
    b2 = tex_sym("b", None, 2)
    x = [f"x_{i}" for i in (1, 2)]
    a1 = [tex_sym("a", j, 1) for j in (1, 2)]

    forward = []
    for j in (1, 2):
        z = tex_sym("z", j, 1)
        rhs = (f"{tex_weight(1, j, 1)} {x[0]} + {tex_weight(2, j, 1)} {x[1]} + {tex_bias(j, 1)} = "
               f"{t.f(p.W1[0, j - 1])} \\cdot {t.f(step.x[0])} + {t.f(p.W1[1, j - 1])} \\cdot {t.f(step.x[1])}"
               f" + {t.f(p.b1[j - 1])} = {t.n(v.z1[j - 1])}")
        forward.append((z, rhs))
    for j in (1, 2):
        forward.append((a1[j - 1], f"{fh}({tex_sym('z', j, 1)}) = {fh}({t.n(v.z1[j - 1])}) = {t.n(v.a1[j - 1])}"))
    forward.append((z2, f"{tex_weight(1, 1, 2)} {a1[0]} + {tex_weight(2, 1, 2)} {a1[1]} + {b2} = "
                        f"{t.f(p.W2[0, 0])} \\cdot {t.f(v.a1[0])} + {t.f(p.W2[1, 0])} \\cdot {t.f(v.a1[1])}"
                        f" + {t.f(p.b2[0])} = {t.n(v.z2[0])}"))
    forward.append((yhat, f"a^{{(2)}} = {fo}({z2}) = {fo}({t.n(v.z2[0])}) = {t.n(v.yhat[0])}"))
    forward.append(("L_i", rf"\tfrac{{1}}{{2}}({yhat} - y)^2 = \tfrac{{1}}{{2}}({t.n(v.yhat[0])} - {t.f(step.y)})^2"
                           f" = {t.n(v.loss)}"))

    backward_ = [(d2, f"({yhat} - y)\\, {fo}'({z2}) = ({t.n(v.yhat[0])} - {t.f(step.y)}) \\cdot {t.f(v.fprime2[0])}"
                      f" = {t.n(v.delta2[0])}")]
    for j in (1, 2):
        backward_.append((tex_sym("δ", j, 1),
                          f"{tex_weight(j, 1, 2)}\\, {d2}\\, {fh}'({tex_sym('z', j, 1)}) = {t.f(p.W2[j - 1, 0])} \\cdot "
                          f"{t.f(v.delta2[0])} \\cdot {t.f(v.fprime1[j - 1])} = {t.n(v.delta1[j - 1])}"))

    g = v.grads
    gradients = []
    for i in (1, 2):
        gradients.append((_dfrac(tex_weight(i, 1, 2)),
                          f"{a1[i - 1]}\\, {d2} = {t.f(v.a1[i - 1])} \\cdot {t.f(v.delta2[0])} = {t.n(g.dW2[i - 1, 0])}"))
    gradients.append((_dfrac(b2), f"{d2} = {t.n(g.db2[0])}"))
    for i in (1, 2):
        for j in (1, 2):
            gradients.append((_dfrac(tex_weight(i, j, 1)),
                              f"{x[i - 1]}\\, {tex_sym('δ', j, 1)} = {t.f(step.x[i - 1])} \\cdot "
                              f"{t.f(v.delta1[j - 1])} = {t.n(g.dW1[i - 1, j - 1])}"))
    for j in (1, 2):
        gradients.append((_dfrac(tex_bias(j, 1)), f"{tex_sym('δ', j, 1)} = {t.n(g.db1[j - 1])}"))

    def rule(sym: str, before: float, grad: float, after: float) -> tuple[str, str]:
        return (sym, rf"{sym} - \eta {_dfrac(sym)} = {t.n(before)} - {t.f(step.lr)} \cdot {t.f(grad)} = {t.n(after)}")

    updates = [rule(tex_weight(i, 1, 2), p.W2[i - 1, 0], g.dW2[i - 1, 0], q.W2[i - 1, 0]) for i in (1, 2)]
    updates.append(rule(b2, p.b2[0], g.db2[0], q.b2[0]))
    updates += [rule(tex_weight(i, j, 1), p.W1[i - 1, j - 1], g.dW1[i - 1, j - 1], q.W1[i - 1, j - 1])
                for i in (1, 2) for j in (1, 2)]
    updates += [rule(tex_bias(j, 1), p.b1[j - 1], g.db1[j - 1], q.b1[j - 1]) for j in (1, 2)]
    return [("forward_pass", forward), ("backward_pass", backward_), ("gradients", gradients), ("update", updates)]


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(DEFAULT_LABELS)
    out.update(labels or {})
    return out


def _setup(steps: Sequence[TraceStep], lab: dict, comma: bool) -> str:
    s = steps[0]
    return lab["setup"].format(hidden=s.hidden, output=s.output, lr=tex_num(s.lr, comma))


def _joined(groups: Iterable[list[str]]) -> Iterator[str]:
    """"\\n".join of the lines of all the groups, one group at a time."""
    sep = ""
    for lines in groups:
        if lines:
            yield sep + "\n".join(lines)
            sep = "\n"


def to_markdown(steps: Sequence[TraceStep], labels: Mapping[str, str] | None = None, comma: bool = False) -> str:
    """A Markdown transcript; math in $…$ (GitHub, Jupyter, Pandoc and most note tools render it)."""
    return "".join(markdown_pieces(steps, labels, comma))


def markdown_pieces(steps: Iterable[TraceStep], labels: Mapping[str, str] | None = None,
                    comma: bool = False) -> Iterator[str]:
    """to_markdown one step at a time."""
    lab, t = _labels(labels), _Tex(comma)

    def groups():
        head = [f"# {lab['title']}", ""]
        started = False
        for step in steps:
            lines = [] if started else head + [_setup([step], lab, comma), ""]
            started = True
            lines += [f"## {lab['step'].format(epoch=step.epoch, sample=step.sample)}", "",
                      f"$x = {t.vec(step.x)}$, $y = {t.n(step.y)}$", ""]
            for section, eqs in _equations(step, comma):
                lines += [f"### {lab[section]}", ""]
                lines += [f"- ${lhs} = {rhs}$" if section != "update" else f"- ${lhs} \\leftarrow {rhs}$"
                          for lhs, rhs in eqs]
                lines.append("")
            yield lines
        if not started:  # no steps
            yield head

    return _joined(groups())


def _tex_text(text: str) -> str:
    """Escape LaTeX's special characters in a label, keeping $…$ math as it is."""
    parts = text.split("$")
    for k in range(0, len(parts), 2):  # outside math
        for ch in "\\&%#_{}":
            parts[k] = parts[k].replace(ch, "\\" + ch if ch != "\\" else r"\textbackslash{}")
    return "$".join(parts)


def to_latex(steps: Sequence[TraceStep], labels: Mapping[str, str] | None = None, comma: bool = False) -> str:
    """A LaTeX fragment (needs amsmath): one align* per section, in the notes' symbols."""
    return "".join(latex_pieces(steps, labels, comma))


def latex_pieces(steps: Iterable[TraceStep], labels: Mapping[str, str] | None = None,
                 comma: bool = False) -> Iterator[str]:
    """to_latex one step at a time."""
    lab, t = _labels(labels), _Tex(comma)

    def groups():
        head = ["% backprop-tui transcript; needs \\usepackage{amsmath}", f"\\section*{{{_tex_text(lab['title'])}}}"]
        started = False
        for step in steps:
            lines = [] if started else head + [_tex_text(_setup([step], lab, comma))]
            started = True
            lines += ["", f"\\subsection*{{{_tex_text(lab['step'].format(epoch=step.epoch, sample=step.sample))}}}",
                      f"$x = {t.vec(step.x)}$, $y = {t.n(step.y)}$"]
            for section, eqs in _equations(step, comma):
                rel = r"&\leftarrow " if section == "update" else "&= "
                body = " \\\\\n".join(f"  {lhs} {rel}{rhs}" for lhs, rhs in eqs)
                lines += [f"\\paragraph{{{_tex_text(lab[section])}}}", "\\begin{align*}", body, "\\end{align*}"]
            yield lines
        if not started:
            yield head

    yield from _joined(groups())
    yield "\n"
