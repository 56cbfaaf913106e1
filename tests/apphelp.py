"""Shared by the Pilot tests: run a scenario inside the app, headless."""
from __future__ import annotations

import asyncio

from engine import presets
from tui.app.app import BackpropApp


def drive(scenario, *, size=(120, 40), model=None, configure=None, **kw):
    """Run `scenario(app, pilot)` inside app.run_test and return the app; `configure(app)` first."""
    app = BackpropApp(model or presets.lecture(), **kw)
    if configure is not None:
        configure(app)

    async def main():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())
    return app
