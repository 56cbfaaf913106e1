"""The data-set loss per epoch, L₀, L₁, … (DESIGN §6), kept in O(1) per epoch across the Snapshots.

Every epoch end makes a new Snapshot with one more loss. Copying the whole list into each one costs
O(epochs) per epoch, and after a long play run every `e` held its own copy (a 1 000 000-epoch run
and 100 `e` held 102 arrays of 8 MB). Instead the Snapshots of one line of history share one
append-only buffer, and each holds how many of its entries are its own: a LossHistory is (buffer,
n), its losses the first n entries. Entries below a buffer's fill are never written again, so
what a Snapshot shows can never change under it, and undo/redo only move between lengths.

A branch (undo, then a step that ends an epoch) appends at a length shorter than the buffer's
fill: if the same numbers already follow there they are shared, otherwise the branch copies its
losses into a buffer of its own (copy-on-branch) and the snapshots still in the undo stack keep
the old one, unchanged. The buffer doubles when full, so appending costs O(1) amortised.

Growing copies the losses into a new array, and for that moment both are in memory: a history of
n losses briefly takes 2 × 8n bytes (issue 18: a 1 000 000-epoch play run). So (a) capacities are
powers of two, whatever the sizes of the pieces appended: a play run's first pieces (their size
depends on the machine's speed) used to set a capacity like 3 900 · 2ᵏ, whose last doubling could
fall anywhere up to the run's end, when it cost ~8 MB more than the same run with its last doubling
at half-way; and (b) an append can say how many more losses will follow (`room`: a play run's
epochs still to go, up to MAX_ROOM), and a buffer that must grow then grows once to hold them
too, while it is still small. Room not yet written costs address space only: the system gives a
large array its memory page by page as it is written.

A history belongs to one model (issue 11): a change of the model (hidden or output activation,
weights, data, a model loaded, reset) starts a new one, whose `start` says what started it; the
Snapshots before the change keep the old history, so undo brings it back exactly. η alone does not
change the model: the history goes on and records the change in `lr_changes`, a chain shared by the
histories after it (O(1) per change, no copy). Changes after the same L_k collapse into one (from
the first η to the last; none if they cancel), so the chain holds at most one change per epoch
however often + and − are pressed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

MIN_CAPACITY = 16
# The most room an append reserves beyond its own losses: 2²³ losses, 64 MiB of address space. A
# longer run goes on doubling past it.
MAX_ROOM = 1 << 23


def capacity_for(n: int) -> int:
    """The smallest power of two ≥ n (and ≥ MIN_CAPACITY): every buffer's capacity."""
    return max(MIN_CAPACITY, 1 << max(n - 1, 0).bit_length())


class LossBuffer:
    """Append-only float64 storage. The one thing here that changes; only LossHistory appends to it.

    The lock makes an append atomic: the `e` worker's thread may end an epoch on a history the
    App's thread also extends."""

    __slots__ = ("data", "filled", "lock", "grown")

    def __init__(self, capacity: int) -> None:
        self.data = np.empty(capacity_for(capacity), dtype=np.float64)
        self.filled = 0
        self.lock = threading.Lock()
        self.grown = 0  # how many times the losses were copied into a larger array

    def append(self, values: np.ndarray, room: int = 0) -> None:
        """Write `values` after the filled part (the caller holds the lock). When full, the buffer
        doubles, or grows to hold `room` more losses after these if that is more (module docstring)."""
        end = self.filled + len(values)
        if end > len(self.data):
            grown = np.empty(capacity_for(max(2 * len(self.data), end + min(max(room, 0), MAX_ROOM))), dtype=np.float64)
            grown[: self.filled] = self.data[: self.filled]
            grown[self.filled : end] = values
            self.data = grown  # views of the old array keep their (equal) entries
            self.grown += 1
        else:
            self.data[self.filled : end] = values
        self.filled = end


@dataclass(frozen=True)
class HistoryStart:
    """What started a loss history. `kind`: start (the model the app opened with), reset, load (a model
    file or preset; `detail` its name), activation (`detail` the hidden one), output (`detail` the output
    one), weights, data, or edit (several of those at once)."""

    kind: str = "start"
    detail: str = ""


FIRST = HistoryStart()


@dataclass(frozen=True)
class LrChange:
    """η went from `old` to `new` after L_`at` was recorded (it acts from the epoch after L_at on, or
    from the rest of it if the change came mid-epoch). `before`: the earlier changes, shared."""

    at: int
    old: float
    new: float
    before: LrChange | None = None


@dataclass(frozen=True, eq=False)
class LossHistory:
    """L₀ … L_{n−1}: the first `n` entries of `buffer`, shared with the other Snapshots of its line;
    `start` says what started it, `lr_changes` the last η change in it (module docstring)."""

    buffer: LossBuffer
    n: int
    start: HistoryStart = FIRST
    lr_changes: LrChange | None = None

    @classmethod
    def of(cls, values, start: HistoryStart = FIRST, lr_changes: LrChange | None = None) -> LossHistory:
        """A history of its own holding `values`."""
        new = np.asarray(values, dtype=np.float64).reshape(-1)
        buffer = LossBuffer(2 * len(new))
        buffer.append(new)
        return cls(buffer, len(new), start, lr_changes)

    def __len__(self) -> int:
        return self.n

    @property
    def values(self) -> np.ndarray:
        """The losses, as a read-only view (no copy)."""
        view = self.buffer.data[: self.n]
        view.flags.writeable = False
        return view

    @property
    def last(self) -> float:
        return float(self.buffer.data[self.n - 1])

    def append(self, values, room: int = 0) -> LossHistory:
        """This history with `values` after it; this one is unchanged. `room`: how many more losses
        are expected after these (a play run's epochs still to go), so that a buffer that must grow
        grows once for all of them (module docstring)."""
        new = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(new) == 0:
            return self
        end = self.n + len(new)
        buffer = self.buffer
        with buffer.lock:
            if buffer.filled == self.n:  # the usual case: the end of the line
                buffer.append(new, room)
                return LossHistory(buffer, end, self.start, self.lr_changes)
            if buffer.filled >= end and _identical(buffer.data[self.n : end], new):
                # the branch computed what follows already: share it
                return LossHistory(buffer, end, self.start, self.lr_changes)
        # a branch: a buffer of its own
        return LossHistory.of(np.concatenate([self.values, new]), self.start, self.lr_changes)

    def with_lr(self, old: float, new: float) -> LossHistory:
        """This history with η changed from `old` to `new` now (after its last loss); the losses are
        shared, not copied. A change after the same loss as the last one merges with it."""
        at, last = self.n - 1, self.lr_changes
        if last is not None and last.at == at:
            old, last = last.old, last.before
        changes = last if old == new else LrChange(at, old, new, last)
        return LossHistory(self.buffer, self.n, self.start, changes)

    @property
    def lr_marks(self) -> tuple[LrChange, ...]:
        """The η changes, oldest first (one per epoch at most: module docstring)."""
        out = []
        c = self.lr_changes
        while c is not None:
            out.append(c)
            c = c.before
        return tuple(reversed(out))

    def lr_per_loss(self, lr_now: float) -> np.ndarray:
        """η in force when each L_k was recorded: the `old` of the first change after L_k, else `lr_now`
        (the η of the Snapshot this history belongs to). O(n + changes)."""
        out = np.full(self.n, float(lr_now))
        begin = 0
        for c in self.lr_marks:  # oldest first: each sets the losses from the one before up to its own
            out[begin : c.at + 1] = c.old
            begin = c.at + 1
        return out

    def same(self, other: LossHistory) -> bool:
        """Equal by value (NaN equal to NaN), its start and its η changes too."""
        return (
            self.n == other.n
            and self.start == other.start
            and [(c.at, c.old, c.new) for c in self.lr_marks] == [(c.at, c.old, c.new) for c in other.lr_marks]
            and bool(np.array_equal(self.values, other.values, equal_nan=True))
        )


def _identical(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit: the same numbers, NaN included (a NaN's payload too)."""
    return a.shape == b.shape and bool(np.array_equal(a.view(np.int64), b.view(np.int64)))
