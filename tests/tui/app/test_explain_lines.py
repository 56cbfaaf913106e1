"""Nothing silently left out of the Explain panel (issue 18).

For every micro-step (F1 F2 B2 B1 U) of the lecture preset and of xor: at 120×40 and 160×45 (a browser
at 1280×800) every equation of the step, as the panel's own writer writes it (engine.equations through
ExplainPanel.equation), and every other line of the step, is on the screen at once; at 80×24 either all
of them are, or the panel's title says "▼ N more · ↓/PgDn", and PgDn brings every one of them into
view. What is on screen is read from the screenshot (the cells drawn in the panel, its title row
included), not from the panel's own idea of its rows.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from engine import equations, presets
from svgcells import drawn_cells
from tui.app.widgets.explain import ExplainPanel

STEPS = ("f", "f", "b", "b", "u")  # F1 F2 B2 B1 U
ROOMY_SIZES = [(120, 40), (160, 45)]
MORE = "▼"


def squeeze(text: str) -> str:
    return "".join(text.split())


def visible(app) -> str:
    """The characters drawn in the Explain panel (its title row too), row after row, without blanks:
    a line wrapped onto two rows reads as one."""
    panel = app.screen_stack[0].query_one(ExplainPanel)
    outer, region = panel.region, panel.content_region
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        if outer.y <= row < region.bottom and region.x <= col < region.right:
            rows[row][col] = ch
    return "".join("".join(cells[c] for c in sorted(cells)) for _, cells in sorted(rows.items()))


def step_lines(app) -> tuple[list[str], list[str]]:
    """(the step's equations as the panel writes them, every line the panel has for this moment)."""
    panel = app.screen_stack[0].query_one(ExplainPanel)
    eqs = [panel.equation(e).plain for e in equations.of_snapshot(app.snapshot)]
    return eqs, [text.plain for text, _ in panel.content(app.snapshot)]


def missing(lines: list[str], shown: str) -> list[str]:
    return [line for line in lines if squeeze(line) not in shown]


MODELS = {"lecture": presets.lecture, "xor": lambda: presets.load("xor")}


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("size", ROOMY_SIZES, ids=["120x40", "160x45"])
@pytest.mark.parametrize("name", list(MODELS))
def test_every_line_of_every_step_is_on_screen_at_once(name, size, lang, drive):
    checked = []

    async def scenario(app, pilot):
        for key in STEPS:
            await pilot.press(key)
            await pilot.pause()
            eqs, lines = step_lines(app)
            assert len(eqs) >= 3
            shown = visible(app)
            assert not missing(eqs, shown), (app.snapshot.phase, missing(eqs, shown))
            assert not missing(lines, shown), (app.snapshot.phase, missing(lines, shown))
            assert MORE not in shown
            checked.append(app.snapshot.phase.value)

    drive(scenario, model=MODELS[name](), size=size, lang=lang)
    assert checked == ["F1", "F2", "B2", "B1", "U"]


@pytest.mark.parametrize("size", ROOMY_SIZES, ids=["120x40", "160x45"])
def test_a_notice_does_not_push_out_the_chain_line(size, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "f")  # f in B1: refused, with a notice above the step
        await pilot.pause()
        assert app.notice is not None
        eqs, lines = step_lines(app)
        shown = visible(app)
        assert squeeze(app.notice_text) in shown
        assert any("§2.6" in line and "×" in line for line in eqs)  # the chain line is one of them
        assert not missing(eqs, shown) and not missing(lines, shown)

    drive(scenario, size=size)


@pytest.mark.parametrize("name", list(MODELS))
def test_at_80x24_every_line_is_in_view_or_a_page_down_away(name, drive):
    marked = []

    async def scenario(app, pilot):
        for key in STEPS:
            await pilot.press(key)
            await pilot.pause()
            eqs, lines = step_lines(app)
            pages = [visible(app)]
            if not missing(lines, pages[0]):
                assert MORE not in pages[0]
                continue
            assert MORE in pages[0] and "↓/PgDn" in pages[0]  # cut, and it says so and how to go on
            marked.append(app.snapshot.phase.value)
            while MORE in pages[-1] and len(pages) < 20:
                await pilot.press("pagedown")
                await pilot.pause()
                pages.append(visible(app))
            assert MORE not in pages[-1] and "▲" in pages[-1]  # at the end: what lies above, and ↑/PgUp
            assert not [line for line in eqs if all(squeeze(line) not in page for page in pages)]
            assert not [line for line in lines if all(squeeze(line) not in page for page in pages)]
            await pilot.press("pageup")
            await pilot.pause()
            assert visible(app) != pages[-1]  # PgUp goes back
            for _ in pages:
                await pilot.press("up")
            await pilot.pause()
            assert visible(app) == pages[0]

    drive(scenario, model=MODELS[name](), size=(80, 24))
    assert "B1" in marked and "U" in marked  # the steps that did not fit said so


def test_a_new_step_starts_at_its_first_line(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        shown = visible(app)
        assert "▲" not in shown and squeeze(step_lines(app)[1][0]) in shown  # the U title, first

    drive(scenario, size=(80, 24))
