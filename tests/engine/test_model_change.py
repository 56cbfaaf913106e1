"""A change of the model starts a new loss history; η alone is marked in it (issue 11, item 5)."""

import math
import sys

import numpy as np
import pytest

from byhand import worked_example_loss
from engine import presets
from engine.history import HistoryStart, LossHistory
from engine.model import Model
from engine.network import Params
from engine.stepper import Phase, Stepper, params_now


def after_f_f_b_b(name: str = "lecture") -> Stepper:
    stepper = Stepper(presets.load(name))
    for key in ("forward", "forward", "backward", "backward"):
        getattr(stepper, key)()
    return stepper


def test_a_after_f_f_b_b_starts_a_history_whose_l0_is_the_tanh_models_loss():
    stepper = after_f_f_b_b()
    sigmoid_l0 = stepper.snapshot.losses[0]
    assert sigmoid_l0 == pytest.approx(worked_example_loss())
    s = stepper.cycle_hidden()
    assert s.hidden == "tanh"
    assert s.losses.tolist() == [pytest.approx(worked_example_loss(math.tanh), abs=1e-15)]
    assert round(s.losses[0], 4) == 0.2475  # the number; the sigmoid model's was 0.2748
    assert (s.epoch, s.sample, s.phase) == (0, 0, Phase.READY)
    assert s.loss_history.start == HistoryStart("activation", "tanh")


def test_after_u_the_history_holds_no_sigmoid_loss():
    stepper = after_f_f_b_b()
    sigmoid_l0 = stepper.snapshot.losses[0]
    stepper.cycle_hidden()
    for key in ("forward", "forward", "backward", "backward", "update"):
        getattr(stepper, key)()
    losses = stepper.snapshot.losses
    assert len(losses) == 2 and sigmoid_l0 not in losses.tolist()
    assert losses[0] == pytest.approx(worked_example_loss(math.tanh))


def test_undo_across_the_change_brings_the_old_history_back_exactly():
    stepper = Stepper(presets.load("xor"))
    for _ in range(3):
        stepper.finish_epoch()
    before = stepper.snapshot
    shown = before.losses.copy()
    stepper.cycle_hidden()
    stepper.finish_epoch()
    stepper.undo()  # a step of the new history's epoch
    while stepper.snapshot.action != "activation":
        stepper.undo()
    back = stepper.undo()
    assert back is before and np.array_equal(back.losses, shown) and len(back.losses) == 4
    again = stepper.finish_epoch()  # the old history goes on in its own buffer
    assert np.array_equal(again.losses[:4], shown) and len(again.losses) == 5
    assert again.loss_history.start == HistoryStart()


def test_the_history_after_a_change_starts_at_epoch_0_from_the_parameters_now():
    stepper = Stepper(presets.load("xor"))
    stepper.finish_epoch()
    stepper.finish_sample()  # mid-epoch: sample 1 of 4 updated
    trained = stepper.snapshot.params
    s = stepper.cycle_hidden()
    assert (s.epoch, s.sample, s.phase) == (0, 0, Phase.READY) and s.params == trained
    s = stepper.finish_epoch()
    assert s.epoch == 0 and len(s.losses) == 2  # L₁: one whole epoch of the tanh model


@pytest.mark.parametrize(
    "change, kind",
    [
        (lambda m, s: m.with_(X=np.array(s.X) + 0.5), "data"),
        (
            lambda m, s: m.with_(
                params=Params(W1=np.array(s.params.W1) * 2, b1=s.params.b1, W2=s.params.W2, b2=s.params.b2)
            ),
            "weights",
        ),
        (lambda m, s: m.with_(output="linear"), "output"),
        (lambda m, s: m.with_(hidden="relu"), "activation"),
        (lambda m, s: m.with_(hidden="relu", output="tanh"), "edit"),
    ],
)
def test_an_edit_of_the_model_starts_a_new_history_and_undo_brings_the_old(change, kind):
    stepper = Stepper(presets.load("xor"))
    stepper.finish_epoch()
    stepper.finish_epoch()
    before = stepper.snapshot
    model = change(stepper.model.with_(params=before.params, X=before.X, Y=before.Y), before)
    s = stepper.edit_model(model)
    assert s.loss_history.start.kind == kind
    assert len(s.losses) == 1 and s.losses[0] == Stepper(model).snapshot.losses[0]
    assert s.loss_history.buffer is not before.loss_history.buffer
    assert stepper.undo() is before and len(before.losses) == 3


def test_load_and_reset_start_new_histories():
    stepper = Stepper(presets.load("xor"))
    stepper.finish_epoch()
    s = stepper.load_model(presets.load("lecture"))
    assert s.loss_history.start == HistoryStart("load", "lecture") and len(s.losses) == 1
    assert s.losses[0] == pytest.approx(worked_example_loss())
    stepper.finish_epoch()
    s = stepper.reset()
    assert s.loss_history.start == HistoryStart("reset") and len(s.losses) == 1


def test_an_lr_edit_keeps_the_history_and_marks_it():
    stepper = Stepper(presets.load("xor"))
    stepper.finish_epoch()
    before = stepper.snapshot
    s = stepper.edit_model(stepper.model.with_(params=before.params, lr=1.0))
    assert (
        s.lr == 1.0
        and s.loss_history.buffer is before.loss_history.buffer
        and s.losses.tolist() == before.losses.tolist()
    )
    assert (s.epoch, s.sample, s.phase) == (before.epoch, before.sample, before.phase)
    assert [(c.at, c.old, c.new) for c in s.loss_history.lr_marks] == [(1, 0.5, 1.0)]


def test_lr_changes_are_marked_where_they_happened_and_collapse_at_one_epoch():
    stepper = Stepper(presets.load("xor"))  # η 0.5
    stepper.lr_up()
    stepper.lr_up()  # 0.5 → 1 → 2 after L₀: one change
    stepper.finish_epoch()
    stepper.finish_epoch()
    stepper.lr_down()  # after L₂
    s = stepper.snapshot
    assert [(c.at, c.old, c.new) for c in s.loss_history.lr_marks] == [(0, 0.5, 2.0), (2, 2.0, 1.0)]
    assert s.loss_history.lr_per_loss(s.lr).tolist() == [0.5, 2.0, 2.0]
    stepper.lr_up()  # back to 2 after L₂: the change there cancels out
    assert [(c.at, c.new) for c in stepper.snapshot.loss_history.lr_marks] == [(0, 2.0)]
    stepper.undo()
    assert stepper.snapshot is s  # undo restores the marks as they were


def test_a_thousand_presses_hold_one_change_and_share_the_losses():
    stepper = Stepper(presets.load("xor"), history_limit=50)
    stepper.finish_epoch()
    buffer = stepper.snapshot.loss_history.buffer
    stepper.lr_up()
    for _ in range(500):  # a thousand presses more at the same epoch
        stepper.lr_up()
        stepper.lr_down()
    h = stepper.snapshot.loss_history
    assert len(h.lr_marks) == 1 and h.buffer is buffer
    chain, depth = h.lr_changes, 0
    while chain is not None:
        chain, depth = chain.before, depth + 1
    assert depth == 1


def test_the_lr_marks_hold_one_change_per_epoch_at_most():
    stepper = Stepper(presets.load("lecture"), history_limit=50)
    for k in range(200):
        for _ in range(3):  # three presses an epoch: one change
            (stepper.lr_up if k % 2 == 0 else stepper.lr_down)()
        stepper.finish_epoch()
    marks = stepper.snapshot.loss_history.lr_marks
    assert len(marks) == 200 and len({c.at for c in marks}) == 200
    assert sys.getsizeof(marks[0]) < 100  # a few numbers each, the losses are not copied


def test_same_compares_the_start_and_the_marks():
    a = LossHistory.of([1.0])
    assert not a.same(LossHistory.of([1.0], HistoryStart("reset")))
    assert not a.same(a.with_lr(0.5, 1.0)) and a.with_lr(0.5, 1.0).same(a.with_lr(0.5, 1.0))
    assert a.with_lr(0.5, 1.0).with_lr(1.0, 0.5).same(a)


def test_params_now_is_what_the_next_forward_uses():
    stepper = after_f_f_b_b()
    assert params_now(stepper.snapshot) == stepper.snapshot.params_start
    s = stepper.update()
    assert params_now(s) == s.params and s.params != s.params_start


def test_set_hidden_to_the_same_activation_keeps_the_history():
    stepper = after_f_f_b_b()
    before = stepper.snapshot
    s = stepper.set_hidden("sigmoid")
    assert s.loss_history is before.loss_history and s.phase is Phase.READY


def test_a_model_with_nothing_changed_but_eta_is_not_a_new_model():
    m = presets.load("lecture")
    stepper = Stepper(m)
    s = stepper.edit_model(Model(name="other", params=m.params, X=m.X, Y=m.Y, lr=0.5))
    assert s.loss_history.lr_marks == () and s.loss_history.buffer is stepper.history[0].loss_history.buffer


# --- r starts from the model on screen (issue 18: "r after z brings back an undone edit") ----------


def test_r_after_undoing_an_edit_goes_back_to_the_model_on_screen():
    """w sets y to 0.9, z undoes it (y = 0.01 on screen), r: y is still 0.01 and the parameters are the
    lecture's own; the edit is not brought back."""
    lecture = presets.load("lecture")
    stepper = Stepper(lecture)
    stepper.edit_model(lecture.with_(Y=np.array([0.9])))
    assert stepper.snapshot.Y.tolist() == [0.9]
    stepper.undo()
    assert stepper.snapshot.Y.tolist() == [0.01]
    s = stepper.reset()
    assert s.Y.tolist() == [0.01] and s.params == lecture.params and s.losses[0] == pytest.approx(worked_example_loss())


def test_r_after_undoing_an_opened_file_goes_back_to_the_model_before_it():
    stepper = Stepper(presets.load("lecture"))
    stepper.forward()
    stepper.load_model(presets.load("xor"))
    stepper.undo()
    s = stepper.reset()
    assert s.name == "lecture" and s.X.tolist() == [[0.05, 0.10]] and s.params == presets.load("lecture").params


def test_r_after_redo_of_the_edit_goes_back_to_the_edited_model():
    lecture = presets.load("lecture")
    stepper = Stepper(lecture)
    edited = lecture.with_(Y=np.array([0.9]))
    stepper.edit_model(edited)
    stepper.undo()
    stepper.redo()
    assert stepper.reset().Y.tolist() == [0.9]


def test_r_after_a_change_of_activation_still_goes_back_to_the_initial_parameters():
    """a starts a new history from the parameters now, but r goes back to the model's initial ones."""
    lecture = presets.load("lecture")
    stepper = Stepper(lecture)
    stepper.finish_sample()
    stepper.cycle_hidden()
    stepper.finish_sample()
    s = stepper.reset()
    assert s.params == lecture.params and s.hidden == "tanh"
    stepper.cycle_hidden()
    assert stepper.reset().params == lecture.params
