"""The warm parent of `backprop-tui serve`'s tabs (issue 21; docs/DESIGN.md §12).

    python -m tui.warm FD        (started by tui/cli/webserve.py, never by hand)

A fresh `python -m tui` per browser tab pays Python, NumPy, Textual and our modules again: on two
cores, 40 tabs opened at once wait for 40 such imports. This process pays them once: it sets the
environment a tab's app runs in, imports everything a tab's app loads, freezes the garbage collector
(the imported objects are never scanned again, so their pages stay shared), then waits on FD, one end
of an AF_UNIX SOCK_SEQPACKET pair whose other end the server holds.

One request per message: JSON {"id", "argv", "env", "cwd"} with three file descriptors, the tab's
stdin, stdout and stderr (pipes the server made, as textual-serve's own start does). For each, the
parent forks a child that takes them as 0, 1 and 2, starts a session of its own (one process group
per tab, which the server signals), takes the tab's environment and folder, and runs
`tui.main.main(argv)`: the same code `python -m tui ARGV` runs, already loaded. The parent answers
{"id", "pid"} (or {"id", "error"}) and, when a child ends, {"exit": pid, "code": returncode} with
the code as asyncio reports it (−N for a signal). It never reads a tab's streams.

Ending: the server's end of the socket closes (it stopped or was killed) → this process exits; it
also asked the kernel to SIGKILL it when the server dies (tui.host.process.end_with_parent), and
every tab's app asks the same of this process, so a killed server leaves no app running. It does
not take Ctrl+C from the server's terminal (a session of its own). Only what the server sends on its
private socket reaches it; a malformed request is answered with an error, not a crash.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import selectors
import signal
import socket
import sys

MAX_REQUEST_BYTES = 64 * 1024  # argv, environment and folder of one tab
# What a tab's app loads before its first screen: everything `python -m tui` imports on the way.
PRELOAD = ("tui.main", "tui.cli.commands", "tui.app.app", "textual.drivers.web_driver")


def preload() -> None:
    """The tab's process settings (before NumPy and Textual read them), then its modules."""
    from tui.host import process  # before NumPy and Textual load (their settings)

    process.apply_environment()
    for name in PRELOAD:
        importlib.import_module(name)


def _exit_code(status: int) -> int:
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _send(sock: socket.socket, message: dict) -> None:
    try:
        from engine.export import dumps  # not at the top: NumPy must load after preload()'s process settings

        sock.send(dumps(message, compact=True).encode())
    except OSError:  # the server is gone: the loop sees EOF next
        pass


def _run_child(request: dict, fds: list[int], keep_closed: list[int]) -> None:
    """In the forked child: become the tab's app. Never returns."""
    code = 1
    try:
        for fd in keep_closed:
            os.close(fd)
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):  # as a fresh `python -m tui` has them
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in request["env"].items()})
        os.chdir(request["cwd"])
        argv = [str(a) for a in request["argv"]]
        sys.argv = [sys.argv[0], *argv]
        from tui.main import main  # loaded already (PRELOAD): the name only

        code = main(argv)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's loop
        import traceback  # only when an app dies of an error: to its tab's stderr

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) else 1)


def serve(sock: socket.socket) -> int:
    """Fork a tab's app for each request on `sock` until its other end closes."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup byte is written
    children: set[int] = set()
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    _send(sock, {"ready": os.getpid()})
    while True:
        for key, _ in selector.select():
            if key.fileobj is sock:
                try:
                    data, fds, _flags, _addr = socket.recv_fds(sock, MAX_REQUEST_BYTES, 3)
                except OSError:
                    data, fds = b"", []
                if not data:  # the server is gone
                    return 0
                _start(sock, data, fds, children, [sock.fileno(), wake_r, wake_w])
            else:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                _reap(sock, children)


def _start(sock: socket.socket, data: bytes, fds: list[int], children: set[int], ours: list[int]) -> None:
    request: dict = {}
    try:
        request = json.loads(data)
        if not (
            isinstance(request, dict)
            and isinstance(request.get("argv"), list)
            and isinstance(request.get("env"), dict)
            and isinstance(request.get("cwd"), str)
            and len(fds) == 3
        ):
            raise ValueError("a request is {id, argv, env, cwd} with three descriptors")
        pid = os.fork()
    except (ValueError, OSError) as e:
        for fd in fds:
            os.close(fd)
        _send(sock, {"id": request.get("id") if isinstance(request, dict) else None, "error": str(e)})
        return
    if pid == 0:
        _run_child(request, fds, ours)
    for fd in fds:
        os.close(fd)
    children.add(pid)
    _send(sock, {"id": request.get("id"), "pid": pid})


def _reap(sock: socket.socket, children: set[int]) -> None:
    for pid in list(children):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done:
            children.discard(pid)
            _send(sock, {"exit": pid, "code": _exit_code(status)})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        sock = socket.socket(fileno=int(argv[0]))
    except (IndexError, ValueError, OSError):
        print("python -m tui.warm FD: started by `backprop-tui serve`, not by hand", file=sys.stderr)
        return 2
    from tui.host.process import end_with_parent  # after the socket check: `python -m tui.warm` by hand loads nothing

    end_with_parent()  # the server killed (SIGKILL included): this process goes, and with it every tab
    preload()
    gc.collect()
    gc.freeze()  # the preloaded objects stay out of every later collection: their pages stay shared
    return serve(sock)


if __name__ == "__main__":
    sys.exit(main())
