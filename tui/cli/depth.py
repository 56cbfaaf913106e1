"""`backprop-tui depth [MODEL] [--layers K] [--activation A] [--seed N] [--format text|json]`: why
gradients vanish through successive sigmoids (exercise 6(c), issue 12 item 3).

A chain of K hidden layers of two units (engine.deep): the model's first layer, K − 1 rotations by
angles drawn from the seed (--seed, default the model's), the model's output layer, on the model's
first sample. Text: per layer |δ⁽ˡ⁾|, the product of f' along the chain, 0.25ⁿ and a log-scale bar
(tui/text/depth.py). JSON: every layer's W (rows = inputs, as W1) and b, the input, the target, and
per layer z, a, f'(z), δ and ∂L/∂W, so anyone can recompute it (engine.deep.as_json). K outside
1 … 12 or an unknown activation exits 2 with one line.
"""

from __future__ import annotations

import argparse

from engine import deep, export
from tui.cli.common import Parser, add_model_options, add_text_options, at_most, build_model
from tui.host.output import PROG, emit
from tui.text import depth as depth_text

TEXT_WIDTH = 80


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} depth",
        description="Why gradients vanish through successive sigmoids (exercise 6c): |δ| layer by layer "
        "through a chain of K hidden layers of two units, with the product of f' and "
        "sigmoid's bound f' ≤ 0.25.",
    )
    add_model_options(p)
    p.add_argument(
        "--layers",
        type=at_most(deep.MAX_LAYERS),
        default=deep.DEFAULT_LAYERS,
        metavar="K",
        help=f"hidden layers, 1 to {deep.MAX_LAYERS} (default {deep.DEFAULT_LAYERS}); layer 1 and the "
        "output layer are the model's, layers 2…K rotations by angles drawn from --seed",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    d = deep.depth(model.params, model.X[0], float(model.Y[0]), model.hidden, model.output, args.layers, model.seed)
    if args.format == "json":
        emit(export.dumps(deep.as_json(d)) + "\n")
    else:
        emit(depth_text.text(d, args.lang, args.decimal_comma, TEXT_WIDTH))
    return 0
