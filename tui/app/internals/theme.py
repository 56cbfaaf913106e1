"""The app's first theme, set before it runs without the CSS pass that setting `theme` queues."""
from __future__ import annotations

from textual.app import App

from tui.app.internals import STOCK, fallbacks


def first_theme(app: App, name: str) -> None:
    """`app.theme = name` before the app runs, minus the CSS refresh it would queue.

    Assigning `theme` makes Textual re-parse every stylesheet once the app starts (~1/10 of
    start-up, issue 5); nothing has been parsed yet, so the stylesheet just takes the theme's
    variables. The rest is what App._watch_theme does, then the app's own watch_theme. Under the
    stock rendering, or if Textual's private pieces have moved (counted as a fallback), the public
    way: `app.theme = name`.
    """
    if not STOCK:
        try:
            _first_theme(app, name)
            return
        except AttributeError:
            fallbacks.note("theme")
    app.theme = name


def _first_theme(app: App, name: str) -> None:
    app.set_reactive(App.theme, name)
    dark = app.current_theme.dark
    classes = {c: False for c in app.classes if c.startswith("-theme-")}
    classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
    app.update_classes(classes, update=False)
    app._refresh_truecolor_filter(app.ansi_theme)
    app.stylesheet.set_variables(app.get_css_variables())
    watch = getattr(app, "watch_theme", None)
    if watch is not None:
        watch()


__all__ = ["first_theme"]
