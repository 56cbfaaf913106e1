"""`backprop-tui trace [MODEL] [--steps N] [--format text|json|markdown|latex]`: N sample-steps from the
start of the data set, every intermediate value, written as each step is computed."""
from __future__ import annotations

import argparse

from engine import export, training
from tui.cli.common import (Last, Parser, add_model_options, add_text_options, build_model, positive_int, 
    report_divergence)
from tui.host.output import PROG, emit, emit_all
from tui.text.report import Text, trace_text_pieces, transcript_labels


def parser() -> Parser:
    p = Parser(prog=f"{PROG} trace", description="Run N sample-steps from the start of the data set (cycling "
                                                 "through it) and print every intermediate value.")
    add_model_options(p)
    p.add_argument("--steps", type=positive_int, default=1, metavar="N", help="sample-steps to run (default 1)")
    p.add_argument("--format", choices=("text", "json", "markdown", "latex"), default="text")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    start = training.train(model, 0)  # L0 not finite: the run diverged at epoch 0, before any step
    steps = Last(iter(()) if start.diverged else export.iter_trace(model, args.steps))
    if args.format == "json":
        pieces = export.trace_json_pieces(steps)
    elif args.format == "markdown":
        pieces = export.markdown_pieces(steps, transcript_labels(args.lang), args.decimal_comma)
    elif args.format == "latex":
        pieces = export.latex_pieces(steps, transcript_labels(args.lang), args.decimal_comma)
    else:
        pieces = trace_text_pieces(steps, Text(args.lang, args.decimal_comma))
    emit_all(pieces)
    if args.format == "json":
        emit("\n")
    if start.diverged:
        return report_divergence(args.lang, 0)
    if steps.last is not None and export.diverged(steps.last):
        return report_divergence(args.lang, steps.last.epoch)
    return 0
