"""Every refusal of the Stepper names why (the notice's i18n key) and the key to press instead, and
what the settings keep (mutants of stepper.py that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import dataclasses
import math

import numpy as np
import pytest

from engine import presets
from engine.network import Params
from engine.stepper import LR_LADDER, Phase, Refused, Stepper


def refusal(action) -> tuple[str, str | None]:
    with pytest.raises(Refused) as r:
        action()
    return r.value.code, r.value.expected


# phase reached by these keys → (code, expected) of f, b and u there (None: the key is taken)
KEYS_BEFORE = {"": "", "F1": "f", "F2": "ff", "B2": "ffb", "B1": "ffbb", "U": "ffbbu"}
REFUSED = {
    "": {"b": ("forward_first", "forward"), "u": ("forward_first", "forward")},
    "F1": {"b": ("forward_first", "forward"), "u": ("forward_first", "forward")},
    "F2": {"f": ("forward_done", "backward"), "u": ("backward_first", "backward")},
    "B2": {"f": ("backward_in_progress", "backward"), "u": ("backward_first", "backward")},
    "B1": {"f": ("backward_in_progress", "update"), "b": ("backward_done", "update")},
    "U": {"b": ("sample_done", "forward"), "u": ("already_updated", "forward")},
}


@pytest.mark.parametrize("at", list(KEYS_BEFORE))
def test_each_out_of_order_key_says_why_and_what_to_press(at):
    s = Stepper(presets.lecture())
    methods = {"f": s.forward, "b": s.backward, "u": s.update}
    for key in KEYS_BEFORE[at]:
        methods[key]()
    before = s.snapshot
    for key, why in REFUSED[at].items():
        assert refusal(methods[key]) == why, key
        assert s.snapshot is before and s.history_length == len(KEYS_BEFORE[at]) + 1


def test_refusals_of_history_and_settings():
    s = Stepper(presets.lecture())
    assert refusal(s.undo) == ("nothing_to_undo", None)
    assert refusal(s.redo) == ("nothing_to_redo", None)
    assert refusal(lambda: s.set_lr(0.0)) == ("bad_learning_rate", None)
    assert refusal(lambda: s.set_lr(math.nan)) == ("bad_learning_rate", None)
    assert refusal(lambda: s.set_hidden("linear")) == ("not_a_hidden_activation", None)
    s.set_lr(LR_LADDER[-1])
    assert refusal(s.lr_up) == ("learning_rate_max", None)
    s.set_lr(LR_LADDER[0])
    assert refusal(s.lr_down) == ("learning_rate_min", None)
    s.forward()
    assert refusal(lambda: s.adopt(s.snapshot.params, [0.1])) == ("not_at_epoch_boundary", "finish_epoch")
    assert refusal(lambda: s.extend(s.history[0], [])) == ("history_moved", None)
    assert str(Refused("forward_first", "forward")) == "forward_first (next: forward)"


def test_a_diverged_run_refuses_every_step_with_reset():
    s = Stepper(presets.load("xor"))
    s.adopt(s.snapshot.params, [0.2, math.inf], diverged_at=2)
    for step in (s.forward, s.backward, s.update, s.step, s.finish_sample, s.finish_epoch, s.check_can_step):
        assert refusal(step) == ("diverged", "reset")


def test_another_hidden_activation_keeps_eta_and_the_parameters_now():
    model = presets.lecture().with_(lr=0.2)
    s = Stepper(model)
    s.finish_sample()  # U: the parameters now are the updated ones
    after_update = s.snapshot.params
    snap = s.set_hidden("tanh")
    assert snap.lr == 0.2 and snap.hidden == "tanh" and snap.phase is Phase.READY
    assert snap.params == after_update and snap.params_start == after_update


def test_the_epoch_boundary_is_the_last_samples_update_or_the_first_samples_start():
    s = Stepper(presets.load("xor"))  # 4 samples
    assert s.at_epoch_boundary()
    s.finish_sample()
    assert not s.at_epoch_boundary()  # the update of sample 1 of 4
    for _ in range(3):
        s.finish_sample()
    assert s.snapshot.sample == 3 and s.snapshot.phase is Phase.U and s.at_epoch_boundary()


def test_adopt_takes_the_parameters_trained_elsewhere():
    s = Stepper(presets.load("xor"))
    trained = Params(W1=[[1.0, 2.0], [3.0, 4.0]], b1=[0.5, -0.5], W2=[[1.5], [-1.5]], b2=[0.25])
    snap = s.adopt(trained, [0.3, 0.2])
    assert snap.params == trained and snap.params_start == trained
    assert (snap.epoch, snap.sample, snap.phase) == (2, 0, Phase.READY)
    assert snap.losses.tolist()[-2:] == [0.3, 0.2]


def test_same_state_tells_different_numbers_apart():
    s = Stepper(presets.lecture())
    a = s.snapshot
    assert a.same_state(a)
    assert not a.same_state(dataclasses.replace(a, lr=a.lr + 2**-40))
    assert dataclasses.replace(a, lr=math.nan).same_state(dataclasses.replace(a, lr=math.nan))
    assert not a.same_state(dataclasses.replace(a, X=np.asarray(a.X)[:, ::-1].copy()))
