"""Colours as a person sees them (issue 9): the high-contrast theme reaches WCAG's 4.5:1 for every
character the app draws, and the editor's highlighted row stays readable in every theme.

The colours are read from the app's own SVG screenshot (what `x` exports): every character's fill
against the background cell under it, so what is checked is what is drawn, whatever set it
(the stylesheet, a theme variable, plotext's palette).
"""

from __future__ import annotations

import pytest

from svgcells import drawn_cells
from tui.app.themes import THEMES


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def low_contrast(svg: str, minimum: float) -> list[str]:
    return sorted(
        {
            f"{ch!r} {fg} on {bg} ({contrast(fg, bg):.2f}:1) at row {row}"
            for row, col, ch, fg, bg, _ in drawn_cells(svg)
            if contrast(fg, bg) < minimum
        }
    )


# Every screen and state a class sees: each step's values, the chart with points (and on a log
# scale), a notice, play, each screen on top, quiz questions and verdicts, the editor's highlight.
VIEWS = {
    "start": [],
    "B1 then U": ["f", "f", "b", "b", "u"],
    "refused": ["b"],
    "epochs, log chart": ["e", "e", "e", "L"],
    "one point, log chart": ["L"],
    "help": ["question_mark"],
    "gradient check": ["f", "f", "b", "g"],
    "activation view": ["v"],
    "editor on a value": ["w", "down", "down", "down"],
    "editor on an action": ["w", "end", "up"],
    "open prompt": ["o"],
    "quiz, a wrong answer": ["k", "f", "1", "enter"],
    "playing": ["p"],
    "sweep": ["W", "wait"],
}


def screenshots(drive, theme: str, views: dict, size=(110, 38), **kw) -> dict[str, str]:
    shots = {}

    async def scenario(app, pilot):
        for name, keys in views.items():
            for key in keys:
                if key == "wait":
                    await app.workers.wait_for_complete()
                else:
                    await pilot.press(key)
            await pilot.pause()
            shots[name] = app.export_screenshot()
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await pilot.press("r")
            if app.quiz.on:
                await app.run_action("quiz")
            if app.log_scale:
                app.log_scale = False

    drive(scenario, size=size, theme=theme, **kw)
    return shots


def test_every_character_of_the_high_contrast_theme_reaches_4_5_to_1(drive):
    shots = screenshots(drive, "backprop-contrast", VIEWS)
    shots |= screenshots(drive, "backprop-contrast", {"80×24": ["f", "f", "e", "e"]}, size=(80, 24))
    failures = {name: low_contrast(svg, 4.5) for name, svg in shots.items()}
    assert {name: f for name, f in failures.items() if f} == {}


def test_the_theme_colours_themselves_reach_4_5_to_1():
    th = THEMES["backprop-contrast"]
    for name in ("primary", "secondary", "accent", "warning", "error", "success", "foreground"):
        for ground in (th.background, th.surface, th.panel):
            assert contrast(getattr(th, name), ground) >= 4.5, (name, ground)


@pytest.mark.parametrize("theme", ["backprop-dark", "backprop-contrast", "backprop-ansi"])
def test_the_editor_highlight_keeps_its_row_readable(theme, drive):
    # The highlighted "+ add a data row" was drawn $primary on Textual's $primary bar: invisible.
    shots = screenshots(
        drive, theme, {"action": ["w", "end", "up"], "value": ["w", "down", "down", "down"]}, size=(100, 30)
    )
    for name, svg in shots.items():
        cells = drawn_cells(svg)
        row = next(r for r, c, ch, *_ in cells if ch == ("+" if name == "action" else "₁"))
        line = [cell for cell in cells if cell[0] == row and not "\u2500" <= cell[2] <= "\u257f"]  # not the frame
        assert all(underlined for *_, underlined in line), name  # marked without colour too (NO_COLOR)
        assert [f"{ch} {contrast(fg, bg):.1f}" for _, _, ch, fg, bg, _ in line if contrast(fg, bg) < 3.0] == []
