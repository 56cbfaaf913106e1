"""The three layouts (tui/app/layout.py) are one set of panels that app.tcss arranges by the main
screen's breakpoint classes (issue 20): a resize across 110×38 or 140 columns moves and resizes the
same widgets (none removed, none mounted), each size gets the layout layout_for names, and what a
panel shows (the page of Explain a student scrolled to) is still there after the terminal has been
larger and is small again."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict

import pytest
from textual import events

from engine import presets
from svgcells import drawn_cells
from tui.app.app import BackpropApp
from tui.app.layout import MIN_SIZE, ROOMY_WIDTH, WIDE_SIZE, layout_for
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel

# back and forth across every border: compact, wide, roomy, too small
SIZES = [
    (80, 24),
    (120, 40),
    (160, 50),
    (100, 30),
    (110, 38),
    (109, 38),
    (110, 37),
    (140, 38),
    (139, 40),
    (60, 20),
    (160, 45),
    (80, 24),
    (200, 60),
    (120, 40),
]


def test_a_resize_moves_the_same_panels_and_mounts_nothing():
    mounts: list[events.Mount] = []

    def hook(message) -> None:
        if isinstance(message, events.Mount):
            mounts.append(message)

    async def main():
        app = BackpropApp(presets.lecture(), quiz=True)
        async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
            await pilot.press("f")
            await pilot.pause()
            main = app.screen_stack[0]
            widgets = list(main.walk_children())
            assert len(widgets) > 10
            panels = [main.query_one(f"#{name}") for name in ("network", "values", "params", "explain", "loss")]
            assert mounts  # the hook sees every Mount: the start's
            mounts.clear()
            layouts = set()
            for size in SIZES:
                await pilot.resize_terminal(*size)
                await pilot.pause()
                layouts.add(app.arrangement)
                assert [main.query_one(f"#{p.id}") for p in panels] == panels
                assert all(a is b for a, b in zip(main.walk_children(), widgets, strict=True))
            assert layouts == {"compact", "wide", "roomy"}
            assert mounts == []  # nothing mounted, the panels' children neither (the loss chart)

    asyncio.run(main())


def arranged(app) -> str:
    """The layout the panels are in, read from where they are."""
    main = app.screen_stack[0]
    network, params = main.query_one(NetworkPanel).region, main.query_one(ParametersPanel).region
    explain = main.query_one(ExplainPanel).region
    width = app.size.width
    if network.y == 0 and network.height == 4 and network.width == width:
        return "compact"
    if params.x == 0 and params.y == 0 and (params.width, params.height) == (42, 13) and network.y == 13:
        return "wide"
    if network.y == 0 and params.x == width - 42 and explain.width == width - 41 and network.width == width - 42:
        return "roomy"
    return f"none: network {network}, parameters {params}, explain {explain}"


@pytest.mark.parametrize(
    "size",
    [
        MIN_SIZE,
        (WIDE_SIZE[0] - 1, WIDE_SIZE[1]),
        (WIDE_SIZE[0], WIDE_SIZE[1] - 1),
        WIDE_SIZE,
        (ROOMY_WIDTH - 1, WIDE_SIZE[1]),
        (ROOMY_WIDTH, WIDE_SIZE[1] - 1),
        (ROOMY_WIDTH, WIDE_SIZE[1]),
        (200, 60),
    ],
    ids=lambda s: f"{s[0]}x{s[1]}",
)
def test_each_size_has_the_layout_layout_for_names_after_a_resize_and_at_start(size):
    async def main(start):
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=start) as pilot:
            await pilot.pause()
            if start != size:
                await pilot.resize_terminal(*size)
                await pilot.pause()
            return app.arrangement, arranged(app)

    assert asyncio.run(main(size)) == (layout_for(*size),) * 2
    other = (80, 24) if layout_for(*size) != "compact" else (160, 50)
    assert asyncio.run(main(other)) == (layout_for(*size),) * 2


def explain_rows(app) -> list[str]:
    """The rows drawn in the Explain panel, its title row first, as on the screen."""
    panel = app.screen_stack[0].query_one(ExplainPanel)
    region = panel.region
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        if region.y <= row < region.bottom and region.x <= col < region.right:
            rows[row][col] = ch
    return ["".join(cells[c] for c in sorted(cells)).strip() for _, cells in sorted(rows.items())]


def test_the_page_of_explain_scrolled_to_is_kept_across_a_larger_terminal():
    """B1 at 80×24 has more lines than rows: ↓ shows the next page; the terminal made 120×40 (every
    line in view) and 80×24 again shows that page still, as the panel's title says."""

    async def main():
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f", "f", "b", "b")
            await pilot.pause()
            first = explain_rows(app)
            await pilot.press("down")
            await pilot.pause()
            scrolled = explain_rows(app)
            assert scrolled != first and "▲" in scrolled[0]  # "▲ N above · ↑/PgUp" in the title row
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert "▲" not in explain_rows(app)[0]  # all of it in view
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            await pilot.pause()
            return scrolled, explain_rows(app)

    scrolled, again = asyncio.run(main())
    assert again == scrolled


def screen_after(keys: list[str], sizes: list[tuple[int, int]]) -> str:
    """The screen (SVG) after `keys` at sizes[0] and a resize to each of the others in turn."""

    async def main():
        app = BackpropApp(presets.lecture())
        async with app.run_test(size=sizes[0]) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            for size in sizes[1:]:
                await pilot.resize_terminal(*size)
                await pilot.pause()
            await pilot.pause()
            return re.sub(r"terminal-\d+-", "terminal-", app.export_screenshot())

    return asyncio.run(main())


@pytest.mark.parametrize(
    "sizes",
    [[(123, 44), (100, 44)], [(100, 44), (123, 44)], [(160, 50), (80, 24)], [(80, 24), (160, 50), (120, 40)]],
    ids=lambda s: "-".join(f"{w}x{h}" for w, h in s),
)
def test_after_a_resize_the_screen_is_the_one_a_start_at_that_size_shows(sizes):
    """a (a new loss history: its chart says what started it) and f, then resizes: every panel as at a
    start at the last size. 123×44 → 100×44 goes from wide to compact with the loss panel 40×13 in both:
    it kept the wide title, and "new: tanh" (the bottom border's in the boxed layouts) was nowhere."""
    keys = ["a", "f"]
    assert screen_after(keys, sizes) == screen_after(keys, sizes[-1:])
