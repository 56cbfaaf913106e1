"""The depth screen (d, exercise 6(c)) driven with Pilot: k with ← → and 0–9, the activation with a,
the seed with n, closing, language, export; every number checked against the chain computed here by
hand from the rule engine/deep.py states (layer 1 and the output layer the model's, layers 2…k
rotations by θ = default_rng(seed).uniform(0, 2π, 12)[l − 2], bias b⁽¹⁾)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tui.app.screens.depth import DepthBody, DepthScreen
from tui.app.screens.help import HelpScreen
from tui.text import fmt
from tui.text.i18n import t

LECTURE = dict(W1=[[0.15, 0.20], [0.25, 0.30]], b1=[0.35, 0.35], W2=[[0.40], [0.45]], b2=0.60, x=[0.05, 0.10], y=0.01)


def f(name, z):
    return {
        "sigmoid": lambda: 1 / (1 + math.exp(-z)),
        "tanh": lambda: math.tanh(z),
        "relu": lambda: max(0.0, z),
        "step": lambda: 1.0 if z > 0 else 0.0,
    }[name]()


def df(name, z):
    if name == "sigmoid":
        s = 1 / (1 + math.exp(-z))
        return s * (1 - s)
    if name == "tanh":
        return 1 - math.tanh(z) ** 2
    if name == "step":
        return 0.0  # flat on both sides of the jump
    return 1.0 if z > 0 else 0.0


def by_hand(k: int, hidden: str, seed: int = 0, p=LECTURE):
    """(‖δ⁽ˡ⁾‖, Π⁽ˡ⁾, 0.25ⁿ) for l = 1 … k + 1, and ŷ, L, with plain floats and loops."""
    thetas = np.random.default_rng(seed).uniform(0.0, 2.0 * math.pi, 12).tolist()
    Ws = [p["W1"]] + [[[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]] for t in thetas[: k - 1]]
    bs = [p["b1"]] * k
    a, zs = list(p["x"]), []
    for W, b in zip(Ws, bs):
        z = [W[0][j] * a[0] + W[1][j] * a[1] + b[j] for j in range(2)]
        zs.append(z)
        a = [f(hidden, v) for v in z]
    zo = p["W2"][0][0] * a[0] + p["W2"][1][0] * a[1] + p["b2"]
    yhat = 1 / (1 + math.exp(-zo))
    d_out = (yhat - p["y"]) * yhat * (1 - yhat)
    deltas = [[d_out]]
    nxt_W, nxt = [[p["W2"][0][0]], [p["W2"][1][0]]], [d_out]
    for l in range(k - 1, -1, -1):
        d = [sum(nxt_W[i][j] * nxt[j] for j in range(len(nxt))) * df(hidden, zs[l][i]) for i in range(2)]
        deltas.insert(0, d)
        nxt_W, nxt = Ws[l], d
    norms = [math.sqrt(sum(v * v for v in d)) for d in deltas]
    products = []
    for l in range(1, k + 2):
        prod = 1.0
        for m in range(l, k + 1):
            prod *= max(df(hidden, v) for v in zs[m - 1])
        products.append(prod)
    refs = [0.25 ** (k - l + 1) for l in range(1, k + 2)]
    return norms, products, refs, yhat, 0.5 * (yhat - p["y"]) ** 2


def body(app) -> str:
    return str(app.screen.query_one(DepthBody).render())


def rows(app) -> dict[int, list[str]]:
    """Layer → its numbers as shown (|δ⁽ˡ⁾|, Π f', 0.25ⁿ)."""
    out = {}
    for line in body(app).splitlines():
        cells = line.split()
        if cells and cells[0].isdigit() and len(cells) >= 4:
            nums = [c for c in cells[1:] if c != "ŷ"]
            out[int(cells[0])] = nums[:3]
    return out


def check(app, k: int, hidden: str, seed: int = 0) -> None:
    norms, products, refs, yhat, loss = by_hand(k, hidden, seed)
    shown = rows(app)
    assert sorted(shown) == list(range(1, k + 2))
    for l in range(1, k + 2):
        assert shown[l] == [fmt.num(norms[l - 1]), fmt.num(products[l - 1]), fmt.num(refs[l - 1])], l
    text = body(app)
    assert f"k = {k} " in text and f"hidden {hidden}," in text and f"seed {seed}" in text
    assert f"ŷ = {fmt.num(yhat)}" in text and f"Lᵢ = {fmt.num(loss)}" in text
    # the screen's own numbers at full precision
    v = app.screen.view
    assert v.k == k and v.hidden == hidden
    np.testing.assert_allclose(v.norms, norms, rtol=1e-12, atol=0)
    np.testing.assert_allclose(v.products, products, rtol=1e-12, atol=0)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_d_opens_at_6_layers_and_keys_change_k_and_the_activation(drive, size):
    async def scenario(app, pilot):
        await pilot.press("d")
        assert isinstance(app.screen, DepthScreen)
        check(app, 6, "sigmoid")
        await pilot.press("right", "right")
        check(app, 8, "sigmoid")
        await pilot.press("left")
        check(app, 7, "sigmoid")
        await pilot.press("0")
        check(app, 10, "sigmoid")
        await pilot.press("a")
        check(app, 10, "tanh")
        await pilot.press("a")
        check(app, 10, "relu")
        await pilot.press("a")  # the step (exercise 6(b)): f' = 0, so every hidden δ is 0
        check(app, 10, "step")
        assert app.screen.view.norms[:-1] == [0.0] * 10
        await pilot.press("a", "3")
        check(app, 3, "sigmoid")
        await pilot.press("n", "n")
        check(app, 3, "sigmoid", seed=2)
        await pilot.press("9", "right", "right", "right", "right")  # k stops at 12
        check(app, 12, "sigmoid", seed=2)
        await pilot.press("1", "left", "minus")  # and at 1
        check(app, 1, "sigmoid", seed=2)
        assert app.snapshot.hidden == "sigmoid" and app.snapshot.phase.name == "READY"  # the model is untouched

    drive(scenario, size=size)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_twelve_layers_fit_and_sigmoid_stays_under_the_quarter_line(drive, size):
    async def scenario(app, pilot):
        await pilot.press("d", "9", "plus", "plus", "plus")
        check(app, 12, "sigmoid")
        widget = app.screen.query_one(DepthBody)
        lines = body(app).splitlines()
        assert len(lines) <= widget.content_region.height  # every line in view, nothing cut off
        assert max(len(line) for line in lines) <= widget.content_region.width
        norms, products, refs, _, _ = by_hand(12, "sigmoid")
        assert all(norms[l] < norms[l + 1] for l in range(12))  # falls with depth
        assert all(p <= r for p, r in zip(products, refs))  # Π f' ≤ 0.25ⁿ
        for line in lines:  # each row's bar ends before the σ' line mark (sigmoid: under the bound)
            if line.split() and line.split()[0].isdigit() and "┃" in line:
                bar = line[line.index("█") :] if "█" in line else ""
                assert "█" not in bar[bar.index("┃") :] if "┃" in bar else True
        assert "multiplied by " + fmt.num(norms[0] / norms[-1]) in " ".join(lines)
        # what does not fit is a page down, and the key line says so (issue 18): never left out
        keys = str(app.screen.query_one("#depth-keys").render())
        seen = " ".join(lines)
        if size == (80, 24):
            assert keys.startswith("▼ ") and "↓/PgDn" in keys
            await pilot.press("pagedown")
            await pilot.pause()
            seen += " " + body(app)
            assert "▲ " in str(app.screen.query_one("#depth-keys").render())
        else:
            assert "▼" not in keys
        assert " ".join(t("depth_weights", "en").split()[:3]) in " ".join(seen.split())

    drive(scenario, size=size)


def test_k_1_is_this_samples_backward_pass(drive, sigma):
    """k = 1 is the notes' network: |δ⁽²⁾| = 0.1385 and ‖δ⁽¹⁾‖ from §2.7's δ₁⁽¹⁾, δ₂⁽¹⁾, also after the
    sample's update (the view starts from the parameters this sample started from)."""

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "u", "d", "1")
        s = app.snapshot
        d1 = s.backward1.delta1
        shown = rows(app)
        assert shown[2][0] == fmt.num(abs(float(s.backward2.delta2[0]))) == "0.1385"
        assert shown[1][0] == fmt.num(math.hypot(*d1))
        check(app, 1, "sigmoid")

    drive(scenario)


def test_escape_q_and_d_close_l_translates_question_mark_helps(drive):
    async def scenario(app, pilot):
        for key in ("escape", "q", "d"):
            await pilot.press("d")
            assert isinstance(app.screen, DepthScreen)
            await pilot.press(key)
            assert not isinstance(app.screen, DepthScreen)
        assert app.is_running  # q closed the view, not the app
        await pilot.press("d", "l")
        assert body(app).startswith("Profundidade (exercício 6c): k = 6 camadas ocultas")
        assert "camadas k" in str(app.screen.query_one("#depth-keys").render())
        await pilot.press("l", "question_mark")
        assert isinstance(app.screen, HelpScreen)

    drive(scenario)


def test_model_keys_do_nothing_here(drive):
    async def scenario(app, pilot):
        await pilot.press("d", "f", "b", "u", "space", "s", "e", "p", "r", "w", "W", "g", "v", "k")
        assert isinstance(app.screen, DepthScreen)
        assert app.snapshot.phase.name == "READY" and app.snapshot.epoch == 0 and not app.playing
        assert len(app.screen_stack) == 2

    drive(scenario)


def test_x_exports_the_screenshot_and_the_views_json(drive, tmp_path, run_main):
    def configure(app):
        app.export_dir = str(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("d", "4", "a")
        await pilot.press("x")
        await pilot.pause()

    drive(scenario, configure=configure)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["lecture_e1_s1.svg", "lecture_e1_s1_depth.json", "lecture_e1_s1_loss.csv"]
    svg = (tmp_path / "lecture_e1_s1.svg").read_text()
    assert "Depth" in svg and "exercise" in svg
    doc = json.loads((tmp_path / "lecture_e1_s1_depth.json").read_text())
    code, out, _ = run_main("depth", "--layers", "4", "--activation", "tanh", "--format", "json")
    assert code == 0 and doc == json.loads(out)  # the CLI's JSON for the same chain
    norms, *_ = by_hand(4, "tanh")
    assert [layer["delta_norm"] for layer in doc["layers"]] == pytest.approx(norms, rel=1e-12)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_d_says_a_saturated_tanh_layer_stopped_the_error_not_relu(drive, size):
    """Issue 18: tanh hidden layer, W⁽¹⁾ all 100, x = (1, 1): z⁽¹⁾ = 200, tanh(200) rounds to 1 and
    f' to 0. The d view said "ReLU with z ≤ 0 cut the chain"; it says what the CLI says."""
    from engine.model import Model
    from engine.network import Params
    from tui.text import depth as depth_text

    model = Model(
        "sat",
        Params(W1=[[100.0, 100.0], [100.0, 100.0]], b1=[0.0, 0.0], W2=[[0.4], [0.45]], b2=[0.6]),
        [[1.0, 1.0]],
        [0.01],
        hidden="tanh",
    )

    async def scenario(app, pilot):
        await pilot.press("d", "3")
        text = " ".join(body(app).split())
        assert "ReLU" not in text and "Units 1 and 2: z = 200.0000 saturates tanh" in text, text
        assert depth_text.layout(app.screen.view, "en", False, 80).summary.split(". ")[-1] in text

    drive(scenario, size=size, model=model)


def test_d_then_x_on_an_overflowing_model_writes_null_and_the_app_lives(drive, tmp_path):
    """Issue 18: W⁽²⁾ = 1e200 with a linear output overflowed the view's JSON (a ValueError that closed
    the app). The export is written through engine.export.dumps: inf and NaN are null."""
    from engine import config  # the model file, as a user would give it

    path = tmp_path / "overflow.toml"
    path.write_text(
        'output_activation = "linear"\n[weights]\nW1 = [[0.15, 0.20], [0.25, 0.30]]\n'
        "b1 = [0.35, 0.35]\nW2 = [[1e200], [1e200]]\nb2 = [0.60]\n[data]\nx = [[0.05, 0.10]]\n"
        "y = [0.01]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"

    async def scenario(app, pilot):
        await pilot.press("d", "x")
        await pilot.pause()
        assert isinstance(app.screen, DepthScreen) and app.is_running
        await pilot.press("escape", "f")  # and the app goes on
        await pilot.pause()
        assert app.is_running

    drive(scenario, model=config.load_model(path), configure=lambda app: setattr(app, "export_dir", str(out)))
    written = sorted(p.name for p in out.iterdir())
    assert "overflow_e1_s1_depth.json" in written, written
    text = (out / "overflow_e1_s1_depth.json").read_text(encoding="utf-8")
    doc = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert "NaN" not in text and "Infinity" not in text
    norms = [layer["delta_norm"] for layer in doc["layers"]]
    assert None in norms and isinstance(norms[-1], float)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_relu_shows_each_units_delta_and_marks_the_dead_unit(drive, size):
    """Issue 19: with ReLU, Π max f' stays 1.0000 while |δ| falls, because layer 2's unit 1 is dead
    (z ≤ 0, f' = 0). The rows show δ₁ and δ₂ of every layer (computed here by hand), the dead one marked."""
    from tui.text.depth import DEAD

    thetas = np.random.default_rng(0).uniform(0.0, 2.0 * math.pi, 12).tolist()
    Ws = [LECTURE["W1"]] + [[[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]] for t in thetas[:5]]
    a, zs = list(LECTURE["x"]), []
    for W in Ws:
        z = [W[0][j] * a[0] + W[1][j] * a[1] + LECTURE["b1"][j] for j in range(2)]
        zs.append(z)
        a = [max(0.0, v) for v in z]
    zo = LECTURE["W2"][0][0] * a[0] + LECTURE["W2"][1][0] * a[1] + LECTURE["b2"]
    yhat = 1 / (1 + math.exp(-zo))
    deltas = [[(yhat - LECTURE["y"]) * yhat * (1 - yhat)]]
    nxt_W, nxt = [[LECTURE["W2"][0][0]], [LECTURE["W2"][1][0]]], deltas[0]
    for l in range(5, -1, -1):
        d = [sum(nxt_W[i][j] * nxt[j] for j in range(len(nxt))) * (1.0 if zs[l][i] > 0 else 0.0) for i in range(2)]
        deltas.insert(0, d)
        nxt_W, nxt = Ws[l], d
    dead = {(l + 1, j + 1) for l in range(6) for j in range(2) if zs[l][j] <= 0}
    assert dead == {(2, 1)}  # the lecturer's case

    async def scenario(app, pilot):
        await pilot.press("d", "a", "a")
        check(app, 6, "relu")
        text = body(app)
        units = {}
        for line in text.splitlines():
            cells = line.split()
            if cells and cells[0].isdigit() and len(cells) >= 4:
                nums = [c for c in cells[1:] if c != "ŷ"]
                units[int(cells[0])] = nums[3:5] if int(cells[0]) <= 6 else nums[3:4]
        for l in range(1, 8):
            want = [fmt.num(v) + (DEAD if (l, j + 1) in dead else "") for j, v in enumerate(deltas[l - 1])]
            assert units[l] == want, (l, units[l], want)
        assert "Π max f'" in text
        assert "layer 2, unit 1" in " ".join(text.split())  # the legend names it, in view
        widget = app.screen.query_one(DepthBody)
        assert max(len(line) for line in text.splitlines()) <= widget.content_region.width

    drive(scenario, size=size)
