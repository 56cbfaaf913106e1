"""How often a fast path gave up and left the work to Textual's own path.

Each fast path of the app makes what Textual would make, faster, for the cases it knows; for the
others it defers to Textual: a panel's rows that the row cache cannot make (tui/app/widgets/base.py,
kind "rows"), a cell diff that failed (diffscreen.py, kind "diff"), a frame Textual's private
compositor could not make (diffscreen.frame_ansi, kind "frame"). The screen is right either way, but
a deferral costs the budgets the fast path is there for, so each one is counted here, by kind, and
the app tests assert that none happens
(tests/conftest.py): a change that makes the fast paths give up shows as a failing test, not as a
slower app nobody measured.
"""

from __future__ import annotations

from collections import Counter

_counts: Counter[str] = Counter()


def note(kind: str) -> None:
    """A fast path gave up once; `kind` says which (rows, diff, theme, title, frame)."""
    _counts[kind] += 1


def count() -> int:
    """Fallbacks since the process started (or the last reset)."""
    return sum(_counts.values())


def counts() -> dict[str, int]:
    """Fallbacks by kind."""
    return dict(_counts)


def reset() -> None:
    _counts.clear()


__all__ = ["note", "count", "counts", "reset"]
