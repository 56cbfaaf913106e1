"""tui/app/internals/diffscreen.py: a diff that fails still sends the frame, and is counted as a
fallback; the main screen is Textual's own under BACKPROP_TUI_RENDERING=stock. (That the cells
sent make the screen a full paint makes: tests/tui/app/test_robustness.py.)"""

from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.screen import Screen

from tui.app.internals import STOCK, fallbacks
from tui.app.internals.diffscreen import DiffCompositor, DiffScreen
from tui.app.internals.screen import MainScreen

fast_only = pytest.mark.skipif(STOCK, reason="the cell diff is off under BACKPROP_TUI_RENDERING=stock")


@fast_only
@pytest.mark.fallbacks
def test_a_failing_cell_diff_falls_back_to_textuals_own_update(monkeypatch, drive):
    """The diff leans on Textual internals: if it ever raises, the frame still goes out, and the
    fallback is counted (tests/conftest.py asserts there is none in every other test)."""
    calls = []

    def broken(self, update):
        calls.append(update)
        raise RuntimeError("internals moved")

    monkeypatch.setattr(DiffCompositor, "_diff", broken)
    before = fallbacks.counts().get("diff", 0)

    async def scenario(app, pilot):
        await pilot.press("f", "f")
        await pilot.pause()
        assert app.snapshot.forward2 is not None

    app = drive(scenario)
    assert calls  # the diff was tried, failed, and the app went on
    assert app.return_code in (None, 0)
    assert fallbacks.counts().get("diff", 0) - before == len(calls)


def test_the_main_screen_is_the_diff_screen_or_textuals_own_under_stock(drive):
    seen = {}

    async def scenario(app, pilot):
        seen["screen"] = app.screen_stack[0]

    drive(scenario)
    screen = seen["screen"]
    assert isinstance(screen, MainScreen)
    if STOCK:
        assert type(screen) is MainScreen and type(screen._compositor) is Compositor
        assert "_compositor_refresh" not in vars(MainScreen) and "_on_screen_resume" not in vars(MainScreen)
        assert MainScreen.__bases__ == (Screen,)
    else:
        assert type(screen) is DiffScreen and type(screen._compositor) is DiffCompositor
