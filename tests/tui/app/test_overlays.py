"""Every screen over the main one is one kind of screen, Textual's ModalScreen (issue 20), and the App's
keys that still work over each of them are the key table's (tui/text/keys.py Key.over), not a list
kept beside it: each key of the table is pressed over each overlay and the App actions that ran are
the ones the table says."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from textual.binding import Binding
from textual.screen import ModalScreen

from keymash import _screens, screen_names
from tui.app.palette import KeyPalette
from tui.app.screens import base
from tui.text.keys import KEY_TABLE, OVERLAYS, passes_over

# the keys that open each overlay from the main screen
OPENERS = {
    "help": "question_mark",
    "edit": "w",
    "file": "o",
    "gradcheck": "g",
    "activation_view": "v",
    "chain": "C",
    "sweep": "W",
    "depth": "d",
    "compare": "c",
    "predictions": "T",
    "surface": "h",
}


def own_keys(screen) -> set[str]:
    """The keys the screen binds to its own actions (they come first: a key the screen takes is not the App's)."""
    return {
        k.strip()
        for cls in type(screen).__mro__
        for b in cls.__dict__.get("BINDINGS", ())
        if isinstance(b, Binding) and not b.action.startswith("app.")
        for k in b.key.split(",")
    }


def test_every_overlay_is_a_modal_screen_of_the_one_kind():
    screens = _screens()
    assert {cls.__name__ for cls in screens} >= screen_names() and len(screen_names()) == len(OVERLAYS)
    for cls in screens:
        assert issubclass(cls, ModalScreen) and issubclass(cls, base.TopScreen), cls.__name__
    assert sorted(cls.OVERLAY for cls in screens if cls.__name__ in screen_names()) == sorted(OVERLAYS)
    assert issubclass(KeyPalette, ModalScreen)  # Textual's own (ctrl+p): no App key passes it


def test_the_app_keys_an_overlay_passes_on_are_computed_from_the_key_table():
    """No screen lists App actions or binds an App key by hand: its app.* bindings are exactly the
    table's keys for it (passes_over), each once, bound by the key table's names."""
    for cls in _screens():
        assert not hasattr(cls, "APP_ACTIONS"), cls.__name__
        for klass in cls.__mro__:
            if klass.__module__.startswith("tui."):
                tree = ast.parse(inspect.getsource(klass))
                written = [
                    n.value
                    for n in ast.walk(tree)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("app.")
                ]
                assert not written, (klass.__name__, written)  # an App key passed on by hand
        if cls.__name__ not in screen_names():
            continue
        passed = [b for b in cls.BINDINGS if isinstance(b, Binding) and b.action.startswith("app.")]
        table = [Binding(key.binding, f"app.{key.action}") for key in passes_over(cls.OVERLAY)]
        assert [(b.key, b.action) for b in passed] == [(b.key, b.action) for b in table], cls.__name__
    for key in KEY_TABLE:
        assert key.over <= set(OVERLAYS), key.action


def test_only_the_base_screen_module_knows_modal_screens():
    """One mechanism: the screens derive from TopScreen, none from Textual's Screen or ModalScreen itself."""
    folder = Path(base.__file__).parent
    for path in folder.glob("*.py"):
        if path.name != "base.py":
            assert "ModalScreen" not in path.read_text(encoding="utf-8"), path.name


def test_over_each_overlay_exactly_the_tables_app_keys_run(drive):
    """Each key name of the table pressed over each overlay (but the keys the overlay takes itself):
    the App actions that ran are passes_over's, nothing else reached the App."""
    ran: dict[str, set[str]] = {}

    async def scenario(app, pilot):
        for overlay, opener in OPENERS.items():
            await pilot.press(opener)
            await pilot.pause()
            screen = app.screen
            assert getattr(screen, "OVERLAY", None) == overlay
            seen = ran.setdefault(overlay, set())
            for key in KEY_TABLE:  # the App's actions only say they were asked for
                setattr(app, f"action_{key.action}", lambda action=key.action: seen.add(action))
            for key in KEY_TABLE:
                for name in key.names:
                    if name not in own_keys(screen):
                        await pilot.press(name)
            await pilot.pause()
            assert app.screen is screen, overlay
            for key in KEY_TABLE:
                delattr(app, f"action_{key.action}")
            while app.screen is not app.screen_stack[0]:
                await pilot.press("escape")
                await pilot.pause()

    drive(scenario)
    assert ran == {overlay: {key.action for key in passes_over(overlay)} for overlay in OPENERS}


def test_the_keys_page_says_which_main_keys_work_over_each_overlay():
    """docs/KEYS.md's "Screens over the main one": one row per overlay, its last column the table's keys."""
    import re

    from tui.text.keys import key_for

    page = (Path(__file__).parents[3] / "docs" / "KEYS.md").read_text(encoding="utf-8")
    section = page.split("## Screens over the main one", 1)[1].split("\n## ", 1)[0]
    by_opener = {"open": "file", "save": "file", **{o: o for o in OVERLAYS if key_for(o)}}
    named = {name: key.action for key in KEY_TABLE for name in (key.shown, key.spelled, *key.names) if name}
    named["ctrl+s"] = "save"
    rows = {}
    for line in section.splitlines():
        cells = line.strip("|").split("|")
        if len(cells) != 3 or not re.search(r"`", cells[0]):
            continue
        opener = named[re.findall(r"`([^`]+)`", cells[0])[0]]
        rows[by_opener[opener]] = {named[k] for k in re.findall(r"`([^`]+)`", cells[2])}
    assert rows == {overlay: {key.action for key in passes_over(overlay)} for overlay in OVERLAYS}
