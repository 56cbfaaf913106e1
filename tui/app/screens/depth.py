"""The `d` screen: why gradients vanish through successive sigmoids (exercise 6(c)).

A chain of k hidden layers of two units (engine.deep) starting from the App's Snapshot: this sample's
x and y, the first layer and output layer it started from (params_start, so k = 1 shows this sample's
δ⁽¹⁾ and δ⁽²⁾ as the main screen does), the hidden and output activations, and the model's seed for
the rotations between. Per layer, from the output down to layer 1: |δ⁽ˡ⁾|, the product of f' along
the chain, 0.25ⁿ, and a log-scale bar of |δ⁽ˡ⁾| with the σ' ≤ 0.25 line marked (tui/text/depth.py,
the layout `backprop-tui depth` prints).

A screen too short for every line shows a page of them; the key line says how many lie below and
above, and ↓ PgDn / ↑ PgUp page (issue 18: nothing cut without a sign).
Keys: ← → (or + −) change k by one, 1–9 set it, 0 sets 10; `a` cycles the hidden activation
sigmoid → tanh → relu → step (here only: the model keeps its own); `n` takes the next seed; x exports the
App's moment with this screen as the screenshot and the view's JSON (as `depth --format json`);
Esc, d and q close. Nothing runs on a timer: it redraws on a key, a resize, a language or a new
Snapshot (play going on underneath).
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine import activations, deep, export
from engine.config import MAX_SEED
from tui.app.host import view_host
from tui.app.screens.base import ViewScreen
from tui.app.widgets import more
from tui.app.widgets.more import Pager
from tui.text import depth as depth_text
from tui.text.i18n import t
from tui.text.keys import keys_of


class DepthBody(Static):
    pass


class DepthScreen(ViewScreen):
    OVERLAY = "depth"  # a view: the model is not changed here (the key table passes on x, ? and l)
    SHOWS_NOTICE = True  # x's notice shows in its key line

    BINDINGS = [
        Binding("escape,d,q", "close", show=False),
        Binding("right,plus,equals_sign", "layers(1)", show=False),
        Binding("left,minus,underscore", "layers(-1)", show=False),
        *(Binding(str(n), f"set_layers({n})", show=False) for n in range(1, 10)),
        Binding("0", "set_layers(10)", show=False),
        Binding("a", "next_activation", show=False),
        Binding("n", "next_seed", show=False),
        Binding(keys_of("explain_down"), "more(1)", show=False),  # the key table's page keys (issue 18)
        Binding(keys_of("explain_up"), "more(-1)", show=False),
    ]

    def __init__(self, seed: int, comma: bool = False, k: int = deep.DEFAULT_LAYERS, hidden: str | None = None) -> None:
        super().__init__()
        self.seed, self.comma, self.k = seed, comma, k
        self.hidden = hidden  # None: the model's hidden activation (the Snapshot's)
        self.view: deep.Depth | None = None
        self.pager = Pager()  # the lines in view on a screen too short for all of them

    def compose(self) -> ComposeResult:
        yield DepthBody(id="depth-body")
        yield Static(id="depth-keys")

    # --- the numbers -------------------------------------------------------------------------
    def compute(self) -> deep.Depth:
        s = view_host(self).snapshot
        hidden = self.hidden or s.hidden
        return deep.depth(s.params_start, s.x, s.y, hidden, s.output, self.k, self.seed)

    def export_files(self) -> dict[str, str]:
        """What x adds to the App's export: the view as `backprop-tui depth --format json` writes it."""
        return {"_depth.json": export.dumps(deep.as_json(self.compute())) + "\n"}

    # --- drawing -----------------------------------------------------------------------------
    def _redraw(self, *_) -> None:
        if not self.is_mounted:
            return
        lang = view_host(self).lang
        self.view = d = self.compute()
        width = max(self.size.width - 2, 40)  # the body's padding
        lay = depth_text.layout(d, lang, self.comma, width)
        theme = self.app.current_theme
        bar_style, mark_style = f"bold {theme.primary}", f"bold {theme.error or 'red'}"

        def wrap(line: str) -> list[str]:
            return textwrap.wrap(line, width) or [""]

        table: list[Text] = [Text(depth_text.row_text(lay.header), "bold")]
        for row in lay.rows:
            text = depth_text.row_text(row)
            line = Text(text)
            start = len(text) - len(row.bar)
            line.stylize(bar_style, start)
            if row.mark >= 0:
                line.stylize(mark_style, start + row.mark, start + row.mark + 1)
            table.append(line)
        table.append(Text(depth_text.scale_text(lay), "dim"))
        head = [Text(line, "bold") for line in wrap(lay.title)] + [Text(line) for line in wrap(lay.setup)]
        legend = [Text(line, "dim") for line in wrap(lay.legend[0])]
        legend[0].stylize(mark_style, 0, 1)
        legend += [Text(line, "bold") for line in wrap(lay.legend[2])]  # the dead units (f' = 0), or none
        summary = [Text(line, "bold") for line in wrap(lay.summary)]
        optional = [
            [Text(line, "italic") for line in wrap(lay.weights)],
            [Text(line, "dim") for line in wrap(lay.legend[1])],
        ]
        room = max(self.size.height - 1, 1)  # the key line
        blocks = [head, optional[0], table, legend, optional[1], summary]
        lines = [line for block in blocks for line in block]
        if len(lines) > room:  # the table and what it shows first; the notes on the weights and f' a page down
            lines = [line for block in (head, table, legend, summary, *optional) for line in block]
        # a screen too short for all of it shows a page, and the key line says what lies below and above
        start, end = self.pager.window(len(lines), room)
        self.query_one(DepthBody).update(Text("\n", end="").join(lines[start:end]))
        notice = view_host(self).notice_text
        hidden = more.mark(lang, *self.pager.hidden)
        keys = Text(
            notice or (hidden + " · " if hidden else "") + t("depth_keys", lang),
            "bold" if notice or hidden else "",
            no_wrap=True,
            overflow="ellipsis",
        )
        self.query_one("#depth-keys", Static).update(keys)

    # --- keys --------------------------------------------------------------------------------
    def _set_k(self, k: int) -> None:
        k = min(max(k, 1), deep.MAX_LAYERS)
        if k != self.k:
            self.k = k
            self._redraw()

    def action_layers(self, step: int) -> None:
        self._set_k(self.k + step)

    def action_set_layers(self, k: int) -> None:
        self._set_k(k)

    def action_next_activation(self) -> None:
        self.hidden = activations.next_hidden(self.hidden or view_host(self).snapshot.hidden)
        self._redraw()

    def action_next_seed(self) -> None:
        self.seed = (self.seed + 1) % (MAX_SEED + 1)
        self._redraw()

    def action_more(self, direction: int) -> None:
        if self.pager.scroll(direction, self.size.height - 1):
            self._redraw()

    def action_close(self) -> None:
        self.close()


__all__ = ["DepthScreen", "DepthBody"]
