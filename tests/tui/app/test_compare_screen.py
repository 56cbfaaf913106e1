"""The `c` screen (issue 12 item 2, exercise 5), driven by its keys: the three columns against the
sample-step written out by hand (tests/byhand.py), the marks on the largest and smallest |∂L/∂θ| of
each row, the pages at 80×24, the loss curves (at once and from the worker), export, language."""

from __future__ import annotations

import json

import numpy as np
import pytest
from textual.worker import WorkerState

import byhand
from engine import compare, export, presets, training
from engine.model import Model
from engine.network import Params
from tui.app.screens.compare import EPOCHS, ComparePlot, CompareScreen, paginate
from tui.text import fmt

HIDDEN = ("sigmoid", "tanh", "relu", "step")  # the step: exercise 6(b)


def table_lines(app) -> list[str]:
    return app.screen.table_text.plain.splitlines()


def cells(app, label: str) -> list[str]:
    """The cells of the row `label` as shown (the symbol, then one cell per activation)."""
    line = next(line for line in table_lines(app) if line.strip().split()[:1] == [label])
    return line.split()[1:]


def check_columns(app, hand: dict, sections=("forward", "backward", "gradients", "after")) -> None:
    if "forward" in sections:
        for j in range(2):
            assert cells(app, f"a{fmt.sub(j + 1)}⁽¹⁾") == [fmt.num(hand[h]["a1"][j]) for h in HIDDEN]
            assert cells(app, f"f'(z{fmt.sub(j + 1)}⁽¹⁾)") == [fmt.num(hand[h]["fprime1"][j]) for h in HIDDEN]
            assert cells(app, f"z{fmt.sub(j + 1)}⁽¹⁾") == [fmt.num(hand["sigmoid"]["z1"][j])] * 4
        assert cells(app, "z⁽²⁾") == [fmt.num(hand[h]["z2"]) for h in HIDDEN]
    if "backward" in sections:
        assert cells(app, "δ⁽²⁾") == [fmt.num(hand[h]["delta2"]) for h in HIDDEN]
        for j in range(2):
            assert cells(app, f"δ{fmt.sub(j + 1)}⁽¹⁾") == [fmt.num(hand[h]["delta1"][j]) for h in HIDDEN]
    if "gradients" in sections:
        for key, _array, _ in __import__("engine.notation", fromlist=["PARAMS"]).PARAMS:
            label = "∂L/∂" + __import__("engine.notation", fromlist=["param"]).param(key).text
            values = [hand[h]["grads"][key] for h in HIDDEN]
            sizes = [abs(v) for v in values]
            expected = [
                fmt.num(v) + ("▲" if s == max(sizes) else "▼" if s == min(sizes) else "") for v, s in zip(values, sizes)
            ]
            assert cells(app, label) == expected, label
    if "after" in sections:
        # at 80 columns "a→b", else "a → b": the same numbers either way
        assert "".join(cells(app, "ŷ")) == "".join(
            f"{fmt.num(hand[h]['yhat'])}→{fmt.num(hand[h]['yhat_after'])}" for h in HIDDEN
        )
        assert "".join(cells(app, "Lᵢ")) == "".join(
            f"{fmt.num(hand[h]['loss'])}→{fmt.num(hand[h]['loss_after'])}" for h in HIDDEN
        )


def test_c_shows_the_four_activations_side_by_side_at_160x45(drive):
    hand = {h: byhand.worked_example_with(h) for h in HIDDEN}

    async def scenario(app, pilot):
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        screen = app.screen
        assert screen.mode == "beside"
        check_columns(app, hand)
        assert table_lines(app)[0].split() == list(HIDDEN)
        # DESIGN §2 for the sigmoid: ŷ 0.7514 → 0.7284, L 0.2748 → 0.2580
        assert cells(app, "L")[:3] == ["0.2748", "→", "0.2580"]
        # the curves: each activation trained 200 epochs from the same weights
        assert screen.runs is not None
        for run, h in zip(screen.runs, HIDDEN):
            assert np.array_equal(run.losses, training.train(presets.lecture().with_(hidden=h), 200).losses)
        chart = screen.query_one(ComparePlot)
        drawn = chart.plt.uncolorize(chart.plt.build())
        for h in HIDDEN:
            assert h in drawn  # the legend names each curve, and its letter draws it
        assert "over 200 epochs" in str(screen.query_one("#cmp-chart-title").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)

    drive(scenario, size=(160, 45))  # four columns and the chart beside need 160 (120×40 pages)


def test_marks_carry_a_style_as_well_as_a_character(drive):
    async def scenario(app, pilot):
        await pilot.press("c")
        text = app.screen.table_text
        line_start = text.plain.index("∂L/∂w₁₁⁽¹⁾")
        styled = {
            text.plain[span.start : span.end].strip(): str(span.style)
            for span in text.spans
            if span.start > line_start and span.end <= text.plain.index("\n", line_start)
        }
        g = {h: fmt.num(byhand.worked_example_with(h)["grads"][("W1", 1, 1)]) for h in HIDDEN}
        assert "bold" in styled[g["relu"] + "▲"] and "italic" in styled[g["step"] + "▼"]  # the step: 0
        for h in ("sigmoid", "tanh"):
            assert g[h] not in styled or styled[g[h]] == ""

    drive(scenario, size=(120, 40))


def test_pages_at_80x24_and_tab(drive):
    hand = {h: byhand.worked_example_with(h) for h in HIDDEN}

    async def scenario(app, pilot):
        await pilot.press("c")
        screen = app.screen
        assert screen.mode == "paged" and screen.pages == [["forward", "backward"], ["gradients", "after"]]
        check_columns(app, hand, ("forward", "backward"))
        assert "Tab page 1/3" in str(screen.query_one("#cmp-keys").render())
        await pilot.press("tab")
        check_columns(app, hand, ("gradients", "after"))
        assert not screen.query_one("#cmp-main").has_class("-chart-page")
        await pilot.press("tab")
        assert screen.query_one("#cmp-main").has_class("-chart-page")
        # the chart and, under it, what the numbers say (issue 19) share the page
        assert screen.query_one(ComparePlot).region.height >= 10
        reading = screen.query_one("#cmp-reading")
        assert reading.region.bottom <= screen.query_one("#cmp-keys").region.y  # all of it in view
        await pilot.press("tab")
        assert screen.page == 0
        # every row is within the 80 columns
        assert max(len(line) for line in table_lines(app)) <= 78

    drive(scenario, size=(80, 24))


def test_s_on_the_screen_compares_the_next_sample_from_its_start(drive):
    """After s (the App's sigmoid updates the sample), the columns start from the updated weights."""
    ex = byhand.worked_example()
    start = dict(W1=ex["W1_after"], b1=ex["b1_after"], W2=ex["W2_after"], b2=ex["b2_after"])
    hand = {h: byhand.worked_example_with(h, **start) for h in HIDDEN}

    async def scenario(app, pilot):
        await pilot.press("c", "s")
        assert app.snapshot.phase.name == "U"  # the sample just updated: still compared from its start
        check_columns(app, {h: byhand.worked_example_with(h) for h in HIDDEN})
        await pilot.press("s")
        assert (app.snapshot.epoch, app.snapshot.sample) == (1, 0)
        check_columns(app, hand)
        assert "epoch 2, sample 1" in str(app.screen.query_one("#cmp-title").render())

    drive(scenario, size=(120, 40))


def test_plus_minus_change_n_and_a_long_run_goes_to_the_worker(drive):
    xor = presets.load("xor")

    async def scenario(app, pilot):
        await pilot.press("c")
        screen = app.screen
        assert screen.epochs == 200
        await pilot.press("minus")
        assert screen.epochs == 100 and len(screen.runs[0].losses) == 101  # 3 × 100 × 4 samples: at once
        await pilot.press("plus", "plus", "plus", "plus")  # 200 500 1000 2000: in the worker
        assert screen.epochs == 2000
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.runs is not None and [len(r.losses) for r in screen.runs] == [2001] * 4
        for run, h in zip(screen.runs, HIDDEN):
            assert np.array_equal(run.losses, training.train(xor.with_(hidden=h), 2000).losses)
        for _ in EPOCHS:
            await pilot.press("plus")
        assert screen.epochs == EPOCHS[-1]

    drive(scenario, size=(120, 40), model=xor)


def test_closing_cancels_the_training_worker(drive):
    xor = presets.load("xor")
    # 40 000 samples: 200 epochs × 3 × 40 000 = 24 M sample-steps, far more than the test waits for
    # (2 000 samples finished in the time of one key press on a quiet machine)
    big = xor.with_(X=np.tile(xor.X, (10_000, 1)), Y=np.tile(xor.Y, 10_000))

    async def scenario(app, pilot):
        await pilot.press("c")
        screen = app.screen
        assert screen.runs is None
        worker = next(w for w in app.screen.workers if w.group == "compare")
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        assert screen.runs is None  # what it was making never arrived
        assert worker.state is WorkerState.CANCELLED and all(w.is_finished for w in app.workers)

    drive(scenario, size=(120, 40), model=big)


def test_x_exports_the_comparison_with_the_set(tmp_path, drive):
    def configure(app):
        app.export_dir = str(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("c", "x")
        await pilot.pause()
        names = sorted(p.name for p in tmp_path.iterdir())
        assert "lecture_e1_s1_compare.json" in names and "lecture_e1_s1_compare.md" in names
        assert "lecture_e1_s1.svg" in names
        doc = json.loads((tmp_path / "lecture_e1_s1_compare.json").read_text())
        for entry, h in zip(doc["activations"], HIDDEN):
            step = export.step_record(next(export.iter_trace(presets.lecture().with_(hidden=h), 1)))
            assert {k: entry[k] for k in step} == step and len(entry["loss_history"]) == 201
        svg = (tmp_path / "lecture_e1_s1.svg").read_text()
        assert "Exercise" in svg  # the screenshot is of this screen
        assert "compare.md" in str(app.screen.query_one("#cmp-keys").render())  # the notice, on this screen

    drive(scenario, size=(120, 40), configure=configure)


def test_l_switches_the_screen_to_portuguese(drive):
    async def scenario(app, pilot):
        await pilot.press("c", "l")
        assert "Exercícios 5 e 6(b)" in str(app.screen.query_one("#cmp-title").render())
        assert "propagação direta" in app.screen.table_text.plain
        assert "Tab página 1/3" in str(app.screen.query_one("#cmp-keys").render())

    drive(scenario, size=(80, 24))


def test_keys_of_the_main_screen_that_change_the_model_do_nothing_here(drive):
    async def scenario(app, pilot):
        await pilot.press("c", "f", "b", "u", "a", "r", "e", "p", "w", "g")
        assert isinstance(app.screen, CompareScreen) and app.stepper.position == 0

    drive(scenario, size=(120, 40))


def test_paginate():
    assert paginate([8, 4, 10, 7], 20) == [[0, 1], [2, 3]]
    assert paginate([30, 4], 20) == [[0], [1]]  # a section taller than a page has a page of its own
    assert paginate([3, 3], 20) == [[0, 1]]


def test_a_start_with_no_finite_loss_draws_empty_charts_in_every_mode(drive):
    """Weights of 1e200 and a linear output: L0 = ∞. The columns show what was computed, the charts
    stay empty, L (log scale) and every key of the screen keep the app up; L on a log axis with no
    finite loss used to raise TypeError in plotext, on the main screen's Loss panel too."""
    big = Model(
        "big",
        Params(W1=[[1e200, 1e200], [1e200, 1e200]], b1=[0, 0], W2=[[1e200], [1e200]], b2=[0]),
        X=[[1.0, 1.0]],
        Y=[0.0],
        hidden="relu",
        output="linear",
    )

    async def scenario(app, pilot):
        await pilot.press("L", "c")
        assert app.screen.runs is not None and not np.isfinite(app.screen.runs[2].losses).any()
        assert cells(app, "z₁⁽¹⁾") == [fmt.num(2e200)] * 4
        await pilot.press("tab", "tab", "L", "plus", "s", "l", "tab")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and app.is_running

    for size in ((120, 40), (80, 24)):
        drive(scenario, size=size, model=big)


@pytest.mark.parametrize("size, lang", [((120, 40), "en"), ((80, 24), "en"), ((120, 40), "pt"), ((80, 24), "pt")])
def test_the_screen_says_what_the_numbers_show(drive, size, lang):
    """Issue 19: under the chart, the reading of the numbers on screen (engine.compare.reading; the facts
    are checked by hand in tests/engine/test_compare_reading.py): relu's ‖δ⁽¹⁾‖ is the largest, sigmoid's
    L fell fastest over the N epochs shown, and why the two need not agree; all of it in view."""
    m = presets.lecture()
    hand = {h: byhand.worked_example_with(h) for h in ("sigmoid", "tanh", "relu")}
    norms = {h: float(np.hypot(*hand[h]["delta1"])) for h in hand}

    async def scenario(app, pilot):
        await pilot.press("c")
        screen = app.screen
        if screen.mode == "paged":
            for _ in screen.pages:
                await pilot.press("tab")
            assert screen.query_one("#cmp-main").has_class("-chart-page")
        await pilot.pause()
        reading = screen.query_one("#cmp-reading")
        said = " ".join(str(reading.render()).split())
        runs = compare.histories(m, screen.epochs)
        falls = [(float(r.losses[0]) - float(r.losses[-1])) / float(r.losses[0]) for r in runs]
        assert max(range(3), key=falls.__getitem__) == 0  # sigmoid, of the three of exercise 5
        # of all four, the step's L falls fastest here (its hidden layer never moves: only W⁽²⁾, b⁽²⁾ learn)
        fastest = ("sigmoid", "tanh", "relu", "step")[max(range(4), key=falls.__getitem__)]
        assert fastest == "step"
        if lang == "en":
            assert (
                f"Largest hidden gradient on this sample: relu (‖δ⁽¹⁾‖ = ‖∂L/∂b⁽¹⁾‖: sigmoid {fmt.num(norms['sigmoid'])}, "
                f"tanh {fmt.num(norms['tanh'])}, relu {fmt.num(norms['relu'])}, step 0)." in said
            )
            assert f"Fastest fall of L over {screen.epochs} epochs: step" in said
            assert "A larger gradient is a larger first step, not a faster descent" in said
        else:
            assert "Maior gradiente oculto neste exemplo: ReLU" in said  # the notes' names in pt (sigmoide)
            assert f"Queda mais rápida de L em {screen.epochs} épocas: degrau" in said
            assert "Um gradiente maior é um primeiro passo maior" in said
        # every line of it in view, above the key line, and the chart keeps room to be read
        lines = sum(1 for _ in str(reading.render()).splitlines())
        assert reading.region.width > 0 and reading.region.bottom <= screen.query_one("#cmp-keys").region.y
        assert reading.content_region.height >= lines
        assert screen.query_one(ComparePlot).region.height >= 10

    drive(scenario, size=size, lang=lang)
