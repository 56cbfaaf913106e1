"""The layout's rules (docs/DESIGN.md §3), checked on every run: import-linter's contracts of
pyproject.toml (layers, who may import Textual, no cycles), no import inside a function unless
it says why (a lazy import that saves start-up time or memory says so in a comment on its line or
the line before), and mypy clean on engine/ and tui/ (TYPE_CHECKED, pyproject's [tool.mypy])."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10 (as engine.config)
    import tomli as tomllib

PACKAGES = ("engine", "tui")
CONTRACTS = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"
]


def test_import_linter_contracts_hold(root):
    """pyproject's [tool.importlinter] contracts, checked by import-linter's own command (its module
    has no `python -m` entry: run that way it would check nothing and pass)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
            "--no-cache",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.split("Contracts:")[-1]
    assert f"{len(CONTRACTS)} kept, 0 broken" in summary, done.stdout


def function_imports(root: Path) -> list[tuple[str, int, str]]:
    """Every import inside a function with no comment on its line or the line just before it."""
    out = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        here, before = lines[inner.lineno - 1], lines[inner.lineno - 2]
                        if "#" not in here and not before.strip().startswith("#"):
                            out.append((str(path.relative_to(root)), inner.lineno, here.strip()))
    return out


def test_every_import_inside_a_function_says_why(root):
    assert function_imports(root) == []


TYPE_CHECKED = ("engine", "tui")


def test_mypy_is_clean_on_the_whole_package(tmp_path, root):
    """engine/ and all of tui/ type-check (pyproject's [tool.mypy]: the files, Python 3.10), no module
    left out (no ignore_errors)."""
    mypy = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["mypy"]
    assert tuple(mypy["files"]) == TYPE_CHECKED
    assert not [o["module"] for o in mypy.get("overrides", []) if o.get("ignore_errors")]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_ruff_check_and_format_are_clean(root):
    """ruff's lint rules and its format (pyproject's [tool.ruff]) hold over the whole repository:
    `ruff check --fix` and `ruff format` from the root make them hold again."""
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=root, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, " ".join(args) + "\n" + done.stdout + done.stderr
