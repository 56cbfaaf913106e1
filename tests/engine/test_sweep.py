"""The many-networks sweep (issue 4 item 7): network n of a sweep is `train` on random_params(seed + n).

Timing lives in benchmarks/bench_sweep.py, never here.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from engine import presets, training
from engine.model import random_params

TOL = 1e-9


def one_by_one(model, nets, epochs, seed, scale=None):
    kw = {} if scale is None else {"scale": scale}
    return [training.train(model.with_(params=random_params(seed + n, **kw)), epochs) for n in range(nets)]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("preset", ["xor", "lecture"])  # lecture: inputs 0.05, 0.10 (neither 0 nor 1)
def test_each_network_is_the_single_network_path(preset, hidden):
    model = presets.load(preset).with_(hidden=hidden)
    result = training.sweep(model, 5, 50, seed=7, hidden=(hidden,))
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
    run = training.sweep(presets.load("xor"), 6, 0, seed=40, **kw).runs[0]
    for n in range(6):
        start = random_params(40 + n, **kw)
        for name in ("W1", "b1", "W2", "b2"):
            np.testing.assert_array_equal(getattr(run.params(n), name), getattr(start, name))


@pytest.mark.parametrize("hidden, output", [("sigmoid", "tanh"), ("sigmoid", "linear"), ("sigmoid", "relu"),
                                            ("tanh", "tanh"), ("relu", "relu"), ("tanh", "sigmoid")])
def test_other_output_activations_match_too(hidden, output):
    model = presets.load("and").with_(hidden=hidden, output=output, lr=0.1)
    run = training.sweep(model, 4, 40, seed=0).runs[0]
    for n, single in enumerate(one_by_one(model, 4, 40, seed=0)):
        assert abs(run.final_loss[n] - single.losses[-1]) < TOL
        np.testing.assert_allclose(run.W1[n], single.params.W1, rtol=0, atol=TOL)


def test_several_activations_share_the_starting_points():
    model = presets.load("xor")
    result = training.sweep(model, 4, 30, seed=2, hidden=["relu", "sigmoid"])
    assert [r.hidden for r in result.runs] == ["relu", "sigmoid"]
    for run in result.runs:
        singles = one_by_one(model.with_(hidden=run.hidden), 4, 30, seed=2)
        np.testing.assert_allclose(run.final_loss, [s.losses[-1] for s in singles], rtol=0, atol=TOL)
    assert not np.allclose(result.run("relu").final_loss, result.run("sigmoid").final_loss)
    with pytest.raises(KeyError):
        result.run("tanh")


def test_seed_defaults_to_the_models_so_network_0_is_the_preset():
    model = presets.load("xor")  # its params are random_params(model.seed)
    run = training.sweep(model, 3, 20).runs[0]
    single = training.train(model, 20)
    assert abs(run.final_loss[0] - single.losses[-1]) < TOL
    np.testing.assert_allclose(run.W2[0], single.params.W2, rtol=0, atol=TOL)


def test_loss_every_records_the_epoch_losses_of_train():
    model = presets.load("xor")
    run = training.sweep(model, 3, 25, seed=4, loss_every=10).runs[0]
    assert run.loss_epochs.tolist() == [0, 10, 20, 25]
    assert run.losses.shape == (4, 3)
    for n, single in enumerate(one_by_one(model, 3, 25, seed=4)):
        np.testing.assert_allclose(run.losses[:, n], single.losses[[0, 10, 20, 25]], rtol=0, atol=TOL)
    np.testing.assert_array_equal(run.losses[-1], run.final_loss)


def test_convergence_is_counted_against_the_threshold():
    model = presets.load("or")
    result = training.sweep(model, 10, 300, seed=0, threshold=0.0105)
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
    run = training.sweep(model, 6, 300, seed=0, threshold=0.0105, loss_every=50).runs[0]
    for n in range(6):
        below = [e for e, loss in zip(run.loss_epochs.tolist(), run.losses[:, n]) if loss < 0.0105]
        assert run.converged_at[n] == (below[0] if below else -1)
    assert (run.converged_at >= 0).any() and (run.converged_at == -1).any()
    assert training.sweep(model, 2, 5).runs[0].converged_at.tolist() == [-1, -1]


def test_divergent_networks_are_counted_without_warnings():
    # Linear output, η = 2.2: about half of these starting points blow up (checked one by one).
    model = presets.load("xor").with_(output="linear", lr=2.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = training.sweep(model, 12, 80, seed=0).runs[0]
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
        run = training.sweep(model, 5, 50, hidden=("relu",)).runs[0]
    assert run.n_diverged == 5 and run.n_converged == 0
    assert not np.isfinite(run.final_loss).any()


def test_result_is_frozen_and_read_only():
    result = training.sweep(presets.load("xor"), 3, 5)
    run = result.runs[0]
    for arr in (result.seeds, run.final_loss, run.W1, run.b1, run.W2, run.b2, run.losses, run.loss_epochs):
        assert not arr.flags.writeable
    assert run.W1.shape == (3, 2, 2) and run.b1.shape == (3, 2) and run.W2.shape == (3, 2, 1)
    assert run.b2.shape == (3, 1)
    with pytest.raises(AttributeError):
        result.epochs = 7  # type: ignore[misc]


def test_progress_is_reported_and_can_abandon_the_sweep():
    calls = []
    training.sweep(presets.load("xor"), 2, 250, hidden=("sigmoid", "tanh"), progress=lambda h, k: calls.append((h, k)))
    assert calls == [("sigmoid", 100), ("sigmoid", 200), ("sigmoid", 250), ("tanh", 100), ("tanh", 200), ("tanh", 250)]

    class Stop(Exception):
        pass

    def stop(hidden, epoch):
        raise Stop

    with pytest.raises(Stop):
        training.sweep(presets.load("xor"), 2, 250, progress=stop)


@pytest.mark.parametrize("kwargs", [{"nets": 0}, {"epochs": -1}, {"hidden": ("linear",)}, {"hidden": ("tanh", "tanh")},
                                    {"hidden": ()}, {"loss_every": -2}])
def test_bad_arguments_are_refused(kwargs):
    args = {"nets": 2, "epochs": 3, **kwargs}
    with pytest.raises(ValueError):
        training.sweep(presets.load("xor"), **args)


# --- the command line ---------------------------------------------------------------------------

def test_cli_json_reports_the_engines_counts(run_main):
    code, out, err = run_main("sweep", "--nets", "10", "--epochs", "300", "--preset", "or",
                             "--activations", "sigmoid,relu", "--threshold", "0.0105", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    expected = training.sweep(presets.load("or"), 10, 300, hidden=("sigmoid", "relu"), threshold=0.0105)
    assert (doc["model"], doc["nets"], doc["epochs"], doc["seeds"]) == ("or", 10, 300, [0, 9])
    assert [r["hidden"] for r in doc["runs"]] == ["sigmoid", "relu"]
    for mine, run in zip(doc["runs"], expected.runs):
        assert mine["converged"] == run.n_converged and mine["diverged"] == 0
        np.testing.assert_allclose(mine["final_loss"], run.final_loss, rtol=0, atol=1e-15)


def test_cli_json_writes_null_for_a_diverged_network(run_main):
    code, out, _ = run_main("sweep", "--nets", "3", "--epochs", "20", "--output-activation", "linear",
                           "--lr", "1e6", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["runs"][0]["diverged"] == 3 and doc["runs"][0]["final_loss"] == [None, None, None]
    assert doc["runs"][0]["median_loss"] is None


def test_cli_text_table_and_histograms(run_main):
    code, out, err = run_main("sweep", "--nets", "40", "--epochs", "400", "--activations", "sigmoid,tanh",
                             "--seed", "5", "--lang", "en")
    assert code == 0 and err == ""
    result = training.sweep(presets.load("xor"), 40, 400, seed=5, hidden=("sigmoid", "tanh"))
    lines = out.splitlines()
    assert lines[0].startswith("sweep: xor, 40 networks × 400 epochs")
    assert "seeds 5 … 44" in out
    for run in result.runs:
        row = next(line for line in lines if line.startswith(run.hidden + " "))
        assert f"{run.n_converged} / 40 (" in row
    assert out.count("log₁₀ L") >= 2 and out.count("┌") == 2  # one histogram per hidden activation
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in out  # no colour codes in text output


def test_cli_text_in_portuguese_with_decimal_comma(run_main):
    code, out, _ = run_main("sweep", "--nets", "5", "--epochs", "10", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert out.startswith("varredura: xor, 5 redes")
    assert "0,0100" in out and "0.0100" not in out


def test_cli_says_when_every_network_diverged(run_main):
    code, out, _ = run_main("sweep", "--nets", "3", "--epochs", "20", "--output-activation", "linear", "--lr", "1e6")
    assert code == 0
    assert "every network diverged" in out and "┌" not in out


@pytest.mark.parametrize("argv", [["--activation", "tanh", "--activations", "sigmoid,relu"],
                                  ["--activations", "sigmoid,linear"], ["--activations", "tanh,tanh"],
                                  ["--nets", "0"], ["--epochs", "many"], ["--threshold", "-1"]])
def test_cli_bad_arguments_exit_2_with_one_line(run_main, argv):
    code, out, err = run_main("sweep", "--epochs", "5", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_sweep_command_does_not_import_textual(run_python):
    code = ("import sys; from tui.main import main; main(['sweep', '--nets', '2', '--epochs', '2']); "
            "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)")
    assert run_python(code).returncode == 0


@pytest.mark.parametrize("output", ["sigmoid", "tanh", "linear"])
def test_a_large_data_set_runs_through_the_generic_step_with_the_same_numbers(monkeypatch, output):
    # Inputs and targets of 0 and 1 (written out in the unrolled loop) among arbitrary ones.
    rng = np.random.default_rng(1)
    X = np.vstack([rng.uniform(-1, 1, (12, 2)), [[0, 1], [1, 0], [0, 0], [1, 1]]])
    Y = np.r_[rng.uniform(0, 1, 12), [1, 1, 0, 0]]
    model = presets.load("xor").with_(X=X, Y=Y, output=output, lr=0.3)
    args = dict(nets=7, epochs=30, hidden=("sigmoid", "tanh", "relu"), loss_every=7)
    unrolled = training.sweep(model, **args)
    monkeypatch.setattr(training, "UNROLL_SAMPLES", 4)
    monkeypatch.setattr(training, "SWEEP_CHUNK", 7 * 5)  # chunks of 5 rows: progress within an epoch
    calls = []
    generic = training.sweep(model, **args, progress=lambda h, k: calls.append((h, k)))
    for a, b in zip(unrolled.runs, generic.runs):
        for field in ("final_loss", "W1", "b1", "W2", "b2", "losses", "loss_epochs"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), (a.hidden, field)
    assert calls.count(("sigmoid", 0)) >= 3  # between chunks of the first epoch
    assert calls[-1] == ("relu", 30)
