"""Issue 22 with real processes: one lecturer (`backprop-tui --lead`) and three students
(`backprop-tui --join`), each in a pseudo-terminal of its own, on 127.0.0.1. What each screen says is
read from what each process writes to its terminal."""

from __future__ import annotations

import csv
import socket
import sys

import pytest

from engine import presets
from engine.notation import num
from engine.stepper import Stepper
from ptyhelp import PtyApp
from tui.app.quiz import question_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_class_of_three_follows_the_lecturer_explores_answers_and_outlives_the_lecturer(tmp_path):
    port = free_port()
    log = tmp_path / "class.csv"
    address = f"127.0.0.1:{port}"
    lead = PtyApp("--lead", address, "--code", "ABC234", "--quiz-log", str(log), cols=120, rows=40)
    students = {
        "Ana": PtyApp("--join", address, "--code", "ABC234", "--name", "Ana", cols=120, rows=40),
        "Ben": PtyApp("--join", address, "--code", "abc-234", "--name", "Ben", cols=120, rows=40),
        "Cid": PtyApp(
            "--join", address, "--code", "ABC234", "--name", "Cid", "--lang", "pt", "--decimal-comma", cols=120, rows=40
        ),
    }
    comma = {"Ana": False, "Ben": False, "Cid": True}
    everyone = [lead, *students.values()]
    try:
        assert lead.wait_screen("code ABC234"), lead.screen()
        for name, app in students.items():
            assert app.wait_screen("following" if not comma[name] else "seguindo"), app.screen()
        assert lead.wait_screen("3 students joined")
        me = Stepper(presets.lecture())  # what the lecturer's keys compute

        # the lecturer's keys reach every screen: the same numbers, in each student's own number style
        lead.send(b"f")
        me.forward()
        z11 = me.snapshot.forward1.z1[0]
        for name, app in students.items():
            assert app.wait_screen(num(z11, comma[name])), (name, app.screen())
        lead.send(b"f")
        me.forward()
        yhat = float(me.snapshot.forward2.yhat[0])
        for name, app in students.items():
            assert app.wait_screen(num(yhat, comma[name])), name

        # Cid explores (another activation: their own), then F: the lecturer's state again
        cid = students["Cid"]
        cid.send(b"a")
        assert cid.wait_screen("explorando; F para seguir")
        cid.send(b"F")
        assert cid.wait_screen("seguindo")
        assert cid.wait_screen(num(yhat, True))

        # the quiz across the class: b asks everyone first; the answers are tallied on the lecturer's screen
        lead.send(b"k")
        lead.settle(0.3)
        lead.send(b"b")
        q = question_for(me.snapshot)
        assert q is not None
        for name, app in students.items():
            assert app.wait_screen(q.symbol), name
        lead.settle(0.3)
        for app in students.values():
            app.settle(0.3)
        students["Ana"].send(num(q.value).encode() + b"\r")
        students["Ben"].send(b"12.5\r")
        students["Cid"].send(num(q.value, True).encode() + b"\r")
        students["Ana"].settle(1.0)
        assert lead.wait_screen("3/3 answered"), lead.screen()
        assert lead.wait_screen("right first try 2")
        lead.send(b"b")  # the step key again: revealed everywhere
        me.backward()
        delta2 = float(me.snapshot.backward2.delta2[0])
        for name, app in students.items():
            assert app.wait_screen(num(delta2, comma[name])), name

        # the lecturer quits: every student says so and keeps a working app
        lead.send(b"q")
        assert lead.wait() == 0
        for name, app in students.items():
            assert app.wait_screen(
                "the lecturer ended the session" if not comma[name] else "o professor encerrou a sessão"
            ), name
        ana = students["Ana"]
        ana.send(b"k")  # the quiz the class question turned on: off
        ana.settle(0.3)
        ana.send(b"b")  # B1, the student's own step now
        me.backward()
        assert ana.wait_screen(num(float(me.snapshot.backward1.delta1[0])))
        for app in students.values():
            assert app.proc.poll() is None
            app.send(b"q")
            assert app.wait() == 0
    finally:
        for app in everyone:
            app.close()
    with open(log, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"Ana", "Ben", "Cid"}
    assert by_name["Ana"]["right_first_try"] == "1" and by_name["Ben"]["right_first_try"] == "0"
    assert by_name["Cid"]["first_try"] == num(q.value, True)


def test_a_wrong_code_is_refused_with_a_line_and_the_app_goes_on(tmp_path):
    port = free_port()
    address = f"127.0.0.1:{port}"
    with PtyApp("--lead", address, "--code", "RIGHT2", cols=100, rows=30) as lead:
        assert lead.wait_screen("code RIGHT2")
        with PtyApp("--join", address, "--code", "WRONG3", "--name", "Eve", cols=100, rows=30) as eve:
            assert eve.wait_screen("join code is wrong")
            assert eve.wait_screen("refused")
            eve.send(b"f")
            assert eve.wait_screen("0.3825")  # its own app, working
            assert "0 students joined" in lead.screen()
            eve.send(b"q")
            assert eve.wait() == 0
        lead.send(b"q")
        assert lead.wait() == 0


def test_a_join_without_a_lecturer_says_so_and_keeps_trying():
    port = free_port()
    with PtyApp("--join", f"127.0.0.1:{port}", "--code", "ABC234", cols=100, rows=30) as app:
        assert app.wait_screen("lecturer lost; reconnecting")
        app.send(b"q")
        assert app.wait() == 0


def test_a_lead_on_a_port_in_use_exits_1_with_a_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with PtyApp("--lead", f"127.0.0.1:{port}", cols=100, rows=30) as lead:
            assert lead.wait(30) == 1
            assert b"cannot listen on 127.0.0.1:" in lead.out
