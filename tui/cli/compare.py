"""`backprop-tui compare [MODEL] [--epochs N] [--format text|json|markdown]`: exercise 5, the first
sample of the data set and the model's weights through sigmoid, tanh and ReLU side by side (the
output activation kept), and with --epochs the data-set loss of each trained N epochs from there."""

from __future__ import annotations

import argparse

from engine import compare
from tui.cli.common import Parser, add_model_options, add_text_options, at_most, build_model
from tui.host.output import PROG, emit, flush_stdout, say
from tui.text.compare import compare_markdown, compare_text
from tui.text.i18n import act_name, t
from tui.text.report import Text


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} compare",
        description="Exercises 5 and 6(b): the first sample and the model's weights "
        "through each hidden activation (sigmoid, tanh, relu, step), the output "
        "activation kept: every value of the sample-step side by side, "
        "ŷ and L before → after one update, and with --epochs the "
        "data-set loss of each trained N epochs from the same start.",
    )
    add_model_options(p)
    p.add_argument(
        "--epochs",
        type=at_most(compare.MAX_EPOCHS),
        metavar="N",
        help=f"also train each activation N epochs (at most {compare.MAX_EPOCHS:_}) and print the loss history".replace(
            "_", " "
        ),
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    model = build_model(args)  # --activation is ignored: every hidden activation is a column
    columns = compare.compare(model)
    runs = None if args.epochs is None else compare.histories(model, args.epochs)
    tx = Text(args.lang, args.decimal_comma)
    if args.format == "json":
        emit(compare.compare_json(columns, runs, model.X) + "\n")
    elif args.format == "markdown":
        emit(compare_markdown(columns, model.m, tx, runs, args.epochs or 0, model.X))
    else:
        emit(compare_text(columns, model.m, tx, runs, args.epochs or 0, model.X))
    diverged = [(run.diverged_at, c.hidden) for c, run in zip(columns, runs or ()) if run.diverged]
    if diverged:  # as train: the run says where it stopped, and exits 1
        flush_stdout()
        for epoch, hidden in diverged:
            say(f"{PROG}: {t('cmp_diverged', args.lang, hidden=act_name(hidden, args.lang), epoch=epoch)}")
        return 1
    return 0
