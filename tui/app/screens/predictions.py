"""The `T` screen: "did it learn XOR?" — ŷ of every data row against its target, right ✓ or wrong ✗ at 0.5.

The numbers are tui/app/tally.py's (engine.surface.tally: the batched forward pass of engine.network
with the current parameters, and right/wrong for every row, the status line's count too); this
screen only lays them out. A large data set shows the rows that fit and the count of right and wrong
rows over all of them; the key line says how many rows lie below and above ("▼ 59995 more · ↓/PgDn")
and ↓ PgDn / ↑ PgUp page through them (issue 18). It follows the App's Snapshot, so the table changes while `p` trains underneath and after every f, b, u, space (the keys work here),
and only the rows that changed are repainted (RowsPanel). `x` adds every row as CSV (ASCII, full
precision) to the App's export.
"""

from __future__ import annotations

import csv
import io

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine import surface
from engine.stepper import Snapshot
from tui.app.host import view_host
from tui.app.screens.base import ViewScreen
from tui.app.tally import tally
from tui.app.widgets import more
from tui.app.widgets.base import RowsPanel
from tui.app.widgets.more import Pager
from tui.app.widgets.status import StatusLine
from tui.text import fmt
from tui.text.i18n import t, tn
from tui.text.keys import keys_of

COL = 10  # one number, as in the Values panel
HEAD_ROWS = 3  # the count, a blank row, the column heads


class PredictionsTable(RowsPanel):
    """The count over every row, then the first rows that fit: i, x₁, x₂, y, ŷ and ✓/✗."""

    COMPONENT_CLASSES = {"pred--head", "pred--right", "pred--wrong", "pred--count"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pager = Pager()  # the data rows in view

    def tally(self, s: Snapshot) -> surface.Tally:
        return tally(s)  # the status line's count too: one function, one cache (tui/app/tally.py)

    def rows(self, s: Snapshot) -> list[Text]:
        done = self.tally(s)
        m, n_right = done.m, done.n_right
        first, end = self.pager.window(m, max(1, self.size.height - HEAD_ROWS))
        count = Text(no_wrap=True, overflow="ellipsis", end="")
        count.append(self.t("ui_pred_count", right=n_right, m=m, wrong=m - n_right), self.style("pred--count"))
        count.append(
            " · "
            + (
                tn("ui_pred_all", m, self.lang, m=m)
                if end - first == m
                else self.t("ui_pred_first", a=first + 1, b=end, m=m)
            )
        )
        if n_right == m:
            count.append(" · " + self.t("ui_pred_learned"))
        head = self.style("pred--head")
        index_w = len(str(m)) + 1
        header = Text(no_wrap=True, overflow="crop", end="")
        header.append("i".rjust(index_w), head)
        for name in (f"x{fmt.sub(1)}", f"x{fmt.sub(2)}", "y", "ŷ"):
            header.append(name.rjust(COL), head)
        out = [count, Text("", end=""), header]
        marks = {
            True: (self.t("ui_pred_right"), self.style("pred--right")),
            False: (self.t("ui_pred_wrong"), self.style("pred--wrong")),
        }
        X, Y = s.X, s.Y
        for i in range(first, end):
            row = Text(no_wrap=True, overflow="crop", end="")
            row.append(str(i + 1).rjust(index_w), head)
            texts = [
                self.num(float(X[i, 0])),
                self.num(float(X[i, 1])),
                self.num(float(Y[i])),
                self.num(float(done.yhat[i])),
            ]
            for text, pad in zip(texts, fmt.column_pads(texts, (COL,) * 4)):
                row.append(" " * pad + text)
            mark, style = marks[bool(done.right[i])]
            row.append("  ")
            row.append(mark, style)
            out.append(row)
        return out


class PredictionsScreen(ViewScreen):
    # the App's keys that work here are the key table's for it (Key.over): the table follows the App's Snapshot
    OVERLAY = "predictions"
    SHOWS_NOTICE = True  # in its key line
    FOLLOWS = ("snapshot", "lang", "notice_text", "playing")
    BINDINGS = [Binding("escape,T,q", "close", show=False)]

    BINDINGS = [
        *BINDINGS,
        Binding(keys_of("explain_down"), "more(1)", show=False),
        Binding(keys_of("explain_up"), "more(-1)", show=False),
    ]

    def __init__(self, comma: bool = False) -> None:
        super().__init__()
        self.comma = comma
        self._title = self._keys = ""  # as last shown

    def compose(self) -> ComposeResult:
        yield Static(id="pred-title")
        yield PredictionsTable(comma=self.comma, id="pred-table")
        yield StatusLine(comma=self.comma, id="pred-status")
        yield Static(id="pred-keys")

    def _redraw(self, *_: object) -> None:
        if not self.is_attached:  # closed: its watchers go with it
            return
        app = view_host(self)
        s, lang = app.snapshot, app.lang
        title = t("ui_pred_title", lang, name=s.name, half=fmt.short(surface.THRESHOLD, self.comma))
        if title != self._title:  # the rows below repaint alone while p trains
            self._title = title
            self.query_one("#pred-title", Static).update(Text(title, "bold", no_wrap=True, overflow="ellipsis", end=""))
        table = self.query_one(PredictionsTable)
        table.lang, table.snapshot = lang, s
        status = self.query_one(StatusLine)
        status.lang, status.snapshot, status.playing = lang, s, app.playing
        notice = app.notice_text
        table.pager.window(table.tally(s).m, max(1, table.size.height - HEAD_ROWS))  # as the table lays out
        hidden = more.mark(lang, *table.pager.hidden)
        keys = notice or (hidden + " · " if hidden else "") + t("ui_pred_keys", lang)
        if keys != self._keys:
            self._keys = keys
            self.query_one("#pred-keys", Static).update(
                Text(keys, "bold" if notice else "", no_wrap=True, overflow="ellipsis", end="")
            )

    def export_files(self) -> dict[str, str]:
        """What x adds to the App's export: every row, i, x₁, x₂, y, ŷ and right (1/0), at full precision."""
        s = view_host(self).snapshot
        done = tally(s)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["i", "x1", "x2", "y", "yhat", "right"])
        for i in range(done.m):
            writer.writerow(
                [
                    i + 1,
                    repr(float(s.X[i, 0])),
                    repr(float(s.X[i, 1])),
                    repr(float(s.Y[i])),
                    repr(float(done.yhat[i])),
                    int(done.right[i]),
                ]
            )
        return {"_predictions.csv": out.getvalue()}

    def action_more(self, direction: int) -> None:
        table = self.query_one(PredictionsTable)
        if table.pager.scroll(direction, table.size.height - HEAD_ROWS):
            table.content_changed()
            self._redraw()

    def action_close(self) -> None:
        self.close()


__all__ = ["PredictionsScreen", "PredictionsTable"]
