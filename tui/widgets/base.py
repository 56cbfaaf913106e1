"""What every panel shares: the Snapshot it shows, the language and the decimal mark.

The App binds `snapshot` and `lang` to its own reactives (data_bind), so a panel re-renders when
the Stepper hands out a new Snapshot and never reaches back into the App.
"""
from __future__ import annotations

from rich.style import Style
from textual.reactive import reactive
from textual.widget import Widget

from engine.stepper import Snapshot
from tui import fmt
from tui.i18n import t


class SnapshotView(Widget):
    snapshot: reactive[Snapshot | None] = reactive(None)
    lang: reactive[str] = reactive("en")

    def __init__(self, *, comma: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.comma = comma

    # formatting shortcuts: every number goes through tui.fmt
    def num(self, value: float) -> str:
        return fmt.num(value, self.comma)

    def signed(self, value: float) -> str:
        return fmt.signed(value, self.comma)

    def short(self, value: float) -> str:
        return fmt.short(value, self.comma)

    @property
    def sep(self) -> str:
        """Between the parts of a vector: (0.05, 0.10), or (0,05; 0,10) with a decimal comma."""
        return "; " if self.comma else ", "

    def t(self, _key: str, /, **values: object) -> str:
        return t(_key, self.lang, **values)

    def style(self, *names: str) -> Style:
        """The sum of component-class styles from app.tcss (`network--pos`, …)."""
        out = Style()
        for name in names:
            out += self.get_component_rich_style(name, partial=True)
        return out
