"""Exercise 6(b) in the app (issue 19): the step in the `a` cycle, Explain saying why δ⁽¹⁾ = 0 at the
δ⁽¹⁾ lines, the convention at a kink stated where it is used (Explain, `v`, `g`), read from the screen."""

from __future__ import annotations

import pathlib
from collections import defaultdict

import pytest

from engine import config, presets
from svgcells import drawn_cells
from tui.app.widgets.explain import ExplainPanel
from tui.text.i18n import t

KINK = pathlib.Path(__file__).parents[2] / "engine" / "data" / "relu_at_kink.toml"


def screen_rows(app) -> list[str]:
    """The characters drawn on screen, row by row, without blanks."""
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        rows[row][col] = ch
    return ["".join(cells[c] for c in sorted(cells)) for _, cells in sorted(rows.items())]


def squeeze(text: str) -> str:
    return "".join(text.split())


def explain_lines(app) -> list[str]:
    panel = app.screen_stack[0].query_one(ExplainPanel)
    return [text.plain for text, _ in panel.content(app.snapshot)]


def test_a_cycles_sigmoid_tanh_relu_step_and_back(drive):
    seen = []

    async def scenario(app, pilot):
        for _ in range(4):
            await pilot.press("a")
            await pilot.pause()
            seen.append(app.snapshot.hidden)

    drive(scenario)
    assert seen == ["tanh", "relu", "step", "sigmoid"]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_explain_says_why_delta1_is_zero_right_below_the_delta1_lines(lang, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")  # B1
        await pilot.pause()
        s = app.snapshot
        assert s.backward1.delta1.tolist() == [0.0, 0.0]
        lines = explain_lines(app)
        remark = t("ui_ex_step_flat", lang)
        at = lines.index(remark)
        assert lines[at - 1].startswith("δ₂⁽¹⁾") and lines[at - 2].startswith("δ₁⁽¹⁾")  # at the δ⁽¹⁾ equations
        assert squeeze(remark) in "".join(screen_rows(app))  # on screen at 120×40
        await pilot.press("u")
        await pilot.pause()
        assert app.snapshot.params.W1.tobytes() == app.snapshot.params_start.W1.tobytes()
        assert app.snapshot.params.b1.tobytes() == app.snapshot.params_start.b1.tobytes()

    drive(scenario, model=presets.lecture().with_(hidden="step"), lang=lang)


def test_explain_states_relus_convention_only_when_a_unit_is_exactly_at_z_0(drive):
    kink = config.load_model(KINK)
    found = {}

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        await pilot.pause()
        found[app.snapshot.name] = explain_lines(app)

    drive(scenario, model=kink)
    drive(scenario, model=presets.lecture().with_(hidden="relu"))
    assert t("ui_ex_kink_relu", "en", unit="z₁⁽¹⁾") in found[kink.name]
    assert not any("f'(0)" in line for line in found["lecture"])


def test_v_draws_the_jump_and_states_the_convention(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "v")
        await pilot.pause()
        shown = "\n".join(screen_rows(app))
        assert "0*" in shown  # the table's f'(0), starred
        first = t("ui_act_kink_step", "en").split("\n")[0]
        assert squeeze("*" + first) in shown.replace("\n", "")
        assert "○" in shown and "●" in shown  # the open end of the jump and the value taken

    drive(scenario, model=presets.lecture().with_(hidden="step"))


def test_v_says_relus_convention_at_a_unit_exactly_on_the_kink(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "v")
        await pilot.pause()
        shown = "".join(screen_rows(app))
        assert squeeze(t("ui_act_at_kink_relu", "en")) in shown

    drive(scenario, model=config.load_model(KINK))


def test_g_marks_the_kinked_parameters_and_does_not_call_it_a_mismatch(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "g")
        await pilot.pause()
        shown = "".join(screen_rows(app))
        assert squeeze(t("gc_kink_relu", "en"))[:40] in shown
        assert squeeze(t("ui_gc_bad", "en", value=""))[:9] not in shown  # no "Mismatch"
        assert "Backprop agrees" in " ".join(screen_rows(app)) or squeeze("Backprop agrees") in shown

    drive(scenario, model=config.load_model(KINK), size=(160, 45))
