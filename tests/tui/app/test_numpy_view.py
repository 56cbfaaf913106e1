"""Exercise 4(a) in the app (issue 19): P shows, in the Explain panel, the NumPy lines of the micro-step
just done, each with the value it computed, read from the screen at 80×24 and 120×40, in English and
Portuguese.

What a student would check: each line on screen is code that runs, and run on the state before the
step (the parameters, the sample and what the earlier micro-steps gave) it gives the value written
after its "#", to the digits written. The lines are engine/numpy_code.py's; a line there that drifts
from the engine shows a value its code does not give, and these tests fail.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from engine import equations, numpy_code, presets
from svgcells import drawn_cells
from tui.app.widgets.explain import ExplainPanel
from tui.text import fmt
from tui.text.i18n import t

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
MODELS = {
    "lecture": lambda: presets.lecture(),
    "xor-relu-linear": lambda: presets.load("xor").with_(hidden="relu", output="linear", lr=0.1),
    "and-step-tanh": lambda: presets.load("and").with_(hidden="step", output="tanh"),
}


def squeeze(text: str) -> str:
    return "".join(text.split())


def explain_text(app) -> str:
    """The characters drawn in the Explain panel, its title row too, without blanks."""
    panel = app.screen_stack[0].query_one(ExplainPanel)
    outer, region = panel.region, panel.content_region
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        if outer.y <= row < region.bottom and region.x <= col < region.right:
            rows[row][col] = ch
    return "".join("".join(cells[c] for c in sorted(cells)) for _, cells in sorted(rows.items()))


def expected_lines(snapshot, comma: bool = False) -> list[tuple[str, str]]:
    """Each line of the step as a student checks it: the code, run on the state before the step, and
    what it gives, written as the panel writes numbers; with the notes' symbol before the value (where
    the panel has room for it), and without."""
    sample = equations.sample_of(snapshot)
    step = numpy_code.step(snapshot.phase, snapshot.hidden, snapshot.output)
    state = numpy_code.known(sample)
    namespace = {"np": np, **{name: state[name] for name in step.reads}}
    out = []
    for line in step.lines:
        exec(line.code, namespace)  # noqa: S102 - the line as it is on screen
        value = fmt.nested(namespace[line.name], comma)
        out.append((f"{line.code}  # {line.symbol.text} = {value}", f"{line.code}  # {value}"))
    return out


async def seen_pages(app, pilot) -> str:
    """What the panel shows, page after page while its title says "▼ more" (80×24)."""
    seen = explain_text(app)
    for _ in range(4):
        if "▼" not in seen.split(squeeze(t("ui_ex_numpy", app.lang)))[0] + seen[:120]:
            break
        await pilot.press("pagedown")
        await pilot.pause()
        seen += explain_text(app)
    return seen


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(MODELS))
def test_P_shows_each_micro_steps_numpy_lines_and_what_they_give(name, size, lang, drive):
    checked = []

    async def scenario(app, pilot):
        await pilot.press("P")
        await pilot.pause()
        assert squeeze(t("ui_ex_numpy", lang)) in explain_text(app)  # the title says the lines are on
        for key in ("f", "f", "b", "b", "u", "f"):  # F1 F2 B2 B1 U, and F1 of the next sample
            await pilot.press(key)
            await pilot.pause()
            shown = await seen_pages(app, pilot)
            lines = expected_lines(app.snapshot)
            missing = [named for named, bare in lines if squeeze(named) not in shown and squeeze(bare) not in shown]
            if size == "120x40":  # room for the notes' symbols
                assert all(squeeze(named) in shown for named, _ in lines), (app.snapshot.phase, shown)
            assert not missing, (app.snapshot.phase, missing, shown)
            # the code instead of the equations: no substitution of the step is written
            first = equations.of_snapshot(app.snapshot)[0]
            assert squeeze(equations.write(first).line()) not in shown
            checked.append(app.snapshot.phase.value)

    drive(scenario, model=MODELS[name](), size=SIZES[size], lang=lang)
    assert checked == ["F1", "F2", "B2", "B1", "U", "F1"]


@pytest.mark.parametrize("size", list(SIZES))
def test_P_again_brings_the_equations_back(size, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "P")
        await pilot.pause()
        shown = explain_text(app)
        assert squeeze("z1 = W1.T @ x + b1  # z⁽¹⁾ = [0.3825, 0.3900]") in shown
        assert squeeze("a1 = 1 / (1 + np.exp(-z1))  # a⁽¹⁾ = [0.5945, 0.5963]") in shown
        await pilot.press("P")
        await pilot.pause()
        shown = explain_text(app)
        assert "W1.T@x" not in shown and squeeze(t("ui_ex_numpy", "en")) not in shown
        assert squeeze("z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825") in shown

    drive(scenario, size=SIZES[size])


def test_P_with_a_decimal_comma_writes_the_values_as_the_panels_do(drive):
    async def scenario(app, pilot):
        await pilot.press("P", "f", "f", "b", "b")
        await pilot.pause()
        shown = explain_text(app)
        assert squeeze("dW1 = np.outer(x, delta1)  # ∂L/∂W⁽¹⁾ = [[0,000668; 0,000750]; [0,001335; 0,001500]]") in shown

    drive(scenario, size=SIZES["120x40"], comma=True)


def test_P_at_the_start_says_what_it_changed(drive):
    async def scenario(app, pilot):
        await pilot.press("P")
        await pilot.pause()
        assert squeeze(t("ui_ex_numpy_ready", "pt")) in explain_text(app)

    drive(scenario, size=SIZES["80x24"], lang="pt")


def test_snapshot_numpy_lines_of_b1_at_80x24(snap_compare):
    from tui.app.app import BackpropApp

    assert snap_compare(
        BackpropApp(presets.lecture(), lang="en"), press=["P", "f", "f", "b", "b"], terminal_size=(80, 24)
    )
