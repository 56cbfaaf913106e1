"""The status line: model, epoch, sample i of m, phase, η and the activations; the notice beside it."""
from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from engine import activations
from tui.app.widgets.base import TextPanel
from tui.text import fmt


class StatusLine(TextPanel):
    """One no-wrap row (app.tcss: text-wrap nowrap, text-overflow ellipsis): repaints only when it changes."""

    COMPONENT_CLASSES = {"status--phase", "status--playing", "status--sep", "status--warning"}
    playing: reactive[bool] = reactive(False, repaint=False)

    def _watch_playing(self) -> None:
        self.content_changed()

    _outside: tuple = (None, None, False)  # (Y, output, any target outside): the data seldom changes

    def _targets_outside(self, s) -> bool:
        Y, output, outside = self._outside
        if Y is not s.Y or output != s.output:
            outside = bool(activations.outside_range(s.output, s.Y).any())
            self._outside = (s.Y, s.output, outside)
        return outside

    def render(self) -> Text:
        s = self.snapshot
        if s is None:
            return Text("")
        sep = (" │ ", self.style("status--sep"))
        phase = self.t("ui_phase_" + s.phase.value)
        acts = self.t("ui_status_act", hidden=s.hidden, output=s.output)
        if self.size.width < 100:  # compact: "F2 forward" without "· output layer"
            phase = phase.split(" · ")[0]
            acts = f"{s.hidden}/{s.output}"
        parts = [
            (s.name, "bold"),
            sep,
            (self.t("ui_status_epoch", epoch=s.epoch + 1), None),
            sep,
            (self.t("ui_status_sample", i=s.sample + 1, m=s.m), None),
            sep,
            (phase, self.style("status--phase")),
            sep,
            (f"η = {self.short(s.lr)}" if self.size.width >= 100 else f"η {self.short(s.lr)}", None),
            sep,
            (acts, None),
        ]
        if self.playing:
            parts += [sep, (self.t("ui_playing"), self.style("status--playing"))]
        if self._targets_outside(s):  # issue 12, item 5: a warning, not a refusal; first, so 80 columns show it
            span = fmt.value_range(s.output, self.comma)
            warning = self.t("ui_status_target", range=span) if self.size.width >= 100 else f"⚠ y ∉ {span}"
            parts[1:1] = [sep, (warning, self.style("status--warning"))]
        return Text.assemble(*parts, no_wrap=True, overflow="ellipsis", end="")
