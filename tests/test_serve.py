"""`backprop-tui serve`: the app command it hands to textual-serve, its defaults and its errors,
and one real server answering a browser's first request on 127.0.0.1."""
from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tui import serve_cmd
from tui.cli import main


def parsed(argv):
    p = serve_cmd.serve_parser()
    return p, p.parse_args(argv)


def test_defaults_bind_this_machine_only():
    p, args = parsed([])
    assert (args.host, args.port, args.public_url) == ("127.0.0.1", 8000, None)
    assert serve_cmd.app_argv(p, args) == []  # the app's own defaults, nothing forwarded


def test_model_and_app_options_are_forwarded_to_each_tab():
    p, args = parsed(["--preset", "xor", "--lr", "0.25", "--lang", "pt", "--decimal-comma", "--keys", "f f b",
                      "--max-epochs", "100", "--export-dir", "my exports", "--host", "0.0.0.0", "--port", "9000"])
    forwarded = serve_cmd.app_argv(p, args)
    assert forwarded[:2] == ["--preset", "xor"]
    for pair in (["--lr", "0.25"], ["--keys", "f f b"], ["--max-epochs", "100"], ["--export-dir", "my exports"]):
        i = forwarded.index(pair[0])
        assert forwarded[i:i + 2] == pair
    assert "--decimal-comma" in forwarded
    assert "--host" not in forwarded and "--port" not in forwarded and "0.0.0.0" not in forwarded
    command = shlex.split(serve_cmd.app_command(p, args))
    assert command[:3] == [sys.executable, "-m", "tui.cli"] and command[3:] == forwarded  # quoting survives


@pytest.mark.parametrize("argv, words", [
    (["serve", "--port", "0"], ["--port"]),
    (["serve", "--keys", "f zz"], ["--keys", "'zz'"]),
    (["serve", "--config", "/nonexistent.toml"], ["/nonexistent.toml"]),
    (["serve", "--preset", "nope"], ["--preset"]),
])
def test_bad_options_exit_2_before_serving(argv, words, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    for w in words:
        assert w in err


def test_without_textual_serve_it_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'backprop-tui[web]'" in err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_server_answers_on_localhost():
    pytest.importorskip("textual_serve")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--preset", "xor"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        page = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode())
                time.sleep(0.3)
        assert page is not None and f"ws://127.0.0.1:{port}/ws" in page and "backprop-tui" in page
        if shutil.which("ss"):
            listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
            assert f"127.0.0.1:{port}" in listening and f"0.0.0.0:{port}" not in listening
    finally:
        proc.terminate()
        proc.wait(timeout=10)
