"""`backprop-tui gradcheck [MODEL] [--h H] [--method central|forward] [--format text|json]`: backprop's
gradient of the mean loss against finite differences, parameter by parameter. "Cannot check" (a
non-finite derivative) exits 1."""
from __future__ import annotations

import argparse
import json

from engine import export, gradcheck
from tui.cli.common import Parser, add_model_options, add_text_options, build_model, positive_float
from tui.host.output import PROG, emit, flush_stdout, say
from tui.text.i18n import t
from tui.text.report import Text, gradcheck_text


def parser() -> Parser:
    p = Parser(prog=f"{PROG} gradcheck", description="Compare backprop's gradient of the mean loss over the data "
                                                     "set with finite differences, parameter by parameter.")
    add_model_options(p)
    p.add_argument("--h", type=positive_float, default=gradcheck.DEFAULT_H, help="step size (default 1e-5)")
    p.add_argument("--method", choices=("central", "forward"), default="central")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_text_options(p)
    return p


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    rows = gradcheck.check_model(model, h=args.h, method=args.method)
    if args.format == "json":
        emit(json.dumps(export.plain({"method": args.method, "h": args.h, "rows": [
            {"parameter": list(r.key), "analytic": r.analytic, "numeric": r.numeric, "rel_error": r.rel_error}
            for r in rows]}), allow_nan=False) + "\n")
    else:
        emit(gradcheck_text(rows, model, args.method, args.h, gradcheck.max_rel_error(rows),
                            Text(args.lang, args.decimal_comma)))
    if not gradcheck.checkable(rows):  # an overflowing loss: nothing to compare, never "agrees"
        flush_stdout()
        say(f"{PROG}: {t('cli_gradcheck_cannot', args.lang)}")
        return 1
    return 0
