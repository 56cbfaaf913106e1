"""engine/history.py's LossHistory on the paths the Stepper takes less often: a branch (undo, then
other losses) keeps its η changes; NaN losses compare equal (mutants of history.py that survived
benchmarks/mutation.py, docs/MUTATION.md)."""

import math

from engine.history import HistoryStart, LossHistory


def test_a_branch_keeps_its_start_and_eta_changes_and_leaves_the_other_line_alone():
    base = LossHistory.of([0.5, 0.4], HistoryStart("load", "xor")).with_lr(0.5, 1.0)
    line = base.append([0.3])  # the end of the line: shares the buffer
    branch = base.append([0.35, 0.2])  # from the same point, other losses: a buffer of its own
    assert line.values.tolist() == [0.5, 0.4, 0.3] and branch.values.tolist() == [0.5, 0.4, 0.35, 0.2]
    assert branch.buffer is not line.buffer
    for h in (line, branch):
        assert h.start == HistoryStart("load", "xor")
        assert [(c.at, c.old, c.new) for c in h.lr_marks] == [(1, 0.5, 1.0)]
        assert h.lr_per_loss(1.0).tolist()[:2] == [0.5, 0.5]
    again = base.append([0.3])  # what the line computed already: shared, not copied
    assert again.buffer is line.buffer and again.lr_marks == line.lr_marks


def test_histories_with_the_same_nan_are_the_same():
    a = LossHistory.of([0.5, math.nan])
    assert a.same(LossHistory.of([0.5, math.nan]))
    assert not a.same(LossHistory.of([0.5, 0.4]))
    assert not a.same(LossHistory.of([0.5, math.nan], HistoryStart("reset")))
