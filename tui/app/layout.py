"""The main screen's three layouts and the terminal sizes where each begins (app.tcss styles each).

"compact" (80×24: Explain scrolls what does not fit, with a "more" row), "wide" (120×40: the
parameters, values and loss side by side above the network, Explain across the bottom with the rows
its longest step needs) and "roomy" (160×45: network and parameters above; Explain beside the values
and the loss).

The same panels serve all three: Textual's breakpoints (HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS,
set on the main screen, tui/app/internals/screen.py) give the screen one class for its width and one
for its height, and app.tcss arranges the panels by them. Nothing is mounted or removed when the
terminal crosses a border: focus, scroll and what is being typed stay as they were.
"""

from __future__ import annotations

MIN_SIZE = (80, 24)  # below it the main screen asks for a larger terminal (TooSmall)
WIDE_SIZE = (110, 38)  # from here on a layout with boxed panels and every line of Explain in view
ROOMY_WIDTH = 140  # from here on (and WIDE_SIZE's height) the network and Explain each have a side of their own

# The main screen's classes: "-narrow", "-wide" or "-roomy" by the width, "-short" or "-tall" by the height.
# The layout is compact when the screen is -narrow or -short, else wide (-wide) or roomy (-roomy).
HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_SIZE[0], "-wide"), (ROOMY_WIDTH, "-roomy")]
VERTICAL_BREAKPOINTS = [(0, "-short"), (WIDE_SIZE[1], "-tall")]


def reached(n: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class of the last of `breakpoints` that `n` cells reach, as Textual's Screen picks it."""
    return max((point for point in breakpoints if n >= point[0]), default=(0, ""))[1]


def breakpoint_classes(width: int, height: int) -> dict[str, bool]:
    """Each of the main screen's breakpoint classes → whether a `width` × `height` screen has it."""
    on = {reached(width, HORIZONTAL_BREAKPOINTS), reached(height, VERTICAL_BREAKPOINTS)}
    return {name: name in on for _, name in HORIZONTAL_BREAKPOINTS + VERTICAL_BREAKPOINTS}


def layout_for(width: int, height: int) -> str:
    """The main screen's layout at a terminal of `width` × `height` cells: "compact", "wide" or "roomy",
    the layout app.tcss gives the breakpoint classes of that size."""
    across, down = reached(width, HORIZONTAL_BREAKPOINTS), reached(height, VERTICAL_BREAKPOINTS)
    if across == "-narrow" or down == "-short":
        return "compact"
    return across.removeprefix("-")


__all__ = [
    "HORIZONTAL_BREAKPOINTS",
    "MIN_SIZE",
    "ROOMY_WIDTH",
    "VERTICAL_BREAKPOINTS",
    "WIDE_SIZE",
    "breakpoint_classes",
    "layout_for",
    "reached",
]
