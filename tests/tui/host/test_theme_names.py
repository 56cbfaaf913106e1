"""The theme names the command line checks without Textual (tui/host/theme_names.py) are the app's."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from tui.app.themes import THEMES
from tui.host.theme_names import ALIASES, CYCLE, DEFAULT_THEME, OUR_THEMES, TEXTUAL_THEMES, resolve_theme, theme_error


def test_our_names_are_the_themes_the_app_defines():
    assert tuple(THEMES) == OUR_THEMES
    assert DEFAULT_THEME in OUR_THEMES and set(CYCLE) <= set(OUR_THEMES) and set(ALIASES.values()) <= set(OUR_THEMES)


def test_textuals_names_are_the_installed_textuals():
    assert set(TEXTUAL_THEMES) == set(BUILTIN_THEMES)


def test_every_name_resolves_and_a_typo_is_one_line():
    for name in (*OUR_THEMES, *ALIASES, *TEXTUAL_THEMES):
        assert resolve_theme(name) is not None and theme_error(name) is None
    message = theme_error("textual-drak")
    assert message is not None and "\n" not in message and "textual-drak" in message
