"""`--quiz-log FILE`: one CSV row per quiz question, for the lecturer to collect (issue 19).

Each finished question (tui.app.quiz.Outcome) appends one row: the time (ISO 8601, local, with its UTC
offset), the student's name (`--name`, default the login name), the epoch, sample and micro-step,
the question as a language-neutral ASCII id (z_1^(1), dL/dw_21^(1), new w_11^(2)), the answer typed at
each try, the right value, right at the first try, right at the second, revealed. The header is
written only when the file is new or empty.

Safe with several apps on one file (a class writing to a shared folder): each row is one write(2) on a
descriptor opened with O_APPEND, under an exclusive flock(2) that also decides, atomically, whether
the header is due. A name is one line of at most MAX_NAME printable characters, and one that a
spreadsheet would take for a formula (=, +, -, @ first) is written with a leading apostrophe; the
csv module quotes commas and quotes.

The command line checks the file once at start-up (`check`: exit 2 and one line if it cannot be
opened for appending); a write that fails later raises OSError, which the app turns into a notice.
No Textual here.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
import stat
from datetime import datetime

try:
    import fcntl
except ImportError:  # not POSIX: one write with O_APPEND is still one row
    fcntl = None  # type: ignore[assignment]

HEADER = (
    "time",
    "student",
    "epoch",
    "sample",
    "phase",
    "question",
    "answer_1",
    "answer_2",
    "value",
    "right_first_try",
    "right_second_try",
    "revealed",
)
MAX_NAME = 32
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
FALLBACK_NAME = "student"
MAX_ANSWER = 64


def clean_name(name: str | None) -> str:
    """The name as one line of at most MAX_NAME printable characters, never read as a formula."""
    text = "".join(c if c.isprintable() else " " for c in (name or ""))
    text = " ".join(text.split())
    if not text:
        return FALLBACK_NAME
    if text.startswith(FORMULA):
        text = "'" + text
    return text[:MAX_NAME]


def login_name() -> str:
    """The login name, or FALLBACK_NAME when there is none (no passwd entry, no LOGNAME in a container)."""
    try:
        return clean_name(getpass.getuser())
    except Exception:  # noqa: BLE001 - getuser raises OSError or KeyError, depending on the platform
        return FALLBACK_NAME


def _flags() -> int:
    return os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def _open(path: str) -> int:
    """A descriptor for appending to `path` (created if missing); OSError if it is not a regular file."""
    fd = os.open(path, _flags() | getattr(os, "O_NONBLOCK", 0), 0o644)  # a FIFO without a reader: ENXIO
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def check(path: str) -> None:
    """Start-up: the file can be opened for appending (a missing folder, a folder, no permission:
    OSError). It is created, empty, if missing."""
    os.close(_open(path))


def _cell(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)[:MAX_ANSWER]


def row(outcome, student: str, when: datetime | None = None) -> tuple[str, ...]:
    """The CSV cells of one finished question (tui.app.quiz.Outcome)."""
    q = outcome.question
    when = when or datetime.now().astimezone()
    answers = [_cell(a) for a in outcome.answers[:2]] + [""] * (2 - min(len(outcome.answers), 2))
    return (
        when.isoformat(timespec="seconds"),
        clean_name(student),
        str(q.epoch + 1),
        str(q.sample + 1),
        q.phase.value,
        q.ident,
        *answers,
        format(q.value, ".10g"),
        str(outcome.first).lower(),
        str(outcome.second).lower(),
        str(outcome.revealed).lower(),
    )


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for cells in rows:
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


class QuizLog:
    """The log file of --quiz-log; `append` writes one row, with the header first when the file is empty."""

    def __init__(self, path: str, student: str) -> None:
        self.path = os.path.abspath(path)  # the notice of a failed write names it whole
        self.student = clean_name(student)

    def append(self, outcome, when: datetime | None = None) -> None:
        """One row, in one write; OSError if it cannot be written."""
        line = row(outcome, self.student, when)
        fd = _open(self.path)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes
            data = _csv(([HEADER] if os.fstat(fd).st_size == 0 else []) + [line])
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(f"short write ({written} of {len(data)} bytes): {self.path}")
        finally:
            os.close(fd)


__all__ = ["HEADER", "MAX_NAME", "QuizLog", "check", "clean_name", "login_name", "row"]
