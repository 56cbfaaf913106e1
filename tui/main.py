"""`backprop-tui`: the program's entry point. It sets up the process (tui/host/process.py), then runs
the command line (tui/cli/commands.py), which for the bare command hands the model to the Textual
app (tui/app). This module is the only one that knows both the command line and the app.

Everything below the standard library is imported inside main(), after the process settings and
the signal handlers for the loading time are in place: BLAS reads its thread count when NumPy
loads, and a Ctrl+C during the first ~0.2 s (while the modules load) printed a KeyboardInterrupt
traceback. Until they are loaded such a signal ends the process quietly with 128 + its number.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Sequence

from tui.host.terminal import EXIT_SIGNALS  # the standard library only


def _quit_while_loading(signum, frame):
    os._exit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):  # a Latin-1 terminal gets '?' for ⁽¹⁾
        try:
            sys.stdout.reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    gc_was_on = gc.isenabled()
    gc.disable()  # while modules load (tui/host/process.py); the app resumes it after its first screen
    try:
        loading = {
            sig: signal.signal(sig, _quit_while_loading)
            for sig in EXIT_SIGNALS
            if signal.getsignal(sig) is not signal.SIG_IGN
        }
    except ValueError:  # called from a thread other than the main one: the signals are not ours
        loading = {}
    try:
        # Loaded here, not at the top: see the module's docstring (settings and signals first).
        from tui.host import process

        process.apply_environment()
        from tui.cli import commands  # (see above: after the settings)
    finally:
        for sig, handler in loading.items():
            signal.signal(sig, handler)
        if gc_was_on:
            gc.enable()
    return commands.run(argv, _launch_app)


def _launch_app(model, args, script) -> int:
    """The bare command: the Textual app on `model`. GC paused until its first screen (resume_gc)."""
    gc_on = gc.isenabled()
    gc.disable()
    try:
        try:
            from tui.app.app import run  # Textual loads here and only here: trace and train never pay for it
        except ImportError as e:  # Textual missing, or a version the app does not support
            from tui.host.output import PROG, say  # loaded already, by the command line (see the docstring)

            text_in = getattr(e, "text", None)  # tui/app/internals/support.py's error says it in the language
            text = text_in(args.lang) if callable(text_in) else e
            say(f"{PROG}: error: cannot start the interactive app: {text}")
            return 1
        return run(model, args, script)
    finally:
        if gc_on:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
