"""The Values panel: z, a, f'(z) and δ of every unit, blank until computed in this sample.

Units are columns (h₁, h₂, ŷ) and quantities rows, so the panel is narrow enough to sit beside
the Parameters at 80 columns. A cell the last micro-step computed is emphasised.
"""

from __future__ import annotations

from rich.text import Text

from engine.stepper import Phase, Snapshot
from tui.app.widgets.base import RowsPanel
from tui.text import fmt

COL = 10  # one number such as −1.234e−05; a wider one (−1.000e+300) pushes the row right or loses digits
# each row's value per layer, (Snapshot record, field): (hidden, output), and the micro-steps that compute them
ROWS = (
    ("z", (("forward1", "z1"), ("forward2", "z2")), (Phase.F1, Phase.F2)),
    ("a", (("forward1", "a1"), ("forward2", "yhat")), (Phase.F1, Phase.F2)),
    ("f'(z)", (("backward1", "fprime1"), ("backward2", "fprime2")), (Phase.B1, Phase.B2)),
    ("δ", (("backward1", "delta1"), ("backward2", "delta2")), (Phase.B1, Phase.B2)),
)


def _value(s: Snapshot, record: str, name: str):
    """A field of one of the Snapshot's records, None while its phase has not computed it."""
    computed = getattr(s, record)
    return None if computed is None else getattr(computed, name)


class ValuesPanel(RowsPanel):
    COMPONENT_CLASSES = {"values--header", "values--label", "values--new", "values--legend"}

    def rows(self, s: Snapshot) -> list[Text]:
        roomy = self.size.height >= 9  # room for §2.6's w·δ row and a legend
        label_w = 7
        head = self.style("values--header")
        header = Text(no_wrap=True, overflow="crop", end="")
        header.append(" " * label_w, head)
        for name in (f"h{fmt.sub(1)}", f"h{fmt.sub(2)}", "ŷ"):
            header.append(name.rjust(COL), head)
        rows = [header]
        new = self.style("values--new")
        label = self.style("values--label")
        for row_name, (hid, outp), (ph_h, ph_o) in ROWS:
            row = Text(no_wrap=True, overflow="crop", end="")
            row.append(row_name.ljust(label_w), label)
            hv, ov = _value(s, *hid), _value(s, *outp)
            cells = [
                (None if hv is None else hv[0], ph_h),
                (None if hv is None else hv[1], ph_h),
                (None if ov is None else ov[0], ph_o),
            ]
            texts = ["" if value is None else self.num(float(value)) for value, _ in cells]
            texts, pads = fmt.fit_row(
                texts, (COL, COL, COL), label_w, self.size.width or None, values=[value for value, _ in cells]
            )
            for (value, phase), text, pad in zip(cells, texts, pads):
                fresh = value is not None and s.phase is phase and s.action in ("forward", "backward")
                row.append(" " * pad)
                row.append(text, new if fresh else None)
            rows.append(row)
        if roomy:
            # ∂L/∂a⁽¹⁾ = W⁽²⁾δ⁽²⁾, which §2.6 calls the hidden units' local error too
            row = Text(no_wrap=True, overflow="crop", end="")
            row.append("∂L/∂a".ljust(label_w), label)  # the name Explain gives it: ∂L/∂a₁⁽¹⁾ (the symbol table's)
            b1 = s.backward1
            da1 = [None if b1 is None else float(b1.da1[j]) for j in (0, 1)]
            texts = ["" if value is None else self.num(value) for value in da1]
            fresh = b1 is not None and s.phase is Phase.B1 and s.action == "backward"
            for text, pad in zip(*fmt.fit_row(texts, (COL, COL), label_w, self.size.width or None, values=da1)):
                row.append(" " * pad)
                row.append(text, new if fresh else None)
            rows.append(row)
            rows.append(Text("", end=""))
            legend = self.style("values--legend")
            rows.extend(Text(end="").append(line, legend) for line in self.t("ui_val_legend_long").split("\n"))
            rows[-1].rstrip()
        return rows
