"""A real process of the app in a pseudo-terminal, as a person's terminal runs it: read what it
writes, type keys, send signals, look at the terminal's modes afterwards."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PtyApp:
    """`python -m tui ARGS` on a new pty of cols×rows; the test keeps the terminal's own end
    open too, so its modes (echo, canonical input) can be read after the app has gone."""

    def __init__(self, *args: str, cols: int = 100, rows: int = 30, term: str = "xterm-256color",
                 env: dict | None = None, argv: list[str] | None = None) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.modes_before = termios.tcgetattr(self.slave)
        full_env = dict(os.environ, TERM=term, **(env or {}))
        for var in ("COLUMNS", "LINES", "TEXTUAL_DRIVER"):
            full_env.pop(var, None)
        self.proc = subprocess.Popen(argv or [sys.executable, "-m", "tui", *args], stdin=self.slave,
                                     stdout=self.slave, stderr=self.slave, env=full_env, cwd=ROOT,
                                     start_new_session=True)  # its own session: the pty is its terminal
        self.out = b""

    def read_until(self, wanted: bytes, timeout: float = 20.0) -> bool:
        """Read until `wanted` has been written (True) or timeout / the app ended (False)."""
        deadline = time.monotonic() + timeout
        while wanted not in self.out and time.monotonic() < deadline:
            if not self._read(0.1) and self.proc.poll() is not None:
                self._read(0.1)
                break
        return wanted in self.out

    def settle(self, quiet: float = 0.5, timeout: float = 20.0) -> None:
        """Read until the app has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(quiet):
            pass

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.out += data
        return bool(data)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def wait(self, timeout: float = 20.0) -> int | None:
        """The exit code, reading what it writes meanwhile; None if it is still running."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        while self._read(0.05) and time.monotonic() < deadline + 5:  # all it wrote before it ended
            pass
        return self.proc.poll()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def modes(self) -> list:
        return termios.tcgetattr(self.slave)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> "PtyApp":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["PtyApp", "ROOT"]
