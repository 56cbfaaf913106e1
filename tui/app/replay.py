"""A key script (tui/host/script.py) replayed into the running app as Textual's auto-pilot: each key
through the same bindings a person's press goes through, the next one only when the app has settled
(every message handled, every worker finished and its results merged), so what a key does never
depends on the machine's speed or on --delay, which only paces the recording."""
from __future__ import annotations

import asyncio

from textual.worker import WorkerCancelled, WorkerFailed

from tui.host.script import Script


async def settle(pilot) -> None:
    """Until the app is idle: messages handled, workers finished, their messages merged."""
    app = pilot.app
    for _ in range(1000):
        await pilot.pause()
        running = [w for w in app.workers if not w.is_finished]
        if not running:
            await pilot.pause()  # a finished worker's last message is handled here
            if not any(not w.is_finished for w in app.workers):
                return
            continue
        try:
            await app.workers.wait_for_complete(running)
        except (WorkerCancelled, WorkerFailed):  # a key cancelled it (pause, closing a sweep): settled too
            pass


async def replay(pilot, script: Script) -> None:
    """Press the keys one by one, `delay` seconds apart (the first after `delay` too, so a viewer
    sees the start), each after the previous one has settled; then exit or stay open."""
    app = pilot.app
    for key in script.keys:
        await asyncio.sleep(script.delay)
        if app.return_code is not None:  # the script pressed q
            return
        await pilot.press(key)
        await settle(pilot)
    if script.exit_after is not None and app.return_code is None:
        await asyncio.sleep(script.exit_after)
        app.exit()



def pilot_for(script: Script | None):
    """The auto_pilot for App.run: replays `script`; None without one."""
    if script is None:
        return None

    async def auto_pilot(pilot) -> None:
        await replay(pilot, script)

    return auto_pilot
