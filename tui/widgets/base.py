"""What every panel shares: the Snapshot it shows, the language and the decimal mark.

The App binds `snapshot` and `lang` to its own reactives (data_bind), so a panel re-renders when
the Stepper hands out a new Snapshot and never reaches back into the App.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content, _FormattedLine
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from engine.stepper import Snapshot
from tui import fmt
from tui.i18n import t


class SnapshotView(Widget):
    snapshot: reactive[Snapshot | None] = reactive(None)
    lang: reactive[str] = reactive("en")

    def __init__(self, *, comma: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.comma = comma

    # formatting shortcuts: every number goes through tui.fmt
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


class TextPanel(SnapshotView):
    """A panel of no-wrap lines that, when its data change, repaints only the lines that differ.

    Textual repaints every line of a widget that refreshes, and styles, composes and (in
    tui/diffscreen.py) compares each of them; a micro-step changes a few numbers per panel, so that
    was most of a key press (issue 5, key → screen). Here `render()` still describes the whole panel
    as a rich Text, but a change of `snapshot` or `lang` (or a subclass's reactive listed in
    CONTENT_REACTIVES) renders it at once, keeps the Strip of every line whose text and spans are as
    before, and refreshes only the rows that differ. A full refresh (resize, theme, border title,
    text selection) rebuilds every line. Each line is made as Textual's own Content path makes it
    (Visual.to_strips for text-wrap: nowrap), so the screen is the same cell for cell;
    tests/test_textpanel.py compares the two.
    """

    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    lang: reactive[str] = reactive("en", repaint=False)

    def __init__(self, *, comma: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(comma=comma, id=id, classes=classes)
        self._lines: list[Strip] | None = None  # the content's rows as drawn; None: build on the next paint
        self._keys: list[tuple] = []  # (text, spans, style) of each row, to find the rows that changed
        self._built_for: tuple = ()  # (size, visual style) the rows were built for
        self._styles: dict[tuple[str, ...], Style] = {}

    def style(self, *names: str) -> Style:
        # Textual drops its component-style cache on every refresh; ours lives until a full refresh
        try:
            return self._styles[names]
        except KeyError:
            out = self._styles[names] = super().style(*names)
            return out

    def _watch_snapshot(self) -> None:
        self.content_changed()

    def _watch_lang(self) -> None:
        self.content_changed()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> "TextPanel":
        if repaint and not regions:  # size, theme, title, selection: every row again
            self._lines = None
            self._styles.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._lines = None
        self._styles.clear()
        super().notify_style_update()

    def content_changed(self) -> None:
        """The data behind render() changed: repaint the rows that differ."""
        if self._lines is None or not self.is_mounted or not self._fast() \
                or self._built_for != (self.size, self.visual_style):
            self.refresh()
            return
        old = self._lines
        self._build()
        width = self.size.width
        new = self._lines
        y, rows = 0, max(len(old), len(new))
        while y < rows:  # one region per run of changed rows
            if y < len(old) and y < len(new) and old[y] is new[y]:
                y += 1
                continue
            start = y
            while y < rows and not (y < len(old) and y < len(new) and old[y] is new[y]):
                y += 1
            self.refresh(Region(0, start, width, y - start))

    def _build(self) -> None:
        width, height = self.size
        style = self.visual_style
        text = self.render()
        old = dict(zip(self._keys, self._lines or ()))
        lines: list[Strip] = []
        keys: list[tuple] = []
        if width:
            console = self.app.console
            overflow = self.styles.get_rule("text_overflow", "fold")
            align = self.styles.get_rule("text_align", "left")
            links = self.auto_links and not self.is_container and not self.screen._selecting
            link_style = self.link_style if links else None  # computed once, not once a row
            for y, line in enumerate(text.split("\n", allow_blank=True)[:height]):
                key = (y, line.plain, tuple(line.spans), line.style)
                strip = old.get(key)
                if strip is None:
                    # as Content._wrap_and_format and Visual.to_strips do it for one no-wrap line
                    content = Content.from_rich_text(line, console=console).expand_tabs(8)
                    content = content.truncate(width, ellipsis=overflow == "ellipsis")
                    strip = Strip(*_FormattedLine(self._get_style, content, width, y=y,
                                                  align=align).to_strip(style))
                    if links:
                        strip = strip._apply_link_style(link_style)
                lines.append(strip)
                keys.append(key)
        self._lines, self._keys = lines, keys
        self._built_for = (self.size, style)

    def _fast(self) -> bool:
        """Rows can be built one by one: no wrapping, no folding, no text selection to draw."""
        get = self.styles.get_rule
        return (self.text_selection is None and get("text_wrap", "wrap") == "nowrap"
                and get("text_overflow", "fold") != "fold")

    def render_line(self, y: int) -> Strip:
        if not self._fast():  # Textual's own path wraps, folds and draws a selection
            return super().render_line(y)
        if self._lines is None or self._built_for != (self.size, self.visual_style):
            self._build()
        self._dirty_regions.clear()
        try:
            return self._lines[y]
        except IndexError:
            return Strip.blank(self.size.width, self.visual_style.rich_style)

    def render(self) -> Text:
        raise NotImplementedError
