"""The `v` screen: f and f' of an activation over [−6, 6] with this sample's z marked (notes §1.5,
§1.6, exercise 1), beside the table of f and f' at z = −4, −2, 0, 2, 4 that §1.6 prints for σ.

It follows the App's Snapshot while open: f, b, u, space and a work here as on the main screen, so
the markers appear as the forward pass computes z, and a saturated unit (f'(z) ≈ 0, the vanishing
gradient) is seen sitting on the flat part of the curve. `o` switches between the hidden layer
(z₁⁽¹⁾, z₂⁽¹⁾) and the output layer (z⁽²⁾).

Every value comes from engine.activations (the curves, the table) or from the Snapshot (z, a);
this module only lays them out.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static
from textual_plotext import PlotextPlot

from engine import activations
from engine.stepper import Snapshot
from tui.app.host import view_host
from tui.app.screens.base import ViewScreen
from tui.app.widgets.status import StatusLine
from tui.text import fmt
from tui.text.i18n import act_name, t

RANGE = 6.0  # [−6, 6]: wide enough for σ and tanh to flatten out
MAX_RANGE = 100.0  # a z beyond this (a diverging run) is drawn at the edge with an arrow
TABLE_Z = (-4.0, -2.0, 0.0, 2.0, 4.0)  # the points of the σ table in §1.6
POINTS = 241  # samples of the curves over the range (every 0.05 on [−6, 6])
SATURATED = 0.1  # f'(z) below this share of the largest f' on the plot: saturated


def layer_units(s: Snapshot, layer: str) -> list[tuple[str, float, float]]:
    """(symbol, z, a = f(z)) of each unit of the layer whose z the Snapshot holds; [] before F1/F2."""
    if layer == "hidden":
        if s.forward1 is None:
            return []
        h = s.forward1
        return [(fmt.sym("z", j + 1, 1), float(h.z1[j]), float(h.a1[j])) for j in range(2)]
    if s.forward2 is None:
        return []
    o = s.forward2
    return [(fmt.sym("z", None, 2), float(o.z2[0]), float(o.yhat[0]))]


FPRIME_MARKER = "dot"  # plotext's •; f is drawn in braille


def activation_name(s: Snapshot, layer: str) -> str:
    return s.hidden if layer == "hidden" else s.output


def x_range(units) -> float:
    """±R: [−6, 6], widened to hold every marked z (up to MAX_RANGE)."""
    far = max((abs(z) for _, z, _ in units if math.isfinite(z)), default=0.0)
    if far <= RANGE:
        return RANGE
    return float(min(math.ceil(far * 1.1), MAX_RANGE))


def table_rows(name: str, zs=TABLE_Z) -> list[tuple[float, float, float]]:
    """(z, f(z), f'(z)) at the points of §1.6, from engine.activations."""
    act = activations.get(name)
    z = np.asarray(zs, dtype=np.float64)
    return list(zip(z.tolist(), act.f(z).tolist(), act.d(z).tolist()))


def kink_marks(name: str) -> list[tuple[float, float, str, str]]:
    """(z, value, "f" or "fprime", marker) at z = 0 for an activation with a kink or a jump there:
    ● the value engine.activations gives at 0, ○ a one-sided limit it does not take. The step's f' gets
    ○ only: it does not exist at 0 (the engine uses 0, the slope on both sides)."""
    act = activations.get(name)
    f0, d0 = float(act.f(np.float64(0.0))), float(act.d(np.float64(0.0)))
    if name == "relu":  # f is continuous; f' jumps from 0 to 1 and the notes' table takes f'(0) = 0
        return [(0.0, d0, "fprime", "●"), (0.0, 1.0, "fprime", "○")]
    if name == "step":  # f jumps from 0 to 1 and H(0) = 0; f' = 0 on both sides, undefined at 0
        return [(0.0, f0, "f", "●"), (0.0, 1.0, "f", "○"), (0.0, d0, "fprime", "○")]
    return []


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ᵏ) inside [lo, hi], at most `most` of them."""
    span = hi - lo
    for k in range(-3, 4):
        for m in (1, 2, 2.5, 5):
            step = m * 10.0**k
            if span / step <= most:
                first = math.ceil(lo / step)
                return [round(i * step, 10) for i in range(first, int(math.floor(hi / step)) + 1)]
    return [lo, hi]


class ActivationPlot(PlotextPlot):
    """f and f' as braille curves, a vertical line and a labelled point at each unit's z."""

    def show(self, s: Snapshot, layer: str, lang: str, comma: bool) -> None:
        name = activation_name(s, layer)
        act = activations.get(name)
        units = layer_units(s, layer)
        r = x_range(units)
        xs = np.linspace(-r, r, POINTS)
        f, fp = act.f(xs), act.d(xs)
        dark = self.app.current_theme.dark
        c_f, c_fp, c_z = ("cyan", "orange", "white") if dark else ("blue", "red", "black")
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        # f' in a glyph of its own, not in colour alone (NO_COLOR draws both grey; issue 19): braille for
        # f, FPRIME_MARKER for f', and the legend shows each with its glyph
        if name in activations.KINKS:
            # f' (and the step's f) jumps at z = 0: each side drawn on its own, never joined by a line;
            # at z = 0, ● is the value the engine uses and ○ the end it does not take (the step's f':
            # ○ alone, f'(0) does not exist; the table below says which convention is used)
            for side, labelled in ((xs < 0, True), (xs > 0, False)):
                plt.plot(
                    xs[side].tolist(), f[side].tolist(), marker="braille", color=c_f, label="f(z)" if labelled else None
                )
                plt.plot(
                    xs[side].tolist(),
                    fp[side].tolist(),
                    marker=FPRIME_MARKER,
                    color=c_fp,
                    label="f'(z)" if labelled else None,
                )
            for x0, y0, colour, mark in kink_marks(name):
                plt.scatter([x0], [y0], marker=mark, color=c_f if colour == "f" else c_fp)
        else:
            plt.plot(xs.tolist(), f.tolist(), marker="braille", color=c_f, label="f(z)")
            plt.plot(xs.tolist(), fp.tolist(), marker=FPRIME_MARKER, color=c_fp, label="f'(z)")
        lo = float(min(f.min(), fp.min(), 0.0))
        hi = float(max(f.max(), fp.max(), 1.0))
        pad = 0.08 * (hi - lo)
        lo, hi = lo - pad, hi + 2.5 * pad  # room above the curves for the labels
        for k, (label, z, a) in enumerate(units):
            if not math.isfinite(z):
                continue
            shown = min(max(z, -r), r)
            d = float(act.d(np.float64(z)))
            plt.vline(shown, c_z)
            plt.scatter([shown, shown], [a, d], marker="●", color=c_z)
            arrow = "→" if z > r else ("←" if z < -r else "")
            top = hi - pad * (0.6 + 1.2 * k)  # one row each: z₁⁽¹⁾ and z₂⁽¹⁾ are often close
            plt.text(f"{label}{arrow}", x=shown, y=top, color=c_z, background="default", alignment="center")
        plt.xlim(-r, r)
        plt.ylim(lo, hi)
        ticks = list(range(-int(r), int(r) + 1, max(1, int(r) // 3)))
        plt.xticks(ticks, [fmt.integer(v) for v in ticks])  # type: ignore[arg-type]  # plotext: list[float], invariant
        yt = nice_ticks(lo, hi)
        plt.yticks(yt, [fmt.short(v, comma) for v in yt])
        plt.xlabel("z")
        self.refresh()


class ActivationTable(Static):
    """f and f' at z = −4 … 4 (§1.6), then this sample's units with z, f(z), f'(z)."""

    def show(self, s: Snapshot, layer: str, lang: str, comma: bool) -> None:
        name = activation_name(s, layer)
        act = activations.get(name)

        def n(v: float) -> str:
            return fmt.num(v, comma)

        def row(first: str, *texts: str) -> str:  # right-aligned, never run together (1.367e−109 is 10 wide)
            return (
                first.rjust(6)
                + "".join(" " * pad + text for pad, text in zip(fmt.column_pads(texts, (10,) * len(texts), 6), texts))
                + "\n"
            )

        out = Text(no_wrap=True, end="")
        out.append(t("ui_act_table", lang) + "\n", "bold")
        out.append("z".rjust(6) + "f(z)".rjust(10) + "f'(z)".rjust(10) + "\n", "bold")
        for z, fz, dz in table_rows(name):
            out.append(row(fmt.integer(z), n(fz), n(dz) + ("*" if z == 0.0 and name in activations.KINKS else "")))
        if name in activations.KINKS:  # the convention at the kink, where it is used
            out.append(f"* {t(f'ui_act_kink_{name}', lang)}\n", "italic")
        out.append("\n" + t("ui_act_units", lang) + "\n", "bold")
        units = layer_units(s, layer)
        if not units:
            out.append(t("ui_act_no_z", lang) + "\n")
        peak = float(np.max(act.d(np.linspace(-RANGE, RANGE, POINTS))))
        for label, z, a in units:
            d = float(act.d(np.float64(z)))
            out.append(f"{label} = {n(z)}\n", "bold")
            out.append(row("", n(a), n(d)))
            if z == 0.0 and name in activations.KINKS:
                out.append(f"  {t(f'ui_act_at_kink_{name}', lang)}\n", "italic")
            elif d == 0.0:
                out.append(f"  {t('ui_act_dead', lang)}\n", "italic")
            elif d < SATURATED * peak:
                out.append(f"  {t('ui_act_saturated', lang)}\n", "italic")
        self.update(out)


class ActivationScreen(ViewScreen):
    # the App's keys that work here are the key table's for it (Key.over): it redraws from the App's Snapshot
    OVERLAY = "activation_view"
    SHOWS_NOTICE = True  # in its key line
    BINDINGS = [
        Binding("escape,v,q", "close", show=False),
        Binding("o", "toggle_layer", show=False),
    ]
    layer: reactive[str] = reactive("hidden")

    def __init__(self, comma: bool = False) -> None:
        super().__init__()
        self.comma = comma

    def compose(self) -> ComposeResult:
        yield Static(id="act-title")
        with Horizontal(id="act-main"):
            yield ActivationPlot(id="act-plot")
            yield ActivationTable(id="act-table")
        yield StatusLine(comma=self.comma, id="act-status")
        yield Static(id="act-keys")

    def watch_layer(self) -> None:
        self._redraw()

    def _redraw(self, *_) -> None:
        if not self.is_mounted:
            return
        s, lang = view_host(self).snapshot, view_host(self).lang
        name = activation_name(s, self.layer)
        act = activations.get(name)
        r = x_range(layer_units(s, self.layer))
        layer_key = "ui_act_layer_hidden" if self.layer == "hidden" else "ui_act_layer_output"
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        title.append(t("ui_act_title", lang, r=int(r)) + "\n", "bold")
        title.append(t(layer_key, lang, name=act_name(name, lang)), "bold")
        title.append("   " + t("ui_act_f", lang, formula=act.formula))
        title.append("   " + t("ui_act_fprime", lang, formula=act.derivative))
        self.query_one("#act-title", Static).update(title)
        self.query_one(ActivationPlot).show(s, self.layer, lang, self.comma)
        self.query_one(ActivationTable).show(s, self.layer, lang, self.comma)
        status = self.query_one(StatusLine)
        status.lang, status.snapshot = lang, s
        notice = view_host(self).notice_text
        keys = Text(notice or t("ui_act_keys", lang), "bold" if notice else "", no_wrap=True, overflow="ellipsis")
        self.query_one("#act-keys", Static).update(keys)

    def action_toggle_layer(self) -> None:
        self.layer = "output" if self.layer == "hidden" else "hidden"

    def action_close(self) -> None:
        self.close()


__all__ = ["ActivationScreen", "ActivationPlot", "ActivationTable", "table_rows", "layer_units", "x_range"]
