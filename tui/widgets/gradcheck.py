"""The `g` screen: backprop's gradient of the current sample against central finite differences.

The rows are computed by engine.gradcheck in the App's action; this screen only lays them out.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.gradcheck import GradRow
from tui import fmt
from tui.i18n import t


def row_symbol(key: tuple) -> str:
    name = key[0]
    if name == "W1":
        return fmt.weight(key[1], key[2], 1)
    if name == "W2":
        return fmt.weight(key[1], key[2], 2)
    if name == "b1":
        return fmt.bias(key[1], 1)
    return fmt.sym("b", None, 2)


def gradcheck_text(rows: list[GradRow], h: float, worst: float, lang: str, comma: bool) -> Text:
    out = Text(end="")
    out.append(t("ui_gc_title", lang, h=fmt.num(h, comma)) + "\n\n", "bold")
    out.append(f"{t('ui_gc_param', lang):<10}{t('ui_gc_analytic', lang):>13}{t('ui_gc_numeric', lang):>14}"
               f"{t('ui_gc_rel', lang):>12}\n", "bold")
    for r in rows:
        out.append(f"{row_symbol(r.key):<10}{fmt.num(r.analytic, comma):>13}{fmt.num(r.numeric, comma):>14}"
                   f"{fmt.num(r.rel_error, comma):>12}\n")
    ok = worst < 1e-6
    out.append("\n")
    out.append(t("ui_gc_ok" if ok else "ui_gc_bad", lang, value=fmt.num(worst, comma)), "bold" if ok else "bold reverse")
    out.append("\n" + t("ui_gc_close", lang), "dim")
    return out


class GradCheckBody(Static):
    pass


class GradCheckScreen(ModalScreen):
    BINDINGS = [Binding("escape", "close", show=False), Binding("g", "close", show=False),
                Binding("q", "close", show=False)]

    def __init__(self, text: Text) -> None:
        super().__init__(id="gradcheck")
        self.text = text

    def compose(self) -> ComposeResult:
        yield GradCheckBody(self.text, id="gradcheck-body")

    def action_close(self) -> None:
        self.dismiss()
