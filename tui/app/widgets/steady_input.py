"""An Input whose cursor does not blink, and whose text has a bound.

Textual's Input blinks its cursor with a 0.5 s timer, which wakes the app twice a second for as
long as it has focus. A quiz question or a value being edited may wait for minutes while a class
thinks, on a lab server shared by many students: a steady cursor keeps idle CPU at zero.

Text typed (or pasted as keystrokes, or sent by a browser tab as one websocket message) grows an
Input without limit, and each key then costs in proportion to the text: 20 000 characters took
~20 CPU-seconds and ~290 MB, 200 000 took a core and gigabytes (issue 9). A number needs
VALUE_LENGTH characters at most, a file name PATH_LENGTH (Linux's PATH_MAX); keys beyond are refused.
"""

from __future__ import annotations

from textual.widgets import Input

VALUE_LENGTH = 64
PATH_LENGTH = 4096


class SteadyInput(Input):
    def __init__(self, *args, max_length: int = VALUE_LENGTH, **kwargs) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)
        self.cursor_blink = False


__all__ = ["SteadyInput", "VALUE_LENGTH", "PATH_LENGTH"]
