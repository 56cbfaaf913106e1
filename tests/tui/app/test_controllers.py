"""The App's jobs live in controllers (tui/app/controllers/) that see the App only through Host:
no mixins on BackpropApp, no private attribute of the App read or set by a controller, every App
attribute a controller uses declared in Host, and the App has each of them."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App

from engine import presets
from tui.app import controllers
from tui.app.app import BackpropApp
from tui.app.host import Host

CONTROLLERS = sorted(
    p for p in Path(controllers.__file__).parent.glob("*.py") if p.name not in ("__init__.py", "host.py")
)


def host_members() -> set[str]:
    return set(Host.__annotations__) | {name for name in vars(Host) if not name.startswith("_")}


def app_attributes(path: Path) -> set[str]:
    """The attributes a controller module reads or sets on the App: `self.app.x`, or `app.x` where
    `app` is a local name for it."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id == "app":
            out.add(node.attr)
        elif (
            isinstance(owner, ast.Attribute)
            and owner.attr == "app"
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "self"
        ):
            out.add(node.attr)
    return out


def test_the_app_has_no_mixins():
    assert BackpropApp.__bases__ == (App,)


def test_there_are_controllers_and_they_use_the_app_only_through_host():
    assert {p.stem for p in CONTROLLERS} >= {"play", "quiz", "edit", "files", "export"}
    members = host_members()
    for path in CONTROLLERS:
        used = app_attributes(path)
        assert used, path.name
        assert not {name for name in used if name.startswith("_")}, path.name
        assert used <= members, (path.name, sorted(used - members))


def test_the_app_is_a_host():
    has = set(dir(BackpropApp(presets.lecture())))  # dir, not hasattr: `screen` raises before the app runs
    assert sorted(host_members() - has) == []


def messages_of_the_app() -> list[type]:
    """Every Message subclass defined in tui/app (its modules all imported first)."""
    import importlib
    import inspect
    import pkgutil

    from textual.message import Message

    import tui.app

    for info in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        importlib.import_module(info.name)
    found, todo = [], [Message]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tui.app") and inspect.getsourcefile(sub):
                found.append(sub)
    return found


def test_no_message_of_the_app_hides_a_name_of_textuals_message():
    """Progress once set `self.stop`, hiding Message.stop(): a handler calling msg.stop() got a str."""
    import inspect
    import textwrap

    from textual.message import Message

    textual_names = set(dir(Message))
    messages = messages_of_the_app()
    assert {m.__qualname__ for m in messages} >= {"Progress", "EpochProgress", "EpochDone"}
    for message in messages:
        tree = ast.parse(textwrap.dedent(inspect.getsource(message)))
        set_here = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        }
        set_here |= {
            node.target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        }
        assert sorted(set_here & textual_names) == [], message.__qualname__


def test_the_play_workers_message_says_why_the_run_ended_and_can_still_be_stopped():
    from tui.app.controllers.play import Progress

    lecture = presets.lecture()
    msg = Progress(1, [0.25], lecture.params, None, "target")
    assert msg.ended == "target"
    assert msg.stop() is msg  # Textual's Message.stop(): the message goes no further up the DOM
