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

# (key shown, i18n label, priority: lower survives longer)
KEYS = (
    ("f", "ui_key_forward", 0),
    ("b", "ui_key_backward", 0),
    ("u", "ui_key_update", 0),
    ("␣", "ui_key_step", 2),
    ("s", "ui_key_sample", 2),
    ("e", "ui_key_epoch", 2),
    ("p", "ui_key_play", 1),
    ("z", "ui_key_undo", 1),
    ("y", "ui_key_redo", 3),
    ("a", "ui_key_activation", 4),
    ("+-", "ui_key_lr", 4),
    ("r", "ui_key_reset", 3),
    ("g", "ui_key_gradcheck", 5),
    ("v", "ui_key_activation_view", 5),
    ("x", "ui_key_export", 5),
    ("W", "ui_key_sweep", 6),
    ("L", "ui_key_log", 6),
    ("l", "ui_key_lang", 6),
    ("t", "ui_key_theme", 6),
    ("k", "ui_key_quiz", 4),
    ("w", "ui_key_edit", 5),
    ("o", "ui_key_open", 6),
    ("^s", "ui_key_save", 6),
    ("?", "ui_key_help", 0),
    ("q", "ui_key_quit", 0),
)


class KeyBar(TextPanel):
    COMPONENT_CLASSES = {"keybar--key", "keybar--next", "keybar--label"}
    playing: reactive[bool] = reactive(False, repaint=False)

    def _watch_playing(self) -> None:
        self.content_changed()

    def items(self) -> list[tuple[str, str, int]]:
        out = []
        for key, label, prio in KEYS:
            if key == "p" and self.playing:
                label = "ui_key_pause"
            out.append((key, self.t(label), prio))
        return out

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
