"""One definition of divergence (issue 18, training.diverged): a run diverges at the first epoch k whose
data-set loss L_k, with the parameters at the end of epoch k, is not finite. `train`, `trace` and the app
(p and e) name the same epoch. Before, `trace` stopped at the first sample whose Lᵢ was not finite: one
epoch later on these models (163 against train's 162, 65 against 64)."""

from __future__ import annotations

import json
import math

import pytest

from engine import presets
from tui.app.widgets.explain import ExplainPanel

# (preset, output activation, η): m = 1 and m = 4 samples
MODELS = [("lecture", "linear", 10.0), ("and", "linear", 5.0)]


def by_hand(preset: str, output: str, lr: float) -> int:
    """The epoch whose L is first not finite, with plain floats and loops (§2.9, samples in file order)."""
    m = presets.load(preset).with_(output=output, lr=lr)
    (w11, w12), (w21, w22) = m.params.W1.tolist()
    b1, b2 = m.params.b1.tolist()
    (v1,), (v2,) = m.params.W2.tolist()
    (c,) = m.params.b2.tolist()
    sig = lambda z: 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))  # noqa: E731
    data = list(zip(m.X.tolist(), m.Y.tolist()))
    for k in range(1, 10_000):
        for (x1, x2), y in data:
            a1, a2 = sig(w11 * x1 + w21 * x2 + b1), sig(w12 * x1 + w22 * x2 + b2)
            d = v1 * a1 + v2 * a2 + c - y  # linear output: g' = 1
            d1, d2 = v1 * d * a1 * (1 - a1), v2 * d * a2 * (1 - a2)
            w11, w21, w12, w22 = w11 - lr * x1 * d1, w21 - lr * x2 * d1, w12 - lr * x1 * d2, w22 - lr * x2 * d2
            b1, b2, v1, v2, c = b1 - lr * d1, b2 - lr * d2, v1 - lr * a1 * d, v2 - lr * a2 * d, c - lr * d
        try:
            L = sum(
                0.5 * (v1 * sig(w11 * x1 + w21 * x2 + b1) + v2 * sig(w12 * x1 + w22 * x2 + b2) + c - y) ** 2
                for (x1, x2), y in data
            ) / len(data)
        except OverflowError:
            return k
        if not math.isfinite(L):
            return k
    raise AssertionError("did not diverge")


def flags(preset, output, lr):
    return ["--preset", preset, "--output-activation", output, "--lr", str(lr)]


@pytest.mark.parametrize("preset, output, lr", MODELS)
def test_train_and_trace_name_the_epoch_whose_loss_L_is_first_not_finite(run_main, preset, output, lr):
    k = by_hand(preset, output, lr)
    code, out, err = run_main("train", *flags(preset, output, lr), "--epochs", "1000", "--format", "json")
    assert code == 1 and err.strip().endswith(f"diverged at epoch {k}")
    assert len(json.loads(out)["loss"]) == k  # L0 … L(k−1): the finite ones
    m = presets.load(preset).m
    code, out, err = run_main("trace", *flags(preset, output, lr), "--steps", str(1000 * m), "--format", "json")
    assert code == 1 and err.strip().endswith(f"diverged at epoch {k}")
    steps = json.loads(out)["steps"]
    assert len(steps) == k * m and (steps[-1]["epoch"], steps[-1]["sample"]) == (k, m)  # to the end of epoch k


def test_a_loss_not_finite_before_training_is_epoch_0_for_both(run_main, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(
        'output_activation = "linear"\n[weights]\nW1 = [[0.15, 0.20], [0.25, 0.30]]\nb1 = [0.35, 0.35]\n'
        "W2 = [[1e200], [1e200]]\nb2 = [0.60]\n[data]\nx = [[0.05, 0.10]]\ny = [0.01]\n",
        encoding="utf-8",
    )
    for argv in (["train", "--epochs", "5"], ["trace", "--steps", "5"]):
        code, out, err = run_main(*argv, "--config", str(path), "--format", "json")
        assert code == 1 and err.strip().endswith("diverged at epoch 0"), argv
    assert json.loads(out) == {"steps": []}


@pytest.mark.parametrize("preset, output, lr", MODELS)
def test_the_apps_play_says_the_same_epoch(drive, preset, output, lr):
    k = by_hand(preset, output, lr)

    async def scenario(app, pilot):
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        explain = " ".join(app.query_one(ExplainPanel).render().plain.split())
        assert app.snapshot.diverged_at == k and f"diverged at epoch {k}" in explain.lower()

    drive(scenario, model=presets.load(preset).with_(output=output, lr=lr), speed=0)


def test_the_apps_e_says_the_same_epoch(drive):
    preset, output, lr = MODELS[1]
    k = by_hand(preset, output, lr)

    async def scenario(app, pilot):
        for _ in range(k + 3):
            await pilot.press("e")
            await app.workers.wait_for_complete()
            if app.snapshot.diverged_at is not None:
                break
        await pilot.pause()
        assert app.snapshot.diverged_at == k and app.snapshot.epoch == k - 1
        explain = " ".join(app.query_one(ExplainPanel).render().plain.split())
        assert f"diverged at epoch {k}" in explain.lower()

    drive(scenario, model=presets.load(preset).with_(output=output, lr=lr))
