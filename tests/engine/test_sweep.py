"""The many-networks sweep (issue 4 item 7): network n of a sweep is `train` on random_params(seed + n).

The kernel (sweep.fast_epochs) is pinned to the plain reference (sweep.plain_epochs), and the
reference to engine.training.plain_epochs network by network. Timing lives in benchmarks/, never here.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from engine import activations, presets, sweep, training
from engine.model import random_params

TOL = 1e-9


def one_by_one(model, nets, epochs, seed, scale=None):
    kw = {} if scale is None else {"scale": scale}
    return [training.train(model.with_(params=random_params(seed + n, **kw)), epochs) for n in range(nets)]


PAIRS = list(itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS))
PRECISION = {"rtol": 1e-12, "atol": 1e-15}  # rounding: the kernel regroups products
FIELDS = ("final_loss", "losses", "W1", "b1", "W2", "b2")


def assert_pinned(fast: sweep.SweepResult, plain: sweep.SweepResult, precision=PRECISION) -> None:
    """The same networks: the same epochs recorded, the same networks diverged at the same epoch
    (the first non-finite loss), and every finite number the same to `precision`."""
    for a, b in zip(fast.runs, plain.runs, strict=True):
        assert a.hidden == b.hidden
        np.testing.assert_array_equal(a.loss_epochs, b.loss_epochs)
        np.testing.assert_array_equal(a.diverged, b.diverged)
        np.testing.assert_array_equal(np.isfinite(a.losses), np.isfinite(b.losses))
        kept = ~a.diverged
        for field in FIELDS:
            x, y = getattr(a, field), getattr(b, field)
            assert x.shape == y.shape, field
            finite = np.isfinite(y) if field == "losses" else kept
            np.testing.assert_allclose(x[finite], y[finite], err_msg=f"{a.hidden} {field}", **precision)


def test_every_activation_pair_and_preset_is_covered():
    assert len(PAIRS) == 16 and len(set(PAIRS)) == 16  # 4 hidden (with the step) × 4 output
    assert set(presets.PRESETS) == {"lecture", "xor", "and", "or", "nand"}


# Full precision over 20 epochs: rounding differences grow with the epochs where gradient descent
# amplifies them (tests/engine/test_training.py has the numbers).
@pytest.mark.parametrize("rows", [False, True], ids=["unrolled", "generic-rows"])
@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_fast_kernel_pinned_to_the_plain_reference(monkeypatch, preset, hidden, output, rows):
    if rows:  # the step used for data sets of more than UNROLL_SAMPLES rows, in chunks of 3 rows
        monkeypatch.setattr(sweep, "UNROLL_SAMPLES", 0)
        monkeypatch.setattr(sweep, "SWEEP_CHUNK", 8 * 3)
    model = presets.load(preset).with_(hidden=hidden, output=output)
    args = dict(nets=8, epochs=20, seed=3, hidden=(hidden,), loss_every=1)
    fast = sweep.sweep(model, **args)
    assert_pinned(fast, sweep.sweep(model, **args, fast=False))
    assert fast.runs[0].n_diverged == 0


@pytest.mark.parametrize("rows", [False, True], ids=["unrolled", "generic-rows"])
@pytest.mark.parametrize(
    "preset, hidden, lr, epochs, diverged",
    [
        ("xor", "relu", 20.0, 30, 3),
        ("and", "relu", 20.0, 30, 3),
        ("nand", "sigmoid", 30.0, 25, 2),  # a mix
        ("xor", "sigmoid", 1e6, 10, 16),
        ("xor", "tanh", 1e6, 10, 16),
        ("xor", "relu", 1e6, 10, 16),
    ],
)
def test_diverging_networks_pinned_to_the_plain_reference(monkeypatch, preset, hidden, lr, epochs, diverged, rows):
    # Only a linear output can blow up. Beyond a few epochs at such η, gradient descent amplifies
    # rounding (1e-16 grows to 1e-8 in 30 epochs on xor, sigmoid, η = 20), so these cases are ones
    # whose surviving networks stay within 1e-12.
    if rows:
        monkeypatch.setattr(sweep, "UNROLL_SAMPLES", 0)
    model = presets.load(preset).with_(hidden=hidden, output="linear", lr=lr)
    args = dict(nets=16, epochs=epochs, seed=0, loss_every=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast, plain = sweep.sweep(model, **args), sweep.sweep(model, **args, fast=False)
    assert fast.runs[0].n_diverged == diverged
    assert_pinned(fast, plain)
    singles = one_by_one(model, 16, epochs, seed=0)
    assert plain.runs[0].diverged.tolist() == [s.diverged for s in singles]


@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
@pytest.mark.parametrize("hidden, output", PAIRS)
def test_plain_reference_is_the_plain_step_code_network_by_network(preset, hidden, output):
    model = presets.load(preset).with_(hidden=hidden, output=output)
    run = sweep.sweep(model, 3, 15, seed=5, loss_every=1, fast=False).runs[0]
    for n in range(3):
        single = training.train(model.with_(params=random_params(5 + n)), 15, fast=False)
        np.testing.assert_allclose(run.losses[:, n], single.losses, **PRECISION)
        for name in ("W1", "b1", "W2", "b2"):
            np.testing.assert_allclose(getattr(run.params(n), name), getattr(single.params, name), **PRECISION)


def test_plain_reference_records_and_reports_as_the_kernel():
    model = presets.load("xor")
    calls: dict[bool, list] = {True: [], False: []}
    results = {
        fast: sweep.sweep(
            model,
            3,
            250,
            seed=1,
            hidden=("tanh", "sigmoid"),
            loss_every=60,
            fast=fast,
            progress=lambda h, k, fast=fast: calls[fast].append((h, k)),
        )
        for fast in (True, False)
    }
    assert calls[True] == calls[False] == [(h, k) for h in ("tanh", "sigmoid") for k in (60, 120, 180, 240, 250)]
    assert results[True].runs[0].loss_epochs.tolist() == [0, 60, 120, 180, 240, 250]
    assert_pinned(results[True], results[False], {"rtol": 1e-9, "atol": 1e-15})
    none = sweep.sweep(model, 2, 0, loss_every=5, fast=False).runs[0]
    assert none.loss_epochs.tolist() == [0] and none.losses.shape == (1, 2)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("preset", ["xor", "lecture"])  # lecture: inputs 0.05, 0.10 (neither 0 nor 1)
def test_each_network_is_the_single_network_path(preset, hidden):
    model = presets.load(preset).with_(hidden=hidden)
    result = sweep.sweep(model, 5, 50, seed=7, hidden=(hidden,))
    run = result.run(hidden)
    assert result.seeds.tolist() == [7, 8, 9, 10, 11]
    for n, single in enumerate(one_by_one(model, 5, 50, seed=7)):
        assert not single.diverged
        assert abs(run.final_loss[n] - single.losses[-1]) < TOL
        mine = run.params(n)
        for name in ("W1", "b1", "W2", "b2"):
            np.testing.assert_allclose(getattr(mine, name), getattr(single.params, name), rtol=0, atol=TOL)


@pytest.mark.parametrize("scale", [None, 0.1, 2.0])
def test_starting_points_are_random_params_bit_for_bit(scale):
    kw = {} if scale is None else {"scale": scale}
    run = sweep.sweep(presets.load("xor"), 6, 0, seed=40, **kw).runs[0]
    for n in range(6):
        start = random_params(40 + n, **kw)
        for name in ("W1", "b1", "W2", "b2"):
            np.testing.assert_array_equal(getattr(run.params(n), name), getattr(start, name))


@pytest.mark.parametrize(
    "hidden, output",
    [
        ("sigmoid", "tanh"),
        ("sigmoid", "linear"),
        ("sigmoid", "relu"),
        ("tanh", "tanh"),
        ("relu", "relu"),
        ("tanh", "sigmoid"),
    ],
)
def test_other_output_activations_match_too(hidden, output):
    model = presets.load("and").with_(hidden=hidden, output=output, lr=0.1)
    run = sweep.sweep(model, 4, 40, seed=0).runs[0]
    for n, single in enumerate(one_by_one(model, 4, 40, seed=0)):
        assert abs(run.final_loss[n] - single.losses[-1]) < TOL
        np.testing.assert_allclose(run.W1[n], single.params.W1, rtol=0, atol=TOL)


def test_several_activations_share_the_starting_points():
    model = presets.load("xor")
    result = sweep.sweep(model, 4, 30, seed=2, hidden=["relu", "sigmoid"])
    assert [r.hidden for r in result.runs] == ["relu", "sigmoid"]
    for run in result.runs:
        singles = one_by_one(model.with_(hidden=run.hidden), 4, 30, seed=2)
        np.testing.assert_allclose(run.final_loss, [s.losses[-1] for s in singles], rtol=0, atol=TOL)
    assert not np.allclose(result.run("relu").final_loss, result.run("sigmoid").final_loss)
    with pytest.raises(KeyError):
        result.run("tanh")


def test_seed_defaults_to_the_models_so_network_0_is_the_preset():
    model = presets.load("xor")  # its params are random_params(model.seed)
    run = sweep.sweep(model, 3, 20).runs[0]
    single = training.train(model, 20)
    assert abs(run.final_loss[0] - single.losses[-1]) < TOL
    np.testing.assert_allclose(run.W2[0], single.params.W2, rtol=0, atol=TOL)


def test_loss_every_records_the_epoch_losses_of_train():
    model = presets.load("xor")
    run = sweep.sweep(model, 3, 25, seed=4, loss_every=10).runs[0]
    assert run.loss_epochs.tolist() == [0, 10, 20, 25]
    assert run.losses.shape == (4, 3)
    for n, single in enumerate(one_by_one(model, 3, 25, seed=4)):
        np.testing.assert_allclose(run.losses[:, n], single.losses[[0, 10, 20, 25]], rtol=0, atol=TOL)
    np.testing.assert_array_equal(run.losses[-1], run.final_loss)


def test_convergence_is_counted_against_the_threshold():
    model = presets.load("or")
    result = sweep.sweep(model, 10, 300, seed=0, threshold=0.0105)
    run = result.runs[0]
    singles = one_by_one(model, 10, 300, seed=0)
    expected = [s.losses[-1] < 0.0105 for s in singles]
    assert 0 < sum(expected) < 10  # the case is a real mix
    assert run.converged.tolist() == expected
    assert run.n_converged == sum(expected)
    assert run.n_diverged == 0
    assert result.threshold == run.threshold == 0.0105


def test_converged_at_is_the_first_recorded_epoch_below_the_threshold():
    model = presets.load("or")
    run = sweep.sweep(model, 6, 300, seed=0, threshold=0.0105, loss_every=50).runs[0]
    for n in range(6):
        below = [e for e, loss in zip(run.loss_epochs.tolist(), run.losses[:, n]) if loss < 0.0105]
        assert run.converged_at[n] == (below[0] if below else -1)
    assert (run.converged_at >= 0).any() and (run.converged_at == -1).any()
    assert sweep.sweep(model, 2, 5).runs[0].converged_at.tolist() == [-1, -1]


def test_divergent_networks_are_counted_without_warnings():
    # Linear output, η = 2.2: about half of these starting points blow up (checked one by one).
    model = presets.load("xor").with_(output="linear", lr=2.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = sweep.sweep(model, 12, 80, seed=0).runs[0]
    singles = one_by_one(model, 12, 80, seed=0)
    expected = [s.diverged for s in singles]
    assert 0 < sum(expected) < 12
    assert run.diverged.tolist() == expected
    assert run.n_diverged == sum(expected)
    assert not (run.converged & run.diverged).any()
    for n in np.flatnonzero(~run.diverged):
        assert abs(run.final_loss[n] - singles[n].losses[-1]) < 1e-6 * max(1.0, singles[n].losses[-1])


def test_everything_diverges_at_a_huge_learning_rate():
    model = presets.load("xor").with_(output="linear", lr=1e6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = sweep.sweep(model, 5, 50, hidden=("relu",)).runs[0]
    assert run.n_diverged == 5 and run.n_converged == 0
    assert not np.isfinite(run.final_loss).any()


def test_result_is_frozen_and_read_only():
    result = sweep.sweep(presets.load("xor"), 3, 5)
    run = result.runs[0]
    for arr in (result.seeds, run.final_loss, run.W1, run.b1, run.W2, run.b2, run.losses, run.loss_epochs):
        assert not arr.flags.writeable
    assert run.W1.shape == (3, 2, 2) and run.b1.shape == (3, 2) and run.W2.shape == (3, 2, 1)
    assert run.b2.shape == (3, 1)
    with pytest.raises(AttributeError):
        result.epochs = 7  # type: ignore[misc]


def test_progress_is_reported_and_can_abandon_the_sweep():
    calls = []
    sweep.sweep(presets.load("xor"), 2, 250, hidden=("sigmoid", "tanh"), progress=lambda h, k: calls.append((h, k)))
    assert calls == [("sigmoid", 100), ("sigmoid", 200), ("sigmoid", 250), ("tanh", 100), ("tanh", 200), ("tanh", 250)]

    class Stop(Exception):
        pass

    def stop(hidden, epoch):
        raise Stop

    with pytest.raises(Stop):
        sweep.sweep(presets.load("xor"), 2, 250, progress=stop)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"nets": 0},
        {"epochs": -1},
        {"hidden": ("linear",)},
        {"hidden": ("tanh", "tanh")},
        {"hidden": ()},
        {"loss_every": -2},
    ],
)
def test_bad_arguments_are_refused(kwargs):
    args = {"nets": 2, "epochs": 3, **kwargs}
    with pytest.raises(ValueError):
        sweep.sweep(presets.load("xor"), **args)


@pytest.mark.parametrize("output", ["sigmoid", "tanh", "linear"])
def test_a_large_data_set_runs_through_the_generic_step_with_the_same_numbers(monkeypatch, output):
    # Inputs and targets of 0 and 1 (written out in the unrolled loop) among arbitrary ones.
    rng = np.random.default_rng(1)
    X = np.vstack([rng.uniform(-1, 1, (12, 2)), [[0, 1], [1, 0], [0, 0], [1, 1]]])
    Y = np.r_[rng.uniform(0, 1, 12), [1, 1, 0, 0]]
    model = presets.load("xor").with_(X=X, Y=Y, output=output, lr=0.3)
    args = dict(nets=7, epochs=30, hidden=("sigmoid", "tanh", "relu"), loss_every=7)
    unrolled = sweep.sweep(model, **args)
    monkeypatch.setattr(sweep, "UNROLL_SAMPLES", 4)
    monkeypatch.setattr(sweep, "SWEEP_CHUNK", 7 * 5)  # chunks of 5 rows: progress within an epoch
    calls = []
    generic = sweep.sweep(model, **args, progress=lambda h, k: calls.append((h, k)))
    for a, b in zip(unrolled.runs, generic.runs):
        for field in ("final_loss", "W1", "b1", "W2", "b2", "losses", "loss_epochs"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), (a.hidden, field)
    assert calls.count(("sigmoid", 0)) >= 3  # between chunks of the first epoch
    assert calls[-1] == ("relu", 30)


@pytest.mark.parametrize("fast", [True, False])
def test_the_step_leaves_every_networks_hidden_layer_where_it_started(fast):
    """Exercise 6(b) in a sweep: f' = 0, so δ⁽¹⁾ = 0 on every network; W⁽¹⁾ and b⁽¹⁾ end bit for bit
    where random_params(seed + n) put them, W⁽²⁾ moves."""
    from engine.model import random_params

    xor = presets.load("xor")
    run = sweep.sweep(xor, 6, 50, seed=3, hidden=("step",), fast=fast).run("step")
    for n in range(6):
        start = random_params(3 + n)
        assert run.W1[n].tobytes() == start.W1.tobytes() and run.b1[n].tobytes() == start.b1.tobytes()
        assert run.W2[n].tobytes() != start.W2.tobytes()
