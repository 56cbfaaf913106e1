"""A real process of the app in a pseudo-terminal, as a person's terminal runs it: read what it
writes, type keys, send signals, look at the terminal's modes afterwards."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


_TOKEN = re.compile(
    r"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\\\)|\x1b[()][A-Za-z0-9]|\x1b.|[^\x1b]", re.S
)


class Cells:
    """The cells of a terminal of cols×rows as a program's output leaves them: a small emulator of what
    Textual writes (cursor moves, text, erasing); colours and modes are ignored. Textual redraws only
    the cells that change, so a screen is read here, not from the raw output."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0

    def feed(self, text: str) -> None:
        for m in _TOKEN.finditer(text):
            final = m.group(3)
            if final is not None:
                self._csi(m.group(1), final)
                continue
            ch = m.group(0)
            if ch.startswith("\x1b"):
                continue
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif ch == "\b":
                self.x = max(self.x - 1, 0)
            elif ch.isprintable():
                wide = unicodedata.east_asian_width(ch) in ("W", "F")
                if 0 <= self.y < self.rows and 0 <= self.x < self.cols:
                    self.cells[self.y][self.x] = ch
                    if wide and self.x + 1 < self.cols:
                        self.cells[self.y][self.x + 1] = ""
                self.x += 2 if wide else 1

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", "<", ">", "=")):
            return
        nums = [int(p) if p else 0 for p in params.split(";")] if params else []
        n = nums[0] if nums and nums[0] else 1
        if final in "Hf":
            self.y = max((nums[0] if nums else 1) - 1, 0)
            self.x = max((nums[1] if len(nums) > 1 else 1) - 1, 0)
        elif final == "A":
            self.y = max(self.y - n, 0)
        elif final == "B":
            self.y = min(self.y + n, self.rows - 1)
        elif final == "C":
            self.x += n
        elif final == "D":
            self.x = max(self.x - n, 0)
        elif final == "G":
            self.x = n - 1
        elif final == "d":
            self.y = n - 1
        elif final == "K":
            mode = nums[0] if nums else 0
            row = self.cells[self.y] if 0 <= self.y < self.rows else []
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1), 2: (0, self.cols)}.get(mode, (0, 0))
            for k in range(max(lo, 0), min(hi, len(row))):
                row[k] = " "
        elif final == "J":
            mode = nums[0] if nums else 0
            if mode in (2, 3):
                self.cells = [[" "] * self.cols for _ in range(self.rows)]
            elif mode == 0:
                self._csi("0", "K")
                for r in range(self.y + 1, self.rows):
                    self.cells[r] = [" "] * self.cols

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.cells)


class PtyApp:
    """`python -m tui ARGS` on a new pty of cols×rows; the test keeps the terminal's own end
    open too, so its modes (echo, canonical input) can be read after the app has gone."""

    def __init__(
        self,
        *args: str,
        cols: int = 100,
        rows: int = 30,
        term: str = "xterm-256color",
        env: dict | None = None,
        argv: list[str] | None = None,
    ) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.modes_before = termios.tcgetattr(self.slave)
        full_env = dict(os.environ, TERM=term, **(env or {}))
        for var in ("COLUMNS", "LINES", "TEXTUAL_DRIVER"):
            full_env.pop(var, None)
        self.proc = subprocess.Popen(
            argv or [sys.executable, "-m", "tui", *args],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,
        )  # its own session: the pty is its terminal
        self.out = b""
        self.cols, self.rows = cols, rows
        self._cells: Cells | None = None
        self._fed = 0

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

    def screen(self) -> str:
        """The terminal's cells now (Cells), one line per row."""
        if self._cells is None:
            self._cells = Cells(self.cols, self.rows)
        chunk = self.out[self._fed :]
        cut = len(chunk)
        esc = chunk.rfind(b"\x1b")
        if esc >= 0 and not re.match(
            rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*\x07|[()][A-Za-z0-9]|[^\[\]()])", chunk[esc:]
        ):
            cut = esc  # a sequence not written whole yet: fed with the next read
        while cut > 0:
            try:
                text = chunk[:cut].decode("utf-8")
                break
            except UnicodeDecodeError as e:
                if e.start < cut - 3:
                    text = chunk[:cut].decode("utf-8", "replace")
                    break
                cut = e.start  # a character cut in two by the read
        else:
            text = ""
        self._cells.feed(text)
        self._fed += cut
        return self._cells.text()

    def wait_screen(self, text: str, timeout: float = 30.0) -> bool:
        """Read until the screen shows `text` (True), or timeout / the app ended (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            if not self._read(0.1) and self.proc.poll() is not None:
                self._read(0.1)
                break
        return text in self.screen()

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

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["PtyApp", "Cells", "ROOT"]
