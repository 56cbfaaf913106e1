"""`train --batch` and `trace --batch` (issue 19): the mean gradient, one update per batch, JSON shapes,
the short last batch, --shuffle from the seed, and one-line refusals of a bad N."""

import json

import numpy as np
import pytest

from engine import activations, presets
from engine.network import backward


@pytest.fixture(autouse=True)
def english(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


def test_train_full_batch_json_is_the_default_shape_plus_the_batch_size(run_main):
    code, out, err = run_main("train", "--preset", "xor", "--epochs", "20", "--format", "json", "--batch", "full")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == ["loss", "params", "batch"] and doc["batch"] == 4 and len(doc["loss"]) == 21
    # the same L as full-batch descent written by hand: mean gradient of all four samples, one update per epoch
    m = presets.load("xor")
    f, g = activations.get(m.hidden), activations.get(m.output)
    p = m.params
    for _ in range(20):
        grads = [backward(p, x, float(y), f, g).grads for x, y in zip(m.X, m.Y)]
        p = type(p)(
            W1=p.W1 - m.lr * sum(gr.dW1 for gr in grads) / 4,
            b1=p.b1 - m.lr * sum(gr.db1 for gr in grads) / 4,
            W2=p.W2 - m.lr * sum(gr.dW2 for gr in grads) / 4,
            b2=p.b2 - m.lr * sum(gr.db2 for gr in grads) / 4,
        )
    np.testing.assert_allclose(doc["params"]["W1"], p.W1, rtol=1e-10)
    # without --batch: the document of per-sample descent, unchanged
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "20", "--format", "json")
    plain = json.loads(out)
    assert list(plain) == ["loss", "params"] and plain["loss"] != doc["loss"]


def test_train_text_says_the_mode_and_the_short_last_batch(run_main):
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "4", "--batch", "3")
    assert code == 0
    assert "mini-batch gradient descent: one update per 3 samples" in out and "the last batch of an epoch has 1" in out
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "4", "--batch", "full", "--lang", "pt")
    assert "gradiente descendente em lote" in out and "todos os 4 exemplos" in out
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "4")
    assert "gradient descent" not in out


def test_batch_larger_than_the_data_set_is_the_full_batch(run_main):
    _, big, _ = run_main("train", "--preset", "xor", "--epochs", "5", "--format", "json", "--batch", "50")
    _, full, _ = run_main("train", "--preset", "xor", "--epochs", "5", "--format", "json", "--batch", "full")
    assert json.loads(big) == json.loads(full)


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1.5", ""])
def test_a_bad_batch_size_is_one_line_and_exit_2(run_main, bad):
    for cmd in (("train", "--epochs", "3"), ("trace",)):
        code, out, err = run_main(*cmd, "--batch", bad)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "--batch" in err and "expected full or a whole number ≥ 1" in err


def test_trace_batch_json_shape_and_arithmetic(run_main):
    code, out, err = run_main("trace", "--preset", "xor", "--batch", "3", "--steps", "3", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == ["batch", "batches"] and doc["batch"] == 3
    b = doc["batches"]
    assert [(x["epoch"], x["batch"], x["samples"]) for x in b] == [(1, 1, [1, 2, 3]), (1, 2, [4]), (2, 1, [1, 2, 3])]
    assert list(b[0]) == ["epoch", "batch", "samples", "params", "steps", "lr", "grads", "params_after"]
    assert "params" not in b[0]["steps"][0] and b[0]["steps"][0]["sample"] == 1
    for x in b:
        mean = np.mean([s["grads"]["W1"] for s in x["steps"]], axis=0)
        np.testing.assert_allclose(x["grads"]["W1"], mean, rtol=1e-12)
        np.testing.assert_allclose(x["params_after"]["W1"], np.array(x["params"]["W1"]) - x["lr"] * mean, rtol=1e-12)
    assert b[1]["params"] == b[0]["params_after"]  # one update per batch
    # the trace's batches are train's: the end of epoch 1
    _, tr, _ = run_main("train", "--preset", "xor", "--epochs", "1", "--format", "json", "--batch", "3")
    np.testing.assert_allclose(json.loads(tr)["params"]["W1"], b[1]["params_after"]["W1"], rtol=1e-12)


def test_trace_batch_text_writes_the_mean_of_each_samples_gradient(run_main):
    code, out, _ = run_main("trace", "--preset", "xor", "--batch", "full", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert "Época 1, lote 1: exemplos 1–4" in out
    assert out.count("= ¼(g₁ + g₂ + g₃ + g₄)") == 9  # one mean per parameter, each sample's term visible
    joined = out.replace("\n        = ", " = ")  # a long equation continues on the next line at a "="
    assert "∂L/∂b⁽²⁾ = ¼(g₁ + g₂ + g₃ + g₄) = ¼(0,138079 + (−0,111151) + (−0,108948) + 0,135821) = 0,0135" in joined


def test_shuffled_batches_are_reproducible_and_need_batch_in_trace(run_main):
    args = ("train", "--preset", "xor", "--epochs", "30", "--format", "json", "--batch", "2", "--shuffle")
    a, b = json.loads(run_main(*args)[1]), json.loads(run_main(*args)[1])
    c = json.loads(run_main(*args, "--seed", "7")[1])
    d = json.loads(run_main(*args[:-1])[1])
    assert a == b and a["loss"] != c["loss"] and a["loss"] != d["loss"]
    t1 = json.loads(
        run_main("trace", "--preset", "xor", "--batch", "2", "--shuffle", "--steps", "4", "--format", "json")[1]
    )
    t2 = json.loads(
        run_main("trace", "--preset", "xor", "--batch", "2", "--shuffle", "--steps", "4", "--format", "json")[1]
    )
    assert t1 == t2
    assert sorted(t1["batches"][0]["samples"] + t1["batches"][1]["samples"]) == [1, 2, 3, 4]
    code, out, err = run_main("trace", "--shuffle")
    assert code == 2 and "--shuffle needs --batch" in err
    code, out, err = run_main("trace", "--batch", "2", "--format", "latex")
    assert code == 2 and err.count("\n") == 1


def test_trace_without_batch_is_unchanged(run_main):
    code, out, _ = run_main("trace", "--preset", "xor", "--steps", "2", "--format", "json")
    assert list(json.loads(out)) == ["steps"]
