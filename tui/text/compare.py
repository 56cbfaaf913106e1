"""The activation comparison of exercise 5 as text: one column per hidden activation, one row per
quantity (engine.compare.rows), numbers with `num`, symbols from the symbol table, the largest and
smallest |∂L/∂θ| of each row marked ▲ and ▼ (readable without colour). The command line's text and
Markdown and the `c` screen all lay out these cells; no Textual here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine import compare as engine_compare
from engine.compare import extremes, rows
from tui.text import fmt
from tui.text.i18n import act_name
from tui.text.report import Text

if TYPE_CHECKING:  # only named in annotations
    from engine.compare import Column, Row
    from engine.training import TrainResult

LARGEST, SMALLEST = "▲", "▼"
SECTIONS = ("forward", "backward", "gradients", "after")
READING_WIDTH = 80  # the reading's lines wrapped at this many columns in text
HISTORY_ROWS = 10  # about this many epochs of a loss history in text and Markdown (always L0 and LN)


def marks(row: Row) -> list[str]:
    """▲ on the largest, ▼ on the smallest |∂L/∂θ| of a gradient row; "" elsewhere."""
    if row.key is None:
        return [""] * len(row.values)
    largest, smallest = extremes(row.values)
    return [LARGEST if k in largest else SMALLEST if k in smallest else "" for k in range(len(row.values))]


def cell(row: Row, k: int, tx: Text, tight: bool = False) -> str:
    """A row's value in column k; before → after for the rows of the update's effect (tight: without
    the spaces around →, so that four columns fit in 80)."""
    text = tx.n(row.values[k])
    return text if row.after is None else f"{text}{'→' if tight else ' → '}{tx.n(row.after[k])}"


def section_title(section: str, columns: Sequence[Column], tx: Text) -> str:
    if section == "after":
        s = columns[0].step
        return tx.t("cmp_after", lr=fmt.short(s.lr, tx.comma))
    return tx.t({"forward": "forward_pass", "backward": "backward_pass", "gradients": "cli_gradients"}[section])


def heading(columns: Sequence[Column], tx: Text) -> list[str]:
    """The title and the setup: which sample, which weights, which output activation."""
    s = columns[0].step
    return [
        tx.t("cmp_title"),
        tx.t(
            "cmp_setup",
            epoch=s.epoch,
            sample=s.sample,
            y=fmt.short(s.y, tx.comma),
            output=act_name(s.output, tx.lang),
            x="(" + ("; " if tx.comma else ", ").join(fmt.short(v, tx.comma) for v in s.x) + ")",
        ),
    ]


def history_epochs(epochs: int) -> list[int]:
    """The epochs of a history shown in text: about HISTORY_ROWS of them, always 0 and the last."""
    return sorted({round(k * epochs / HISTORY_ROWS) for k in range(HISTORY_ROWS + 1)})


def history_cell(run: TrainResult, epoch: int, tx: Text) -> str:
    """L at `epoch`, or — after the run diverged."""
    return tx.n(run.losses[epoch]) if epoch < len(run.losses) else "—"


def legend(m: int, tx: Text) -> list[str]:
    """What Lᵢ and L are, and what ▲ and ▼ mark."""
    return [tx.t("cmp_losses", m=m), tx.t("cmp_marks", largest=LARGEST, smallest=SMALLEST)]


def _names(names: Sequence[str], tx: Text) -> str:
    """a; a and b; a, b and c."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {tx.t('cmp_and')} " + names[-1]


def percent(v: float, tx: Text, decimals: int = 1) -> str:
    """98.6 % (98,6 % with the decimal comma), a minus sign when negative."""
    text = f"{v * 100:.{decimals}f}".replace("-", "−")
    return (text.replace(".", ",") if tx.comma else text) + " %"


def _share(v: float, tx: Text) -> str:
    text = f"{v * 100:g}"
    return text.replace(".", ",") if tx.comma else text


def reading_lines(columns: Sequence[Column], tx: Text, runs: Sequence[TrainResult] | None = None, X=None) -> list[str]:
    """What the numbers say, only what they support (engine.compare.reading): which activation has the
    largest hidden gradient on this sample, which L fell fastest over the epochs, which stalled, and
    when the two disagree, why they need not agree (with the dead or saturated units the runs end with)."""
    r = engine_compare.reading(columns, runs, X)
    names = [act_name(c.hidden, tx.lang) for c in columns]
    values = ", ".join(f"{name} {tx.n(v)}" for name, v in zip(names, r.hidden_grad))
    out = [tx.t("cmp_read_title")]
    if r.largest:
        out.append(tx.t("cmp_read_grad", names=_names([names[k] for k in r.largest], tx), values=values))
    elif all(v == r.hidden_grad[0] for v in r.hidden_grad):
        out.append(tx.t("cmp_read_grad_equal", values=values))
    if runs and r.fastest:
        falls = ", ".join(
            f"{name} " + (tx.t("cmp_read_diverged") if f is None else percent(f, tx)) for name, f in zip(names, r.falls)
        )
        out.append(
            tx.tn(
                "cmp_read_fall",
                r.epochs,
                epochs=r.epochs,
                names=_names([names[k] for k in r.fastest], tx),
                values=falls,
            )
        )
    if runs and r.stalled:
        which = ", ".join(tx.t("cmp_read_at", name=names[k], value=tx.n(float(runs[k].losses[-1]))) for k in r.stalled)
        out.append(
            tx.t(
                "cmp_read_stalled",
                share=_share(engine_compare.STALL_SHARE, tx) + " %",
                change=_share(engine_compare.STALL_CHANGE, tx) + " %",
                above=_share(engine_compare.STALL_ABOVE, tx) + " %",
                which=which,
            )
        )
    if r.agree is False:
        concern = set(r.largest) | set(r.stalled)  # the columns the sentence is about
        reasons = ""
        saturated = [names[k] for k in r.saturated if k in concern]
        for k, count in r.dead:
            if k in concern:
                reasons += tx.tn("cmp_read_dead", count, name=names[k], count=count)
        if saturated:
            reasons += tx.t(
                "cmp_read_saturated", names=_names(saturated, tx), limit=fmt.short(engine_compare.SATURATED, tx.comma)
            )
        out.append(tx.t("cmp_read_why", reasons=reasons))
    elif r.agree:
        out.append(tx.t("cmp_read_agree"))
    return out if len(out) > 1 else []


def compare_text(
    columns: Sequence[Column], m: int, tx: Text, runs: Sequence[TrainResult] | None = None, epochs: int = 0, X=None
) -> str:
    """The table as plain text, aligned in columns (CLI `compare`), then what the numbers say."""
    table = rows(columns)
    names = [act_name(c.hidden, tx.lang) for c in columns]
    texts = [[cell(r, k, tx) + (mk or " ") for k, mk in enumerate(marks(r))] for r in table]
    label_w = max(len(r.symbol.text) for r in table) + 2
    widths = [max(len(names[k]), *(len(t[k]) for t in texts)) + 2 for k in range(len(columns))]
    lines = heading(columns, tx) + [""]
    lines.append(" " * label_w + "".join(f"{name} ".rjust(w) for name, w in zip(names, widths)))
    section = None
    for r, t in zip(table, texts):
        if r.section != section:
            section = r.section
            lines.append(section_title(section, columns, tx))
        lines.append(f"  {r.symbol.text:<{label_w - 2}}" + "".join(c.rjust(w) for c, w in zip(t, widths)))
    lines += ["", *legend(m, tx)]
    if runs is not None:
        epoch_w = max(len(tx.t("epoch")), len(str(epochs)))
        lines += [
            "",
            tx.tn("cmp_history", epochs, epochs=epochs),
            f"{tx.t('epoch'):>{epoch_w}}" + "".join(f"{name} ".rjust(w) for name, w in zip(names, widths)),
        ]
        for e in history_epochs(epochs):
            lines.append(
                f"{e:>{epoch_w}}" + "".join(f"{history_cell(run, e, tx)} ".rjust(w) for run, w in zip(runs, widths))
            )
    said = reading_lines(columns, tx, runs, X)
    if said:
        lines += ["", said[0]] + [w for line in said[1:] for w in textwrap.wrap(line, READING_WIDTH)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def compare_markdown(
    columns: Sequence[Column], m: int, tx: Text, runs: Sequence[TrainResult] | None = None, epochs: int = 0, X=None
) -> str:
    """The same table in Markdown, symbols as $…$ math (a handout)."""
    table = rows(columns)
    names = [act_name(c.hidden, tx.lang) for c in columns]
    title, setup = heading(columns, tx)
    lines = [f"# {title}", "", setup + ".", "", "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    section = None
    for r in table:
        if r.section != section:
            section = r.section
            lines.append(f"| **{section_title(section, columns, tx)}** |" + " |" * len(names))
        cells = [cell(r, k, tx) + (f" {mk}" if mk else "") for k, mk in enumerate(marks(r))]
        lines.append(f"| ${r.symbol.tex}$ | " + " | ".join(cells) + " |")
    for line in legend(m, tx):
        lines += ["", line + "."]
    if runs is not None:
        lines += [
            "",
            f"## {tx.tn('cmp_history', epochs, epochs=epochs)}",
            "",
            f"| {tx.t('epoch')} | " + " | ".join(names) + " |",
            "|---:|" + "---:|" * len(names),
        ]
        for e in history_epochs(epochs):
            lines.append(f"| {e} | " + " | ".join(history_cell(run, e, tx) for run in runs) + " |")
    said = reading_lines(columns, tx, runs, X)
    if said:
        lines += ["", f"## {said[0]}", ""] + [f"- {line}" for line in said[1:]]
    return "\n".join(lines) + "\n"


__all__ = [
    "reading_lines",
    "percent",
    "READING_WIDTH",
    "LARGEST",
    "SMALLEST",
    "SECTIONS",
    "marks",
    "cell",
    "section_title",
    "heading",
    "legend",
    "history_epochs",
    "history_cell",
    "compare_text",
    "compare_markdown",
]
