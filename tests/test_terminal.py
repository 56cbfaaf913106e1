"""The app in terminals as they come (issue 9): TERM=dumb, huge sizes, no terminal at all, signals,
idle, and a recording that ends on the last frame. Real processes in a pty, or Pilot."""
from __future__ import annotations

import asyncio
import tracemalloc

from engine import presets
from ptyhelp import PtyApp
from tui.app import MAX_SIZE, BackpropApp


def test_dumb_terminal_draws_the_app_and_quits_with_q():
    with PtyApp(term="dumb", cols=120, rows=40) as app:  # the roomy layout: Rich guesses 80×25
        assert app.read_until(b" quit "), app.out[-2000:]  # the key bar, last line of the first frame
        app.settle()
        app.send(b"q")
        assert app.wait() == 0, app.out[-2000:]


# --- a terminal larger than the app lays out ---------------------------------------------------

def test_a_resize_to_a_huge_terminal_lays_out_at_the_cap_and_keys_still_work():
    """One websocket message in `serve` can ask for any size: 80×100000 took ~2 GB and minutes."""
    async def main():
        app = BackpropApp(presets.lecture())
        seen = []
        async with app.run_test(size=(100, 30)) as pilot:
            async def resize_then_key(size):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                await pilot.press("f")
                await pilot.pause()
                seen.append((tuple(app.size), tuple(app.screen.size), app.snapshot.phase.name))

            tracemalloc.start()
            try:
                await resize_then_key((80, 100_000))
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            await resize_then_key((100_000, 80))
        return seen, peak

    seen, peak = asyncio.run(asyncio.wait_for(main(), timeout=60))
    assert seen == [((80, MAX_SIZE[1]), (80, MAX_SIZE[1]), "F1"), ((MAX_SIZE[0], 80), (MAX_SIZE[0], 80), "F2")]
    assert peak < 100e6  # bytes; ~15 MB at the cap


def test_a_resize_to_a_size_that_is_no_size_is_ignored():
    """A browser's resize message can hold anything: the app keeps its size and goes on."""
    async def main():
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=(100, 30)) as pilot:
            for width, height in (("x", 5), (-1, 40), (80.5, 30), (None, None)):
                await pilot.resize_terminal(width, height)
                await pilot.pause()
            await pilot.press("f")
            await pilot.pause()
            return tuple(app.size), app.snapshot.phase.name

    assert asyncio.run(asyncio.wait_for(main(), timeout=60)) == ((100, 30), "F1")
