"""The names --theme accepts, checked by the command line before Textual loads (`serve` says a bad
one before "serving on"): our three themes (defined in tui/app/themes.py), their aliases, and
Textual's built-in themes (TEXTUAL_THEMES, pinned to textual.theme.BUILTIN_THEMES by a test)."""

from __future__ import annotations

from typing import overload

DEFAULT_THEME = "backprop-dark"
OUR_THEMES = ("backprop-dark", "backprop-contrast", "backprop-ansi")
CYCLE = ("backprop-dark", "backprop-contrast")  # what `t` switches between
ALIASES = {
    "default": "backprop-dark",
    "dark": "backprop-dark",
    "contrast": "backprop-contrast",
    "high-contrast": "backprop-contrast",
    "presentation": "backprop-contrast",
    "ansi": "backprop-ansi",
}
TEXTUAL_THEMES = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "catppuccin-latte",
    "catppuccin-frappe",
    "catppuccin-macchiato",
    "solarized-light",
    "solarized-dark",
    "rose-pine",
    "rose-pine-moon",
    "rose-pine-dawn",
    "atom-one-dark",
    "atom-one-light",
    "ansi-dark",
    "ansi-light",
)


@overload
def resolve_theme(name: None, color_system: str | None = "truecolor") -> str: ...
@overload
def resolve_theme(name: str | None, color_system: str | None = "truecolor") -> str | None: ...


def resolve_theme(name: str | None, color_system: str | None = "truecolor") -> str | None:
    """The theme to use for --theme NAME (ours, an alias, or any Textual theme); None if unknown.

    Without a name: the dark theme, or the ANSI one on a terminal of 16 colours or fewer.
    """
    if name is None:
        return DEFAULT_THEME if color_system in ("256", "truecolor") else "backprop-ansi"
    name = ALIASES.get(name, name)
    if name in OUR_THEMES or name in TEXTUAL_THEMES:
        return name
    return None


def theme_error(name: str | None) -> str | None:
    """The command line's one line for an unknown --theme NAME; None if it is known (or not given)."""
    if name is None or resolve_theme(name) is not None:
        return None
    return f"--theme: unknown theme {name!r}; expected one of {', '.join(OUR_THEMES)} or a Textual theme name"
