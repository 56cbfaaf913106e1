"""The package where Python has no POSIX terminal modules (Windows, issue 20): every module of engine/
and tui/ imports with termios, fcntl, resource, pty and tty missing and without the signals Windows
lacks; the app runs on a driver that needs none of them; and where Textual's own terminal driver
cannot load, `backprop-tui` says so in one line while the command line works.

Each check runs in a fresh interpreter that refuses those modules before anything else is imported
(a sys.meta_path finder), so nothing loaded by the test session can hide an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCKED = ("termios", "fcntl", "resource", "pty", "tty")
NOT_ON_WINDOWS = ("SIGHUP", "SIGQUIT", "SIGTSTP", "SIGCONT")

PRELUDE = f"""
import importlib.abc, signal, sys

class NoPosix(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in {BLOCKED!r}:
            raise ImportError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NoPosix())
for _name in {BLOCKED!r}:
    sys.modules.pop(_name, None)  # the interpreter may have loaded one at start-up: forget it
for _name in {NOT_ON_WINDOWS!r}:
    delattr(signal, _name)
"""


def run_python(code: str, *, driver: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL_DRIVER", "PYTHONWARNINGS", "LANGUAGE")}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    if driver is not None:
        env["TEXTUAL_DRIVER"] = driver
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_the_finder_really_refuses_the_posix_modules():
    """The premise of the other tests: in the fresh interpreter those modules cannot be had."""
    proc = run_python(f"""
import importlib
refused = []
for name in {BLOCKED!r}:
    try:
        importlib.import_module(name)
    except ImportError:
        refused.append(name)
print(refused, [hasattr(signal, n) for n in {NOT_ON_WINDOWS!r}])
""")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{list(BLOCKED)!r} [False, False, False, False]"


def test_every_module_imports_without_termios_fcntl_and_resource():
    proc = run_python("""
import importlib, json, pkgutil
failed, imported = {}, []
for package in ("engine", "tui"):
    for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        if info.name.endswith(".__main__"):  # `python -m tui`: runs the program (tui.main, imported here)
            continue
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception as e:
            failed[info.name] = repr(e)
print(json.dumps({"failed": failed, "imported": imported}))
""")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["failed"] == {}
    # the walk saw the whole package: the app, its widgets and screens, the command line, the host
    assert {
        "tui.main",
        "tui.app.app",
        "tui.app.widgets.network",
        "tui.app.screens.help",
        "tui.cli.commands",
        "tui.cli.webserve",
        "tui.host.terminal",
        "engine.stepper",
    } <= set(result["imported"])
    assert len(result["imported"]) > 80


def test_the_app_runs_on_a_driver_that_needs_no_posix_module():
    """Constructed, driven with keys (f: the hidden layer's forward step) and ended, on a driver whose
    module needs none of them (Textual's headless one, standing in for Windows' own)."""
    proc = run_python(
        """
import asyncio
from engine import presets
from tui.app.app import BackpropApp, terminal_driver

app = BackpropApp(presets.lecture())

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        print(app.stepper.snapshot.phase.name, terminal_driver(app.driver_class))

asyncio.run(main())
print(sorted(m for m in ("termios", "fcntl", "resource", "pty", "tty") if m in sys.modules))
""",
        driver="textual.drivers.headless_driver:HeadlessDriver",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["F1 False", "[]"]


def test_without_termios_the_app_says_why_in_one_line_and_the_command_line_still_works():
    proc = run_python("""
from tui.main import main
sys.exit(main([]))
""")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "backprop-tui: error: cannot start the interactive app: Textual's terminal driver needs the termios "
        "module, which this Python lacks; backprop-tui trace, train, gradcheck and sweep work without it"
    ]
    proc = run_python("""
from tui.main import main
sys.exit(main(["--lang", "pt"]))
""")
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1 and "módulo termios" in proc.stderr
    proc = run_python("""
from tui.main import main
sys.exit(main(["trace"]))
""")
    assert proc.returncode == 0, proc.stderr
    assert "0.7514" in proc.stdout  # the notes' ŷ (DESIGN §2)
