"""`backprop-tui chain [MODEL] [--param W1:2:1] [--sample I]`: the chain rule in words (exercises 6(a) and
3(d)), the lines of the C view: ∂L/∂θ from the loss back to θ factor by factor, each named in words with
its formula, its number and the running product, then ∂L/∂θ = a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾. On the model's sample I
(default 1) at its parameters as loaded (engine.chain, tui/text/chain.py)."""

from __future__ import annotations

import argparse
from dataclasses import replace

from engine import chain, gradcheck
from engine.stepper import initial_snapshot
from tui.cli.common import Parser, add_model_options, add_text_options, build_model, positive_int
from tui.cli.gradcheck import param_key
from tui.host.output import PROG, emit, say
from tui.text import chain as chain_text
from tui.text.i18n import act_name, t

TEXT_WIDTH = 80


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} chain",
        description="The chain rule in words (exercises 6a and 3d): one gradient ∂L/∂θ from the loss back to "
        "θ, factor by factor, with the running product; then ∂L/∂θ = a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾.",
    )
    add_model_options(p)
    p.add_argument(
        "--param",
        type=param_key,
        default=gradcheck.FIRST_KEY,
        metavar="NAME",
        help="the parameter: W1:i:j, b1:j, W2:i:1 or b2:1 (default W2:1:1, the notes' §2.5)",
    )
    p.add_argument("--sample", type=positive_int, default=1, metavar="I", help="the data row, from 1 (default 1)")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    if args.sample > model.m:
        say(f"{PROG} chain: --sample {args.sample}: expected a data row from 1 to {model.m}")
        return 2
    s = replace(initial_snapshot(model), sample=args.sample - 1)
    c = chain.chain(chain.computed_sample(s), args.param)
    source = t(
        "chain_model",
        args.lang,
        name=model.name,
        i=args.sample,
        hidden=act_name(model.hidden, args.lang),
        output=act_name(model.output, args.lang),
    )
    emit(chain_text.text(c, source, args.lang, args.decimal_comma, TEXT_WIDTH) + "\n")
    return 0
