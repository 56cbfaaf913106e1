"""engine/activations.py beyond the table of tests/engine/test_network.py: the hidden cycle and the
ranges' edges (mutants that survived benchmarks/mutation.py, docs/MUTATION.md)."""
import numpy as np
import pytest

from engine import activations


def test_the_hidden_cycle_and_where_a_name_outside_it_starts():
    assert [activations.next_hidden(n) for n in ("sigmoid", "tanh", "relu")] == ["tanh", "relu", "sigmoid"]
    # a model whose hidden layer is linear (from a file) starts the cycle at its first entry
    assert activations.next_hidden("linear") == "sigmoid"


@pytest.mark.parametrize("name, values, outside", [
    ("sigmoid", [-1e-300, 0.0, 1.0, 1.0 + 2**-52, np.inf, -np.inf, np.nan], [True, False, False, True, False, False, False]),
    ("tanh", [-1.0 - 2**-52, -1.0, 1.0, 1.0 + 2**-52], [True, False, False, True]),
    ("relu", [-1e-300, 0.0, 1e300, np.inf], [True, False, False, False]),
    ("linear", [-1e300, 0.0, 1e300, -np.inf, np.inf, np.nan], [False] * 6),
])
def test_outside_range_at_the_edges_is_a_boolean_mask(name, values, outside):
    """The bounds themselves are inside; one ulp beyond is outside; what is not finite is not
    judged here (config refuses it); the answer is a mask (indexing with it keeps rows)."""
    mask = activations.outside_range(name, values)
    assert mask.dtype == np.bool_ and mask.tolist() == outside
    assert activations.outside_range(name, [[0.5, 2.0]]).shape == (1, 2)


def test_an_unknown_activation_is_refused_by_name():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'; expected one of sigmoid, tanh, relu, linear"):
        activations.get("softplus")
