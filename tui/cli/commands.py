"""The `backprop-tui` command (DESIGN §6): which subcommand runs, and how it ends.

    backprop-tui [MODEL] [--lang en|pt] [--theme NAME]             the interactive app
    backprop-tui trace [MODEL] [--steps N] [--format text|json|markdown|latex|python|notebook]
    backprop-tui train [MODEL] --epochs N [--format text|json|csv] [--shuffle]
    backprop-tui gradcheck [MODEL] [--param W2:1:1] [--h H] [--method central|forward]
    backprop-tui presets
    backprop-tui sweep [MODEL] [--nets N] [--epochs N] [--activations A,B,…] [--format text|json]
    backprop-tui depth [MODEL] [--layers K] [--format text|json]      |δ| through K hidden layers (exercise 6c)
    backprop-tui compare [MODEL] [--epochs N] [--format text|json|markdown]   sigmoid, tanh, relu side by side
    backprop-tui surface [MODEL] [--epochs N] [--grid N] [--format text|json|csv]   ŷ over the input plane
    backprop-tui serve [MODEL] [app options] [--host H] [--port N]    the app in a browser (textual-serve)
    MODEL: --preset NAME | --config FILE.toml, then --activation, --output-activation, --lr, --seed

Each subcommand is one module of this package with `parser()` and `run(args)`; the bare command's
parser and checks are tui/cli/interactive.py, and the app it starts is handed in by tui.main (this
layer never imports Textual or the app). Bad input exits 2 with one line on stderr; an output that
cannot be written exits 1 with one line; SIGINT, SIGQUIT, SIGTERM and SIGHUP (the app's
EXIT_SIGNALS) end a headless command with 128 + the signal's number, quietly; a signal the command
was started with ignored (`nohup`) stays ignored.

Limits (docs/CLI.md, "Limits"): a model file ≤ 8 MiB (config.MAX_MODEL_BYTES), a key script ≤ 1 MiB,
a seed from 0 to 2³²−1, sweep --nets ≤ 100 000. trace and train write as they compute, so any
--steps or --epochs runs in bounded memory (and `| head` stops them early).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence

from engine import config
from engine.model import Model
from tui.cli import interactive
from tui.cli.common import UsageError
from tui.cli.registry import COMMANDS, HEADLESS
from tui.host.output import PROG, OutputError, flush_stdout, say
from tui.host.script import Script
from tui.host.terminal import EXIT_SIGNALS
from tui.text.i18n import detect_lang, t

Launch = Callable[[Model, argparse.Namespace, "Script | None"], int]


class Terminated(BaseException):
    """One of the EXIT_SIGNALS arrived during a headless command (BaseException: nothing swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum


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


def run(argv: Sequence[str], launch: Launch) -> int:
    """Run the command line `argv` (without the program name); the bare command calls `launch` with
    the model, the options and the key script, which starts the app and returns its exit code."""
    argv = list(argv)
    headless = bool(argv) and argv[0] in HEADLESS
    previous = {}
    if headless:  # the EXIT_SIGNALS end the run: an exit code, no traceback (SIGQUIT: no core dump)
        try:
            previous = {
                sig: signal.signal(sig, _raise_terminated)
                for sig in EXIT_SIGNALS
                if signal.getsignal(sig) is not signal.SIG_IGN
            }
        except ValueError:  # not the main thread: leave the signals alone
            previous = {}
    args = None
    try:
        if argv and argv[0] in COMMANDS:
            # Imported by name, when chosen: each command loads only what it needs (`trace` starts in
            # the time NumPy takes, `sweep` alone loads plotext, `serve` alone aiohttp).
            command = importlib.import_module(f"tui.cli.{argv[0]}")
            args = command.parser().parse_args(argv[1:])
            if headless and sys.stdout is None:
                raise OutputError()
            code = command.run(args)
            if headless:
                flush_stdout()
            return code
        args = interactive.parser().parse_args(argv)
        model, script = interactive.prepare(args)
        return launch(model, args, script)
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
