"""When Python's cyclic garbage collector runs: just after a frame is on the screen, not inside a key.

A micro-step allocates a few thousand objects (rows, segments, styles), and with the default
thresholds the collector runs wherever the count happens to cross 700: in the middle of drawing
the next frame. Measured over 300 micro-steps that was ~3 ms a key on average, and its rare full
passes (35–115 ms) were the worst key-to-screen times (issue 5, key → screen, p99).

So, once the first screen is up (BackpropApp resumes the collector that tui.main paused for
start-up, after freezing what start-up made):
- the automatic threshold is raised to SAFETY_THRESHOLD new objects, a safety net that a key
  press does not reach;
- after the frame that shows each new Snapshot (BackpropApp.watch_snapshot, Textual's public
  call_after_refresh), once YOUNG_OBJECTS objects are new, the youngest generation is collected
  (~1 ms), a moment after the frame has been written, and every MIDDLE_EVERY-th time the middle
  one with it, as CPython's own thresholds do;
- a full pass runs when the app has been quiet for IDLE_SECONDS after at least FULL_AFTER young
  collections: while a student reads, never while nothing happens at all (idle stays at zero CPU)
  and never at start-up; and, should no quiet moment come (play, a key script, a held key), after
  the frame that follows FULL_LIMIT young collections.
The collector does the same work as before; only its timing moves.

Why both (issue 18, memory after long play): Textual's Strips keep caches that can hold the Strip
itself, so every line drawn becomes a reference cycle that only the collector frees. Collecting the
middle generation after every frame moved everything alive at that moment (the rows on screen, the
Snapshot shown) straight to the oldest generation, and the rows that died a few frames later
waited there for a full pass, which needed a quiet second: a 1 000 000-epoch play run followed by
100 `e` never had one, and ~56 000 dead objects (6–7 MB, and the allocator's arenas they were spread
over) built up over its 30 s, to be freed by a 296 ms pass at the end.
"""

from __future__ import annotations

import asyncio
import gc

SAFETY_THRESHOLD = 50_000  # automatic collection of generation 0 (CPython's default is 700)
YOUNG_OBJECTS = 2_000  # new objects that make a collection after a frame worthwhile
AFTER_FRAME_SECONDS = 0.002  # the frame is written first
FULL_AFTER = 20  # young collections before a full pass is due
FULL_LIMIT = 100  # young collections after which a full pass runs without waiting for quiet time
MIDDLE_EVERY = 10  # every this many young collections, the middle generation too
IDLE_SECONDS = 1.0  # quiet time before a due full pass runs


class FrameGC:
    """Collects after frames; one per app (BackpropApp.frame_gc)."""

    def __init__(self) -> None:
        self.active = False
        self._threshold = gc.get_threshold()
        self.young_runs = 0  # young collections since the last full pass
        self._young: asyncio.TimerHandle | None = None
        self._full: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """The first screen is up: freeze what start-up made, then collect after frames from now on."""
        gc.freeze()
        self._threshold = gc.get_threshold()
        gc.set_threshold(SAFETY_THRESHOLD, *self._threshold[1:])
        gc.enable()
        self.active = True

    def stop(self) -> None:
        """Back to CPython's default collector (the app has ended)."""
        for handle in (self._young, self._full):
            if handle is not None:
                handle.cancel()
        self._young = self._full = None
        if self.active:
            gc.set_threshold(*self._threshold)
            self.active = False

    def frame_written(self) -> None:
        """Called after each frame of the main screen."""
        if not self.active or not gc.isenabled():
            return
        loop = asyncio.get_running_loop()
        if self._young is None and gc.get_count()[0] >= YOUNG_OBJECTS:
            self._young = loop.call_later(AFTER_FRAME_SECONDS, self._collect_young)
        if self._full is not None:
            self._full.cancel()
            self._full = None
        if self.young_runs >= FULL_LIMIT:  # no quiet moment came: right after this frame
            self._full = loop.call_later(AFTER_FRAME_SECONDS, self._collect_full)
        elif self.young_runs >= FULL_AFTER:
            self._full = loop.call_later(IDLE_SECONDS, self._collect_full)

    def _collect_young(self) -> None:
        self._young = None
        self.young_runs += 1
        gc.collect(1 if self.young_runs % MIDDLE_EVERY == 0 else 0)
        if self.young_runs >= FULL_AFTER and self._full is None:
            self._full = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._collect_full)

    def _collect_full(self) -> None:
        self._full = None
        gc.collect()
        self.young_runs = 0


__all__ = ["FrameGC", "SAFETY_THRESHOLD", "YOUNG_OBJECTS", "FULL_AFTER", "FULL_LIMIT", "MIDDLE_EVERY", "IDLE_SECONDS"]
