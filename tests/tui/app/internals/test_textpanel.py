"""The widgets that repaint only changed rows (tui/app/widgets/base.py RowCache: the panels, the status
line, the key bar and the loss chart) show what Textual's own render path would show, row for row
and style for style, after micro-steps, undo, language and theme."""

from __future__ import annotations

import pytest
from rich.style import Style
from rich.style import Style as RichStyle
from rich.text import Span, Text
from textual.content import Content
from textual.style import Style as VisualStyle
from textual.visual import Visual

from tui.app.internals import STOCK
from tui.app.internals.cells import one_cell_each
from tui.app.widgets.base import RowCache, _runs

KEYS = "ffbbufbbuzzyyltffbbu"


def row_widgets(app):
    return [w for w in app.screen_stack[0].walk_children() if isinstance(w, RowCache)]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_rows_match_textuals_render_path(size, drive):
    mismatches = []
    kinds = set()

    async def scenario(app, pilot):
        for key in KEYS:
            await pilot.press(key)
            await pilot.pause()
            for widget in row_widgets(app):
                kinds.add(type(widget).__name__)
                width, height = widget.size
                expected = Visual.to_strips(widget, widget._render(), width, height, widget.visual_style)
                for y, strip in enumerate(expected):
                    if list(widget.render_line(y)) != list(strip):
                        mismatches.append((key, widget.id, y))

    drive(scenario, size=size)
    assert mismatches == []
    assert {
        "NetworkPanel",
        "ExplainPanel",
        "ParametersPanel",
        "ValuesPanel",
        "StatusLine",
        "KeyBar",
        "LossPlot",
    } <= kinds


@pytest.mark.skipif(STOCK, reason="the row cache is off under BACKPROP_TUI_RENDERING=stock")
def test_rows_are_made_directly_not_through_textuals_content_path(monkeypatch, drive):
    """The direct path (_quick_row) is what makes a key press cheap: it must take the usual rows."""
    calls = {"quick": 0, "fallback": 0}
    original = RowCache._quick_row

    def counting(self, *args):
        strip = original(self, *args)
        calls["quick" if strip is not None else "fallback"] += 1
        return strip

    monkeypatch.setattr(RowCache, "_quick_row", counting)

    async def scenario(app, pilot):
        for key in KEYS:
            await pilot.press(key)
            await pilot.pause()

    drive(scenario)
    assert calls["quick"] > 100
    assert calls["fallback"] <= calls["quick"] // 20


@pytest.mark.parametrize(
    "spans",
    [
        # overlapping, nested, empty and uncovered: the general case
        [Span(1, 5, "red"), Span(3, 7, "bold"), Span(4, 4, "blue"), Span(2, 9, "italic"), Span(8, 9, "underline")],
        # in order and apart, as a drawing's rows are: adjacent, with gaps, one empty, one to the end
        [Span(0, 2, "red"), Span(2, 3, "bold"), Span(5, 5, "blue"), Span(6, 10, "italic")],
        [Span(3, 4, "red")],
    ],
)
def test_runs_stack_spans_as_content_render_does(spans):
    """The same runs as Content.render, with the same styles stacked."""
    text = Text("abcdefghij", spans=spans)
    base = VisualStyle(bold=False)
    expected = list(Content.from_rich_text(text).render(base, end=""))
    ours = _runs(len(text.plain), text.spans)
    assert [text.plain[a:b] for a, b, _ in ours] == [t for t, _ in expected]
    for (_, _, stack), (_, style) in zip(ours, expected):
        spans = [VisualStyle.from_rich_style(RichStyle.parse(text.spans[i].style)) for i in stack]
        assert VisualStyle.combine([base, *spans]) == style
    assert _runs(0, []) == []
    assert _runs(3, []) == [(0, 3, ())]


def test_only_one_cell_characters_take_the_direct_path():
    assert one_cell_each("x₁ ─┬─ w₁₁⁽¹⁾ ━ ŷ ·")
    assert not one_cell_each("漢字")  # two cells each
    assert not one_cell_each("a\u0301")  # a combining accent takes none


@pytest.mark.fallbacks
def test_rows_with_actions_take_textuals_path_and_get_the_link_style(drive):
    """A span with an @click action (none of the panels has one today) is drawn as Textual draws it,
    hover link style included: the direct path leaves such rows alone."""
    from rich.style import Style

    from tui.app.widgets.status import StatusLine

    class ClickableStatus(StatusLine):
        def render(self):
            return Text.assemble(
                ("press ", None),
                ("here", Style(bold=True) + Style.from_meta({"@click": "app.bell"})),
                no_wrap=True,
                end="",
            )

    mismatches = []

    async def scenario(app, pilot):
        widget = app.query_one(StatusLine)
        widget.__class__ = ClickableStatus
        widget.refresh()
        await pilot.pause()
        width, height = widget.size
        expected = Visual.to_strips(widget, widget._render(), width, height, widget.visual_style)
        widget.content_changed()
        for y, strip in enumerate(expected):
            if list(widget.render_line(y)) != list(strip):
                mismatches.append(y)

    drive(scenario)
    assert mismatches == []


def test_a_text_selection_is_drawn_as_textual_draws_it(drive):
    """Selecting text (mouse drag) hands the panel to Textual's own path, highlight included, and
    clearing it brings the direct rows back."""
    from textual.geometry import Offset
    from textual.selection import Selection
    from textual.widget import Widget

    from tui.app.widgets.explain import ExplainPanel

    seen = {}

    async def scenario(app, pilot):
        await pilot.press("f")
        await pilot.pause()
        panel = app.query_one(ExplainPanel)
        seen["plain"] = list(panel.render_line(1))
        app.screen.selections = {panel: Selection(Offset(0, 1), Offset(8, 1))}
        await pilot.pause()
        seen["selected"] = list(panel.render_line(1))
        seen["textual"] = list(Widget.render_line(panel, 1))
        app.screen.selections = {}
        await pilot.pause()
        seen["cleared"] = list(panel.render_line(1))

    drive(scenario)
    assert seen["selected"] == seen["textual"]
    assert seen["selected"] != seen["plain"]
    assert seen["cleared"] == seen["plain"]


@pytest.mark.parametrize("overflow", ["clip", "ellipsis"])
def test_rows_longer_than_the_panel_are_cut_as_textual_cuts_them(overflow, drive):
    """A row wider than its panel (a long number, Portuguese in 80 columns) is cut by the direct
    path as Content.truncate cuts it, spans across the cut included, and no fallback is counted."""
    from tui.app.internals import fallbacks
    from tui.app.widgets.status import StatusLine

    class LongStatus(StatusLine):
        def render(self):
            return Text.assemble(("lecture ", "bold"), ("│ " * 80, "red"), ("end", "italic"), no_wrap=True, end="")

    seen = {}

    async def scenario(app, pilot):
        widget = app.query_one(StatusLine)
        widget.styles.text_overflow = overflow
        widget.__class__ = LongStatus
        widget.refresh()
        await pilot.pause()
        before = fallbacks.count()
        widget.content_changed()
        width, height = widget.size
        expected = Visual.to_strips(widget, widget._render(), width, height, widget.visual_style)
        seen["rows"] = [(list(widget.render_line(y)), list(strip)) for y, strip in enumerate(expected)]
        seen["fallbacks"] = fallbacks.count() - before
        seen["width"] = width

    drive(scenario, size=(80, 24))
    assert seen["fallbacks"] == 0
    assert all(ours == theirs for ours, theirs in seen["rows"])
    text = "".join(segment.text for segment in seen["rows"][0][0])
    assert len(text) == seen["width"] and text.endswith("…" if overflow == "ellipsis" else "│ ")


@pytest.mark.skipif(STOCK, reason="the row cache is off under BACKPROP_TUI_RENDERING=stock")
def test_rows_refresh_only_the_changed_columns_and_the_regions_stay_few(monkeypatch, drive):
    """A micro-step refreshes the columns of a row that changed, not the row; Textual keeps every
    region refreshed until a whole refresh, so after REGIONS_MAX of them the widget is refreshed
    whole (its rows kept) and the regions kept stay bounded, however long the session."""
    from tui.app.widgets import base

    monkeypatch.setattr(base, "REGIONS_MAX", 40)
    regions = []
    original = RowCache.refresh

    def recording(self, *args, **kwargs):
        regions.extend((self.size.width, r) for r in args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RowCache, "refresh", recording)
    most = {}

    async def scenario(app, pilot):
        for key in "fbu" * 30:
            await pilot.press(key)
            await pilot.pause()
            for widget in row_widgets(app):
                most[widget.id] = max(most.get(widget.id, 0), len(widget._dirty_regions))

    drive(scenario)
    assert regions and any(region.width < width for width, region in regions)  # columns, not whole rows
    assert all(region.height == 1 for _, region in regions)
    assert max(most.values()) <= 40 + 40  # at most REGIONS_MAX since the last whole refresh, plus one key's


def test_changed_columns():
    from rich.segment import Segment
    from textual.strip import Strip

    from tui.app.widgets.base import changed_columns

    a, b = Style(bold=True), Style(italic=True)

    def strip(*parts):
        return Strip([Segment(text, style) for text, style in parts])

    assert changed_columns(strip(("abc", a), ("def", b)), strip(("abc", a), ("def", b))) is None
    assert changed_columns(strip(("abc", a), ("0.123", b)), strip(("abc", a), ("0.153", b))) == (6, 7)
    assert changed_columns(strip(("abc", a), ("xyz", b)), strip(("abc", b), ("xyz", b))) == (0, 3)
    assert changed_columns(strip(("ab", a)), strip(("abcd", a))) == (2, 4)
    assert changed_columns(strip(("abcd", a)), strip(("ab", a))) == (2, 4)
    assert changed_columns(strip(("x1y", a), ("z", b)), strip(("x2y", a), ("z", b))) == (1, 2)
