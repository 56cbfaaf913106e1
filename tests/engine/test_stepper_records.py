"""What each Stepper step records: its action, the update's change against the notes' numbers, where a
divergence is dated, what an edit says it changed, and how often a long epoch asks whether to go on
(mutants of stepper.py that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import dataclasses
import math

import numpy as np
import pytest

from byhand import worked_example
from engine import presets
from engine.history import HistoryStart
from engine.model import Model
from engine.network import Params
from engine.stepper import Phase, Stepper, epoch_steps, initial_snapshot, next_micro_step, step_f2


def test_each_key_names_its_action():
    s = Stepper(presets.lecture())
    assert [s.step().action for _ in range(5)] == ["forward", "forward", "backward", "backward", "update"]
    assert s.set_lr(0.2).action == "learning_rate"
    assert s.set_hidden("sigmoid").action == "activation"  # the same one: the sample starts over
    assert s.set_hidden("tanh").action == "activation"
    assert s.reset().action == "reset"
    assert s.load_model(presets.load("xor")).action == "load"
    assert s.edit_model(presets.load("xor").with_(output="tanh")).action == "load"
    assert s.snapshot.loss_history.start == HistoryStart("output", "tanh")
    assert s.adopt(s.snapshot.params, [0.3]).action == "train"


def test_the_update_records_minus_eta_times_each_gradient_and_the_sample_after():
    ex = worked_example()
    s = Stepper(presets.lecture())
    u = s.finish_sample().update
    eta = ex["eta"]
    assert np.allclose(u.change.dW2[:, 0], [-eta * g for g in ex["dW2"]], rtol=1e-12, atol=0)
    assert np.allclose(u.change.db2, [-eta * ex["delta2"]], rtol=1e-12, atol=0)
    assert np.allclose(u.change.db1, [-eta * d for d in ex["delta1"]], rtol=1e-12, atol=0)
    assert np.allclose(u.change.dW1, -eta * np.array(ex["dW1"]), rtol=1e-12, atol=0)
    s2 = Stepper(
        presets.lecture().with_(
            params=Params(W1=ex["W1_after"], b1=ex["b1_after"], W2=[[w] for w in ex["W2_after"]], b2=[ex["b2_after"]])
        )
    )
    s2.forward(), s2.forward()
    assert math.isclose(u.yhat_after, float(s2.snapshot.forward2.yhat[0]), rel_tol=1e-12)
    assert math.isclose(u.loss_after, s2.snapshot.forward2.loss, rel_tol=1e-12)


def test_consecutive_training_runs_are_one_step_of_the_history_and_count_epochs_from_u():
    s = Stepper(presets.load("xor"))
    for _ in range(4):
        s.finish_sample()  # U of the last sample: epoch 1 is done
    length = s.history_length
    a = s.adopt(s.snapshot.params, [0.3, 0.2])
    assert (a.epoch, a.diverged_at) == (3, None) and s.history_length == length + 1
    b = s.adopt(s.snapshot.params, [0.1, math.inf], diverged_at=2)  # the run's own epoch 2
    assert (b.epoch, b.diverged_at) == (5, 5) and s.history_length == length + 1
    assert b.losses.tolist()[-4:] == [0.3, 0.2, 0.1, math.inf]


def overflowing():
    return Model(
        "big",
        Params(W1=[[0, 0], [0, 0]], b1=[0, 0], W2=[[1e200], [1e200]], b2=[0]),
        [[1.0, 1.0]],
        [0.0],
        output="linear",
    )


def test_a_model_whose_first_loss_overflows_is_diverged_at_epoch_0():
    assert initial_snapshot(overflowing()).diverged_at == 0


def test_an_epoch_that_overflows_is_the_one_dated():
    m = Model(
        "grow",
        Params(W1=[[0, 0], [0, 0]], b1=[0, 0], W2=[[1e150], [1e150]], b2=[0]),
        [[1.0, 1.0]],
        [0.0],
        output="linear",
        lr=1e10,
    )
    s = Stepper(m)
    assert s.snapshot.diverged_at is None
    s.finish_sample()  # epoch 1's update: W2 goes to ~1e310, L₁ is not finite
    assert s.snapshot.diverged_at == 1 and not math.isfinite(s.snapshot.loss_now)


def test_a_micro_step_before_its_input_names_the_phase_missing():
    with pytest.raises(ValueError, match="^phase F1 is not computed yet$"):
        step_f2(initial_snapshot(presets.lecture()))


@pytest.mark.parametrize(
    "every, asked",
    [
        (2, [2, 4, 6, 8]),  # samples done: 2, 4, 6 on the parameters alone (samples 1–6), 8 kept in full (7–9)
        (5, [5]),  # 5 on the parameters alone; 7, 8, 9 in full make 7, 8, 9 done: no multiple of 5
    ],
)
def test_a_long_epoch_asks_to_go_on_every_so_many_samples(every, asked):
    m = presets.load("xor")
    rows = Model("ten", m.params, np.tile(m.X, (3, 1))[:10], np.tile(m.Y, 3)[:10])
    got = []
    steps = epoch_steps(initial_snapshot(rows), 5, lambda k: got.append(k) or True, every=every)
    assert got == asked
    assert len(steps) == 5 and steps[-1].sample == 9 and steps[-1].phase is Phase.U


@pytest.mark.parametrize(
    "phase_keys, cleared, named",
    [
        ("ff", "forward1", "F1"),
        ("ffb", "forward1", "F1"),
        ("ffb", "backward2", "B2"),
        ("f", "forward1", "F1"),
    ],
)
def test_each_micro_step_names_the_record_it_misses(phase_keys, cleared, named):
    s = Stepper(presets.lecture())
    for key in phase_keys:
        {"f": s.forward, "b": s.backward}[key]()
    broken = dataclasses.replace(s.snapshot, **{cleared: None})
    with pytest.raises(ValueError, match=f"^phase {named} is not computed yet$"):
        next_micro_step(broken)


def test_reset_keeps_the_settings_chosen_now_and_starts_from_the_model_edited():
    s = Stepper(presets.lecture())
    s.set_lr(0.2)
    s.set_hidden("tanh")
    s.edit_model(s.model.with_(hidden="tanh", output="linear", lr=0.2, Y=np.array([0.5])))
    assert s.snapshot.loss_history.start == HistoryStart("edit")  # data and output at once
    s.set_hidden("relu")
    assert s.snapshot.output == "linear" and s.snapshot.loss_history.start == HistoryStart("activation", "relu")
    snap = s.reset()
    assert (snap.hidden, snap.output, snap.lr, float(snap.Y[0])) == ("relu", "linear", 0.2, 0.5)
    assert snap.params == presets.lecture().params and (snap.epoch, snap.sample, snap.phase) == (0, 0, Phase.READY)


def test_same_state_compares_arrays_with_nan_and_never_an_array_with_a_number():
    a = Stepper(presets.lecture()).snapshot
    nan_x = dataclasses.replace(a, X=np.array([[math.nan, 0.1]]))
    assert nan_x.same_state(dataclasses.replace(a, X=np.array([[math.nan, 0.1]])))
    assert not a.same_state(dataclasses.replace(a, X=0.05))
    assert not dataclasses.replace(a, X=0.05).same_state(a)
