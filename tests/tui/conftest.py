"""Fixtures of the tests of tui/ (tests/conftest.py holds those of every layer)."""
from __future__ import annotations

import asyncio

import pytest

from engine import presets
from tui.app.app import BackpropApp


@pytest.fixture(scope="session")
def drive():
    """drive(scenario, *, size=(120, 40), model=None, configure=None, **kw): run `scenario(app, pilot)`
    inside app.run_test, headless, and return the app; `configure(app)` first, kw go to BackpropApp.
    No pytest-asyncio: each call runs its own event loop with asyncio.run."""
    def run(scenario, *, size=(120, 40), model=None, configure=None, **kw):
        app = BackpropApp(model or presets.lecture(), **kw)
        if configure is not None:
            configure(app)

        async def main():
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await scenario(app, pilot)

        asyncio.run(main())
        return app

    return run
