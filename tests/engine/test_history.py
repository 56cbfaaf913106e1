"""The loss history shared by the Snapshots (engine/history.py): O(1) per epoch, undo and branches exact."""

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from engine import activations, presets
from engine.history import MAX_ROOM, LossHistory, capacity_for
from engine.network import dataset_loss
from engine.stepper import Refused, Stepper


def data_set_loss(s) -> float:
    """L of the data set with the Snapshot's parameters: what an epoch end records."""
    return dataset_loss(s.params, s.X, s.Y, activations.get(s.hidden), activations.get(s.output))


class CopyEverything(RuleBasedStateMachine):
    """Keys and undo/redo on a Stepper, against a reference that copies every Snapshot's losses.

    Every Snapshot ever made (those of discarded redo branches too) is kept with the losses it must
    show, built from its predecessor's reference copy, never from the shared buffer: a branch that
    wrote over entries another Snapshot still shows would be caught."""

    def __init__(self):
        super().__init__()
        self.stepper = Stepper(presets.load("xor"), history_limit=40)  # 20 micro-steps an epoch
        first = self.stepper.snapshot
        self.kept = [first]  # every Snapshot made, alive, so no id is reused
        self.expected = {id(first): [data_set_loss(first)]}

    def _record_new(self, before: tuple):
        """Reference copies for the Snapshots the last action added after `before` (history ids)."""
        history = self.stepper.history
        known = set(before)
        for k, s in enumerate(history):
            if id(s) in known or id(s) in self.expected:
                continue
            base = self.expected[id(history[k - 1])]
            if s.action in ("reset", "load") or (s.action == "activation" and s.hidden != history[k - 1].hidden):
                want = [data_set_loss(s)]  # another model: a history of its own (issue 11)
            elif s.action == "update" and s.sample == s.m - 1:
                want = base + [data_set_loss(s)]  # this micro-step ended an epoch
            else:
                want = list(base)
            self.expected[id(s)] = want
            self.kept.append(s)

    def _key(self, name):
        before = tuple(id(s) for s in self.stepper.history)
        try:
            getattr(self.stepper, name)()
        except Refused:
            return
        self._record_new(before)

    @rule(
        name=st.sampled_from(
            [
                "step",
                "forward",
                "backward",
                "update",
                "finish_sample",
                "finish_epoch",
                "reset",
                "cycle_hidden",
                "lr_up",
                "lr_down",
            ]
        )
    )
    def key(self, name):
        self._key(name)

    @rule(times=st.integers(1, 30))
    def undo(self, times):
        for _ in range(times):
            if self.stepper.can_undo:
                self.stepper.undo()

    @rule(times=st.integers(1, 30))
    def redo(self, times):
        for _ in range(times):
            if self.stepper.can_redo:
                self.stepper.redo()

    @rule(run=st.lists(st.floats(0.0, 1.0), max_size=6))
    def play(self, run):
        """Epochs trained elsewhere (the play worker), merged into one history entry."""
        base = self.stepper.snapshot
        if not self.stepper.at_epoch_boundary():
            return
        new = self.stepper.adopt(base.params, run)
        self.expected[id(new)] = self.expected[id(base)] + run
        self.kept.append(new)

    @invariant()
    def every_snapshot_shows_its_own_history(self):
        for s in self.kept:
            want = self.expected[id(s)]
            assert s.losses.tolist() == want or np.array_equal(s.losses, want, equal_nan=True)
            assert np.array_equal([s.loss_now], s.losses[-1:], equal_nan=True)


TestCopyEverything = CopyEverything.TestCase
TestCopyEverything.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)


def long_history(epochs: int) -> Stepper:
    stepper = Stepper(presets.load("xor"))
    stepper.adopt(stepper.snapshot.params, np.linspace(0.25, 0.01, epochs))
    return stepper


def test_a_hundred_e_after_a_long_history_share_one_buffer():
    stepper = long_history(100_000)
    for _ in range(100):
        stepper.finish_epoch()
    history = stepper.history
    assert len(history[-1].losses) == 100_000 + 1 + 100
    buffers = {id(s.loss_history.buffer) for s in history}
    arrays = {id(s.losses.base) for s in history}  # what the views are views of
    assert len(buffers) == 1 and len(arrays) == 1  # no Snapshot holds a copy of its own
    assert history[-1].loss_history.buffer.data.nbytes <= 2 * 8 * len(history[-1].losses)  # doubling, at most


def test_undo_then_a_new_epoch_branches_and_leaves_the_undo_stack_as_it_was():
    stepper = long_history(1000)
    first = stepper.finish_epoch()
    shown = first.losses.copy()
    for _ in range(20):  # back to the start of that epoch
        stepper.undo()
    before = stepper.snapshot
    stepper.lr_up()  # another η: the epoch ends with another loss
    branch = stepper.finish_epoch()
    assert branch.loss_history.buffer is not first.loss_history.buffer  # copied on the branch
    assert np.array_equal(first.losses, shown)  # the discarded branch's snapshot still shows its own
    assert np.array_equal(branch.losses[:-1], before.losses) and branch.losses[-1] != shown[-1]
    assert len(before.losses) == 1001


def test_the_same_epoch_again_after_undo_shares_the_buffer():
    stepper = long_history(1000)
    first = stepper.finish_epoch()
    for _ in range(20):
        stepper.undo()
    again = stepper.finish_epoch()  # the same numbers: nothing to copy
    assert again is not first and again.loss_history.buffer is first.loss_history.buffer
    assert again.same_state(first)


def test_loss_history_appends_in_place_doubling_and_copies_on_a_branch():
    h0 = LossHistory.of([0.5])
    h = h0
    capacities = set()
    for k in range(1000):
        h = h.append([k])
        capacities.add(len(h.buffer.data))
    assert h.buffer is h0.buffer and len(capacities) <= 8  # doubling: 16, 32, … 1024
    assert h.values.tolist() == [0.5, *range(1000)]
    assert h0.values.tolist() == [0.5]  # a shorter history still shows only its own
    branch = h0.append([7.0])
    assert branch.buffer is not h0.buffer and branch.values.tolist() == [0.5, 7.0]
    assert h.values[:3].tolist() == [0.5, 0.0, 1.0]  # the branch wrote nothing into the shared buffer
    same = h0.append([0.0, 1.0])  # what already follows in the buffer
    assert same.buffer is h0.buffer and same.values.tolist() == [0.5, 0.0, 1.0]
    assert h0.append([]) is h0


def test_capacities_are_powers_of_two_whatever_the_pieces():
    """A play run appends pieces whose sizes depend on the machine's speed. The capacities must not:
    they used to follow the first piece (3 900 · 2ᵏ, say), and where the last doubling fell, up to
    the very end of a 1 000 000-epoch run, decided whether its peak memory was 76 or 84 MB (issue 18)."""
    rng = np.random.default_rng(18)
    for first in (1, 999, 3_900, 65_537):
        h = LossHistory.of([0.5]).append(np.zeros(first))
        while len(h) < 300_000:
            h = h.append(np.zeros(int(rng.integers(1, 20_000))))
            capacity = len(h.buffer.data)
            assert capacity & (capacity - 1) == 0 and len(h) <= capacity < 2 * len(h) + 20_000
        assert len(h.buffer.data) == 2**19  # the same buffer whatever the pieces: 300 000 ≤ 2¹⁹


def test_a_run_that_says_its_room_is_copied_once():
    """Each growth holds the old array and the new one at once; a run that says how many losses are
    still to come grows once, while the history is short, to the power of two that holds them all."""
    h = LossHistory.of([0.25])
    total = 100_000
    while len(h) <= total:
        piece = min(997, total + 1 - len(h))
        h = h.append(np.full(piece, 0.1), room=total + 1 - len(h) - piece)
    assert len(h) == total + 1 and h.buffer.grown == 1
    assert len(h.buffer.data) == capacity_for(total + 1) == 2**17
    h = h.append([0.2] * 100)  # a hundred e after the run: within the power of two, no copy
    assert h.buffer.grown == 1
    assert h.values[0] == 0.25 and h.values[1] == 0.1 and h.last == 0.2


def test_the_room_reserved_is_bounded():
    h = LossHistory.of([0.25]).append(np.zeros(100), room=10**12)  # --max-epochs 10¹²
    assert len(h.buffer.data) == capacity_for(101 + MAX_ROOM) <= 2 * (101 + MAX_ROOM)
    h = LossHistory.of([0.25]).append(np.zeros(100), room=-5)  # nonsense room: as without
    assert len(h.buffer.data) == 128


def test_adopt_passes_the_room_on():
    stepper = Stepper(presets.load("xor"))
    for k in range(50):
        stepper.adopt(stepper.snapshot.params, np.full(200, 0.2), room=(49 - k) * 200)
    h = stepper.snapshot.loss_history
    assert len(h) == 10_001 and h.buffer.grown == 1 and len(h.buffer.data) == 2**14


def test_loss_history_views_are_read_only():
    h = LossHistory.of([0.1, 0.2]).append([0.3])
    with pytest.raises(ValueError):
        h.values[0] = 1.0
