"""The first frame that shows a change, for the in-process latency items (bench_app.py items 2 and 9,
bench_session.py item 3). No side effects on import: each benchmark keeps its own process settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class FrameWatch:
    """Wraps the screen's compositor render: after `expect(check)`, `wait()` returns at the first
    render at which `check()` holds (Textual's own update timer included, as a user at a terminal
    sees it); `stop()` watches nothing until the next `expect`."""

    def __init__(self, screen) -> None:
        self.frame = asyncio.Event()
        self.check: Callable[[], bool] | None = None
        original = screen._compositor_refresh

        def refresh() -> None:
            original()
            if self.check is not None and self.check():
                self.frame.set()

        screen._compositor_refresh = refresh

    def expect(self, check: Callable[[], bool] | None) -> None:
        self.frame.clear()
        self.check = check

    async def wait(self, timeout: float = 10) -> None:
        await asyncio.wait_for(self.frame.wait(), timeout)

    def stop(self) -> None:
        self.check = None
