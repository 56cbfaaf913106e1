"""The Explain panel: the formula of the micro-step just done, numbers substituted, and its result.

    z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825

Every number comes from the Snapshot (the engine computed it); this module only writes them down in
the notes' notation. For the notes' own example it also says where the notes print a value
differently (DESIGN §2: rounding slips in a⁽¹⁾, z⁽²⁾ and a⁽¹⁾(1 − a⁽¹⁾)).
When the panel is short, remarks and the hint give way before the formulas.
"""
from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive

from engine import presets
from engine.stepper import Phase, Snapshot
from tui.text import fmt, keys
from tui.app.internals.cells import one_cell_each
from tui.app.widgets.base import RowsPanel
from tui.text.phases import PHASES

# What the notes print for the worked example where it differs from the exact value (DESIGN §2).
NOTES_PRINT = {
    "a1": (0.5946, 0.5969),
    "z2": 1.1059,
    "a1(1-a1)": (0.2410, 0.2405),
}
F_NAME = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "linear": ""}


def next_key(s: Snapshot) -> tuple[str, str]:
    """The key that does the next micro-step, as shown, and the i18n key of its name (the key table's)."""
    key = keys.next_key(s.phase)
    return key.shown, key.bar


def is_notes_example(s: Snapshot) -> bool:
    """The first sample of the notes' worked example, from its own starting point."""
    if s.name != "lecture" or s.epoch != 0 or s.sample != 0 or s.hidden != "sigmoid" or s.output != "sigmoid":
        return False
    lecture = presets.lecture()
    return (s.params_start == lecture.params and np.array_equal(s.X, lecture.X)
            and np.array_equal(s.Y, lecture.Y))


class ExplainPanel(RowsPanel):
    COMPONENT_CLASSES = {"explain--title", "explain--result", "explain--remark", "explain--hint", "explain--note",
                         "explain--notice"}
    notice: reactive[str] = reactive("", repaint=False)  # why the last key did nothing, or what play did

    def _watch_notice(self) -> None:
        self.content_changed()

    # --- pieces ---------------------------------------------------------------------------
    def _term(self, value: float) -> str:
        """A number substituted into a formula; negatives in parentheses so signs stay readable."""
        text = self.short(value)
        return f"({text})" if text.startswith(fmt.MINUS) else text

    def _line(self, *parts: str, result: float | None = None, remark: str | None = None) -> Text:
        text = Text(" = ".join(p for p in parts if p))
        if result is not None:
            text.append(" = ")
            text.append(self.num(result), self.style("explain--result"))
        if remark:
            text.append("  ")
            text.append(remark, self.style("explain--remark"))
        return text

    def _notes(self, value) -> str:
        return "← " + self.t("ui_ex_notes", value=self.num(value))

    def _f(self, name: str, z: float) -> str:
        f = F_NAME[name]
        return f"{f}({self.num(z)})" if f else ""

    def _fprime(self, name: str, a: str, z: str) -> str:
        """f'(z) the way the notes write it for the sigmoid, a(1 − a)."""
        return {"sigmoid": f"{a}(1 − {a})", "tanh": f"(1 − {a}²)", "relu": f"[{z} > 0]", "linear": "1"}[name]

    # --- one block per phase --------------------------------------------------------------
    def _f1(self, s: Snapshot, notes: bool) -> list[tuple[Text, int]]:
        p, x = s.params, s.x
        h = s.forward1
        out = []
        for j in (1, 2):
            lhs = fmt.sym("z", j, 1)
            symbolic = f"{fmt.weight(1, j, 1)}x{fmt.sub(1)} + {fmt.weight(2, j, 1)}x{fmt.sub(2)} + {fmt.bias(j, 1)}"
            numbers = (f"{self._term(p.W1[0][j - 1])}·{self._term(x[0])} + {self._term(p.W1[1][j - 1])}·"
                       f"{self._term(x[1])} + {self._term(p.b1[j - 1])}")
            out.append((self._line(lhs, symbolic, numbers, result=h.z1[j - 1]), 0))
        for j in (1, 2):
            remark = self._notes(NOTES_PRINT["a1"][j - 1]) if notes else None
            out.append((self._line(fmt.sym("a", j, 1), f"f({fmt.sym('z', j, 1)})", self._f(s.hidden, h.z1[j - 1]),
                                   result=h.a1[j - 1], remark=remark), 0))
        return out

    def _f2(self, s: Snapshot, notes: bool) -> list[tuple[Text, int]]:
        p = s.params
        h, o = s.forward1, s.forward2
        symbolic = (f"{fmt.weight(1, 1, 2)}{fmt.sym('a', 1, 1)} + {fmt.weight(2, 1, 2)}{fmt.sym('a', 2, 1)}"
                    f" + {fmt.sym('b', None, 2)}")
        numbers = (f"{self._term(p.W2[0][0])}·{self._term(h.a1[0])} + {self._term(p.W2[1][0])}·"
                   f"{self._term(h.a1[1])} + {self._term(p.b2[0])}")
        remark = self._notes(NOTES_PRINT["z2"]) if notes else None
        return [
            (self._line(fmt.sym("z", 1, 2), symbolic, numbers, result=o.z2[0], remark=remark), 0),
            (self._line(f"ŷ = {fmt.sym('a', 1, 2)}", f"f({fmt.sym('z', 1, 2)})", self._f(s.output, o.z2[0]),
                        result=o.yhat[0]), 0),
            (self._line("Lᵢ", "½(ŷ − y)²", f"½({self._term(o.yhat[0])} − {self._term(s.y)})²", result=o.loss), 0),
        ]

    def _b2(self, s: Snapshot, notes: bool) -> list[tuple[Text, int]]:
        d2 = fmt.sym("δ", None, 2)
        h, o, b2 = s.forward1, s.forward2, s.backward2
        out = [(self._line(d2, f"(ŷ − y)·f'({fmt.sym('z', 1, 2)})", f"(ŷ − y)·{self._fprime(s.output, 'ŷ', 'z')}",
                           f"({self._term(o.yhat[0])} − {self._term(s.y)})·{self._term(b2.fprime2[0])}",
                           result=b2.delta2[0]), 0)]
        for i in (1, 2):
            out.append((self._line(f"∂L/∂{fmt.weight(i, 1, 2)}", f"{fmt.sym('a', i, 1)}{d2}",
                                   f"{self._term(h.a1[i - 1])}·{self._term(b2.delta2[0])}",
                                   result=b2.dW2[i - 1][0]), 0))
        out.append((self._line(f"∂L/∂{fmt.sym('b', None, 2)}", d2, result=b2.db2[0]), 0))
        return out

    def _b1(self, s: Snapshot, notes: bool) -> list[tuple[Text, int]]:
        p = s.params
        d2 = fmt.sym("δ", None, 2)
        o, b2, b1 = s.forward2, s.backward2, s.backward1
        # §2.6: the output's local error travels back along w_j1⁽²⁾ (the notes' δ_a = w·δ_ŷ)
        local = Text(self.t("ui_ex_local_error") + ": ", self.style("explain--note"))
        local.append_text(self._line(f"W⁽²⁾{d2}",
                                     f"({self._term(p.W2[0][0])}·{self._term(b2.delta2[0])}{self.sep}"
                                     f"{self._term(p.W2[1][0])}·{self._term(b2.delta2[0])})",
                                     f"({self.num(b1.da1[0])}{self.sep}{self.num(b1.da1[1])})"))
        out = [(local, 0)]
        for j in (1, 2):
            a = fmt.sym("a", j, 1)
            fp = self._fprime(s.hidden, a, fmt.sym("z", j, 1))
            remark = self._notes(NOTES_PRINT["a1(1-a1)"][j - 1]) if notes else None
            out.append((self._line(fmt.sym("δ", j, 1), f"{fmt.weight(j, 1, 2)}{d2}·{fp}",
                                   f"{self._term(b1.da1[j - 1])}·{self._term(b1.fprime1[j - 1])}",
                                   result=b1.delta1[j - 1], remark=remark), 0))
        # §2.6's chain for w₂₁⁽¹⁾ (x₂ → h₁), the parameter the notes work through
        a1 = fmt.sym("a", 1, 1)
        chain = Text(self.t("ui_ex_chain") + " ", self.style("explain--note"))
        chain.append_text(self._line(
            f"∂L/∂{fmt.weight(2, 1, 1)}",
            f"x{fmt.sub(2)} × {self._fprime(s.hidden, a1, fmt.sym('z', 1, 1))} × {fmt.weight(1, 1, 2)} × "
            f"{self._fprime(s.output, 'ŷ', 'z')} × (ŷ − y)",
            f"{self._term(s.x[1])} × {self._term(b1.fprime1[0])} × {self._term(p.W2[0][0])} × "
            f"{self._term(b2.fprime2[0])} × ({self._term(o.yhat[0])} − {self._term(s.y)})",
            result=b1.dW1[1][0]))
        out.append((chain, 0))
        lines = [f"∂L/∂{fmt.weight(i, j, 1)} = {self.num(b1.dW1[i - 1][j - 1])}" for i in (1, 2) for j in (1, 2)]
        out.append((Text("∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ:  " + "   ".join(lines)), 1))
        out.append((Text(self.t("ui_ex_layout"), self.style("explain--remark")), 1))
        return out

    def _u(self, s: Snapshot, notes: bool) -> list[tuple[Text, int]]:
        before, now, lr = s.params_start, s.params, self.short(s.lr)
        out = []
        for name, arr, index in ((fmt.weight(1, 1, 2), "W2", (0, 0)), (fmt.weight(2, 1, 2), "W2", (1, 0)),
                                 (fmt.sym("b", None, 2), "b2", (0,)), (fmt.weight(2, 1, 1), "W1", (1, 0))):
            grad = getattr(s.grads, "d" + arr)[index]
            out.append((self._line(f"{name} ← {name} − η ∂L/∂{name}",
                                   f"{self._term(getattr(before, arr)[index])} − {lr}·{self._term(grad)}",
                                   result=getattr(now, arr)[index]), 0))
        out.append((Text(self.t("ui_ex_rest"), self.style("explain--note")), 1))
        if s.sample == s.m - 1 and len(s.losses) > s.epoch + 1:
            out.append((Text(self.t("ui_ex_epoch_end", epoch=s.epoch + 1, loss=self.num(s.losses[s.epoch + 1])),
                             self.style("explain--result")), 0))
        return out

    def _ready(self, s: Snapshot) -> list[tuple[Text, int]]:
        out = [(Text(self.t("ui_ex_ready", x1=self.short(s.x[0]), x2=self.short(s.x[1]), y=self.short(s.y),
                                  sep=self.sep)), 0)]
        # what the five micro-steps of this sample will compute (§2.9), when there is room
        for phase, _, formula in PHASES[1:]:
            name = self.t(f"ui_phase_{phase}")
            line = Text(f"  {name}: ", self.style("explain--note"))
            line.append(formula)
            out.append((line, 1))
        return out

    # --- the panel ------------------------------------------------------------------------
    def content(self, s: Snapshot) -> list[tuple[Text, int]]:
        """(line, priority): 0 must show, 1 remark, 2 hint."""
        notes = is_notes_example(s)
        title_style = self.style("explain--title")
        titles = {Phase.F1: "ui_ex_F1_title", Phase.F2: "ui_ex_F2_title", Phase.B2: "ui_ex_B2_title",
                  Phase.B1: "ui_ex_B1_title", Phase.U: "ui_ex_U_title"}
        lines: list[tuple[Text, int]] = []
        if self.notice:
            lines.append((Text(self.notice, self.style("explain--notice")), 0))
        if s.action == "train":
            lines.append((Text(self.t("ui_ex_train_title"), title_style), 0))
            lines.append((Text(self.t("ui_ex_train", epoch=s.epoch, loss=self.num(s.loss_now))), 0))
        else:
            setting = {
                "reset": lambda: self.t("ui_ex_reset"),
                "activation": lambda: self.t("ui_ex_activation", hidden=s.hidden, output=s.output),
                "learning_rate": lambda: self.t("ui_ex_lr", lr=self.short(s.lr)),
                "load": lambda: self.t("ui_ex_load", name=s.name),
            }.get(s.action)
            if setting:
                lines.append((Text(setting(), self.style("explain--note")), 0))
            if s.phase is Phase.READY:
                lines.append((Text(self.t("ui_ex_ready_title", i=s.sample + 1, m=s.m), title_style), 0))
                lines.extend(self._ready(s))
            else:
                lines.append((Text(self.t(titles[s.phase]), title_style), 0))
                block = {Phase.F1: self._f1, Phase.F2: self._f2, Phase.B2: self._b2, Phase.B1: self._b1,
                         Phase.U: self._u}[s.phase]
                lines.extend(block(s, notes))
        if s.diverged_at is not None:
            lines.append((Text(self.t("ui_ex_diverged", epoch=s.diverged_at), self.style("explain--remark")), 0))
            lines.append((Text(self.t("ui_next_diverged"), self.style("explain--hint")), 2))
        else:
            key, action = next_key(s)
            lines.append((Text(self.t("ui_next", k=key, action=self.t(action)), self.style("explain--hint")), 2))
        return lines

    def rows(self, s: Snapshot) -> list[Text]:
        width, height = max(self.size.width, 10), max(self.size.height, 1)
        console = self.app.console
        blocks = []
        for text, priority in self.content(s):
            plain = text.plain
            if "\n" not in plain and (len(plain) if one_cell_each(plain) else cell_len(plain)) <= width:
                # fits: no word wrapping to do
                blocks.append(([text], priority))
                continue
            wrapped = text.wrap(console, width, overflow="fold")
            blocks.append((list(wrapped), priority))
        # drop the least important lines until everything left fits
        for cut in (3, 2, 1):
            kept = [b for b in blocks if b[1] < cut]
            if sum(len(lines) for lines, _ in kept) <= height:
                blocks = kept
                break
        else:
            blocks = [b for b in blocks if b[1] == 0]
        # one Text per row, a line's own style as its first span (as joining the rows would make it)
        return [Text(end="").append_text(line) for lines, _ in blocks for line in lines] or [Text("", end="")]


__all__ = ["ExplainPanel", "is_notes_example", "next_key"]
