"""An Input whose cursor does not blink.

Textual's Input blinks its cursor with a 0.5 s timer, which wakes the app twice a second for as
long as it has focus. A quiz question or a value being edited may wait for minutes while a class
thinks, on a lab server shared by many students: a steady cursor keeps idle CPU at zero.
"""
from __future__ import annotations

from textual.widgets import Input


class SteadyInput(Input):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False


__all__ = ["SteadyInput"]
