"""`backprop-tui serve`: the app in a browser tab, through textual-serve (issue 4 item 8, issue 9).

    backprop-tui serve [MODEL] [app options] [--files DIR] [--host H] [--port N] [--public-url URL]
                       [--max-tabs N] [--tab-start warm|cold]

textual-serve runs one app process per browser tab and speaks to it over a websocket. This module
checks everything before it says "serving on": the model, a key script, the theme (exit 2, one
line, as any bad argument), then that the host resolves and the port is free (exit 1: the machine,
not the command line); it then builds each tab's command line (`python -m tui` with the model
and app options given here) and starts the server (tui/cli/webserve.py).

A browser user is someone the server's owner may not know, so each tab's app gets a folder of its
own, DIR/tab-N, as `--files DIR/tab-N --files-shared DIR`: ctrl+s saves only there, o opens from
there or, read-only, from DIR itself (what a lecturer puts in DIR, every tab can open; no tab can
overwrite another's file; tui/host/files.py), x is a download, and the app ends with the server
(tui.host.process.end_with_parent). A tab's folder goes when the tab ends if nothing was saved in it.
DIR is a fresh temporary folder unless --files names one; the temporary one goes at the end if
nobody saved anything in it. The server binds to 127.0.0.1
unless --host says otherwise: a lecturer's laptop should not offer the app to the whole network
by accident, and beyond this machine it says on stderr what a browser user can do there.
Installed with `pip install 'backprop-tui[web]'`.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
import tempfile

from tui.cli.common import Parser, add_interactive_options, add_model_options, build_model, positive_int
from tui.host import files
from tui.host.output import PROG, say
from tui.host.script import ScriptError, script_from_args
from tui.host.theme_names import theme_error
from tui.text.i18n import t, tn

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_TABS = 100  # app processes of ~60 MB each: 6 GB at most
SERVE_ONLY = ("host", "port", "public_url", "max_tabs", "tab_start", "help", "files", "files_shared")  # files: per tab
WILDCARD_HOSTS = ("", "0.0.0.0", "::")


def port_number(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = 0
    if not 1 <= v <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return v


def parser() -> Parser:
    p = Parser(
        prog=f"{PROG} serve",
        description="Serve the interactive app to a browser with textual-serve (one app per tab). "
        "Needs: pip install 'backprop-tui[web]'.",
    )
    add_model_options(p)
    add_interactive_options(p)
    g = p.add_argument_group("server")
    g.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for every network interface)",
    )
    g.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    g.add_argument(
        "--max-tabs",
        type=positive_int,
        default=DEFAULT_MAX_TABS,
        metavar="N",
        help=f"browser tabs served at once, each an app process of ~60 MB (default {DEFAULT_MAX_TABS})",
    )
    g.add_argument(
        "--tab-start",
        choices=("warm", "cold"),
        default="warm",
        help="warm (default): each tab's app is forked from one process that has loaded the app "
        "already, so 40 tabs opened at once do not each load Python, NumPy and Textual again "
        "and share its memory; cold: each tab starts a fresh `python -m tui`",
    )
    g.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it is not the one they asked for (behind a proxy: "
        "https://…); by default each page points back at the address its browser used",
    )
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
        elif isinstance(value, tuple):  # --join HOST:PORT, parsed into (host, port)
            host, port = value
            out += [option, f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
        else:
            out += [option, str(value)]
    return out


def tab_argv(parser: argparse.ArgumentParser, args: argparse.Namespace, tab_folder: str, shared: str) -> list[str]:
    """The app's command line (after `backprop-tui`) for a browser tab whose folder is `tab_folder`
    inside the `shared` one (--files): what the warm parent runs (tui/warm.py)."""
    return [*app_argv(parser, args), "--files", tab_folder, "--files-shared", shared]


def app_command(parser: argparse.ArgumentParser, args: argparse.Namespace, tab_folder: str, shared: str) -> str:
    """The shell command for the same tab started as a fresh process (--tab-start cold, or when the
    warm parent is not there). `exec`: the shell becomes the app, so the app is the server's own child
    and ends with it (tui.host.process.end_with_parent)."""
    return "exec " + shlex.join([sys.executable, "-m", "tui", *tab_argv(parser, args, tab_folder, shared)])


class ServeError(Exception):
    """What stops the server before it starts: one line; `code` 2 for an argument, 1 for the machine."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def addresses(host: str, port: int) -> list[tuple]:
    """What the server will bind for `host` (getaddrinfo's answers); ServeError if it does not resolve."""
    try:
        return socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as e:
        raise ServeError(f"--host: cannot resolve {host!r}: {getattr(e, 'strerror', None) or e}", 1) from None


def only_this_machine(infos: list[tuple]) -> bool:
    """Every address a loopback one: no other machine can connect."""
    return all(ipaddress.ip_address(address[0].split("%")[0]).is_loopback for *_, address in infos)


def check_listen(infos: list[tuple], port: int) -> None:
    """Bind every address on `port` and let go (the server binds them next): ServeError if one is taken."""
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio's server does
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                s.bind(address)
            except OSError as e:
                raise ServeError(f"cannot listen on {address[0]} port {port}: {e.strerror or e}", 1) from None


def shown_url(args: argparse.Namespace) -> str:
    """The address to tell the user: --public-url, or this machine's name when listening on every interface."""
    if args.public_url:
        return args.public_url
    host = socket.gethostname() if args.host in WILDCARD_HOSTS else args.host
    return f"http://{f'[{host}]' if ':' in host else host}:{args.port}"


def check(args: argparse.Namespace) -> None:
    """Every argument the app and the server will use, before anything starts (ServeError)."""
    build_model(args)  # a bad model file stops here with the command line's message (exit 2)
    try:
        script_from_args(args)
    except ScriptError as e:
        raise ServeError(str(e), 2) from None
    if problem := theme_error(args.theme):
        raise ServeError(problem, 2)
    if args.files_shared is not None:
        raise ServeError("--files-shared: serve gives each tab its own; name the shared folder with --files DIR", 2)
    if args.export_dir is not None:
        raise ServeError("--export-dir: in a browser x is a download; files are kept in --files DIR", 2)
    if args.lead is not None or args.max_students is not None:
        raise ServeError(
            "--lead: a browser tab does not lead a class; run backprop-tui --lead in a terminal, "
            "then serve --join HOST:PORT --code CODE",
            2,
        )
    if args.join is not None and not args.code:
        raise ServeError("--join needs --code CODE (the code on the lecturer's screen)", 2)
    if args.code is not None and args.join is None:
        raise ServeError("--code belongs to --join", 2)
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise ServeError(f"--public-url: expected an address starting http:// or https://, got {args.public_url!r}", 2)


def files_folder(args: argparse.Namespace) -> tuple[str, bool]:
    """The folder for the tabs' files, created, and whether it is a temporary one (ServeError)."""
    if args.files is None:
        return tempfile.mkdtemp(prefix="backprop-serve-"), True
    try:
        return str(files.prepare(args.files)), False
    except (FileExistsError, NotADirectoryError):
        raise ServeError(f"--files: {args.files!r} is not a folder", 2) from None
    except OSError as e:
        raise ServeError(f"--files: cannot create {args.files!r}: {e.strerror or e}", 1) from None


def run(args: argparse.Namespace, command_parser: argparse.ArgumentParser | None = None) -> int:
    command_parser = command_parser or parser()
    try:
        check(args)
        try:
            # loaded only here: aiohttp and textual-serve are the optional [web] extra
            from tui.cli.webserve import ClassServer
        except ImportError:
            raise ServeError(
                "textual-serve is not installed; install it with: pip install 'backprop-tui[web]' "
                "(or: pip install textual-serve)",
                2,
            ) from None
        infos = addresses(args.host, args.port)
        check_listen(infos, args.port)
        folder, temporary = files_folder(args)
    except ServeError as e:
        say(f"{PROG} serve: error: {e}")
        return e.code
    server = ClassServer(
        lambda tab_folder: app_command(command_parser, args, tab_folder, folder),
        folder,
        argv=lambda tab_folder: tab_argv(command_parser, args, tab_folder, folder),
        warm=args.tab_start == "warm",
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_tabs=args.max_tabs,
        full_message=tn("cli_serve_full", args.max_tabs, args.lang),
    )
    say(f"{PROG}: {t('cli_serve_on', args.lang, url=shown_url(args))}")
    say(f"{PROG}: {t('cli_serve_files', args.lang, folder=folder)}")
    if not only_this_machine(infos):
        say(f"{PROG}: {t('cli_serve_beyond', args.lang, host=args.host, port=args.port, folder=folder)}")
    try:
        server.serve()
    except OSError as e:  # the port was taken between check_listen and now
        say(f"{PROG} serve: error: cannot listen on {args.host} port {args.port}: {e.strerror or e}")
        return 1
    finally:
        try:
            left = os.listdir(folder)
        except OSError:
            left = []
        for tab_folder in left:  # the tabs' folders nobody saved anything in
            if files.TAB_FOLDER.fullmatch(tab_folder):
                files.remove_if_empty(os.path.join(folder, tab_folder))
        if temporary:
            try:
                os.rmdir(folder)  # only if empty: what browser users saved is kept
            except OSError:
                say(f"{PROG}: {t('cli_serve_kept', args.lang, folder=folder)}")
    return 0
