"""What every screen shown over the main one shares (issue 9): which of the App's keys reach it, and a
close that can be asked for twice.

Keys. Textual lets the App's bindings fire under a plain Screen (help, edit, activation view), so
`s` pressed in the editor used to finish a sample behind it, and `w` in help pushed a second editor
(DuplicateIds). The App asks `app_keys_allowed` before running any action of its own key table
(BackpropApp.check_action): on a screen over the main one only the actions that screen lists in
APP_ACTIONS run. The decision, one line per screen (each screen's own bindings come first):

    help (? F1)           Esc ? F1 q close                     App: x
    edit (w)              Esc w q close, o ctrl+s prompts      App: open, save, help
    file prompt (o ^s)    Esc cancels, Enter confirms          App: none (a modal: typing goes to the box)
    activation view (v)   Esc v q close, o layer               App: f b u space a (it redraws from the
                                                                    App's Snapshot), help, x, l
    gradient check (g)    Esc g q close, + − step size,        App: x, l (it follows the App's Snapshot)
                          ↑ ↓ parameter, m method, Tab table/plot
    chain rule (C)        Esc C q close, ↑ ↓ parameter,         App: f b u space s z y a (it follows the
                          PgDn PgUp page                            App's Snapshot), help, x, l
    sweep (W)             Esc W q close, n e r Tab             App: x
    depth (d)             Esc d q close, ← → + − 0–9 k, a n    App: x (+ the view's JSON), help, l
    comparison (c)        Esc c q close, + − epochs, Tab page,  App: s (it follows the App's Snapshot),
                          x (adds the comparison)                   L, help, l
    predictions (T)       Esc T q close                        App: f b u space s e p z y (it follows the
                                                                    App's Snapshot), help, x, l
    command palette (^p)  typed keys are its text, Enter runs   App: none (Textual's CommandPalette,
                          the chosen key's App action, Esc          tui/app/palette.py; it opens only
                                                                    over the main screen)

ctrl+q (Textual's quit) works everywhere; Textual's own actions (Tab's focus_next …) are not the
App's key table and are left alone.

Closing. Screen.dismiss pops whatever screen is on top, so a second dismiss (two Enters sent at
once to the file prompt) popped the screen below or raised ScreenStackError. `close` dismisses
only while this screen is the one on top, and says whether it did.
"""
from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from engine import gradcheck


class TopScreen(Screen):
    """A screen pushed over the main one. Subclasses list the App actions their keys may run."""

    APP_ACTIONS: frozenset[str] = frozenset()
    SHOWS_NOTICE = False  # True: it shows the App's notice (notice_text) itself, so the App need not toast it

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


def app_keys_allowed(screen: Screen, action: str) -> bool:
    """May an action of the App's key table run while `screen` is on top of the main one?"""
    return action in getattr(screen, "APP_ACTIONS", frozenset())


__all__ = ["PicksParameter", "TopScreen", "ViewScreen", "app_keys_allowed"]
