"""Traces and loss histories as JSON, Markdown, LaTeX and CSV (DESIGN §6).

A trace is a list of TraceSteps, one per sample-step (§2.9 steps 5–8), each holding what the
engine computed: every value comes from engine.network (`backward`, `update`) or from a stepper
Snapshot, never from arithmetic here. Epochs and samples count from 1, as on screen.

JSON (`trace --format json`): {"steps": [STEP, …]}, STEP = {"epoch", "sample", "x", "y", "params",
"z1", "a1", "z2", "yhat", "loss", "delta2", "delta1", "grads": {"W1","b1","W2","b2"},
"params_after": {…}}. Vectors are lists in the layout of the engine: W1 [[w11, w12], [w21, w22]]
(rows = inputs), W2 [[w11], [w21]], and the output layer's z2, yhat, delta2 and b2 are lists of one
(the layer has one unit); y and loss are numbers. A value that is not finite is written as null.

Batch mode (`trace --batch full|N`, issue 19): {"batch": N, "batches": [BATCH, …]}, N the samples per
update (m for full), BATCH = {"epoch", "batch" (from 1 in its epoch), "samples" (data rows, from 1),
"params", "steps": [STEP of each sample without "params" and "params_after": every sample of a batch
runs on the batch's "params"], "lr", "grads" (the mean (1/n)Σ ∂Lᵢ/∂θ), "params_after"}.

Markdown and LaTeX are transcripts a lecturer pastes into notes, in the notes' symbols
($z_1^{(1)}$, $\\delta^{(2)}$, $w_{21}^{(1)}$), each value shown with its substitution. Headings
come from `labels` (the caller translates them; the engine does not import tui).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine import activations, equations, training
from engine.model import Model
from engine.network import Grads, Params, Pass, backward, dataset_loss, mean_grads, update
from engine.notation import num, tex_number
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
    epoch_loss: float | None = None  # L_k with params_after, on the step that ends epoch k (not in the JSON)
    # batch mode (the app's x at a batch's U): the batch's (sample from 0, ∂Lᵢ/∂θ) and the mean the update used
    batch: tuple[tuple[int, Grads], ...] | None = None
    mean: Grads | None = None


def iter_trace(model: Model, steps: int = 1, params: Params | None = None, first: int = 0) -> Iterator[TraceStep]:
    """`steps` sample-steps from the start of the data set, cycling through it (DESIGN §6), one at a time
    so a long trace is written as it is computed. `first` is the sample-step the trace starts at,
    counted from the start of the data set (epoch·m + sample, from 0),
    with `params` the parameters there: the compare screen traces the App's current sample."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    p = model.params if params is None else params
    for k in range(first, first + steps):
        epoch, i = divmod(k, model.m)
        x, y = model.X[i], float(model.Y[i])
        with np.errstate(all="ignore"):  # a diverging step is kept as computed (inf/NaN → null in JSON)
            values = backward(p, x, y, f, g)
            after = update(p, values.grads, model.lr)
            epoch_loss = dataset_loss(after, model.X, model.Y, f, g) if i == model.m - 1 else None
        step = TraceStep(epoch + 1, i + 1, x, y, model.hidden, model.output, model.lr, p, values, after, epoch_loss)
        yield step
        if diverged(step):  # DESIGN §6: a run whose loss becomes non-finite stops there
            return
        p = after


def diverged(step: TraceStep) -> bool:
    """The step ends an epoch whose data-set loss L is not finite: the run diverged at step.epoch
    (training.diverged, the one definition that `train` and the app use too)."""
    return step.epoch_loss is not None and training.diverged(step.epoch_loss)


@dataclass(frozen=True)
class BatchStep:
    """One update of batch descent: its samples' steps (each from `params`), the mean and the update."""

    epoch: int  # from 1
    index: int  # the batch's number in its epoch, from 1
    samples: tuple[int, ...]  # data rows, from 1
    steps: tuple[TraceStep, ...]  # each sample's pass; their params_after are the batch's
    lr: float
    params: Params
    mean: Grads
    params_after: Params
    epoch_loss: float | None = None  # L_k with params_after, on the batch that ends epoch k

    @property
    def hidden(self) -> str:
        return self.steps[0].hidden

    @property
    def output(self) -> str:
        return self.steps[0].output


def iter_batch_trace(model: Model, updates: int, batch: int | str, shuffle: bool = False) -> Iterator[BatchStep]:
    """`updates` batch updates from the start of the data set (DESIGN §6's trace, in batch mode): the
    batches of each epoch cut in data order (training.batches), or, with `shuffle`, in a fresh random
    order each epoch drawn from model.seed as train --shuffle draws it."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    size = training.batch_size(batch, model.m)
    rng = np.random.default_rng(model.seed) if shuffle else None
    p, done, epoch = model.params, 0, 0
    while done < updates:
        order = rng.permutation(model.m) if rng is not None else np.arange(model.m)
        cuts = training.batches(model.m, size)
        for b, cut in enumerate(cuts, 1):
            rows = [int(order[i]) for i in cut]
            with np.errstate(all="ignore"):
                passes = [backward(p, model.X[i], float(model.Y[i]), f, g) for i in rows]
                mean = mean_grads([ps.grads for ps in passes])
                after = update(p, mean, model.lr)
                epoch_loss = dataset_loss(after, model.X, model.Y, f, g) if b == len(cuts) else None
            grads = tuple((i, ps.grads) for i, ps in zip(rows, passes))
            steps = tuple(
                TraceStep(
                    epoch + 1,
                    i + 1,
                    model.X[i],
                    float(model.Y[i]),
                    model.hidden,
                    model.output,
                    model.lr,
                    p,
                    ps,
                    after,
                    batch=grads,
                    mean=mean,
                )
                for i, ps in zip(rows, passes)
            )
            step = BatchStep(epoch + 1, b, tuple(i + 1 for i in rows), steps, model.lr, p, mean, after, epoch_loss)
            yield step
            done += 1
            if (epoch_loss is not None and training.diverged(epoch_loss)) or done >= updates:
                return
            p = after
        epoch += 1


def batch_update_equations(step: BatchStep) -> list[equations.Equation]:
    """The U of a batch: each parameter's mean ∂L/∂θ = (1/n)(g₁ + … + gₙ), then its update."""
    last = step.steps[-1]
    sample = equations.Sample(
        x=last.x,
        y=last.y,
        hidden=step.hidden,
        output=step.output,
        lr=step.lr,
        params=step.params,
        params_after=step.params_after,
        mean=step.mean,
        batch=tuple((i - 1, s.values.grads) for i, s in zip(step.samples, step.steps)),
    )
    return equations.update(sample)


def batch_record(step: BatchStep) -> dict:
    """One BATCH of the module docstring, keys in the documented order."""
    samples = []
    for s in step.steps:
        record = step_record(s)
        del record["params"], record["params_after"]
        samples.append(record)
    return plain(
        {
            "epoch": step.epoch,
            "batch": step.index,
            "samples": list(step.samples),
            "params": _params(step.params),
            "steps": samples,
            "lr": step.lr,
            "grads": {"W1": step.mean.dW1, "b1": step.mean.db1, "W2": step.mean.dW2, "b2": step.mean.db2},
            "params_after": _params(step.params_after),
        }
    )


def batch_trace_json_pieces(steps: Iterable[BatchStep], size: int) -> Iterator[str]:
    """`trace --batch … --format json`, one batch at a time: json.dumps({"batch": …, "batches": […]}, indent=2)."""
    sep = '{\n  "batch": ' + str(int(size)) + ',\n  "batches": [\n'
    for step in steps:
        record = dumps(batch_record(step), indent=2)
        yield sep + "\n".join("    " + line for line in record.splitlines())
        sep = ",\n"
    yield sep + "  ]\n}" if sep.startswith("{") else "\n  ]\n}"


def step_from_snapshot(s: Snapshot) -> TraceStep:
    """The TraceStep of a stepper Snapshot whose phase is U (the sample has been updated)."""
    f1, f2, b2, b1, u = s.forward1, s.forward2, s.backward2, s.backward1, s.update
    if s.phase is not Phase.U or f1 is None or f2 is None or b2 is None or b1 is None or u is None:
        raise ValueError(f"a trace record needs a finished sample (phase U), got phase {s.phase.value}")
    values = Pass(
        z1=f1.z1,
        a1=f1.a1,
        z2=f2.z2,
        yhat=f2.yhat,
        loss=f2.loss,
        fprime2=b2.fprime2,
        delta2=b2.delta2,
        da1=b1.da1,
        fprime1=b1.fprime1,
        delta1=b1.delta1,
        grads=Grads(dW1=b1.dW1, db1=b1.db1, dW2=b2.dW2, db2=b2.db2),
    )
    # u.lr: the η this update used, not one set since (Stepper.set_lr after U)
    b = u.batch
    return TraceStep(
        s.epoch + 1,
        s.sample + 1,
        s.x,
        s.y,
        s.hidden,
        s.output,
        u.lr,
        s.params_start,
        values,
        s.params,
        batch=None if b is None else tuple(zip(b.samples, b.grads)),
        mean=None if b is None else b.mean,
    )


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
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def dumps(value, indent: int | None = None, *, compact: bool = False) -> str:
    """JSON text of `value` (arrays, NumPy scalars, dicts, lists) with every non-finite number as null:
    the one writer of every JSON document the project writes, so an overflowed model (W⁽²⁾ = 1e200) is
    written, not a traceback (issue 18). allow_nan=False: a NaN that `plain` missed fails here, loudly,
    rather than as the invalid JSON token NaN. `compact`: no spaces and UTF-8 as it is, for messages
    on a wire (the class session's frames, the warm parent's requests)."""
    options: dict = {"ensure_ascii": False, "separators": (",", ":")} if compact else {"indent": indent}
    return json.dumps(plain(value), allow_nan=False, **options)


def _params(p: Params) -> dict:
    return {"W1": p.W1, "b1": p.b1, "W2": p.W2, "b2": p.b2}


def step_record(step: TraceStep) -> dict:
    """One STEP of DESIGN §6, with the keys in the documented order."""
    v = step.values
    return plain(
        {
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
        }
    )


def trace_json(steps: Sequence[TraceStep]) -> str:
    return "".join(trace_json_pieces(steps))


def trace_json_pieces(steps: Iterable[TraceStep]) -> Iterator[str]:
    """trace_json one step at a time: the same text as json.dumps({"steps": […]}, indent=2)."""
    sep = '{\n  "steps": [\n'
    for step in steps:
        record = dumps(step_record(step), indent=2)
        yield sep + "\n".join("    " + line for line in record.splitlines())
        sep = ",\n"
    yield '{\n  "steps": []\n}' if sep.startswith("{") else "\n  ]\n}"


def train_json(losses: Sequence[float], params: Params) -> str:
    """`train --format json`: {"loss": [L0, …, LN], "params": {…}} at full precision."""
    return "".join(train_json_pieces([(losses, params)]))


def train_json_pieces(
    chunks: Iterable[tuple[Sequence[float] | np.ndarray, Params]], extra: dict | None = None
) -> Iterator[str]:
    """train_json from a run given in pieces (losses, params at the end of the piece): the text
    json.dumps writes for the whole run, written piece by piece (any number of epochs, bounded memory).
    `extra`: keys after "params" (train --batch: {"batch": N})."""
    yield '{"loss": ['
    sep, last = "", None
    for losses, params in chunks:
        items = dumps(np.asarray(losses, dtype=np.float64))[1:-1]
        if items:
            yield sep + items
            sep = ", "
        last = params
    if last is None:
        raise ValueError("a run needs at least one piece: its parameters end the document")
    yield (
        '], "params": '
        + dumps(_params(last))
        + "".join(f", {dumps(k)}: {dumps(v)}" for k, v in (extra or {}).items())
        + "}"
    )


def loss_csv(losses: Sequence[float] | np.ndarray, lr: Sequence[float] | np.ndarray | None = None) -> str:
    """epoch,loss with L0 on the row of epoch 0; full precision (repr round-trips the float).

    With `lr` (the app's export: LossHistory.lr_per_loss) a third column, lr: the η in force when
    that row's loss was recorded, so a change of η shows where it happened. The losses are those of
    one model only: a change of the model starts a new history (engine/history.py)."""
    if lr is None:
        return "epoch,loss\n" + loss_csv_rows(losses)
    if len(lr) != len(losses):
        raise ValueError(f"one η per loss: {len(lr)} for {len(losses)}")
    return "epoch,loss,lr\n" + "".join(f"{k},{float(v)!r},{float(r)!r}\n" for k, (v, r) in enumerate(zip(losses, lr)))


def loss_csv_rows(losses: Sequence[float] | np.ndarray, first_epoch: int = 0) -> str:
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
    "notes": "notes {value} (ex. {where})",
    "chain": "chain of §2.6:",
}


class _Tex:
    """Numbers in LaTeX with the caller's decimal mark."""

    def __init__(self, comma: bool):
        self.comma = comma

    def n(self, v: float) -> str:
        return tex_number(num(v, self.comma))

    def vec(self, values) -> str:
        sep = ";\\ " if self.comma else ", "
        return "(" + sep.join(self.n(v) for v in values) + ")"


def sample_of_step(step: TraceStep) -> equations.Sample:
    """The equations' Sample of a finished sample-step (every phase computed)."""
    v, g = step.values, step.values.grads
    return equations.Sample(
        x=step.x,
        y=step.y,
        hidden=step.hidden,
        output=step.output,
        lr=step.lr,
        params=step.params,
        z1=v.z1,
        a1=v.a1,
        z2=v.z2,
        yhat=v.yhat,
        loss=v.loss,
        fprime2=v.fprime2,
        delta2=v.delta2,
        dW2=g.dW2,
        db2=g.db2,
        da1=v.da1,
        fprime1=v.fprime1,
        delta1=v.delta1,
        dW1=g.dW1,
        db1=g.db1,
        params_after=step.params_after,
        batch=step.batch,
        mean=step.mean,
    )


SECTIONS = ("forward_pass", "backward_pass", "gradients", "update")


def section_of(phase: Phase, e: equations.Equation) -> str:
    """Where a transcript (and the text trace) puts an equation: the forward pass (F1, F2), the
    backward pass (f', δ and the local errors ∂L/∂a of B2 and B1), the gradients of the parameters
    (B2 and B1, with §2.6's chain), the update (U)."""
    if phase in (Phase.F1, Phase.F2):
        return "forward_pass"
    if phase is Phase.U:
        return "update"
    of = e.quantity.of
    return "gradients" if e.quantity.name == "∂L/∂" and of is not None and of.name in ("w", "b") else "backward_pass"


def sections(step: TraceStep) -> list[tuple[str, list[equations.Equation]]]:
    """Every equation of the step's five micro-steps (engine.equations), in their order, grouped in
    SECTIONS."""
    groups: dict[str, list[equations.Equation]] = {name: [] for name in SECTIONS}
    for phase, eqs in equations.all_steps(sample_of_step(step)):
        for e in eqs:
            groups[section_of(phase, e)].append(e)
    return [(name, groups[name]) for name in SECTIONS]


def _tex_equation(e: equations.Equation, comma: bool, align: bool) -> str:
    """The equation in LaTeX math; `align` puts the & of align* before its first = (or ←)."""
    w = equations.write(e, comma, tex=True)
    relation = r"\approx" if w.relation == "≈" else "="
    rhs = " = ".join(p for p in (w.symbolic, w.substitution) if p)
    rhs = f"{rhs} {relation} {w.result}" if rhs else w.result
    if e.update:  # lhs is "θ \leftarrow θ - \eta\, ∂L/∂θ"
        head, _, rest = w.lhs.partition(r" \leftarrow ")
        return f"{head} {'&' if align else ''}\\leftarrow {rest} = {rhs}"
    return f"{w.lhs} {'&' if align else ''}= {rhs}"


# --- LaTeX that fits the page: long equations are broken at their "=" (issue 19) --------------------
# The transcript is a fragment for any document with amsmath; the narrowest page it is written for is
# the article class's at 10 pt (\textwidth = 345 pt). An equation wider than that is broken, in its
# align*, before a "=" (the next row starts "&= …", under the equation's own "="); a part that is
# still too wide is broken before a top-level × or +/− (the row starts "&\quad \times …"), and a
# remark that does not fit goes to a row of its own. One equation stays one line of the source.
# Widths are estimated from the source, in pt of Computer Modern at 10 pt, on the generous side;
# tests/tui/cli/test_latex_pages.py compiles every kind of transcript with pdflatex where it exists.
TEX_WIDTH = 345.0
_TEX_ROOM = TEX_WIDTH - 6.0  # the estimate runs up to 1 % short on a long row
_TEX_SYMBOL = {
    r"\cdot": 7.3,
    r"\times": 12.3,
    r"\leftarrow": 15.6,
    r"\approx": 13.4,
    r"\sigma": 6.0,
    r"\delta": 5.0,
    r"\eta": 5.2,
    r"\partial": 6.0,
    r"\tanh": 17.0,
    r"\infty": 10.0,
    r"\hat": 0.0,
    r"\left": 0.0,
    r"\right": 0.0,
    r"\,": 1.7,
    r"\;": 2.8,
    r"\ ": 3.4,
    r"\quad": 10.0,
    r"\qquad": 20.0,
}
_TEX_TOKEN = re.compile(r"\\\\|\\[A-Za-z]+|\\.|[{}^_]|\s+|.")
_RELATIONS = ("=", r"\approx", r"\leftarrow")


def _tex_group(tokens: list[str], k: int) -> tuple[list[str], int]:
    """The tokens of the group that starts at tokens[k] ({…} or one token), and the index after it."""
    if k >= len(tokens):
        return [], k
    if tokens[k] != "{":
        return [tokens[k]], k + 1
    depth, j = 0, k
    while j < len(tokens):
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        if depth == 0:
            return tokens[k + 1 : j], j + 1
        j += 1
    return tokens[k + 1 :], len(tokens)


def _tex_width_of(tokens: list[str]) -> float:
    width, k = 0.0, 0
    while k < len(tokens):
        tok = tokens[k]
        k += 1
        if tok in (r"\frac", r"\tfrac"):
            top, k = _tex_group(tokens, k)
            bottom, k = _tex_group(tokens, k)
            width += max(_tex_width_of(top), _tex_width_of(bottom)) * (1.0 if tok == r"\frac" else 0.75) + 2.4
        elif tok in ("^", "_"):
            group, k = _tex_group(tokens, k)
            width += 0.75 * _tex_width_of(group)
        elif tok in (r"\text", r"\mathrm"):
            group, k = _tex_group(tokens, k)
            width += 5.3 * len("".join(group)) + 1.0
        elif tok in ("{", "}", "&") or tok.isspace():
            continue
        elif tok in _TEX_SYMBOL:
            width += _TEX_SYMBOL[tok]
        elif tok in "=<>":
            width += 13.4
        elif tok in "+-":
            width += 12.3
        elif tok in ".,;'()[]|":
            width += 3.9
        elif tok.isdigit():
            width += 5.0
        elif tok.isupper():
            width += 8.2
        else:
            width += 5.8  # a letter of math italic is up to 6 pt
    return width


def tex_width(math: str) -> float:
    """About how wide `math` is set in display style, in pt (Computer Modern, 10 pt), rarely less."""
    return _tex_width_of(_TEX_TOKEN.findall(math))


def _top_level(math: str, seps: tuple[str, ...]) -> list[str]:
    """`math` cut before each separator in `seps` that is outside braces and \\left … \\right."""
    out, depth, start, k = [], 0, 0, 0
    while k < len(math):
        if (math.startswith(r"\left", k) and not math[k + 5 : k + 6].isalpha()) or math[k] == "{":  # not \leftarrow
            depth += 1
        elif (math.startswith(r"\right", k) and not math[k + 6 : k + 7].isalpha()) or math[k] == "}":
            depth -= 1
        elif (
            depth == 0
            and k > start
            and any(math.startswith(sep, k) for sep in seps)
            and not math.startswith(r" \times 10^{", k)
        ):  # a number's own × (6.2 × 10⁻⁵) stays whole
            out.append(math[start:k])
            start = k
        k += 1
    out.append(math[start:])
    return [p for p in out if p.strip()]


def _fit_rows(head: str, parts: list[str], tail: str, room: float = _TEX_ROOM) -> str:
    """`head` (the lhs and its "&= …"), then `parts` (each starting with its " = " or operator) and
    `tail` (a remark) as align* rows about no wider than `room`: all on one row when they fit, else
    a new row before the first part that does not."""
    rows: list[str] = []
    line, width = head, tex_width(head)
    indent = tex_width(head.split("&")[0])  # where the rows after the first start
    if tail and parts and indent + tex_width(parts[-1] + tail) <= room:  # the remark next to the result
        parts, tail = parts[:-1] + [parts[-1] + tail], ""
    for part in parts:
        w = tex_width(part)
        if width + w > room and line.strip("& "):
            rows.append(line)
            lead = "&" if part.lstrip().startswith(_RELATIONS) else r"&\quad"
            line, width = f"{lead} {part.strip()}", indent + w + (0.0 if lead == "&" else 10.0)
        else:
            line += part
            width += w
    if tail:
        if width + tex_width(tail) > room:
            rows.append(line)
            line = "&" + tail
        else:
            line += tail
    rows.append(line)
    return r" \\ ".join(rows)


def _tex_pieces(rhs: str, room: float) -> list[str]:
    """The right side cut at its top-level " = " (and the last relation), and a piece wider than
    `room` cut further before its top-level × and +/−."""
    out = []
    for piece in _top_level(rhs, (" = ", r" \approx ")):
        if tex_width(piece) > room:
            out += _top_level(piece, (r" \times ", r" \cdot ", " + ", " - "))
        else:
            out.append(piece)
    return out


def _tex_row(e: equations.Equation, lab: dict, comma: bool) -> str:
    """The equation as a row of align* that fits the page (broken into rows where it would not),
    the notes' printed value after it, §2.6's chain under its label."""
    lhs, _, rhs = _tex_equation(e, comma, align=True).partition("&")
    pieces = _top_level(rhs, (" = ", r" \approx "))
    room = _TEX_ROOM - tex_width(lhs)
    parts = [q for piece in pieces[1:] for q in _tex_pieces(piece, room)]
    tail = rf" \qquad \text{{{_tex_text(_remark(e, lab, comma))}}}" if e.printed is not None else ""
    row = _fit_rows(f"{lhs}&{pieces[0]}", parts, tail)
    if e.role == "chain":
        row = rf"\intertext{{{_tex_text(lab['chain'])}}} {row}"
    return row


def _remark(e: equations.Equation, lab: dict, comma: bool) -> str:
    """What the notes print for this quantity (their worked example), in the label's words."""
    return lab["notes"].format(value=num(e.printed, comma), where=e.where) if e.printed is not None else ""


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(DEFAULT_LABELS)
    out.update(labels or {})
    return out


def _setup(steps: Sequence[TraceStep], lab: dict, comma: bool) -> str:
    s = steps[0]
    # the activations as the caller names them in its language (label act_<name>), else their own names
    return lab["setup"].format(
        hidden=lab.get("act_" + s.hidden, s.hidden),
        output=lab.get("act_" + s.output, s.output),
        lr=tex_number(num(s.lr, comma)),
    )


def _joined(groups: Iterable[list[str]]) -> Iterator[str]:
    """ "\\n".join of the lines of all the groups, one group at a time."""
    sep = ""
    for lines in groups:
        if lines:
            yield sep + "\n".join(lines)
            sep = "\n"


def to_markdown(steps: Sequence[TraceStep], labels: Mapping[str, str] | None = None, comma: bool = False) -> str:
    """A Markdown transcript; math in $…$ (GitHub, Jupyter, Pandoc and most note tools render it)."""
    return "".join(markdown_pieces(steps, labels, comma))


def markdown_pieces(
    steps: Iterable[TraceStep], labels: Mapping[str, str] | None = None, comma: bool = False
) -> Iterator[str]:
    """to_markdown one step at a time."""
    lab, t = _labels(labels), _Tex(comma)

    def groups():
        head = [f"# {lab['title']}", ""]
        started = False
        for step in steps:
            lines = [] if started else head + [_setup([step], lab, comma), ""]
            started = True
            lines += [
                f"## {lab['step'].format(epoch=step.epoch, sample=step.sample)}",
                "",
                f"$x = {t.vec(step.x)}$, $y = {t.n(step.y)}$",
                "",
            ]
            for section, eqs in sections(step):
                lines += [f"### {lab[section]}", ""]
                for e in eqs:
                    remark = _remark(e, lab, comma)
                    label = f"{lab['chain']} " if e.role == "chain" else ""
                    lines.append(
                        f"- {label}${_tex_equation(e, comma, align=False)}$" + (f" ← {remark}" if remark else "")
                    )
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


def latex_pieces(
    steps: Iterable[TraceStep], labels: Mapping[str, str] | None = None, comma: bool = False
) -> Iterator[str]:
    """to_latex one step at a time."""
    lab, t = _labels(labels), _Tex(comma)

    def groups():
        head = ["% backprop-tui transcript; needs \\usepackage{amsmath}", f"\\section*{{{_tex_text(lab['title'])}}}"]
        started = False
        for step in steps:
            lines = [] if started else head + [_tex_text(_setup([step], lab, comma))]
            started = True
            lines += [
                "",
                f"\\subsection*{{{_tex_text(lab['step'].format(epoch=step.epoch, sample=step.sample))}}}",
                f"$x = {t.vec(step.x)}$, $y = {t.n(step.y)}$",
            ]
            for section, eqs in sections(step):
                body = " \\\\\n".join(f"  {_tex_row(e, lab, comma)}" for e in eqs)
                lines += [f"\\paragraph{{{_tex_text(lab[section])}}}", "\\begin{align*}", body, "\\end{align*}"]
            yield lines
        if not started:
            yield head

    yield from _joined(groups())
    yield "\n"
