"""`backprop-tui surface [MODEL] [--epochs N] [--grid N] [--format text|json|csv]`: the network over the
input plane after N epochs of training (engine.training.train; default 0, the model as given), on a
grid of N × N points spanning the data and a margin of 0.5 (engine.surface.span: [−0.5, 1.5]² for the
truth tables), for handouts and checks (issue 13).

text: ŷ in shading characters (tui/text/surface_art.py: ░▒▓█ by quarter of the output's range, · the
      ŷ = 0.5 contour, ○/● the samples by target), then ŷ, the target and right/wrong at 0.5 per data row.
json: the model and parameters used, the grid's x₁ and x₂ values, ŷ and a⁽¹⁾ at every point (rows are
      x₂ values, columns x₁ values: yhat[r][c] is ŷ at (x1[c], x2[r])), the data and the predictions,
      the hidden space's points and decision line. Full precision (repr); a value that is not finite
      is null.
csv:  x1,x2,yhat,a1_1,a1_2, one row per grid point (x₂ low to high, x₁ low to high within), repr digits.
"""

from __future__ import annotations

import argparse

from engine import export, training
from engine import surface as S
from engine.model import Model
from tui.cli.common import Parser, add_model_options, add_text_options, at_most, build_model, report_divergence
from tui.host.output import PROG, emit, emit_all
from tui.text import fmt
from tui.text import surface_art as art
from tui.text.i18n import act_name, tn

DEFAULT_GRID = 41  # points per side: [−0.5, 1.5] in steps of 0.05, the truth tables' inputs on the grid
MAX_EPOCHS = 1_000_000  # as the app's play stops by default: a few seconds of training at most


def grid_points(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = 0
    if not 2 <= v <= art.MAX_TEXT_GRID:
        raise argparse.ArgumentTypeError(f"expected a whole number from 2 to {art.MAX_TEXT_GRID}, got {text!r}")
    return v


def epochs_count(text: str) -> int:
    if text.strip() == "0":
        return 0
    try:
        return at_most(MAX_EPOCHS)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_EPOCHS:_}".replace("_", " ") + f", got {text!r}"
        ) from None


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} surface",
        description="The network's output ŷ (and each hidden unit's a⁽¹⁾) over the "
        "input plane around the data, after N epochs of training.",
    )
    add_model_options(p)
    p.add_argument(
        "--epochs",
        type=epochs_count,
        default=0,
        metavar="N",
        help=f"train N epochs first (default 0: the model as given; at most {MAX_EPOCHS:_})".replace("_", " "),
    )
    p.add_argument(
        "--grid",
        type=grid_points,
        default=DEFAULT_GRID,
        metavar="N",
        help=f"N × N grid points (default {DEFAULT_GRID}, from 2 to {art.MAX_TEXT_GRID})",
    )
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    add_text_options(p)
    return p


def compute(model: Model, epochs: int, n: int) -> tuple[training.TrainResult, S.Surface]:
    """The training result and the surface of its parameters on the n × n grid over the data's span."""
    res = training.train(model, epochs)
    lo1, hi1, lo2, hi2 = S.span(model.X)
    return res, S.surface(res.params, model.hidden, model.output, S.grid(lo1, hi1, n), S.grid(lo2, hi2, n))


def as_json(model: Model, epochs: int, res: training.TrainResult, s: S.Surface) -> dict:
    preds = S.predictions(res.params, model.X, model.Y, model.hidden, model.output)
    hs = S.hidden_space(res.params, model.X, model.Y, model.hidden, model.output)
    return export.plain(
        {
            "model": {"name": model.name, "hidden": model.hidden, "output": model.output, "lr": model.lr},
            "epochs": epochs,
            "diverged_at": res.diverged_at,
            "loss": float(res.losses[-1]) if len(res.losses) else None,
            "params": {"W1": res.params.W1, "b1": res.params.b1, "W2": res.params.W2, "b2": res.params.b2},
            "grid_layout": "yhat[r][c], a1[j][r][c] are at (x1[c], x2[r]): rows are x2 values, columns x1 values",
            "x1": s.x1,
            "x2": s.x2,
            "yhat": s.yhat,
            "a1": s.a1,
            "threshold": S.THRESHOLD,
            "data": {"X": model.X, "Y": model.Y},
            "predictions": [{"x": list(p.x), "y": p.y, "yhat": p.yhat, "right": p.right} for p in preds],
            "hidden_space": {
                "points": hs.points,
                "w": list(hs.w),
                "b": hs.b,
                "level": hs.level,
                "line": "w[0]*a1 + w[1]*a2 + b = level, level = f^-1(threshold) of the output activation",
            },
        }
    )


def text_lines(model: Model, epochs: int, res: training.TrainResult, s: S.Surface, lang: str, comma: bool) -> list[str]:
    preds = S.predictions(res.params, model.X, model.Y, model.hidden, model.output)
    loss = float(res.losses[-1]) if len(res.losses) else float("nan")
    head = tn(
        "surface_text_model",
        epochs,
        lang,
        name=model.name,
        hidden=act_name(model.hidden, lang),
        output=act_name(model.output, lang),
        epochs=epochs,
        loss=art.minus(fmt.num(loss, comma)),
    )
    return (
        [head, ""]
        + art.text_picture(s, model.X, model.Y, model.output, lang, comma)
        + [""]
        + art.prediction_rows(preds, lang, comma)
    )


def run(args: argparse.Namespace) -> int:
    model = build_model(args)
    res, s = compute(model, args.epochs, args.grid)
    if args.format == "json":
        emit(export.dumps(as_json(model, args.epochs, res, s)) + "\n")
    elif args.format == "csv":
        emit_all(art.csv_rows(s))
    else:
        emit("\n".join(text_lines(model, args.epochs, res, s, args.lang, args.decimal_comma)) + "\n")
    if res.diverged_at is not None:
        return report_divergence(args.lang, res.diverged_at)
    return 0
