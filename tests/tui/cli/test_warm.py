"""The warm parent of serve's tabs (tui/warm.py), spoken to directly over its socket: a request runs
`backprop-tui ARGV` in a forked child with the given streams, environment and folder; its end is
reported; a malformed request is answered with an error and the parent goes on; it ends when the
server's end of the socket closes. (The server's side: tests/tui/cli/test_serve.py.)"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not hasattr(socket, "send_fds"), reason="needs socket.send_fds (Python 3.9+, POSIX)")
WAIT = 60


def receive(sock: socket.socket) -> dict:
    sock.settimeout(WAIT)
    return json.loads(sock.recv(4096))


@pytest.fixture()
def parent():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.warm", str(theirs.fileno())],
        pass_fds=[theirs.fileno()],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    theirs.close()
    assert receive(ours) == {"ready": proc.pid}
    yield ours, proc
    ours.close()
    try:
        proc.wait(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()


def run_in_child(sock: socket.socket, argv: list[str], env: dict, cwd: str, request_id: int = 1):
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    message = {"id": request_id, "argv": argv, "env": env, "cwd": cwd}
    socket.send_fds(sock, [json.dumps(message).encode()], [in_r, out_w, err_w])
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    os.close(in_w)
    started = receive(sock)
    with os.fdopen(out_r, "rb") as out, os.fdopen(err_r, "rb") as err:
        stdout, stderr = out.read(), err.read()
    ended = receive(sock)
    return started, stdout.decode(), stderr.decode(), ended


def test_a_request_runs_the_command_line_in_a_child_with_its_streams_environment_and_folder(parent, tmp_path):
    sock, proc = parent
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    started, out, err, ended = run_in_child(sock, ["presets", "--lang", "pt"], env, str(tmp_path))
    assert started["id"] == 1 and started["pid"] != proc.pid
    assert "lecture" in out and "xor" in out and err == ""
    assert ended == {"exit": started["pid"], "code": 0}
    (tmp_path / "m.toml").write_text("[data]\nx = [[0.0, 1.0]]\ny = [2.0, 3.0]\n")
    started, out, err, ended = run_in_child(sock, ["trace", "--config", "m.toml"], env, str(tmp_path), 2)
    assert out == "" and "m.toml" in err and err.count("\n") == 1  # found in the request's folder: one line
    assert ended == {"exit": started["pid"], "code": 2}


@pytest.mark.parametrize(
    "message, fds",
    [
        (b"not json", 3),
        (b"[1, 2]", 3),
        (b'{"id": 5, "argv": "presets", "env": {}, "cwd": "/"}', 3),
        (b'{"id": 6, "argv": ["presets"], "env": {}, "cwd": "/"}', 1),
    ],
)
def test_a_malformed_request_gets_an_error_and_the_parent_goes_on(parent, tmp_path, message, fds):
    sock, proc = parent
    pipes = [os.pipe() for _ in range(fds)]
    socket.send_fds(sock, [message], [r for r, _ in pipes])
    for r, w in pipes:
        os.close(r)
        os.close(w)
    answer = receive(sock)
    assert "error" in answer and "pid" not in answer
    assert proc.poll() is None
    started, out, _, ended = run_in_child(sock, ["presets"], dict(os.environ), str(tmp_path), 7)
    assert "lecture" in out and ended["code"] == 0


def test_the_parent_ends_when_the_server_closes_its_end(parent):
    sock, proc = parent
    sock.close()
    assert proc.wait(timeout=WAIT) == 0


def test_by_hand_it_says_what_it_is_for():
    done = subprocess.run([sys.executable, "-m", "tui.warm"], capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2 and "backprop-tui serve" in done.stderr and done.stdout == ""
