"""A plotext chart that is set up when it is painted and cannot take the app down.

`build(plot)`, when set, sets the figure up at the size the chart is painted: set up from on_mount it
was drawn at size 0 first. plotext has edge cases (huge or flat data, a log axis with no finite value:
TypeError): a chart it cannot draw is left blank. The Loss panel's chart, the comparison's and the
gradient check's error plot are all one of these.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual_plotext import PlotextPlot


class SafePlot(PlotextPlot):
    build: Callable[[SafePlot], None] | None = None

    def render(self):
        try:
            if self.build is not None:
                self.build(self)
            return super().render()
        except (ArithmeticError, ValueError, IndexError, TypeError):  # plotext's edge cases
            return Text("")


__all__ = ["SafePlot"]
