"""engine/follow.py: the state a student follows rebuilds the Snapshot the lecturer's screen shows."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import presets
from engine.export import dumps
from engine.follow import _KEYS as follow_keys
from engine.follow import MAX_LOSSES, FollowError, snapshot_of, state_of
from engine.model import Model
from engine.network import Params
from engine.stepper import Phase, Snapshot, Stepper
from tui.host.session_schema import MAX_STATE

CLOSE = dict(rtol=1e-12, atol=1e-15, equal_nan=True)


def wire(state: dict) -> dict:
    """Through the session's JSON, as a student receives it."""
    return json.loads(dumps(state, compact=True))


def same_numbers(a, b) -> None:
    """Every field as a person reads it on screen: numbers close, the rest equal."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), **CLOSE), (a, b)
    elif isinstance(a, float) or isinstance(b, float):
        assert (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), (a, b)
    elif isinstance(a, (Params,)) or (hasattr(a, "__dataclass_fields__") and not isinstance(a, type)):
        assert type(a) is type(b)
        for name in a.__dataclass_fields__:
            if name in ("model", "loss_history"):
                continue
            same_numbers(getattr(a, name), getattr(b, name))
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            same_numbers(x, y)
    else:
        assert a == b, (a, b)


def check_round_trip(s: Snapshot) -> Snapshot:
    back = snapshot_of(wire(state_of(s)))
    same_numbers(s, back)
    assert back.loss_history.start == s.loss_history.start
    assert [(c.at, c.old, c.new) for c in back.loss_history.lr_marks] == [
        (c.at, c.old, c.new) for c in s.loss_history.lr_marks
    ]
    assert np.array_equal(back.losses, s.losses, equal_nan=True)
    assert back.model.params == s.model.params and back.model.lr == s.model.lr and back.model.hidden == s.model.hidden
    assert np.array_equal(back.model.X, s.model.X)
    return back


@pytest.mark.parametrize("preset", ["lecture", "xor"])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_every_phase_of_two_epochs_comes_back(preset, hidden):
    st_ = Stepper(presets.load(preset).with_(hidden=hidden))
    seen = set()
    for _ in range(2 * 5 * st_.snapshot.m + 1):
        back = check_round_trip(st_.snapshot)
        seen.add(back.phase)
        st_.step()
    assert seen == set(Phase)


@pytest.mark.parametrize("batch", ["full", 2, 3])
def test_batch_mode_mid_batch_comes_back_with_the_gradients_collected(batch):
    st_ = Stepper(presets.load("xor"), batch=batch)
    for _ in range(2 * 4 * 4 + 4):
        s = st_.snapshot
        back = check_round_trip(s)
        assert len(back.collected) == len(s.collected)
        if s.update is not None and s.update.batch is not None:
            assert back.update is not None and back.update.batch is not None
            assert back.update.batch.samples == s.update.batch.samples
        st_.step()


def test_after_eta_changes_edits_activation_and_undo():
    st_ = Stepper(presets.load("xor"))
    st_.finish_epoch()
    st_.lr_up()
    st_.step()
    st_.step()
    check_round_trip(st_.snapshot)
    st_.finish_epoch()
    st_.lr_down()
    st_.finish_sample()
    st_.lr_up()  # η changed after U: the update record keeps the η it used
    back = check_round_trip(st_.snapshot)
    assert back.update is not None and back.update.lr != back.lr
    st_.cycle_hidden()
    check_round_trip(st_.snapshot)
    model = st_.model.with_(params=Params(W1=[[0.3, 0.2], [0.1, -0.4]], b1=[0.0, 0.1], W2=[[0.5], [0.6]], b2=[0.2]))
    st_.edit_model(model)
    st_.step()
    back = check_round_trip(st_.snapshot)
    assert back.loss_history.start.kind in ("weights", "edit")
    st_.undo()
    st_.undo()
    check_round_trip(st_.snapshot)
    st_.step()
    st_.cycle_batch()  # mid-epoch: from the next epoch on
    check_round_trip(st_.snapshot)
    assert st_.snapshot.batch_next is not None


def test_a_diverged_run_keeps_its_nan_and_inf():
    model = presets.load("lecture").with_(lr=1e300, output="linear", hidden="relu")
    st_ = Stepper(model)
    for _ in range(40):
        try:
            st_.step()
        except Exception:
            break
    s = st_.snapshot
    assert s.diverged_at is not None or not s.params.is_finite()
    back = check_round_trip(s)
    assert back.diverged_at == s.diverged_at


def test_a_long_history_is_thinned_to_the_limit_and_keeps_its_ends():
    st_ = Stepper(presets.load("xor"))
    p = st_.snapshot.params
    st_.adopt(p, np.linspace(1.0, 0.1, 3 * MAX_LOSSES))
    s = st_.snapshot
    state = state_of(s)
    assert len(state["losses"]) <= MAX_LOSSES
    back = snapshot_of(wire(state))
    assert len(back.losses) == len(s.losses)
    assert back.losses[0] == s.losses[0] and back.losses[-1] == s.losses[-1]
    known = np.isfinite(back.losses)
    assert known.sum() == len(state["losses"])
    assert np.array_equal(back.losses[known], s.losses[known])
    assert len(dumps(state, compact=True).encode()) < MAX_STATE


def test_the_replay_is_checked_against_the_numbers_sent():
    st_ = Stepper(presets.load("lecture"))
    for _ in range(4):
        st_.step()
    state = wire(state_of(st_.snapshot))
    state["params_start"]["W1"][0][0] += 0.01  # the parameters now no longer follow from those sent
    with pytest.raises(FollowError, match="params"):
        snapshot_of(state)
    state = wire(state_of(st_.snapshot))
    state["check"]["loss"] = 0.5
    with pytest.raises(FollowError, match="check.loss"):
        snapshot_of(state)


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda s: s.update(v=2), "v"),
        (lambda s: s.update(format="x"), "format"),
        (lambda s: s.pop("params"), "params"),
        (lambda s: s.update(extra=1), "extra"),
        (lambda s: s.update(sample=4), "sample"),
        (lambda s: s.update(phase="Z"), "phase"),
        (lambda s: s.update(lr=-1), "lr"),
        (lambda s: s.update(lr="nan"), "lr"),
        (lambda s: s.update(hidden="softmax"), "hidden"),
        (lambda s: s.update(name="a\x1b]2;x\x07"), "name"),
        (lambda s: s.update(model="[data]\nx = 1"), "model"),
        (lambda s: s.update(epoch=True), "epoch"),
        (lambda s: s.update(losses=[]), "losses"),
        (lambda s: s.update(loss_n=10**9, loss_at=[0]), "loss_n"),
        (lambda s: s.update(lr_changes=[[0, 1, 2], [0, 2, 1]]), "lr_changes"),
        (lambda s: s.update(batch=0), "batch"),
        (lambda s: s.update(history_start={"kind": "rm -rf", "detail": ""}), "history_start"),
    ],
)
def test_malformed_states_are_refused_with_a_reason(change, reason):
    st_ = Stepper(presets.load("xor"))
    st_.step()
    state = wire(state_of(st_.snapshot))
    change(state)
    with pytest.raises(FollowError, match=reason):
        snapshot_of(state)


def _mutations():
    leaf = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["nan", "inf", "-inf", "full"]),
    )
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )


_BASE: dict = {}


def _base() -> dict:
    if not _BASE:
        st_ = Stepper(presets.load("xor"), batch=2)
        for _ in range(6):
            st_.step()
        _BASE.update(wire(state_of(st_.snapshot)))
    return copy.deepcopy(_BASE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(sorted(follow_keys - {"format", "v"})),  # every field of a state but its header
    value=_mutations(),
)
def test_fuzzed_states_are_refused_or_rebuilt_never_a_crash(key, value):
    state = _base()
    state[key] = value
    try:
        s = snapshot_of(state)
    except FollowError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(s, Snapshot)


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers()), st.dictionaries(st.text(), st.integers()))
)
def test_anything_not_a_state_is_refused(value):
    with pytest.raises(FollowError):
        snapshot_of(value)


def test_a_model_whose_own_parameters_are_not_finite_cannot_be_shared():
    bad = Model("m", Params(W1=[[np.inf, 0], [0, 0]], b1=[0, 0], W2=[[0], [0]], b2=[0]), X=[[0, 0]], Y=[0])
    with pytest.raises(FollowError):
        state_of(Stepper(bad).snapshot)
