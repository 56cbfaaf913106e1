"""Which Textual the app runs on: the pin, the rendering switch, and the check made at start.

The pin (PIN, the same as pyproject.toml's) is the range the tests pass on. Below it the app does
not run at all (8.2.0–8.2.4 lack `Theme(ansi=…)`, tui/app/themes.py). Above it only the stock
rendering is allowed (BACKPROP_TUI_RENDERING=stock, see tui/app/internals/__init__.py): it uses
Textual's public API alone, which a minor release keeps, while the private pieces of this package
are checked against each new release before the pin moves. Either way the app stops with one line
(Unsupported is an ImportError: tui/main.py prints it), not a traceback.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import textual

from tui.text.i18n import t

PIN = "textual>=8.2.5,<8.3"
OLDEST = (8, 2, 5)  # Theme(ansi=...) exists from here on
NEWER_THAN_CHECKED = (8, 3)  # from here on, only the stock rendering
RENDERING_VARIABLE = "BACKPROP_TUI_RENDERING"
MODES = {"": "fast", "fast": "fast", "stock": "stock"}

# The private names the fast rendering needs: (module, object in it or "", attribute).
# An attribute that Textual sets in __init__ (an instance's, not the class's) is looked for among
# the names that __init__ uses.
REQUIRED = (
    ("textual._compositor", "", "Compositor"),
    ("textual._compositor", "", "CompositorUpdate"),
    ("textual._compositor", "", "LayoutUpdate"),
    ("textual._compositor", "Compositor", "render_partial_update"),
    ("textual._compositor", "Compositor", "render_full_update"),
    ("textual._compositor", "Compositor", "render_update"),
    ("textual._compositor", "ChopsUpdate", "chops"),
    ("textual._compositor", "ChopsUpdate", "spans"),
    ("textual._compositor", "ChopsUpdate", "chop_ends"),
    ("textual._compositor", "LayoutUpdate", "strips"),
    ("textual.screen", "Screen", "_compositor"),
    ("textual.app", "App", "_background_screens"),
)


class Unsupported(ImportError):
    """The installed Textual (or the switch's value) does not let the app start: one line."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(t(key, "en", **values))
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def rendering_mode(value: str | None) -> str:
    """'fast' or 'stock' from the environment variable's value; another value is refused."""
    mode = MODES.get((value or "").strip().lower())
    if mode is None:
        raise Unsupported("app_rendering_unknown", variable=RENDERING_VARIABLE, value=value)
    return mode


def textual_version() -> str:
    """The installed Textual's version, from its dist-info folder beside the package (importing
    importlib.metadata for it would cost ~30 ms of start-up), else from importlib.metadata."""
    here = Path(textual.__file__).parent.parent  # not resolved: the folder it was imported from
    try:
        found = [
            m.group(1)
            for p in here.iterdir()
            if (m := re.fullmatch(r"textual-([^-]+)\.(?:dist|egg)-info", p.name, re.IGNORECASE))
        ]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0]
    # start-up time: only when the folder does not say (another kind of install)
    from importlib.metadata import version

    return version("textual")


def version_tuple(version: str) -> tuple[int, ...]:
    """(8, 2, 5) from '8.2.5' (a pre-release's suffix is left out: '8.3.0a1' → (8, 3, 0))."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def missing_private_names() -> list[str]:
    """The names of REQUIRED the installed Textual lacks, as module[.object].attribute."""
    missing = []
    for module_name, owner, attribute in REQUIRED:
        try:
            target: object = importlib.import_module(module_name)
        except ImportError:
            missing.append(module_name)
            continue
        if owner:
            target = getattr(target, owner, None)
            if target is None:
                missing.append(f"{module_name}.{owner}")
                continue
        if hasattr(target, attribute):
            continue
        init = getattr(getattr(target, "__init__", None), "__code__", None)
        if init is None or attribute not in init.co_names:
            missing.append(".".join(filter(None, (module_name, owner, attribute))))
    return missing


def check(*, stock: bool, version: str | None = None) -> None:
    """Raise Unsupported when the app cannot start on the installed Textual in this mode."""
    version = textual_version() if version is None else version
    numbers = version_tuple(version)
    if numbers < OLDEST:
        raise Unsupported("app_textual_old", version=version, pin=PIN)
    if stock:
        return
    if numbers >= NEWER_THAN_CHECKED:
        raise Unsupported("app_textual_new", version=version, pin=PIN, variable=RENDERING_VARIABLE)
    missing = missing_private_names()
    if missing:
        raise Unsupported(
            "app_textual_missing", version=version, names=", ".join(missing), pin=PIN, variable=RENDERING_VARIABLE
        )


__all__ = [
    "PIN",
    "RENDERING_VARIABLE",
    "Unsupported",
    "rendering_mode",
    "textual_version",
    "check",
    "missing_private_names",
]
