"""Fixtures shared by the tests of every layer (tests/ mirrors engine/ and tui/)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import byhand

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's folder: where `python -m tui` runs from in a subprocess."""
    return ROOT


@pytest.fixture(scope="session")
def run_tui(root):
    """`python -m tui ARGS…` as a real process: run_tui(*args, input=None, env=None, timeout=60) →
    CompletedProcess with text stdout and stderr; text=False gives bytes, stdout=/stderr= redirect
    them instead of capturing both; other keywords go to subprocess.run."""
    def run(*args: str, timeout: float = 60, text: bool = True, **kw) -> subprocess.CompletedProcess:
        if "stdout" not in kw and "stderr" not in kw:
            kw["capture_output"] = True
        return subprocess.run([sys.executable, "-m", "tui", *args], cwd=root, text=text, timeout=timeout, **kw)

    return run


@pytest.fixture(scope="session")
def sigma():
    """σ(z) = 1/(1 + e⁻ᶻ) written out by hand (tests/byhand.py), not engine.activations: an independent check."""
    return byhand.sigma
