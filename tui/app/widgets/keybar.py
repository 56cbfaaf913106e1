"""The footer: the keys of DESIGN §5 in the chosen language, the next micro-step's key emphasised.

Textual's Footer takes its labels from the BINDINGS, fixed when the class is made; this one is
drawn through tui/text/i18n.py (the message catalogs) so `l` switches it with the rest, and it drops
the least used keys (all of them are on the `?` screen) rather than cutting labels in half at 80
columns.

It is clickable (issue 13, item 6: the browser, a presenter with a mouse): a click on an item runs
the App action of its key, through the App's own checks (check_action) as the key would, so a
micro-step in quiz mode asks its question first. "+-" is one item: a click on + or − runs that one,
on the label the first. The items are not links (no @click markup): the rows stay the row cache's,
drawn as before; `--no-mouse` sends no clicks at all.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive

from tui.app.widgets.base import TextPanel
from tui.app.widgets.explain import next_key
from tui.text.keys import bar_actions, bar_items

# (key shown, i18n label, priority: lower survives longer), from the key table (tui/text/keys.py)
KEYS = bar_items()
KEYS_PLAYING = bar_items(playing=True)
ACTIONS = bar_actions()  # (key shown, App action) of each item's keys, in the same order


class KeyBar(TextPanel):
    COMPONENT_CLASSES = {"keybar--key", "keybar--next", "keybar--label"}
    playing: reactive[bool] = reactive(False, repaint=False)

    def _watch_playing(self) -> None:
        self.content_changed()

    def items(self) -> list[tuple[str, str, int]]:
        return [(key, self.t(label), prio) for key, label, prio in (KEYS_PLAYING if self.playing else KEYS)]

    def placed(self) -> list[tuple[int, int, int]]:
        """(index in the table's items, first column, end column) of each item drawn, as render() draws them."""
        width = self.size.width
        items = self.items()
        for cut in range(7, -1, -1):
            kept = [i for i, it in enumerate(items) if it[2] < cut]
            if sum(len(items[i][0]) + len(items[i][1]) + 3 for i in kept) <= width:
                break
        out, x = [], 0
        for i in kept:
            end = x + len(items[i][0]) + len(items[i][1]) + 3
            out.append((i, x, end))
            x = end
        return out

    def action_at(self, x: int) -> str | None:
        """The App action a click at column x runs; None between items or past the last."""
        for i, start, end in self.placed():
            if start <= x < end:
                keys = ACTIONS[i]
                col = start + 1  # the item is " key label ": its keys start after the space
                for shown, action in keys:
                    if col <= x < col + len(shown):
                        return action
                    col += len(shown)
                return keys[0][1]
        return None

    async def on_click(self, event) -> None:
        # a click sent before a key opened an overlay arrives behind it: the App's keys do not run behind
        # an overlay, nor do its items (tui/app/screens/base.py)
        action = self.action_at(event.x) if self.screen is self.app.screen else None
        if action is not None:
            event.stop()
            await self.app.run_action(action)

    def _next(self) -> str | None:
        s = self.snapshot
        return next_key(s)[0] if s is not None and s.diverged_at is None and not self.playing else None

    def content_key(self) -> tuple:
        return self._next(), self.playing, self.lang, self.size.width

    def render(self) -> Text:
        nxt = self._next()
        items = self.items()
        kept = [items[i] for i, _, _ in self.placed()]
        out = Text(no_wrap=True, overflow="crop", end="")
        for key, label, _ in kept:
            out.append(" ")
            out.append(f"{key}", self.style("keybar--next" if key == nxt else "keybar--key"))
            out.append(f" {label} ", self.style("keybar--label"))
        return out
