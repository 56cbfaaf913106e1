"""What every panel shares: the Snapshot it shows, the language and the decimal mark.

The App binds `snapshot` and `lang` to its own reactives (data_bind), so a panel re-renders when
the Stepper hands out a new Snapshot and never reaches back into the App.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from operator import itemgetter
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget

from engine.stepper import Snapshot
from tui.app.internals import STOCK, fallbacks
from tui.app.internals.cells import one_cell_each
from tui.text import fmt
from tui.text.i18n import t

if TYPE_CHECKING:  # RowCache is a mixin for Widgets (TextPanel): mypy sees the Widget it extends
    _WidgetMixin = Widget
else:
    _WidgetMixin = object


# What Content would change in a line: control codes it strips, tabs it expands.
RUN_STYLES_MAX = 20_000  # styles kept for _quick_row (~1 kB each); a layout needs a few thousand
_UNUSUAL = re.compile("[\x00-\x1f\x7f]")


def _has_meta(line: Text) -> bool:
    """A span carries meta (an @click action, a link), which Textual's path gives its link style."""
    return any(("@" in st) if isinstance(st, str) else bool(st.meta) or st.link is not None for _, _, st in line.spans)


def _runs(length: int, spans) -> list[tuple[int, int, tuple[int, ...]]]:
    """(start, end, indices of the spans over it, in span order) for each run of a line, as
    Content.render stacks spans (an empty list when the line is empty)."""
    if not spans:
        return [(0, length, ())] if length else []
    runs: list[tuple[int, int, tuple[int, ...]]] = []
    done = 0  # spans in order and apart (a drawing's rows): each span is a run, and each gap
    for i, (start, end, _) in enumerate(spans):
        if start < done or end < start or end > length:
            break
        if start > done:
            runs.append((done, start, ()))
        if end > start:
            runs.append((start, end, (i,)))
        done = end
    else:
        if done < length:
            runs.append((done, length, ()))
        return runs
    events = [
        (0, False, -1),
        *((span.start, False, i) for i, span in enumerate(spans)),
        *((span.end, True, i) for i, span in enumerate(spans)),
        (length, True, -1),
    ]
    events.sort(key=itemgetter(0, 1))
    stack: list[int] = []
    runs = []  # the general case, as Content.render stacks spans
    for (offset, leaving, index), (next_offset, _, _) in zip(events, events[1:]):
        if leaving:
            stack.remove(index)
        else:
            stack.append(index)
        if next_offset > offset:
            runs.append((offset, next_offset, tuple(sorted(i for i in stack if i >= 0))))
    return runs


REGIONS_MAX = 500  # see content_changed
COLUMNS = True  # content_changed refreshes only the changed columns of a row (benchmarks/bench_internals.py)


def changed_columns(old: Strip, new: Strip) -> tuple[int, int] | None:
    """[start, end) of the columns where two rows of the row cache differ (one cell a character);
    None if they are the same. What lies outside goes unsent: Textual's compositor sends the
    refreshed regions only (its public Line API, `refresh(Region)`)."""
    a, b = list(old), list(new)
    i, x0 = 0, 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        x0 += len(a[i].text)
        i += 1
    if i == len(a) and i == len(b):
        return None
    if i < len(a) and i < len(b) and a[i].style == b[i].style:
        x0 += common_prefix(a[i].text, b[i].text)
    end_a, end_b = old.cell_length, new.cell_length
    if end_a != end_b:
        return x0, max(end_a, end_b)
    j, x1 = 1, end_a
    while j <= len(a) - i and j <= len(b) - i and a[-j] == b[-j]:
        x1 -= len(a[-j].text)
        j += 1
    if j <= len(a) - i and j <= len(b) - i and a[-j].style == b[-j].style:
        x1 -= common_prefix(a[-j].text[::-1], b[-j].text[::-1])
    return x0, max(x1, x0 + 1)


def common_prefix(a: str, b: str) -> int:
    n = 0
    for ca, cb in zip(a, b):
        if ca != cb:
            break
        n += 1
    return n


class SnapshotView(Widget):
    snapshot: reactive[Snapshot | None] = reactive(None)
    lang: reactive[str] = reactive("en")

    def __init__(self, *, comma: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.comma = comma

    # formatting shortcuts: every number goes through tui.text.fmt
    def num(self, value: float) -> str:
        return fmt.num(value, self.comma)

    def signed(self, value: float) -> str:
        return fmt.signed(value, self.comma)

    def short(self, value: float) -> str:
        return fmt.short(value, self.comma)

    @property
    def sep(self) -> str:
        """Between the parts of a vector: (0.05, 0.10), or (0,05; 0,10) with a decimal comma."""
        return "; " if self.comma else ", "

    def t(self, _key: str, /, **values: object) -> str:
        return t(_key, self.lang, **values)

    def style(self, *names: str) -> Style:
        """The sum of component-class styles from app.tcss (`network--pos`, …)."""
        out = Style()
        for name in names:
            out += self.get_component_rich_style(name, partial=True)
        return out


class RowCache(_WidgetMixin):
    """A widget of no-wrap lines that, when its content changes, repaints only the lines that differ.

    Textual repaints every line of a widget that refreshes, and styles, composes and (in
    tui/app/internals/diffscreen.py) compares each of them; a micro-step changes a few numbers per
    panel, so that was most of a key press (issue 5, key → screen). Here `render()` still describes
    the whole widget as a rich Text, but `content_changed()` makes its rows at once, keeps the Strip
    of every row whose text and spans are as before, and refreshes only the rows that differ. A
    full refresh (resize, theme, border title, text selection) rebuilds every row. Each row is made
    as Textual's own Content path makes it for text-wrap: nowrap (`_quick_row`), so the screen is
    the same cell for cell; tests/tui/app/internals/test_textpanel.py compares the two.

    Textual's public API only. When a row cannot be made that way (a tab, a control code, a wide
    character, a link, a row too long: none of the panels has one today), the whole widget is drawn
    by Textual's own render path until its content changes again, and the fallback is counted
    (tui/app/internals/fallbacks.py; the app tests assert there is none). Under
    BACKPROP_TUI_RENDERING=stock the cache is off: Textual's render path draws every row.

    Mixed in before a Widget class: `class Panel(RowCache, SomeWidget)`.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lines: list[Strip] | None = None  # the content's rows as drawn; None: build on the next paint
        self._keys: list[tuple] = []  # (text, spans, style) of each row, to find the rows that changed
        self._built_for: tuple = ()  # (size, visual style) the rows were built for
        self._deferred: tuple | None = None  # (size, visual style) for which Textual's path draws the rows
        self._run_styles: dict[tuple, Style] = {}  # see _quick_row
        self._row_layouts: dict[tuple, list] = {}  # (y, length, spans) → [(start, end, style)]: _quick_row
        self._run_styles_for: tuple = ()  # the (visual style, ANSI theme) _run_styles were made with
        self._content_key: Hashable | None = None  # content_key() of the rows in _lines
        self._regions_sent = 0  # regions refreshed since the widget was last refreshed whole

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if repaint and not regions:  # size, theme, title, selection: every row again
            self._forget_rows()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._forget_rows()
        super().notify_style_update()

    def _forget_rows(self) -> None:
        self._lines = None
        self._regions_sent = 0
        self._deferred = None
        self._run_styles.clear()
        self._row_layouts.clear()
        self._content_key = None

    def content_key(self) -> Hashable | None:
        """Everything render() depends on, when a widget can say it cheaply; None: always render."""
        return None

    def content_changed(self) -> None:
        """The data behind render() changed: repaint the rows that differ."""
        if (
            self._lines is None
            or not self.is_mounted
            or not self._fast()
            or self._built_for != (self.size, self.visual_style)
        ):
            self.refresh()
            return
        key = self.content_key()
        if key is not None and key == self._content_key:
            return  # what render() draws has not changed
        old = self._lines
        if not self._build():  # Textual's path draws the widget now: all of it, as Widget.refresh does
            super().refresh()
            return
        self._content_key = key
        width = self.size.width
        new = self._lines
        if self._regions_sent > REGIONS_MAX:
            # Textual keeps every region refreshed until the widget is refreshed whole: once in a
            # while, refresh it whole (its rows kept: they are right), so the set stays small
            self._regions_sent = 0
            super().refresh()
            return
        for y in range(max(len(old), len(new))):  # only the columns that changed, row by row
            if y < len(old) and y < len(new):
                if old[y] is new[y]:
                    continue
                span = changed_columns(old[y], new[y]) if COLUMNS else (0, width)
                if span is not None:
                    self._regions_sent += 1
                    self.refresh(Region(span[0], y, span[1] - span[0], 1))
            else:
                self._regions_sent += 1
                self.refresh(Region(0, y, width, 1))

    def _build(self) -> bool:
        """Make the rows; False (and the rows forgotten, a fallback counted) if one of them cannot
        be made directly: Textual's render path draws the widget then."""
        width, height = self.size
        style = self.visual_style
        rows = self.render_rows()
        old = dict(zip(self._keys, self._lines or ()))
        lines: list[Strip] = []
        keys: list[tuple] = []
        if width:
            links = self.auto_links and not self.is_container
            ansi_theme = self.app.ansi_theme
            if (
                self._run_styles_for != (style, ansi_theme)
                or len(self._run_styles) > RUN_STYLES_MAX
                or len(self._row_layouts) > RUN_STYLES_MAX
            ):
                self._run_styles.clear()
                self._row_layouts.clear()
                self._run_styles_for = (style, ansi_theme)
            align = cast(str, self.styles.get_rule("text_align", "left"))  # get_rule is typed for any rule
            ellipsis = self.styles.get_rule("text_overflow", "fold") == "ellipsis"
            for y, line in enumerate(rows[:height]):
                key = (y, line.plain, tuple(line.spans), line.style)
                strip = old.get(key)
                if strip is None and not (links and _has_meta(line)):  # links: Textual's path styles them
                    strip = self._quick_row(line, y, width, style, align, ansi_theme, ellipsis)
                if strip is None:
                    fallbacks.note("rows")
                    self._lines, self._keys = None, []
                    self._deferred = (self.size, style)
                    return False
                lines.append(strip)
                keys.append(key)
        self._lines, self._keys = lines, keys
        self._built_for = (self.size, style)
        self._deferred = None
        return True

    def _quick_row(
        self, line: Text, y: int, width: int, style: VisualStyle, align: str, ansi_theme, ellipsis: bool = False
    ) -> Strip | None:
        """The Strip Textual's Content path makes of a left-aligned line that fits, made directly.

        Content.from_rich_text converts each span's style, Content.render stacks the spans into
        runs, and Textual's line formatter gives each run the style (base + run style) with its
        (x, y) offset in the meta (for text selection); that is ~0.3 ms a row and most of a key press.
        Here the runs are found as Content.render finds them, and each run's final style, which
        depends only on its spans' styles and its offset, is kept in `_run_styles`; a row's runs
        with their styles are kept in `_row_layouts` by (row, length, spans): a row whose numbers
        change and whose layout does not (the same row in the next epoch) only cuts its new text.
        A row longer than the widget is cut as Content.truncate cuts it (with "…" for
        text-overflow: ellipsis). None: not a plain case (a tab, a control code, wide characters,
        aligned, a whole-line style); the widget is then drawn by Textual's path (see the class).
        """
        plain = line.plain
        if (
            align not in ("left", "start")
            or line.style
            or _UNUSUAL.search(plain) is not None
            or not one_cell_each(plain)
        ):
            return None
        spans = line.spans
        if len(plain) > width:  # one cell a character: cells are offsets
            plain = plain[: width - 1] + "…" if ellipsis and width else plain[:width]
            cut = len(plain)
            spans = [
                span if span.end < cut else Span(span.start, min(cut, span.end), span.style)
                for span in spans
                if span.start < cut
            ]
        length = len(plain)
        # the same spans over a line of the same length (its numbers changed, its layout did not):
        # the runs and their styles are those of last time, only the text is new
        layout_key = (y, length, tuple(spans))
        layout = self._row_layouts.get(layout_key)
        if layout is None:
            cache = self._run_styles
            layout = []
            for start, end, stack in _runs(length, spans):
                span_styles = tuple(spans[i].style for i in stack)
                cache_key = (span_styles, start, y)
                rich_style = cache.get(cache_key)
                if rich_style is None:
                    get_style = self.app.console.get_style
                    run_style = VisualStyle.combine(
                        [
                            style,
                            *(
                                VisualStyle.from_rich_style(get_style(s) if isinstance(s, str) else s, ansi_theme)
                                for s in span_styles
                            ),
                        ]
                    )
                    rich_style = cache[cache_key] = (style + run_style).rich_style_with_offset(start, y)
                layout.append((start, end, rich_style))
            if not layout:  # an empty line: Content.render yields one empty run
                if spans:
                    return None
                layout.append((0, 0, (style + style).rich_style_with_offset(0, y)))
            self._row_layouts[layout_key] = layout
        return Strip([Segment(plain[start:end], rich_style) for start, end, rich_style in layout], length)

    def _fast(self) -> bool:
        """Rows can be built one by one: the fast rendering, no wrapping, no folding, no text
        selection to draw."""
        if STOCK:
            return False
        get = self.styles.get_rule
        return (
            self.text_selection is None
            and get("text_wrap", "wrap") == "nowrap"
            and get("text_overflow", "fold") != "fold"
        )

    def render_line(self, y: int) -> Strip:
        if self._lines is None or self._built_for != (self.size, self.visual_style):
            # Textual's own path wraps, folds, draws a selection and the rows the cache cannot make
            if not self._fast() or self._deferred == (self.size, self.visual_style) or not self._build():
                return super().render_line(y)
        # else the rows still hold: a selection, a CSS change or a resize forgets them (refresh(),
        # notify_style_update()), so _fast() need not be asked again for every line
        assert self._lines is not None  # kept, or just made by _build()
        try:
            return self._lines[y]
        except IndexError:
            return Strip.blank(self.size.width, self.visual_style.rich_style)

    if TYPE_CHECKING:

        def render(self) -> Text: ...  # the panels' render(): rows of Text (TextPanel's below)

    def render_rows(self) -> list[Text]:
        """render() cut into rows; a panel that draws row by row can return its rows directly."""
        return list(self.render().split("\n", allow_blank=True))  # rich's Lines as a list


class TextPanel(RowCache, SnapshotView):
    """A panel of rows (see RowCache) showing a Snapshot: a change of `snapshot` or `lang` repaints
    the rows that differ."""

    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    lang: reactive[str] = reactive("en", repaint=False)

    def __init__(self, *, comma: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(comma=comma, id=id, classes=classes)
        self._styles: dict[tuple[str, ...], Style] = {}

    def style(self, *names: str) -> Style:
        # Textual drops its component-style cache on every refresh; ours lives until a full refresh
        try:
            return self._styles[names]
        except KeyError:
            out = self._styles[names] = super().style(*names)
            return out

    def _forget_rows(self) -> None:
        super()._forget_rows()
        self._styles.clear()

    def _watch_snapshot(self) -> None:
        self.content_changed()

    def _watch_lang(self) -> None:
        self.content_changed()


class RowsPanel(TextPanel):
    """A panel that draws row by row: `rows(snapshot)` gives its rows, handed to the row cache as
    they are; render() joins them for Textual's own path (a text selection, tests/tui/app/internals/test_textpanel.py)."""

    def rows(self, s: Snapshot) -> list[Text]:
        raise NotImplementedError

    def render_rows(self) -> list[Text]:
        s = self.snapshot
        return [Text("", end="")] if s is None else self.rows(s)

    def render(self) -> Text:
        return Text("\n", end="").join(self.render_rows())
