"""The micro-step state machine (DESIGN §4): composition, undo/redo, refusals (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import activations, presets
from engine.model import Model
from engine.network import Params, sample_step
from engine.stepper import Phase, Refused, Stepper

finite = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)


@st.composite
def models(draw):
    params = Params(
        W1=[[draw(finite), draw(finite)], [draw(finite), draw(finite)]],
        b1=[draw(finite), draw(finite)],
        W2=[[draw(finite)], [draw(finite)]],
        b2=[draw(finite)],
    )
    m = draw(st.integers(1, 3))
    X = [[draw(finite), draw(finite)] for _ in range(m)]
    Y = [draw(finite) for _ in range(m)]
    return Model(
        name="h",
        params=params,
        X=X,
        Y=Y,
        hidden=draw(st.sampled_from(activations.HIDDEN_ACTIVATIONS)),
        output=draw(st.sampled_from(activations.OUTPUT_ACTIVATIONS)),
        lr=draw(st.sampled_from([0.05, 0.5, 1.0])),
    )


ACTIONS = ["forward", "backward", "update", "step", "finish_sample", "cycle_hidden", "lr_up", "lr_down", "reset"]


@settings(max_examples=40, deadline=None)
@given(models(), st.integers(1, 3))
def test_micro_steps_compose_to_sample_steps(model, samples):
    """F1, F2, B2, B1, U on each sample = network.sample_step on it, in data order."""
    st_ = Stepper(model)
    f, g = activations.get(model.hidden), activations.get(model.output)
    p = model.params
    for k in range(samples):
        i = k % model.m
        phases = [st_.step().phase for _ in range(5)]
        assert phases == [Phase.F1, Phase.F2, Phase.B2, Phase.B1, Phase.U]
        with np.errstate(all="ignore"):
            p, ps = sample_step(p, model.X[i], float(model.Y[i]), f, g, model.lr)
        snap = st_.snapshot
        assert snap.sample == i and snap.params == p
        f1, f2, b1 = snap.forward1, snap.forward2, snap.backward1
        assert np.array_equal(f1.z1, ps.z1, equal_nan=True) and np.array_equal(f2.yhat, ps.yhat, equal_nan=True)
        assert np.array_equal(b1.delta1, ps.delta1, equal_nan=True)
        assert np.array_equal(b1.dW1, ps.grads.dW1, equal_nan=True)
        assert f2.loss == ps.loss or (np.isnan(f2.loss) and np.isnan(ps.loss))
        if snap.diverged_at is not None:
            break


def _apply(stepper, action):
    """Run one key's action; returns True if it was done, False if refused (state must be unchanged)."""
    before, pos, hist = stepper.snapshot, stepper.position, len(stepper.history)
    try:
        getattr(stepper, action)()
        return True
    except Refused as r:
        assert r.code  # a reason the UI can show
        assert stepper.snapshot is before and stepper.position == pos and len(stepper.history) == hist
        return False


@settings(max_examples=40, deadline=None)
@given(models(), st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=25))
def test_undo_returns_to_the_start_and_redo_replays(model, actions):
    stepper = Stepper(model)
    start = stepper.snapshot
    seen = [start]
    for a in actions:
        if _apply(stepper, a):
            seen.append(stepper.snapshot)
    # every successful action left its snapshot in the history (s and e leave one per micro-step)
    history = stepper.history
    assert stepper.position == len(history) - 1 and history[-1] is seen[-1]
    assert all(any(h is snap for h in history) for snap in seen)
    for _ in range(len(history) - 1):
        stepper.undo()
    assert stepper.snapshot.same_state(start) and stepper.position == 0
    with pytest.raises(Refused):
        stepper.undo()
    assert stepper.snapshot.same_state(start)
    for k in range(1, len(history)):
        assert stepper.redo().same_state(history[k])
    with pytest.raises(Refused):
        stepper.redo()


@settings(max_examples=40, deadline=None)
@given(models(), st.lists(st.sampled_from(["forward", "backward", "update", "step", "finish_sample"]), max_size=20))
def test_steps_then_as_many_undos_give_the_initial_snapshot_and_redo_is_identical(model, actions):
    stepper = Stepper(model)
    initial = stepper.snapshot
    done = []
    for a in actions:
        if _apply(stepper, a):
            done.append(stepper.snapshot)
    history = stepper.history
    for _ in range(stepper.position):
        stepper.undo()
    assert stepper.snapshot.same_state(initial)
    for k in range(1, len(history)):
        assert stepper.redo().same_state(history[k])
    # replaying the same keys from a fresh stepper computes the same snapshots
    again = Stepper(model)
    for a in actions:
        _apply(again, a)
    assert all(a.same_state(b) for a, b in zip(again.history, history))


def test_out_of_order_keys_are_refused_with_what_to_press():
    s = Stepper(presets.load("lecture"))
    start = s.snapshot
    with pytest.raises(Refused) as r:
        s.backward()
    assert r.value.expected == "forward" and s.snapshot is start
    with pytest.raises(Refused) as r:
        s.update()
    assert r.value.expected == "forward" and s.snapshot is start
    s.forward()
    s.forward()
    with pytest.raises(Refused) as r:
        s.forward()
    assert r.value.expected == "backward"
    with pytest.raises(Refused) as r:
        s.update()
    assert r.value.expected == "backward"


def test_snapshot_arrays_are_read_only():
    s = Stepper(presets.load("lecture"))
    snap = s.finish_sample()
    for arr in (
        snap.forward1.z1,
        snap.forward1.a1,
        snap.backward1.delta1,
        snap.backward1.dW1,
        snap.update.change.dW1,
        snap.params.W1,
        snap.X,
        snap.losses,
    ):
        with pytest.raises(ValueError):
            arr.flat[0] = 1.0


def test_end_of_epoch_records_the_data_set_loss():
    s = Stepper(presets.load("lecture"))
    snap = s.finish_epoch()
    assert len(snap.losses) == 2 and round(float(snap.losses[1]), 4) == 0.2580


def test_history_length_counts_the_history_without_copying_it():
    stepper = Stepper(presets.lecture())
    stepper.forward()
    stepper.forward()
    stepper.undo()
    assert stepper.history_length == len(stepper.history) == 3 and stepper.position == 1


def test_epoch_steps_is_e_and_stops_when_asked():
    from engine.stepper import epoch_steps

    model = presets.load("xor")
    s = Stepper(model)
    s.forward()
    base = s.snapshot
    steps = epoch_steps(base, 6)
    assert s.snapshot is base  # pure: the Stepper has not moved
    s.finish_epoch()
    assert [x.same_state(y) for x, y in zip(steps, s.history[-6:])] == [True] * 6
    asked = []
    assert epoch_steps(base, 6, lambda k: asked.append(k) or False, every=1) is None
    assert asked == [1]  # stopped after the first whole sample it was asked about
    with pytest.raises(Refused):
        s.extend(base, steps)  # the history has moved away from base


@pytest.mark.parametrize("start", ["ready", "mid", "U"])
def test_epoch_steps_skipping_the_snapshots_nobody_keeps_gives_the_micro_steps_numbers(start):
    # Samples whose snapshots fall out of the kept window run as network.sample_step: pinned here to
    # the plain micro-steps (next_micro_step one by one, every snapshot made), to the last bit.
    from engine.stepper import epoch_steps, next_micro_step

    rng = np.random.default_rng(3)
    model = presets.load("xor").with_(X=rng.uniform(-2, 2, (300, 2)), Y=rng.uniform(0, 1, 300), lr=2.0)
    s = Stepper(model)
    if start != "ready":
        s.finish_sample()
        s.forward()
    if start == "U":
        s.finish_epoch()
        s.finish_sample()
    base = s.snapshot
    plain, x = [], next_micro_step(base)
    plain.append(x)
    while not (x.phase is Phase.U and x.sample == x.m - 1):
        x = next_micro_step(x)
        plain.append(x)
    for keep in (7, 40):
        steps = epoch_steps(base, keep, every=16)
        assert len(steps) == keep
        assert all(a.same_state(b) for a, b in zip(steps, plain[-keep:]))


RECORDS = ("forward1", "forward2", "backward2", "backward1", "update")
COMPUTED_BY = {Phase.READY: 0, Phase.F1: 1, Phase.F2: 2, Phase.B2: 3, Phase.B1: 4, Phase.U: 5}


@settings(max_examples=40, deadline=None)
@given(models(), st.lists(st.sampled_from(ACTIONS + ["finish_epoch"]), min_size=1, max_size=25))
def test_each_phase_s_record_is_there_from_that_phase_to_the_end_of_the_sample(model, actions):
    stepper = Stepper(model)
    for a in actions:
        _apply(stepper, a)
    for s in stepper.history:
        present = [getattr(s, name) is not None for name in RECORDS]
        n = COMPUTED_BY[s.phase]
        assert present == [True] * n + [False] * (len(RECORDS) - n), (s.phase, s.action, present)
        assert (s.grads is not None) == (n >= 4)


def test_the_update_says_what_the_same_sample_gives_after_it():
    """Exercise 4(d): after the update the notes' sample gives ŷ = 0.7284 and L = 0.2580 (DESIGN §2),
    by hand from the updated parameters."""
    from byhand import sigma, worked_example

    ex = worked_example()
    (x1, x2), y = ex["x"], ex["y"]
    (w11, w12), (w21, w22) = ex["W1_after"]
    b11, b12 = ex["b1_after"]
    v1, v2 = ex["W2_after"]
    h1, h2 = sigma(w11 * x1 + w21 * x2 + b11), sigma(w12 * x1 + w22 * x2 + b12)
    yhat = sigma(v1 * h1 + v2 * h2 + ex["b2_after"])
    st = Stepper(presets.lecture())
    for _ in range(5):
        st.step()
    u = st.snapshot.update
    assert u.yhat_after == pytest.approx(yhat, rel=1e-14) and f"{u.yhat_after:.4f}" == "0.7284"
    assert u.loss_after == pytest.approx(0.5 * (yhat - y) ** 2, rel=1e-14) and f"{u.loss_after:.4f}" == "0.2580"
    assert u.loss_after < st.snapshot.forward2.loss
    # a large η overshoots (a linear output, so nothing saturates): the same sample's loss goes up
    st = Stepper(presets.lecture().with_(lr=5.0, output="linear"))
    for _ in range(5):
        st.step()
    assert st.snapshot.update.loss_after > st.snapshot.forward2.loss
