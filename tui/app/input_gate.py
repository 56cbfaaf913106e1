"""A bound on the keys (and mouse events, pastes) the app holds before it has handled them (issue 18).

Textual's drivers read the terminal (or, in a browser tab, the pipe from textual-serve) in a thread
of their own and post every key to the app's message queue at once, however many come and however
slowly the app handles them: one websocket message of 200 000 × "l" queued 200 000 language
switches; the app grew to 800 MB and spent minutes on them after its tab had closed, its exit behind
them in the queue. A fast paste over SSH into a terminal without bracketed paste does the same.

The gate keeps the input the app has been sent and not yet handled to MAX_PENDING_INPUT events;
what comes beyond it is dropped (counted) and the app says so once the burst is over. A person typing
stays far below it (a key is handled in ~10–20 ms); a key held down on a slow action (`l` redraws
every panel in ~0.1 s) stops after a few seconds of work queued instead of minutes. The driver's
side is `bounded(driver_class, gate)`, a subclass of the driver Textual chose that asks the gate
before it posts an event (Driver.process_message, public API); the app's side calls `handled(event)`
as each event reaches it (App.on_event). The gate holds its events weakly: an event Textual drops
without handling (posted while the app closes) leaves the count by itself, so a lost event can never
fill the gate for good.
"""

from __future__ import annotations

import threading
import weakref

from textual import events
from textual.driver import Driver

MAX_PENDING_INPUT = 64  # input events sent to the app and not yet handled; beyond: dropped
GATED = (events.InputEvent, events.Paste)  # keys, mouse events, pastes: what a person (or a flood) sends


class InputGate:
    """Thread-safe: `admit` in the driver's input thread, `handled` and `take_dropped` in the app's."""

    def __init__(self, limit: int = MAX_PENDING_INPUT) -> None:
        self.limit = limit
        self._pending: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()
        self._dropped = 0

    def admit(self, event: object) -> bool:
        """True if `event` may be posted to the app (it is then pending); False: dropped."""
        if not isinstance(event, GATED):
            return True
        with self._lock:
            if len(self._pending) >= self.limit:
                self._dropped += 1
                return False
            self._pending.add(event)
            return True

    def handled(self, event: object) -> None:
        """`event` reached the app: no longer pending (any event may come: only input is looked up,
        some of Textual's events cannot be hashed)."""
        if not isinstance(event, GATED):
            return
        with self._lock:
            self._pending.discard(event)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def take_dropped(self) -> int:
        """The events dropped since the last call, once none is pending (the burst is over); else 0."""
        with self._lock:
            if not self._dropped or len(self._pending):
                return 0
            dropped, self._dropped = self._dropped, 0
            return dropped


def bounded(driver_class: type[Driver], gate: InputGate) -> type[Driver]:
    """A subclass of the Textual driver class `driver_class` whose input passes through `gate`."""

    def process_message(self, message) -> None:
        if gate.admit(message):
            driver_class.process_message(self, message)

    return type(
        f"Bounded{driver_class.__name__}", (driver_class,), {"process_message": process_message, "__module__": __name__}
    )


__all__ = ["InputGate", "bounded", "MAX_PENDING_INPUT"]
