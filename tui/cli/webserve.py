"""The textual-serve server as `backprop-tui serve` runs it: a service shared by a class (issue 9).

textual-serve's Server, with five of its public methods replaced:

- handle_index: the page tells the browser to connect back to the address the browser itself used
  (its Host header) unless --public-url says otherwise. textual-serve writes http://HOST:PORT into
  the page, so with --host 0.0.0.0 every browser was sent to 0.0.0.0, which is nowhere.
- handle_websocket: the same session as textual-serve's (one app process per tab, speaking over
  textual-serve's AppService), for at most `max_tabs` tabs at once (--max-tabs), each message
  checked: a terminal size is whole numbers within MAX_SIZE (tui/host/terminal.py; one
  `["resize",{"width":80,"height":100000}]` had the app draw a 100 000-row screen, at 100 % CPU and
  gigabytes), and a malformed message is ignored instead of ending the session with a traceback in
  the server's log.
- on_startup prints nothing (tui/cli/serve.py has said where it serves); on_shutdown closes every
  tab's websocket, which asks its app process to quit (the tab is told the server stopped). An app
  that does not quit within STOP_SECONDS does not hold the server up: the kernel kills it when the
  server ends (tui.host.process.end_with_parent).
- serve: SIGHUP (the terminal the server ran in closed) stops it as Ctrl+C and SIGTERM do.
"""
from __future__ import annotations

import asyncio
import json
import re
import signal

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.host.terminal import MAX_SIZE

DEFAULT_SIZE = (80, 24)
STOP_SECONDS = 10  # an app asked to quit has this long before the server stops waiting for it
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


class ClassServer(Server):
    """textual-serve's Server for a class: see the module's docstring. `public_url` None: derived
    from each request."""

    def __init__(self, command: str, *, host: str, port: int, public_url: str | None, max_tabs: int,
                 full_message: str = "") -> None:
        super().__init__(command, host=host, port=port, title="backprop-tui", public_url=public_url)
        self.fixed_url = public_url
        self.max_tabs, self.full_message = max_tabs, full_message
        self.tabs: set[web.WebSocketResponse] = set()

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
        websocket = web.WebSocketResponse(heartbeat=15)
        size = clamp_size(request.query.get("width", DEFAULT_SIZE[0]), request.query.get("height", DEFAULT_SIZE[1]))
        await websocket.prepare(request)
        if len(self.tabs) >= self.max_tabs:  # each tab is an app process of ~60 MB: the machine has a limit
            await websocket.send_bytes(self.full_message.encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too many tabs")
            return websocket
        self.tabs.add(websocket)
        app = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                         close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        try:
            await app.start(*(size or DEFAULT_SIZE))
            async for message in websocket:
                if message.type == WSMsgType.TEXT:
                    await self.forward(message.data, app, websocket)
        finally:  # the tab closed, the server stops, or the app could not start: the app is asked to quit
            self.tabs.discard(websocket)
            try:
                await asyncio.wait_for(app.stop(), STOP_SECONDS)
            except asyncio.TimeoutError:  # stuck: the server stops anyway, and the kernel ends the app with it
                pass
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
            await app.send_bytes(data.encode("utf-8", "replace"))  # "replace": a lone surrogate from JSON
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


__all__ = ["ClassServer", "clamp_size"]
