"""Fixtures of the tests of tui/ (tests/conftest.py holds those of every layer)."""

from __future__ import annotations

import asyncio
import os

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


@pytest.fixture
def c_utf8_env() -> dict[str, str]:
    """The tests' environment for a command that must answer in English whoever runs the tests: the
    C.UTF-8 locale, and no LANGUAGE (gettext's first choice) or PYTHONWARNINGS of theirs."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS", "LANGUAGE")}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env
