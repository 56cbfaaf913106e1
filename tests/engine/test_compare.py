"""Exercise 5 (engine/compare.py): the notes' sample through sigmoid, tanh and ReLU, each column pinned
to the sample-step written out by hand (tests/byhand.py, worked_example_with), at full precision."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import byhand
from engine import compare, export, presets, training
from engine.model import Model
from engine.network import Params

REL = 1e-13  # full precision: the engine and the hand formulas differ only in the order of roundings


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-16)


@pytest.fixture(scope="module")
def columns():
    return compare.compare(presets.lecture())


@pytest.mark.parametrize("k, hidden", list(enumerate(("sigmoid", "tanh", "relu"))))
def test_each_column_is_the_sample_step_by_hand(columns, k, hidden):
    col, hand = columns[k], byhand.worked_example_with(hidden)
    v = col.step.values
    assert col.hidden == hidden and col.step.output == "sigmoid"  # the output activation kept
    for j in range(2):
        assert close(v.z1[j], hand["z1"][j]) and close(v.a1[j], hand["a1"][j])
        assert close(v.fprime1[j], hand["fprime1"][j]) and close(v.delta1[j], hand["delta1"][j])
    assert close(v.z2[0], hand["z2"]) and close(v.yhat[0], hand["yhat"]) and close(v.loss, hand["loss"])
    assert close(v.delta2[0], hand["delta2"])
    grads = {r.key: r.values[k] for r in compare.rows(columns) if r.key}
    assert set(grads) == set(hand["grads"])
    for key, value in hand["grads"].items():
        assert close(grads[key], value), key
    after = col.step.params_after
    for i in range(2):
        for j in range(2):
            assert close(after.W1[i, j], hand["after"]["W1"][i][j])
        assert close(after.b1[i], hand["after"]["b1"][i]) and close(after.W2[i, 0], hand["after"]["W2"][i])
    assert close(after.b2[0], hand["after"]["b2"])
    assert close(col.yhat_after, hand["yhat_after"]) and close(col.loss_after, hand["loss_after"])
    # one sample: the data-set loss is the sample's (DESIGN §6, L = (1/m) Σ Lᵢ)
    assert close(col.dataset_loss, hand["loss"]) and close(col.dataset_loss_after, hand["loss_after"])


def test_sigmoid_column_is_the_notes_worked_example(columns):
    ex = byhand.worked_example()
    col = columns[0]
    assert close(col.step.values.delta2[0], ex["delta2"]) and close(col.step.values.yhat[0], ex["yhat"])
    # DESIGN §2: ŷ 0.7514 → 0.7284, L 0.2748 → 0.2580
    assert f"{col.step.values.yhat[0]:.4f} {col.yhat_after:.4f}" == "0.7514 0.7284"
    assert f"{col.step.values.loss:.4f} {col.loss_after:.4f}" == "0.2748 0.2580"


def test_relu_dead_unit_has_zero_derivative_and_gradients():
    # a negative pre-activation: ReLU passes nothing back (f'(z) = 0 at and below 0, the notes' table)
    m = presets.lecture().with_(
        params=Params(W1=[[0.15, -10.0], [0.25, 0.30]], b1=[0.35, 0.35], W2=[[0.40], [0.45]], b2=[0.60])
    )
    relu = compare.column(m, "relu")
    hand = byhand.worked_example_with("relu", W1=((0.15, -10.0), (0.25, 0.30)))
    assert hand["z1"][1] < 0 and relu.step.values.fprime1[1] == 0.0 and relu.step.values.delta1[1] == 0.0
    assert close(relu.step.values.delta1[0], hand["delta1"][0])
    rows = {r.key: r for r in compare.rows(compare.compare(m)) if r.key}
    assert rows[("W1", 1, 2)].values[2] == 0.0
    largest, smallest = compare.extremes(rows[("W1", 1, 2)].values)
    assert smallest == {2, 3}  # ReLU's zero (and the step's, 0 everywhere) is the smallest |∂L/∂w₁₂⁽¹⁾|


def test_rows_in_the_notes_order_with_symbols(columns):
    rs = compare.rows(columns)
    assert [r.symbol.text for r in rs] == [
        "z₁⁽¹⁾",
        "z₂⁽¹⁾",
        "a₁⁽¹⁾",
        "a₂⁽¹⁾",
        "f'(z₁⁽¹⁾)",
        "f'(z₂⁽¹⁾)",
        "z⁽²⁾",
        "δ⁽²⁾",
        "δ₁⁽¹⁾",
        "δ₂⁽¹⁾",
        "∂L/∂w₁₁⁽¹⁾",
        "∂L/∂w₁₂⁽¹⁾",
        "∂L/∂w₂₁⁽¹⁾",
        "∂L/∂w₂₂⁽¹⁾",
        "∂L/∂b₁⁽¹⁾",
        "∂L/∂b₂⁽¹⁾",
        "∂L/∂w₁₁⁽²⁾",
        "∂L/∂w₂₁⁽²⁾",
        "∂L/∂b⁽²⁾",
        "ŷ",
        "Lᵢ",
        "L",
    ]
    assert all(r.after is not None for r in rs if r.section == "after")
    # z⁽¹⁾ does not depend on the hidden activation: the same in every column
    assert rs[0].values[0] == rs[0].values[1] == rs[0].values[2]


def test_extremes_of_a_row():
    assert compare.extremes([0.1, -0.3, 0.2]) == ({1}, {0})
    assert compare.extremes([0.0, 0.0, 0.5]) == ({2}, {0, 1})  # ties: both marked
    assert compare.extremes([0.2, -0.2, 0.2]) == (set(), set())  # all equal in size: nothing to mark
    assert compare.extremes([0.2, math.nan, 0.1]) == (set(), set())


def test_gradients_of_the_lecture_sample_per_row(columns):
    """Exercise 5's finding on the notes' sample: sigmoid (f' ≤ 1/4) gives the smallest hidden-layer
    gradients and ReLU (f' = 1 here) the largest; by hand, tanh'/σ' = (1 − tanh²)/(σ(1 − σ))."""
    names = ("sigmoid", "tanh", "relu", "step")
    assert compare.HIDDEN == names
    hand = {h: byhand.worked_example_with(h)["grads"] for h in names}
    for r in compare.rows(columns):
        if r.key is None:
            continue
        sizes = [abs(hand[h][r.key]) for h in names]
        largest, smallest = compare.extremes(r.values)
        assert largest == {k for k, v in enumerate(sizes) if v == max(sizes)}
        assert smallest == {k for k, v in enumerate(sizes) if v == min(sizes)}
        if r.key[0] in ("W1", "b1"):
            # the step (exercise 6(b)) has f' = 0: no hidden-layer gradient at all
            assert largest == {2} and smallest == {3} and r.values[3] == 0.0


def test_a_later_sample_of_a_larger_data_set():
    xor = presets.load("xor")
    params = training.train(xor, 3).params
    first = 3 * xor.m + 2  # epoch 4, sample 3
    col = compare.column(xor, "tanh", params, first)
    x, y = xor.X[2], float(xor.Y[2])
    hand = byhand.worked_example_with(
        "tanh",
        W1=params.W1.tolist(),
        b1=params.b1.tolist(),
        W2=params.W2[:, 0].tolist(),
        b2=float(params.b2[0]),
        x=tuple(x),
        y=y,
        eta=xor.lr,
    )
    assert (col.step.epoch, col.step.sample) == (4, 3)
    assert close(col.step.values.delta2[0], hand["delta2"]) and close(col.loss_after, hand["loss_after"])

    # the data-set loss: (1/m) Σ ½(ŷ − y)² over the four samples, by hand
    def L(p: Params) -> float:
        total = 0.0
        for xi, yi in zip(xor.X, xor.Y):
            a = [math.tanh(p.W1[0, j] * xi[0] + p.W1[1, j] * xi[1] + p.b1[j]) for j in range(2)]
            yh = byhand.sigma(p.W2[0, 0] * a[0] + p.W2[1, 0] * a[1] + p.b2[0])
            total += 0.5 * (yh - yi) ** 2
        return total / 4

    assert close(col.dataset_loss, L(params)) and close(col.dataset_loss_after, L(col.step.params_after))


def test_histories_start_from_the_same_parameters_and_match_train():
    m = presets.load("xor")
    runs = compare.histories(m, 50)
    for h, run in zip(compare.HIDDEN, runs):
        alone = training.train(m.with_(hidden=h), 50)
        assert np.array_equal(run.losses, alone.losses) and run.params == alone.params
        assert len(run.losses) == 51
    # L0 of each is the data-set loss at the same start, by hand for the sigmoid
    total = 0.0
    p = m.params
    for xi, yi in zip(m.X, m.Y):
        a = [byhand.sigma(p.W1[0, j] * xi[0] + p.W1[1, j] * xi[1] + p.b1[j]) for j in range(2)]
        total += 0.5 * (byhand.sigma(p.W2[0, 0] * a[0] + p.W2[1, 0] * a[1] + p.b2[0]) - yi) ** 2
    assert close(runs[0].losses[0], total / 4)


def test_histories_are_bounded_and_cancellable():
    m = presets.lecture()
    with pytest.raises(ValueError):
        compare.histories(m, compare.MAX_EPOCHS + 1)
    assert compare.histories(m, 10, go_on=lambda: False) is None
    assert [len(r.losses) for r in compare.histories(m, 0)] == [1, 1, 1, 1]


def test_json_record_is_the_trace_step_plus_the_update(columns):
    m = presets.lecture()
    runs = compare.histories(m, 3)
    doc = json.loads(compare.compare_json(columns, runs))
    assert [a["activation"] for a in doc["activations"]] == ["sigmoid", "tanh", "relu", "step"]
    for entry, h, run in zip(doc["activations"], compare.HIDDEN, runs):
        step = export.step_record(next(export.iter_trace(m.with_(hidden=h), 1)))
        assert {k: entry[k] for k in step} == step
        hand = byhand.worked_example_with(h)
        assert close(entry["loss_after"], hand["loss_after"]) and close(entry["yhat_after"], hand["yhat_after"])
        assert entry["loss_history"] == run.losses.tolist() and entry["diverged_at"] is None
    assert "loss_history" not in json.loads(compare.compare_json(columns))["activations"][0]


def test_a_diverging_step_is_written_with_nulls():
    big = Model(
        "big",
        Params(W1=[[1e200, 1e200], [1e200, 1e200]], b1=[0, 0], W2=[[1e200], [1e200]], b2=[0]),
        X=[[1.0, 1.0]],
        Y=[0.0],
        hidden="relu",
        output="linear",
    )
    doc = json.loads(compare.compare_json(compare.compare(big), compare.histories(big, 5)))
    relu = doc["activations"][2]
    assert relu["loss"] is None and relu["diverged_at"] == 0 and relu["loss_history"] == [None]
