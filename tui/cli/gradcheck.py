"""`backprop-tui gradcheck [MODEL] [--h H] [--method central|forward] [--param NAME] [--format text|json]`:
backprop's gradient of the mean loss against finite differences, parameter by parameter. With
`--param W2:1:1` (b2:1, W1:2:1 …: a row's parameter as the JSON names it, ["W2", 1, 1]) it walks
through exercise 2(d) for that parameter alone: θ, θ + h (θ − h), L at each, the quotient, backprop's
value and their difference. "Cannot check" (a non-finite derivative) exits 1."""

from __future__ import annotations

import argparse

from engine import export, gradcheck
from tui.cli.common import Parser, add_model_options, add_text_options, build_model, positive_float
from tui.host.output import PROG, emit, flush_stdout, say
from tui.text.i18n import t
from tui.text.report import Text, gradcheck_text, walk_text


def param_key(text: str) -> tuple:
    try:
        return gradcheck.parse_key(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} gradcheck",
        description="Compare backprop's gradient of the mean loss over the data "
        "set with finite differences, parameter by parameter.",
    )
    add_model_options(p)
    p.add_argument(
        "--h",
        type=positive_float,
        default=None,
        help=f"step size (default {gradcheck.DEFAULT_H:g}; with --param the notes' {gradcheck.NOTES_H:g})",
    )
    p.add_argument(
        "--method",
        choices=("central", "forward"),
        default=None,
        help="default central; with --param forward, as exercise 2(d)",
    )
    p.add_argument(
        "--param",
        type=param_key,
        metavar="NAME",
        help="walk through one parameter: W1:i:j, b1:j, W2:i:1 or b2:1 (exercise 2(d): W2:1:1)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_text_options(p)
    return p


def _row_json(r: gradcheck.GradRow) -> dict:
    row = {
        "parameter": list(r.key),
        "analytic": r.analytic,
        "numeric": r.numeric,
        "rel_error": r.rel_error,
        "theta": r.theta,
        "loss": r.loss,
        "loss_plus": r.loss_plus,
    }
    if r.loss_minus is not None:
        row["loss_minus"] = r.loss_minus
    return row


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    one = args.param is not None
    h = args.h if args.h is not None else (gradcheck.NOTES_H if one else gradcheck.DEFAULT_H)
    method = args.method or ("forward" if one else "central")
    tx = Text(args.lang, args.decimal_comma)
    if one:
        w = gradcheck.walk_model(model, args.param, h, method)
        rows = [w.row]
    else:
        rows = gradcheck.check_model(model, h=h, method=method)
    if args.format == "json":
        emit(export.dumps({"method": method, "h": h, "rows": [_row_json(r) for r in rows]}) + "\n")
    elif one:
        emit(walk_text(w, model, gradcheck.key_name(args.param), tx))
    else:
        emit(
            gradcheck_text(rows, model, method, h, gradcheck.max_rel_error(rows), tx, gradcheck.kinked_model(model, h))
        )
    if not gradcheck.checkable(rows):  # an overflowing loss: nothing to compare, never "agrees"
        flush_stdout()
        say(f"{PROG}: {t('cli_gradcheck_cannot', args.lang)}")
        return 1
    return 0
