"""engine/activations.py beyond the table of tests/engine/test_network.py: the hidden cycle and the
ranges' edges (mutants that survived benchmarks/mutation.py, docs/MUTATION.md)."""

import numpy as np
import pytest

from engine import activations


def test_the_hidden_cycle_and_where_a_name_outside_it_starts():
    assert [activations.next_hidden(n) for n in ("sigmoid", "tanh", "relu", "step")] == [
        "tanh",
        "relu",
        "step",
        "sigmoid",
    ]
    # a model whose hidden layer is linear (from a file) starts the cycle at its first entry
    assert activations.next_hidden("linear") == "sigmoid"


@pytest.mark.parametrize(
    "name, values, outside",
    [
        (
            "sigmoid",
            [-1e-300, 0.0, 1.0, 1.0 + 2**-52, np.inf, -np.inf, np.nan],
            [True, False, False, True, False, False, False],
        ),
        ("tanh", [-1.0 - 2**-52, -1.0, 1.0, 1.0 + 2**-52], [True, False, False, True]),
        ("relu", [-1e-300, 0.0, 1e300, np.inf], [True, False, False, False]),
        ("linear", [-1e300, 0.0, 1e300, -np.inf, np.inf, np.nan], [False] * 6),
    ],
)
def test_outside_range_at_the_edges_is_a_boolean_mask(name, values, outside):
    """The bounds themselves are inside; one ulp beyond is outside; what is not finite is not
    judged here (config refuses it); the answer is a mask (indexing with it keeps rows)."""
    mask = activations.outside_range(name, values)
    assert mask.dtype == np.bool_ and mask.tolist() == outside
    assert activations.outside_range(name, [[0.5, 2.0]]).shape == (1, 2)


def test_an_unknown_activation_is_refused_by_name():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'; expected one of sigmoid, tanh, relu, linear"):
        activations.get("softplus")


# --- exercise 6(b): the step, an activation with no useful derivative (issue 19) ----------------


def test_step_is_heaviside_with_zero_slope_by_hand():
    z = np.array([-1e300, -2.5, -1e-300, -0.0, 0.0, 1e-300, 0.3, 1e300, -np.inf, np.inf])
    # by hand: H(z) = 1 for z > 0, else 0 (so H(0) = 0); f'(z) = 0 for z ≠ 0, taken as 0 at z = 0
    assert activations.step(z).tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0]
    assert activations.step_prime(z).tolist() == [0.0] * len(z)
    assert activations.get("step").f is activations.step and activations.get("step").d is activations.step_prime
    assert "step" in activations.HIDDEN_ACTIVATIONS and "step" not in activations.OUTPUT_ACTIVATIONS
    assert activations.at_kink("step", z).tolist() == [v == 0.0 for v in z]
    assert activations.at_kink("relu", np.array([0.0, 1e-300])).tolist() == [True, False]
    assert activations.at_kink("sigmoid", np.array([0.0])).tolist() == [False]


@pytest.mark.parametrize("fast", [True, False])
def test_with_the_step_the_hidden_weights_never_move_and_the_loss_changes_only_through_the_output(fast):
    from engine import presets, training
    from engine.network import Params, dataset_loss

    m = presets.load("xor").with_(hidden="step", output="sigmoid")
    r = training.train(m, 30, fast=fast)
    start = m.params
    # δ⁽¹⁾ = ∂L/∂a⁽¹⁾ · f'(z⁽¹⁾) = 0: W⁽¹⁾ and b⁽¹⁾ unchanged bit for bit
    assert r.params.W1.tobytes() == start.W1.tobytes() and r.params.b1.tobytes() == start.b1.tobytes()
    assert r.params.W2.tobytes() != start.W2.tobytes()
    # every loss is that of the first-layer parameters of the start with the output layer trained
    f, g = activations.get("step"), activations.get("sigmoid")
    moved_only_out = Params(W1=start.W1, b1=start.b1, W2=r.params.W2, b2=r.params.b2)
    assert abs(dataset_loss(moved_only_out, m.X, m.Y, f, g) - r.losses[-1]) <= 1e-12
    # a⁽¹⁾ never changes, so the network cannot learn XOR: the loss stalls above 0
    assert r.losses[-1] > 0.05 and r.losses[-1] <= r.losses[0]
