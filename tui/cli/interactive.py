"""The bare command, `backprop-tui [MODEL] [options]`: its parser, and the model and key script it
starts the app with, checked before Textual loads (the app itself is started by tui.main)."""
from __future__ import annotations

import argparse

from engine.model import Model
from tui.cli.common import Parser, UsageError, add_interactive_options, add_model_options, build_model
from tui.host.output import PROG
from tui.host.script import Script, ScriptError, script_from_args


def parser() -> Parser:
    p = Parser(prog=PROG, description="Step through backpropagation on the 2–2–1 network of the lecture notes.",
               epilog="headless commands: backprop-tui trace | train | gradcheck | presets | sweep  "
                      "(each has --help); in a browser: backprop-tui serve")
    add_model_options(p)
    add_interactive_options(p)
    return p


def prepare(args: argparse.Namespace) -> tuple[Model, Script | None]:
    """The model and the key script of the command line; a bad --keys / --keys-file is a UsageError."""
    model = build_model(args)
    try:
        return model, script_from_args(args)
    except ScriptError as e:
        raise UsageError(f"{PROG}: error: {e}") from None
