"""tui/app/internals/support.py: the Textual versions the app starts on, in each rendering mode,
and one line (not a traceback) when it cannot: a Textual older or newer than the pin, a private
name missing, an unknown BACKPROP_TUI_RENDERING. The subprocesses run the real entry point on the
installed Textual made to look like another version (its dist-info folder beside it)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import textual

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from tui.app.internals import support

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize(
    "installed, stock, key",
    [
        ("8.2.8", False, None),
        ("8.2.5", False, None),
        ("8.2.4", False, "app_textual_old"),
        ("8.1.1", True, "app_textual_old"),
        ("8.3.0", False, "app_textual_new"),
        ("9.0.0a1", False, "app_textual_new"),
        ("8.3.0", True, None),
        ("9.1.0", True, None),
        ("8.2.4", True, "app_textual_old"),
    ],
)
def test_versions_by_mode(installed, stock, key):
    if key is None:
        support.check(stock=stock, version=installed)
    else:
        with pytest.raises(support.Unsupported) as raised:
            support.check(stock=stock, version=installed)
        assert raised.value.key == key and isinstance(raised.value, ImportError)
        assert "\n" not in str(raised.value) and installed in str(raised.value)


def test_the_installed_textual_has_every_private_name_and_its_version_is_read_right():
    assert support.missing_private_names() == []
    assert support.textual_version() == version("textual")


def test_the_pin_is_pyprojects():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert support.PIN in deps


@pytest.mark.parametrize("value, mode", [(None, "fast"), ("", "fast"), ("fast", "fast"), (" Stock ", "stock")])
def test_rendering_modes(value, mode):
    assert support.rendering_mode(value) == mode
    with pytest.raises(support.Unsupported):
        support.rendering_mode("stok")


def run_app(tmp_path, *, look_like: str | None = None, code: str = "", env: dict | None = None):
    """`backprop-tui` (the bare command, stdin not a terminal) in a subprocess; with `look_like`, on
    the installed Textual seen through tmp_path beside a dist-info folder of that version."""
    path = [str(ROOT)]
    if look_like is not None:
        (tmp_path / "textual").symlink_to(Path(textual.__file__).parent, target_is_directory=True)
        (tmp_path / f"textual-{look_like}.dist-info").mkdir()
        path.insert(0, str(tmp_path))
    full_env = {k: v for k, v in os.environ.items() if k != "BACKPROP_TUI_RENDERING"}
    full_env.update(PYTHONPATH=os.pathsep.join(path), **(env or {}))
    script = code + "import sys\nfrom tui.main import main\nsys.exit(main(['--lang', 'en']))\n"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(done) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_newer_textual_is_one_line_and_runs_in_stock_mode(tmp_path):
    done = run_app(tmp_path, look_like="8.3.0")
    line = one_line(done)
    assert done.returncode == 1
    assert line.startswith("backprop-tui: error: cannot start the interactive app: Textual 8.3.0 is newer")
    assert "BACKPROP_TUI_RENDERING=stock" in line
    stock = run_app(tmp_path, env={"BACKPROP_TUI_RENDERING": "stock"})  # the same folder: still 8.3.0
    assert "needs a terminal" in one_line(stock) and stock.returncode == 2  # past the check: the app ran


@pytest.mark.parametrize("env", [{}, {"BACKPROP_TUI_RENDERING": "stock"}])
def test_an_older_textual_is_one_line_in_either_mode(tmp_path, env):
    done = run_app(tmp_path, look_like="8.2.4", env=env)
    assert done.returncode == 1 and "Textual 8.2.4 is too old" in one_line(done)


def test_a_missing_private_name_is_one_line_but_stock_mode_runs(tmp_path):
    code = "import textual.app\ndel textual.app.App._background_screens\n"
    done = run_app(tmp_path, code=code)
    assert done.returncode == 1 and "lacks textual.app.App._background_screens" in one_line(done)
    stock = run_app(tmp_path, code=code, env={"BACKPROP_TUI_RENDERING": "stock"})
    assert stock.returncode == 2 and "needs a terminal" in one_line(stock)


def test_an_unknown_rendering_mode_is_one_line(tmp_path):
    done = run_app(tmp_path, env={"BACKPROP_TUI_RENDERING": "fastest"})
    assert done.returncode == 1 and "BACKPROP_TUI_RENDERING=fastest" in one_line(done)
