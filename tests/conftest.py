"""Fixtures shared by the tests of every layer (tests/ mirrors engine/ and tui/)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import byhand
from tui.main import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's folder: where `python -m tui` runs from in a subprocess."""
    return ROOT


def python(*argv: str, timeout: float = 60, text: bool = True, **kw) -> subprocess.CompletedProcess:
    """`python ARGV…` in the project's folder; stdout and stderr captured as text unless text=False
    (bytes) or stdout=/stderr= say otherwise; no stdin unless input= or stdin= give one; other
    keywords (env, preexec_fn…) go to subprocess.run."""
    if "stdout" not in kw and "stderr" not in kw:
        kw["capture_output"] = True
    if "input" not in kw:
        kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([sys.executable, *argv], cwd=ROOT, text=text, timeout=timeout, **kw)


@pytest.fixture
def run_main(capsys):
    """The command line in this process (fast): run_main(*argv) → (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def run_tui():
    """`python -m tui ARGS…` as a real process: run_tui(*args, input=None, env=None, timeout=60) →
    CompletedProcess with text stdout and stderr (keywords as in `python` above)."""
    return lambda *args, **kw: python("-m", "tui", *args, **kw)


@pytest.fixture(scope="session")
def run_python():
    """`python -c CODE ARGS…` as a real process, from the project's folder: run_python(code, *args, **kw),
    keywords as run_tui's."""
    return lambda code, *args, **kw: python("-c", code, *args, **kw)


@pytest.fixture(scope="session")
def sigma():
    """σ(z) = 1/(1 + e⁻ᶻ) written out by hand (tests/byhand.py), not engine.activations: an independent check."""
    return byhand.sigma


# --- the fast paths never fall back to Textual's path (tui/app/internals/fallbacks.py) -------------
def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fallbacks: the test makes the app's fast paths fall back on purpose")


@pytest.fixture(autouse=True)
def no_fallbacks(request):
    """Every app test (in this process) ends with as many fallbacks to Textual's path as it began
    with: a change that makes the row cache, the cell diff or a private piece give up fails here.
    Only in the default rendering (under BACKPROP_TUI_RENDERING=stock the fast paths are off), only
    once the app's internals are loaded, and not for a test marked `fallbacks`."""
    if os.environ.get("BACKPROP_TUI_RENDERING", "").strip().lower() == "stock" or request.node.get_closest_marker(
        "fallbacks"
    ):
        yield
        return
    before = _fallbacks()
    yield
    after = _fallbacks()
    if after is not None:
        new = {k: n - (before or {}).get(k, 0) for k, n in after.items() if n != (before or {}).get(k, 0)}
        assert not new, f"fast paths fell back to Textual's path: {new} (tui/app/internals/fallbacks.py)"


def _fallbacks() -> dict[str, int] | None:
    fallbacks = sys.modules.get("tui.app.internals.fallbacks")  # None until an app test loads the app
    return None if fallbacks is None else fallbacks.counts()
