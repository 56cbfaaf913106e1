"""`backprop-tui train [MODEL] --epochs N [--format text|json|csv] [--shuffle] [--batch full|N]`: per-sample
(or, with --batch, batch and mini-batch) gradient descent, the loss history written as it is trained
(any N runs in bounded memory). With --batch, JSON has one key more after "params": "batch", the
samples per update (m for full)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import numpy as np

from engine import export, training
from engine.model import Model
from tui.cli.common import (
    Last,
    Parser,
    add_batch_option,
    add_model_options,
    add_text_options,
    build_model,
    positive_int,
    report_divergence,
)
from tui.host.output import PROG, emit, emit_all
from tui.text.report import Text, batch_mode_line, train_text_pieces


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} train",
        description="Per-sample gradient descent for N epochs; prints the data-set "
        "loss L0 (before) … LN (after epoch N) and the final parameters.",
    )
    add_model_options(p)
    p.add_argument("--epochs", type=positive_int, required=True, metavar="N")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument(
        "--shuffle",
        action="store_true",
        help="visit the samples in a new random order each epoch (from --seed), before they are cut "
        "into batches with --batch; default: file order",
    )
    add_batch_option(p)
    add_text_options(p)
    return p


def shuffled_chunks(model: Model, epochs: int) -> Iterator[training.TrainResult]:
    """training.train_chunks with the samples in a fresh random order each epoch, drawn from model.seed."""

    rng = np.random.default_rng(model.seed)
    first = training.train(model, 0)
    yield first
    if first.diverged:
        return
    chunk = max(1, training.CHUNK_SAMPLES // 10 // model.m)  # an epoch here costs ~10 sample-steps
    losses: list[float] = []
    params = model.params
    for k in range(1, epochs + 1):
        order = rng.permutation(model.m)
        res = training.fast_epochs(params, model.with_(X=model.X[order], Y=model.Y[order]), 1)
        if res.diverged:
            yield training.TrainResult(np.array(losses), params, diverged_at=k)
            return
        params = res.params
        losses.extend(res.losses)
        if len(losses) >= chunk or k == epochs:
            yield training.TrainResult(np.array(losses), params)
            losses = []


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    if args.batch is not None:
        chunks = Last(training.train_batch_chunks(model, args.epochs, args.batch, shuffle=args.shuffle))
    else:
        chunks = Last(
            shuffled_chunks(model, args.epochs) if args.shuffle else training.train_chunks(model, args.epochs)
        )
    if args.format == "json":
        extra = None if args.batch is None else {"batch": training.batch_size(args.batch, model.m)}
        emit_all(export.train_json_pieces(((res.losses, res.params) for res in chunks), extra))
        emit("\n")
    elif args.format == "csv":

        def rows():
            yield "epoch,loss\n"
            epoch = 0
            for res in chunks:
                yield export.loss_csv_rows(res.losses, epoch)
                epoch += len(res.losses)

        emit_all(rows())
    else:
        tx = Text(args.lang, args.decimal_comma)
        mode = None if args.batch is None else batch_mode_line(model, args.batch, tx, args.shuffle)
        emit_all(train_text_pieces(model, chunks, args.epochs, tx, mode))
    last = chunks.last  # training yields at least its first chunk (L0)
    assert last is not None
    if last.diverged_at is not None:
        return report_divergence(args.lang, last.diverged_at)
    return 0
