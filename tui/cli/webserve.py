"""The textual-serve server as `backprop-tui serve` runs it: a service shared by a class (issue 9).

textual-serve's Server, with five of its public methods replaced:

- handle_index: the page tells the browser to connect back to the address the browser itself used
  (its Host header) unless --public-url says otherwise. textual-serve writes http://HOST:PORT into
  the page, so with --host 0.0.0.0 every browser was sent to 0.0.0.0, which is nowhere.
- handle_websocket: the same session as textual-serve's (one app process per tab, speaking over
  textual-serve's AppService), for at most `max_tabs` app processes at once (--max-tabs), each message
  checked: a terminal size is whole numbers within MAX_SIZE (tui/host/terminal.py; one
  `["resize",{"width":80,"height":100000}]` had the app draw a 100 000-row screen, at 100 % CPU and
  gigabytes), the keys of one message are at most MAX_STDIN_BYTES (the rest is dropped: one message of
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
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal

from typing import Callable

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.host import files
from tui.host.terminal import MAX_SIZE

DEFAULT_SIZE = (80, 24)
QUIT_SECONDS = 3  # an app asked to quit has this long to end by itself, then gets SIGTERM
TERM_SECONDS = 2  # and this long after SIGTERM before SIGKILL
MAX_STDIN_BYTES = 4096  # keys in one message (a paste included); the rest is dropped
MAX_MESSAGE_BYTES = 256 * 1024  # one websocket message; beyond, aiohttp closes the tab
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


class TabApp(AppService):
    """textual-serve's AppService, its app in a process group of its own that `end` ends for sure."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # AppService's own, with start_new_session: the app (and anything it starts) is one group to signal
        self._process = process = await asyncio.create_subprocess_shell(
            self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height),
            start_new_session=True)
        self._stdin = process.stdin
        return process

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

    def __init__(self, command: Callable[[str], str], shared: str, *, host: str, port: int,
                 public_url: str | None, max_tabs: int, full_message: str = "") -> None:
        super().__init__("", host=host, port=port, title="backprop-tui", public_url=public_url)
        self.tab_command, self.shared = command, shared
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
        return {"font_size": font_size, "app_websocket_url": websocket, "config": {"static": {"url": static}},
                "application": {"name": self.title}}

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
        app = TabApp(self.tab_command(folder), write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                     close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        self.apps.add(app)
        self.tabs.add(websocket)
        try:
            await app.start(*(size or DEFAULT_SIZE))
            async for message in websocket:
                if message.type == WSMsgType.TEXT:
                    await self.forward(message.data, app, websocket)
        finally:  # the tab closed, the server stops, or the app could not start: the app is ended
            self.tabs.discard(websocket)
            try:
                await app.end()
            finally:
                self.apps.discard(app)
                files.remove_if_empty(folder)
        return websocket

    async def forward(self, text: str, app: AppService, websocket: web.WebSocketResponse) -> None:
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
                await app.set_terminal_size(*size)
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await app.blur()
        elif kind == "focus":
            await app.focus()

    async def on_startup(self, app: web.Application) -> None:
        pass

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.tabs):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server stopped")

    def serve(self, debug: bool = False) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # Server.serve takes this loop and adds SIGINT and SIGTERM to it
        loop.add_signal_handler(signal.SIGHUP, self.request_exit)
        super().serve(debug)


__all__ = ["ClassServer", "TabApp", "clamp_size", "bounded_keys"]
