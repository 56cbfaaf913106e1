"""Fixtures shared by the tests of every layer (tests/ mirrors engine/ and tui/)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    """The project's folder: where `python -m tui` runs from in a subprocess."""
    return ROOT


@pytest.fixture
def run_tui(root):
    """`python -m tui ARGS…` as a real process: run_tui(*args, input=None, env=None, timeout=60) →
    CompletedProcess with text stdout and stderr."""
    def run(*args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tui", *args], cwd=root, capture_output=True, text=True,
                              timeout=timeout, **kw)

    return run
