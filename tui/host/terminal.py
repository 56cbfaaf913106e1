"""The terminal the interactive app draws on, and the process around it (issue 9).

- No terminal, no app: Textual's terminal driver reads keys from stdin, takes the size from stdout
  and draws on stderr. Without a terminal on each it never exits and spins (`backprop-tui
  </dev/null`: ~95 % of a core), so the app refuses to start with one line. textual-serve's web
  driver (TEXTUAL_DRIVER) talks over pipes and needs none.
- SIGTERM, SIGHUP, SIGQUIT and SIGINT (`kill -INT`; in the app ctrl+c is a key) end the app as q
  does: Textual leaves the alternate screen, turns mouse reporting off, shows the cursor and gives
  the terminal its modes back (echo, line input); the process then exits with 128 + the signal's
  number, as a shell reports a process ended by it. If the app has not ended GRACE_SECONDS later
  (the UI thread busy, or Textual's writes blocked on a terminal that hung up), or a second such
  signal comes, the terminal is restored here and the process exits at once.
- SIGTSTP (`kill -TSTP`) suspends the app and gives the terminal back; SIGCONT resumes it. A stray
  SIGCONT, or one racing the SIGTSTP, changes nothing (safe_suspend_resume).
- POSIX-only modules (termios) are imported where they are used, never when this module loads: the
  command line and the app also start where Python has none (Windows), and a signal that platform
  lacks (SIGHUP, SIGQUIT, SIGTSTP) is simply not handled (tests/test_no_posix.py).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, NoReturn

EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT") if hasattr(signal, name)
)  # Windows has SIGTERM and SIGINT only
GRACE_SECONDS = 3.0
CONTINUE_WINDOW = 0.1  # seconds: a SIGCONT this close before a SIGTSTP answers it (safe_suspend_resume)

# The largest terminal the app lays out, in cells (columns, rows): in a larger one the app uses this
# top-left part of it, and `serve` gives a browser tab no larger one (tui/cli/webserve.py). Each frame
# costs time and memory in proportion to the cells on screen, and a browser tab can ask for any size
# in one message: 80×100000 took ~2 GB and minutes of a core (issue 9).
MAX_SIZE = (1000, 500)

# What Textual's LinuxDriver.stop_application_mode writes, for when the app cannot get there itself:
# mouse reporting, bracketed paste and the kitty keyboard protocol off, line wrap on, normal screen,
# cursor shown, focus reporting off.
RESTORE = "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?7h\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l"


def safe_suspend_resume() -> None:
    """Textual's terminal driver leaves application mode on SIGTSTP and stops, and re-enters it on
    every SIGCONT. A SIGCONT that follows no SIGTSTP (`kill -CONT`, a shell's stray one), or one that
    lands while the driver is still leaving (its handlers run nested), saved the raw modes as the
    ones to restore at exit (the terminal was left without echo) and started a second key reader;
    a SIGCONT that came before the driver stopped the process left it stopped for good.

    Once the driver has installed its handlers, they are replaced by one that does the same with the
    driver's public suspend_application_mode / resume_application_mode: leave, stop (unless a
    SIGCONT already came), and on waking re-enter (which repaints through a resize), in one handler
    that a nested SIGTSTP cannot interleave. A SIGCONT only says when it came."""
    if not hasattr(signal, "SIGTSTP"):  # not POSIX: no job control to make safe
        return
    driver = getattr(signal.getsignal(signal.SIGTSTP), "__self__", None)  # the driver's bound handler
    if driver is None or not hasattr(driver, "suspend_application_mode"):
        return
    busy = threading.Lock()
    last_continue = [float("-inf")]  # time.monotonic() of the last SIGCONT

    def on_suspend(signum, frame) -> None:
        if not busy.acquire(blocking=False):  # nested in a suspend already under way
            return
        try:
            asked = time.monotonic()
            driver.suspend_application_mode()
            # Python runs the handlers of signals that arrived together in the order of their
            # numbers, SIGCONT (18) before SIGTSTP (20): a SIGCONT just before this handler, or
            # during the leaving, is the one that answers this SIGTSTP. Stopping then would wait
            # for one that never comes.
            if last_continue[0] < asked - CONTINUE_WINDOW:
                os.kill(os.getpid(), signal.SIGSTOP)  # returns once a SIGCONT has continued the process
            driver.resume_application_mode()
        finally:
            busy.release()

    def on_continue(signum, frame) -> None:
        last_continue[0] = time.monotonic()

    signal.signal(signal.SIGTSTP, on_suspend)
    signal.signal(signal.SIGCONT, on_continue)


def not_a_terminal() -> str | None:
    """The first of stdin, stdout and stderr that is not a terminal, or None."""
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, f"__{name}__")
        try:
            if stream is None or not stream.isatty():
                return name
        except ValueError:  # closed
            return name
    return None


class ExitSignals:
    """While the app runs, the EXIT_SIGNALS end it as q does (see the module's docstring).

    `install` before app.run (it keeps the terminal's modes as they are before Textual changes
    them), `uninstall` after it.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.signum: int | None = None
        self._old: dict[int, signal.Handlers | int | Callable[[int, FrameType | None], Any] | None] = {}
        self._modes: list[Any] | None = None
        self._timer: threading.Timer | None = None

    @property
    def exit_code(self) -> int | None:
        return None if self.signum is None else 128 + self.signum

    def install(self) -> None:
        self._modes = None
        try:
            import termios  # POSIX only: without it there are no modes to keep (see the module's docstring)
        except ImportError:
            pass
        else:
            stdin = sys.__stdin__  # None when Python started without one: no modes to keep
            try:
                self._modes = None if stdin is None else termios.tcgetattr(stdin.fileno())
            except (termios.error, ValueError, OSError, AttributeError):
                self._modes = None
        for signum in EXIT_SIGNALS:
            self._old[signum] = signal.signal(signum, self._handle)

    def uninstall(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for signum, handler in self._old.items():
            signal.signal(signum, handler)
        self._old.clear()

    def _handle(self, signum: int, frame) -> None:
        import asyncio  # loaded by then (Textual runs on it); not at the top: tui.main imports EXIT_SIGNALS first

        first = self.signum is None
        self.signum = self.signum or signum
        try:
            loop = asyncio.get_running_loop()  # the handler runs in the main thread, the app's loop's
        except RuntimeError:
            loop = None
        if not first or loop is None:  # a second signal, or the app is not running (yet or any more)
            self.restore_and_exit()
        self._timer = threading.Timer(GRACE_SECONDS, self.restore_and_exit)
        self._timer.daemon = True
        self._timer.start()
        loop.call_soon_threadsafe(self.app.exit, None, self.exit_code)  # wakes the loop from its wait

    def restore_and_exit(self) -> NoReturn:
        """Put the terminal back as it was, without the app, and end the process."""
        stderr = sys.__stderr__
        try:
            if stderr is not None:
                os.write(stderr.fileno(), RESTORE.encode())
        except (OSError, ValueError, AttributeError):
            pass
        if self._modes is not None:  # kept by install, so termios is there
            import termios  # (see install)

            stdin = sys.__stdin__
            try:
                if stdin is not None:
                    termios.tcsetattr(stdin.fileno(), termios.TCSANOW, self._modes)
            except (termios.error, ValueError, OSError):
                pass
        os._exit(self.exit_code or 1)


__all__ = [
    "MAX_SIZE",
    "safe_suspend_resume",
    "ExitSignals",
    "EXIT_SIGNALS",
    "GRACE_SECONDS",
    "RESTORE",
    "not_a_terminal",
]
