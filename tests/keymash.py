"""Mashing keys at the app (issue 9): every key of every screen, bursts without pauses, resizes.

Shared by tests/tui/app/test_keys.py (a few hundred keys in CI) and benchmarks/fuzz_keys.py (20 × 3 000 keys).

The keys come from the app's own tables, so a key added to any screen is mashed without anyone
editing a list: the BINDINGS of BackpropApp (with Textual's App and Screen bindings it inherits),
of every screen that can be on top (tui/app/screens/base.TopScreen's subclasses) and of the widgets
that take keys there (OptionList in the editor, the Input boxes of the file prompt, the editor and
the quiz, the quiz bar). What those boxes accept is typed too: digits, letters, `.`, `,`, `-` and
the markup characters `[ ] / =`.

A mash is a list of actions drawn from a seed:
    ("press", key)        pilot.press: the key, then Textual's pauses until the app is idle
    ("burst", keys)       the keys sent as the terminal driver sends them, with no pause between
                          (`o Enter Enter` from tmux was a ScreenStackError)
    ("resize", w, h)      a terminal resize, often across 80×24 (too small) and 110×38 (roomy)
    ("paste", text)       a bracketed paste into whatever has the focus (markup, line breaks, escapes)
    ("click", x)          a mouse click at column x of the bottom row: the clickable key bar on the main
                          screen (issue 13), whatever is there on a screen over it
q and ctrl+q end the app: the mash goes on in a fresh one (run_mash counts the runs).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import random
import time
import unicodedata
from dataclasses import dataclass, field

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.screen import Screen
from textual.widgets import Input, OptionList

from engine import presets
from tui.app.app import MIN_SIZE, WIDE_SIZE, BackpropApp
from tui.app.screens.base import TopScreen
from tui.app.widgets.quiz import QuizBar

TYPED = list("0123456789.,-eax[]/=") + ["space", "backspace"]
# what a terminal pastes (bracketed paste) into whatever has the focus: markup, line breaks, escapes
PASTES = ["[x=", "[/]", "model[v2].toml", "0,3825", "-1e400", "a\nb", "\x1b[2J\x1b]0;title\x07", "9" * 400]
# sizes on both sides of both thresholds, tiny ones, and the usual ones
SIZES = [
    (1, 1),
    (10, 4),
    (40, 12),
    (MIN_SIZE[0] - 1, MIN_SIZE[1]),
    (MIN_SIZE[0], MIN_SIZE[1] - 1),
    MIN_SIZE,
    (MIN_SIZE[0] - 3, MIN_SIZE[1] - 3),
    (WIDE_SIZE[0] - 1, WIDE_SIZE[1]),
    WIDE_SIZE,
    (WIDE_SIZE[0], WIDE_SIZE[1] - 1),
    (100, 30),
    (120, 40),
    (200, 60),
]


def screen_names() -> set[str]:
    """The names of every screen a key can open: the TopScreen subclasses that are not a base of others
    and name an OVERLAY (the session's NameScreen, which a browser tab opens first, names none)."""
    screens = _screens()
    return {
        cls.__name__
        for cls in screens
        if cls.OVERLAY and not any(other is not cls and cls in other.__mro__ for other in screens)
    }


def _screens() -> list[type[Screen]]:
    """Every TopScreen subclass, after importing every module of tui (screens are imported lazily)."""
    import tui.app

    for info in pkgutil.walk_packages(tui.app.__path__, "tui.app."):  # every screen is in the app's package
        importlib.import_module(info.name)
    out, todo = [], [TopScreen]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def _keys_of(cls: type) -> list[str]:
    keys = []
    for klass in cls.__mro__:
        for b in klass.__dict__.get("BINDINGS", ()):
            spec = b.key if isinstance(b, Binding) else b[0]
            keys.extend(k.strip() for k in spec.split(",") if k.strip())
    return keys


def all_keys() -> list[str]:
    """Every key bound anywhere in the app, then what its input boxes take; no duplicates."""
    from tui.app.palette import KeyPalette  # the command palette (ctrl+p): Textual's screen, not a TopScreen

    classes = [BackpropApp, App, Screen, *_screens(), KeyPalette, OptionList, Input, QuizBar]
    keys = [k for cls in classes for k in _keys_of(cls)] + TYPED
    return list(dict.fromkeys(keys))


KEYS = all_keys()
QUIT_KEYS = [k.strip() for b in (*BackpropApp.BINDINGS, *App.BINDINGS) for k in b.key.split(",") if b.action == "quit"]
SCREEN_KEYS = [
    k.strip()
    for b in BackpropApp.BINDINGS
    for k in b.key.split(",")
    if b.action
    in {
        "edit",
        "open",
        "save",
        "help",
        "activation_view",
        "gradcheck",
        "sweep",
        "depth",
        "compare",
        "quiz",
        "predictions",
        "chain",
        "command_palette",
    }
]


def key_event(key: str) -> events.Key:
    """The Key event the terminal driver sends for `key` (as Textual's Pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send_at_once(app, keys) -> None:
    """Queue the keys on the driver back to back, as a fast typist or `tmux send-keys a b c` does."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)


# what the oracle mash (tests/screenoracle.py) draws more often: the micro-steps, so that every phase is
# shown, and the settings that change between steps (η, activation, language, undo/redo, reset, quiz)
STEP_KEYS = ["f", "b", "u", "space", "s"] * 3 + ["plus", "minus", "a", "l", "z", "y", "r", "k", "x", "e"]


def mash(seed: int, n: int, extra: list[str] = ()) -> list[tuple]:
    """n keys drawn from KEYS (screen keys and Enter more often, so screens open and get used, and the
    keys of `extra` once more each), some in bursts, with a resize now and then."""
    rng = random.Random(seed)
    # q and ctrl+q end the app: drawn as often as any key they would end a mash every ~60 keys,
    # and starting the next app costs more than the keys between; they come one key in 300.
    weighted = [k for k in KEYS if k not in QUIT_KEYS] + SCREEN_KEYS * 3 + ["enter", "escape"] * 4 + list(extra)

    def key() -> str:
        return rng.choice(QUIT_KEYS) if rng.random() < 1 / 300 else rng.choice(weighted)

    out: list[tuple] = []
    left = n
    while left > 0:
        roll = rng.random()
        if roll < 0.05:
            out.append(("resize", *rng.choice(SIZES)))
        elif roll < 0.07:
            out.append(("paste", rng.choice(PASTES)))
        elif roll < 0.12:
            out.append(("click", rng.randrange(0, 120)))
            left -= 1
        elif roll < 0.60:
            burst = [key() for _ in range(rng.randint(2, 8))]
            out.append(("burst", burst))
            left -= len(burst)
        else:
            out.append(("press", key()))
            left -= 1
    return out


def describe(action: tuple) -> str:
    if action[0] == "resize":
        return f"{action[1]}x{action[2]}"
    if action[0] == "burst":
        return "{" + " ".join(action[1]) + "}"
    if action[0] == "paste":
        return f"paste:{action[1]!r}"
    if action[0] == "click":
        return f"click:{action[1]}"
    return action[1]


@dataclass
class MashResult:
    seed: int
    runs: int = 1  # apps started: q ends one, the mash goes on in the next
    error: BaseException | None = None
    done: list[tuple] = field(default_factory=list)  # the actions sent, up to the failure
    run_start: int = 0  # where in `done` the last app run began: its actions alone reproduce a failure
    screens: set[str] = field(default_factory=set)  # the screens that were on top after some action
    oracle: object | None = None  # a screenoracle.Oracle: what the screen says is checked after each action
    # (violation, the actions of its app run up to it): each alone reproduces it in a fresh app
    findings: list[tuple[str, list[tuple]]] = field(default_factory=list)
    known_findings: list[tuple[str, list[tuple]]] = field(default_factory=list)


def new_app(folder: str, preset="lecture", **options) -> BackpropApp:
    """An app whose files go to `folder`: exports (x) and the prompts' default model file (o, ctrl+s).
    `preset` is a preset's name or a Model; `options` go to BackpropApp (lang, comma)."""
    app = BackpropApp(presets.load(preset) if isinstance(preset, str) else preset, **options)
    app.export_dir = os.path.join(folder, "exports")
    app.model_files.model_path = os.path.join(folder, "model.toml")
    return app


async def _drive(app: BackpropApp, actions: list[tuple], result: MashResult, start: int, size=(120, 40)) -> int:
    """Run actions from `start` until they end or the app exits; the index reached."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        k = start
        while k < len(actions) and app.is_running and not app.closing and app._exception is None:
            action = actions[k]
            result.done.append(action)
            k += 1
            since = time.time() - 1  # exports written by this action (x) are newer
            if action[0] == "resize":
                await pilot.resize_terminal(action[1], action[2])
            elif action[0] == "burst":
                send_at_once(app, action[1])
                await pilot.pause()
            elif action[0] == "paste":
                app._driver.send_message(events.Paste(action[1]))
                await pilot.pause()
            elif action[0] == "click":
                width, height = app.size
                if 0 <= action[1] < width and height > 0:  # Pilot refuses a click outside the screen
                    await pilot.click(offset=(action[1], height - 1))
            else:
                await pilot.press(action[1])
            if app.screen_stack:
                result.screens.add(type(app.screen).__name__)
            if result.oracle is not None:
                await _check(app, pilot, action, result, since)
        if app.is_running and not app.closing:
            await check_sane(app, pilot)
    return k


def _sends(action: tuple, key: str) -> bool:
    return (action[0] == "press" and action[1] == key) or (action[0] == "burst" and key in action[1])


async def _check(app: BackpropApp, pilot, action: tuple, result: MashResult, since: float) -> None:
    """The oracle's checks of what the app shows after `action` (and of what x wrote)."""
    if not app.is_running or app.closing or app._exception is not None:
        return
    await pilot.pause()
    context = describe(action)
    known = len(result.oracle.known)
    found = result.oracle.check(app, context)
    if _sends(action, "x") and os.path.isdir(app.export_dir):
        found += result.oracle.check_exports(app.export_dir, since, context)
    for violation in found:
        result.findings.append((violation, list(result.done[result.run_start :])))
    for violation in result.oracle.known[known:]:  # in areas other branches fix (screenoracle.KNOWN)
        result.known_findings.append((violation, list(result.done[result.run_start :])))


async def check_sane(app: BackpropApp, pilot) -> None:
    """After the mash the app still works: Esc closes what is open and the panels answer a key."""
    app.play.pause(quiet=True)
    # A key of the mash may still open a screen after the first Esc (on a loaded machine the burst is
    # still being handled): Esc until the main screen is on top, a bounded number of times.
    for _ in range(2 * (len(app.screen_stack) + 4)):
        await pilot.pause()
        screen = app.screen
        if screen is app.screen_stack[0]:
            break
        if getattr(screen, "editing", None) is not None:
            await pilot.press("escape")  # the editor's value box: first Esc stops typing
        await pilot.press("escape")
    await pilot.resize_terminal(120, 40)
    await pilot.pause()
    assert app.screen is app.screen_stack[0], f"Esc did not close {app.screen_stack}"
    if app.quiz.on:  # the answer box may have the focus (and take a k): the App's action turns it off
        await app.run_action("quiz")
        await pilot.pause()
    if app.snapshot.diverged_at is not None:
        await pilot.press("r")
    before = app.stepper.position
    await pilot.press("space")
    assert app.stepper.position == before + 1, (
        f"space did not step after the mash: focused {app.focused!r}, quiz {app.quiz}, notice {app.notice_text!r}, "
        f"too small {app.too_small}, playing {app.playing}"
    )


def run_mash(
    seed: int, n: int, folder: str, preset="lecture", oracle=None, extra: list[str] = (), **options
) -> MashResult:
    """Mash n keys (drawn from `seed`, `extra` drawn more often) at fresh apps until the actions are used
    up; never raises. With an `oracle` (tests/screenoracle.py) the screen is checked after every action."""
    actions = mash(seed, n, extra)
    result = MashResult(seed, oracle=oracle)
    k = 0
    cwd = os.getcwd()
    os.chdir(folder)  # a relative path typed into o / ctrl+s lands here, never in the repository
    try:
        while True:
            app = new_app(folder, preset, **options)
            k = asyncio.run(_drive(app, actions, result, k))
            if k >= len(actions):
                break
            result.runs += 1
            result.run_start = len(result.done)
    except BaseException as e:  # noqa: BLE001 - any failure is the finding, reported with its keys
        if isinstance(e, KeyboardInterrupt):
            raise
        result.error = e
    finally:
        os.chdir(cwd)
    return result


def tail(result: MashResult, count: int = 30) -> str:
    """The last `count` actions of the app run that failed (all of them if count is 0)."""
    run = result.done[result.run_start :]
    return " ".join(describe(a) for a in run[-count:] if count) if count else " ".join(describe(a) for a in run)


def replay(actions: list[tuple], folder: str, preset="lecture", oracle=None, size=(120, 40), **options) -> MashResult:
    """Run the given actions (a failing run's, from MashResult.done) in fresh apps (of `size` at first)."""
    result = MashResult(-1, oracle=oracle)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        k = 0
        while k < len(actions):
            k = asyncio.run(_drive(new_app(folder, preset, **options), actions, result, k, size))
    except Exception as e:  # noqa: BLE001
        result.error = e
    finally:
        os.chdir(cwd)
    return result


__all__ = [
    "KEYS",
    "SIZES",
    "STEP_KEYS",
    "replay",
    "describe",
    "all_keys",
    "key_event",
    "send_at_once",
    "mash",
    "run_mash",
    "new_app",
    "tail",
    "MashResult",
    "check_sane",
]
