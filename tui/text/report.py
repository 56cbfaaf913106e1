"""The text the command line prints in the notes' notation (trace, train, gradcheck), and the labels
of the Markdown and LaTeX transcripts that `trace` and the app's x both write.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from engine import equations, notation
from engine.activations import ACTIVATIONS
from engine.model import Model
from engine.network import Params
from tui.text import fmt
from tui.text.i18n import act_name, t, tn
from tui.text.phases import PHASES

if TYPE_CHECKING:  # only named in annotations: the modules stay unloaded until a command needs them
    from engine import export, training


class Text:
    """Unicode symbols (z₁⁽¹⁾) and numbers (tui.fmt) in the chosen language and decimal mark."""

    def __init__(self, lang: str, comma: bool):
        self.lang, self.comma = lang, comma

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def tn(self, key: str, n: int, **values) -> str:
        return tn(key, n, self.lang, **values)

    def n(self, v: float) -> str:
        return fmt.num(v, self.comma)

    def vec(self, values) -> str:
        return "(" + ("; " if self.comma else ", ").join(self.n(v) for v in values) + ")"

    def eqs(self, pairs) -> str:
        return "   ".join(f"{name} = {self.n(v)}" for name, v in pairs)

    def params(self, p: Params) -> list[str]:
        return [
            self.eqs((fmt.weight(i, j, 1), p.W1[i - 1, j - 1]) for i in (1, 2) for j in (1, 2)),
            self.eqs((fmt.bias(j, 1), p.b1[j - 1]) for j in (1, 2)),
            self.eqs(
                [(fmt.weight(1, 1, 2), p.W2[0, 0]), (fmt.weight(2, 1, 2), p.W2[1, 0]), (fmt.sym("b", None, 2), p.b2[0])]
            ),
        ]

    def setup(self, model_or_step) -> str:
        return self.t(
            "cli_setup",
            hidden=act_name(model_or_step.hidden, self.lang),
            output=act_name(model_or_step.output, self.lang),
            eta="η",
            lr=self.n(model_or_step.lr),
        )


def trace_text_pieces(steps: Iterable[export.TraceStep], tx: Text, width: int = 80) -> Iterator[str]:
    """`trace`'s text format, one step at a time: the equations of the step's five micro-steps
    (engine.equations, written as the Explain panel writes them), in the transcripts' sections."""
    from engine.export import sections  # lazy: the app imports this module for its labels, not export

    for k, s in enumerate(steps):
        yield "\n".join(_trace_step_lines(s, sections(s), tx, first=k == 0, width=width)) + "\n"


def batch_mode_line(model: Model, batch, tx: Text, shuffle: bool = False) -> str:
    """What --batch does to this model, in words: full or mini-batch, and the short last batch."""
    from engine import training  # lazy: the app imports this module for its labels, not training

    size = training.batch_size(batch, model.m)
    if size >= model.m:
        line = tx.t("cli_batch_full", samples=tn("n_samples", model.m, tx.lang))
    else:
        line = tx.tn("cli_batch_mini", size, size=size)
        if model.m % size:
            line += tx.tn("cli_batch_short", model.m % size)
    if shuffle:
        line += tx.t("cli_batch_shuffled", seed=model.seed)
    return line


def samples_text(samples) -> str:
    """1–4 for a run of data rows, else 3, 1, 4 (a shuffled batch)."""
    samples = list(samples)
    if len(samples) > 1 and samples == list(range(samples[0], samples[0] + len(samples))):
        return f"{samples[0]}–{samples[-1]}"
    return ", ".join(str(i) for i in samples)


def batch_trace_text_pieces(
    steps, model: Model, batch, tx: Text, shuffle: bool = False, width: int = 80
) -> Iterator[str]:
    """`trace --batch`'s text: per batch, each sample's forward and backward pass (the Explain panel's
    equations), then the mean of their gradients and the update."""
    from engine.export import batch_update_equations, sections  # lazy, as in trace_text_pieces

    for k, b in enumerate(steps):
        lines = [tx.t("cli_trace_title"), tx.setup(model), batch_mode_line(model, batch, tx, shuffle)] if k == 0 else []
        lines += [
            "",
            tn(
                "cli_batch_step", len(b.samples), tx.lang, epoch=b.epoch, batch=b.index, samples=samples_text(b.samples)
            ),
            f"  {tx.t('cli_parameters')}",
        ]
        lines += [f"    {row}" for row in tx.params(b.params)]
        heads = {
            "forward_pass": tx.t("forward_pass"),
            "backward_pass": tx.t("backward_pass"),
            "gradients": tx.t("cli_gradients"),
        }
        for s in b.steps:
            lines.append(f"  {tx.t('cli_batch_sample', sample=s.sample, x=tx.vec(s.x), y=tx.n(s.y))}")
            for section, eqs in sections(s):
                if section in heads:
                    lines.append(f"    {heads[section]}")
                    for e in eqs:
                        lines += equation_lines(e, tx, "      ", width)
        lines.append(f"  {tx.t('cli_batch_update', lr=tx.n(b.lr))}")
        for e in batch_update_equations(b):
            lines += equation_lines(e, tx, "    ", width)
        yield "\n".join(lines) + "\n"


def equation_lines(e: equations.Equation, tx: Text, indent: str, width: int) -> list[str]:
    """One equation as text lines of at most `width` columns where it can: a long one continues on
    the next line at a "=", indented (§2.6's chain); the notes' printed value after it."""
    w = equations.write(e, tx.comma)
    parts = [p for p in (w.lhs, w.symbolic, w.substitution) if p]
    if e.role == "chain":
        parts[0] = f"{tx.t('ui_ex_chain')} {parts[0]}"
    pieces = [parts[0]] + [f"= {p}" for p in parts[1:]] + [f"{w.relation} {w.result}"]
    if e.printed is not None:
        pieces[-1] += "  ← " + tx.t("ui_ex_notes_where", value=tx.n(e.printed), where=e.where)
    lines, line = [], indent + pieces[0]
    for piece in pieces[1:]:
        if len(line) + 1 + len(piece) <= width:
            line += " " + piece
        else:
            lines.append(line)
            line = indent + "    " + piece
    return lines + [line]


def _trace_step_lines(s: export.TraceStep, groups, tx: Text, first: bool, width: int) -> list[str]:
    lines = [tx.t("cli_trace_title"), tx.setup(s)] if first else []
    lines += [
        "",
        f"{tx.t('cli_step', epoch=s.epoch, sample=s.sample)}: x = {tx.vec(s.x)}, y = {tx.n(s.y)}",
        f"  {tx.t('cli_parameters')}",
    ]
    lines += [f"    {row}" for row in tx.params(s.params)]
    heads = {
        "forward_pass": tx.t("forward_pass"),
        "backward_pass": tx.t("backward_pass"),
        "gradients": tx.t("cli_gradients"),
        "update": f"{tx.t('cli_params_after')} (η = {tx.n(s.lr)})",
    }
    for section, eqs in groups:
        lines.append(f"  {heads[section]}")
        for e in eqs:
            lines += equation_lines(e, tx, "    ", width)
    return lines


def transcript_labels(lang: str) -> dict[str, str]:
    return {
        "title": t("cli_trace_title", lang),
        "setup": t("cli_setup", lang, hidden="{hidden}", output="{output}", eta="$\\eta", lr="{lr}$") + ".",
        **{"act_" + name: act_name(name, lang) for name in ACTIVATIONS},
        "step": t("cli_step", lang, epoch="{epoch}", sample="{sample}"),
        "forward_pass": t("forward_pass", lang).capitalize(),
        "backward_pass": t("backward_pass", lang).capitalize(),
        "gradients": t("cli_gradients", lang).capitalize(),
        "update": t("update", lang).capitalize(),
        "notes": t("ui_ex_notes_where", lang, value="{value}", where="{where}"),
        "chain": t("ui_ex_chain", lang),
    }


def program_labels(lang: str, steps: int) -> dict[str, str]:
    """The text of `trace --format python | notebook` (engine/program.py) in `lang`: its header, the
    micro-steps' titles as Explain writes them, the trace's own words for a step and its parameters."""
    return {
        "title": t("cli_trace_title", lang),
        "setup": t("cli_setup", lang, hidden="{hidden}", output="{output}", eta="η", lr="{lr}"),
        **{"act_" + name: act_name(name, lang) for name in ACTIVATIONS},
        "header": tn("prog_header", steps, lang, format="{format}", name="{name}"),
        "layout": t("prog_layout", lang),
        "model": t("prog_model", lang),
        "steps_title": t("prog_steps", lang),
        "run": t("prog_run", lang),
        "dataset_loss": t("prog_dataset_loss", lang),
        "step": t("cli_step", lang, epoch="{epoch}", sample="{sample}"),
        "parameters": t("cli_parameters", lang),
        "diverged": t("diverged", lang, epoch="{epoch}"),
        **{phase: t(f"ui_ex_{phase}_title", lang) for phase in ("F1", "F2", "B2", "B1", "U")},
        **{f"formula_{phase}": formula for phase, _, formula in PHASES if formula},  # the notes' matrix form
    }


def train_text_pieces(
    model: Model, chunks: Iterable[training.TrainResult], epochs: int, tx: Text, mode: str | None = None
) -> Iterator[str]:
    """About ten rows of the loss history, always L0 and the last epoch run, then the final
    parameters; each row is written when its epoch has been trained. `mode`: a line saying how the
    run descends (--batch), after the setup."""
    shown = sorted({round(k * epochs / 10) for k in range(11)})
    width = max(len(str(epochs)), len(tx.t("epoch")))
    yield (
        "\n".join(
            [
                tx.t(
                    "cli_train_header",
                    name=model.name,
                    samples=tn("n_samples", model.m, tx.lang),
                    epochs=tn("n_epochs", epochs, tx.lang),
                ),
                tx.setup(model),
            ]
            + ([mode] if mode else [])
            + ["", f"{tx.t('epoch'):>{width}}  L"]
        )
        + "\n"
    )
    start, last, params = 0, 0, model.params
    for res in chunks:
        n = len(res.losses)
        rows = [k for k in shown if start <= k < start + n]
        if res.diverged and start + n - 1 not in rows:  # the last epoch run, when the run stopped early
            rows.append(start + n - 1)
        yield "".join(f"{k:>{width}}  {tx.n(res.losses[k - start])}\n" for k in rows)
        start, last, params = start + n, start + n - 1, res.params
    lines = ["", tx.t("cli_params_final", epoch=last)] + [f"  {row}" for row in tx.params(params)]
    yield "\n".join(lines) + "\n"


GRAD_DIGITS = 9  # the gradient check compares 10 significant digits: +1.234567890e−05
GRAD_WIDTH = len(fmt.sci(-1e-300, digits=GRAD_DIGITS))  # the widest: −1.234567890e−300
ROUGH_WIDTH = len(fmt.sci(1e-300, digits=1))  # a relative error or h: 2.3e−300


def gradcheck_text(
    rows: Sequence, model: Model, method: str, h: float, max_rel_error: float, tx: Text, kinks: frozenset = frozenset()
) -> str:
    """The gradient check as a table; max_rel_error is engine.gradcheck.max_rel_error(rows). The rows
    of `kinks` (engine.gradcheck.kinked: a hidden unit at z = 0 under ReLU or the step) end in * and a
    line below says why their quotient differs from backprop's convention f'(0) = 0.

    The values in fmt.sci's style with 10 significant digits (and + on positive ones, so that their
    digits line up), relative errors and h with 2; each column right-aligned, never touching the next."""

    def grad(v: float) -> str:
        return fmt.sci(v, tx.comma, digits=GRAD_DIGITS, plus=True)

    def rough(v: float) -> str:
        return fmt.sci(v, tx.comma, digits=1)

    header = tx.t(f"cli_gradcheck_{method}", h=rough(h), m=model.m)
    cols = (tx.t("cli_parameter"), tx.t("cli_analytic"), tx.t("cli_numeric"), tx.t("cli_rel_error"))
    first = max(len(cols[0]), 8)
    widths = (max(len(cols[1]), GRAD_WIDTH) + 2, max(len(cols[2]), GRAD_WIDTH) + 2, max(len(cols[3]), ROUGH_WIDTH) + 2)

    def row(name: str, texts: Sequence[str]) -> str:
        pads = fmt.column_pads(texts, widths, start=first)
        return name.ljust(first) + "".join(" " * pad + text for pad, text in zip(pads, texts))

    lines = [header, tx.setup(model), "", row(cols[0], cols[1:])]
    lines += [
        row(fmt.param(r.key), (grad(r.analytic), grad(r.numeric), rough(r.rel_error)))
        + (" *" if r.key in kinks else "")
        for r in rows
    ]
    worst = max_rel_error
    lines += [
        "",
        tx.t("cli_gradcheck_max", value=rough(worst)) if math.isfinite(worst) else tx.t("cli_gradcheck_cannot"),
    ]
    if any(r.key in kinks for r in rows):
        lines.append(tx.t(f"gc_kink_{model.hidden}"))
    return "\n".join(lines) + "\n"


# --- exercise 2(d) for one parameter: engine.gradcheck.Walk, on the command line and the `g` screen --

WALK_EXTRA = 11  # θ and L with 15 decimals: L(θ + h) − L(θ) ≈ h·∂L/∂θ stays visible down to h ≈ 10⁻¹⁰


def h_text(h: float) -> str:
    """10⁻⁵ for a power of ten, else the number."""
    k = round(math.log10(h))
    return "10" + fmt.sup(k) if math.isclose(h, 10.0**k) else fmt.num(h)


def walk_lines(w, tx: Text) -> list[str]:
    """θ, θ ± h and L at each side by side, the quotient, backprop's ∂L/∂θ, their difference and the
    relative error; for the notes' own exercise 2(d), a line on the L⁺ they print (marked *)."""

    def v(x: float) -> str:
        return fmt.num(x, tx.comma, extra=WALK_EXTRA)

    central = w.method == "central"
    thetas = [("θ", w.row.theta), ("θ + h", w.theta_plus)] + ([("θ − h", w.theta_minus)] if central else [])
    losses = [("L(θ)", w.row.loss), ("L(θ + h)", w.row.loss_plus)] + (
        [("L(θ − h)", w.row.loss_minus)] if central else []
    )
    width = max(len(v(x)) for _, x in thetas)
    lines = [
        f"{a:<5} = {v(x):>{width}}   {b:<8} = {v(y)}" + (" *" if w.notes and b == "L(θ + h)" else "")
        for (a, x), (b, y) in zip(thetas, losses)
    ]
    labels = [
        "(L(θ + h) − L(θ − h)) / 2h" if central else "(L(θ + h) − L(θ)) / h",
        tx.t("fd_backprop", grad=notation.grad(notation.param(w.key)).text),
        tx.t("fd_difference"),
    ]
    pad = max(len(label) for label in labels)
    lines += [
        f"{labels[0]:<{pad}} = {v(w.quotient)}",
        f"{labels[1]:<{pad}} = {v(w.analytic)}",
        f"{labels[2]:<{pad}} = {tx.n(w.difference)}   {tx.t('fd_rel')} {tx.n(w.row.rel_error)}",
    ]
    if w.notes:
        n = w.notes
        lines.append(
            tx.t(
                "fd_notes",
                printed=fmt.num(n.loss_plus, tx.comma, decimals=6),
                loss=tx.n(n.loss),
                h=h_text(n.h),
                grad=tx.n(n.grad),
                exact=fmt.num(w.row.loss_plus, tx.comma, decimals=6),
            )
        )
    return lines


def walk_text(w, model: Model, key_name: str, tx: Text) -> str:
    """`gradcheck --param`: the walk-through for one parameter of the model's data set."""
    header = tx.t(
        "cli_fd_header", sym=fmt.param(w.key), name=key_name, method=tx.t(f"fd_{w.method}"), h=h_text(w.h), m=w.m
    )
    return "\n".join([header, tx.setup(model), ""] + walk_lines(w, tx)) + "\n"
