"""The two themes: a calm dark default and a high-contrast presentation theme for projectors.

Colours that carry meaning (the sign of a weight) are ANSI names in app.tcss, so a 16-colour
terminal shows them as the terminal's own cyan and magenta rather than a rounded-off RGB.
"""

from __future__ import annotations

from textual.theme import Theme

THEMES: dict[str, Theme] = {
    "backprop-dark": Theme(
        name="backprop-dark",
        primary="#5fafd7",
        secondary="#8787af",
        accent="#ffaf00",
        warning="#ffaf00",
        error="#ff5f5f",
        success="#87d787",
        foreground="#e4e4e4",
        background="#1c1c1c",
        surface="#262626",
        panel="#303030",
        dark=True,
    ),
    "backprop-contrast": Theme(
        name="backprop-contrast",
        primary="#0000d7",
        secondary="#000000",
        accent="#af0000",  # #d70000 was 4.3:1 on the panel's grey; every colour here is ≥ 4.5:1 on white,
        warning="#875000",  # the panel and the tints it is drawn on (tests/tui/app/test_colours.py)
        error="#af0000",
        success="#005f00",
        foreground="#000000",
        background="#ffffff",
        surface="#ffffff",
        panel="#e4e4e4",
        dark=False,
    ),
    # The terminal's own 16 colours (Textual's ANSI mode): chosen by default when the terminal
    # reports no more than 16 colours, where RGB would be rounded to whatever ANSI colour is nearest.
    "backprop-ansi": Theme(
        name="backprop-ansi",
        ansi=True,
        primary="ansi_blue",
        secondary="ansi_cyan",
        accent="ansi_yellow",
        warning="ansi_yellow",
        error="ansi_red",
        success="ansi_green",
        foreground="ansi_default",
        background="ansi_default",
        surface="ansi_default",
        panel="ansi_default",
        boost="ansi_default",
        dark=True,
        variables={
            "ansi-background": "ansi_black",
            "ansi-foreground": "ansi_white",
            "border-blurred": "ansi_black",
        },
    ),
}
