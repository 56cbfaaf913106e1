"""The bare command, `backprop-tui [MODEL] [options]`: its parser, and the model and key script it
starts the app with, checked before Textual loads (the app itself is started by tui.main)."""

from __future__ import annotations

import argparse

from engine.config import shown
from engine.model import Model
from tui.cli import registry
from tui.cli.common import Parser, UsageError, add_interactive_options, add_model_options, build_model
from tui.host import quizlog
from tui.host.output import PROG
from tui.host.script import Script, ScriptError, script_from_args
from tui.text.i18n import t


class Version(argparse.Action):
    """--version: the installed package's version, looked up only when asked (importlib.metadata costs
    start-up time every other run would pay)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib import metadata  # only --version needs it (docstring)

        try:
            version = metadata.version("backprop-tui")
        except metadata.PackageNotFoundError:  # run from a source tree that was never installed
            version = "(not installed)"
        print(f"{PROG} {version}", flush=True)
        parser.exit()


def parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Step through backpropagation on the 2–2–1 network of the lecture notes.",
        epilog=registry.listing(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action=Version, help="print the version and exit")
    add_model_options(p)
    add_interactive_options(p)
    return p


def prepare(args: argparse.Namespace) -> tuple[Model, Script | None]:
    """The model and the key script of the command line; a bad --keys / --keys-file, or a --quiz-log
    file that cannot be appended to, is a UsageError."""
    check_session(args)
    check_quiz_log(args)
    model = build_model(args)
    try:
        return model, script_from_args(args)
    except ScriptError as e:
        raise UsageError(f"{PROG}: error: {e}") from None


def check_session(args: argparse.Namespace) -> None:
    """--join needs --code; --code and --max-students belong to a session; the name a student joins
    with: --name as given (the session cleans it), else the login name."""
    lead, join = getattr(args, "lead", None), getattr(args, "join", None)
    if join is not None and not getattr(args, "code", None):
        raise UsageError(f"{PROG}: error: --join needs --code CODE (the code on the lecturer's screen)")
    if lead is None and join is None:
        for option, dest in (("--code", "code"), ("--max-students", "max_students")):
            if getattr(args, dest, None) is not None:
                raise UsageError(f"{PROG}: error: {option} belongs to a class session (--lead or --join)")
    if join is not None and getattr(args, "max_students", None) is not None:
        raise UsageError(f"{PROG}: error: --max-students belongs to --lead")
    args.session_name = getattr(args, "name", None) or quizlog.login_name()
    args.session_name_given = bool(getattr(args, "name", None))  # a browser tab asks for it otherwise


def check_quiz_log(args: argparse.Namespace) -> None:
    """--quiz-log FILE: appendable now (created if missing), or one line and exit 2 at start-up; the
    student's name: --name, else the login name (tui/host/quizlog.py)."""
    args.name = quizlog.clean_name(args.name) if getattr(args, "name", None) else quizlog.login_name()
    path = getattr(args, "quiz_log", None)
    if path is None:
        return
    try:
        quizlog.check(path)
    except OSError as e:
        reason = e.strerror or str(e)
        raise UsageError(
            f"{PROG}: error: {t('cli_quiz_log_bad', args.lang, path=shown(path), reason=reason)}"
        ) from None
