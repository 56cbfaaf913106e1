"""tui/app/gctime.py: the collector runs after frames (young generations) and in quiet time (full passes)."""

from __future__ import annotations

import asyncio
import gc

import pytest

from tui.app import gctime


@pytest.fixture
def collects(monkeypatch):
    """Record gc.collect calls instead of running them; restore the collector's state afterwards."""
    calls = []
    monkeypatch.setattr(gctime.gc, "collect", lambda generation=2: calls.append(generation) or 0)
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield calls
    gc.set_threshold(*threshold)
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_young_collections_follow_frames_and_a_full_pass_waits_for_quiet(collects, monkeypatch):
    monkeypatch.setattr(gctime, "YOUNG_OBJECTS", 0)  # every frame has enough new objects
    monkeypatch.setattr(gctime, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(gctime, "FULL_AFTER", 3)
    monkeypatch.setattr(gctime, "MIDDLE_EVERY", 3)

    async def scenario():
        fgc = gctime.FrameGC()
        fgc.frame_written()  # not started: nothing
        await asyncio.sleep(0.01)
        assert collects == []
        gc.disable()
        fgc.start()
        assert gc.isenabled() and gc.get_threshold()[0] == gctime.SAFETY_THRESHOLD
        for _ in range(3):  # frames in quick succession: one young collection after each
            fgc.frame_written()
            await asyncio.sleep(0.01)
        assert collects == [0, 0, 1]  # the youngest generation; every third time the middle one too
        fgc.frame_written()  # another frame before the quiet time is up: the full pass waits again
        await asyncio.sleep(0.03)
        assert 2 not in collects
        await asyncio.sleep(0.08)
        assert collects[-1] == 2 and fgc.young_runs == 0
        fgc.stop()
        assert gc.get_threshold()[0] != gctime.SAFETY_THRESHOLD

    asyncio.run(scenario())


def test_without_a_quiet_moment_a_full_pass_still_comes(collects, monkeypatch):
    """Play or a key script draws frame after frame with no quiet second: the oldest generation is
    collected anyway after FULL_LIMIT young collections (issue 18: a 1 000 000-epoch play run and 100 e
    built up ~70 000 dead objects, 6 MB, waiting for a quiet moment that never came)."""
    monkeypatch.setattr(gctime, "YOUNG_OBJECTS", 0)
    monkeypatch.setattr(gctime, "IDLE_SECONDS", 10.0)  # never quiet long enough within this test
    monkeypatch.setattr(gctime, "FULL_AFTER", 2)
    monkeypatch.setattr(gctime, "FULL_LIMIT", 5)

    async def scenario():
        fgc = gctime.FrameGC()
        fgc.start()
        for _ in range(4):
            fgc.frame_written()
            await asyncio.sleep(0.01)
        assert 2 not in collects and fgc.young_runs == 4  # quiet time is still awaited
        for _ in range(3):
            fgc.frame_written()
            await asyncio.sleep(0.01)
        assert collects.count(2) == 1 and fgc.young_runs < 5  # without a quiet second
        fgc.stop()

    asyncio.run(scenario())


def test_a_quiet_app_never_collects(collects, monkeypatch):
    """Idle stays at zero: with no new objects, frames schedule nothing, and nothing runs later."""
    monkeypatch.setattr(gctime, "YOUNG_OBJECTS", 10**9)
    monkeypatch.setattr(gctime, "IDLE_SECONDS", 0.02)

    async def scenario():
        fgc = gctime.FrameGC()
        fgc.start()
        fgc.frame_written()
        await asyncio.sleep(0.05)
        fgc.stop()

    asyncio.run(scenario())
    assert collects == []


def test_the_app_collects_after_its_frames(collects, monkeypatch, drive):
    monkeypatch.setattr(gctime, "YOUNG_OBJECTS", 0)

    def configure(app):
        app.resume_gc = True
        gc.disable()

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b")
        await pilot.pause(0.05)
        assert app.frame_gc.active and 0 in collects  # the youngest generation, after the frames

    app = drive(scenario, configure=configure)
    assert not app.frame_gc.active  # stopped when the app ended,
    assert gc.get_threshold()[0] != gctime.SAFETY_THRESHOLD  # with the collector's thresholds as before
