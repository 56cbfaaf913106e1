"""Fixtures shared by the whole suite."""
from __future__ import annotations

import os
import sys

import pytest


# --- the fast paths never fall back to Textual's path (tui/app/internals/fallbacks.py) -------------
def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fallbacks: the test makes the app's fast paths fall back on purpose")


@pytest.fixture(autouse=True)
def no_fallbacks(request):
    """Every app test (in this process) ends with as many fallbacks to Textual's path as it began
    with: a change that makes the row cache, the cell diff or a private piece give up fails here.
    Only in the default rendering (under BACKPROP_TUI_RENDERING=stock the fast paths are off), only
    once the app's internals are loaded, and not for a test marked `fallbacks`."""
    if os.environ.get("BACKPROP_TUI_RENDERING", "").strip().lower() == "stock" \
            or request.node.get_closest_marker("fallbacks"):
        yield
        return
    before = _fallbacks()
    yield
    after = _fallbacks()
    if after is not None:
        new = {k: n - (before or {}).get(k, 0) for k, n in after.items() if n != (before or {}).get(k, 0)}
        assert not new, f"fast paths fell back to Textual's path: {new} (tui/app/internals/fallbacks.py)"


def _fallbacks() -> dict[str, int] | None:
    fallbacks = sys.modules.get("tui.app.internals.fallbacks")  # None until an app test loads the app
    return None if fallbacks is None else fallbacks.counts()
