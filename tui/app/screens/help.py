"""The `?` screen: the keys of DESIGN §5 and the micro-steps of §2.9 on one page, in the chosen language."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine import notation
from engine.equations import NOTES_NOTATION
from engine.stepper import Phase
from tui.app.screens.base import TopScreen
from tui.app.widgets import more
from tui.text.i18n import t
from tui.text.keys import help_rows, label
from tui.text.phases import PHASES


def output_symbols(lang: str) -> str:
    """The one place on screen where the notes' other spelling of the output unit's quantities
    appears (z₁⁽²⁾, b₁⁽²⁾): the app writes z⁽²⁾ and b⁽²⁾ everywhere (engine.notation)."""
    return t(
        "ui_help_output_symbols",
        lang,
        z=notation.z(1, 2).text,
        b=notation.bias(1, 2).text,
        z_notes=notation.Symbol("z", 2, 1).text,
        b_notes=notation.Symbol("b", 2, 1).text,
    )


def key_cell(key: str) -> str:
    """A key as the help writes it, in 7 columns: " f      ", and a word of 6 letters ("espaço") from
    the first column, so that no label loses room to it."""
    return f" {key:<6}" if len(key) < 6 else f"{key} "


def help_text(lang: str, width: int, height: int = 0) -> Text:
    """The help page, all of it (`height` is not used: a short screen scrolls, with a "▼ more" row).
    How to close it is on the first row, always in view."""
    out = Text(end="")
    out.append(t("ui_help_title", lang), "bold underline")
    out.append("   " + t("ui_help_close", lang) + "\n", "bold")
    out.append(t("ui_help_keys", lang) + "\n", "bold")
    col = max(30, (width - 1) // 2)
    keys = help_rows(lang)  # (key as written in lang, i18n label), from the key table
    rows = (len(keys) + 1) // 2
    for r in range(rows):
        for c in range(2):
            k = r + c * rows
            if k >= len(keys):
                continue
            key, name = keys[k]
            cell = Text(key_cell(key), "bold")
            cell.append(label(name, lang))
            cell.truncate(col, overflow="ellipsis", pad=c == 0)
            out.append_text(cell)
        out.append("\n")
    out.append("\n" + t("ui_help_phases", lang) + "\n", "bold")
    names = {phase: t(f"ui_phase_{phase}", lang).split(" · ") for phase, _, _ in PHASES}
    name_w = max(len(parts[0]) for parts in names.values())
    if 1 + name_w + 2 + max(len(formula or "") for _, _, formula in PHASES) > width:
        # too narrow for "B1 backward" and the longest formula on one row: the codes alone (the keys
        # above say F1, F2 are forward and B2, B1 backward)
        names = {phase: [parts[0].split()[0]] for phase, parts in names.items()}
        name_w = max(len(parts[0]) for parts in names.values())
    for phase, phase_label, formula in PHASES:
        parts = names[phase]
        out.append(f" {parts[0]:<{name_w}}  ", "bold")
        detail = t(phase_label, lang) if phase_label else (parts[1] if len(parts) > 1 else "")
        if formula and 1 + name_w + 2 + len(detail) + 2 + len(formula) > width:  # the formula alone fits
            detail = ""
        if formula:
            out.append(f"{detail}: " if detail else "", "dim")
            out.append(formula)
        else:
            out.append(detail)
        out.append("\n")
    # the notation notes last: on a short screen the page scrolls to them, and says so (HelpScreen)
    (f1_here, f1_notes, f1_where), (b1_here, b1_notes, b1_where) = (NOTES_NOTATION[p] for p in (Phase.F1, Phase.B1))
    notes = [
        t("ui_help_notation", lang),
        t(
            "ui_help_notes_layout",
            lang,
            f1_here=f1_here,
            f1_notes=f1_notes,
            f1_where=f1_where,
            b1_here=b1_here,
            b1_notes=b1_notes,
            b1_where=b1_where,
        ),
        output_symbols(lang),
    ]
    out.append("\n" + "\n".join(notes), "dim")
    out.rstrip()
    return out


class HelpBody(Static):
    pass


class HelpScroll(VerticalScroll):
    """The page scrolls (↑ ↓, PgUp PgDn, the wheel) when the terminal is too short for all of it."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        screen = self.parent if self.is_attached else None  # closing: no screen to ask
        if isinstance(screen, HelpScreen):
            screen.show_more()


class HelpScreen(TopScreen):
    """A view: ? and F1 open it and close it, as do Esc and q; no key of the App reaches the model.
    x exports, as on every screen that shows the App's moment."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "close", show=False)]
    OVERLAY = "help"

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with HelpScroll(id="help-scroll"):
            yield HelpBody(id="help-body")
        yield Static(id="help-more")  # "▼ 5 more · ↓/PgDn" while part of the page is out of view

    def on_mount(self) -> None:
        self._fill()
        self.query_one(HelpScroll).focus()  # its arrow keys scroll the page

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        # The height is the screen's: the body's own is that of the text it shows (auto), so the
        # notation line, which needs more than that, never showed.
        for body in self.query(HelpBody):  # none yet when a resize comes before the screen is composed
            body.update(help_text(self.lang, body.content_region.width or self.size.width, self.size.height))
        self.call_after_refresh(self.show_more)

    def show_more(self) -> None:
        """The row under the page: how many rows of it lie below and above, and the keys (issue 18)."""
        if not self.is_attached:  # closed before the refresh it waited for
            return
        for scroll in self.query(HelpScroll):
            above = round(scroll.scroll_y)
            below = max(0, round(scroll.max_scroll_y - scroll.scroll_y))
            text = more.mark(self.lang, above, below)
            for row in self.query("#help-more").results(Static):
                row.display = bool(text)
                row.update(Text(text, "bold reverse", end=""))

    def action_close(self) -> None:
        self.close()
