"""A class session on real sockets on 127.0.0.1 (tui/host/session.py, DESIGN §13), no Textual: a
lecturer's LeadServer and students, well-behaved (StudentClient) or hostile (raw frames)."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import inspect

import pytest

from tui.host import session
from tui.host import session_schema as wire
from tui.host.session import Asked, Ended, Joined, LeadServer, Lost, Refused, Revealed, State, StudentClient, Verdict

CODE = "QX7-K2P"


def run(scenario, timeout: float = 60):
    """Run `scenario()` in a fresh event loop; a hang fails the test instead of freezing it. The
    hand-made students it connected are closed at its end."""

    async def main():
        try:
            return await asyncio.wait_for(scenario(), timeout)
        finally:
            for writer in Raw.connected:
                writer.transport.abort()
            Raw.connected.clear()

    return asyncio.run(main())


async def lead(**kw) -> LeadServer:
    server = LeadServer(code=kw.pop("code", CODE), **kw)
    await server.start()
    return server


async def until(client: StudentClient, kind, seen: list | None = None):
    """The next event of `kind` (the others go to `seen`); None if the client ends first."""
    while True:
        event = await client.next_event()
        if event is None or isinstance(event, kind):
            return event
        if seen is not None:
            seen.append(event)


async def student(server: LeadServer, name: str, code: str = CODE, **kw) -> StudentClient:
    client = StudentClient("127.0.0.1", server.port, code, name, backoff=(0.01, 0.05), **kw)
    client.start()
    assert isinstance(await until(client, Joined), Joined)
    return client


class Raw:
    """A hand-made student: frames as bytes, no rules kept."""

    connected: list = []  # the writers of this test's connections

    async def connect(self, server: LeadServer) -> Raw:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", server.port)
        Raw.connected.append(self.writer)
        return self

    def send(self, message) -> None:
        body = message if isinstance(message, bytes) else wire.encode(message)[4:]
        self.writer.write(len(body).to_bytes(4, "big") + body)

    async def recv(self) -> dict | None:
        try:
            return wire.parse_lead(await wire.read_frame(self.reader, wire.MAX_LEAD_MESSAGE))
        except (asyncio.IncompleteReadError, ConnectionError):
            return None

    async def recv_kind(self, kind: str) -> dict | None:
        while (m := await self.recv()) is not None:
            if m["t"] == kind:
                return m
        return None

    async def join(self, server: LeadServer, name: str, code: str = CODE) -> dict | None:
        await self.connect(server)
        self.send(wire.join(code, name))
        return await self.recv()


async def settle(condition, rounds: int = 1000) -> None:
    """Let the loop run until `condition()` holds (the server has read what was sent)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0.01)
    assert condition()


def checker(right: str):
    return lambda value: value.strip().replace(",", ".") == right


def number(value: str) -> float:
    return float(value.replace(",", "."))


# --- joining -------------------------------------------------------------------------------------


def test_join_with_the_code_as_typed_loosely():
    async def scenario():
        server = await lead()
        welcome = await Raw().join(server, "Ana", code="qx7k2p")  # lower case, no dash: the same code
        assert welcome["t"] == "welcome" and welcome["name"] == "Ana" and welcome["v"] == wire.VERSION
        assert server.joined == 1
        await server.close()

    run(scenario)


def test_wrong_code_is_refused_with_its_reason_and_not_retried():
    async def scenario():
        server = await lead()
        assert await Raw().join(server, "Ana", code="QX7-K2Q") == {"t": "refused", "reason": "code"}
        client = StudentClient("127.0.0.1", server.port, "nope", "Bea", backoff=(0.01, 0.05))
        client.start()
        assert await until(client, Refused) == Refused("code")
        assert await until(client, Joined) is None  # no retry: the client ends
        assert client.done and server.joined == 0 and server.refused["code"] == 2
        await server.close()

    run(scenario)


def test_names_are_cleaned_bounded_and_unique():
    async def scenario():
        server = await lead()
        here = [Raw() for _ in range(9)]  # connected all along: a name in use is numbered
        raws = ["Ana", "ana", "ANA", "\x1b[31mEve\x07\n\u202e", "  Zé   da\tSilva  ", "x" * 100, "Ana (2)"]
        names = [(await r.join(server, raw))["name"] for r, raw in zip(here, raws)]
        assert names == ["Ana", "ana (2)", "ANA (3)", "[31mEve", "Zé da Silva", "x" * 32, "Ana (2) (2)"]
        long = [(await r.join(server, "y" * 40))["name"] for r in here[7:]]
        assert long == ["y" * 32, "y" * 28 + " (2)"]  # the number fits within 32 characters
        assert await Raw().join(server, "\x07\n \u200b") == {"t": "refused", "reason": "name"}
        await server.close()

    run(scenario)


def test_a_full_session_refuses_the_next_student():
    async def scenario():
        server = await lead(max_students=2)
        here = [Raw(), Raw(), Raw()]
        for r, name in zip(here, ("A", "B")):
            assert (await r.join(server, name))["t"] == "welcome"
        assert await here[2].join(server, "C") == {"t": "refused", "reason": "full"}
        await server.close()

    run(scenario)


def test_rejoining_keeps_the_identity_and_the_answers():
    async def scenario():
        server = await lead()
        ana = await student(server, "Ana")
        await student(server, "Bea")
        server.open_question("q1", checker("0.5"))
        await until(ana, Asked)
        ana.answer("q1", 1, "0.4")
        assert await until(ana, Verdict) == Verdict("q1", 1, "0.4", False)
        # the connection breaks under her: the client reconnects by itself, as Ana, with her first try
        next(c for c in server._conns if c.student.name == "Ana").writer.transport.abort()
        lost = await until(ana, Lost)
        assert lost is not None
        rejoined = await until(ana, Joined)
        assert rejoined == Joined("Ana", True)
        assert await until(ana, Verdict) == Verdict("q1", 1, "0.4", False)
        assert [s.name for s in server.students()] == ["Ana", "Bea"] and server.joined == 2
        ana.answer("q1", 2, "0.5")  # her second try is still hers to give
        assert await until(ana, Verdict) == Verdict("q1", 2, "0.5", True)
        # she closes her app and starts it again under the same name: the same student
        await ana.close()
        await settle(lambda: server.joined == 1)
        again = await student(server, "Ana")
        assert again.name == "Ana"
        assert await until(again, Verdict) == Verdict("q1", 1, "0.4", False)
        tally = server.tally()
        assert (tally.answered, tally.right_first, tally.right_second) == (1, 0, 1)
        await server.close()

    run(scenario)


# --- the lecturer's states ---------------------------------------------------------------------------


def test_broadcast_reaches_every_student_in_order_and_late_joiners_get_the_latest():
    async def scenario():
        server = await lead()
        clients = [await student(server, f"s{i}") for i in range(5)]
        assert not inspect.iscoroutinefunction(LeadServer.broadcast)  # it cannot wait for anyone
        for k in range(1, 51):
            assert server.broadcast({"step": k}) == k
            if k % 7 == 0:
                await asyncio.sleep(0)
        for c in clients:
            seen = []
            while not seen or seen[-1].n < 50:
                seen.append(await until(c, State))
            assert [s.n for s in seen] == sorted({s.n for s in seen})  # increasing: in order, none twice
            assert seen[-1] == State(50, {"step": 50})
        late = await student(server, "late")
        assert await until(late, State) == State(50, {"step": 50})  # at once, without a new broadcast
        await server.close()

    run(scenario)


def test_a_student_that_never_reads_does_not_hold_up_the_lecturer_or_the_class():
    async def scenario():
        server = await lead()
        sleeper = Raw()
        assert (await sleeper.join(server, "sleeper"))["t"] == "welcome"  # and never reads again
        awake = await student(server, "awake")
        big = "x" * 200_000
        most_queued = most_buffered = 0
        for k in range(1, 201):  # 40 MB to a student that reads nothing
            server.broadcast({"step": k, "pad": big})
            await asyncio.sleep(0)
            most_queued = max(most_queued, *server.queued())
            most_buffered = max(most_buffered, *server.buffered())
        state = await until(awake, State)
        while state.n < 200:
            state = await until(awake, State)
        assert state.n == 200
        assert most_queued <= 2  # one state waiting (the latest) and at most a ping
        assert most_buffered <= session.WRITE_BUFFER + 200_100  # the transport's limit and one state
        assert max(server.buffered()) > 0  # the sleeper's bytes really are stuck: it does not read
        assert server.joined == 2
        await server.close()

    run(scenario)


# --- what a student may send ---------------------------------------------------------------------------


def test_junk_and_oversized_messages_are_dropped_and_counted_and_the_student_stays():
    async def scenario():
        server = await lead()
        eve = Raw()
        await eve.join(server, "Eve")
        server.open_question("q1", checker("0.5"))
        for body in [
            b"not json",
            b"[1, 2]",
            b'{"t": "kick", "who": "Ana"}',
            b'{"t": "answer", "q": "q1"}',
            b'{"t": "answer", "q": "q1", "try": 3, "value": "1"}',
            b'{"t": "leave", "x": 1}',
            b"\xff\xfe",
            b"[" * 3000,
            b'{"t": "answer", "q": "q1", "try": 1, "value": "' + b"9" * 4090 + b'"}',
            b'{"t": "join", "v": 1, "code": "QX7K2P", "name": "Eve2"}',
        ]:
            eve.send(body)
        eve.send({"t": "answer", "q": "q1", "try": 1, "value": "0.5"})
        verdict = await eve.recv_kind("verdict")
        assert verdict["right"] is True and verdict["value"] == "0.5"
        assert dict(server.dropped) == {"json": 4, "type": 2, "field": 3, "size": 1}
        assert server.students()[0].dropped == 10 and server.students()[0].connected
        assert server.tally().right_first == 1
        await server.close()

    run(scenario)


def test_a_flood_disconnects_that_student_only():
    async def scenario():
        server = await lead()
        bea = await student(server, "Bea")
        eve = Raw()
        await eve.join(server, "Eve")
        for _ in range(500):
            eve.send({"t": "answer", "q": "none", "try": 1, "value": "1"})
        assert await eve.recv_kind("bye") == {"t": "bye", "reason": "abuse"}
        assert await eve.recv() is None  # and the connection is closed
        assert server.dropped["rate"] >= 1
        assert server.joined == 1
        server.broadcast({"still": "here"})
        assert await until(bea, State) == State(1, {"still": "here"})
        await server.close()

    run(scenario)


def test_the_token_bucket_refills_with_time():
    now = [0.0]
    bucket = session.TokenBucket(3, 2.0, lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5  # one message's worth at 2 a second
    assert [bucket.take(), bucket.take()] == [True, False]


def test_one_answer_per_try():
    async def scenario():
        server = await lead()
        a = Raw()
        await a.join(server, "Ana")
        server.open_question("q1", checker("0.5"))
        a.send(wire.answer("q1", 2, "0.5"))  # a second try before a first: dropped
        a.send(wire.answer("q1", 1, "0.4"))
        a.send(wire.answer("q1", 1, "0.5"))  # another first try: dropped
        a.send(wire.answer("q1", 1, "0.4"))  # the same first try again (a resend): ignored, not counted
        a.send(wire.answer("q1", 2, "0.5"))
        a.send(wire.answer("q1", 2, "0.6"))  # a third try: dropped
        a.send(wire.answer("old", 1, "0.5"))  # a question that is not open: dropped, no fault
        verdicts = [await a.recv_kind("verdict") for _ in range(2)]
        assert [(v["try"], v["value"], v["right"]) for v in verdicts] == [(1, "0.4", False), (2, "0.5", True)]
        await settle(lambda: sum(server.dropped.values()) == 4)
        assert dict(server.dropped) == {"again": 3, "stale": 1}
        t = server.tally()
        assert (t.answered, t.right_first, t.right_second, t.revealed) == (1, 0, 1, 0)
        b = Raw()
        await b.join(server, "Bea")
        b.send(wire.answer("q1", 1, "0.5"))
        b.send(wire.answer("q1", 2, "0.5"))  # no second try after a right first one
        assert (await b.recv_kind("verdict"))["right"] is True
        await settle(lambda: server.dropped["again"] == 4)
        assert server.tally().right_first == 1
        await server.close()

    run(scenario)


def test_tally_and_histogram_of_the_first_tries():
    async def scenario():
        server = await lead()
        changes = []
        server.on_change = lambda: changes.append(server.tally())
        clients = {n: await student(server, n) for n in ["a", "b", "c", "d", "e", "f", "g"]}
        server.open_question("q7", checker("0.5"), parse=number, ask={"symbol": "ŷ"})
        for c in clients.values():
            assert (await until(c, Asked)).ask == {"symbol": "ŷ"}
        plays = {
            "a": ["0.5"],
            "b": ["0,5"],
            "c": ["0.4", "0.5"],
            "d": ["0.4", "0.3"],
            "e": [""],
            "f": ["banana", ""],
        }  # g does not answer
        for name, tries in plays.items():
            for k, value in enumerate(tries, 1):
                clients[name].answer("q7", k, value)
                await until(clients[name], Verdict)
        t = server.tally()
        assert (t.question, t.joined, t.answered, t.right_first, t.right_second, t.revealed) == ("q7", 7, 6, 2, 1, 2)
        assert t.histogram == (session.Bin(0.5, 2, True), session.Bin(0.4, 2, False), session.Bin("banana", 1, False))
        assert changes[-1] == t
        closed = server.close_question()
        assert closed.tally == dataclasses.replace(t, open=False)
        assert [(r.name, r.first, r.second, r.right_first, r.right_second, r.revealed) for r in closed.rows] == [
            ("a", "0.5", "", True, False, False),
            ("b", "0,5", "", True, False, False),
            ("c", "0.4", "0.5", False, True, False),
            ("d", "0.4", "0.3", False, False, False),
            ("e", "", "", False, False, True),
            ("f", "banana", "", False, False, True),
            ("g", "", "", False, False, False),
        ]
        for c in clients.values():
            assert await until(c, Revealed) == Revealed("q7", 0)
        clients["a"].answer("q7", 2, "1")  # after the reveal: stale, dropped without a strike
        await settle(lambda: server.dropped == {"stale": 1})
        await server.close()

    run(scenario)


def test_a_checker_that_raises_judges_not_right():
    async def scenario():
        server = await lead()
        a = await student(server, "Ana")
        server.open_question("q", lambda v: float(v) == 1.0)
        a.answer("q", 1, "one")
        assert await until(a, Verdict) == Verdict("q", 1, "one", False)
        await server.close()

    run(scenario)


# --- the end --------------------------------------------------------------------------------------------


def test_the_lecturer_quitting_ends_the_session_for_every_student():
    async def scenario():
        server = await lead()
        clients = [await student(server, f"s{i}") for i in range(10)]
        sleeper = Raw()
        await sleeper.join(server, "sleeper")
        server.broadcast({"x": 1})
        await server.close()
        for c in clients:
            assert await until(c, Ended) == Ended()
            assert await c.next_event() is None and c.done
        assert await sleeper.recv_kind("ended") == {"t": "ended", "n": 1}

    run(scenario)


def test_a_client_without_a_lecturer_reports_and_retries_without_raising():
    async def scenario():
        server = await lead()
        port = server.port
        await server.close()
        client = StudentClient("127.0.0.1", port, CODE, "Ana", backoff=(0.01, 0.02))
        client.start()
        losses = [await until(client, Lost) for _ in range(3)]
        assert all(isinstance(x, Lost) and x.retry_in <= 0.03 for x in losses)
        assert not client.answer("q", 1, "0.5")  # not joined: not sent, and no exception
        await client.close()
        assert await client.next_event() is None

    run(scenario)


def test_a_client_drops_a_lecturer_frame_over_its_limit_and_reconnects():
    async def scenario():
        server = await lead()
        client = await student(server, "Ana", max_message=1000)
        server.broadcast({"pad": "x" * 2000})
        assert (await until(client, Lost)).reason == "protocol"
        assert await until(client, Joined) == Joined("Ana", True)
        await client.close()
        await server.close()

    run(scenario)


def test_two_hundred_students_join_at_once():
    async def scenario():
        server = await lead(max_students=200)
        clients = [
            StudentClient("127.0.0.1", server.port, CODE, f"student {i}", backoff=(0.05, 0.5)) for i in range(200)
        ]
        for c in clients:
            c.start()
        joined = await asyncio.gather(*(until(c, Joined) for c in clients))
        assert sorted(j.name for j in joined) == sorted(f"student {i}" for i in range(200))
        assert server.joined == 200
        n = server.broadcast({"hello": "class"})
        states = await asyncio.gather(*(until(c, State) for c in clients))
        assert all(s == State(n, {"hello": "class"}) for s in states)
        assert max(server.queued()) <= session.MAILBOX + 2
        late = Raw()
        assert await late.join(server, "one too many") == {"t": "refused", "reason": "full"}
        await server.close()
        assert await asyncio.gather(*(until(c, Ended) for c in clients)) == [Ended()] * 200

    run(scenario, timeout=120)


# --- the quiz log ---------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","go")', "@SUM(A1)", "+1", "-2+3", 'Ana, "the" best', "\tTab"]


def test_quiz_log_rows_read_back_with_csv_and_hostile_names_stay_text(tmp_path):
    log = tmp_path / "quiz.csv"

    async def scenario():
        server = await lead(quiz_log=log)
        clients = [await student(server, name) for name in HOSTILE]
        for q in ("q1", "q2"):
            server.open_question(q, checker("-0.5"))
            for c in clients:
                await until(c, Asked)
            clients[0].answer(q, 1, "-0.5")
            clients[1].answer(q, 1, "=1+1")
            clients[2].answer(q, 1, "")
            for c in clients[:3]:
                await until(c, Verdict)
            if q == "q1":
                assert server.close_question().log_error is None
        await server.close()  # q2 still open: quitting closes it, and its rows are written too

    run(scenario)
    with log.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(session.QUIZ_LOG_HEADER) and len(rows) == 1 + 2 * len(HOSTILE)  # one header
    cleaned = sorted(wire.clean_name(n) for n in HOSTILE)
    by_name = {}
    for r in rows[1:]:
        assert len(r) == 8 and r[0].endswith("Z")
        by_name.setdefault(r[1], []).append(r)
    assert sorted(by_name) == sorted(session.safe_cell(n) for n in cleaned)
    formulas = [name for name in by_name if name.startswith(tuple("=+-@"))]
    assert formulas == ["+1"]  # none runs as a formula: +1 is the number 1 to a spreadsheet
    first = by_name["'" + '=HYPERLINK("http://x","go")']
    assert [(r[2], r[3], r[5], r[7]) for r in first] == [("q1", "-0.5", "1", "0"), ("q2", "-0.5", "1", "0")]
    assert by_name["'@SUM(A1)"][0][3] == "'=1+1" and by_name['Ana, "the" best'][0][3] == ""
    assert by_name["+1"][0][7] == "1"  # gave up: revealed


def test_a_connection_that_never_joins_is_closed(monkeypatch):
    monkeypatch.setattr(session, "JOIN_TIMEOUT", 0.2)

    async def scenario():
        server = await lead()
        silent = await Raw().connect(server)
        assert await silent.recv() == {"t": "refused", "reason": "protocol"}
        assert await silent.recv() is None and server.joined == 0
        http = await Raw().connect(server)
        http.writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # a stranger's bytes: a 1.2 GB "frame"
        assert await http.recv() == {"t": "refused", "reason": "protocol"}
        assert server.refused == {"protocol": 2}
        await server.close()

    run(scenario)


def test_the_lecturer_cannot_send_what_a_student_would_refuse():
    async def scenario():
        server = await lead()
        with pytest.raises(ValueError):
            server.broadcast({"pad": "x" * (wire.MAX_STATE + 1)})
        with pytest.raises(ValueError):
            server.open_question("q", checker("1"), ask="x" * 70_000)
        with pytest.raises(ValueError):
            server.open_question("q" * 65, checker("1"))
        assert server.n == 0 and server.question is None
        await server.close()

    run(scenario)


def test_a_non_finite_number_in_a_state_reaches_the_students_as_null():
    """JSON has no NaN: the frames are written by engine.export.dumps, as every JSON the project writes
    (a diverged run's loss is sent as null, never as the invalid token NaN nor as a crash)."""
    frame = wire.encode({"type": "state", "n": 1, "state": {"loss": float("nan"), "w": [1.0, float("inf")]}})
    assert frame[wire.HEADER :] == b'{"type":"state","n":1,"state":{"loss":null,"w":[1.0,null]}}'


def test_a_stranger_posing_as_the_lecturer_cannot_crash_the_client():
    """A server that speaks the frames but sends nonsense: the client reports and retries."""

    async def scenario():
        said = [{"t": "welcome", "v": 1, "name": "x", "token": "t", "n": 0, "heartbeat": 1}, {"t": "state", "n": "one"}]
        stranger_reasons = [{"t": "refused", "reason": "\x1b[2J you are hacked"}]

        async def stranger(reader, writer):
            for m in said if said else stranger_reasons:
                writer.write(wire.encode(m))
            said.clear()
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(stranger, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = StudentClient("127.0.0.1", port, CODE, "Ana", backoff=(0.01, 0.02))
        client.start()
        assert await until(client, Joined) == Joined("x", False)
        assert (await until(client, Lost)).reason == "protocol"  # "n" is not a number
        assert await until(client, Refused) == Refused("protocol")  # a reason it does not know
        assert await client.next_event() is None and client.done
        server.close()

    run(scenario)
