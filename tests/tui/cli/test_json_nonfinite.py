"""Every JSON document the project writes is valid JSON when the model's numbers overflow (issue 18):
a value that is not finite is written as null (engine.export.dumps, the one writer), never NaN or
Infinity, never a traceback. The model: W⁽²⁾ = 1e200 with a linear output, so ŷ ≈ 1e200 and L = ½(ŷ − y)²
overflows to inf."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from engine import config, export

OVERFLOW = """\
activation = "sigmoid"
output_activation = "linear"
learning_rate = 0.5
[weights]
W1 = [[0.15, 0.20], [0.25, 0.30]]
b1 = [0.35, 0.35]
W2 = [[1e200], [1e200]]
b2 = [0.60]
[data]
x = [[0.05, 0.10], [1.0, 0.0]]
y = [0.01, 1.0]
"""


@pytest.fixture
def overflow(tmp_path) -> Path:
    path = tmp_path / "overflow.toml"
    path.write_text(OVERFLOW, encoding="utf-8")
    return path


@pytest.fixture
def late(tmp_path) -> Path:
    """W⁽²⁾ = 1e150: L0 ≈ 7e299 is finite, so a trace has steps; η = 1e10 (argv) overflows them in epoch 1."""
    path = tmp_path / "late.toml"
    path.write_text(OVERFLOW.replace("1e200", "1e150"), encoding="utf-8")
    return path


def strict(text: str):
    """json.loads that refuses NaN, Infinity and -Infinity (Python's parser accepts them; JSON does not)."""

    def refuse(token):
        raise AssertionError(f"{token} is not JSON")

    return json.loads(text, parse_constant=refuse)


def nulls(doc) -> int:
    if isinstance(doc, dict):
        return sum(nulls(v) for v in doc.values())
    if isinstance(doc, list):
        return sum(nulls(v) for v in doc)
    return doc is None


# (command, its exit code on this model): a diverged run or an unverifiable gradient still writes its
# document and then says why it exits 1 (DESIGN §6)
COMMANDS = [
    (["trace", "--steps", "4", "--lr", "1e10"], 1),
    (["train", "--epochs", "3"], 1),
    (["surface", "--grid", "3"], 1),
    (["depth"], 0),
    (["depth", "--layers", "1"], 0),
    (["gradcheck"], 1),
    (["compare"], 0),
    (["sweep", "--nets", "3", "--epochs", "40", "--lr", "1e9"], 0),
]


@pytest.mark.parametrize("argv, code", COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_each_commands_json_writes_null_for_an_overflow(run_main, overflow, late, argv, code):
    model = late if argv[0] == "trace" else overflow  # L0 = inf: the trace would have no step (epoch 0)
    got, out, err = run_main(*argv, "--config", str(model), "--format", "json")
    assert "Traceback" not in err and "Warning" not in err
    assert got == code, err
    doc = strict(out)
    assert nulls(doc) > 0  # the overflowed values are there, as null
    assert not re.search(r"\b(NaN|Infinity)\b", out)


def test_depth_writes_the_overflowed_lengths_as_null_and_the_finite_ones_as_numbers(run_main, overflow):
    _, out, _ = run_main("depth", "--layers", "3", "--config", str(overflow), "--format", "json")
    layers = strict(out)["layers"]
    model = config.load_model(overflow)
    assert model.params.W2[0, 0] == 1e200
    # ŷ ≈ 1e200·(a₁ + a₂): finite; δ⁽ᴸ⁾ = ŷ − y finite; |δ| of the layers below ≈ 1e200·1e200: inf → null
    assert isinstance(layers[-1]["delta_norm"], float) and math.isfinite(layers[-1]["delta_norm"])
    assert any(layer["delta_norm"] is None for layer in layers[:-1])


def test_dumps_is_json_with_null_for_every_non_finite_number():
    value = {
        "a": np.array([1.5, np.inf, -np.inf, np.nan]),
        "b": (np.float64(np.nan), 2),
        "c": np.int64(3),
        "d": [float("inf"), np.bool_(True)],
        "e": "NaN",
    }
    text = export.dumps(value)
    assert strict(text) == {"a": [1.5, None, None, None], "b": [None, 2], "c": 3, "d": [None, True], "e": "NaN"}
    assert export.dumps(value, indent=2) == json.dumps(strict(text), indent=2)


def test_export_dumps_is_the_only_json_writer():
    """Every document goes through export.dumps: a new json.dumps elsewhere would bring the crash back."""
    root = Path(__file__).resolve().parents[3]
    calls = [
        str(path.relative_to(root))
        for folder in ("engine", "tui")
        for path in sorted((root / folder).rglob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"\bjson\.dumps?\(|JSONEncoder", line) and not line.lstrip().startswith(('"', "#"))
    ]
    assert calls == ["engine/export.py"], calls  # the one in export.dumps
