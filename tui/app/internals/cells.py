"""The cells of a line as the terminal shows them: one (character, style) per column.

Public Rich API only; shared by the cell diff (diffscreen.py) and the row cache
(tui/app/widgets/base.py), which takes a row directly only when its characters are one cell each.
"""

from __future__ import annotations

from itertools import repeat

from rich.cells import get_character_cell_size

Cell = tuple  # (text, style); text is "" for the right half of a double-width character

_ONE_CELL: set[str] = set()  # characters seen to take one cell


def one_cell_each(text: str) -> bool:
    """Every character of `text` takes exactly one cell (box drawing, sub- and superscripts, …; not
    wide or zero-width ones), so its offsets are columns. Characters checked once are remembered."""
    if text.isascii():
        return True
    chars = set(text)
    if chars <= _ONE_CELL:
        return True
    if all(get_character_cell_size(ch) == 1 for ch in chars - _ONE_CELL):
        _ONE_CELL.update(chars)
        return True
    return False


def strip_cells(strips) -> list[Cell]:
    """The cells of consecutive strips (or lists of Rich segments), one per terminal column."""
    out: list[Cell] = []
    append = append_cell = out.append
    for strip in strips:
        for text, style, control in strip:
            if control:
                continue
            if one_cell_each(text):
                out.extend(zip(text, repeat(style)))
                continue
            for ch in text:
                width = get_character_cell_size(ch)
                if width == 1:
                    append_cell((ch, style))
                elif width == 2:
                    append((ch, style))
                    append(("", style))
                elif out:  # zero width (a combining mark): belongs to the cell before it
                    out[-1] = (out[-1][0] + ch, out[-1][1])
    return out


__all__ = ["Cell", "one_cell_each", "strip_cells"]
