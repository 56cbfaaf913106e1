"""The panels that repaint only changed rows (tui/widgets/base.py TextPanel) show what Textual's own
render path would show, row for row and style for style, after micro-steps, undo, language and theme."""
from __future__ import annotations

import pytest
from textual.visual import Visual

from tui.widgets.base import TextPanel
from apphelp import drive


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_rows_match_textuals_render_path(size):
    mismatches = []

    async def scenario(app, pilot):
        for key in "ffbbufbbuzzyyltffbbu":
            await pilot.press(key)
            await pilot.pause()
            for panel in app.screen_stack[0].query(TextPanel):
                width, height = panel.size
                expected = Visual.to_strips(panel, panel._render(), width, height, panel.visual_style)
                for y, strip in enumerate(expected):
                    if list(panel.render_line(y)) != list(strip):
                        mismatches.append((key, panel.id, y))

    drive(scenario, size=size)
    assert mismatches == []
