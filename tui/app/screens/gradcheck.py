"""The `g` screen: backprop's gradient of the current sample against finite differences (exercise 2d).

Central and forward differences side by side, each with its relative error, at a step size h that
+ and − move along 10⁻¹ … 10⁻¹⁰: the forward error shrinks like h and the central one like h²
until rounding takes over at tiny h. The rows are computed by engine.gradcheck; this screen only
lays them out, and recomputes when h or the App's Snapshot changes.
"""
from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from engine import gradcheck
from engine.stepper import Snapshot
from tui.text import fmt
from tui.text.keys import keys_of
from tui.text.i18n import t
from tui.app.screens.base import TopScreen


H_LADDER = tuple(10.0 ** -k for k in range(1, 11))  # the step sizes + and − walk: 10⁻¹ … 10⁻¹⁰
SYMBOL, COLUMNS = 10, (10, 12, 12, 13, 12)  # the parameter, then analytic, central, rel., forward, rel.
OK_REL_ERROR = 1e-6  # central differences at h = 10⁻⁵ agree with backprop far better than this


def h_text(h: float) -> str:
    """10⁻⁵ for a power of ten, else the number."""
    k = round(math.log10(h))
    return "10" + fmt.sup(k) if math.isclose(h, 10.0 ** k) else fmt.num(h)


def gradcheck_text(s: Snapshot, h: float, lang: str, comma: bool) -> Text:
    """Backprop's ∂L/∂θ for every parameter against central and forward differences at step h."""
    central = gradcheck.check_snapshot(s, h, "central")
    forward = gradcheck.check_snapshot(s, h, "forward")

    def n(v: float) -> str:
        return fmt.num(v, comma)

    out = Text(end="")
    out.append(t("ui_gc_title_h", lang, epoch=s.epoch + 1, i=s.sample + 1, h=h_text(h)) + "\n", "bold")
    out.append(t("ui_gc_methods", lang) + "\n\n", "dim")
    rel = t("ui_gc_rel", lang)
    heads = (t("ui_gc_analytic", lang), t("ui_gc_central", lang), rel, t("ui_gc_forward", lang), rel)
    # right-aligned columns; a number wider than its column (−1.000e+300) pushes the row right, never touching
    widths = tuple(max(w, len(head) + 1) for w, head in zip(COLUMNS, heads))

    def row(name: str, texts) -> str:
        pads = fmt.column_pads(texts, widths, start=SYMBOL)
        return name.ljust(SYMBOL) + "".join(" " * pad + text for pad, text in zip(pads, texts)) + "\n"

    out.append(row(t("ui_gc_param", lang), heads), "bold")
    for c, f in zip(central, forward):
        out.append(row(fmt.param(c.key), [n(c.analytic), n(c.numeric), n(c.rel_error), n(f.numeric), n(f.rel_error)]))
    worst_c, worst_f = gradcheck.max_rel_error(central), gradcheck.max_rel_error(forward)
    out.append("\n" + t("ui_gc_worst", lang, central=n(worst_c), forward=n(worst_f)) + "\n")
    ok = worst_c < OK_REL_ERROR  # False for NaN: a row that cannot be checked never reads as agreeing
    if not gradcheck.checkable(central):
        out.append(t("ui_gc_cannot", lang), "bold reverse")
    elif ok or math.isclose(h, gradcheck.DEFAULT_H):
        out.append(t("ui_gc_ok" if ok else "ui_gc_bad", lang, value=n(worst_c)), "bold" if ok else "bold reverse")
    else:
        out.append(t("ui_gc_h_note", lang, h=h_text(h)), "bold")
    out.append("\n" + t("ui_gc_keys", lang), "dim")
    return out


class GradCheckBody(Static):
    pass


class GradCheckScreen(TopScreen, ModalScreen):
    APP_ACTIONS = frozenset({"export"})  # x exports what the App shows; play may go on underneath

    BINDINGS = [Binding("escape", "close", show=False), Binding("g", "close", show=False),
                Binding("q", "close", show=False), Binding("plus,equals_sign", "h_up", show=False),
                Binding("minus,underscore", "h_down", show=False),
                Binding(keys_of("export"), "app.export", show=False)]  # a modal screen stops the App's own x

    def __init__(self, snapshot: Snapshot, lang: str = "en", comma: bool = False,
                 h: float = gradcheck.DEFAULT_H) -> None:
        super().__init__()
        self.snapshot, self.lang, self.comma, self.h = snapshot, lang, comma, h
        self.text = gradcheck_text(snapshot, h, lang, comma)

    def compose(self) -> ComposeResult:
        yield GradCheckBody(self.text, id="gradcheck-body")

    def on_mount(self) -> None:  # play may go on underneath: follow the App's Snapshot
        self.watch(self.app, "snapshot", self._follow, init=False)

    def _follow(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._redraw()

    def _redraw(self) -> None:
        self.text = gradcheck_text(self.snapshot, self.h, self.lang, self.comma)
        self.query_one(GradCheckBody).update(self.text)

    def _step_h(self, direction: int) -> None:
        k = min(range(len(H_LADDER)), key=lambda i: abs(math.log10(H_LADDER[i] / self.h)))
        k = min(max(k - direction, 0), len(H_LADDER) - 1)
        if H_LADDER[k] != self.h:
            self.h = H_LADDER[k]
            self._redraw()

    def action_h_up(self) -> None:
        self._step_h(+1)

    def action_h_down(self) -> None:
        self._step_h(-1)

    def action_close(self) -> None:
        self.close()
