"""`backprop-tui compare` (issue 12 item 2, exercise 5): text, JSON and Markdown, checked against
`trace` and `train` of each activation and against the sample-step by hand (tests/byhand.py)."""

from __future__ import annotations

import json

import pytest

import byhand
from tui.text import fmt

HIDDEN = ("sigmoid", "tanh", "relu", "step")  # the step: exercise 6(b)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


def row(out: str, label: str) -> list[str]:
    """The cells of the text table's row `label` (the symbol, then one cell per activation)."""
    line = next(line for line in out.splitlines() if line.strip().split()[:1] == [label])
    return line.split()[1:]


def test_json_entries_are_the_trace_steps_of_each_activation(run_main):
    code, out, err = run_main("compare", "--format", "json", "--epochs", "7")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert [a["activation"] for a in doc["activations"]] == list(HIDDEN)
    for entry, hidden in zip(doc["activations"], HIDDEN):
        _, trace_out, _ = run_main("trace", "--activation", hidden, "--format", "json")
        step = json.loads(trace_out)["steps"][0]
        assert {k: entry[k] for k in step} == step  # every field of a trace step, the same values
        _, train_out, _ = run_main("train", "--activation", hidden, "--epochs", "7", "--format", "json")
        assert entry["loss_history"] == json.loads(train_out)["loss"] and entry["diverged_at"] is None
        hand = byhand.worked_example_with(hidden)
        assert entry["loss_after"] == pytest.approx(hand["loss_after"], rel=1e-13)
        assert entry["yhat_after"] == pytest.approx(hand["yhat_after"], rel=1e-13)
        assert entry["dataset_loss_after"] == pytest.approx(hand["loss_after"], rel=1e-13)  # m = 1
    assert "loss_history" not in json.loads(run_main("compare", "--format", "json")[1])["activations"][0]


def test_text_table_has_a_column_per_activation_with_marks(run_main):
    code, out, err = run_main("compare")
    assert code == 0 and err == ""
    header = next(line for line in out.splitlines() if "sigmoid" in line and "relu" in line)
    assert header.split() == list(HIDDEN)
    hand = {h: byhand.worked_example_with(h) for h in HIDDEN}
    assert row(out, "a₁⁽¹⁾") == [fmt.num(hand[h]["a1"][0]) for h in HIDDEN]
    assert row(out, "f'(z₂⁽¹⁾)") == [fmt.num(hand[h]["fprime1"][1]) for h in HIDDEN]
    assert row(out, "δ₁⁽¹⁾") == [fmt.num(hand[h]["delta1"][0]) for h in HIDDEN]
    # ReLU (f' = 1 here) gives the largest hidden gradients, the step (f' = 0) none at all
    g = [fmt.num(hand[h]["grads"][("W1", 1, 1)]) for h in HIDDEN]
    assert row(out, "∂L/∂w₁₁⁽¹⁾") == [g[0], g[1], g[2] + "▲", "0▼"]
    g2 = [fmt.num(hand[h]["grads"][("W2", 1, 1)]) for h in HIDDEN]
    sizes = [abs(hand[h]["grads"][("W2", 1, 1)]) for h in HIDDEN]
    expected = [v + ("▲" if s == max(sizes) else "▼" if s == min(sizes) else "") for v, s in zip(g2, sizes)]
    assert row(out, "∂L/∂w₁₁⁽²⁾") == expected
    # ŷ and L before → after one update: DESIGN §2's 0.7514 → 0.7284, 0.2748 → 0.2580 for the sigmoid
    assert " ".join(row(out, "ŷ")[:3]) == "0.7514 → 0.7284"
    assert " ".join(row(out, "L")[:3]) == "0.2748 → 0.2580"
    assert "▲ largest, ▼ smallest" in out


def test_text_loss_history(run_main):
    code, out, _ = run_main("compare", "--epochs", "20")
    assert code == 0
    _, train_out, _ = run_main("train", "--activation", "tanh", "--epochs", "20", "--format", "json")
    losses = json.loads(train_out)["loss"]
    assert "over 20 epochs" in out
    line = next(line for line in out.splitlines() if line.split()[:1] == ["20"])
    assert line.split()[2] == fmt.num(losses[20])
    assert next(line for line in out.splitlines() if line.split()[:1] == ["0"]).split()[2] == fmt.num(losses[0])


def test_markdown_handout(run_main):
    code, out, _ = run_main("compare", "--format", "markdown", "--epochs", "10", "--lang", "pt", "--decimal-comma")
    assert code == 0
    hand = {h: byhand.worked_example_with(h) for h in HIDDEN}
    assert (
        "| | sigmoide | tanh | ReLU | degrau |" in out and "|---|---:|---:|---:|---:|" in out
    )  # the notes' names in pt
    g = [fmt.num(hand[h]["grads"][("W1", 2, 1)], comma=True) for h in HIDDEN]
    assert f"| $\\frac{{\\partial L_i}}{{\\partial w_{{21}}^{{(1)}}}}$ | {g[0]} | {g[1]} | {g[2]} ▲ | 0 ▼ |" in out
    assert "| $\\hat{y}$ | 0,7514 → 0,7284 |" in out
    assert "## L em 10 épocas a partir destes pesos" in out and "| época | sigmoide | tanh | ReLU | degrau |" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "--epochs", "0"],
        ["compare", "--epochs", "100001"],
        ["compare", "--format", "csv"],
        ["compare", "--config", "no-such-file.toml"],
        ["compare", "--preset", "nope"],
        ["compare", "--lr", "-1"],
    ],
)
def test_bad_input_exits_2_with_one_line(run_main, argv):
    code, out, err = run_main(*argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_a_diverging_activation_is_reported_and_exits_1(run_main):
    code, out, err = run_main(
        "compare",
        "--preset",
        "xor",
        "--output-activation",
        "linear",
        "--lr",
        "50",
        "--epochs",
        "100",
        "--format",
        "json",
    )
    assert code == 1
    doc = json.loads(out)
    for entry in doc["activations"]:
        k = entry["diverged_at"]
        assert k is not None and len(entry["loss_history"]) == k  # L0 … L(k−1): what was computed
        assert f"{entry['activation']}: diverged at epoch {k}" in err


def test_compare_is_listed_in_the_help(run_main):
    code, out, _ = run_main("compare", "--help")
    assert code == 0 and "--epochs" in out and "markdown" in out


def test_the_reading_in_text_markdown_and_json(run_main):
    """Issue 19: compare says what its numbers show, the same text in text and Markdown; JSON has the facts."""
    import math

    norms = {h: math.hypot(*byhand.worked_example_with(h)["delta1"]) for h in ("sigmoid", "tanh", "relu")}
    _, out, _ = run_main("compare", "--epochs", "100")
    text = " ".join(out.split())
    assert "What these numbers say Largest hidden gradient on this sample: relu" in text
    # of the four columns the step's L falls fastest (only its output layer learns); of exercise 5's three, sigmoid's
    assert "Fastest fall of L over 100 epochs: step" in text
    assert max(len(line) for line in out.split("What these numbers say")[1].splitlines()) <= 80
    _, md, _ = run_main("compare", "--epochs", "100", "--format", "markdown")
    assert "## What these numbers say" in md and "- Fastest fall of L over 100 epochs: step" in md
    _, js, _ = run_main("compare", "--epochs", "100", "--format", "json")
    r = json.loads(js)["reading"]
    assert r["largest_hidden_gradient"] == ["relu"] and r["fastest_fall"] == ["step"]
    three = {h: r["loss_fall"][h] for h in ("sigmoid", "tanh", "relu")}
    assert max(three, key=three.get) == "sigmoid"
    assert r["stalled"] == [] and r["gradient_and_fall_agree"] is False and r["epochs"] == 100
    assert r["dead_relu_units_at_end"] == {"relu": 2}
    for h, v in norms.items():
        assert abs(r["hidden_gradient_norms"][h] - v) <= 1e-12 * v
    losses = {a["activation"]: a["loss_history"] for a in json.loads(js)["activations"]}
    for h, fall in r["loss_fall"].items():
        assert abs(fall - (losses[h][0] - losses[h][-1]) / losses[h][0]) <= 1e-12
    # without --epochs: the gradient alone, nothing said about a fall
    _, out, _ = run_main("compare")
    assert "Largest hidden gradient on this sample: relu" in " ".join(out.split()) and "Fastest fall" not in out
    _, js, _ = run_main("compare", "--format", "json")
    assert json.loads(js)["reading"]["fastest_fall"] == [] and json.loads(js)["reading"]["loss_fall"] is None
