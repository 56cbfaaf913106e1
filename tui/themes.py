"""The two themes: a calm dark default and a high-contrast presentation theme for projectors.

Colours that carry meaning (the sign of a weight) are ANSI names in app.tcss, so a 16-colour
terminal shows them as the terminal's own cyan and magenta rather than a rounded-off RGB.
"""
from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

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
        warning="#875000",  # the panel and the tints it is drawn on (tests/test_colours.py)
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
DEFAULT_THEME = "backprop-dark"
CYCLE = ("backprop-dark", "backprop-contrast")  # what `t` switches between
ALIASES = {"default": "backprop-dark", "dark": "backprop-dark", "contrast": "backprop-contrast",
           "high-contrast": "backprop-contrast", "presentation": "backprop-contrast", "ansi": "backprop-ansi"}


def resolve_theme(name: str | None, color_system: str | None = "truecolor") -> str | None:
    """The theme to use for --theme NAME (ours, an alias, or any Textual theme); None if unknown.

    Without a name: the dark theme, or the ANSI one on a terminal of 16 colours or fewer.
    """
    if name is None:
        return DEFAULT_THEME if color_system in ("256", "truecolor") else "backprop-ansi"
    name = ALIASES.get(name, name)
    if name in THEMES or name in BUILTIN_THEMES:
        return name
    return None


def theme_error(name: str | None) -> str | None:
    """The command line's one line for an unknown --theme NAME; None if it is known (or not given)."""
    if name is None or resolve_theme(name) is not None:
        return None
    return f"--theme: unknown theme {name!r}; expected one of {', '.join(THEMES)} or a Textual theme name"
