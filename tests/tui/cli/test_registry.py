"""The top-level --help lists every subcommand the dispatcher runs (tui/cli/registry.py), and
--version says the installed version."""

from __future__ import annotations

import importlib
from importlib import metadata

import pytest

from tui.cli import registry

HEAD = "commands (backprop-tui COMMAND --help for each):"


def test_every_registered_command_is_a_module_with_parser_and_run():
    for name in registry.COMMANDS:
        module = importlib.import_module(f"tui.cli.{name}")
        assert callable(module.parser) and callable(module.run), name


def test_the_top_level_help_names_each_command_with_what_it_does(run_main):
    code, out, err = run_main("--help")
    assert code == 0 and err == ""
    listed = [line for line in out.split(HEAD)[1].splitlines() if line.strip()]
    assert (
        [line.split()[0] for line in listed]
        == list(registry.COMMANDS)
        == ["trace", "train", "gradcheck", "presets", "sweep", "depth", "compare", "surface", "chain", "serve"]
    )
    for name, what in registry.COMMANDS.items():
        assert any(line.split(None, 1) == [name, what] for line in listed), name


@pytest.mark.parametrize("name", list(registry.COMMANDS))
def test_each_listed_command_has_its_own_help(run_main, name):
    code, out, _ = run_main(name, "--help")
    assert code == 0 and out.startswith(f"usage: backprop-tui {name}")


def test_version_prints_the_installed_version_on_stdout(run_main):
    assert run_main("--version") == (0, f"backprop-tui {metadata.version('backprop-tui')}\n", "")
