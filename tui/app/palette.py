"""The command palette (ctrl+p, Textual's convention): every key of the key table, found by its name.

A student who forgot a key types part of what it does ("surf", "superf") and runs it from the list.
The names are the key table's (tui/text/keys.py palette_commands: a key's help label, or its own name
where neighbours share one), in the app's language at the moment of the search, so after `l` the
palette searches the Portuguese names; each entry also says its key ("key h"), to be learnt.

Textual's API throughout: the App's `get_system_commands` yields one SystemCommand per key, and
`KeyCommands` (a command Provider, the App's only entry in COMMANDS) searches them with Textual's
fuzzy matcher. Choosing one runs the key's App action through `App.run_action`, as the key binding
and a click on the key bar do, so check_action and the Stepper's refusals apply as to the key
(a micro-step refused in this phase leaves the same notice). Textual's own system commands (its
theme picker, a screenshot written to the working folder, its key panel) are not offered: the app
has its own keys for those, in its languages, and writes files only where it is told to.

`KeyPalette` is Textual's CommandPalette with what the app needs of every screen:
- idle costs nothing: its input's cursor does not blink (a timer waking the app twice a second, as
  tui/app/widgets/steady_input.py) and its loading indicator does not animate (16 wake-ups a second
  while open; the search is over the key table's few dozen names, done at once);
- its text is bounded (VALUE_LENGTH characters: untrusted input never grows without end);
- its placeholder, and the line shown when nothing matches, are in the app's language.
The palette takes every key typed into its box; the App's keys (q among them) do nothing while it is
on top (a ModalScreen, as every screen over the main one: the App's bindings stop there, and no key
of the table names it in its `over`); ctrl+q still quits, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.widgets import LoadingIndicator

from tui.app.widgets.steady_input import VALUE_LENGTH
from tui.text.i18n import t
from tui.text.keys import palette_commands, written

if TYPE_CHECKING:
    from textual.app import App


def key_commands(app: App, lang: str) -> Iterable[SystemCommand]:
    """One SystemCommand per key of the table (the palette's own aside), named in `lang`: its help line
    says the key, and choosing it runs the key's App action as the key would."""
    for key, name in palette_commands(lang):
        yield SystemCommand(
            name, escape(t("ui_palette_key", lang, shown=written(key, lang))), partial(app.run_action, key.action)
        )


class KeyCommands(Provider):
    """The key table's commands, in the app's language now: all of them before anything is typed,
    then those whose name matches what is typed (best first); a line that says so when none does."""

    def _commands(self) -> list[SystemCommand]:
        return list(self.app.get_system_commands(self.screen))

    async def discover(self) -> Hits:
        for name, help_text, callback, _ in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, help_text, callback, _ in self._commands():
            score = matcher.match(name)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
        if not found:  # instead of Textual's English "No matches found": the help page, which lists every key
            lang = getattr(self.app, "lang", "en")
            line = t("ui_palette_none", lang, query=query)
            yield Hit(0.0, Content(line), partial(self.app.run_action, "help"), text=line)


class KeyPalette(CommandPalette):
    """Textual's command palette, quiet when idle, bounded and in the app's language (see the module)."""

    # PgUp / PgDn move the highlight a page through the public OptionList API: Textual's own page
    # move reads the list's drawn lines, which do not exist while the terminal is too small to show
    # any (resized under the open palette), and raised KeyError there (found by tests/keymash.py).
    BINDINGS = [Binding("pagedown", "page(1)", show=False), Binding("pageup", "page(-1)", show=False)]

    async def on_event(self, event: events.Event) -> None:
        """A click beyond the screen (sent before a resize that shrank it caught up) is dropped: Textual's
        click handler asks for the widget there and raised NoWidget, ending the app (found by the random
        terminal test). A click on the screen still closes the palette as Textual's does."""
        if isinstance(event, events.Click) and not self.region.contains(int(event.screen_x), int(event.screen_y)):
            return
        await super().on_event(event)

    def dismiss(self, result=None) -> AwaitComplete:
        """Textual's, once: Screen.dismiss pops whatever screen is on top, so a second Esc (or Enter)
        handled before the first had closed the palette popped the main screen and ended the app with
        ScreenStackError (the random terminal test found it). The App's own screens close the same way
        (screens/base.py TopScreen.close)."""
        stack = self.app.screen_stack if self.is_attached else []
        if not stack or stack[-1] is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    def action_page(self, direction: int) -> None:
        commands = self.query_one(CommandList)
        if not commands.option_count:
            return
        page = max(1, commands.scrollable_content_region.height // 2)  # a command takes about two lines
        here = commands.highlighted
        target = (0 if direction > 0 else commands.option_count - 1) if here is None else here + direction * page
        commands.highlighted = min(max(target, 0), commands.option_count - 1)

    def __init__(self, lang: str) -> None:
        super().__init__(placeholder=t("ui_palette_placeholder", lang), id="--command-palette")

    def on_mount(self) -> None:
        # Textual's own mount handler (CommandPalette._on_mount) has run, and the children are mounted
        for box in self.query(CommandInput):
            box.cursor_blink = False
            box.max_length = VALUE_LENGTH
        for indicator in self.query(LoadingIndicator):
            indicator.auto_refresh = None


__all__ = ["KeyCommands", "KeyPalette", "key_commands"]
