"""The Parameters panel: W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾ with ∂L/∂θ once computed and Δ = −η∂L/∂θ after U.
In batch mode ∂L/∂θ is the sample's own until U, and at U the batch's mean, the one the update used.

Δ is the Snapshot's update.change, computed by the engine at the update; nothing here is arithmetic.
"""

from __future__ import annotations

from rich.text import Text

from engine.stepper import Phase, Snapshot
from tui.app.widgets.base import RowsPanel
from tui.text import fmt

VAL, GRAD, DELTA = 9, 11, 11


def parameter_rows():
    """(symbol, array name, index, layer) in the notes' order: w₁₁⁽¹⁾ w₁₂⁽¹⁾ w₂₁⁽¹⁾ w₂₂⁽¹⁾ b₁⁽¹⁾ b₂⁽¹⁾ …"""
    for i in (1, 2):
        for j in (1, 2):
            yield fmt.weight(i, j, 1), "W1", (i - 1, j - 1), 1
    for j in (1, 2):
        yield fmt.bias(j, 1), "b1", (j - 1,), 1
    for i in (1, 2):
        yield fmt.weight(i, 1, 2), "W2", (i - 1, 0), 2
    yield fmt.sym("b", None, 2), "b2", (0,), 2


class ParametersPanel(RowsPanel):
    COMPONENT_CLASSES = {"parameters--header", "parameters--label", "parameters--new", "parameters--changed"}

    def rows(self, s: Snapshot) -> list[Text]:
        head = self.style("parameters--header")
        label = self.style("parameters--label")
        new = self.style("parameters--new")
        changed = self.style("parameters--changed")
        header = Text(no_wrap=True, overflow="crop", end="")
        header.append(
            "θ".ljust(6) + self.t("ui_par_value").rjust(VAL) + "∂L/∂θ".rjust(GRAD) + "Δ=−η∂L/∂θ".rjust(DELTA + 1), head
        )
        rows = [header]
        just_updated = s.phase is Phase.U and s.action == "update"
        for name, arr, index, layer in parameter_rows():
            row = Text(no_wrap=True, overflow="crop", end="")
            row.append(name.ljust(6), label)
            deltas = s.backward2 if layer == 2 else s.backward1
            g = None if deltas is None else getattr(deltas, "d" + arr)
            if s.phase is Phase.U and s.update is not None and s.update.grads is not None:
                g = getattr(s.update.grads, "d" + arr)  # batch mode: the mean ∂L/∂θ the update used
            fresh = (
                g is not None
                and s.action == "backward"
                and ((layer == 2 and s.phase is Phase.B2) or (layer == 1 and s.phase is Phase.B1))
            )
            value = float(getattr(s.params, arr)[index])
            grad = None if g is None else float(g[index])
            cells = [
                (self.num(value), changed if just_updated else None),
                ("" if grad is None else self.num(grad), new if fresh else None),
            ]
            numbers = [value, grad]
            if s.update is not None:
                delta = float(getattr(s.update.change, "d" + arr)[index])
                cells.append((self.signed(delta), changed if just_updated else None))
                numbers.append(delta)
            # the symbol is 6 wide (w₁₁⁽¹⁾): every value after at least one space, the padding unstyled
            # a number too wide for the row loses digits (1.0e+300), rounded from its value, never its last characters
            texts, pads = fmt.fit_row(
                [text for text, _ in cells], (VAL, GRAD, DELTA + 1), 6, self.size.width or None, values=numbers
            )
            for text, (_, style), pad in zip(texts, cells, pads):
                row.append(" " * pad)
                row.append(text, style)
            rows.append(row)
        return rows
