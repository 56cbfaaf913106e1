"""docs/KEYS.md and docs/CLI.md are what tui/cli/docs_pages.py generates from the key table and the
argparse parsers: a key, an option or a command added without regenerating the pages fails here."""

from __future__ import annotations

import argparse
import dataclasses

import pytest

from tui.cli import docs_pages
from tui.cli.registry import COMMANDS
from tui.text.i18n import t
from tui.text.keys import KEY_TABLE, label

REGENERATE = f"run `{docs_pages.COMMAND}` from the repository root and commit docs/"


@pytest.mark.parametrize("page", docs_pages.PAGES)
def test_the_committed_page_is_what_the_generator_writes(page):
    old, new = docs_pages.regenerate(pages=[page])[page]
    assert old == new, f"docs/{page} is out of date with the code: {REGENERATE}"


def test_the_keys_page_has_every_key_of_the_table_with_its_help_in_both_languages():
    page = (docs_pages.DOCS / "KEYS.md").read_text(encoding="utf-8")
    for key in KEY_TABLE:
        rows = [line for line in page.splitlines() if line.startswith("| ") and f"`{key.names[0]}`" in line]
        assert any(
            label(key.help, "en").replace("|", "\\|") in line and label(key.help, "pt").replace("|", "\\|") in line
            for line in rows
        ), key.action


def test_the_command_line_page_has_every_command_and_every_option():
    page = (docs_pages.DOCS / "CLI.md").read_text(encoding="utf-8")
    for name, parser in docs_pages.parsers().items():
        if name:
            assert f"## backprop-tui {name}\n" in page
            assert f"```\nbackprop-tui {name} " in page
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert f"`{option}`" in page, (name, option)
    assert set(COMMANDS) <= {name for name in docs_pages.parsers()}


def test_a_new_key_changes_the_keys_page(monkeypatch):
    """What another engineer's key (chain view C, say) does to the page: a row of its own."""
    label = next(k.help for k in KEY_TABLE if k.help != KEY_TABLE[-1].help)  # not merged with the last row
    extra = dataclasses.replace(KEY_TABLE[0], action="chain", names=("C",), shown="C", help=label)
    table = docs_pages.keys_table((*KEY_TABLE, extra))
    assert table != docs_pages.keys_table()
    assert f"| `C` | `C` | {t(label, 'en')} | {t(label, 'pt')} |" in table.splitlines()


def test_a_new_option_changes_the_command_block():
    parser = docs_pages.parsers()["train"]
    before = docs_pages.command_block("train", parser)
    parser.add_argument("--momentum", metavar="BETA", help="a heavy-ball term on every update")
    after = docs_pages.command_block("train", parser)
    assert before != after
    # a | in a table cell is escaped, even in code, or GitHub would split the cell
    assert "| `--momentum` | `BETA` | a heavy-ball term on every update |" in after.splitlines()
    assert "[--momentum BETA]" in after


def test_a_command_without_a_block_gets_a_section_and_a_stale_block_goes():
    page = "# Command line\n\n" + docs_pages.wrap("command gone", "old") + "\n\nprose stays\n"
    out = docs_pages.render(page, {"command trace": "NEW"})
    assert "old" not in out and "prose stays" in out
    assert out.endswith("## backprop-tui trace\n\n" + docs_pages.wrap("command trace", "NEW") + "\n")
    assert docs_pages.render(out, {"command trace": "NEW"}) == out  # regenerating again changes nothing


def test_the_check_command_names_the_stale_page_and_the_write_command_fixes_it(tmp_path, capsys):
    for page in docs_pages.PAGES:
        (tmp_path / page).write_text((docs_pages.DOCS / page).read_text(encoding="utf-8"), encoding="utf-8")
    assert docs_pages.main(["--check", "--docs", str(tmp_path)]) == 0
    keys = tmp_path / "KEYS.md"
    keys.write_text(keys.read_text(encoding="utf-8").replace("| `q` | `q` |", "| `Q` | `Q` |"), encoding="utf-8")
    assert docs_pages.main(["--check", "--docs", str(tmp_path)]) == 1
    assert "KEYS.md" in capsys.readouterr().err
    assert docs_pages.main(["--docs", str(tmp_path)]) == 0
    assert keys.read_text(encoding="utf-8") == (docs_pages.DOCS / "KEYS.md").read_text(encoding="utf-8")


def test_the_generated_text_does_not_depend_on_the_terminal_or_the_locale(monkeypatch):
    """Defaults read from the environment (--lang) and argparse's width (COLUMNS) stay out of the page."""
    pages = {page: docs_pages.blocks(page) for page in docs_pages.PAGES}
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("LC_ALL", "pt_BR.UTF-8")
    assert {page: docs_pages.blocks(page) for page in docs_pages.PAGES} == pages
