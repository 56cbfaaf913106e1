"""`backprop-tui serve` as a shared service (issue 4 item 8, issue 9).

The command: the app command it hands to textual-serve, its defaults, and every bad argument or
environment refused in one line before "serving on". Files: tui/files.confine directly, then o,
ctrl+s and x through Pilot with --files. Real servers on 127.0.0.1 with a websocket client (as a
browser tab is): the page points back at the address the browser used, a huge terminal size is
clamped, x arrives as a download, and app processes end with their tab and with the server
(SIGKILL, SIGHUP). Every server started here is stopped; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from engine import config
from tui.app.screens.path import PathScreen
from tui.cli import serve as serve_cmd
from tui.host import files
from tui.main import main

WAIT = 30  # seconds: generous bound for anything a server or an app process does here


def parsed(argv):
    p = serve_cmd.parser()
    return p, p.parse_args(argv)


# --- the command ------------------------------------------------------------------------------


def test_defaults_bind_this_machine_only():
    p, args = parsed([])
    assert (args.host, args.port, args.public_url, args.files) == ("127.0.0.1", 8000, None, None)
    assert serve_cmd.app_argv(p, args) == []  # the app's own defaults, nothing forwarded


def test_model_and_app_options_are_forwarded_to_each_tab():
    p, args = parsed(
        [
            "--preset",
            "xor",
            "--lr",
            "0.25",
            "--lang",
            "pt",
            "--decimal-comma",
            "--keys",
            "f f b",
            "--max-epochs",
            "100",
            "--files",
            "my files",
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
        ]
    )
    forwarded = serve_cmd.app_argv(p, args)
    assert forwarded[:2] == ["--preset", "xor"]
    for pair in (["--lr", "0.25"], ["--keys", "f f b"], ["--max-epochs", "100"]):
        i = forwarded.index(pair[0])
        assert forwarded[i : i + 2] == pair
    assert "--decimal-comma" in forwarded
    assert "--host" not in forwarded and "--port" not in forwarded and "0.0.0.0" not in forwarded
    assert "--files" not in forwarded  # each tab gets its own folder
    command = shlex.split(serve_cmd.app_command(p, args, "/srv/my files/tab-3", "/srv/my files"))
    # exec: the shell textual-serve starts becomes the app, a child of the server
    assert command[:4] == ["exec", sys.executable, "-m", "tui"]
    assert command[4:] == [*forwarded, "--files", "/srv/my files/tab-3", "--files-shared", "/srv/my files"]


def test_join_and_its_code_are_forwarded_to_each_tab_as_typed():
    p, args = parsed(["--join", "10.0.0.5:8765", "--code", "ABC234"])
    forwarded = serve_cmd.app_argv(p, args)
    i = forwarded.index("--join")
    assert forwarded[i : i + 2] == ["--join", "10.0.0.5:8765"]
    i = forwarded.index("--code")
    assert forwarded[i : i + 2] == ["--code", "ABC234"]
    p, args = parsed(["--join", "[::1]:8765", "--code", "ABC234"])
    assert "[::1]:8765" in serve_cmd.app_argv(p, args)


@pytest.mark.parametrize(
    "argv, words",
    [
        (["serve", "--port", "0"], ["--port"]),
        (["serve", "--port", "70000"], ["--port", "65535"]),
        (["serve", "--keys", "f zz"], ["--keys", "'zz'"]),
        (["serve", "--config", "/nonexistent.toml"], ["/nonexistent.toml"]),
        (["serve", "--preset", "nope"], ["--preset"]),
        (["serve", "--theme", "nosuch"], ["--theme", "'nosuch'"]),
        (["serve", "--export-dir", "out"], ["--export-dir", "download"]),
        (["serve", "--public-url", "lab:8000"], ["--public-url", "http://"]),
        (["serve", "--files-shared", "x"], ["--files-shared", "--files DIR"]),
        (["serve", "--lead", "8765"], ["--lead", "serve --join"]),  # issue 22: a tab never leads
        (["serve", "--join", "127.0.0.1:8765"], ["--join", "--code"]),
        (["serve", "--code", "ABC234"], ["--code", "--join"]),
        (["serve", "--join", "127.0.0.1:0", "--code", "ABC234"], ["--join", "not an address"]),
    ],
)
def test_bad_arguments_exit_2_in_one_line_before_serving(argv, words, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "serving on" not in err
    for w in words:
        assert w in err


def test_files_that_is_a_file_exits_2(tmp_path, capsys):
    (tmp_path / "f").write_text("")
    assert main(["serve", "--files", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert "--files" in err and err.count("\n") == 1


def test_a_port_in_use_or_an_unknown_host_exit_1_in_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"port {port}" in err and "serving on" not in err
    assert main(["serve", "--host", "no-such-host.invalid"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-host.invalid" in err and "serving on" not in err


def test_listening_beyond_this_machine_is_told_apart():
    # resolved, not bound: tests listen on 127.0.0.1 only
    assert serve_cmd.only_this_machine(serve_cmd.addresses("127.0.0.1", 8000))
    assert serve_cmd.only_this_machine(serve_cmd.addresses("localhost", 8000))
    assert not serve_cmd.only_this_machine(serve_cmd.addresses("0.0.0.0", 8000))


def test_without_textual_serve_it_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tui.cli.webserve", None)  # import fails
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'backprop-tui[web]'" in err


def test_clamp_size():
    from tui.cli.webserve import clamp_size
    from tui.host.terminal import MAX_SIZE

    assert clamp_size(80, 24) == (80, 24)
    assert clamp_size("120", "40") == (120, 40)  # the first size comes in the address
    assert clamp_size(80, 100_000) == (80, MAX_SIZE[1])
    assert clamp_size(10**30, -5) == (MAX_SIZE[0], 1)
    for bad in ((None, 24), ("wide", 24), (80, float("inf")), (80, float("nan")), ([80], 24)):
        assert clamp_size(*bad) is None


# --- one folder for files -----------------------------------------------------------------------


def test_confine_keeps_names_inside_the_folder(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "sub").mkdir()
    (tmp_path / "outside.toml").write_text("")
    (folder / "out.toml").symlink_to(tmp_path / "outside.toml")
    (folder / "away").symlink_to(tmp_path)
    (folder / "in.toml").symlink_to(folder / "sub")
    real = folder.resolve()
    assert files.confine(folder, "model.toml") == real / "model.toml"
    assert files.confine(folder, "./sub/../model.toml") == real / "model.toml"
    assert files.confine(folder, str(real / "sub" / "m.toml")) == real / "sub" / "m.toml"  # absolute, inside
    assert files.confine(folder, "in.toml") == real / "sub"  # a link that stays inside
    assert files.confine(folder, ".") == real
    for name in (
        "../x.toml",
        "sub/../../x.toml",
        "/etc/passwd",
        str(tmp_path / "outside.toml"),
        "out.toml",
        "away/outside.toml",
        "nonexistent/../../x.toml",
        "~/x.toml/../../../../etc/passwd",
    ):
        with pytest.raises(files.Refused) as e:
            files.confine(folder, name)
        assert e.value.key == "files_outside" and name in str(e.value)
    for name in ("a\nb.toml", "a\x1b[2Jb.toml", "a\tb", "a\x7f", "a\u202eb", "a\udcffb"):
        with pytest.raises(files.Refused) as e:
            files.confine(folder, name)
        assert e.value.key == "files_control" and "\n" not in str(e.value) and "\x1b" not in str(e.value)


async def path_prompt(app, pilot, key: str, text: str, enters: int = 1) -> str:
    """`key` (o or ctrl+s), the name in the box, Enter `enters` times: the prompt's message."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, PathScreen)
    app.screen.query_one("#path-value").value = text
    for _ in range(enters):
        await pilot.press("enter")
        await pilot.pause()
    return str(app.screen.query_one("#path-message").render()) if isinstance(app.screen, PathScreen) else ""


def test_save_and_open_stay_in_the_files_folder(tmp_path, drive):
    folder = tmp_path / "files"
    folder.mkdir()
    outside = tmp_path / "outside.toml"
    outside.write_text("precious = 1\n")
    (folder / "link.toml").symlink_to(outside)
    seen = {}

    async def scenario(app, pilot):
        for name in ("../outside.toml", str(outside), "/etc/passwd", "link.toml"):
            message = await path_prompt(app, pilot, "ctrl+s", name, enters=2)  # Enter Enter replaced a file
            assert isinstance(app.screen, PathScreen) and "outside the folder" in message, name
            await pilot.press("escape")
            await pilot.pause()
        for name in ("../outside.toml", "link.toml"):
            message = await path_prompt(app, pilot, "o", name)
            assert "outside the folder" in message
            await pilot.press("escape")
            await pilot.pause()
        message = await path_prompt(app, pilot, "ctrl+s", "bad\x1bname.toml")
        assert "control characters" in message
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["default"] = app.screen.query_one("#path-value").value  # relative: the server's paths stay hidden
        await pilot.press("escape")
        await pilot.pause()
        assert await path_prompt(app, pilot, "ctrl+s", "mine.toml") == ""
        seen["saved"] = app.notice_text
        assert await path_prompt(app, pilot, "o", "mine.toml") == ""
        seen["opened"] = app.notice_text

    drive(scenario, configure=lambda app: setattr(app, "files_folder", str(folder)))
    assert outside.read_text() == "precious = 1\n" and not (tmp_path / "x.toml").exists()
    assert seen["default"] == "./lecture.toml"
    assert config.load_model(folder / "mine.toml").name == "mine"
    assert "mine.toml" in seen["saved"] and str(tmp_path) not in seen["saved"]
    assert "Opened mine.toml" in seen["opened"]


def test_export_with_a_files_folder_stays_inside(tmp_path, drive):
    folder = tmp_path / "files"
    folder.mkdir()
    notices = []

    async def scenario(app, pilot):
        app.export_dir = "../exports"
        await pilot.press("x")
        await pilot.pause()
        notices.append(app.notice_text)
        app.export_dir = "exports"
        await pilot.press("x")
        await pilot.pause()
        notices.append(app.notice_text)

    drive(scenario, configure=lambda app: setattr(app, "files_folder", str(folder)))
    assert "outside the folder" in notices[0] and not (tmp_path / "exports").exists()
    assert sorted(p.name for p in (folder / "exports").iterdir()) == ["lecture_e1_s1.svg", "lecture_e1_s1_loss.csv"]
    assert str(tmp_path) not in notices[1]


def test_a_tab_reads_the_shared_folder_writes_only_its_own_and_is_shown_no_server_path(tmp_path, drive):
    """Served, a tab's app has DIR/tab-2 as its folder and DIR as the shared one: o opens the
    lecturer's file from DIR, ctrl+s writes only in tab-2, another tab's files are out of reach
    (by name, by ../, by a link), and every message names files relative to their folder."""
    from engine import presets

    shared = tmp_path / "files"
    own, other = shared / "tab-2", shared / "tab-1"
    own.mkdir(parents=True)
    other.mkdir()
    config.save_model(presets.load("xor"), shared / "lecture-xor.toml")
    lecturer = (shared / "lecture-xor.toml").read_bytes()
    (other / "mine.toml").write_text("precious = 1\n")
    (shared / "peek.toml").symlink_to(other / "mine.toml")
    (own / "bad.toml").write_text("[weights\n")
    seen = {}

    async def scenario(app, pilot):
        for name in ("missing.toml", "tab-1/mine.toml", "peek.toml", "bad.toml", "../tab-1/mine.toml"):
            seen[name] = await path_prompt(app, pilot, "o", name)
            await pilot.press("escape")
            await pilot.pause()
        seen["open"] = await path_prompt(app, pilot, "o", "lecture-xor.toml")
        seen["opened"], seen["model"] = app.notice_text, app.stepper.snapshot.name
        for name in ("../lecture-xor.toml", "../tab-1/mine.toml"):
            seen["save " + name] = await path_prompt(app, pilot, "ctrl+s", name, enters=2)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["default"] = app.screen.query_one("#path-value").value
        await pilot.press("enter")
        await pilot.pause()
        seen["saved"] = app.notice_text

    def configure(app):
        app.files_folder, app.shared_folder = str(own.resolve()), str(shared.resolve())

    drive(scenario, configure=configure)
    for text in seen.values():
        assert str(tmp_path) not in text and "/files" not in text
    assert seen["missing.toml"].startswith("missing.toml: cannot read the file")
    assert seen["tab-1/mine.toml"].startswith("tab-1/mine.toml: cannot read the file")  # not another tab's
    assert seen["peek.toml"].startswith("peek.toml: cannot read the file")  # not through a link either
    assert seen["bad.toml"].startswith("bad.toml: ") and "Not opened" in seen["bad.toml"]
    assert "outside the folder" in seen["../tab-1/mine.toml"]
    assert seen["open"] == "" and seen["model"] == "lecture-xor" and "Opened lecture-xor.toml" in seen["opened"]
    assert "outside the folder" in seen["save ../lecture-xor.toml"]
    assert "outside the folder" in seen["save ../tab-1/mine.toml"]
    assert seen["default"] == "lecture-xor.toml" and seen["saved"] == "Saved to lecture-xor.toml."
    assert config.load_model(own / "lecture-xor.toml").name == "lecture-xor"  # the tab's own copy
    assert (shared / "lecture-xor.toml").read_bytes() == lecturer  # the lecturer's is untouched
    assert (other / "mine.toml").read_text() == "precious = 1\n"


def test_new_tab_folders_are_new(tmp_path):
    (tmp_path / "tab-7").mkdir()
    (tmp_path / "tab-x").mkdir()
    first, second = files.new_tab_folder(tmp_path), files.new_tab_folder(tmp_path)
    assert (first.name, second.name) == ("tab-8", "tab-9") and first.is_dir() and second.is_dir()
    files.remove_if_empty(first)
    (second / "kept.toml").write_text("")
    files.remove_if_empty(second)
    assert not first.exists() and second.is_dir()


@pytest.mark.parametrize("served", [True, False], ids=["served", "terminal"])
def test_only_a_served_app_ends_with_its_parent(served, tmp_path, monkeypatch):
    """--files in a terminal keeps the app alive when its parent goes: SIGKILLed, it would leave the
    terminal raw. A tab's app (not on the terminal driver) ends with the server."""
    from types import SimpleNamespace

    from engine import presets
    from tui.app import app as app_module

    ended = []
    monkeypatch.setattr(app_module, "end_with_parent", lambda: ended.append(True))
    monkeypatch.setattr(app_module.BackpropApp, "run", lambda self, **kw: None)
    monkeypatch.setattr(app_module, "not_a_terminal", lambda: None)  # the tests run without a terminal
    monkeypatch.setattr(app_module, "terminal_driver", lambda driver_class: not served)
    assert app_module.run(presets.lecture(), SimpleNamespace(files=str(tmp_path))) == 0
    assert ended == ([True] if served else [])


# --- real servers, a websocket client as the browser tab -----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    """`serve --preset xor` on a free port of 127.0.0.1; `folder` None: the default, a fresh one it names."""

    def __init__(self, folder: Path | None, *extra: str) -> None:
        pytest.importorskip("textual_serve")
        self.port = free_port()
        files_option = [] if folder is None else ["--files", str(folder)]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "serve",
                "--port",
                str(self.port),
                "--preset",
                "xor",
                "--lang",
                "en",
                *files_option,
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        told = self.proc.stderr.readline().decode() + self.proc.stderr.readline().decode()
        assert f"serving on http://127.0.0.1:{self.port}" in told
        self.folder = Path(re.search(r"read-only, from (.+) \(put files for everyone there\)", told)[1])
        assert folder is None or self.folder == folder.resolve()
        self.page = self.get("/")

    def get(self, path: str, headers: dict | None = None) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
                with urllib.request.urlopen(request, timeout=5) as r:
                    return r.read().decode()
            except OSError:
                if self.proc.poll() is not None:
                    pytest.fail(self.proc.stderr.read().decode())
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def apps(self) -> list[int]:
        """The tabs' app processes (living or not yet reaped): the warm parent's children (tui/warm.py),
        and the server's own children that are not the warm parent (tabs started cold)."""
        out = []
        for pid in children(self.proc.pid):
            out += children(pid) if is_warm_parent(pid) else [pid]
        return out

    def warm_parents(self) -> list[int]:
        return [pid for pid in children(self.proc.pid) if is_warm_parent(pid)]

    def stop(self, apps: list[int] = ()) -> None:
        """Stop the server, then whatever of its `apps` (and its current ones) outlived it."""
        apps = [*apps, *self.apps(), *self.warm_parents()]
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stderr.close()
        for pid in apps:
            if running(pid):  # only when a test failed: leave no process behind
                os.kill(pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def is_warm_parent(pid: int) -> bool:
    try:
        return b"tui.warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT} s: {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = RunningServer(tmp_path_factory.mktemp("served"))
    yield s
    s.stop()


async def tab(port: int, query: str = ""):
    """A websocket session as a browser tab opens it; returns (client session, websocket)."""
    import aiohttp

    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws{query}")
    return session, ws


async def screen_bytes(ws, until, limit: float = WAIT) -> bytes:
    """What the app draws, read until `until(data)` holds or `limit` seconds pass."""
    import aiohttp

    data = b""
    deadline = time.monotonic() + limit
    while not until(data) and time.monotonic() < deadline:
        try:
            m = await asyncio.wait_for(ws.receive(), max(0.1, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
        if m.type == aiohttp.WSMsgType.BINARY:
            data += m.data
        elif m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    return data


def test_the_page_points_the_browser_back_at_the_address_it_used(server):
    assert f"ws://127.0.0.1:{server.port}/ws" in server.page and "backprop-tui" in server.page
    page = server.get("/", {"Host": "lab-server.example:8123"})  # as --host 0.0.0.0 is reached from elsewhere
    assert 'data-session-websocket-url="ws://lab-server.example:8123/ws"' in page
    assert "0.0.0.0" not in page
    if Path("/proc/net/tcp").exists():  # listening on 127.0.0.1 only, not 0.0.0.0
        listening = Path("/proc/net/tcp").read_text()
        assert f"0100007F:{server.port:04X}" in listening and f"00000000:{server.port:04X}" not in listening


def test_a_huge_terminal_is_clamped_and_a_closed_tab_ends_its_app(server):
    from tui.host.terminal import MAX_SIZE

    MAX_ROWS = MAX_SIZE[1]

    def rows(data: bytes) -> list[int]:
        return [int(r) for r in re.findall(rb"\x1b\[(\d+);\d+H", data)]

    async def scenario():
        session, ws = await tab(server.port, "?width=80&height=100000")
        try:
            await ws.send_str(json.dumps(["resize", {"width": 80, "height": 100000}]))
            for bad in ('["resize",{"width":"x"}]', "not json", "{}", '["stdin", 5]', "[]"):
                await ws.send_str(bad)  # ignored: the session goes on
            data = await screen_bytes(ws, lambda d: MAX_ROWS in rows(d))
            apps = [p for p in server.apps() if running(p)]
        finally:
            await ws.close()
            await session.close()
        return data, apps

    data, apps = asyncio.run(scenario())
    assert 24 < max(rows(data)) <= MAX_ROWS
    assert len(apps) == 1
    wait_until(lambda: not running(apps[0]), "the closed tab's app process ends")


def test_x_in_a_browser_tab_is_a_download(server):
    async def scenario():
        session, ws = await tab(server.port)
        try:
            await screen_bytes(ws, lambda d: b"xor" in d)  # the app is drawn: keys go to it
            await ws.send_str(json.dumps(["stdin", "x"]))
            deadline = time.monotonic() + WAIT
            key = None
            while key is None and time.monotonic() < deadline:
                m = await asyncio.wait_for(ws.receive(), WAIT)
                if m.type.name == "TEXT" and json.loads(m.data)[0] == "deliver_file_start":
                    key = json.loads(m.data)[1]
            async with session.get(f"http://127.0.0.1:{server.port}/download/{key}") as r:
                return r.headers["Content-Disposition"], await r.read()
        finally:
            await ws.close()
            await session.close()

    disposition, body = asyncio.run(scenario())
    assert "attachment" in disposition and "xor_e1_s1.zip" in disposition
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert names == ["xor_e1_s1.svg", "xor_e1_s1_loss.csv"]
    assert [p for p in server.folder.rglob("*") if not p.is_dir()] == []  # nothing written on the server


def test_exports_the_browser_does_not_fetch_are_bounded(server):
    from tui.app.controllers.export import MAX_PENDING_DOWNLOADS

    async def scenario():
        session, ws = await tab(server.port, "?width=120&height=40")
        starts: list[str] = []

        async def read_until(condition) -> None:
            data = b""
            deadline = time.monotonic() + WAIT
            while not condition(data) and time.monotonic() < deadline:
                m = await asyncio.wait_for(ws.receive(), WAIT)
                if m.type.name == "BINARY":
                    data += m.data
                elif m.type.name == "TEXT" and json.loads(m.data)[0] == "deliver_file_start":
                    starts.append(json.loads(m.data)[1])

        try:
            await read_until(lambda d: b"xor" in d)
            await ws.send_str(json.dumps(["stdin", "x" * (MAX_PENDING_DOWNLOADS + 1)]))
            await read_until(lambda d: b"has not fetched" in d)  # as a browser blocking pop-ups: none fetched
            refused_at = len(starts)
            async with session.get(f"http://127.0.0.1:{server.port}/download/{starts[0]}") as r:
                await r.read()
            await ws.send_str(json.dumps(["stdin", "x"]))  # one fetched: room for one more
            await read_until(lambda d: len(starts) > refused_at)
            return refused_at, len(starts)
        finally:
            await ws.close()
            await session.close()

    refused_at, after = asyncio.run(scenario())
    assert refused_at == MAX_PENDING_DOWNLOADS and after == MAX_PENDING_DOWNLOADS + 1


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP])
def test_app_processes_end_with_the_server(sig):
    s = RunningServer(None, "--max-tabs", "1")
    assert s.folder.is_dir() and list(s.folder.iterdir()) == []  # a fresh folder, told on stderr
    apps = []
    try:

        async def open_tabs():
            session, ws = await tab(s.port)
            await screen_bytes(ws, lambda d: b"xor" in d)
            extra, refused = await tab(s.port)  # one tab too many: told so, and no app process
            told = await screen_bytes(refused, lambda d: False)  # until the server closes it
            await extra.close()
            return session, ws, told

        loop = asyncio.new_event_loop()
        # ws is kept: a websocket nobody holds is collected and closed, and its tab's app ends with it
        session, ws, told = loop.run_until_complete(open_tabs())
        assert b"--max-tabs" in told
        apps += [p for p in s.apps() if running(p)]
        assert len(apps) == 1
        warm = s.warm_parents()
        assert len(warm) == 1  # the tab was forked by the warm parent (tui/warm.py), the default
        apps += warm
        s.proc.send_signal(sig)
        s.proc.wait(timeout=WAIT)
        wait_until(lambda: not running(apps[0]), f"the app process ends after {sig.name} to the server")
        wait_until(lambda: not running(warm[0]), f"the warm parent ends after {sig.name} to the server")
        if sig == signal.SIGHUP:  # as Ctrl+C: a clean stop, and the folder goes as nobody saved anything
            assert s.proc.returncode == 0 and not s.folder.exists()
        else:  # killed: the tab's empty folder is left for the test to remove
            for tab_folder in s.folder.iterdir():
                tab_folder.rmdir()
            s.folder.rmdir()
        loop.run_until_complete(session.close())
        loop.close()
    finally:
        s.stop(apps)


# --- a flood of keys, a tab that will not quit: the app process ends anyway (issue 18) -------------


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else 0.0


def test_bounded_keys_cuts_a_flood_at_a_character_and_closes_a_cut_paste():
    from tui.cli.webserve import MAX_STDIN_BYTES, bounded_keys

    assert bounded_keys("f b") == b"f b"
    assert len(bounded_keys("l" * 200_000)) <= MAX_STDIN_BYTES
    cut = bounded_keys("é" * 200_000)
    assert len(cut) <= MAX_STDIN_BYTES and cut.decode("utf-8") == "é" * (len(cut) // 2)  # whole characters
    pasted = bounded_keys("\x1b[200~" + "x" * 200_000 + "\x1b[201~")
    assert len(pasted) <= MAX_STDIN_BYTES and pasted.endswith(b"\x1b[201~")


def test_a_flood_of_keys_then_a_closed_tab_ends_the_app_with_bounded_memory(server):
    """One message of 200 000 × "l" (language switches), then the tab closes: the app process ends
    within the server's quit and kill grace, and its memory never grew far beyond an idle app's."""
    from tui.cli.webserve import QUIT_SECONDS, TERM_SECONDS

    async def scenario():
        session, ws = await tab(server.port)
        try:
            await screen_bytes(ws, lambda d: b"xor" in d)
            apps = [p for p in server.apps() if running(p)]
            await ws.send_str(json.dumps(["stdin", "l" * 200_000]))
            await screen_bytes(ws, lambda d: False, limit=2)  # the app is busy with what it was sent
            peak = max(peak_memory_mb(p) for p in apps)
        finally:
            await ws.close()
            await session.close()
        return apps, peak

    apps, peak = asyncio.run(scenario())
    assert len(apps) == 1
    ended_within = QUIT_SECONDS + TERM_SECONDS + 10  # the server's grace, and room for a busy machine
    deadline = time.monotonic() + ended_within
    while running(apps[0]) and time.monotonic() < deadline:
        peak = max(peak, peak_memory_mb(apps[0]))
        time.sleep(0.1)
    assert not running(apps[0]), f"the flooded tab's app still runs {ended_within} s after its tab closed"
    assert peak < 250, f"the flooded app grew to {peak:.0f} MB"


def test_a_tab_counts_against_max_tabs_until_its_app_has_ended():
    """--max-tabs 1: a tab whose app is stopped (SIGSTOP: it can neither quit nor handle SIGTERM) is
    closed; until the server has killed it, a new tab is refused; then one is served."""
    from tui.cli.webserve import QUIT_SECONDS, TERM_SECONDS

    s = RunningServer(None, "--max-tabs", "1")
    apps = []
    try:

        async def first_tab():
            session, ws = await tab(s.port)
            await screen_bytes(ws, lambda d: b"xor" in d)
            apps.extend(p for p in s.apps() if running(p))
            os.kill(apps[0], signal.SIGSTOP)
            await ws.close()
            await session.close()

        async def next_tab() -> bytes:
            session, ws = await tab(s.port)
            try:
                return await screen_bytes(ws, lambda d: b"xor" in d or b"--max-tabs" in d)
            finally:
                await ws.close()
                await session.close()

        asyncio.run(first_tab())
        assert len(apps) == 1
        told = asyncio.run(next_tab())
        if b"--max-tabs" not in told:  # served: only right if the stopped app had already been ended
            assert not running(apps[0]), "a second tab was served while the first tab's app still ran"
        ended_within = QUIT_SECONDS + TERM_SECONDS + 10
        deadline = time.monotonic() + ended_within
        while running(apps[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(apps[0]), "the stopped app of a closed tab was not killed"
        wait_until(lambda: b"xor" in asyncio.run(next_tab()), "a tab is served once the old app has ended")
    finally:
        s.stop(apps)


async def caught_up(ws, quiet: float, limit: float) -> bool:
    """Whether the app stops drawing for `quiet` seconds within `limit` seconds (it has done what it
    was sent)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            m = await asyncio.wait_for(ws.receive(), quiet)
        except asyncio.TimeoutError:
            return True
        if m.type.name in ("CLOSE", "CLOSED", "ERROR"):
            return False
    return False


def test_a_flood_in_many_messages_is_bounded_by_the_app(server):
    """50 messages of 4 096 × "l" each pass the server's bound one by one; the app holds at most
    MAX_PENDING_INPUT of them (each a language switch that redraws every panel), drops the rest,
    catches up and stays small (tests/tui/app/test_input_gate.py: it says what it dropped)."""
    from tui.cli.webserve import MAX_STDIN_BYTES

    async def scenario():
        session, ws = await tab(server.port, "?width=120&height=40")
        try:
            await screen_bytes(ws, lambda d: b"xor" in d)
            apps = [p for p in server.apps() if running(p)]
            for _ in range(50):
                await ws.send_str(json.dumps(["stdin", "l" * MAX_STDIN_BYTES]))
            done = await caught_up(ws, quiet=1.5, limit=2 * WAIT)
            return apps, done, max(peak_memory_mb(p) for p in apps)
        finally:
            await ws.close()
            await session.close()

    apps, done, peak = asyncio.run(scenario())
    assert done, "the app was still busy with the flood a minute later"
    assert peak < 250, f"the flooded app grew to {peak:.0f} MB"
    wait_until(lambda: not running(apps[0]), "the closed tab's app process ends")


def test_two_tabs_save_in_folders_of_their_own_and_open_the_lecturers_file(tmp_path):
    """A real server on --files DIR with the lecturer's DIR/shared.toml: one tab opens it and saves
    it (ctrl+s, Enter), the other saves the same name; each file lands in its tab's folder, the
    lecturer's file is untouched, and the folders of tabs nobody saved in are gone afterwards."""
    from engine import presets

    folder = tmp_path / "class"
    folder.mkdir()
    config.save_model(presets.lecture(), folder / "shared.toml")
    lecturer = (folder / "shared.toml").read_bytes()
    s = RunningServer(folder)

    async def keys(ws, *typed: str) -> None:
        for text in typed:  # one at a time, each done before the next: a prompt opens on the first
            await ws.send_str(json.dumps(["stdin", text]))
            # 2 s without drawing: the first o or ctrl+s imports the prompt's screen first (lazily),
            # which under a loaded CI took longer than a shorter quiet and the next key reached the main screen
            await caught_up(ws, quiet=2.0, limit=WAIT)

    async def scenario():
        session, first = await tab(s.port)
        other_session, second = await tab(s.port)
        idle_session, idle = await tab(s.port)
        try:
            for ws in (first, second, idle):
                await screen_bytes(ws, lambda d: b"xor" in d)
            tabs = sorted(p.name for p in s.folder.iterdir() if p.is_dir())
            await keys(first, "o", "\x01", "\x0b", "shared.toml\r", "\x13", "\r")  # ctrl+a ctrl+k: clear the box
            await keys(second, "\x13", "\x01", "\x0b", "shared.toml\r")
            return tabs
        finally:
            for ws, sess in ((first, session), (second, other_session), (idle, idle_session)):
                await ws.close()
                await sess.close()

    apps = []
    try:
        apps += [p for p in s.apps() if running(p)]
        tabs = asyncio.run(scenario())
        apps += [p for p in s.apps()]
        assert tabs == ["tab-1", "tab-2", "tab-3"]
        saved = sorted(p.relative_to(s.folder).as_posix() for p in s.folder.rglob("*.toml"))
        assert len(saved) == 3 and "shared.toml" in saved
        (one, two) = [p for p in saved if p != "shared.toml"]
        assert one.split("/")[0] != two.split("/")[0]  # a folder each
        rows = sorted(len(config.load_model(s.folder / p).Y) for p in (one, two))
        assert rows == sorted([len(presets.lecture().Y), 4])  # one tab saved the lecturer's model, one its xor
        assert (folder / "shared.toml").read_bytes() == lecturer
        wait_until(
            lambda: (
                sorted(p.name for p in s.folder.iterdir())
                == sorted(["shared.toml", one.split("/")[0], two.split("/")[0]])
            ),
            "the idle tab's empty folder goes",
        )
    finally:
        s.stop(apps)


# --- tabs from a warm parent (issue 21; tui/warm.py) -------------------------------------------------


def _open_and_close_one_tab(s: RunningServer) -> tuple[bytes, list[int], list[int]]:
    """The tab's screen, its app processes, and the server's children, the last two read while the
    tab is open (once it closes, its process may be reaped at once)."""

    async def scenario():
        session, ws = await tab(s.port, "?width=80&height=24")
        try:
            data = await screen_bytes(ws, lambda d: b"xor" in d)
            return data, [p for p in s.apps() if running(p)], children(s.proc.pid)
        finally:
            await ws.close()
            await session.close()

    return asyncio.run(scenario())


def test_cold_tabs_start_as_the_servers_own_children_and_end_with_their_tab():
    s = RunningServer(None, "--tab-start", "cold")
    apps = []
    try:
        data, apps, kids = _open_and_close_one_tab(s)
        assert b"xor" in data and len(apps) == 1
        assert s.warm_parents() == [] and apps == kids  # no warm parent, a fresh process
        wait_until(lambda: not running(apps[0]), "the closed tab's app process ends")
    finally:
        s.stop(apps)


def test_warm_tabs_are_the_parents_children_in_sessions_of_their_own_with_the_tab_size():
    s = RunningServer(None)
    apps = []
    try:

        async def scenario():
            session, ws = await tab(s.port, "?width=100&height=30")
            try:
                data = await screen_bytes(ws, lambda d: b"xor" in d and b"\x1b[30;" in d)
                found = [p for p in s.apps() if running(p)]
                stat = Path(f"/proc/{found[0]}/stat").read_text().rsplit(")", 1)[1].split()
                warm = s.warm_parents()
                # read while the tab is open: once it closes, the parent reaps its child at once
                kids = children(warm[0]) if len(warm) == 1 else []
                return data, found, stat, warm, kids
            finally:
                await ws.close()
                await session.close()

        data, apps, stat, warm, kids = asyncio.run(scenario())
        assert len(warm) == 1 and len(apps) == 1 and kids == apps
        assert int(stat[3]) == apps[0]  # its own process group (pgrp = its pid), which the server signals
        drawn = [int(r) for r in re.findall(rb"\x1b\[(\d+);\d+H", data)]
        assert max(drawn) == 30  # the tab's own size (its request), not the parent's 80×24
        wait_until(lambda: not running(apps[0]), "the closed tab's app process ends")
        assert running(warm[0])  # the parent stays for the next tab
    finally:
        s.stop(apps)


def test_when_the_warm_parent_dies_its_tabs_end_and_new_tabs_start_cold():
    s = RunningServer(None)
    apps = []
    try:

        async def first_tab():
            session, ws = await tab(s.port)
            await screen_bytes(ws, lambda d: b"xor" in d)
            apps.extend(p for p in s.apps() if running(p))
            os.kill(s.warm_parents()[0], signal.SIGKILL)
            closed = await screen_bytes(ws, lambda d: False, limit=10)  # until the server closes the tab
            await session.close()
            return closed

        warm = s.warm_parents()
        asyncio.run(first_tab())
        assert len(apps) == 1
        wait_until(lambda: not running(apps[0]), "the tab's app ends with its warm parent")
        told = s.proc.stderr.readline().decode()
        assert "warm parent ended" in told and "fresh processes" in told
        data, later, kids = _open_and_close_one_tab(s)
        assert b"xor" in data and len(later) == 1 and later[0] in kids  # served, cold
        apps += later + warm
    finally:
        s.stop(apps)


def test_serve_join_asks_each_tab_a_name_then_follows_the_lecturer(tmp_path):
    """Issue 22: a lecturer's `backprop-tui --lead` in a pseudo-terminal, `serve --join` its address:
    a browser tab asks the student's name first, joins under it, and shows the lecturer's step."""
    from ptyhelp import PtyApp

    lead_port = free_port()
    lead = PtyApp("--lead", f"127.0.0.1:{lead_port}", "--code", "ABC234", cols=120, rows=40)
    s = None
    try:
        assert lead.wait_screen("code ABC234")
        s = RunningServer(tmp_path / "class", "--join", f"127.0.0.1:{lead_port}", "--code", "ABC234")

        async def scenario():
            session, ws = await tab(s.port)
            try:
                shown = await screen_bytes(ws, lambda d: b"Your name" in d)
                assert b"Your name" in shown
                await ws.send_str(json.dumps(["stdin", "Zo\u00eb\r"]))
                assert await asyncio.to_thread(lead.wait_screen, "1 student joined")
                await caught_up(ws, quiet=0.7, limit=WAIT)
                lead.send(b"f")
                shown = await screen_bytes(ws, lambda d: b"0.3825" in d)
                assert b"0.3825" in shown
            finally:
                await ws.close()
                await session.close()

        asyncio.run(scenario())
    finally:
        lead.close()
        if s is not None:
            s.stop()


# --- a flood of resizes (Resizes) ------------------------------------------------------------------


class _SizedApp:
    """A tab's app as Resizes sees it: what sizes it was handed, and when."""

    def __init__(self):
        self.sizes: list[tuple[int, int]] = []

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.sizes.append((width, height))


def test_a_flood_of_resizes_reaches_the_app_as_the_first_and_the_latest():
    from tui.cli.webserve import RESIZE_SECONDS, Resizes

    async def scenario():
        app = _SizedApp()
        resizes = Resizes(app)
        for k in range(5000):  # a page sending sizes as fast as it can
            resizes.ask((80 + k % 50, 24 + k % 20))
        await asyncio.sleep(RESIZE_SECONDS * 4)
        flood = list(app.sizes)
        resizes.ask((100, 30))  # a drag that stopped: its size arrives
        await asyncio.sleep(RESIZE_SECONDS * 4)
        resizes.cancel()
        return flood, app.sizes

    flood, sizes = asyncio.run(scenario())
    assert flood == [(80 + 4999 % 50, 24 + 4999 % 20)]  # one resize, to the latest size
    assert sizes == [*flood, (100, 30)]


def test_a_resize_flood_over_a_real_tab_leaves_its_app_at_the_last_size(server):
    """5 000 resize messages in a burst: the tab's app ends up drawn at the last size asked for."""

    def rows(data: bytes) -> list[int]:
        return [int(r) for r in re.findall(rb"\x1b\[(\d+);\d+H", data)]

    async def scenario():
        session, ws = await tab(server.port)
        try:
            await screen_bytes(ws, lambda d: b"xor" in d)
            for k in range(5000):
                await ws.send_str(json.dumps(["resize", {"width": 80 + k % 40, "height": 24 + k % 10}]))
            await ws.send_str(json.dumps(["resize", {"width": 100, "height": 37}]))
            return await screen_bytes(ws, lambda d: 37 in rows(d))
        finally:
            await ws.close()
            await session.close()

    data = asyncio.run(scenario())
    assert max(rows(data)) == 37
