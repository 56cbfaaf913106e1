"""Mouse events that arrive while the main screen is laid out for a new size (crossing the wide/compact
border). The layouts used to be rebuilt, every panel removed and new ones mounted: the screen's map
still held the removed panels until the next layout, and a press on one of them raised in Textual's
text selection (a random-terminal test found it: 'NoneType' object has no attribute 'region'). The
layouts now arrange the same panels (tui/app/layout.py), so no panel is ever detached; these clicks,
posted between the resize and its layout, keep that so."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.geometry import Size

from engine import presets
from tui.app.app import BackpropApp

POINTS = [(60, 30), (100, 30), (10, 5), (60, 20), (115, 38), (30, 12)]


def mouse_events(x: int, y: int) -> list[events.Event]:
    common = dict(
        widget=None, x=x, y=y, delta_x=0, delta_y=0, shift=False, meta=False, ctrl=False, screen_x=x, screen_y=y
    )
    return [
        events.MouseDown(button=1, **common),
        events.MouseUp(button=1, **common),
        events.MouseMove(button=0, **common),
        events.Click(button=1, **common),
        events.MouseScrollDown(button=0, **common),
        events.MouseScrollUp(button=0, **common),
    ]


@pytest.mark.parametrize(
    "sizes",
    [((120, 40), (80, 24)), ((80, 24), (120, 40)), ((120, 40), (60, 15))],
    ids=["wide-to-compact", "compact-to-wide", "wide-to-too-small"],
)
def test_a_click_while_the_layout_is_rebuilt_is_harmless(sizes):
    start, end = sizes

    async def main():
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=start) as pilot:
            await pilot.pause()
            app.post_message(events.Resize(Size(*end), Size(*end)))  # the clicks come before its layout
            for x, y in POINTS:
                for event in mouse_events(x, y):
                    app.post_message(event)
            await pilot.pause()
            await pilot.pause()
            assert app.return_code is None
            before = app.stepper.position
            await pilot.press("space")
            return app.stepper.position - before, tuple(app.size)

    moved, size = asyncio.run(main())
    assert moved == (1 if min(end) >= 24 and end[0] >= 80 else 0) and size == end
