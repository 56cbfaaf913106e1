"""`backprop-tui sweep`: does a 2–2–1 network always learn XOR? (issue 4, item 7)

    backprop-tui sweep [MODEL] [--nets N] [--epochs N] [--activations A,B,…] [--threshold L]
                       [--format text|json] [--lang en|pt] [--decimal-comma]

Trains N independently initialised networks at once (engine.sweep.sweep) and reports, per hidden
activation, how many converged (final L < threshold) and diverged, and the distribution of the final
losses as a plotext histogram of log₁₀ L (on a log scale the learnt and the stuck networks form two
separate humps). MODEL is the one of the other subcommands, except that the default preset is xor.
Like the other headless commands this module never imports Textual.
"""

from __future__ import annotations

import argparse
import textwrap

import numpy as np
import plotext as plt

from engine import activations, export, sweep
from tui.cli.common import (
    Parser,
    UsageError,
    add_model_options,
    add_text_options,
    at_most,
    build_model,
    positive_float,
    positive_int,
)
from tui.host.output import PROG, emit
from tui.text import fmt
from tui.text import histogram as histogram_bars
from tui.text.histogram import log10_losses, log10_range
from tui.text.i18n import act_name, t, tn

TEXT_WIDTH = 80  # an 80-column terminal
HIST_WIDTH, HIST_HEIGHT = 78, 14
MAX_NETS = 100_000  # all the networks are trained at once: ~0.6 KB each per activation, ~60 MB here


def activation_list(text: str) -> tuple[str, ...]:
    """ "sigmoid,tanh,relu" → ("sigmoid", "tanh", "relu"); each a hidden activation, none twice."""
    names = tuple(name.strip() for name in text.split(","))
    if not names or any(n not in activations.HIDDEN_ACTIVATIONS for n in names) or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(
            t("cli_sweep_bad_list", "en", choices=", ".join(activations.HIDDEN_ACTIVATIONS), text=text)
        )
    return names


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} sweep",
        description="Train many independently initialised networks at once and report how many learn "
        "the task, the distribution of their final losses and the split by hidden activation.",
    )
    add_model_options(p)
    p.set_defaults(preset="xor")
    p.add_argument(
        "--nets",
        type=at_most(MAX_NETS),
        default=1000,
        metavar="N",
        help="networks per hidden activation; network n starts from seed (--seed, default the "
        "model's) + n (default 1000, at most 100 000)",
    )
    p.add_argument("--epochs", type=positive_int, default=5000, metavar="N", help="epochs per network (default 5000)")
    p.add_argument(
        "--activations",
        type=activation_list,
        metavar="A,B,…",
        help="hidden activations to compare on the same starting points, e.g. sigmoid,tanh,relu "
        "(default: the model's, or --activation)",
    )
    p.add_argument(
        "--threshold",
        type=positive_float,
        default=sweep.CONVERGED_LOSS,
        metavar="L",
        help=f"a network converged when its final data-set loss is below L (default {sweep.CONVERGED_LOSS})",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_text_options(p)
    return p


def histogram(logs: np.ndarray, lo: float, hi: float) -> str:
    """The histogram as plain text (plotext, no colour codes), HIST_WIDTH columns wide."""
    plt.clear_figure()
    histogram_bars.plot(plt, histogram_bars.bars(logs, lo, hi), width=1)
    plt.plotsize(HIST_WIDTH, HIST_HEIGHT)
    plt.theme("clear")
    text = plt.uncolorize(plt.build())
    plt.clear_figure()
    return "\n".join(line.rstrip() for line in text.splitlines())


def sweep_text(result: sweep.SweepResult, lang: str, comma: bool) -> str:
    def tr(key: str, **values) -> str:
        return t(key, lang, **values)

    def n(v: float) -> str:
        return fmt.num(v, comma)

    first, last = int(result.seeds[0]), int(result.seeds[-1])
    header = [
        tr(
            "cli_sweep_title",
            name=result.model,
            nets=tn("n_networks", result.nets, lang),
            epochs=tn("n_epochs", result.epochs, lang),
        ),
        tr("cli_sweep_setup", output=act_name(result.output, lang), eta="η", lr=n(result.lr)),
        tr("cli_sweep_seeds", first=first, last=last),
        tr("cli_sweep_rule", threshold=n(result.threshold)),
    ]
    lines = [wrapped for line in header for wrapped in textwrap.wrap(line, TEXT_WIDTH)] + [""]
    cols = (tr("cli_sweep_hidden"), tr("cli_sweep_converged"), tr("cli_sweep_diverged"), tr("cli_sweep_median"))
    width = max(len(cols[0]), *(len(act_name(r.hidden, lang)) for r in result.runs))
    conv_width = max(len(cols[1]), len(f"{result.nets} / {result.nets} (100.0%)"))
    lines.append(f"{cols[0]:<{width}}  {cols[1]:<{conv_width}}  {cols[2]:>{len(cols[2])}}  {cols[3]}")
    for run in result.runs:
        share = fmt.num(100.0 * run.n_converged / result.nets, comma, decimals=1)
        finite = run.final_loss[np.isfinite(run.final_loss)]
        median = n(float(np.median(finite))) if finite.size else "—"
        lines.append(
            f"{act_name(run.hidden, lang):<{width}}  {f'{run.n_converged} / {result.nets} ({share}%)':<{conv_width}}  "
            f"{run.n_diverged:>{len(cols[2])}}  {median}"
        )
    lo, hi = log10_range(result.runs)
    for run in result.runs:
        logs = log10_losses(run.final_loss)
        lines.append("")
        if logs.size:
            lines += textwrap.wrap(
                tn("cli_sweep_hist", logs.size, lang, count=logs.size, hidden=act_name(run.hidden, lang)), TEXT_WIDTH
            )
            lines.append(histogram(logs, lo, hi))
        else:
            lines.append(tr("cli_sweep_all_diverged", hidden=act_name(run.hidden, lang)))
    return "\n".join(lines) + "\n"


def sweep_json(result: sweep.SweepResult) -> str:
    """{"model", "nets", "epochs", "lr", "output", "seeds": [first, last], "threshold", "runs": [RUN, …]}
    with RUN = {"hidden", "converged", "diverged", "median_loss", "final_loss": [L per network, null if
    not finite]}; network n started from seed seeds[0] + n."""
    runs = []
    for run in result.runs:
        finite = run.final_loss[np.isfinite(run.final_loss)]
        runs.append(
            {
                "hidden": run.hidden,
                "converged": run.n_converged,
                "diverged": run.n_diverged,
                "median_loss": float(np.median(finite)) if finite.size else None,
                "final_loss": run.final_loss,
            }
        )
    return export.dumps(
        {
            "model": result.model,
            "nets": result.nets,
            "epochs": result.epochs,
            "lr": result.lr,
            "output": result.output,
            "seeds": [int(result.seeds[0]), int(result.seeds[-1])],
            "threshold": result.threshold,
            "runs": runs,
        }
    )


def run(args: argparse.Namespace) -> int:
    if args.activation and args.activations:
        raise UsageError(f"{PROG} sweep: error: {t('cli_sweep_both', args.lang)}")
    model = build_model(args)
    result = sweep.sweep(
        model, args.nets, args.epochs, hidden=args.activations or (model.hidden,), threshold=args.threshold
    )
    if args.format == "json":
        emit(sweep_json(result) + "\n")
    else:
        emit(sweep_text(result, args.lang, args.decimal_comma))
    return 0
