"""`backprop-tui trace [MODEL] [--steps N] [--format text|json|markdown|latex] [--batch full|N [--shuffle]]`:
N sample-steps from the start of the data set, every intermediate value, written as each step is
computed. With --batch, N batch updates (text or json; the JSON shape is engine/export.py's)."""
from __future__ import annotations

import argparse

from engine import export, training
from tui.cli.common import (Last, Parser, UsageError, add_batch_option, add_model_options, add_text_options,
    build_model, positive_int, report_divergence)
from tui.host.output import PROG, emit, emit_all
from tui.text.i18n import t
from tui.text.report import Text, batch_trace_text_pieces, trace_text_pieces, transcript_labels


def parser() -> Parser:
    p = Parser(prog=f"{PROG} trace", description="Run N sample-steps from the start of the data set (cycling "
                                                 "through it) and print every intermediate value.")
    add_model_options(p)
    p.add_argument("--steps", type=positive_int, default=1, metavar="N",
                   help="sample-steps to run (default 1); with --batch, batch updates")
    p.add_argument("--format", choices=("text", "json", "markdown", "latex"), default="text")
    add_batch_option(p)
    p.add_argument("--shuffle", action="store_true",
                   help="with --batch: the samples in a new random order each epoch (from --seed, as train "
                        "--shuffle), then cut into batches")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    if args.batch is None and args.shuffle:
        raise UsageError(f"{PROG} trace: error: {t('cli_shuffle_needs_batch', args.lang)}")
    if args.batch is not None and args.format not in ("text", "json"):
        raise UsageError(f"{PROG} trace: error: {t('cli_batch_formats', args.lang, format=args.format)}")
    model = build_model(args)
    if args.batch is not None:
        return run_batch(args, model)
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


def run_batch(args: argparse.Namespace, model) -> int:
    """trace --batch: N batch updates, each sample of a batch and then the mean and the update."""
    start = training.train(model, 0)
    steps = Last(iter(()) if start.diverged else export.iter_batch_trace(model, args.steps, args.batch, args.shuffle))
    if args.format == "json":
        emit_all(export.batch_trace_json_pieces(steps, training.batch_size(args.batch, model.m)))
        emit("\n")
    else:
        emit_all(batch_trace_text_pieces(steps, model, args.batch, Text(args.lang, args.decimal_comma), args.shuffle))
    if start.diverged:
        return report_divergence(args.lang, 0)
    last = steps.last
    if last is not None and last.epoch_loss is not None and training.diverged(last.epoch_loss):
        return report_divergence(args.lang, last.epoch)
    return 0
