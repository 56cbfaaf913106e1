"""The footer: the keys of DESIGN §5 in the chosen language, the next micro-step's key emphasised.

Textual's Footer takes its labels from the BINDINGS, fixed when the class is made; this one is
drawn from the i18n tables so `l` switches it with the rest, and it drops the least used keys
(all of them are on the `?` screen) rather than cutting labels in half at 80 columns.
"""
from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from tui.app.widgets.base import TextPanel
from tui.app.widgets.explain import next_key
from tui.text.keys import bar_items

# (key shown, i18n label, priority: lower survives longer), from the key table (tui/text/keys.py)
KEYS = bar_items()
KEYS_PLAYING = bar_items(playing=True)


class KeyBar(TextPanel):
    COMPONENT_CLASSES = {"keybar--key", "keybar--next", "keybar--label"}
    playing: reactive[bool] = reactive(False, repaint=False)

    def _watch_playing(self) -> None:
        self.content_changed()

    def items(self) -> list[tuple[str, str, int]]:
        return [(key, self.t(label), prio) for key, label, prio in (KEYS_PLAYING if self.playing else KEYS)]

    def _next(self) -> str | None:
        s = self.snapshot
        return next_key(s)[0] if s is not None and s.diverged_at is None and not self.playing else None

    def content_key(self) -> tuple:
        return self._next(), self.playing, self.lang, self.size.width

    def render(self) -> Text:
        width = self.size.width
        nxt = self._next()
        items = self.items()
        for cut in range(7, -1, -1):
            kept = [it for it in items if it[2] < cut]
            if sum(len(k) + len(lab) + 3 for k, lab, _ in kept) <= width:
                break
        out = Text(no_wrap=True, overflow="crop", end="")
        for key, label, _ in kept:
            out.append(" ")
            out.append(f"{key}", self.style("keybar--next" if key == nxt else "keybar--key"))
            out.append(f" {label} ", self.style("keybar--label"))
        return out
