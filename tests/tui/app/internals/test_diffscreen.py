"""tui/app/internals/diffscreen.py: the partial updates' chops it renders (only the lines to be
sent) are the ones Textual's own compositor renders, frame by frame, through micro-steps, help,
play and resizes; a diff that fails still sends the frame, and is counted as a fallback. The
screen it makes is Textual's own under BACKPROP_TUI_RENDERING=stock."""
from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.screen import Screen

from tui.app.internals import STOCK, fallbacks
from tui.app.internals.diffscreen import DiffCompositor, DiffScreen
from tui.app.internals.screen import MainScreen
from apphelp import drive

fast_only = pytest.mark.skipif(STOCK, reason="the cell diff is off under BACKPROP_TUI_RENDERING=stock")


@fast_only
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_partial_update_chops_match_textuals(size, monkeypatch):
    frames = []
    mismatches = []
    ours = DiffCompositor._render_chops

    def both(self, crop, is_rendered_line):
        mine = ours(self, crop, is_rendered_line)
        theirs = Compositor._render_chops(self, crop, is_rendered_line)  # lines now cached: same strips
        frames.append(crop)
        for y in crop.line_range:
            if not is_rendered_line(y):
                continue
            for cut, strip in theirs[y].items():
                if cut in mine[y] and list(mine[y][cut] or ()) != list(strip or ()):
                    mismatches.append((len(frames), y, cut))
        return mine

    monkeypatch.setattr(DiffCompositor, "_render_chops", both)

    async def scenario(app, pilot):
        for key in "ffbbuffbbuzyLlt":
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause(0.3)
        await pilot.press("p")
        await pilot.pause()

    drive(scenario, size=size)
    assert len(frames) > 15
    assert mismatches == []


@fast_only
@pytest.mark.fallbacks
def test_a_failing_cell_diff_falls_back_to_textuals_own_update(monkeypatch):
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
        assert app.snapshot.yhat is not None

    app = drive(scenario)
    assert calls  # the diff was tried, failed, and the app went on
    assert app.return_code in (None, 0)
    assert fallbacks.counts().get("diff", 0) - before == len(calls)


def test_the_main_screen_is_the_diff_screen_or_textuals_own_under_stock():
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
