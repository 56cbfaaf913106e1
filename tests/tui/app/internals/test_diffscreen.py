"""tui/diffscreen.py's partial updates: the chops it renders (only the lines to be sent) are the ones
Textual's own compositor renders, frame by frame, through micro-steps, help, play and resizes."""
from __future__ import annotations

import pytest
from textual._compositor import Compositor

from tui.app.internals.diffscreen import DiffCompositor


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_partial_update_chops_match_textuals(size, monkeypatch, drive):
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
