"""A class session (issue 22, DESIGN §13): the lecturer's app leads, every student's app follows.

LeadServer (the lecturer's side) listens on asyncio streams, admits students who give the join code,
and broadcasts the lecturer's state (opaque JSON, the app decides its content) to every student
without waiting for any of them: each student has a Mailbox where states coalesce (only the latest
waits) and a writer task of its own, so a student that never reads holds one state and the bytes
the operating system buffers, and the lecturer's `broadcast` is a plain function that returns at
once. A student may send only join, an answer to the open question and leave
(tui/host/session_schema.py); anything else, too large or too frequent is dropped and counted, and
ABUSE_LIMIT of those disconnect that student only. The lecturer opens a question with the function
that judges it; Tally counts the answers; closing the question appends the rows of --quiz-log.

StudentClient (a student's side) connects, joins, reports what arrives as events (states coalesce:
the latest wins), sends answers, reconnects with backoff under the same identity, and reports the
lecturer's end. Network trouble never raises into the app: it becomes an event.

No Textual: the app drives both from its own event loop (tui/app, later).
"""

from __future__ import annotations

import asyncio
import collections
import csv
import io
import os
import random
import re
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tui.host import session_schema as wire

MAX_STUDENTS = 200
PENDING = 64  # connections beyond max_students that may be joining at once (a class arriving together)
JOIN_TIMEOUT = 10.0  # seconds a new connection has to send its join
HEARTBEAT = 15.0  # seconds between pings to every student; a student hears nothing for 3 of them: lost
BURST, RATE = 20, 10.0  # a student's token bucket: 20 messages at once, 10 a second after that
ABUSE_LIMIT = 20  # messages dropped on one connection before it is closed ("abuse")
MAILBOX = 32  # messages other than the latest state that may wait for one student ("slow" beyond)
WRITE_BUFFER = 65536  # bytes the transport buffers for one student before its writer waits
GRACE = 1.0  # seconds "ended" or "bye" has to leave before the connection is cut
HISTOGRAM_BINS = 8
MAX_ASK = 65536  # bytes of a question as sent (its `ask` is the app's: the quantity, the prompt)


class Mailbox:
    """Messages waiting for one reader. A message put with a `kind` (a state, a ping) replaces the
    one of that kind still waiting, and goes to the end: the reader gets the latest. The others
    keep their order; at most `limit` of them wait (put returns False beyond: the reader is too far
    behind). get() returns None once closed and empty."""

    def __init__(self, limit: int = MAILBOX) -> None:
        self.limit = limit
        self._items: collections.deque = collections.deque()  # (kind, message)
        self._kinds: dict[str, tuple] = {}
        self._ready = asyncio.Event()
        self.closed = False
        self.final = False  # the last message has been put: close after it

    def __len__(self) -> int:
        return len(self._items)

    def put(self, message: Any, kind: str | None = None, *, last: bool = False) -> bool:
        if self.final or self.closed:
            return False
        if kind is not None:
            old = self._kinds.pop(kind, None)
            if old is not None:
                self._items.remove(old)
        elif len(self._items) - len(self._kinds) >= self.limit:
            return False
        item = (kind, message)
        self._items.append(item)
        if kind is not None:
            self._kinds[kind] = item
        self.final = last
        self._ready.set()
        return True

    async def wait(self) -> bool:
        """Until a message waits (True) or none will come (False: closed, or empty after the last)."""
        while not self._items:
            if self.closed or self.final:
                return False
            self._ready.clear()
            await self._ready.wait()
        return True

    def pop(self) -> Any:
        """The first message waiting, None if there is none."""
        if not self._items:
            return None
        kind, message = self._items.popleft()
        if kind is not None:
            del self._kinds[kind]
        return message

    async def get(self) -> Any:
        return self.pop() if await self.wait() else None

    def clear(self) -> None:
        """Forget what waits (a student let go gets only the "bye" that follows)."""
        self._items.clear()
        self._kinds.clear()

    def close(self) -> None:
        self.closed = True
        self.clear()
        self._ready.set()


class TokenBucket:
    """At most `burst` messages at once and `rate` a second after that."""

    def __init__(self, burst: int, rate: float, clock: Callable[[], float]) -> None:
        self.burst, self.rate, self.clock = burst, rate, clock
        self.tokens, self.at = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


# --- the open question, its tally and the quiz log ------------------------------------------------


@dataclass
class Tries:
    """One student's answers to one question: at most one per try, the second only after a wrong first."""

    first: str | None = None
    right_first: bool | None = None  # None: not judged (no first try, or it gave up)
    second: str | None = None
    right_second: bool | None = None
    revealed: bool = False  # the student gave up (an empty answer): the app shows them the value

    @property
    def done(self) -> bool:
        return bool(self.revealed or self.right_first or self.second is not None)


@dataclass(frozen=True)
class Bin:
    """A value given at a first try, how many gave it, and whether the checker found it right."""

    value: float | str
    count: int
    right: bool


@dataclass(frozen=True)
class Tally:
    """The open question (or the last one closed) as the lecturer's screen shows it."""

    question: str | None
    joined: int  # students connected now
    answered: int  # students with at least one try (giving up counts)
    right_first: int
    right_second: int
    revealed: int  # students who gave up
    histogram: tuple[Bin, ...] = ()  # first tries, the most frequent first, at most HISTOGRAM_BINS
    other: int = 0  # first tries outside the histogram's bins
    open: bool = False


@dataclass
class Question:
    id: str
    checker: Callable[[str], bool]  # the lecturer's: is this answer right?
    parse: Callable[[str], float] | None  # the lecturer's: the number a value means (for the histogram)
    ask: Any  # opaque, sent to the students with the question
    n: int  # the state version the question was asked at
    frame: bytes  # the question as sent, again to whoever joins while it is open
    tries: dict[str, Tries] = field(default_factory=dict)  # by student key
    bins: collections.Counter = field(default_factory=collections.Counter)
    bin_right: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One line of --quiz-log: one student, one question."""

    time: str
    name: str
    question: str
    first: str
    second: str
    right_first: bool
    right_second: bool
    revealed: bool


QUIZ_LOG_HEADER = (
    "time",
    "name",
    "question",
    "first_try",
    "second_try",
    "right_first_try",
    "right_second_try",
    "revealed",
)
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?(?:[eE][+-]?[0-9]+)?")


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs: one that starts with = + - @ or a tab or
    carriage return gets a leading ' (OWASP's CSV injection advice), unless it is a plain number
    (-0.5 stays a number)."""
    if text and text[0] in "=+-@\t\r" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_line(cells) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue().encode("utf-8")


def append_quiz_log(path: str | os.PathLike, rows) -> None:
    """Append one CSV line per Row to `path` (created with a header line if new or empty), each line
    in a single write on a file opened O_APPEND: two writers interleave whole lines, never halves.
    Cells are formula-safe (safe_cell); names and values are printable, one line each. OSError."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if os.fstat(fd).st_size == 0:
            os.write(fd, csv_line(QUIZ_LOG_HEADER))
        for r in rows:
            line = csv_line(
                [
                    r.time,
                    safe_cell(r.name),
                    safe_cell(r.question),
                    safe_cell(r.first),
                    safe_cell(r.second),
                    int(r.right_first),
                    int(r.right_second),
                    int(r.revealed),
                ]
            )
            if os.write(fd, line) != len(line):
                raise OSError(f"{path}: short write")
    finally:
        os.close(fd)


# --- the lecturer's side -------------------------------------------------------------------------


@dataclass
class Student:
    """One identity of the class: kept when the connection drops, so a rejoin gets it back."""

    name: str
    key: str
    token: str
    conn: _Conn | None = None
    dropped: collections.Counter = field(default_factory=collections.Counter)  # by reason, every connection
    since: float = 0.0  # when it last connected or left (the oldest absent identity is forgotten first)


@dataclass(frozen=True)
class StudentInfo:
    name: str
    connected: bool
    dropped: int


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, clock) -> None:
        self.reader, self.writer = reader, writer
        self.mailbox = Mailbox()
        self.bucket = TokenBucket(BURST, RATE, clock)
        self.strikes = 0
        self.student: Student | None = None
        self.sender: asyncio.Task | None = None

    def abort(self) -> None:
        self.mailbox.close()
        self.writer.transport.abort()

    def send(self, frame: bytes, kind: str | None = None) -> bool:
        """Send `frame` now when nothing waits for this student and its transport has room (the
        usual case: one non-blocking write, no task switch), else leave it in the mailbox; False when
        the mailbox is full."""
        transport = self.writer.transport
        if (
            not self.mailbox
            and not self.mailbox.final
            and not transport.is_closing()
            and transport.get_write_buffer_size() < WRITE_BUFFER
        ):
            transport.write(frame)  # in order: the writer task writes what it takes before it waits
            return True
        return self.mailbox.put(frame, kind)


@dataclass(frozen=True)
class Closed:
    """What close_question returns: the final tally, the rows of the quiz log, and the log's error."""

    tally: Tally
    rows: tuple[Row, ...]
    log_error: str | None = None


class LeadServer:
    """The lecturer's end of a class session. `await start()`, then `broadcast(state)` at every
    change, `open_question` / `close_question` for the quiz, `await close()` on quit ("ended" to
    everyone). `on_change()` (optional) is called after a join, a leave or an answer: re-read
    `joined`, `tally()` and `students()`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        code: str | None = None,
        *,
        max_students: int = MAX_STUDENTS,
        quiz_log: str | os.PathLike | None = None,
        on_change: Callable[[], None] | None = None,
        heartbeat: float = HEARTBEAT,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if code is not None and not wire.valid_code(code):
            raise ValueError(f"join code {code!r}: 1 to {wire.CODE_CHARS} letters, digits or dashes")
        self.host, self.port = host, port
        self.code = code if code is not None else wire.new_code()
        self.max_students = max_students
        self.quiz_log = quiz_log
        self.on_change = on_change
        self.heartbeat = heartbeat
        self.clock = clock or time.monotonic
        self.n = 0  # the state version: one more at every broadcast
        self._state: bytes | None = None  # the latest state's frame, for whoever joins next
        self._students: dict[str, Student] = {}  # by name_key
        self._tokens: dict[str, Student] = {}
        self._conns: set[_Conn] = set()
        self.question: Question | None = None
        self._last: Tally | None = None
        self.dropped: collections.Counter = collections.Counter()  # every reason, every student
        self.refused: collections.Counter = collections.Counter()
        self._server: asyncio.AbstractServer | None = None
        self._pinger: asyncio.Task | None = None
        self.ended = False

    # -- life ------------------------------------------------------------------------------------

    async def start(self) -> tuple[str, int]:
        """Listen; the address really listened on (port 0 becomes a free port). OSError."""
        self._server = await asyncio.start_server(
            self._handle,
            self.host,
            self.port,
            backlog=min(self.max_students + PENDING, 4096),
            limit=2 * wire.MAX_STUDENT_MESSAGE,
        )  # ≤ 16 KiB read ahead per student
        self.port = self._server.sockets[0].getsockname()[1]
        self._pinger = asyncio.get_running_loop().create_task(self._ping())
        return self.host, self.port

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    async def close(self) -> None:
        """The lecturer quits: a question still open is closed (its answers go to the quiz log), every
        student gets "ended", GRACE seconds to read it, then the cut."""
        if self.ended:
            return
        if self.question is not None:
            self.close_question()
        self.ended = True
        if self._pinger is not None:
            self._pinger.cancel()
        if self._server is not None:
            self._server.close()
        ended = wire.encode({"t": "ended", "n": self.n})
        conns = list(self._conns)
        for c in conns:
            c.mailbox.put(ended, last=True)
        senders = [c.sender for c in conns if c.sender is not None]
        if senders:
            await asyncio.wait(senders, timeout=GRACE)
        for c in conns:
            c.abort()
        await asyncio.sleep(0)  # the aborted connections' handlers see the end

    async def _ping(self) -> None:
        ping = wire.encode({"t": "ping"})
        while True:
            await asyncio.sleep(self.heartbeat)
            for c in list(self._conns):
                if c.student is not None:
                    c.send(ping, "ping")

    # -- what the lecturer does ------------------------------------------------------------------

    def broadcast(self, state: Any) -> int:
        """Send `state` (JSON-able, at most wire.MAX_STATE bytes encoded: ValueError beyond) to every
        student joined and keep it for those who join later; its version. Returns at once: each
        student's writer sends it when that student reads, and a state still waiting is replaced."""
        frame = wire.encode({"t": "state", "n": self.n + 1, "state": state})
        if len(frame) > wire.MAX_STATE:
            raise ValueError(f"a state message of {len(frame)} bytes: at most {wire.MAX_STATE}")
        self.n += 1
        self._state = frame
        for c in self._conns:
            if c.student is not None:
                c.send(frame, "state")
        return self.n

    def open_question(
        self, qid: str, checker: Callable[[str], bool], *, parse: Callable[[str], float] | None = None, ask: Any = None
    ) -> None:
        """Ask every student question `qid` (at most 64 characters; `ask` goes with it, small and
        JSON-able). `checker(value)` says whether an answer is right, `parse(value)` the number it
        means for the histogram (both the lecturer's; an exception means "not right" / "not a
        number"). A question still open is closed first. ValueError for an id or an `ask` out of bounds."""
        if not wire.bounded_text(qid, wire.QUESTION_CHARS, 1):
            raise ValueError("a question id is 1 to 64 characters")
        frame = wire.encode({"t": "question", "q": qid, "n": self.n, "ask": ask})
        if len(frame) > MAX_ASK:
            raise ValueError(f"a question of {len(frame)} bytes: at most {MAX_ASK}")
        if self.question is not None:
            self.close_question()
        self.question = Question(qid, checker, parse, ask, self.n, frame)
        self._send_all(frame)

    def close_question(self) -> Closed | None:
        """The lecturer reveals: no more answers; every student is told; the rows of the quiz log
        (one per student who answered or is connected) are appended to `quiz_log`."""
        q = self.question
        if q is None:
            return None
        tally = self.tally()
        self.question = None
        self._last = replace(tally, open=False)
        self._send_all(wire.encode({"t": "close", "q": q.id, "n": self.n}))
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        rows = []
        for s in sorted(self._students.values(), key=lambda s: s.name):
            tries = q.tries.get(s.key)
            if tries is None and s.conn is None:
                continue
            tries = tries or Tries()
            rows.append(
                Row(
                    when,
                    s.name,
                    q.id,
                    tries.first or "",
                    tries.second or "",
                    bool(tries.right_first),
                    bool(tries.right_second),
                    tries.revealed,
                )
            )
        error = None
        if self.quiz_log is not None and rows:
            try:
                append_quiz_log(self.quiz_log, rows)
            except OSError as e:
                error = str(e)
        return Closed(self._last, tuple(rows), error)

    # -- what the lecturer reads -----------------------------------------------------------------

    @property
    def joined(self) -> int:
        return sum(1 for c in self._conns if c.student is not None)

    def students(self) -> list[StudentInfo]:
        return [
            StudentInfo(s.name, s.conn is not None, sum(s.dropped.values()))
            for s in sorted(self._students.values(), key=lambda s: s.name)
        ]

    def tally(self) -> Tally:
        """The open question's answers so far (or the last question's, closed)."""
        q = self.question
        if q is None:
            return replace(self._last, joined=self.joined) if self._last else Tally(None, self.joined, 0, 0, 0, 0)
        tries = q.tries.values()
        common = q.bins.most_common()
        bins = tuple(Bin(value, count, q.bin_right[value]) for value, count in common[:HISTOGRAM_BINS])
        return Tally(
            q.id,
            self.joined,
            len(q.tries),
            sum(1 for t in tries if t.right_first),
            sum(1 for t in tries if t.right_second),
            sum(1 for t in tries if t.revealed),
            bins,
            sum(count for _, count in common[HISTOGRAM_BINS:]),
            open=True,
        )

    def queued(self) -> list[int]:
        """How many messages wait for each connected student (each at most MAILBOX + 2)."""
        return [len(c.mailbox) for c in self._conns]

    def buffered(self) -> list[int]:
        """Bytes the transport holds for each connected student."""
        return [c.writer.transport.get_write_buffer_size() for c in self._conns]

    # -- one connection --------------------------------------------------------------------------

    def _send_all(self, frame: bytes) -> None:
        for c in list(self._conns):
            if c.student is not None and not c.send(frame):
                self._let_go(c, "slow")

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Conn(reader, writer, self.clock)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a state is one small write: now
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)  # a laptop gone from the network
            except OSError:
                pass
        writer.transport.set_write_buffer_limits(high=WRITE_BUFFER)
        conn.sender = asyncio.get_running_loop().create_task(self._send(conn))
        if self.ended or len(self._conns) >= self.max_students + PENDING:
            self._refuse(conn, "full")
            return
        self._conns.add(conn)
        try:
            try:
                body = await asyncio.wait_for(wire.read_frame(reader, wire.MAX_STUDENT_MESSAGE), JOIN_TIMEOUT)
            except (asyncio.TimeoutError, wire.ProtocolError):
                self._refuse(conn, "protocol")
                return
            message = wire.parse_student(body)
            if not isinstance(message, wire.Join):
                self._refuse(conn, "protocol")
                return
            if not self._admit(conn, message):
                return
            self._changed()
            await self._read(conn)
        except (asyncio.IncompleteReadError, ConnectionError, wire.ProtocolError):
            pass  # the student's end went away, or its framing is hostile: this connection ends
        finally:
            self._gone(conn)

    def _refuse(self, conn: _Conn, reason: str) -> None:
        self.refused[reason] += 1
        self._conns.discard(conn)
        conn.mailbox.put(wire.encode({"t": "refused", "reason": reason}), last=True)
        asyncio.get_running_loop().call_later(GRACE, conn.abort)

    def _let_go(self, conn: _Conn, reason: str) -> None:
        """Disconnect one student ("abuse", "slow", "replaced"); the others carry on."""
        if conn.student is not None and conn.student.conn is conn:
            conn.student.conn = None
            conn.student.since = self.clock()
        conn.student = None
        self._conns.discard(conn)
        conn.mailbox.clear()
        conn.mailbox.put(wire.encode({"t": "bye", "reason": reason}), last=True)
        asyncio.get_running_loop().call_later(GRACE, conn.abort)

    def _gone(self, conn: _Conn) -> None:
        if conn not in self._conns and conn.student is None:
            return
        self._conns.discard(conn)
        s = conn.student
        if s is not None and s.conn is conn:
            s.conn = None
            s.since = self.clock()
        conn.student = None
        conn.abort()
        self._changed()

    async def _send(self, conn: _Conn) -> None:
        try:
            box = conn.mailbox
            while await box.wait():
                # Room first, then the message waiting now (a newer state may have replaced the one
                # that woke us): the transport holds at most WRITE_BUFFER and one message, and
                # conn.send writes directly only when nothing waits, so the order holds.
                await conn.writer.drain()  # this student's writer waits, nobody else
                frame = box.pop()
                if frame is not None:
                    conn.writer.write(frame)
            if box.final:
                conn.writer.close()
        except (ConnectionError, RuntimeError):
            conn.abort()  # RuntimeError: the transport was closed under it

    def _admit(self, conn: _Conn, join: wire.Join) -> bool:
        if join.version != wire.VERSION:
            self._refuse(conn, "version")
            return False
        if not wire.same_code(join.code, self.code):
            self._refuse(conn, "code")
            return False
        name = wire.clean_name(join.name)
        if not name:
            self._refuse(conn, "name")
            return False
        key = wire.name_key(name)
        student = self._tokens.get(join.token) if join.token else None
        if student is not None and student.key != key:
            student = None
        if student is None:
            student = self._students.get(key)
            if student is not None and student.conn is not None:  # another "Ana", here now
                k = 2
                while wire.name_key(wire.numbered(name, k)) in self._students:
                    k += 1
                name = wire.numbered(name, k)
                key = wire.name_key(name)
                student = None
        if student is None or student.conn is None:
            if self.joined >= self.max_students:
                self._refuse(conn, "full")
                return False
        if student is None:
            if len(self._students) >= 2 * self.max_students and not self._forget_one():
                self._refuse(conn, "full")
                return False
            student = Student(name, key, secrets.token_urlsafe(16))
            self._students[key] = student
            self._tokens[student.token] = student
        elif student.conn is not None:  # the same student (its token) while the old connection lingers
            old = student.conn
            student.conn = None
            self._let_go(old, "replaced")
        student.conn = conn
        student.since = self.clock()
        conn.student = student
        conn.mailbox.put(
            wire.encode(
                {
                    "t": "welcome",
                    "v": wire.VERSION,
                    "name": student.name,
                    "token": student.token,
                    "n": self.n,
                    "heartbeat": self.heartbeat,
                }
            )
        )
        if self._state is not None:
            conn.mailbox.put(self._state, "state")
        q = self.question
        if q is not None:
            conn.mailbox.put(q.frame)
            tries = q.tries.get(student.key)
            if tries is not None:  # a rejoin: its answers back
                for attempt, value, right in (
                    (1, tries.first, tries.right_first),
                    (2, tries.second, tries.right_second),
                ):
                    if value is not None:
                        conn.mailbox.put(self._verdict(q, attempt, value, right))
        return True

    def _forget_one(self) -> bool:
        """Forget the identity absent the longest (the number of identities stays bounded)."""
        absent = [s for s in self._students.values() if s.conn is None]
        if not absent:
            return False
        s = min(absent, key=lambda s: s.since)
        del self._students[s.key]
        del self._tokens[s.token]
        return True

    async def _read(self, conn: _Conn) -> None:
        while conn.student is not None:
            body = await wire.read_frame(conn.reader, wire.MAX_STUDENT_MESSAGE, wire.DISCARD_LIMIT)
            if conn.student is None:
                return
            if not conn.bucket.take():
                self._drop(conn, "rate")
                continue
            if body is wire.OVERSIZED:
                self._drop(conn, "size")
                continue
            message = wire.parse_student(body)
            if isinstance(message, str):
                self._drop(conn, message)
            elif isinstance(message, wire.Answer):
                self._answer(conn, message)
            elif isinstance(message, wire.Leave):
                return
            else:
                self._drop(conn, "type")  # a second join

    def _drop(self, conn: _Conn, reason: str, strike: bool = True) -> None:
        self.dropped[reason] += 1
        if conn.student is not None:
            conn.student.dropped[reason] += 1
        if strike:
            conn.strikes += 1
            if conn.strikes >= ABUSE_LIMIT:
                self._let_go(conn, "abuse")
                self._changed()

    def _verdict(self, q: Question, attempt: int, value: str, right: bool | None) -> bytes:
        return wire.encode({"t": "verdict", "q": q.id, "try": attempt, "value": value, "right": right})

    def _answer(self, conn: _Conn, a: wire.Answer) -> None:
        q, s = self.question, conn.student
        assert s is not None  # the connection's loop returns before any message while no student has joined
        if q is None or a.question != q.id:
            self._drop(conn, "stale", strike=False)  # a question just closed: no fault of the student
            return
        tries = q.tries.get(s.key)
        if tries is None:
            tries = Tries()
        recorded = tries.first if a.attempt == 1 else tries.second
        if recorded is not None:
            if recorded != a.value:
                self._drop(conn, "again")
            return  # the same answer again (sent once more after a reconnect): nothing new
        if a.attempt == 2 and (tries.first is None or tries.done):
            self._drop(conn, "again")
            return
        right: bool | None = None
        if a.value == "":
            tries.revealed = True
        else:
            right = self._judge(q.checker, a.value)
        if a.attempt == 1:
            tries.first, tries.right_first = a.value, right
            if a.value:
                self._histogram(q, a.value, bool(right))
        else:
            tries.second, tries.right_second = a.value, right
        q.tries[s.key] = tries
        if not conn.send(self._verdict(q, a.attempt, a.value, right)):
            self._let_go(conn, "slow")
        self._changed()

    @staticmethod
    def _judge(checker: Callable[[str], bool], value: str) -> bool:
        try:
            return bool(checker(value))
        except Exception:  # the lecturer's checker meets a student's text: whatever it cannot read is not right
            return False

    @staticmethod
    def _histogram(q: Question, value: str, right: bool) -> None:
        key: float | str = value.strip()
        if q.parse is not None:
            try:
                key = float(q.parse(value))
            except Exception:  # not a number to the lecturer's parser: it is counted as typed
                key = value.strip()
        q.bins[key] += 1
        q.bin_right.setdefault(key, right)


# --- a student's side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    name: str  # the name the lecturer gave (a second "Ana" is "Ana (2)")
    rejoined: bool


@dataclass(frozen=True)
class State:
    n: int
    state: Any


@dataclass(frozen=True)
class Asked:
    question: str
    n: int  # the state version it was asked at
    ask: Any


@dataclass(frozen=True)
class Revealed:
    question: str
    n: int


@dataclass(frozen=True)
class Verdict:
    question: str
    attempt: int
    value: str
    right: bool | None  # None: the student gave up


@dataclass(frozen=True)
class Lost:
    reason: str  # what went wrong, in the words of the error; the app says session_lost
    retry_in: float


@dataclass(frozen=True)
class Refused:
    reason: str  # one of wire.REFUSALS or wire.BYES; final unless "full" or "slow" (then retried)


@dataclass(frozen=True)
class Ended:
    pass


BACKOFF = (0.25, 8.0)  # seconds before the first retry, and at most; doubled each time, with jitter


class StudentClient:
    """A student's end of a class session. `start()`, then read `await next_event()` (None once the
    client is closed and every event read): Joined, State (the latest only when the app lags),
    Asked, Verdict, Revealed, Lost (retrying), Refused, Ended. `answer()` sends a try;
    `await close()` leaves. Nothing here raises on network trouble."""

    def __init__(
        self,
        host: str,
        port: int,
        code: str,
        name: str,
        *,
        backoff: tuple[float, float] = BACKOFF,
        max_message: int = wire.MAX_LEAD_MESSAGE,
    ) -> None:
        self.host, self.port, self.code = host, port, code
        self.name = name
        self.backoff = backoff
        self.max_message = max_message
        self.token: str | None = None
        self.state: State | None = None
        self.question: str | None = None
        self.joined = False
        self.done = False  # ended, refused for good, or closed: no more reconnecting
        self._events = Mailbox(limit=1024)
        self._answers: dict[tuple[str, int], str] = {}  # of the open question, sent again after a reconnect
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def next_event(self):
        return await self._events.get()

    def answer(self, question: str, attempt: int, value: str) -> bool:
        """Send try 1 or 2 of `question` ("" gives up); False when not joined now (it is sent on
        rejoining, if the question is still open). ValueError for a try other than 1 or 2."""
        if attempt not in (1, 2) or not wire.bounded_text(question, wire.QUESTION_CHARS, 1):
            raise ValueError(
                f"try {attempt!r} of question {question!r}: a try is 1 or 2, a question 1 to 64 characters"
            )
        self._answers[(question, attempt)] = value
        return self._write(wire.answer(question, attempt, value))

    async def close(self) -> None:
        """Leave the session (the lecturer keeps this student's identity and answers)."""
        self.done = True
        self._write(wire.LEAVE)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._hang_up()
        self._events.put(None, last=True)

    def _write(self, message: dict) -> bool:
        if self._writer is None or not self.joined or self._writer.is_closing():
            return False
        self._writer.write(wire.encode(message))
        return True

    def _hang_up(self) -> None:
        if self._writer is not None:
            self._writer.transport.abort()
            self._writer = None
        self.joined = False

    def _event(self, event: Any, kind: str | None = None) -> None:
        self._events.put(event, kind)

    async def _run(self) -> None:
        delay = self.backoff[0]
        while not self.done:
            reason = await self._session()
            if self.joined:  # it had joined: this drop starts the backoff over
                delay = self.backoff[0]
            self._hang_up()
            if self.done:
                break
            wait = delay * (0.5 + random.random())  # jitter: a class does not come back at one instant
            self._event(Lost(reason, wait), "lost")
            await asyncio.sleep(wait)
            delay = min(delay * 2, self.backoff[1])
        self._events.put(None, last=True)  # the app's next_event returns None once it has read the rest

    async def _session(self) -> str:
        """One connection, until it ends; why it ended (Lost's reason)."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=wire.DISCARD_LIMIT), JOIN_TIMEOUT
            )
            self._writer = writer
            writer.write(wire.encode(wire.join(self.code, self.name, self.token)))
            timeout = JOIN_TIMEOUT
            while True:
                body = await asyncio.wait_for(wire.read_frame(reader, self.max_message), timeout)
                message = wire.parse_lead(body)
                if message is None:
                    continue
                kind = message["t"]
                if kind == "welcome":
                    timeout = min(max(3 * float(message["heartbeat"]), 1.0), 300.0)
                    self._welcome(message)
                elif kind == "state":
                    self.state = State(message["n"], message.get("state"))
                    self._event(self.state, "state")
                elif kind == "question":
                    if message["q"] != self.question:
                        self._answers = {k: v for k, v in self._answers.items() if k[0] == message["q"]}
                    self.question = message["q"]
                    self._event(Asked(message["q"], message["n"], message.get("ask")))
                elif kind == "close":
                    self.question = None
                    self._answers.clear()
                    self._event(Revealed(message["q"], message["n"]))
                elif kind == "verdict":
                    self._event(Verdict(message["q"], message["try"], message["value"], message.get("right")))
                elif kind == "ended":
                    self.done = True
                    self._event(Ended())
                    return "ended"
                elif kind in ("refused", "bye"):
                    reason = message["reason"] if message["reason"] in wire.REFUSALS + wire.BYES else "protocol"
                    self._event(Refused(reason))
                    if reason not in ("full", "slow"):  # a seat may free up; a screen that lagged comes back
                        self.done = True
                    return reason
        except asyncio.TimeoutError:
            return "timeout"
        except asyncio.IncompleteReadError:
            return "closed"
        except wire.ProtocolError:
            return "protocol"
        except OSError as e:
            return e.strerror or type(e).__name__

    def _welcome(self, message: dict) -> None:
        rejoined = self.token is not None
        self.name, self.token = message["name"], message["token"]
        self.joined = True
        self._event(Joined(self.name, rejoined))
        for (q, attempt), value in sorted(self._answers.items()):
            self._write(wire.answer(q, attempt, value))


__all__ = [
    "LeadServer",
    "StudentClient",
    "Mailbox",
    "Tally",
    "Bin",
    "Closed",
    "Row",
    "StudentInfo",
    "Joined",
    "State",
    "Asked",
    "Revealed",
    "Verdict",
    "Lost",
    "Refused",
    "Ended",
    "append_quiz_log",
    "safe_cell",
    "QUIZ_LOG_HEADER",
    "MAX_STUDENTS",
]
