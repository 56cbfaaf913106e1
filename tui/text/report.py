"""The text the command line prints in the notes' notation (trace, train, gradcheck), and the labels
of the Markdown and LaTeX transcripts that `trace` and the app's x both write.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from engine.model import Model
from engine.network import Params
from tui.text import fmt
from tui.text.i18n import t

if TYPE_CHECKING:  # only named in annotations: the modules stay unloaded until a command needs them
    from engine import export, training


class Text:
    """Unicode symbols (z₁⁽¹⁾) and numbers (tui.fmt) in the chosen language and decimal mark."""

    def __init__(self, lang: str, comma: bool):
        self.lang, self.comma = lang, comma

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

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
            self.eqs([(fmt.weight(1, 1, 2), p.W2[0, 0]), (fmt.weight(2, 1, 2), p.W2[1, 0]),
                      (fmt.sym("b", None, 2), p.b2[0])]),
        ]

    def setup(self, model_or_step) -> str:
        return self.t("cli_setup", hidden=model_or_step.hidden, output=model_or_step.output, eta="η",
                      lr=self.n(model_or_step.lr))


def dLd(symbol: str) -> str:
    return f"∂L/∂{symbol}"


def trace_text_pieces(steps: Iterable[export.TraceStep], tx: Text) -> Iterator[str]:
    """`trace`'s text format, one step at a time."""
    for k, s in enumerate(steps):
        yield "\n".join(_trace_step_lines(s, tx, first=k == 0)) + "\n"


def _trace_step_lines(s: export.TraceStep, tx: Text, first: bool) -> list[str]:
    lines = [tx.t("cli_trace_title"), tx.setup(s)] if first else []
    v, g = s.values, s.values.grads
    lines += ["", f"{tx.t('cli_step', epoch=s.epoch, sample=s.sample)}: x = {tx.vec(s.x)}, y = {tx.n(s.y)}",
              f"  {tx.t('cli_parameters')}"]
    lines += [f"    {row}" for row in tx.params(s.params)]
    lines += [
        f"  {tx.t('forward_pass')}",
        "    " + tx.eqs([(fmt.sym("z", 1, 1), v.z1[0]), (fmt.sym("z", 2, 1), v.z1[1])]),
        "    " + tx.eqs([(fmt.sym("a", 1, 1), v.a1[0]), (fmt.sym("a", 2, 1), v.a1[1])]),
        "    " + tx.eqs([(fmt.sym("z", None, 2), v.z2[0]), ("ŷ", v.yhat[0]), ("Lᵢ", v.loss)]),
        f"  {tx.t('backward_pass')}",
        "    " + tx.eqs([(fmt.sym("δ", None, 2), v.delta2[0])]),
        "    " + tx.eqs([(fmt.sym("δ", 1, 1), v.delta1[0]), (fmt.sym("δ", 2, 1), v.delta1[1])]),
        f"  {tx.t('cli_gradients')}",
        "    " + tx.eqs([(dLd(fmt.weight(1, 1, 2)), g.dW2[0, 0]), (dLd(fmt.weight(2, 1, 2)), g.dW2[1, 0]),
                         (dLd(fmt.sym("b", None, 2)), g.db2[0])]),
        "    " + tx.eqs((dLd(fmt.weight(i, j, 1)), g.dW1[i - 1, j - 1]) for i in (1, 2) for j in (1, 2)),
        "    " + tx.eqs((dLd(fmt.bias(j, 1)), g.db1[j - 1]) for j in (1, 2)),
        f"  {tx.t('cli_params_after')} (η = {tx.n(s.lr)})",
    ]
    lines += [f"    {row}" for row in tx.params(s.params_after)]
    return lines


def transcript_labels(lang: str) -> dict[str, str]:
    return {
        "title": t("cli_trace_title", lang),
        "setup": t("cli_setup", lang, hidden="{hidden}", output="{output}", eta="$\\eta", lr="{lr}$") + ".",
        "step": t("cli_step", lang, epoch="{epoch}", sample="{sample}"),
        "forward_pass": t("forward_pass", lang).capitalize(),
        "backward_pass": t("backward_pass", lang).capitalize(),
        "gradients": t("cli_gradients", lang).capitalize(),
        "update": t("update", lang).capitalize(),
    }


def train_text_pieces(model: Model, chunks: Iterable[training.TrainResult], epochs: int, tx: Text) -> Iterator[str]:
    """About ten rows of the loss history, always L0 and the last epoch run, then the final
    parameters; each row is written when its epoch has been trained."""
    shown = sorted({round(k * epochs / 10) for k in range(11)})
    width = max(len(str(epochs)), len(tx.t("epoch")))
    yield "\n".join([tx.t("cli_train_header", name=model.name, m=model.m, epochs=epochs), tx.setup(model), "",
                     f"{tx.t('epoch'):>{width}}  L"]) + "\n"
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


def gradcheck_text(rows: Sequence, model: Model, method: str, h: float, max_rel_error: float, tx: Text) -> str:
    """The gradient check as a table; max_rel_error is engine.gradcheck.max_rel_error(rows).

    The values in fmt.sci's style with 10 significant digits (and + on positive ones, so that their
    digits line up), relative errors and h with 2; each column right-aligned, never touching the next."""
    def grad(v: float) -> str:
        return fmt.sci(v, tx.comma, digits=GRAD_DIGITS, plus=True)

    def rough(v: float) -> str:
        return fmt.sci(v, tx.comma, digits=1)

    header = tx.t(f"cli_gradcheck_{method}", h=rough(h), m=model.m)
    cols = (tx.t("cli_parameter"), tx.t("cli_analytic"), tx.t("cli_numeric"), tx.t("cli_rel_error"))
    first = max(len(cols[0]), 8)
    widths = (max(len(cols[1]), GRAD_WIDTH) + 2, max(len(cols[2]), GRAD_WIDTH) + 2,
              max(len(cols[3]), ROUGH_WIDTH) + 2)

    def row(name: str, texts: Sequence[str]) -> str:
        pads = fmt.column_pads(texts, widths, start=first)
        return name.ljust(first) + "".join(" " * pad + text for pad, text in zip(pads, texts))

    lines = [header, tx.setup(model), "", row(cols[0], cols[1:])]
    lines += [row(fmt.param(r.key), (grad(r.analytic), grad(r.numeric), rough(r.rel_error))) for r in rows]
    worst = max_rel_error
    lines += ["", tx.t("cli_gradcheck_max", value=rough(worst)) if math.isfinite(worst)
              else tx.t("cli_gradcheck_cannot")]
    return "\n".join(lines) + "\n"
