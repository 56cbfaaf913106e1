"""Issue 22: --lead, --join, --code and --max-students on the command line, checked before the app
starts: one line and exit 2 for anything wrong."""

from __future__ import annotations

import pytest

from tui.app.app import session_args
from tui.cli.interactive import parser, prepare


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--join", "127.0.0.1:8765"], ["--join needs --code"]),
        (["--code", "ABC234"], ["--code belongs to a class session"]),
        (["--max-students", "10"], ["--max-students belongs to a class session"]),
        (["--join", "127.0.0.1:8765", "--code", "A", "--max-students", "3"], ["--max-students belongs to --lead"]),
        (["--lead", "nohost:port"], ["--lead", "not an address"]),
        (["--lead", "70000"], ["--lead", "not an address"]),
        (["--join", "127.0.0.1:0", "--code", "A"], ["--join", "not an address"]),
        (["--join", "8765", "--code", "A"], []),  # a port alone joins this machine: accepted (below)
        (["--lead", "8765", "--code", "no spaces"], ["--code", "letters, digits or dashes"]),
        (["--lead", "8765", "--max-students", "0"], ["--max-students"]),
        (["--lead", "8765", "--max-students", "100000"], ["--max-students", "1 000"]),
        (["--lead", "8765", "--join", "127.0.0.1:1", "--code", "A"], ["not allowed with"]),
    ],
)
def test_a_bad_session_option_is_one_line_and_exit_2(argv, words, run_main):
    if not words:
        args = parser().parse_args(argv)
        prepare(args)
        assert session_args(args).host == "127.0.0.1"
        return
    code, out, err = run_main(*argv, "--exit-after", "0")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    for w in words:
        assert w in err


def test_the_session_as_the_app_gets_it(tmp_path):
    log = str(tmp_path / "x.csv")
    args = parser().parse_args(["--lead", "0.0.0.0:0", "--quiz-log", log])
    prepare(args)
    lead = session_args(args)
    assert (lead.role, lead.host, lead.port, lead.code, lead.max_students, lead.quiz_log) == (
        "lead",
        "0.0.0.0",
        0,
        None,
        200,
        log,
    )
    args = parser().parse_args(["--join", "[::1]:8765", "--code", "abc-234", "--name", "Ana"])
    prepare(args)
    join = session_args(args)
    assert (join.role, join.host, join.port, join.code, join.name, join.ask_name) == (
        "join",
        "::1",
        8765,
        "abc-234",
        "Ana",
        False,
    )
    args = parser().parse_args(["--join", "h:1", "--code", "C", "--files", "tab"])
    prepare(args)
    assert session_args(args).ask_name  # a served tab without --name asks for it
    assert session_args(prepare_none()) is None


def prepare_none():
    args = parser().parse_args([])
    prepare(args)
    return args
