"""The activation comparison of exercise 5 as text: one column per hidden activation, one row per
quantity (engine.compare.rows), numbers with `num`, symbols from the symbol table, the largest and
smallest |∂L/∂θ| of each row marked ▲ and ▼ (readable without colour). The command line's text and
Markdown and the `c` screen all lay out these cells; no Textual here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from engine.compare import extremes, rows
from tui.text import fmt
from tui.text.report import Text

if TYPE_CHECKING:  # only named in annotations
    from engine.compare import Column, Row
    from engine.training import TrainResult

LARGEST, SMALLEST = "▲", "▼"
SECTIONS = ("forward", "backward", "gradients", "after")
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
    return [tx.t("cmp_title"),
            tx.t("cmp_setup", epoch=s.epoch, sample=s.sample, y=fmt.short(s.y, tx.comma), output=s.output,
                 x="(" + ("; " if tx.comma else ", ").join(fmt.short(v, tx.comma) for v in s.x) + ")")]


def history_epochs(epochs: int) -> list[int]:
    """The epochs of a history shown in text: about HISTORY_ROWS of them, always 0 and the last."""
    return sorted({round(k * epochs / HISTORY_ROWS) for k in range(HISTORY_ROWS + 1)})


def history_cell(run: TrainResult, epoch: int, tx: Text) -> str:
    """L at `epoch`, or — after the run diverged."""
    return tx.n(run.losses[epoch]) if epoch < len(run.losses) else "—"


def legend(m: int, tx: Text) -> list[str]:
    """What Lᵢ and L are, and what ▲ and ▼ mark."""
    return [tx.t("cmp_losses", m=m), tx.t("cmp_marks", largest=LARGEST, smallest=SMALLEST)]


def compare_text(columns: Sequence[Column], m: int, tx: Text, runs: Sequence[TrainResult] | None = None,
                 epochs: int = 0) -> str:
    """The table as plain text, aligned in columns (CLI `compare`)."""
    table = rows(columns)
    names = [c.hidden for c in columns]
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
        lines += ["", tx.t("cmp_history", epochs=epochs),
                  f"{tx.t('epoch'):>{epoch_w}}" + "".join(f"{name} ".rjust(w) for name, w in zip(names, widths))]
        for e in history_epochs(epochs):
            lines.append(f"{e:>{epoch_w}}" + "".join(f"{history_cell(run, e, tx)} ".rjust(w)
                                                    for run, w in zip(runs, widths)))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def compare_markdown(columns: Sequence[Column], m: int, tx: Text, runs: Sequence[TrainResult] | None = None,
                     epochs: int = 0) -> str:
    """The same table in Markdown, symbols as $…$ math (a handout)."""
    table = rows(columns)
    names = [c.hidden for c in columns]
    title, setup = heading(columns, tx)
    lines = [f"# {title}", "", setup + ".", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
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
        lines += ["", f"## {tx.t('cmp_history', epochs=epochs)}", "",
                  f"| {tx.t('epoch')} | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
        for e in history_epochs(epochs):
            lines.append(f"| {e} | " + " | ".join(history_cell(run, e, tx) for run in runs) + " |")
    return "\n".join(lines) + "\n"


__all__ = ["LARGEST", "SMALLEST", "SECTIONS", "marks", "cell", "section_title", "heading", "legend", "history_epochs",
           "history_cell", "compare_text", "compare_markdown"]
