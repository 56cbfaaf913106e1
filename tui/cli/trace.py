"""`backprop-tui trace [MODEL] [--steps N] [--format text|json|markdown|latex|python|notebook]
[--batch full|N [--shuffle]]`: N sample-steps from the start of the data set, every intermediate value,
written as each step is computed; or, as `python` / `notebook`, a NumPy script / Jupyter notebook that
computes and prints them when run (engine/program.py, exercise 4(a)). With --batch, N batch updates
(text or json; the JSON shape is engine/export.py's)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from engine import export, training
from tui.cli.common import (
    Last,
    Parser,
    UsageError,
    add_batch_option,
    add_model_options,
    add_text_options,
    build_model,
    positive_int,
    report_divergence,
)
from tui.host.output import PROG, emit, emit_all
from tui.text.i18n import t
from tui.text.report import Text, batch_trace_text_pieces, program_labels, trace_text_pieces, transcript_labels

if TYPE_CHECKING:  # loaded by the two formats that write a program, on first use
    from engine.model import Model
    from engine.program import Cell


FORMATS = ("text", "json", "markdown", "latex", "python", "notebook")


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} trace",
        description="Run N sample-steps from the start of the data set (cycling "
        "through it) and print every intermediate value.",
    )
    add_model_options(p)
    p.add_argument(
        "--steps",
        type=positive_int,
        default=1,
        metavar="N",
        help="sample-steps to run (default 1); with --batch, batch updates",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text, json, markdown, latex: the values; python, notebook: a NumPy script or a Jupyter "
        "notebook (.ipynb) that computes and prints them when run (default text)",
    )
    add_batch_option(p)
    p.add_argument(
        "--shuffle",
        action="store_true",
        help="with --batch: the samples in a new random order each epoch (from --seed, as train "
        "--shuffle), then cut into batches",
    )
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
    if args.format in ("python", "notebook"):
        return write_program(model, args)
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


def write_program(model: Model, args: argparse.Namespace) -> int:
    """The script or the notebook: the model and the steps as data, the lines of engine/numpy_code.py as
    code. Its size grows with the data set, not with --steps; it is the program that runs the steps."""
    from engine import program  # start-up time: only these two formats need it

    labels = program_labels(args.lang, args.steps)
    if args.format == "python":
        emit(program.script(model, args.steps, labels))
    else:
        emit(notebook(program.cells(model, args.steps, labels, "notebook")))
    return 0


def notebook(cells: list[Cell]) -> str:
    """The cells as a Jupyter notebook (nbformat 4), checked against nbformat's schema before it is written."""
    try:
        import nbformat  # only this format needs it: the other commands start without loading it
    except ImportError:
        raise UsageError(
            f"{PROG} trace: error: --format notebook needs the nbformat package (pip install 'nbformat>=5.9')"
        ) from None
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.cells = [
        (v4.new_markdown_cell if c.kind == "markdown" else v4.new_code_cell)(c.source, id=f"cell-{k}")
        for k, c in enumerate(cells)
    ]
    nb.metadata.update(
        kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        language_info={"name": "python"},
    )
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


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
