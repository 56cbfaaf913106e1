"""The bound on the input the app holds unhandled (tui/app/input_gate.py, issue 18): a flood of keys
from a browser tab or a fast paste into a terminal is dropped beyond MAX_PENDING_INPUT, said, and
never queues minutes of work or hundreds of MB."""

from __future__ import annotations

import gc
import re
import threading
import time
from pathlib import Path

from textual import events
from textual.drivers.linux_driver import LinuxDriver

from engine import presets
from ptyhelp import PtyApp
from tui.app.app import BackpropApp
from tui.app.input_gate import MAX_PENDING_INPUT, InputGate, bounded

WAIT = 30  # seconds: generous bound for an app process to do what is asked


def key(char: str = "l") -> events.Key:
    return events.Key(char, char)


def test_the_gate_holds_at_most_its_limit_and_counts_what_it_drops():
    gate = InputGate(limit=3)
    held = [key() for _ in range(3)]
    assert all(gate.admit(k) for k in held) and gate.pending == 3
    assert not gate.admit(key()) and not gate.admit(events.Paste("x" * 10))  # full: dropped
    assert gate.admit(events.AppFocus())  # not input: passes
    assert gate.take_dropped() == 0  # said only once the burst is over
    for k in held:
        gate.handled(k)
    assert gate.pending == 0 and gate.take_dropped() == 2 and gate.take_dropped() == 0
    assert gate.admit(key())


def test_an_event_lost_on_the_way_frees_its_place():
    """Textual drops what is posted while the app closes: such an event never reaches the app, and
    must not hold its place in the gate for good."""
    gate = InputGate(limit=2)
    assert gate.admit(key()) and gate.admit(key())  # nobody keeps them: lost
    gc.collect()
    assert gate.pending == 0 and gate.admit(key())


def test_the_driver_posts_only_what_the_gate_admits():
    class Recording:
        def __init__(self):
            self.posted = []

        def process_message(self, message):
            self.posted.append(message)

    gate = InputGate(limit=2)
    driver = bounded(Recording, gate)()
    keys = [key() for _ in range(5)]
    for k in keys:
        driver.process_message(k)
    assert driver.posted == keys[:2]


def test_the_app_bounds_the_driver_textual_chooses():
    app = BackpropApp(presets.lecture())
    assert issubclass(app.driver_class, LinuxDriver)  # still the terminal's driver (tui.app.app.terminal_driver)
    assert app.driver_class.process_message is not LinuxDriver.process_message


def test_dropped_keys_are_said_once_the_app_has_caught_up(drive):
    said = []

    async def scenario(app, pilot):
        app.notify = lambda message, **kw: said.append(message)
        gate = app.input_gate
        waiting = [key() for _ in range(gate.limit)]
        for k in waiting:
            assert gate.admit(k)
        for _ in range(7):
            assert not gate.admit(key())
        for k in waiting[:-1]:
            gate.handled(k)
        await pilot.press("f")  # one still waits: nothing said yet
        assert said == []
        gate.handled(waiting[-1])
        await pilot.press("f")
        await pilot.press("f")

    drive(scenario)
    assert said == [
        f"Keys dropped: 7 (they came faster than the app can handle them; at most {MAX_PENDING_INPUT} wait)."
    ]


def peak_memory_mb(pid: int) -> float:
    try:
        found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(found[1]) / 1024 if found else 0.0


def test_a_paste_of_200_000_keys_into_a_terminal_stays_small_and_q_still_quits():
    """A fast paste over SSH (no bracketed paste: 200 000 separate `l`, each a language switch that
    redraws every panel): the app holds at most MAX_PENDING_INPUT of them, and a q typed after them
    is handled within the time those take, not hours later."""
    with PtyApp("--preset", "xor", cols=100, rows=30) as app:
        assert app.read_until(b"xor")
        app.settle(quiet=0.3)
        flood = threading.Thread(target=app.send, args=(b"l" * 200_000,), daemon=True)
        flood.start()
        peak = 0.0
        deadline = time.monotonic() + WAIT
        while app.proc.poll() is None and time.monotonic() < deadline:
            peak = max(peak, peak_memory_mb(app.proc.pid))
            if not flood.is_alive():
                app.send(b"q")  # dropped while the gate is full; handled once there is room
            app.settle(quiet=0.5, timeout=0.5)  # what it draws is read: it never waits to write
        assert app.proc.poll() is not None, "q after a paste of 200 000 keys did not end the app"
        assert peak < 250, f"the app grew to {peak:.0f} MB"


def test_every_event_may_reach_the_gate():
    gate = InputGate()
    gate.handled(events.DescendantFocus(None))  # a dataclass event: cannot be hashed
    assert gate.pending == 0
