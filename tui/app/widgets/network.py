"""The Network panel: the 2–2–1 network of the notes drawn with every weight on its edge.

    x₁ ─┬─ w₁₁⁽¹⁾ ─┐
        │┌ w₂₁⁽¹⁾ ─┴▶ h₁ ─ w₁₁⁽²⁾ ─┐
        └┼ w₁₂⁽¹⁾ ─┐              ├▶ ŷ
    x₂ ──┴ w₂₂⁽¹⁾ ─┴▶ h₂ ─ w₂₁⁽²⁾ ─┘

Edges are grouped by the unit they feed, so each weight gets a straight run of its own for its
label and the one crossing (x₁ → h₂ over x₂ → h₁) is a single ┼. The sign of a weight is written
(+0.2500 / −0.2500) and drawn (solid ─ / dashed ╌) as well as coloured, so it survives 16 colours,
NO_COLOR and colour blindness; brightness follows |w|. The layer of the last micro-step is drawn
heavy (━); in the backward pass the arrowheads turn round (◀) to show δ flowing right to left.

Two geometries: compact (4 rows, fits 78 columns: nodes show a and z) and wide (boxes with
b, z, a and δ for each unit, plus a legend).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.style import Style
from rich.text import Span, Text

from engine.stepper import Phase, Snapshot
from tui.app.widgets.base import RowsPanel
from tui.text import fmt

WIDE_MIN = (88, 13)  # the wide drawing needs this many columns and rows

# Which layer the last micro-step touched, and where δ has flowed back to.
HIGHLIGHT = {Phase.F1: {1}, Phase.F2: {2}, Phase.B2: {2}, Phase.B1: {1}, Phase.U: {1, 2}}
BACKWARD = {Phase.B2: {2}, Phase.B1: {1, 2}}
NODE_HIGHLIGHT = {Phase.F1: {"h"}, Phase.F2: {"y"}, Phase.B2: {"y"}, Phase.B1: {"h"}}

LINES = {  # (positive, negative) × (light, heavy)
    False: ("─", "╌"),
    True: ("━", "╍"),
}


class Canvas:
    """A grid of characters with a style each; later writes win."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.chars: list[list[str]] = [[" "] * width for _ in range(height)]
        self.styles: list[list[Style | None]] = [[None] * width for _ in range(height)]

    def put(self, row: int, col: int, text: str, style: Style | None = None) -> None:
        if not 0 <= row < self.height:
            return
        start, end = max(col, 0), min(col + len(text), self.width)
        if start < end:
            self.chars[row][start:end] = text[start - col : end - col]
            self.styles[row][start:end] = [style] * (end - start)

    def hline(self, row: int, start: int, end: int, ch: str, style: Style | None) -> None:
        self.put(row, start, ch * max(0, end - start + 1), style)

    def rows(self, pad: int = 0) -> list[Text]:
        """One Text per row, trailing blanks dropped, shifted right by `pad` blank columns; each run
        of cells in one style is one span (the styles of one drawing are shared objects)."""
        out = []
        lead = " " * pad
        for chars, styles in zip(self.chars, self.styles):
            plain = "".join(chars).rstrip(" ")
            last = len(plain)
            cuts = [0, *(x for x in range(1, last) if styles[x] is not styles[x - 1]), last]
            spans = [
                Span(pad + a, pad + b, style)
                for a, b in zip(cuts, cuts[1:])
                if b > a and (style := styles[a]) is not None
            ]
            out.append(Text(lead + plain, spans=spans, no_wrap=True, overflow="crop", end=""))
        return out


@dataclass
class Node:
    """A unit drawn as lines of text; `anchor` is the line its arrows meet."""

    key: str  # "h1", "h2", "y"
    lines: list[str]
    anchor: int
    boxed: bool

    @property
    def width(self) -> int:
        return max(len(line) for line in self.lines) + (4 if self.boxed else 0)

    @property
    def height(self) -> int:
        return len(self.lines) + (2 if self.boxed else 0)

    @property
    def anchor_offset(self) -> int:
        return self.anchor + (1 if self.boxed else 0)


class NetworkPanel(RowsPanel):
    COMPONENT_CLASSES = {
        "network--pos",
        "network--neg",
        "network--strong",
        "network--weak",
        "network--hl",
        "network--node",
        "network--node-hl",
        "network--value",
        "network--wire",
        "network--legend",
    }

    def rows(self, s: Snapshot) -> list[Text]:
        width, height = self.size
        wide = width >= WIDE_MIN[0] and height >= WIDE_MIN[1]
        canvas, used = self.draw(s, width, height, wide)
        full = True
        if used > width and not wide:  # big numbers: leave z to the Values panel rather than crop ŷ
            full = False
            canvas, used = self.draw(s, width, height, wide, full=full)
        # still too wide (1.000e+300 on every edge): fewer digits rather than cut numbers; first the
        # scientific ones, then the fixed ones from 1 on (650.2297 → 650.23 → 650.2), each rounded from its value
        for digits, decimals in ((1, None), (0, None), (0, 2), (0, 1)):
            if used <= width:
                break
            self._digits, self._decimals = digits, decimals
            try:
                canvas, used = self.draw(s, width, height, wide, full=full)
            finally:
                self._digits = self._decimals = None
        rows = canvas.rows(pad=(width - used) // 2 if used < width else 0)  # centred in a roomy panel
        if used > width:  # nothing left to shorten: a cut row ends in … , never a number cut short unseen
            for row in rows:
                row.overflow = "ellipsis"
        return rows

    _digits: int | None = None  # while drawing tight: numbers may be written with this many decimals (1.0e+300)
    _decimals: int | None = None  # … and fixed-point numbers from 1 on with this many (650.23)

    def _tight(self, text: str, value: float) -> str:
        """`text` (written from `value`), or while drawing tight the same number in fmt.sci's style with
        fewer digits when that is shorter: 1.0e+300, −3.6e−04 (a value with 4 decimals, 0.01 ≤ |v| < 1000,
        stays, but from 1 on it may lose decimals at the last stage: 650.23). Rounded from the value, not
        from the text: never a number rounded twice."""
        if self._digits is None:
            return text
        value = float(value)
        if not math.isfinite(value):  # NaN, ∞
            return text
        if "e" not in text and 0.01 <= abs(value) < 1000:  # 0.4999 stays: 5e−01 would hide it
            if self._decimals is None or abs(value) < 1:
                return text
            fewer = fmt.fixed(value, self._decimals, self.comma, plus=text.startswith("+"))
            return fewer if len(fewer) < len(text) else text
        tight = fmt.sci(value, self.comma, self._digits, plus=text.startswith("+"))
        return tight if len(tight) < len(text) else text

    def num(self, value: float) -> str:
        return self._tight(super().num(value), value)

    def signed(self, value: float) -> str:
        return self._tight(super().signed(value), value)

    # --- labels ---------------------------------------------------------------------------
    def _edge_label(self, i: int, j: int, l: int, w: float, wide: bool) -> str:
        return f"{fmt.weight(i, j, l)} {self.signed(w)}"

    def _val(self, v) -> str:
        return "" if v is None else self.num(float(v))

    def _units(self, s: Snapshot, wide: bool, full: bool = True) -> dict[str, Node]:
        p = s.params
        h, o, b2, b1 = s.forward1, s.forward2, s.backward2, s.backward1
        z1, a1 = (None, None) if h is None else (h.z1, h.a1)
        z2, yhat = (None, None) if o is None else (o.z2, o.yhat)
        d1, d2 = None if b1 is None else b1.delta1, None if b2 is None else b2.delta2

        def item(v, j):
            return None if v is None else v[j]

        nodes = {}
        for j in (1, 2):
            z, a, d = item(z1, j - 1), item(a1, j - 1), item(d1, j - 1)
            b = self.signed(p.b1[j - 1])
            if wide:
                lines = [
                    f"{fmt.bias(j, 1)} {b}",
                    f"{fmt.sym('z', j, 1)} {self._val(z)}",
                    f"{fmt.sym('a', j, 1)} {self._val(a)}",
                    f"{fmt.sym('δ', j, 1)} {self._val(d)}",
                ]
                nodes[f"h{j}"] = Node(f"h{j}", lines, 2, True)
            else:
                upper = f"b {b}" + (f" z {self._val(z)}" if z is not None and full else "")
                nodes[f"h{j}"] = Node(f"h{j}", [upper, f"h{fmt.sub(j)} a {self._val(a)}".rstrip()], 1, False)
        b2_text = self.signed(p.b2[0])
        z, yh, d = item(z2, 0), item(yhat, 0), item(d2, 0)
        y = self.num(s.y)
        if wide:
            labelled = (
                (fmt.bias(1, 2), b2_text),
                (fmt.sym("z", 1, 2), self._val(z)),
                ("ŷ", self._val(yh)),
                ("y", y),
                (fmt.sym("δ", None, 2), self._val(d)),
            )
            width = max(len(label) for label, _ in labelled)
            lines = [f"{label:<{width}} {value}" for label, value in labelled]
            nodes["y"] = Node("y", lines, 2, True)
        else:
            nodes["y"] = Node(
                "y", [f"b {b2_text}", f"z {self._val(z)}".rstrip(), f"ŷ {self._val(yh)}".rstrip(), f"y {y}"], 2, False
            )
        return nodes

    # --- drawing --------------------------------------------------------------------------
    def _edge_style(self, w: float, scale: float, highlighted: bool) -> Style:
        names = ["network--pos" if w >= 0 else "network--neg"]
        m = abs(w) / scale if scale > 0 else 0.0
        if m >= 2 / 3:
            names.append("network--strong")
        elif m < 1 / 3:
            names.append("network--weak")
        if highlighted:
            names.append("network--hl")
        return self.style(*names)

    def draw(self, s: Snapshot, width: int, height: int, wide: bool, full: bool = True) -> tuple[Canvas, int]:
        """The drawing and the number of columns it needs."""
        p = s.params
        hl = (
            HIGHLIGHT.get(s.phase, set())
            if s.action not in ("train", "reset", "reset_loaded", "start", "load")
            else set()
        )
        back = BACKWARD.get(s.phase, set())
        node_hl = NODE_HIGHLIGHT.get(s.phase, set()) if hl else set()
        nodes = self._units(s, wide, full)
        wire = self.style("network--wire")
        value_style = self.style("network--value")

        # rows: layer-1 edge runs grouped by the hidden unit they feed (DESIGN §1: w_ij joins i → j)
        if wide:  # boxes of 6 rows: h₁ in rows 0–5, h₂ in 6–11, ŷ centred between them
            e11, e21, e12, e22 = 2, 4, 8, 10
            hr1, hr2 = 3, 9
            yr = 6
        else:
            e11, e21, e12, e22 = 0, 1, 2, 3
            hr1, hr2 = 1, 3
            yr = 2
        rows_needed = max(e22 + 1, hr2 - nodes["h2"].anchor_offset + nodes["h2"].height)
        canvas = Canvas(max(width, 1), rows_needed + (1 if wide else 0))

        # inputs
        xs = [f"x{fmt.sub(1)} {self.num(s.x[0])}", f"x{fmt.sub(2)} {self.num(s.x[1])}"]
        in_w = max(len(v) for v in xs) + 1
        b1c, b2c = in_w, in_w + 2  # bus columns of x₁ and x₂
        for row, text in ((e11, xs[0]), (e22, xs[1])):
            canvas.put(row, 0, text, self.style("network--node"))

        # layer-1 labels and geometry
        w1 = {(i, j): float(p.W1[i - 1][j - 1]) for i in (1, 2) for j in (1, 2)}
        w2 = {(i, 1): float(p.W2[i - 1][0]) for i in (1, 2)}
        scale = max([abs(v) for v in (*w1.values(), *w2.values())] + [1e-300])
        labels1 = {k: self._edge_label(*k, 1, v, wide) for k, v in w1.items()}
        lab_w1 = max(len(v) for v in labels1.values())
        lab_c1 = b2c + 2
        j1 = lab_c1 + lab_w1 + 2  # join column in front of the hidden units
        node_c = j1 + 2

        heavy1 = 1 in hl
        line_rows = {(1, 1): e11, (2, 1): e21, (1, 2): e12, (2, 2): e22}
        for (i, j), row in line_rows.items():
            w = w1[(i, j)]
            st = self._edge_style(w, scale, heavy1)
            ch = LINES[heavy1][0 if w >= 0 else 1]
            start = (b1c if i == 1 else b2c) + 1
            canvas.hline(row, start, j1 - 1, ch, st)
            canvas.put(row, lab_c1 - 1, " " + labels1[(i, j)] + " ", st)
            if 1 in back:
                canvas.put(row, start, "◀", st)
        # buses: x₁ feeds rows e11 and e12, x₂ feeds e21 and e22; they cross once
        canvas.hline(e11, len(xs[0]) + 1, b1c - 1, "─", wire)
        canvas.hline(e22, len(xs[1]) + 1, b2c - 1, "─", wire)
        canvas.put(e22, b1c, "─", wire)
        for r in range(e11, e12 + 1):
            canvas.put(r, b1c, {e11: "┬", e12: "└"}.get(r, "│"), wire)
        for r in range(e21, e22 + 1):
            canvas.put(r, b2c, {e21: "┌", e22: "┴", e12: "┼"}.get(r, "│"), wire)
        # joins into h₁ and h₂
        for top, bot, arrow in ((e11, e21, hr1), (e12, e22, hr2)):
            for r in range(top, bot + 1):
                if r == top:
                    ch = "┐"
                elif r == bot:
                    ch = "┴" if r == arrow else "┘"
                else:
                    ch = "├" if r == arrow else "│"
                canvas.put(r, j1, ch, wire)
            canvas.put(arrow, j1 + 1, "─" if 1 in back else "▶", wire)

        # hidden units
        hid_w = max(nodes["h1"].width, nodes["h2"].width)
        for key, arrow in (("h1", hr1), ("h2", hr2)):
            self._draw_node(canvas, nodes[key], arrow, node_c, hid_w, key in node_hl or ("h" in node_hl), value_style)

        # layer 2
        heavy2 = 2 in hl
        labels2 = {k: self._edge_label(*k, 2, v, wide) for k, v in w2.items()}
        lab_w2 = max(len(v) for v in labels2.values())
        # layer-2 edges leave from the anchor rows, so unboxed units only need their anchor line clear
        anchor_w = hid_w if wide else max(len(nodes[k].lines[nodes[k].anchor]) for k in ("h1", "h2"))
        start2 = node_c + anchor_w + 1
        lab_c2 = start2 + 2
        j2 = lab_c2 + lab_w2 + 2
        for (i, _), row in (((1, 1), hr1), ((2, 1), hr2)):
            w = w2[(i, 1)]
            st = self._edge_style(w, scale, heavy2)
            ch = LINES[heavy2][0 if w >= 0 else 1]
            canvas.hline(row, start2, j2 - 1, ch, st)
            canvas.put(row, lab_c2 - 1, " " + labels2[(i, 1)] + " ", st)
            if 2 in back:
                canvas.put(row, start2, "◀", st)
        for r in range(hr1, hr2 + 1):
            ch = {hr1: "┐", hr2: "┘", yr: "├"}.get(r, "│")
            canvas.put(r, j2, ch, wire)
        canvas.put(yr, j2 + 1, "─" if 2 in back else "▶", wire)
        out_c = j2 + 2
        self._draw_node(canvas, nodes["y"], yr, out_c, nodes["y"].width, "y" in node_hl, value_style)

        if wide:
            canvas.put(rows_needed, 0, self.t("ui_net_legend"), self.style("network--legend"))
        return canvas, out_c + nodes["y"].width

    def _draw_node(
        self, canvas: Canvas, node: Node, arrow_row: int, col: int, width: int, highlighted: bool, value_style: Style
    ) -> None:
        top = arrow_row - node.anchor_offset
        name = {"h1": f"h{fmt.sub(1)}", "h2": f"h{fmt.sub(2)}", "y": "ŷ"}[node.key]
        st = self.style("network--node-hl" if highlighted else "network--node")
        if node.boxed:
            tl, tr, bl, br, hz, vt = ("┏", "┓", "┗", "┛", "━", "┃") if highlighted else ("╭", "╮", "╰", "╯", "─", "│")
            inner = width - 2
            canvas.put(top, col, tl + (hz + " " + name + " ").ljust(inner, hz) + tr, st)
            for k, line in enumerate(node.lines):
                canvas.put(top + 1 + k, col, vt, st)
                canvas.put(top + 1 + k, col + 1, " " + line.ljust(inner - 1), value_style)
                canvas.put(top + 1 + k, col + width - 1, vt, st)
            canvas.put(top + len(node.lines) + 1, col, bl + hz * inner + br, st)
        else:
            for k, line in enumerate(node.lines):
                canvas.put(top + k, col, line, value_style)
            # the unit's name in the node style, where the arrow meets it
            anchor_line = node.lines[node.anchor]
            if anchor_line.startswith(name):
                canvas.put(arrow_row, col, name, st)
