"""What every subcommand of the command line shares (DESIGN §6): the one-line usage errors, the
argument types, the model options, building the model, and writing to stdout and stderr.

Bad input of any kind exits with code 2 and one line on stderr naming the file or option, the field
and what was expected; an output that cannot be written (closed, full disk) exits with code 1 and
one line. User text in a message is escaped (config.shown), so a message is always one line and
never a terminal escape sequence. No Textual, no rich, no app: `trace` starts in the time NumPy takes.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, NoReturn, TypeVar

from engine import activations, config, presets
from engine.model import Model
from tui.host.output import PROG, flush_stdout, say
from tui.text import fmt
from tui.text.i18n import LANGS, act_name, detect_lang, t, tn


class UsageError(Exception):
    """A bad command line; the message is the one line main() prints."""


class Terminated(BaseException):
    """One of the EXIT_SIGNALS arrived during a headless command (BaseException: nothing swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit code 2, never usage + traceback."""

    def error(self, message: str) -> NoReturn:
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


def batch_arg(text: str) -> int | str:
    """--batch: "full" or a whole number N ≥ 1 (N ≥ m is the full batch)."""
    if text == "full":
        return "full"
    try:
        return positive_int(text)
    except argparse.ArgumentTypeError:  # the same whole number, named with its other choice
        raise argparse.ArgumentTypeError(f"expected full or a whole number ≥ 1, got {text!r}") from None


BATCH_HELP = (
    "batch gradient descent (§2.1's L = (1/m) Σ Lᵢ): full = one update per epoch with the mean gradient "
    "of all m samples; N = one update per N samples with their mean gradient, batches in data order "
    "(N ≥ m: the full batch; when N does not divide m the last batch of an epoch is shorter and averages "
    "over its own size); default: per-sample descent"
)


def add_batch_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--batch", type=batch_arg, metavar="full|N", help=BATCH_HELP)


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
            raise argparse.ArgumentTypeError(
                f"expected a whole number from 1 to {limit:_}".replace("_", " ") + f", got {text!r}"
            )
        return v

    return bounded_int


# --- parsers --------------------------------------------------------------------------------


def add_model_options(p: argparse.ArgumentParser) -> None:
    """MODEL of DESIGN §6: where the model comes from, then overrides that win over it."""
    g = p.add_argument_group("model (default: --preset lecture)")
    src = g.add_mutually_exclusive_group()
    src.add_argument("--preset", choices=list(presets.PRESETS), help="a built-in model (see: backprop-tui presets)")
    src.add_argument(
        "--config", type=file_name, metavar="FILE.toml", help="a model file (format: docs/MODELS.md; at most 8 MiB)"
    )
    g.add_argument("--activation", choices=activations.HIDDEN_ACTIVATIONS, help="hidden-layer activation")
    g.add_argument("--output-activation", choices=activations.OUTPUT_ACTIVATIONS, help="output activation")
    g.add_argument("--lr", type=positive_float, metavar="η", help="learning rate η > 0")
    g.add_argument(
        "--seed",
        type=seed_int,
        metavar="N",
        help="random seed; it draws new small random weights only when the model has no explicit "
        "weights (the xor/and/or/nand presets, a model file without [weights]); it also "
        "orders samples for train --shuffle",
    )


def add_text_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGS,
        default=detect_lang(),
        help="language of text output (default from"
        " LANGUAGE, LC_ALL, LC_MESSAGES or LANG: pt_BR → pt, es_ES → es, else en)",
    )
    p.add_argument("--decimal-comma", action="store_true", help="write 0,3825 instead of 0.3825 in text output")


def add_interactive_options(p: argparse.ArgumentParser) -> None:
    """Options of the interactive app only; the app adds its own here."""
    add_text_options(p)
    p.add_argument("--theme", metavar="NAME", help="Textual colour theme (e.g. textual-dark, textual-light)")
    p.add_argument("--no-mouse", action="store_true", help="ignore the mouse (keys only)")
    p.add_argument(
        "--target-loss", type=positive_float, metavar="L", help="play stops when the data-set loss falls below L"
    )
    p.add_argument("--max-epochs", type=positive_int, metavar="N", help="play stops after N epochs (default 1 000 000)")
    p.add_argument(
        "--speed",
        type=non_negative_float,
        metavar="EPOCHS",
        help="epochs a second while playing (default 1000; 0: as fast as the machine allows)",
    )
    p.add_argument(
        "--export-dir",
        type=file_name,
        metavar="DIR",
        help="folder for x (export: Markdown, LaTeX, SVG screenshot, loss CSV); default ./backprop-exports",
    )
    p.add_argument(
        "--files",
        type=file_name,
        metavar="DIR",
        help="served mode: o, ctrl+s and x use files inside DIR only (created if missing), the app ends "
        "with the process that started it; serve passes it to each tab (default there: a fresh "
        "temporary folder)",
    )
    p.add_argument(
        "--files-shared",
        type=file_name,
        metavar="DIR",  # serve gives each tab its own --files
        help=argparse.SUPPRESS,
    )  # folder inside DIR, and DIR as this: o reads it too, read-only
    keys = p.add_mutually_exclusive_group()
    keys.add_argument(
        "--keys",
        metavar="KEYS",
        help='replay key names for a screencast, e.g. "f f b b u" (Textual names: space, plus, escape)',
    )
    keys.add_argument(
        "--keys-file",
        type=file_name,
        metavar="FILE",
        help="like --keys, from a file (# starts a comment; at most 1 MiB)",
    )
    p.add_argument(
        "--delay", type=non_negative_float, metavar="SECONDS", help="seconds between replayed keys (default 0.8)"
    )
    p.add_argument(
        "--exit-after",
        type=non_negative_float,
        metavar="SECONDS",
        help="quit this many seconds after the last replayed key (0: at once); default: stay open",
    )
    p.add_argument(
        "--present",
        action="store_true",
        help="presenter mode: each press of space plays the next scripted key (other keys work as usual)",
    )
    p.add_argument(
        "--captions",
        action="store_true",
        help="a caption bar names each scripted key as it is played (the keys file's # comments when given)",
    )
    p.add_argument(
        "--keep-screen",
        action="store_true",
        help="at exit, print the last frame on the normal screen (a recording ends on it)",
    )
    add_batch_option(p)
    p.add_argument(
        "--quiz",
        action="store_true",
        help="quiz mode: before each micro-step shows its numbers, ask for one of them (k toggles)",
    )
    p.add_argument(
        "--quiz-log",
        type=file_name,
        metavar="FILE",
        help="quiz mode, and append one CSV row per question to FILE (time, --name, question, the "
        "answer at each try, the right value, right at the first/second try, revealed)",
    )
    add_session_options(p)
    p.add_argument(
        "--name",
        metavar="NAME",
        help="the student's name in the --quiz-log rows and in a class session (--join) (default: the "
        "login name; at most 32 characters)",
    )


def lead_address(text: str) -> tuple[str, int]:
    """--lead [HOST:]PORT: host 127.0.0.1 unless given, port 0 a free one."""
    from tui.host.session_schema import BadAddress, parse_address  # start-up time: it loads engine.export

    try:
        return parse_address(text)
    except BadAddress as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def join_address(text: str) -> tuple[str, int]:
    """--join HOST:PORT (a port of 0 is no session's)."""
    from tui.host.session_schema import BadAddress, parse_address  # start-up time: it loads engine.export

    try:
        return parse_address(text, join=True)
    except BadAddress as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def join_code(text: str) -> str:
    from tui.host.session_schema import CODE_CHARS, valid_code  # start-up time: it loads engine.export

    if not valid_code(text):
        raise argparse.ArgumentTypeError(
            f"expected 1 to {CODE_CHARS} letters, digits or dashes, got {config.shown(text)!r}"
        )
    return text


MAX_STUDENTS_LIMIT = 1000


def add_session_options(p: argparse.ArgumentParser) -> None:
    """A class session (issue 22, docs/CLASSROOM.md): lead one, or join one."""
    g = p.add_argument_group("class session (docs/CLASSROOM.md)")
    role = g.add_mutually_exclusive_group()
    role.add_argument(
        "--lead",
        type=lead_address,
        metavar="[HOST:]PORT",
        help="lead a class session: students' apps follow this one (host default 127.0.0.1; "
        "0.0.0.0 for a room's network; port 0: a free one); the status line shows the address, "
        "the join code and how many joined; with the quiz on, each step asks the class first",
    )
    role.add_argument(
        "--join",
        type=join_address,
        metavar="HOST:PORT",
        help="join a class session: this app follows the lecturer's (F follows again after exploring)",
    )
    g.add_argument(
        "--code",
        type=join_code,
        metavar="CODE",
        help="the join code (--lead: default a random one of 6 characters; --join: required)",
    )
    g.add_argument(
        "--max-students",
        type=at_most(MAX_STUDENTS_LIMIT),
        metavar="N",
        help="--lead: at most N students connected at once (default 200)",
    )


# --- building the model ---------------------------------------------------------------------


def build_model(args: argparse.Namespace) -> Model:
    """The preset or model file, then the command-line overrides (raises config.ConfigError)."""
    model = config.load_model(args.config) if args.config is not None else presets.load(args.preset or "lecture")
    model = config.apply_overrides(
        model, hidden=args.activation, output=args.output_activation, lr=args.lr, seed=args.seed
    )
    warn_targets(model, getattr(args, "lang", None) or detect_lang())
    return model


def warn_targets(model: Model, lang: str) -> None:
    """A target the output activation cannot reach gets a warning on stderr, not a refusal (the loss
    just cannot reach 0: a lesson in itself)."""
    outside = model.targets_outside()
    if len(outside) == 0:
        return
    i = int(outside[0])
    line = t(
        "target_range",
        lang,
        y=fmt.num(model.Y[i]),
        i=i + 1,
        range=fmt.value_range(model.output),
        output=act_name(model.output, lang),
    )
    if len(outside) > 1:
        line += tn("target_range_more", len(outside) - 1, lang)
    say(f"{PROG}: {line}")


T = TypeVar("T")


class Last(Generic[T]):
    """Passes the items of an iterable through and remembers the last one."""

    def __init__(self, items: Iterable[T]):
        self.items = items
        self.last: T | None = None

    def __iter__(self) -> Iterator[T]:
        for item in self.items:
            self.last = item
            yield item


def report_divergence(lang: str, epoch: int) -> int:
    """'diverged at epoch k' on stderr (in English too, for scripts that match it); exit code 1."""
    message = t("diverged", lang, epoch=epoch)
    english = t("diverged", "en", epoch=epoch)
    flush_stdout()
    say(f"{PROG}: {message}" + (f" ({english})" if message != english else ""))
    return 1
