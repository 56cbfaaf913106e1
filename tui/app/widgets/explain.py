"""The Explain panel: the equations of the micro-step just done, numbers substituted, and their results.

    z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825

The equations are engine.equations' (the one model of the notes' mathematics that the quiz, the
transcripts, the trace and the help also read), written with its `write`, which decides how many
digits a substitution needs for its arithmetic to be right as shown. This module only lays them out:
a title per phase and every equation of the step, in the notes' order. Nothing is ever left out: when
the panel is too short for all of its lines (80×24) the "main" equations come first, then §2.6's chain,
the "detail" equations (the local error ∂L/∂a, f'(z⁽²⁾), the other gradients and updates) and the hint,
and the panel's title says how many lines lie below or above and which keys scroll to them
("Explain ▼ 5 more · ↓/PgDn"; the key table's explain_down and explain_up; tui/app/widgets/more.py). For the notes' own example it also
says where the notes print a value differently, on the quantity they misprint (DESIGN §2), and, on
the first line of F1 and of B1, how the notes write the matrix product behind it (DESIGN §1).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive

from engine import activations, equations, notation
from engine.equations import Equation
from engine.stepper import Phase, Snapshot
from tui.app.internals.cells import one_cell_each
from tui.app.widgets.base import RowsPanel
from tui.app.widgets.more import Pager, mark
from tui.text import fmt, keys
from tui.text.i18n import act_name, mode_name
from tui.text.phases import PHASES

# A line's priority: in a panel too short for every line, lower numbers come first (the rest scrolls).
MUST, CHAIN, DETAIL, HINT = 0, 1, 2, 3
ROLE_PRIORITY = {"main": MUST, "chain": CHAIN, "detail": DETAIL}
TITLES = {
    Phase.F1: "ui_ex_F1_title",
    Phase.F2: "ui_ex_F2_title",
    Phase.B2: "ui_ex_B2_title",
    Phase.B1: "ui_ex_B1_title",
    Phase.U: "ui_ex_U_title",
}


def next_key(s: Snapshot) -> tuple[str, str]:
    """The key that does the next micro-step, as shown, and the i18n key of its name (the key table's)."""
    key = keys.next_key(s.phase, s.mid_batch)
    return key.shown, key.bar


def local_error(e: Equation) -> bool:
    """∂L/∂a_j⁽¹⁾: what §2.6 calls the local error δ_a (DESIGN §1: label both names)."""
    return e.quantity.name == "∂L/∂" and e.quantity.of is not None and e.quantity.of.name == "a"


class ExplainPanel(RowsPanel):
    COMPONENT_CLASSES = {
        "explain--title",
        "explain--result",
        "explain--remark",
        "explain--hint",
        "explain--note",
        "explain--notice",
        "explain--more",
        "explain--code",
    }
    notice: reactive[str] = reactive("", repaint=False)  # why the last key did nothing, or what play did
    numpy: reactive[bool] = reactive(False, repaint=False)  # P: the step's NumPy lines instead of its equations

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pager = Pager()  # the lines in view when the panel is too short for all of them
        self.heading = ""  # the panel's title (the App's, in its language); the "more" mark follows it
        self._title: tuple = ()

    def titled(self, name: str) -> None:
        self.heading = name
        self._show_title()

    def _show_title(self) -> None:
        """The border title: the panel's name and, when lines are out of view, the mark that says how
        many and which keys scroll to them (in the border, so the mark costs no line of the panel)."""
        more = mark(self.lang, *self.pager.hidden)
        heading = f"{self.heading} · {self.t('ui_ex_numpy')}" if self.numpy else self.heading
        if self._title == (heading, more):
            return  # setting a border title repaints the whole panel
        self._title = (heading, more)
        title = Text(heading)
        if more:
            title.append(" ")
            title.append(f" {more} ", self.style("explain--more"))
        self.border_title = title

    def _watch_notice(self) -> None:
        self.content_changed()

    def _watch_numpy(self) -> None:
        self.pager.home()
        self.content_changed()
        self.call_after_refresh(self._show_title)

    def _watch_snapshot(self) -> None:
        self.pager.home()  # a new step is read from its first line
        super()._watch_snapshot()

    def scroll_page(self, direction: int) -> bool:
        """Show the next (+1) or previous (−1) page of lines; False if there is none that way."""
        if not self.pager.scroll(direction, self.size.height):
            return False
        self.content_changed()
        return True

    def on_mouse_scroll_down(self, event) -> None:
        if self.scroll_page(1):
            event.stop()

    def on_mouse_scroll_up(self, event) -> None:
        if self.scroll_page(-1):
            event.stop()

    # --- one equation -----------------------------------------------------------------------
    def equation(self, e: Equation) -> Text:
        """The equation as engine.equations writes it, the result styled, and the notes' own value
        where they print it differently ("← notes 0.2410 (ex. 3)")."""
        w = equations.write(e, self.comma)
        text = Text()
        if local_error(e):
            text.append(self.t("ui_ex_local_error") + ": ", self.style("explain--note"))
        elif e.role == "chain":
            text.append(self.t("ui_ex_chain") + " ", self.style("explain--note"))
        text.append(" = ".join(p for p in (w.lhs, w.symbolic, w.substitution) if p) + f" {w.relation} ")
        text.append(w.result, self.style("explain--result"))
        if e.printed is not None:
            remark = "← " + self.t(
                "ui_ex_notes_where" if e.where else "ui_ex_notes", value=self.num(e.printed), where=e.where
            )
            if cell_len(text.plain) + 2 + cell_len(remark) > self.size.width:  # too long for one row: the short form
                remark = "← " + self.t("ui_ex_notes", value=self.num(e.printed))
            text.append("  ")
            text.append(remark, self.style("explain--remark"))
        if e.notation is not None:  # the notes write this product in another layout (DESIGN §1)
            here, notes, where = e.notation
            self._remark(
                text,
                self.t("ui_ex_notation", here=here, notes=notes, where=where),
                self.t("ui_ex_notation_short", notes=notes, where=where),
            )
        return text

    def _remark(self, text: Text, remark: str, short: str) -> None:
        """ "  ← remark" after the equation; the short form when the long one does not fit the row, and
        a row of its own below the equation when neither does (not a remark cut in two)."""
        width, used = self.size.width, cell_len(text.plain.split("\n")[-1])
        for form in (remark, short):
            if used + 4 + cell_len(form) <= width:
                text.append("  ")
                text.append("← " + form, self.style("explain--remark"))
                return
        text.append("\n    ")
        text.append("← " + (remark if 6 + cell_len(remark) <= width else short), self.style("explain--remark"))

    # --- one block per phase ------------------------------------------------------------------
    def code_lines(self, s: Snapshot) -> list[Text]:
        """Exercise 4(a): the NumPy lines of the step (engine/numpy_code.py, the lines `trace --format
        python` runs), each with the value the step computed for what it assigns:
        "z1 = W1.T @ x + b1          # [0.3825, 0.3900]"."""
        from engine import numpy_code  # on the first P: the first screen does without it

        step, sample = numpy_code.step(s.phase, s.hidden, s.output), equations.sample_of(s)
        width = max(len(line.code) for line in step.lines)
        values = [fmt.nested(numpy_code.result(sample, s.phase, line.name), self.comma) for line in step.lines]
        # the notes' symbol before each value (# δ⁽¹⁾ = [0.0134, 0.0150]) when every line has room for it
        named = all(
            width + 4 + cell_len(line.symbol.text) + 3 + cell_len(value) <= self.size.width
            for line, value in zip(step.lines, values)
        )
        out = []
        for line, value in zip(step.lines, values):
            text = Text(line.code.ljust(width), self.style("explain--code"))
            text.append("  # " + (f"{line.symbol.text} = " if named else ""), self.style("explain--note"))
            text.append(value, self.style("explain--result"))
            out.append(text)
        return out

    def _phase(self, s: Snapshot) -> list[tuple[Text, int]]:
        if self.numpy:
            from engine import numpy_code  # on the first P: the first screen does without it

            code = numpy_code.step(s.phase, s.hidden, s.output)
            out = [(text, MUST) for text in self.code_lines(s)]
            delta_at = [i for i, line in enumerate(code.lines) if line.name == "delta1"]
        else:
            eqs = equations.of_snapshot(s)
            out = [(self.equation(e), ROLE_PRIORITY[e.role]) for e in eqs]
            deltas = {notation.delta(j, 1) for j in (1, 2)}
            delta_at = [i for i, e in enumerate(eqs) if e.quantity in deltas]
        if s.phase is Phase.B1:
            # at δ⁽¹⁾ = ∂L/∂a⁽¹⁾·f'(z⁽¹⁾) (or its line of NumPy), right below it: why it is 0 (the step) and
            # which value of f' a kink gets (z exactly 0 for ReLU or the step)
            remarks = self.flat_remarks(s)
            if remarks:
                at = max(delta_at, default=len(out) - 1) + 1
                out[at:at] = [(Text(r, self.style("explain--remark")), MUST) for r in remarks]
            out.append((Text(self.t("ui_ex_layout"), self.style("explain--remark")), DETAIL))
        if s.mid_batch:  # batch mode: this sample's gradient waits for the batch's mean
            r = s.batch_range
            out.insert(
                0,
                (
                    Text(
                        self.t(
                            "ui_ex_batch_collect",
                            i=s.sample + 1,
                            first=r.start + 1,
                            last=r[-1] + 1,
                            k=notation.Symbol("g", unit=s.sample + 1).text[1:],
                            next=next_key(s)[0],
                        ),
                        self.style("explain--note"),
                    ),
                    MUST,
                ),
            )
        if s.phase is Phase.U and s.update is not None and s.update.batch is not None:  # at U there is an update
            samples = ", ".join(str(i + 1) for i in s.update.batch.samples)
            out.insert(0, (Text(self.t("ui_ex_batch_mean", samples=samples), self.style("explain--note")), MUST))
        if s.phase is Phase.U:
            out.append((self.went(s), MUST))
            if s.sample == s.m - 1 and len(s.losses) > s.epoch + 1:
                # with room: the Loss panel's title says L of the epoch too
                out.append(
                    (
                        Text(
                            self.t("ui_ex_epoch_end", epoch=s.epoch + 1, loss=self.num(s.losses[s.epoch + 1])),
                            self.style("explain--result"),
                        ),
                        CHAIN,
                    )
                )
        return out

    def batch_note(self, s: Snapshot) -> str:
        """What m did: the mode now, or the one the next epoch will take."""
        if s.batch_next is not None:
            return self.t(
                "ui_ex_batch_next",
                mode=mode_name(s.batch_next[0], s.m, self.lang),
                now=mode_name(s.batch, s.m, self.lang),
            )
        if s.batch is None:
            return self.t("ui_ex_batch_per_sample")
        return self.t("ui_ex_batch", mode=mode_name(s.batch, s.m, self.lang))

    def flat_remarks(self, s: Snapshot) -> list[str]:
        """Why δ⁽¹⁾ is 0 with the step (f' = 0: no error reaches the hidden weights), and the convention
        at a kink: a hidden unit whose z is exactly 0 under ReLU or the step, where f' does not exist."""
        out = []
        if s.hidden == "step":
            out.append(self.t("ui_ex_step_flat"))
        if s.hidden in activations.KINKS and s.forward1 is not None:
            for j, z in enumerate(s.forward1.z1, 1):
                if z == 0.0:
                    out.append(self.t(f"ui_ex_kink_{s.hidden}", unit=notation.z(j, 1).text))
        return out

    def went(self, s: Snapshot) -> Text:
        """Exercise 4(d): the sample just updated through the updated network, and which way its loss
        went ("ŷ 0.7514 → 0.7284, Lᵢ 0.2748 → 0.2580: the loss went down")."""
        f2, u = s.forward2, s.update
        assert f2 is not None and u is not None  # after U: the sample's forward pass and its update
        before, after = f2.loss, u.loss_after
        way = "ui_ex_down" if after < before else "ui_ex_up" if after > before else "ui_ex_same"
        text = Text(
            f"ŷ {self.num(f2.yhat[0])} → {self.num(u.yhat_after)}, {notation.LOSS.text} "
            f"{self.num(before)} → {self.num(after)}: "
        )
        text.append(self.t(way), self.style("explain--result" if way == "ui_ex_down" else "explain--remark"))
        return text

    def _ready(self, s: Snapshot) -> list[tuple[Text, int]]:
        out = [
            (
                Text(
                    self.t("ui_ex_ready", x1=self.short(s.x[0]), x2=self.short(s.x[1]), y=self.short(s.y), sep=self.sep)
                ),
                MUST,
            )
        ]
        # what the five micro-steps of this sample will compute (§2.9), when there is room
        for phase, _, formula in PHASES[1:]:
            name = self.t(f"ui_phase_{phase}")
            line = Text(f"  {name}: ", self.style("explain--note"))
            line.append(formula)
            out.append((line, CHAIN))
        return out

    # --- the panel ----------------------------------------------------------------------------
    def content(self, s: Snapshot) -> list[tuple[Text, int]]:
        """(line, priority), in the notes' order; a panel too short for all of them shows MUST first, then
        CHAIN, DETAIL and the HINT, and scrolls to the rest."""
        title_style = self.style("explain--title")
        lines: list[tuple[Text, int]] = []
        if self.notice:
            lines.append((Text(self.notice, self.style("explain--notice")), MUST))
        if s.action == "train":
            lines.append((Text(self.t("ui_ex_train_title"), title_style), MUST))
            lines.append((Text(self.t("ui_ex_train", epoch=s.epoch, loss=self.num(s.loss_now))), MUST))
        else:
            setting = {
                "reset": lambda: self.t("ui_ex_reset"),
                "reset_loaded": lambda: self.t(
                    "ui_ex_reset_loaded",
                    lr=self.short(s.lr),
                    hidden=act_name(s.hidden, self.lang),
                    output=act_name(s.output, self.lang),
                ),
                "activation": lambda: self.t(
                    "ui_ex_activation", hidden=act_name(s.hidden, self.lang), output=act_name(s.output, self.lang)
                ),
                "learning_rate": lambda: (
                    self.t("ui_ex_lr_after", lr=self.short(s.lr), used=self.short(s.update.lr))
                    if s.update is not None and s.update.lr != s.lr
                    else self.t("ui_ex_lr", lr=self.short(s.lr))
                ),
                "load": lambda: self.t("ui_ex_load", name=s.name),
                "batch": lambda: self.batch_note(s),
            }.get(s.action)
            if setting:
                lines.append((Text(setting(), self.style("explain--note")), MUST))
            if s.phase is Phase.READY:
                lines.append((Text(self.t("ui_ex_ready_title", i=s.sample + 1, m=s.m), title_style), MUST))
                ready = self._ready(s)
                if self.numpy:  # below the input: what P changed
                    ready.insert(1, (Text(self.t("ui_ex_numpy_ready"), self.style("explain--note")), MUST))
                lines.extend(ready)
            else:
                batch_u = s.phase is Phase.U and s.update is not None and s.update.batch is not None  # at U: an update
                title = "ui_ex_U_batch_title" if batch_u else TITLES[s.phase]
                lines.append((Text(self.t(title), title_style), MUST))
                lines.extend(self._phase(s))
        if s.diverged_at is not None:
            lines.append((Text(self.t("ui_ex_diverged", epoch=s.diverged_at), self.style("explain--remark")), MUST))
            lines.append((Text(self.t("ui_next_diverged"), self.style("explain--hint")), HINT))
        else:
            key, action = next_key(s)
            lines.append((Text(self.t("ui_next", k=key, action=self.t(action)), self.style("explain--hint")), HINT))
        return lines

    def rows(self, s: Snapshot) -> list[Text]:
        width, height = max(self.size.width, 10), max(self.size.height, 1)
        console = self.app.console
        blocks = []
        for text, priority in self.content(s):
            plain = text.plain
            if "\n" not in plain and (len(plain) if one_cell_each(plain) else cell_len(plain)) <= width:
                # fits: no word wrapping to do
                blocks.append(([text], priority))
                continue
            wrapped = text.wrap(console, width, overflow="fold")
            blocks.append((list(wrapped), priority))
        lines = [line for lines, _ in blocks for line in lines]
        if len(lines) > height:
            # too short for every line: the most important first, the rest a page down
            blocks.sort(key=lambda block: block[1])  # stable: the notes' order within a level
            lines = [line for lines, _ in blocks for line in lines]
        start, end = self.pager.window(len(lines), height)
        if self._title[1:] != (mark(self.lang, *self.pager.hidden),):
            self.call_after_refresh(self._show_title)  # not while drawing: a new title repaints the panel
        # one Text per row, a line's own style as its first span (as joining the rows would make it)
        return [Text(end="").append_text(line) for line in lines[start:end]] or [Text("", end="")]


__all__ = ["ExplainPanel", "local_error", "next_key"]
