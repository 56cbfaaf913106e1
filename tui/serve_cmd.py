"""`backprop-tui serve`: the app in a browser tab, through textual-serve (issue 4, item 8).

    backprop-tui serve [MODEL] [app options] [--host H] [--port N] [--public-url URL]

textual-serve runs one app process per browser tab and speaks to it over a websocket; this module
only builds that process's command line (`python -m tui.cli` with the model and app options given
here, so a bad option is reported now, not in the browser) and starts the server. It binds to
127.0.0.1 unless --host says otherwise: a lecturer's laptop should not offer a shell-like app to
the whole network by accident. Installed with `pip install 'backprop-tui[web]'`.
"""
from __future__ import annotations

import argparse
import shlex
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SERVE_ONLY = ("host", "port", "public_url", "help")


def serve_parser():
    from tui.cli import PROG, Parser, add_interactive_options, add_model_options, positive_int

    p = Parser(prog=f"{PROG} serve",
               description="Serve the interactive app to a browser with textual-serve (one app per tab). "
                           "Needs: pip install 'backprop-tui[web]'.")
    add_model_options(p)
    add_interactive_options(p)
    g = p.add_argument_group("server")
    g.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for every "
                        "network interface)")
    g.add_argument("--port", type=positive_int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    g.add_argument("--public-url", metavar="URL",
                   help="the address browsers use, when it is not http://HOST:PORT (behind a proxy)")
    return p


def app_argv(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The options of `args` that the app process needs, as a command line: those not at their default."""
    out: list[str] = []
    for action in parser._actions:  # argparse keeps its options here; there is no public accessor
        if action.dest in SERVE_ONLY or not action.option_strings:
            continue
        value = getattr(args, action.dest, None)
        if value is None or value == action.default:
            continue
        option = next((o for o in action.option_strings if o.startswith("--")), action.option_strings[0])
        if isinstance(action, argparse._StoreTrueAction):
            out.append(option)
        else:
            out += [option, str(value)]
    return out


def app_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab."""
    return shlex.join([sys.executable, "-m", "tui.cli", *app_argv(parser, args)])


def cmd_serve(args: argparse.Namespace, parser: argparse.ArgumentParser | None = None) -> int:
    from tui.cli import PROG, build_model
    from tui.script import ScriptError, script_from_args

    parser = parser or serve_parser()
    build_model(args)  # a bad model file stops here with the command line's message (exit 2)
    try:
        script_from_args(args)
    except ScriptError as e:
        print(f"{PROG} serve: error: {e}", file=sys.stderr)
        return 2
    try:
        from textual_serve.server import Server
    except ImportError:
        print(f"{PROG} serve: error: textual-serve is not installed; install it with: pip install "
              "'backprop-tui[web]' (or: pip install textual-serve)", file=sys.stderr)
        return 2
    public_url = args.public_url or f"http://{args.host}:{args.port}"
    server = Server(app_command(parser, args), host=args.host, port=args.port, title="backprop-tui",
                    public_url=public_url)
    print(f"{PROG}: serving on {public_url} (Ctrl+C stops)", file=sys.stderr)
    server.serve()
    return 0


__all__ = ["serve_parser", "app_argv", "app_command", "cmd_serve", "DEFAULT_HOST", "DEFAULT_PORT"]
