"""The values each output activation can reach (issue 12, item 5): a target outside gets a warning."""

import math

import numpy as np
import pytest

from engine import activations, presets
from engine.model import Model


@pytest.mark.parametrize(
    "name, inside, outside",
    [
        ("sigmoid", [0.0, 0.01, 0.5, 1.0], [-0.01, 1.01, 2.0, -1.0]),  # 0 and 1, the asymptotes, are the usual targets
        ("tanh", [-1.0, 0.0, 0.99, 1.0], [-1.5, 1.01, 2.0]),
        ("relu", [0.0, 2.0, 1e6], [-0.01, -1.0]),
        ("linear", [-1e9, 0.0, 2.0, 1e9], []),
    ],
)
def test_outside_range_by_the_activation_itself(name, inside, outside):
    assert not activations.outside_range(name, inside).any()
    assert activations.outside_range(name, outside).tolist() == [True] * len(outside)
    # the range is the activation's: far enough out, f reaches (or approaches) every inside value
    f = activations.get(name).f
    z = np.linspace(-40, 40, 100001)
    values = f(z)
    for y in inside:
        if abs(y) < 1e5:
            assert np.min(np.abs(values - y)) < 1e-3, (name, y)
    for y in outside:
        assert np.min(np.abs(values - y)) > 1e-3, (name, y)


def test_the_presets_ask_for_nothing_their_output_cannot_reach():
    for name in presets.PRESETS:
        assert len(presets.load(name).targets_outside()) == 0, name


def test_a_model_lists_its_unreachable_targets():
    lecture = presets.lecture()
    m = Model("y2", lecture.params, [[0.05, 0.10], [0.0, 0.0], [1, 1]], [2.0, 0.5, -0.5])
    assert m.targets_outside().tolist() == [0, 2]
    assert m.with_(output="linear").targets_outside().tolist() == []
    assert m.with_(output="relu").targets_outside().tolist() == [2]
    assert m.with_(output="tanh").targets_outside().tolist() == [0]
    assert math.isfinite(float(m.Y[0]))
