"""A border title that repaints only the row of the border it is drawn on."""
from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget

from tui.app.internals import STOCK, fallbacks


def set_border_title(widget: Widget, title: str) -> None:
    """Set `widget.border_title`, repainting only the top border row.

    Setting `border_title` repaints every row of the widget (and, for a panel, re-styles every row
    of the chart under it), though only the top border shows the title (issue 5, key → screen).
    Here the title is stored as Textual's BorderTitle descriptor stores it (`_border_title`) and the
    top row refreshed. The public way (the descriptor) when there is no top border to draw on yet,
    under the stock rendering, or if the private attribute has moved (counted as a fallback).
    """
    if STOCK or not widget.size or widget.styles.border_top[0] in ("", "none", "hidden"):
        widget.border_title = title
        return
    if not hasattr(widget, "_border_title"):
        fallbacks.note("title")
        widget.border_title = title
        return
    widget._border_title = widget.render_str(title).expand_tabs(4).split()[0]
    ox, oy = widget.content_offset
    widget.refresh(Region(-ox, -oy, widget.outer_size.width, 1))


__all__ = ["set_border_title"]
