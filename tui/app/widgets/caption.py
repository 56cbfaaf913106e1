"""The caption bar of a scripted screencast or lecture (--captions): one row naming the key just played,
"f · forward pass: z(1), a(1)" (tui/app/replay.py writes it into the App's `caption`).

On the main screen it is a row of the layout above the status line (at 80×24 it comes out of the
Explain panel, as the quiz bar's rows do); on a screen a key pushed over it (help, g, v, T) the App
docks one at that screen's bottom row. Hidden without --captions, so nothing else moves.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class CaptionBar(Static):
    def __init__(self, text: str = "", *, docked: bool = False, id: str | None = None) -> None:
        super().__init__(self.styled(text), id=id, classes="-docked" if docked else None)
        self.text = text

    @staticmethod
    def styled(text: str) -> Text:  # not `content`: that is Static's property
        return Text(text, no_wrap=True, overflow="ellipsis", end="")

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update(self.styled(text))
