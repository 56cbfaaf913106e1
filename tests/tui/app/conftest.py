"""Fixtures of the tests of tui/app/: reading what the app shows."""

from __future__ import annotations

import pytest

from tui.app.widgets.values import ValuesPanel


@pytest.fixture(scope="session")
def message():
    """message(app, wid): the text of the widget `#wid` on the screen on top (a prompt's message)."""
    return lambda app, wid: str(app.screen.query_one(f"#{wid}").render())


@pytest.fixture(scope="session")
def values_text():
    """values_text(app): the Values panel as shown."""
    return lambda app: app.query_one(ValuesPanel).render().plain
