"""A key script (tui/host/script.py) replayed into the running app as Textual's auto-pilot: each key
through the same bindings a person's press goes through, the next one only when the app has settled
(every message handled, every worker finished and its results merged), so what a key does never
depends on the machine's speed or on --delay, which only paces the recording.

Presenter mode (--present): the next key waits for the presenter's space instead of the clock. The App
hands every key event to Presenter.takes (BackpropApp.on_event): a space is the presenter's, except as
many as the script itself is sending (a scripted `space`: counted before it is pressed, so whichever
space event arrives first steps, and the app sees exactly one). A space pressed while a key is still
being played is dropped, so however fast it is pressed the script never runs ahead of what is on
screen. Waiting is an asyncio.Event: no timer runs while the app waits for the presenter.

Captions (--captions): after each key the App's `caption` names it, with the keys file's comment for
it when there is one (Script.captions), else what the key did (the phase it reached, or its help label).
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.worker import WorkerCancelled, WorkerFailed

from tui.host.script import Script
from tui.text.i18n import t
from tui.text.keys import KEY_TABLE, Key, label

_BY_NAME = {name: key for key in KEY_TABLE for name in key.names}
_MICRO = frozenset({"forward", "backward", "update", "step"})
SPACE = ("space", " ")  # a script's space, as a key name or as the character


class Presenter:
    """The presenter's space while a --present script has keys left: it plays the next one."""

    def __init__(self) -> None:
        self.active = False  # a --present script has keys left: space is the presenter's
        self._go: asyncio.Event | None = None  # set by the presenter's space while the replay waits for it
        self._scripted = 0  # spaces the script is sending: they pass

    def takes(self, event: events.Key) -> bool:
        """The App asks for every key event: True when it is the presenter's space (handled here: the
        next key, or nothing while the last one is still being played); the script's own spaces pass."""
        if not self.active or event.key != "space":
            return False
        if self._scripted:
            self._scripted -= 1
            return False
        if self._go is not None:
            self._go.set()
        return True

    async def press(self, pilot, key: str) -> None:
        """Press a scripted key; a scripted space is counted first, so it passes."""
        if key in SPACE:
            self._scripted += 1
        try:
            await pilot.press(key)
        finally:
            self._scripted = 0  # delivered (or the app is gone): no space passes unasked

    async def next(self) -> None:
        """Until the presenter presses space."""
        self._go = asyncio.Event()
        try:
            await self._go.wait()
        finally:
            self._go = None

    @property
    def waiting(self) -> bool:
        return self._go is not None and not self._go.is_set()


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


def caption(key: str, comment: str, lang: str, before, after) -> str:
    """ "f · forward pass" for a scripted key: the keys file's comment, else the phase a micro-step key
    reached (the Snapshot changed), else the key's help label; a key outside the key table by its name."""
    table_key: Key | None = _BY_NAME.get(key)
    shown = table_key.shown if table_key is not None else key
    if comment:
        return f"{shown} · {comment}"
    if table_key is None:
        return shown
    if table_key.action in _MICRO and after is not None and after is not before:
        return f"{shown} · {t('ui_phase_' + after.phase.value, lang)}"
    return f"{shown} · {label(table_key.help, lang)}"


async def replay(pilot, script: Script) -> None:
    """Press the keys one by one, `delay` seconds apart (the first after `delay` too, so a viewer
    sees the start) or each at the presenter's space, each after the previous one has settled; then
    exit or stay open."""
    app = pilot.app
    presenter: Presenter | None = getattr(app, "presenter", None) if script.present else None
    if presenter is not None:
        presenter.active = True
    try:
        for i, key in enumerate(script.keys):
            if presenter is not None:
                await presenter.next()
            else:
                await asyncio.sleep(script.delay)
            if app.return_code is not None:  # the script pressed q
                return
            before = app.snapshot
            if presenter is not None:
                await presenter.press(pilot, key)
            else:
                await pilot.press(key)
            if script.show_captions:
                app.caption = caption(key, script.caption(i), app.lang, before, app.snapshot)
            await settle(pilot)
    finally:
        if presenter is not None:
            presenter.active = False  # space steps again
    if script.show_captions and script.present and app.return_code is None:  # the presenter's space steps again
        app.caption = f"{app.caption}  ■ {t('ui_caption_end', app.lang)}".strip()
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
