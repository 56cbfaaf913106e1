"""The status line: model, epoch, sample i of m, phase, η and the activations; the notice beside it."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive

from engine import activations, surface
from tui.app.tally import tally
from tui.app.widgets.base import TextPanel
from tui.text import fmt
from tui.text.i18n import act_name, mode_name


class StatusLine(TextPanel):
    """One no-wrap row (app.tcss: text-wrap nowrap, text-overflow ellipsis): repaints only when it changes."""

    COMPONENT_CLASSES = {"status--phase", "status--playing", "status--sep", "status--warning", "status--right"}
    playing: reactive[bool] = reactive(False, repaint=False)
    session: reactive[str] = reactive("", repaint=False)  # a class session's part (controllers/session.py)

    def _watch_playing(self) -> None:
        self.content_changed()

    def _watch_session(self) -> None:
        self.content_changed()

    _outside: tuple = (None, None, False)  # (Y, output, any target outside): the data seldom changes

    def _targets_outside(self, s) -> bool:
        Y, output, outside = self._outside
        if Y is not s.Y or output != s.output:
            outside = bool(activations.outside_range(s.output, s.Y).any())
            self._outside = (s.Y, s.output, outside)
        return outside

    _labels: tuple = (None, False)  # (Y, targets all 0 or 1)

    def _right(self, s) -> str | None:
        """Issue 13, item 4: "right 3/4" (rows on their target's side of 0.5, tui/app/tally.py) when
        the targets are 0/1 labels (a truth table), where right/wrong is what the data asks; T shows each row."""
        Y, labels = self._labels
        if Y is not s.Y:
            labels = surface.labels(s.Y)
            self._labels = (s.Y, labels)
        if not labels:
            return None
        done = tally(s)
        return self.t("ui_pred_status", right=done.n_right, m=done.m)

    def batch_part(self, s, compact: bool) -> str:
        """ "full batch 2/4" (the sample's place in its batch) and "→ per-sample next epoch" when a change
        waits for the epoch boundary; empty in per-sample mode with nothing pending."""
        out = []
        if s.batch is not None:
            r = s.batch_range
            mode = self.t("ui_key_batch") if compact else mode_name(s.batch, s.m, self.lang)
            out.append(self.t("ui_status_batch", mode=mode, i=s.sample - r.start + 1, n=len(r)))
        if s.batch_next is not None:
            out.append(self.t("ui_status_batch_next", mode=mode_name(s.batch_next[0], s.m, self.lang)))
        return " ".join(out)

    def render(self) -> Text:
        s = self.snapshot
        if s is None:
            return Text("")
        sep = (" │ ", self.style("status--sep"))
        phase = self.t("ui_phase_" + s.phase.value)
        hidden, output = act_name(s.hidden, self.lang), act_name(s.output, self.lang)
        acts = self.t("ui_status_act", hidden=hidden, output=output)
        right = self._right(s) if self.size.width >= 100 else None  # roomy: 80 columns have no room for it
        if self.size.width < 100:  # compact: "F2 forward" without "· output layer"
            phase = phase.split(" · ")[0]
            acts = f"{hidden}/{output}"
        elif right is not None:  # the count keeps the room the long activation names would take
            acts = f"{hidden}/{output}"
        parts: list[tuple[str, str | Style]] = [  # style "": the widget's (Text.append: no span)
            (s.name, "bold"),
            sep,
            (self.t("ui_status_epoch", epoch=s.epoch + 1), ""),
            sep,
            (self.t("ui_status_sample", i=s.sample + 1, m=s.m), ""),
            sep,
            (phase, self.style("status--phase")),
            sep,
            (f"η = {self.short(s.lr)}" if self.size.width >= 100 else f"η {self.short(s.lr)}", ""),
            sep,
            (acts, ""),
        ]
        if right is not None:
            parts[5:5] = [sep, (right, self.style("status--right"))]
        batch = self.batch_part(s, compact=self.size.width < 100)
        if batch:  # after the sample: which mode and where in its batch (issue 19); nothing per-sample
            parts[5:5] = [sep, (batch, self.style("status--phase"))]
        if self.playing:
            parts += [sep, (self.t("ui_playing"), self.style("status--playing"))]
        if self._targets_outside(s):  # issue 12, item 5: a warning, not a refusal; first, so 80 columns show it
            span = fmt.value_range(s.output, self.comma)
            warning = self.t("ui_status_target", range=span) if self.size.width >= 100 else f"⚠ y ∉ {span}"
            parts[1:1] = [sep, (warning, self.style("status--warning"))]
        if self.session:  # first after the name: "exploring; F to follow" must show at 80 columns
            parts[1:1] = [sep, (self.session, self.style("status--playing"))]
        return Text.assemble(*parts, no_wrap=True, overflow="ellipsis", end="")
