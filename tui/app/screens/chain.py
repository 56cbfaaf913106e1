"""The `C` screen: the chain rule in words (exercise 6(a)), and exercise 3(d) with it.

For the parameter θ picked with ↑ ↓ (as in the gradient check, w₁₁⁽²⁾ first: PicksParameter), ∂L/∂θ
followed from the loss back to θ factor by factor (engine/chain.py computes, tui/text/chain.py writes):
each factor's name in words, its symbol, formula and number, and the running product, named where the
backward pass names it (δ⁽²⁾, ∂L/∂a, δ⁽¹⁾); the product of all of them is the gradient the engine
computed. Then 3(d): the same gradient as a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾.

The numbers are the record of the current sample's backward pass once it has reached θ; before that,
the same sample computed from the parameters on screen, which the second line says. It follows the
App's Snapshot: f b u space s z y and a work here, so a student can watch the chain change as the
backward pass reaches θ or the activation changes. A screen too short for every line shows a page;
the key line says how many lie below and above, and PgDn / PgUp page (↑ ↓ pick the parameter).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine import chain
from tui.app.host import view_host
from tui.app.screens.base import PicksParameter, ViewScreen
from tui.app.widgets import more
from tui.app.widgets.more import Pager
from tui.text import chain as chain_text
from tui.text.i18n import t

STYLES = {
    "title": "bold",
    "source": "italic",
    "name": "bold",
    "total": "bold",
    "head": "bold",
    "warn": "bold",
    "note": "italic",
}  # a line's kind: bold and italic read without colour (NO_COLOR)


class ChainBody(Static):
    pass


class ChainScreen(PicksParameter, ViewScreen):
    # the App's keys that work here are the key table's for it (Key.over): the chain follows the App's Snapshot
    OVERLAY = "chain"
    SHOWS_NOTICE = True  # in its key line
    BINDINGS = [
        Binding("escape,C,q", "close", show=False),
        *PicksParameter.PICK_BINDINGS,
        Binding("pagedown", "more(1)", show=False),
        Binding("pageup", "more(-1)", show=False),
    ]

    def __init__(self, comma: bool = False) -> None:
        super().__init__()
        self.comma = comma
        self.key = self.FIRST_KEY
        self.pager = Pager()
        self.lines: list[chain_text.Line] = []  # every line, as last laid out (tests read them)

    def compose(self) -> ComposeResult:
        yield ChainBody(id="chain-body")
        yield Static(id="chain-keys")

    def compute(self) -> chain.Chain:
        return chain.of_snapshot(view_host(self).snapshot, self.key)

    def _redraw(self, *_: object) -> None:
        if not self.is_attached:
            return
        app = view_host(self)
        s, lang = app.snapshot, app.lang
        c = self.compute()
        width = max(self.size.width - 2, 40)  # the body's padding
        self.lines = chain_text.lines(c, chain_text.source_line(c, s, lang), lang, self.comma, width)
        room = max(self.size.height - 1, 1)  # the key line
        start, end = self.pager.window(len(self.lines), room)
        body = Text("\n", end="").join(Text(line.text, STYLES.get(line.kind, "")) for line in self.lines[start:end])
        self.query_one(ChainBody).update(body)
        notice = app.notice_text
        hidden = more.mark(lang, *self.pager.hidden, pages_only=True)
        keys = Text(
            notice or (hidden + " · " if hidden else "") + t("chain_keys", lang),
            "bold" if notice or hidden else "",
            no_wrap=True,
            overflow="ellipsis",
        )
        self.query_one("#chain-keys", Static).update(keys)

    def action_pick(self, step: int) -> None:
        self.pager.home()  # another parameter: its chain from the top
        super().action_pick(step)

    def action_more(self, direction: int) -> None:
        if self.pager.scroll(direction, self.size.height - 1):
            self._redraw()

    def action_close(self) -> None:
        self.close()


__all__ = ["ChainBody", "ChainScreen"]
