"""Batch and mini-batch gradient descent (issue 19, §2.1's L = (1/m) Σ Lᵢ): the gradient of a batch is
the mean of its samples' gradients and the derivative of its mean loss; full-batch epochs agree with
a hand-written NumPy loop; batches are cut in data order with a short last one; the Stepper's batch
mode records the batch with its update and writes the mean as ¼(g₁ + g₂ + g₃ + g₄), honestly."""

import itertools

import numpy as np
import pytest

import writtenmath
from engine import activations, presets, training
from engine import equations as E
from engine.model import Model
from engine.network import Params, backward, batch_step, dataset_loss, mean_grads
from engine.stepper import Phase, Refused, Stepper

PAIRS = list(itertools.product(activations.HIDDEN_ACTIVATIONS, activations.OUTPUT_ACTIVATIONS))
FIELDS = ("dW1", "db1", "dW2", "db2")


def model(hidden="sigmoid", output="sigmoid", m=5, seed=3, lr=0.5) -> Model:
    rng = np.random.default_rng(seed)
    params = Params(
        W1=rng.normal(0, 1, (2, 2)), b1=rng.normal(0, 1, 2), W2=rng.normal(0, 1, (2, 1)), b2=rng.normal(0, 1, 1)
    )
    X, Y = rng.normal(0, 1.5, (m, 2)), rng.uniform(0.1, 0.9, m)
    return Model(name="batch", params=params, X=X, Y=Y, hidden=hidden, output=output, lr=lr)


# --- the numbers ----------------------------------------------------------------------------------


def mean_loss(p: Params, X, Y, hidden, output) -> float:
    return dataset_loss(p, X, Y, activations.get(hidden), activations.get(output))


def bumped(p: Params, name: str, index, h: float) -> Params:
    arrays = {k: np.array(getattr(p, k), dtype=float) for k in ("W1", "b1", "W2", "b2")}
    arrays[name][index] += h
    return Params(**arrays)


@pytest.mark.parametrize("hidden,output", PAIRS)
def test_batch_gradient_is_the_mean_of_per_sample_gradients_and_the_slope_of_the_mean_loss(hidden, output):
    m = model(hidden, output, m=4, seed=len(hidden) * 7 + len(output))
    f, g = activations.get(hidden), activations.get(output)
    X, Y = m.X[1:4], m.Y[1:4]  # a batch of three
    new, passes, mean = batch_step(m.params, X, Y, f, g, m.lr)
    per = [backward(m.params, x, float(y), f, g).grads for x, y in zip(X, Y)]
    h = 1e-6
    for field in FIELDS:
        by_hand = sum(getattr(gr, field) for gr in per) / 3
        np.testing.assert_allclose(getattr(mean, field), by_hand, rtol=1e-12, atol=1e-15)
        name = field[1:]
        for index in np.ndindex(getattr(m.params, name).shape):
            slope = (
                mean_loss(bumped(m.params, name, index, h), X, Y, hidden, output)
                - mean_loss(bumped(m.params, name, index, -h), X, Y, hidden, output)
            ) / (2 * h)
            z1 = np.array([backward(m.params, x, float(y), f, g).z1 for x, y in zip(X, Y)])
            if hidden in activations.KINKS and np.min(np.abs(z1)) < 10 * h:
                continue  # the kink is within h: no slope to compare
            assert getattr(mean, field)[index] == pytest.approx(slope, rel=1e-5, abs=1e-8), (field, index)
    # and the update used the mean
    np.testing.assert_allclose(new.W1, m.params.W1 - m.lr * mean.dW1, rtol=1e-14)


def numpy_full_batch(m: Model, epochs: int) -> list[float]:
    """Full-batch descent written from §2.1–§2.9 with matrices, independently of the engine."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    W1, b1 = np.array(m.params.W1, float), np.array(m.params.b1, float)
    W2, b2 = np.array(m.params.W2, float)[:, 0], float(m.params.b2[0])
    X, Y, n = np.array(m.X, float), np.array(m.Y, float), m.m

    def loss():
        return float(np.mean(0.5 * (sig(sig(X @ W1 + b1) @ W2 + b2) - Y) ** 2))

    out = [loss()]
    for _ in range(epochs):
        A1 = sig(X @ W1 + b1)
        Yh = sig(A1 @ W2 + b2)
        d2 = (Yh - Y) * Yh * (1 - Yh)  # one δ⁽²⁾ per sample
        d1 = np.outer(d2, W2) * A1 * (1 - A1)
        gW2, gb2 = A1.T @ d2 / n, d2.sum() / n
        gW1, gb1 = X.T @ d1 / n, d1.sum(axis=0) / n
        W1, b1, W2, b2 = W1 - m.lr * gW1, b1 - m.lr * gb1, W2 - m.lr * gW2, b2 - m.lr * gb2
        out.append(loss())
    return out


@pytest.mark.parametrize("name", ["xor", "and", "lecture"])
def test_full_batch_epochs_equal_a_hand_written_numpy_loop(name):
    m = presets.load(name)
    res = list(training.train_batch_chunks(m, 40, "full"))
    losses = np.concatenate([r.losses for r in res])
    np.testing.assert_allclose(losses, numpy_full_batch(m, 40), rtol=1e-10)
    plain = training.plain_batch_epochs(m.params, m, 40, m.m)
    np.testing.assert_allclose(losses[1:], plain.losses, rtol=1e-12)
    # and it is not per-sample descent (on more than one sample)
    if m.m > 1:
        assert not np.allclose(losses, training.train(m, 40).losses, rtol=1e-6)


def test_batches_are_cut_in_data_order_with_a_short_last_one():
    assert [list(b) for b in training.batches(5, 2)] == [[0, 1], [2, 3], [4]]
    assert [list(b) for b in training.batches(4, 4)] == [[0, 1, 2, 3]]
    assert training.batch_size("full", 7) == 7 and training.batch_size(9, 7) == 7  # N ≥ m: the full batch
    assert training.batch_size(None, 7) == 1
    with pytest.raises(ValueError):
        training.batch_size(0, 7)


def test_one_sample_batches_are_per_sample_descent():
    m = presets.load("xor")
    np.testing.assert_allclose(
        training.fast_batch_epochs(m.params, m, 30, 1).losses, training.fast_epochs(m.params, m, 30).losses, rtol=1e-12
    )


@pytest.mark.parametrize("hidden,output", PAIRS)
@pytest.mark.parametrize("size", [2, 3])
def test_fast_batch_epochs_agree_with_plain(hidden, output, size):
    m = model(hidden, output, m=5, lr=0.3)
    fast, plain = training.fast_batch_epochs(m.params, m, 20, size), training.plain_batch_epochs(m.params, m, 20, size)
    np.testing.assert_allclose(fast.losses, plain.losses, rtol=1e-10)


def test_shuffled_batches_are_reproducible_from_the_seed():
    m = presets.load("xor").with_(seed=5)
    a = np.concatenate([r.losses for r in training.train_batch_chunks(m, 30, 2, shuffle=True)])
    b = np.concatenate([r.losses for r in training.train_batch_chunks(m, 30, 2, shuffle=True)])
    c = np.concatenate([r.losses for r in training.train_batch_chunks(m.with_(seed=6), 30, 2, shuffle=True)])
    d = np.concatenate([r.losses for r in training.train_batch_chunks(m, 30, 2)])
    assert np.array_equal(a, b) and not np.allclose(a, c) and not np.allclose(a, d)
    assert len(a) == 31


# --- the Stepper's batch mode ---------------------------------------------------------------------


def test_the_stepper_updates_once_per_batch_with_the_mean_and_records_the_batch():
    m = model(m=5)
    st = Stepper(m, batch=2)
    updates = []
    for _ in range(5 * 4 + 3):  # one epoch: four micro-steps per sample, one U per batch
        s = st.step()
        if s.phase is Phase.U:
            updates.append(s)
    assert [u.update.batch.samples for u in updates] == [(0, 1), (2, 3), (4,)]
    f, g = activations.get(m.hidden), activations.get(m.output)
    p = m.params
    for u in updates:
        per = [backward(p, m.X[i], float(m.Y[i]), f, g).grads for i in u.update.batch.samples]
        for field in FIELDS:
            for got, want in zip(u.update.batch.grads, per):
                np.testing.assert_allclose(getattr(got, field), getattr(want, field), rtol=1e-13)
            np.testing.assert_allclose(getattr(u.update.batch.mean, field), getattr(mean_grads(per), field), rtol=1e-13)
        np.testing.assert_allclose(u.params.W1, p.W1 - m.lr * u.update.batch.mean.dW1, rtol=1e-13)
        assert u.params_start == p  # every sample of a batch ran on the parameters the batch started from
        p = u.params
    assert updates[-1].sample == 4 and len(updates[-1].losses) == 2  # the epoch ended at the short batch
    np.testing.assert_allclose(
        updates[-1].losses[1], training.fast_batch_epochs(m.params, m, 1, 2).losses[0], rtol=1e-12
    )


def test_mid_batch_the_next_step_is_the_next_sample_and_u_is_refused():
    st = Stepper(model(m=4), batch="full")
    for _ in range(4):
        st.step()
    s = st.snapshot
    assert s.phase is Phase.B1 and s.mid_batch
    with pytest.raises(Refused) as why:
        st.update()
    assert why.value.expected == "forward"
    with pytest.raises(Refused) as why:
        st.backward()
    assert why.value.expected == "forward"
    s = st.forward()
    assert (s.phase, s.sample, len(s.collected)) == (Phase.F1, 1, 1)
    s = st.finish_sample()  # s: to the batch's update
    assert s.phase is Phase.U and s.update.batch.samples == (0, 1, 2, 3)


def test_a_mode_change_mid_epoch_waits_for_the_epoch_boundary_and_undo_restores_it():
    m = model(m=4)
    st = Stepper(m)
    st.finish_sample()  # per-sample: sample 1 updated, not an epoch boundary
    s = st.set_batch("full")
    assert s.batch is None and s.batch_next == ("full",)
    st.finish_epoch()
    s = st.step()  # the next epoch starts in the full batch
    assert s.batch == "full" and s.batch_next is None
    st.undo()
    assert st.snapshot.batch is None and st.snapshot.batch_next == ("full",)  # U of the epoch's last sample
    while st.snapshot.action != "batch":
        st.undo()
    st.undo()  # before m was pressed
    assert st.snapshot.batch_next is None
    s = Stepper(m).set_batch(2)  # at the start of an epoch: at once
    assert s.batch == 2


def test_undo_and_redo_across_a_batch_update():
    st = Stepper(model(m=4), batch=2)
    before = st.finish_sample()
    assert before.phase is Phase.U
    after = st.step()  # F1 of the next batch
    st.undo()
    assert st.snapshot.same_state(before)
    st.redo()
    assert st.snapshot.same_state(after)
    u = st.finish_sample()
    assert u.update.batch.samples == (2, 3)


# --- the written mean -------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(0, 28, 3))
def test_the_mean_is_written_with_each_samples_gradient_and_its_arithmetic_is_right(k):
    m = writtenmath.random_models()[k]
    st = Stepper(m, batch="full")
    s = st.finish_sample()
    eqs = E.of_snapshot(s)
    means = [e for e in eqs if isinstance(e.expr, E.Mean)]
    assert len(means) == 9
    n = s.m
    for e in means:
        for comma in (False, True):
            line = E.write(e, comma).line()
            assert f"{E.fraction(n)}(" in line and "g₁ + " in line if n > 1 else True, line
            problem = writtenmath.check_line(e, line)
            assert problem is None, problem
        problem = writtenmath.check_line(e, E.write(e, False, tex=True).line(), tex=True)
        assert problem is None, problem
    for e in eqs:  # the updates too: θ ← θ − η·(the mean)
        assert writtenmath.check_line(e, E.write(e).line()) is None


def test_the_written_mean_of_the_xor_data_reads_as_a_quarter_of_four_gradients():
    m = presets.load("xor")
    s = Stepper(m, batch="full").finish_sample()
    e = next(e for e in E.of_snapshot(s) if isinstance(e.expr, E.Mean) and e.quantity.of.text == "w₁₁⁽²⁾")
    line = E.write(e, comma=True).line()
    assert line.startswith("∂L/∂w₁₁⁽²⁾ = ¼(g₁ + g₂ + g₃ + g₄) = ¼(")
    g = [float(gr.dW2[0, 0]) for gr in s.update.batch.grads]
    assert e.value == pytest.approx(sum(g) / 4, rel=1e-14)
    assert "," in line.split(" = ")[2]  # the decimal comma


@pytest.mark.parametrize("batch", ["full", 2, 7])
def test_e_in_batch_mode_makes_the_snapshots_step_by_step_would_keep(batch):
    """e runs the batches whose snapshots fall out of the history as network.batch_step, the others
    micro-step by micro-step: the kept snapshots and the losses are those of stepping one by one."""
    rng = np.random.default_rng(1)
    m = presets.load("xor").with_(X=rng.normal(size=(103, 2)), Y=rng.uniform(size=103))
    short = Stepper(m, history_limit=60, batch=batch)
    short.finish_epoch()
    short.finish_epoch()
    full = Stepper(m, history_limit=100_000, batch=batch)
    while len(full.snapshot.losses) < 3:
        full.step()
    assert short.history_length == 60
    assert all(a.same_state(b) for a, b in zip(short.history[1:], full.history[-59:]))
    np.testing.assert_array_equal(short.snapshot.losses, full.snapshot.losses)


def test_a_full_batch_e_can_be_cancelled_within_its_epoch():
    from engine.stepper import epoch_steps

    rng = np.random.default_rng(2)
    m = presets.load("xor").with_(X=rng.normal(size=(3000, 2)), Y=rng.uniform(size=3000))
    asked = []

    def go_on(sample):
        asked.append(sample)
        return len(asked) < 3

    assert epoch_steps(Stepper(m, batch="full").snapshot, 100, go_on, every=256) is None
    assert asked == [255, 511, 767]  # asked every 256 samples, inside the one batch of 3000
