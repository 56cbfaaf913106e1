"""The `backprop-tui` command (DESIGN §6).

    backprop-tui [MODEL] [--lang en|pt] [--theme NAME]             the interactive app
    backprop-tui trace [MODEL] [--steps N] [--format text|json|markdown|latex]
    backprop-tui train [MODEL] --epochs N [--format text|json|csv] [--shuffle]
    backprop-tui gradcheck [MODEL]
    backprop-tui presets
    backprop-tui sweep [MODEL] [--nets N] [--epochs N] [--activations A,B,…] [--format text|json]
    backprop-tui serve [MODEL] [app options] [--host H] [--port N]    the app in a browser (textual-serve)
    MODEL: --preset NAME | --config FILE.toml, then --activation, --output-activation, --lr, --seed

The headless subcommands never import Textual (harlequin's rule, STYLE.md): they start in the time
NumPy takes to import. Only the bare command imports tui.app, lazily. Bad input of any kind exits
with code 2 and one line on stderr naming the file or option, the field and what was expected;
an output that cannot be written (closed, full disk) exits with code 1 and one line; SIGINT, SIGQUIT,
SIGTERM and SIGHUP (tui.terminal.EXIT_SIGNALS, as in the app) end a headless command with 128 + the
signal's number (130, 131, 143, 129), quietly; a signal the command was started with ignored
(`nohup`) stays ignored. User text in a message is escaped (config.shown), so a message is always
one line and never a terminal escape sequence.

Limits (README, "Limits"): a model file ≤ 8 MiB (config.MAX_MODEL_BYTES), a key script ≤ 1 MiB,
a seed from 0 to 2³²−1, sweep --nets ≤ 100 000. trace and train write as they compute, so any
--steps or --epochs runs in bounded memory (and `| head` stops them early).
"""
from __future__ import annotations

import argparse
import gc
import math
import os
import signal
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

# Before NumPy loads: the 2–2–1 network's arrays hold two or four numbers, so BLAS threads never
# help, and starting a pool of them costs ~0.1 s of start-up (and on a shared lab server a thread
# per core for every student's process). A value the user set is kept.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# Textual draws at most TEXTUAL_FPS frames a second (default 60). A key that arrives within 1/60 s
# of the last frame waited for the next tick, up to 17 ms on top of the ~20 ms the key takes
# (issue 5, key → screen); at 120 it waits at most 8 ms, and since a key takes longer than that,
# in practice not at all. The app draws only when something changed (play: ten frames a second at
# most), so the higher cap adds no frames while idle or playing. A value the user set is kept.
FRAME_RATE = 120
os.environ.setdefault("TEXTUAL_FPS", str(FRAME_RATE))

# Start-up (issue 5): what loading the modules creates lives as long as the process, yet the
# cyclic GC walks it ~150 times before the app's first screen (a full pass over it takes 40–90 ms
# here) and finds almost nothing: ~1/6 of the app's start-up. It is paused while modules load;
# run_interactive keeps it paused until the app has drawn its first screen.
_GC_WAS_ON = gc.isenabled()
gc.disable()


from tui.terminal import EXIT_SIGNALS  # noqa: E402  (no Textual, ~2 ms)


# Ctrl+C (or another of the EXIT_SIGNALS) while the modules below load, the first ~0.2 s, ended in
# a KeyboardInterrupt traceback: until they are loaded such a signal ends the process quietly with
# 128 + its number; main() and the app install their own handlers afterwards.
def _quit_while_loading(signum, frame):
    os._exit(128 + signum)


try:
    _LOADING = {sig: signal.signal(sig, _quit_while_loading) for sig in EXIT_SIGNALS
                if signal.getsignal(sig) is not signal.SIG_IGN}
except ValueError:  # imported from a thread other than the main one: the signals are not ours
    _LOADING = {}

import numpy as np  # noqa: E402

from engine import activations, config, presets  # noqa: E402
from engine.model import Model  # noqa: E402
from engine.network import Params  # noqa: E402
from tui import fmt  # noqa: E402
from tui.i18n import LANGS, detect_lang, t  # noqa: E402

if _GC_WAS_ON:
    gc.enable()
for _sig, _handler in _LOADING.items():
    signal.signal(_sig, _handler)

if TYPE_CHECKING:  # loaded by the subcommands that use them: the app starts without them
    from engine import export, training

PROG = "backprop-tui"
SUBCOMMANDS = ("trace", "train", "gradcheck", "presets", "sweep", "serve")


class UsageError(Exception):
    """A bad command line; the message is the one line main() prints."""


class OutputError(Exception):
    """Standard output cannot be written (full disk, I/O error: the message says why; none: closed)."""


class Terminated(BaseException):
    """One of the EXIT_SIGNALS arrived during a headless command (BaseException: nothing swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit code 2, never usage + traceback."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message}")


# --- argument types: each names what it expected ----------------------------------------------

def _finite_float(text: str, low: float, inclusive: bool) -> float:
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and (v >= low if inclusive else v > low)):
        raise argparse.ArgumentTypeError(f"expected a number {'≥' if inclusive else '>'} {low:g}, got {text!r}")
    return v


def positive_float(text: str) -> float:
    return _finite_float(text, 0.0, inclusive=False)


def non_negative_float(text: str) -> float:
    return _finite_float(text, 0.0, inclusive=True)


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return v


MAX_SEED = config.MAX_SEED  # one range for --seed and a model file's seed


def seed_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = -1
    if not 0 <= v <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_SEED}, got {text!r}")
    return v


def file_name(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("expected a file name, got an empty string")
    return text


def at_most(limit: int) -> Callable[[str], int]:
    """positive_int with an upper bound, for counts whose work or memory grows with them."""

    def bounded_int(text: str) -> int:
        v = positive_int(text)
        if v > limit:
            raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {limit:_}".replace("_", " ")
                                             + f", got {text!r}")
        return v

    return bounded_int


# --- parsers --------------------------------------------------------------------------------

def add_model_options(p: argparse.ArgumentParser) -> None:
    """MODEL of DESIGN §6: where the model comes from, then overrides that win over it."""
    g = p.add_argument_group("model (default: --preset lecture)")
    src = g.add_mutually_exclusive_group()
    src.add_argument("--preset", choices=list(presets.PRESETS), help="a built-in model (see: backprop-tui presets)")
    src.add_argument("--config", type=file_name, metavar="FILE.toml",
                     help="a model file (format: README.md, 'Config files'; at most 8 MiB)")
    g.add_argument("--activation", choices=activations.HIDDEN_ACTIVATIONS, help="hidden-layer activation")
    g.add_argument("--output-activation", choices=activations.OUTPUT_ACTIVATIONS, help="output activation")
    g.add_argument("--lr", type=positive_float, metavar="η", help="learning rate η > 0")
    g.add_argument("--seed", type=seed_int, metavar="N",
                   help="random seed; it draws new small random weights only when the model has no explicit "
                        "weights (the xor/and/or/nand presets, a model file without [weights]); it also "
                        "orders samples for train --shuffle")


def add_text_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGS, default=detect_lang(),
                   help="language of text output (default from LC_ALL/LANG: pt_* → pt, else en)")
    p.add_argument("--decimal-comma", action="store_true", help="write 0,3825 instead of 0.3825 in text output")


def add_interactive_options(p: argparse.ArgumentParser) -> None:
    """Options of the interactive app only; the app adds its own here."""
    add_text_options(p)
    p.add_argument("--theme", metavar="NAME", help="Textual colour theme (e.g. textual-dark, textual-light)")
    p.add_argument("--no-mouse", action="store_true", help="ignore the mouse (keys only)")
    p.add_argument("--target-loss", type=positive_float, metavar="L",
                   help="play stops when the data-set loss falls below L")
    p.add_argument("--max-epochs", type=positive_int, metavar="N",
                   help="play stops after N epochs (default 1 000 000)")
    p.add_argument("--speed", type=non_negative_float, metavar="EPOCHS",
                   help="epochs a second while playing (default 1000; 0: as fast as the machine allows)")
    p.add_argument("--export-dir", type=file_name, metavar="DIR",
                   help="folder for x (export: Markdown, LaTeX, SVG screenshot, loss CSV); default ./backprop-exports")
    p.add_argument("--files", type=file_name, metavar="DIR",
                   help="served mode: o, ctrl+s and x use files inside DIR only (created if missing), the app ends "
                        "with the process that started it; serve passes it to each tab (default there: a fresh "
                        "temporary folder)")
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--keys", metavar="KEYS",
                      help='replay key names for a screencast, e.g. "f f b b u" (Textual names: space, plus, escape)')
    keys.add_argument("--keys-file", type=file_name, metavar="FILE",
                      help="like --keys, from a file (# starts a comment; at most 1 MiB)")
    p.add_argument("--delay", type=non_negative_float, metavar="SECONDS",
                   help="seconds between replayed keys (default 0.8)")
    p.add_argument("--exit-after", type=non_negative_float, metavar="SECONDS",
                   help="quit this many seconds after the last replayed key (0: at once); default: stay open")
    p.add_argument("--keep-screen", action="store_true",
                   help="at exit, print the last frame on the normal screen (a recording ends on it)")
    p.add_argument("--quiz", action="store_true",
                   help="quiz mode: before each micro-step shows its numbers, ask for one of them (k toggles)")


def interactive_parser() -> Parser:
    p = Parser(prog=PROG, description="Step through backpropagation on the 2–2–1 network of the lecture notes.",
               epilog="headless commands: backprop-tui trace | train | gradcheck | presets  (each has --help)")
    add_model_options(p)
    add_interactive_options(p)
    return p


def trace_parser() -> Parser:
    p = Parser(prog=f"{PROG} trace", description="Run N sample-steps from the start of the data set (cycling "
                                                 "through it) and print every intermediate value.")
    add_model_options(p)
    p.add_argument("--steps", type=positive_int, default=1, metavar="N", help="sample-steps to run (default 1)")
    p.add_argument("--format", choices=("text", "json", "markdown", "latex"), default="text")
    add_text_options(p)
    return p


def train_parser() -> Parser:
    p = Parser(prog=f"{PROG} train", description="Per-sample gradient descent for N epochs; prints the data-set "
                                                 "loss L0 (before) … LN (after epoch N) and the final parameters.")
    add_model_options(p)
    p.add_argument("--epochs", type=positive_int, required=True, metavar="N")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--shuffle", action="store_true",
                   help="visit the samples in a new random order each epoch (from --seed); default: file order")
    add_text_options(p)
    return p


def gradcheck_parser() -> Parser:
    from engine import gradcheck

    p = Parser(prog=f"{PROG} gradcheck", description="Compare backprop's gradient of the mean loss over the data "
                                                     "set with finite differences, parameter by parameter.")
    add_model_options(p)
    p.add_argument("--h", type=positive_float, default=gradcheck.DEFAULT_H, help="step size (default 1e-5)")
    p.add_argument("--method", choices=("central", "forward"), default="central")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_text_options(p)
    return p


def presets_parser() -> Parser:
    p = Parser(prog=f"{PROG} presets", description="List the built-in models.")
    p.add_argument("--lang", choices=LANGS, default=detect_lang())
    return p


# --- building the model ---------------------------------------------------------------------

def build_model(args: argparse.Namespace) -> Model:
    """The preset or model file, then the command-line overrides (raises config.ConfigError)."""
    model = config.load_model(args.config) if args.config is not None else presets.load(args.preset or "lecture")
    return config.apply_overrides(model, hidden=args.activation, output=args.output_activation, lr=args.lr,
                                  seed=args.seed)


# --- text in the notes' notation ------------------------------------------------------------

class Text:
    """Unicode symbols (z₁⁽¹⁾) and numbers (tui.fmt) in the chosen language and decimal mark."""

    def __init__(self, lang: str, comma: bool):
        self.lang, self.comma = lang, comma

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def n(self, v: float) -> str:
        return fmt.num(v, self.comma)

    def vec(self, values) -> str:
        return "(" + ("; " if self.comma else ", ").join(self.n(v) for v in values) + ")"

    def eqs(self, pairs) -> str:
        return "   ".join(f"{name} = {self.n(v)}" for name, v in pairs)

    def params(self, p: Params) -> list[str]:
        return [
            self.eqs((fmt.weight(i, j, 1), p.W1[i - 1, j - 1]) for i in (1, 2) for j in (1, 2)),
            self.eqs((fmt.bias(j, 1), p.b1[j - 1]) for j in (1, 2)),
            self.eqs([(fmt.weight(1, 1, 2), p.W2[0, 0]), (fmt.weight(2, 1, 2), p.W2[1, 0]),
                      (fmt.sym("b", None, 2), p.b2[0])]),
        ]

    def setup(self, model_or_step) -> str:
        return self.t("cli_setup", hidden=model_or_step.hidden, output=model_or_step.output, eta="η",
                      lr=self.n(model_or_step.lr))


def dLd(symbol: str) -> str:
    return f"∂L/∂{symbol}"


def trace_text_pieces(steps: Iterable[export.TraceStep], tx: Text) -> Iterator[str]:
    """`trace`'s text format, one step at a time."""
    for k, s in enumerate(steps):
        yield "\n".join(_trace_step_lines(s, tx, first=k == 0)) + "\n"


def _trace_step_lines(s: export.TraceStep, tx: Text, first: bool) -> list[str]:
    lines = [tx.t("cli_trace_title"), tx.setup(s)] if first else []
    v, g = s.values, s.values.grads
    lines += ["", f"{tx.t('cli_step', epoch=s.epoch, sample=s.sample)}: x = {tx.vec(s.x)}, y = {tx.n(s.y)}",
              f"  {tx.t('cli_parameters')}"]
    lines += [f"    {row}" for row in tx.params(s.params)]
    lines += [
        f"  {tx.t('forward_pass')}",
        "    " + tx.eqs([(fmt.sym("z", 1, 1), v.z1[0]), (fmt.sym("z", 2, 1), v.z1[1])]),
        "    " + tx.eqs([(fmt.sym("a", 1, 1), v.a1[0]), (fmt.sym("a", 2, 1), v.a1[1])]),
        "    " + tx.eqs([(fmt.sym("z", None, 2), v.z2[0]), ("ŷ", v.yhat[0]), ("Lᵢ", v.loss)]),
        f"  {tx.t('backward_pass')}",
        "    " + tx.eqs([(fmt.sym("δ", None, 2), v.delta2[0])]),
        "    " + tx.eqs([(fmt.sym("δ", 1, 1), v.delta1[0]), (fmt.sym("δ", 2, 1), v.delta1[1])]),
        f"  {tx.t('cli_gradients')}",
        "    " + tx.eqs([(dLd(fmt.weight(1, 1, 2)), g.dW2[0, 0]), (dLd(fmt.weight(2, 1, 2)), g.dW2[1, 0]),
                         (dLd(fmt.sym("b", None, 2)), g.db2[0])]),
        "    " + tx.eqs((dLd(fmt.weight(i, j, 1)), g.dW1[i - 1, j - 1]) for i in (1, 2) for j in (1, 2)),
        "    " + tx.eqs((dLd(fmt.bias(j, 1)), g.db1[j - 1]) for j in (1, 2)),
        f"  {tx.t('cli_params_after')} (η = {tx.n(s.lr)})",
    ]
    lines += [f"    {row}" for row in tx.params(s.params_after)]
    return lines


def transcript_labels(lang: str) -> dict[str, str]:
    return {
        "title": t("cli_trace_title", lang),
        "setup": t("cli_setup", lang, hidden="{hidden}", output="{output}", eta="$\\eta", lr="{lr}$") + ".",
        "step": t("cli_step", lang, epoch="{epoch}", sample="{sample}"),
        "forward_pass": t("forward_pass", lang).capitalize(),
        "backward_pass": t("backward_pass", lang).capitalize(),
        "gradients": t("cli_gradients", lang).capitalize(),
        "update": t("update", lang).capitalize(),
    }


def train_text_pieces(model: Model, chunks: Iterable[training.TrainResult], epochs: int, tx: Text) -> Iterator[str]:
    """About ten rows of the loss history, always L0 and the last epoch run, then the final
    parameters; each row is written when its epoch has been trained."""
    shown = sorted({round(k * epochs / 10) for k in range(11)})
    width = max(len(str(epochs)), len(tx.t("epoch")))
    yield "\n".join([tx.t("cli_train_header", name=model.name, m=model.m, epochs=epochs), tx.setup(model), "",
                     f"{tx.t('epoch'):>{width}}  L"]) + "\n"
    start, last, params = 0, 0, model.params
    for res in chunks:
        n = len(res.losses)
        rows = [k for k in shown if start <= k < start + n]
        if res.diverged and start + n - 1 not in rows:  # the last epoch run, when the run stopped early
            rows.append(start + n - 1)
        yield "".join(f"{k:>{width}}  {tx.n(res.losses[k - start])}\n" for k in rows)
        start, last, params = start + n, start + n - 1, res.params
    lines = ["", tx.t("cli_params_final", epoch=last)] + [f"  {row}" for row in tx.params(params)]
    yield "\n".join(lines) + "\n"


def shuffled_chunks(model: Model, epochs: int) -> Iterator[training.TrainResult]:
    """training.train_chunks with the samples in a fresh random order each epoch, drawn from model.seed."""
    from engine import training

    rng = np.random.default_rng(model.seed)
    first = training.train(model, 0)
    yield first
    if first.diverged:
        return
    chunk = max(1, training.CHUNK_SAMPLES // 10 // model.m)  # an epoch here costs ~10 sample-steps
    losses, params = [], model.params
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


def param_symbol(key: tuple) -> str:
    """("W1", 2, 1) → w₂₁⁽¹⁾: a gradient-check row in the notes' notation."""
    name, *index = key
    if name == "W1":
        return fmt.weight(index[0], index[1], 1)
    if name == "b1":
        return fmt.bias(index[0], 1)
    if name == "W2":
        return fmt.weight(index[0], index[1], 2)
    return fmt.sym("b", None, 2)


def gradcheck_text(rows: Sequence, model: Model, args, tx: Text) -> str:
    from engine import gradcheck

    def sci(v: float) -> str:
        text = f"{v:+.9e}"
        return text.replace(".", ",") if tx.comma else text

    def small(v: float) -> str:
        text = f"{v:.1e}"
        return text.replace(".", ",") if tx.comma else text

    header = tx.t(f"cli_gradcheck_{args.method}", h=small(args.h), m=model.m)
    cols = (tx.t("cli_parameter"), tx.t("cli_analytic"), tx.t("cli_numeric"), tx.t("cli_rel_error"))
    width = max(len(cols[0]), 8)
    lines = [header, tx.setup(model), "", f"{cols[0]:<{width}}  {cols[1]:<17}  {cols[2]:<17}  {cols[3]}"]
    lines += [f"{param_symbol(r.key):<{width}}  {sci(r.analytic)}  {sci(r.numeric)}  {small(r.rel_error)}"
              for r in rows]
    worst = gradcheck.max_rel_error(rows)
    lines += ["", tx.t("cli_gradcheck_max", value=small(worst)) if math.isfinite(worst)
              else tx.t("cli_gradcheck_cannot")]
    return "\n".join(lines) + "\n"


# --- writing the output ---------------------------------------------------------------------

def emit(text: str) -> None:
    """Write to standard output; a failure other than the reader leaving is an OutputError."""
    if sys.stdout is None:  # started with stdout closed (`backprop-tui trace >&-`)
        raise OutputError()
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:  # ENOSPC, EIO; ValueError: the stream was closed
        raise OutputError(getattr(e, "strerror", None) or str(e)) from None


def emit_all(pieces: Iterable[str]) -> None:
    """Write each piece as it comes and flush it, so a long run shows (and `| head` stops it) early."""
    for piece in pieces:
        emit(piece)
        flush_stdout()


def flush_stdout() -> None:
    if sys.stdout is None:
        raise OutputError()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:
        raise OutputError(getattr(e, "strerror", None) or str(e)) from None


def say(line: str) -> None:
    """One line on stderr, user text escaped (config.shown); nothing if stderr is closed too."""
    if sys.stderr is None:
        return
    try:
        print(config.shown(line), file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


# --- the subcommands ------------------------------------------------------------------------

class _Last:
    """Passes the items of an iterable through and remembers the last one."""

    def __init__(self, items: Iterable):
        self.items, self.last = items, None

    def __iter__(self):
        for item in self.items:
            self.last = item
            yield item


def cmd_trace(args) -> int:
    from engine import export

    model = build_model(args)
    steps = _Last(export.iter_trace(model, args.steps))
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
    if steps.last is not None and export.diverged(steps.last):
        return report_divergence(args.lang, steps.last.epoch)
    return 0


def cmd_train(args) -> int:
    from engine import export, training

    model = build_model(args)
    chunks = _Last(shuffled_chunks(model, args.epochs) if args.shuffle else training.train_chunks(model, args.epochs))
    if args.format == "json":
        emit_all(export.train_json_pieces((res.losses, res.params) for res in chunks))
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
        emit_all(train_text_pieces(model, chunks, args.epochs, Text(args.lang, args.decimal_comma)))
    if chunks.last.diverged:
        return report_divergence(args.lang, chunks.last.diverged_at)
    return 0


def report_divergence(lang: str, epoch: int) -> int:
    """'diverged at epoch k' on stderr (in English too, for scripts that match it); exit code 1."""
    message = t("diverged", lang, epoch=epoch)
    english = t("diverged", "en", epoch=epoch)
    flush_stdout()
    say(f"{PROG}: {message}" + (f" ({english})" if message != english else ""))
    return 1


def cmd_gradcheck(args) -> int:
    from engine import export, gradcheck

    model = build_model(args)
    rows = gradcheck.check_model(model, h=args.h, method=args.method)
    if args.format == "json":
        import json

        emit(json.dumps(export.plain({"method": args.method, "h": args.h, "rows": [
            {"parameter": list(r.key), "analytic": r.analytic, "numeric": r.numeric, "rel_error": r.rel_error}
            for r in rows]}), allow_nan=False) + "\n")
    else:
        emit(gradcheck_text(rows, model, args, Text(args.lang, args.decimal_comma)))
    if not gradcheck.checkable(rows):  # an overflowing loss: nothing to compare, never "agrees"
        flush_stdout()
        say(f"{PROG}: {t('cli_gradcheck_cannot', args.lang)}")
        return 1
    return 0


def cmd_presets(args) -> int:
    width = max(map(len, presets.PRESETS))
    for name in presets.PRESETS:
        default = f" ({t('cli_default', args.lang)})" if name == "lecture" else ""
        emit(f"{name:<{width}}  {t('preset_' + name, args.lang)}{default}\n")
    return 0


def run_interactive(args) -> int:
    """The bare command: build and validate the model, then hand it to the Textual app."""
    model = build_model(args)
    from tui.script import ScriptError, script_from_args

    try:  # a bad --keys / --keys-file is refused before Textual loads
        script = script_from_args(args)
    except ScriptError as e:
        raise UsageError(f"{PROG}: error: {e}") from None
    gc_on = gc.isenabled()
    gc.disable()  # see _GC_WAS_ON; the app resumes it after its first screen (BackpropApp.resume_gc)
    try:
        try:
            from tui.app import run  # Textual is imported here and only here
        except ImportError as e:
            if e.name == "tui.app":  # the app is not part of this build yet
                print(t("cli_app_missing", args.lang))
                return 0
            say(f"{PROG}: error: cannot start the interactive app: {e}")
            return 1
        return run(model, args, script)
    finally:
        if gc_on:
            gc.enable()


def _serve_cmd():
    from tui import serve_cmd

    return serve_cmd


def _sweep_cmd():
    from tui import sweep_cmd  # it imports this module's helpers, so it is loaded on first use

    return sweep_cmd


COMMANDS: dict[str, tuple[Callable[[], Parser], Callable[[argparse.Namespace], int]]] = {
    "trace": (trace_parser, cmd_trace),
    "train": (train_parser, cmd_train),
    "gradcheck": (gradcheck_parser, cmd_gradcheck),
    "presets": (presets_parser, cmd_presets),
    "sweep": (lambda: _sweep_cmd().sweep_parser(), lambda args: _sweep_cmd().cmd_sweep(args)),
    # the app in a browser tab (textual-serve, the [web] extra); imports no Textual itself
    "serve": (lambda: _serve_cmd().serve_parser(), lambda args: _serve_cmd().cmd_serve(args)),
}


HEADLESS = ("trace", "train", "gradcheck", "presets", "sweep")  # write to stdout; end quietly on a signal


def _raise_terminated(signum, frame):
    raise Terminated(signum)


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so what is still buffered for a reader that left (or
    a full disk) is dropped at exit instead of raising again (Python's documented SIGPIPE recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (closed, or a test's capture)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):  # a Latin-1 terminal gets '?' for ⁽¹⁾
        try:
            sys.stdout.reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    headless = bool(argv) and argv[0] in HEADLESS
    previous = {}
    if headless:  # the EXIT_SIGNALS end the run: an exit code, no traceback (SIGQUIT: no core dump)
        try:
            previous = {sig: signal.signal(sig, _raise_terminated) for sig in EXIT_SIGNALS
                        if signal.getsignal(sig) is not signal.SIG_IGN}
        except ValueError:  # not the main thread: leave the signals alone
            previous = {}
    args = None
    try:
        if argv and argv[0] in COMMANDS:
            make_parser, command = COMMANDS[argv[0]]
            args = make_parser().parse_args(argv[1:])
            if headless and sys.stdout is None:
                raise OutputError()
            code = command(args)
            if headless:
                flush_stdout()
            return code
        return run_interactive(interactive_parser().parse_args(argv))
    except UsageError as e:
        say(str(e))
        return 2
    except config.ConfigError as e:
        say(f"{PROG}: error: {e}")
        return 2
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    except BrokenPipeError:  # `backprop-tui train … | head`: the reader left; not an error
        _silence_stdout()
        return 0
    except OutputError as e:
        _silence_stdout()
        lang = getattr(args, "lang", None) or detect_lang()
        say(f"{PROG}: error: {t('cli_output_failed', lang, reason=str(e) or t('cli_stdout_closed', lang))}")
        return 1
    except KeyboardInterrupt:
        return 130
    except Terminated as e:
        return e.code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    # `python -m tui.cli` runs this file as __main__, but sweep_cmd and serve_cmd import tui.cli: run
    # that module's main, so the exceptions they raise are the classes main() catches.
    from tui.cli import main as _main

    sys.exit(_main())
