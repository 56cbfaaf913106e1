"""What every screen shown over the main one shares (issues 9 and 20): one kind of screen, Textual's
ModalScreen, the App's keys that still work over it taken from the key table, and a close that can be
asked for twice.

Keys. A ModalScreen's bindings come first and the App's bindings below it do not run (Textual's
modal binding chain), so `s` in the editor does not finish a sample behind it and `w` in help does
not push a second editor (DuplicateIds before, issue 9). The App's keys that still work over an
overlay are the key table's: a Key's `over` names the overlays it works over (tui/text/keys.py,
passes_over), and TopScreen binds each of them to the App's action ("app.export") after the
screen's own bindings, so a key the screen takes itself stays its own. No screen lists or binds App
keys by hand (tests/tui/app/test_overlays.py). ctrl+q (Textual's quit, a priority binding) works
everywhere; Textual's own screen keys (Tab's focus_next …) are left alone. Each overlay's own keys and
the App's it passes on: docs/KEYS.md, "Screens over the main one" (checked against the key table). The
command palette (ctrl+p) is Textual's CommandPalette, a ModalScreen too: no App key passes it.

The overlays are opaque (app.tcss: `Screen { background: $background }` holds for them too, where a
ModalScreen would dim the screen below), so they look as the plain screens they were.

Closing. Screen.dismiss pops whatever screen is on top, so a second dismiss (two Enters sent at
once to the file prompt) popped the screen below or raised ScreenStackError. `close` dismisses
only while this screen is the one on top, and says whether it did.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from engine import gradcheck
from tui.text.keys import passes_over


def app_bindings(overlay: str) -> list[BindingType]:
    """The bindings that hand the key table's keys for `overlay` (one of tui/text/keys.py OVERLAYS) on to
    the App's actions."""
    return [Binding(key.binding, f"app.{key.action}", show=False) for key in passes_over(overlay)]


class TopScreen(ModalScreen):
    """A screen pushed over the main one. A subclass that is an overlay names itself (OVERLAY, a name of
    tui/text/keys.py OVERLAYS); the App's keys the key table lets through it are bound after its own."""

    OVERLAY: ClassVar[str] = ""
    SHOWS_NOTICE = False  # True: it shows the App's notice (notice_text) itself, so the App need not toast it

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "OVERLAY" in cls.__dict__:  # before Textual merges the class's BINDINGS (DOMNode.__init_subclass__)
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", ()), *app_bindings(cls.OVERLAY)]
        super().__init_subclass__(**kwargs)

    @property
    def on_top(self) -> bool:
        """This screen is the one the keys go to (not dismissed, nothing pushed over it)."""
        if not self.is_attached:
            return False
        stack = self.app.screen_stack
        return bool(stack) and stack[-1] is self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen's own keys too do nothing once the app is closing."""
        return not getattr(self.app, "closing", False)

    def close(self, result: object = None) -> bool:
        """Dismiss this screen once; False (and nothing done) when it is not the one on top."""
        if not self.on_top:
            return False
        self.dismiss(result)
        return True


class ViewScreen(TopScreen):
    """A view of the App's moment (the activation view, the comparison, the depth view, the surface):
    it redraws (`_redraw`) when it is mounted, resized, and when one of the App's reactives in FOLLOWS
    changes (play may go on underneath)."""

    FOLLOWS: tuple[str, ...] = ("snapshot", "lang", "notice_text")

    def on_mount(self) -> None:
        for attribute in self.FOLLOWS:
            self.watch(self.app, attribute, self._redraw, init=False)
        self._redraw()

    def on_resize(self) -> None:
        self._resized()

    def _resized(self) -> None:
        self._redraw()

    def _redraw(self, *_: object) -> None:
        raise NotImplementedError


class PicksParameter:
    """↑ ↓ pick one of the nine parameters in the notes' order (engine.gradcheck.KEYS), w₁₁⁽²⁾ first (the
    notes' §2.5 and exercise 2(d)), stopping at the ends: the gradient check (g) and the chain view (C).
    The screen redraws with `_redraw`."""

    FIRST_KEY = gradcheck.FIRST_KEY
    PICK_BINDINGS = [Binding("up", "pick(-1)", show=False), Binding("down", "pick(1)", show=False)]
    key: tuple = FIRST_KEY

    def action_pick(self, step: int) -> None:
        keys = gradcheck.KEYS
        k = min(max(keys.index(self.key) + step, 0), len(keys) - 1)
        if keys[k] != self.key:
            self.key = keys[k]
            self._redraw()  # type: ignore[attr-defined]


__all__ = ["PicksParameter", "TopScreen", "ViewScreen", "app_bindings"]
