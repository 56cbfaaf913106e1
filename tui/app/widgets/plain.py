"""A Static that shows its text as written (issue 9).

Static parses Textual markup in the strings it is given, so a path, a typed value or a file's
error message holding `[` raised MarkupError (`[x=`) or lost its brackets (`model[v2].toml` shown
as `model.toml`). Every line of the app that is given a string uses Plain instead; styles come
from the stylesheet or from rich Text, never from markup.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class Plain(Static):
    def __init__(self, content: VisualType = "", **kwargs) -> None:
        super().__init__(content, markup=False, **kwargs)


__all__ = ["Plain"]
