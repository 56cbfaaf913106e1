"""The depth view as text (exercise 6(c)): what `backprop-tui depth` prints and what the `d` screen
draws, from one layout.

One row per layer, from the output (l = L, where the error starts) down to layer 1: l, |δ⁽ˡ⁾| (the
length of the layer's error vector), Π⁽ˡ⁾ (the product of the hidden layers' largest f' from layer k
down to l), 0.25ⁿ (σ's bound on that product, n = k − l + 1) and a bar of |δ⁽ˡ⁾| on a log scale with
the σ' ≤ 0.25 line marked in it: where |δ⁽ˡ⁾| would be at most if the hidden layers were sigmoids.
The numbers come from engine.deep; this module only lays them out (no Textual).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from engine.deep import Cut, Depth, cut, dead_units
from tui.text import fmt
from tui.text.i18n import act_name, t, tn

EIGHTHS = " ▏▎▍▌▋▊▉"  # a bar's last cell, in eighths of a cell
FULL = "█"
MARK = "┃"  # the σ' ≤ 0.25 line
DEAD = "✗"  # after a unit's δⱼ whose f'(zⱼ) is 0: a dead unit, it passes no error down
LABEL_WIDTH, NUM_WIDTH = 9, 11
UNIT_WIDTH = NUM_WIDTH + 1  # δⱼ and its mark (DEAD or a space)
UNITS = 2  # the chain's hidden layers have two units (the output layer one)
MIN_BAR = 10


@dataclass(frozen=True)
class Axis:
    """Whole decades 10^lo … 10^hi that hold every bar and mark."""

    lo: int
    hi: int

    def cells(self, value: float, width: int) -> float:
        """How many cells of a bar `width` cells long `value` fills (0 for 0)."""
        if not value > 0.0:
            return 0.0
        share = (math.log10(value) - self.lo) / (self.hi - self.lo)
        return min(max(share, 0.0), 1.0) * width


def axis(d: Depth) -> Axis:
    values = [v for v in d.norms + d.sigmoid_line if v > 0.0 and math.isfinite(v)]
    if not values:
        return Axis(-1, 0)
    lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    return Axis(lo, max(hi, lo + 1))


def bar(value: float, mark: float, ax: Axis, width: int) -> tuple[str, int]:
    """The bar of `value` in `width` cells (full cells, then eighths) and the cell of the mark."""
    filled = ax.cells(value, width)
    whole = int(filled)
    eighths = int(round((filled - whole) * 8))
    if eighths == 8:
        whole, eighths = whole + 1, 0
    text = FULL * whole + (EIGHTHS[eighths] if eighths and whole < width else "")
    cells = list(text.ljust(width))
    at = min(int(ax.cells(mark, width)), width - 1)
    if mark > 0.0:
        cells[at] = MARK
    return "".join(cells).rstrip(), (at if mark > 0.0 else -1)


def decade(k: int) -> str:
    """10⁻⁹, 10⁰."""
    return "10" + fmt.sup(k)


@dataclass(frozen=True)
class Row:
    label: str
    norm: str
    product: str
    reference: str
    bar: str
    mark: int  # the cell of the σ' line in `bar`, −1 if none
    units: tuple[str, ...] = ()  # δⱼ⁽ˡ⁾ of each unit, DEAD after a dead unit's (f'(zⱼ) = 0), else a space


@dataclass(frozen=True)
class Layout:
    title: str
    setup: str
    weights: str
    header: Row
    rows: tuple[Row, ...]  # from the output (l = L) down to layer 1
    scale: str
    legend: tuple[str, ...]
    summary: str
    bar_width: int


def why_zero(c: Cut, L: int, lang: str, comma: bool) -> str:
    """What made each unit's δ 0 at the layer where the error stopped (engine.deep.cut), as it is:
    ReLU's z ≤ 0, a saturated σ or tanh whose f' computes to 0, an underflow, or no error arriving."""
    out = c.layer == L
    up = "ŷ − y" if out else f"(W{fmt.layer(c.layer + 1)}δ{fmt.layer(c.layer + 1)})"
    said: list[tuple[list[int], str]] = []  # (units, why): units saying the same thing are named together
    for u in c.units:
        if u.reason == "no_error" and out:
            why = t("depth_why_no_error_out", lang)
        else:
            why = t(
                "depth_why_" + u.reason,
                lang,
                z=fmt.num(u.z, comma),
                activation=act_name(c.activation, lang),
                up=up if out else up + fmt.sub(u.j),
                limit=fmt.integer(int(u.f)),
                u=fmt.num(u.upstream, comma),
                fp=fmt.num(u.fprime, comma),
            )
        if said and said[-1][1] == why:
            said[-1][0].append(u.j)
        else:
            said.append(([u.j], why))
    if out:  # the output layer's one unit has no index (δ⁽ᴸ⁾)
        return "; ".join(why for _, why in said)
    parts = [
        tn("depth_unit", len(js), lang, j=js[0], first=", ".join(map(str, js[:-1])), last=js[-1], why=why)
        for js, why in said
    ]
    return ". ".join(parts)


def layout(d: Depth, lang: str, comma: bool, width: int) -> Layout:
    """Every line of the view for a `width`-column text (the bar takes what the numbers leave)."""

    def n(v: float) -> str:
        return fmt.num(v, comma)

    def tr(key: str, **values) -> str:
        return t(key, lang, **values)

    L = d.chain.L
    quarter = fmt.short(0.25, comma)  # σ's bound, in the decimal mark chosen (not the language's)
    bar_width = max(MIN_BAR, width - LEFT)
    ax = axis(d)
    dead = dead_units(d.run)
    rows = []
    for l in range(L, 0, -1):
        i = l - 1
        label = tr("depth_out_row", l=l) if l == L else str(l)
        text, mark = bar(d.norms[i], d.sigmoid_line[i], ax, bar_width)
        units = tuple(n(v) + (DEAD if j + 1 in dead[i] else " ") for j, v in enumerate(d.run.delta[i].tolist()))
        rows.append(Row(label, n(d.norms[i]), n(d.products[i]), n(d.reference[i]), text, mark, units))
    head = tr("depth_bar_head")
    header = Row(
        "l",
        "|δ⁽ˡ⁾|",
        "Π max f'",
        quarter + "ⁿ",
        head if len(head) <= bar_width else "log |δ⁽ˡ⁾|",
        -1,
        tuple(f"δ{fmt.sub(j)} " for j in range(1, UNITS + 1)),
    )
    left, right = decade(ax.lo), decade(ax.hi)
    scale = left + " " * max(1, bar_width - len(left) - len(right)) + right
    first, top = d.norms[0], d.norms[-1]
    stopped = cut(d)
    if stopped is None:
        summary = tr("depth_summary", k=d.k, ratio=n(first / top)) if top > 0.0 and first > 0.0 else ""
    elif stopped.layer == L:
        summary = tr("depth_summary_zero", why=why_zero(stopped, L, lang, comma))
    else:
        summary = tr(
            "depth_summary_cut",
            l=stopped.layer,
            sl=fmt.layer(stopped.layer),
            activation=act_name(stopped.activation, lang),
            why=why_zero(stopped, L, lang, comma),
        )
    x = "(" + ("; " if comma else ", ").join(n(v) for v in d.x) + ")"
    return Layout(
        title=tn(
            "depth_title",
            d.k,
            lang,
            k=d.k,
            hidden=act_name(d.hidden, lang),
            output=act_name(d.output, lang),
            seed=d.seed,
        ),
        setup=tr("depth_setup", x=x, y=n(d.y), yhat=n(d.run.yhat), loss=n(d.run.loss)),
        weights=tr("depth_weights"),
        header=header,
        rows=tuple(rows),
        scale=scale,
        legend=(
            tr("depth_legend_bar", mark=MARK, quarter=quarter),
            tr("depth_legend_product", quarter=quarter),
            dead_legend(d, dead, lang),
        ),
        summary=summary,
        bar_width=bar_width,
    )


def dead_legend(d: Depth, dead: list[tuple[int, ...]], lang: str) -> str:
    """What DEAD marks, and where the dead units are, layer by layer (from the output down); when no unit
    is dead, that every unit passed its error on."""
    where = [
        tn("depth_dead", len(dead[l - 1]), lang, l=l, units=", ".join(map(str, dead[l - 1])))
        for l in range(d.chain.L, 0, -1)
        if dead[l - 1]
    ]
    if not where:
        return t("depth_legend_alive", lang)
    return t("depth_legend_dead", lang, mark=DEAD, where="; ".join(where))


LEFT = LABEL_WIDTH + 3 * NUM_WIDTH + UNITS * UNIT_WIDTH + 2  # the columns left of the bar


def row_text(r: Row) -> str:
    units = "".join(u.rjust(UNIT_WIDTH) for u in (*r.units, *[""] * (UNITS - len(r.units))))
    return (
        f"{r.label:<{LABEL_WIDTH}}{r.norm:>{NUM_WIDTH}}{r.product:>{NUM_WIDTH}}{r.reference:>{NUM_WIDTH}}"
        f"{units}  {r.bar}"
    ).rstrip()


def scale_text(lay: Layout) -> str:
    return " " * LEFT + lay.scale


def text(d: Depth, lang: str, comma: bool, width: int = 80) -> str:
    """The view as plain text, `width` columns (the CLI's 80)."""
    lay = layout(d, lang, comma, width)
    lines = [wrapped for line in (lay.title, lay.setup, lay.weights) for wrapped in textwrap.wrap(line, width)]
    lines += ["", row_text(lay.header)]
    lines += [row_text(r) for r in lay.rows]
    lines.append(scale_text(lay))
    lines.append("")
    for line in lay.legend:
        lines += textwrap.wrap(line, width)
    if lay.summary:  # a paragraph of its own: what happened to the error
        lines += ["", *textwrap.wrap(lay.summary, width)]
    return "\n".join(lines) + "\n"


__all__ = [
    "DEAD",
    "dead_legend",
    "Axis",
    "axis",
    "bar",
    "decade",
    "Row",
    "Layout",
    "layout",
    "row_text",
    "scale_text",
    "text",
    "MARK",
]
