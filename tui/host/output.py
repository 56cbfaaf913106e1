"""The process's own output: results on stdout (written as they are computed, a reader that leaves
is not an error), and one-line messages on stderr, user text escaped (config.shown) so a message is
always one line and never a terminal escape sequence."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from engine import config

PROG = "backprop-tui"


class OutputError(Exception):
    """Standard output cannot be written (full disk, I/O error: the message says why; none: closed)."""


def emit(text: str) -> None:
    """Write to standard output; a failure other than the reader leaving is an OutputError."""
    if sys.stdout is None:  # started with stdout closed (`backprop-tui trace >&-`)
        raise OutputError()
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:  # ENOSPC, EIO; ValueError: the stream was closed
        raise OutputError(getattr(e, "strerror", None) or str(e)) from None


def emit_all(pieces: Iterable[str]) -> None:
    """Write each piece as it comes and flush it, so a long run shows (and `| head` stops it) early."""
    for piece in pieces:
        emit(piece)
        flush_stdout()


def flush_stdout() -> None:
    if sys.stdout is None:
        raise OutputError()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:
        raise OutputError(getattr(e, "strerror", None) or str(e)) from None


def say(line: str) -> None:
    """One line on stderr, user text escaped (config.shown); nothing if stderr is closed too."""
    if sys.stderr is None:
        return
    try:
        print(config.shown(line), file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
