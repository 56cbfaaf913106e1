"""The textual-serve server as `backprop-tui serve` runs it: a service shared by a class (issue 9).

textual-serve's Server, with five of its public methods replaced:

- handle_index: the page tells the browser to connect back to the address the browser itself used
  (its Host header) unless --public-url says otherwise. textual-serve writes http://HOST:PORT into
  the page, so with --host 0.0.0.0 every browser was sent to 0.0.0.0, which is nowhere.
- handle_websocket: the same session as textual-serve's (one app process per tab, speaking over
  textual-serve's AppService), for at most `max_tabs` app processes at once (--max-tabs), each message
  checked: a terminal size is whole numbers within MAX_SIZE (tui/host/terminal.py; one
  `["resize",{"width":80,"height":100000}]` had the app draw a 100 000-row screen, at 100 % CPU and
  gigabytes; sizes reach the app at most every RESIZE_SECONDS, the latest last: Resizes), the keys of one message are at most MAX_STDIN_BYTES (the rest is dropped: one message of
  200 000 × "l" kept a closed tab's app at 100 % CPU and 800 MB for minutes; the app bounds the keys it
  holds too, tui/app/input_gate.py), a message is at most MAX_MESSAGE_BYTES (aiohttp closes the tab
  beyond), and a malformed message is ignored instead of ending the session with a traceback in the
  server's log.
- Each tab has a folder of its own, DIR/tab-N inside the shared --files DIR (tui/host/files.py),
  made when the tab opens and removed when it ends if nothing was saved in it; `command(folder)`
  is the tab's command line (tui/cli/serve.py app_command).
- A tab's app runs in a process group of its own (TabApp). When its tab closes, or the server stops,
  it is asked to quit; if it has not ended within QUIT_SECONDS (busy, stuck, flooded), its group gets
  SIGTERM, and SIGKILL TERM_SECONDS later. A tab counts against --max-tabs until its process has
  ended, not only while its page is open. If the server itself is killed, the kernel ends the apps
  (tui.host.process.end_with_parent).
- on_startup prints nothing (tui/cli/serve.py has said where it serves); on_shutdown closes every
  tab's websocket, which ends its app as above (the tab is told the server stopped).
- serve: SIGHUP (the terminal the server ran in closed) stops it as Ctrl+C and SIGTERM do.
- Tabs start from a warm parent (WarmParent, tui/warm.py; --tab-start warm, the default): one
  process that has imported the app once forks each tab's app, handed the tab's pipes, so a tab
  pays only its own start and shares the parent's memory pages until it writes them. If that parent
  cannot start or dies, tabs start the old way (`python -m tui`, --tab-start cold) and the server
  says so once on stderr.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from itertools import count

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from engine import export
from tui.host import files
from tui.host.terminal import MAX_SIZE

DEFAULT_SIZE = (80, 24)
QUIT_SECONDS = 3  # an app asked to quit has this long to end by itself, then gets SIGTERM
TERM_SECONDS = 2  # and this long after SIGTERM before SIGKILL
MAX_STDIN_BYTES = 4096  # keys in one message (a paste included); the rest is dropped
MAX_MESSAGE_BYTES = 256 * 1024  # one websocket message; beyond, aiohttp closes the tab
RESIZE_SECONDS = 0.05  # a tab's app is resized at most this often (Resizes), always to the latest size
PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"  # bracketed paste, as the browser's terminal sends it
FONT_SIZES = (6, 64)  # ?fontsize= in the page's address, in CSS pixels
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")  # a Host header worth echoing


def clamp_size(width: object, height: object) -> tuple[int, int] | None:
    """The terminal size a tab gets for the one it asked: whole numbers, each from 1 to its maximum
    (MAX_SIZE, as the app's own); None if either is not a number."""
    try:
        w, h = int(width), int(height)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(w, 1), MAX_SIZE[0]), min(max(h, 1), MAX_SIZE[1])


def bounded_keys(text: str) -> bytes:
    """The bytes of a tab's "stdin" message the app gets: at most MAX_STDIN_BYTES, cut at a character;
    a paste cut short is closed (else the app would take every later key as part of the paste)."""
    raw = text.encode("utf-8", "replace")  # "replace": a lone surrogate from JSON
    if len(raw) <= MAX_STDIN_BYTES:
        return raw
    room = MAX_STDIN_BYTES - len(PASTE_END)
    raw = raw[:room].decode("utf-8", "ignore").encode("utf-8")
    if raw.rfind(PASTE_START) > raw.rfind(PASTE_END):
        raw += PASTE_END
    return raw


class WarmProcess:
    """A tab's app forked by the warm parent, as asyncio.subprocess.Process looks to AppService and
    TabApp: pid (its own process group), returncode, stdin, stdout, stderr and wait(). Not our
    child: the parent reports its end (WarmParent)."""

    def __init__(
        self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader, stderr: asyncio.StreamReader
    ) -> None:
        self.pid, self.stdin, self.stdout, self.stderr = pid, stdin, stdout, stderr
        self.returncode: int | None = None
        self._ended = asyncio.get_running_loop().create_future()

    def ended(self, code: int) -> None:
        if self.returncode is None:
            self.returncode = code
            self.stdin.close()
        if not self._ended.done():
            self._ended.set_result(code)

    async def wait(self) -> int:
        return await asyncio.shield(self._ended)


class WarmParent:
    """The server's side of tui/warm.py: starts it, asks it for one tab's app at a time, and hears
    when each ends. `spawn` returns None when the parent is not there (it could not start or died):
    the caller starts the tab the old way."""

    START_SECONDS = 60  # a parent that has not said "ready" by then (a very busy machine) is given up

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment
        self.sock: socket.socket | None = None
        self.process: subprocess.Popen | None = None
        self.ready: asyncio.Future | None = None
        self.answers: dict[int, asyncio.Future] = {}
        self.running: dict[int, WarmProcess] = {}
        self.ids = count(1)
        self.failed = False

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui.warm", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )  # Ctrl+C in the server's terminal is the server's to handle
        except OSError:
            ours.close()
            self._give_up("cannot start")
            return
        finally:
            theirs.close()
        ours.setblocking(False)
        self.sock = ours
        loop = asyncio.get_running_loop()
        self.ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._read)

    def _read(self) -> None:
        assert self.sock is not None
        while True:
            try:
                data = self.sock.recv(4096)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._lost()
                return
            try:
                message = json.loads(data)
            except ValueError:
                continue
            if "ready" in message and self.ready is not None and not self.ready.done():
                self.ready.set_result(True)
            elif "exit" in message:
                process = self.running.pop(message["exit"], None)
                if process is not None:
                    process.ended(int(message.get("code", -signal.SIGKILL)))
            elif (answer := self.answers.pop(message.get("id"), None)) is not None and not answer.done():
                answer.set_result(message)

    def _lost(self) -> None:
        """The parent ended: its tabs ended with it (each asked the kernel for that); new tabs start cold."""
        if self.sock is not None:
            asyncio.get_running_loop().remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        for answer in self.answers.values():
            if not answer.done():
                answer.set_result({"error": "the warm parent ended"})
        self.answers.clear()
        for process in self.running.values():
            process.ended(-signal.SIGKILL)
        self.running.clear()
        if self.ready is not None and not self.ready.done():
            self.ready.set_result(False)
        self._give_up("ended")

    def _give_up(self, why: str) -> None:
        if not self.failed:
            self.failed = True
            print(
                f"backprop-tui serve: the tabs' warm parent {why}; tabs start as fresh processes",
                file=sys.stderr,
                flush=True,
            )

    async def spawn(self, argv: list[str], env: dict[str, str], cwd: str) -> WarmProcess | None:
        if self.failed or self.sock is None or self.ready is None:
            return None
        try:
            if not await asyncio.wait_for(asyncio.shield(self.ready), self.START_SECONDS):
                return None
        except asyncio.TimeoutError:
            self._give_up("did not start in time")
            return None
        loop = asyncio.get_running_loop()
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        request_id = next(self.ids)
        answer = self.answers[request_id] = loop.create_future()
        try:
            message = export.dumps({"id": request_id, "argv": argv, "env": env, "cwd": cwd}, compact=True).encode()
            await self._send(message, [in_r, out_w, err_w])
        except OSError:
            self.answers.pop(request_id, None)
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            return None
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        reply = await answer
        if "pid" not in reply:
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            return None
        stdout, stderr = asyncio.StreamReader(limit=2**16), asyncio.StreamReader(limit=2**16)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), os.fdopen(out_r, "rb", 0))
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stderr), os.fdopen(err_r, "rb", 0))
        transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, os.fdopen(in_w, "wb", 0))
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        process = self.running[reply["pid"]] = WarmProcess(reply["pid"], stdin, stdout, stderr)
        return process

    async def _send(self, message: bytes, fds: list[int]) -> None:
        assert self.sock is not None
        loop = asyncio.get_running_loop()
        while True:
            try:
                socket.send_fds(self.sock, [message], fds)
                return
            except BlockingIOError:
                writable = loop.create_future()
                loop.add_writer(self.sock.fileno(), writable.set_result, None)
                try:
                    await writable
                finally:
                    loop.remove_writer(self.sock.fileno())

    def close(self) -> None:
        """The server stops: closing our end ends the parent (and, with it, any tab still running)."""
        if self.sock is not None:  # the loop has ended (serve): nothing is reading it any more
            self.sock.close()
            self.sock = None
        if self.process is not None:
            try:
                self.process.wait(timeout=TERM_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class TabApp(AppService):
    """textual-serve's AppService, its app in a process group of its own that `end` ends for sure,
    forked by the warm parent when there is one (`argv`, `folder`), else started as a fresh process."""

    def __init__(
        self,
        command: str,
        *,
        warm: WarmParent | None = None,
        argv: list[str] | None = None,
        folder: str = ".",
        **kwargs,
    ) -> None:
        super().__init__(command, **kwargs)
        self.warm, self.argv, self.folder = warm, argv, folder

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        if self.warm is not None and self.argv is not None:
            process = await self.warm.spawn(self.argv, environment, os.getcwd())
            if process is not None:
                self._process = process  # type: ignore[assignment]  # the same surface (WarmProcess)
                self._stdin = process.stdin
                return process  # type: ignore[return-value]
        # AppService's own, with start_new_session: the app (and anything it starts) is one group to signal
        self._process = fresh = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._stdin = fresh.stdin
        return fresh

    async def end(self) -> None:
        """Ask the app to quit; SIGTERM its group after QUIT_SECONDS, SIGKILL after TERM_SECONDS more;
        return once the process has ended (reaped)."""
        process = self._process
        if process is None:
            return
        try:
            await asyncio.wait_for(self._quit(process), QUIT_SECONDS)
        except asyncio.TimeoutError:
            self._signal(process, signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), TERM_SECONDS)
            except asyncio.TimeoutError:
                self._signal(process, signal.SIGKILL)
                await process.wait()
        if self._task is not None:  # the reader of the app's output ends with it
            try:
                await asyncio.wait_for(self._task, TERM_SECONDS)
            except asyncio.TimeoutError:  # something else of the group holds the pipe: it is not read any more
                pass
            self._task = None

    async def _quit(self, process: asyncio.subprocess.Process) -> None:
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})  # waits while the app does not read its input: bounded by end()
        await process.wait()

    @staticmethod
    def _signal(process: asyncio.subprocess.Process, sig: int) -> None:
        if process.returncode is None:  # not reaped: its pid, the group's id, is still its own
            try:
                os.killpg(process.pid, sig)
            except (ProcessLookupError, PermissionError):
                pass


class ClassServer(Server):
    """textual-serve's Server for a class: see the module's docstring. `public_url` None: derived
    from each request."""

    def __init__(
        self,
        command: Callable[[str], str],
        shared: str,
        *,
        host: str,
        port: int,
        public_url: str | None,
        max_tabs: int,
        full_message: str = "",
        argv: Callable[[str], list[str]] | None = None,
        warm: bool = False,
    ) -> None:
        super().__init__("", host=host, port=port, title="backprop-tui", public_url=public_url)
        self.tab_command, self.shared = command, shared
        self.tab_argv = argv
        self.warm: WarmParent | None = None
        self.start_warm = warm and argv is not None
        self.fixed_url = public_url
        self.max_tabs, self.full_message = max_tabs, full_message
        self.tabs: set[web.WebSocketResponse] = set()  # open websockets
        self.apps: set[TabApp] = set()  # app processes not yet ended: what --max-tabs counts

    def base_url(self, request: web.Request) -> str:
        if self.fixed_url:
            return self.fixed_url.rstrip("/")
        host = request.host if _HOST.fullmatch(request.host or "") else f"{self.host}:{self.port}"
        return f"{request.scheme}://{host}"

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict:
        base = self.base_url(request)
        router = request.app.router
        scheme, rest = base.split(":", 1)
        websocket = ("wss:" if scheme == "https" else "ws:") + rest + str(router["websocket"].url_for())
        static = f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        font_size = min(max(to_int(request.query.get("fontsize", "16"), 16), FONT_SIZES[0]), FONT_SIZES[1])
        return {
            "font_size": font_size,
            "app_websocket_url": websocket,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        size = clamp_size(request.query.get("width", DEFAULT_SIZE[0]), request.query.get("height", DEFAULT_SIZE[1]))
        await websocket.prepare(request)
        if len(self.apps) >= self.max_tabs:  # each tab is an app process of ~60 MB: the machine has a limit
            await websocket.send_bytes(self.full_message.encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too many tabs")
            return websocket
        try:
            folder = str(files.new_tab_folder(self.shared))
        except OSError as e:  # the disk is full, the folder went: no tab rather than one without files
            await websocket.send_bytes(f"cannot make this tab's folder: {e.strerror or e}".encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"no folder")
            return websocket
        app = TabApp(
            self.tab_command(folder),
            warm=self.warm,
            argv=self.tab_argv(folder) if self.tab_argv is not None else None,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.apps.add(app)
        self.tabs.add(websocket)
        resizes = Resizes(app)
        try:
            await app.start(*(size or DEFAULT_SIZE))
            async for message in websocket:
                if message.type == WSMsgType.TEXT:
                    await self.forward(message.data, app, websocket, resizes)
        finally:  # the tab closed, the server stops, or the app could not start: the app is ended
            resizes.cancel()
            self.tabs.discard(websocket)
            try:
                await app.end()
            finally:
                self.apps.discard(app)
                files.remove_if_empty(folder)
        return websocket

    async def forward(self, text: str, app: AppService, websocket: web.WebSocketResponse, resizes: Resizes) -> None:
        """One message from the browser, as textual-serve's protocol has it: [kind, data]."""
        try:
            envelope = json.loads(text)
        except ValueError:
            return
        if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
            return
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await app.send_bytes(bounded_keys(data))
        elif kind == "resize" and isinstance(data, dict):
            size = clamp_size(data.get("width"), data.get("height"))
            if size is not None:
                resizes.ask(size)
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await app.blur()
        elif kind == "focus":
            await app.focus()

    async def on_startup(self, app: web.Application) -> None:
        if self.start_warm:
            # the environment every tab gets (textual-serve's), at the default size: the parent loads
            # Textual under it; each tab's own size follows with its request
            environment = TabApp(
                "", download_manager=self.download_manager, write_bytes=_ignore, write_str=_ignore, close=_nothing
            )._build_environment(*DEFAULT_SIZE)
            self.warm = WarmParent(environment)
            self.warm.start()

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.tabs):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server stopped")

    def serve(self, debug: bool = False) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # Server.serve takes this loop and adds SIGINT and SIGTERM to it
        loop.add_signal_handler(signal.SIGHUP, self.request_exit)
        try:
            super().serve(debug)
        finally:  # after every tab's app was asked to quit (on_shutdown, then each tab's end)
            if self.warm is not None:
                self.warm.close()


class Resizes:
    """A tab's terminal sizes on their way to its app: the latest asked for, handed on as soon as the
    server's loop gets to it, then at most one every RESIZE_SECONDS. A browser sends one per step of a window drag, and a
    hostile page can send thousands a second; each one re-lays out every panel, so unthrottled they
    held the tab's app (and the class's shared CPU) at 100 %."""

    def __init__(self, app: AppService) -> None:
        self.app = app
        self.size: tuple[int, int] | None = None  # the latest size not yet handed on
        self.task: asyncio.Task | None = None

    def ask(self, size: tuple[int, int]) -> None:
        self.size = size
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._hand_on())

    async def _hand_on(self) -> None:
        while self.size is not None:
            size, self.size = self.size, None
            await self.app.set_terminal_size(*size)
            await asyncio.sleep(RESIZE_SECONDS)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()


async def _ignore(data: object) -> None:
    pass


async def _nothing() -> None:
    pass


__all__ = ["WarmParent", "WarmProcess", "ClassServer", "TabApp", "clamp_size", "bounded_keys"]
