"""A class session, the App's side (issue 22, DESIGN §13): the lecturer's app leads, a student's follows.

The lecturer's App owns a LeadServer (tui/host/session.py) on its own event loop and broadcasts the
state of its Snapshot (engine/follow.py) after every change, once the frame showing it is drawn
(call_after_refresh), so the class never delays the lecturer's key → screen. The status line says
the address, the join code and how many students joined; with the quiz on, each micro-step first
opens the question for the class, the tally of answers is refreshed at most TALLY_HZ times a second
(nothing runs while nothing arrives), and pressing the step key again reveals it to everyone.

A student's App reads its StudentClient's events in an async worker on the App's loop (never a
thread): each state is rebuilt (engine.follow.snapshot_of, checked like a model file) and, while the
student follows, becomes the student's Snapshot. Any other change of the Snapshot (the student's
own keys) leaves following ("exploring; F to follow"); F goes back to the lecturer's latest state.
Refusals, a lost connection and the lecturer's end are a line, never an end of the app.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from engine import follow
from engine.stepper import Snapshot
from tui.app.host import Host
from tui.app.notice import Notice
from tui.app.quiz import Question, QuizState, judge, question_for
from tui.app.widgets.quiz import QuizBar
from tui.host import session as net
from tui.host import session_schema as wire
from tui.text import fmt
from tui.text.i18n import t, tn

TALLY_HZ = 4  # the lecturer's tally is redrawn at most this often while answers arrive
CLOSE_TIMEOUT = 2.0  # seconds the lecturer's quit waits for "ended" to leave


@dataclass(frozen=True)
class SessionArgs:
    """--lead [HOST:]PORT (role "lead") or --join HOST:PORT (role "join"), with their options."""

    role: str
    host: str
    port: int
    code: str | None = None
    name: str = ""
    max_students: int = net.MAX_STUDENTS
    quiz_log: str | None = None
    ask_name: bool = False  # a browser tab (serve --join) without --name: the student types it first


HISTOGRAM_BAR = 8  # cells of the most frequent answer's bar


def histogram(values: list[tuple[str, int, bool]], other: int = 0) -> str:
    """The first tries as a small bar chart on one line: each value given with ✓ or ✗, a bar of at
    most HISTOGRAM_BAR cells in proportion to the largest count, and its count (0.3825 ✓ ████ 2 ·
    0.5000 ✗ ██ 1); the answers beyond the chart's values as "+ n"."""
    if not values:
        return f"+ {other}" if other else ""
    most = max(count for _, count, _ in values)
    parts = [
        f"{value} {'✓' if right else '✗'} {'█' * max(1, round(HISTOGRAM_BAR * count / most))} {count}"
        for value, count, right in values
    ]
    return " · ".join(parts) + (f" · + {other}" if other else "")


class SessionController:
    def __init__(self, app: Host, args: SessionArgs | None = None) -> None:
        self.app = app
        self.args = args
        self.lead: net.LeadServer | None = None
        self.client: net.StudentClient | None = None
        self.following = True
        self.latest: Snapshot | None = None  # the lecturer's latest state, rebuilt
        self._expected: Snapshot | None = None  # the Snapshot this controller just gave the App
        self._pending = False
        self._sent: Snapshot | None = None
        self._model: tuple[Any, str, str | None] = (None, "", None)  # (Model, its file's text, why none)
        self._timer: Any = None
        self._drawn_at = 0.0
        self._line: tuple[str, dict] = ("", {})  # the status line's part, as an i18n key and values
        self._closing: asyncio.Task | None = None
        self.question: str | None = None  # the class question open (lecturer) or asked (student)
        self.name = ""
        self._asked_q: Any = None  # the quiz Question a student was asked for the class (not their own)
        self._asked_at: Snapshot | None = None  # the lecturer's Snapshot the class question was asked at
        self._asked_n = 0  # the state version a student's class question was asked at

    @property
    def active(self) -> bool:
        return self.args is not None

    @property
    def leading(self) -> bool:
        return self.args is not None and self.args.role == "lead"

    @property
    def joining(self) -> bool:
        return self.args is not None and self.args.role == "join"

    # --- the status line ------------------------------------------------------------------------
    def _say(self, key: str, **values: Any) -> None:
        self._line = (key, values)
        self.show_line()

    def show_line(self) -> None:
        """The status line's session part in the App's language (again after `l`)."""
        key, values = self._line
        lang = self.app.lang
        if not key:
            text = ""
        elif key == "session_lead":
            lead = self.lead
            joined = tn("session_joined", lead.joined if lead else 0, lang)
            text = t(key, lang, address=values["address"], code=values["code"], joined=joined)
        elif key == "session_refused_short":
            text = t(key, lang, reason=wire.reason_text(values["reason"], lang).rstrip("."))
        else:
            text = t(key, lang, **{k: wire.clean_value(str(v)) for k, v in values.items()})
        if self.joining and not self.following and key in ("session_following", "session_lost_short"):
            text = t("session_exploring", lang)
        self.app.session_line = text

    # --- the lecturer ---------------------------------------------------------------------------
    async def start_lead(self) -> None:
        args = self.args
        assert args is not None
        server = net.LeadServer(
            args.host,
            args.port,
            args.code,
            max_students=args.max_students,
            quiz_log=args.quiz_log,
            on_change=self._changed,
        )
        try:
            await server.start()
        except OSError as e:
            self.app.exit(
                return_code=1,
                message=t(
                    "session_listen_failed",
                    self.app.lang,
                    address=f"{args.host}:{args.port}",
                    reason=e.strerror or str(e),
                ),
            )
            return
        self.lead = server
        self._say("session_lead", address=server.address, code=server.code)
        self.changed(self.app.stepper.snapshot)

    def changed(self, snapshot: Snapshot | None) -> None:
        """The App's Snapshot changed (App.watch_snapshot)."""
        if self.lead is not None:
            if self.question is not None and snapshot is not self._asked_at:
                self.reveal()  # the state moved on (e, p, w, o …): the question no longer applies
            if not self._pending:
                self._pending = True
                self.app.call_after_refresh(self._broadcast)
        elif self.client is not None and self.following and snapshot is not self._expected:
            self.following = False  # the student's own step, edit, η …: their own
            self.show_line()

    def _broadcast(self) -> None:
        self._pending = False
        lead, s = self.lead, self.app.stepper.snapshot
        if lead is None or lead.ended or s is self._sent:
            return
        self._sent = s
        model, text, problem = self._model
        if model is not s.model:  # written once per model: a data set of many rows is not written at every step
            try:
                text, problem = follow.model_text(s), None
            except follow.FollowError as e:
                text, problem = "", str(e)
            self._model = (s.model, text, problem)
        try:
            if problem is not None:
                raise ValueError(problem)
            lead.broadcast(follow.state_of(s, model=text))
        except ValueError as e:  # FollowError, or a state over MAX_STATE (a data set too large)
            self.app.notice = Notice("session_not_shared", (("reason", str(e)),))

    def _changed(self) -> None:
        """A join, a leave or an answer (LeadServer.on_change): redraw soon, at most TALLY_HZ a second."""
        if self._timer is not None:
            return
        wait = max(0.01, self._drawn_at + 1 / TALLY_HZ - time.monotonic())  # Textual: a timer of 0 s divides by 0
        self._timer = self.app.set_timer(wait, self._redraw)

    def _redraw(self) -> None:
        self._timer = None
        self._drawn_at = time.monotonic()
        self.show_line()
        if self.question is not None:
            self.show_tally()

    def show_tally(self) -> None:
        lead = self.lead
        if lead is None:
            return
        tally = lead.tally()
        bars = histogram([(self._value(b.value), b.count, b.right) for b in tally.histogram], tally.other)
        q = self._asked_q
        symbol = "" if q is None else (t("ui_quiz_new", self.app.lang, symbol=q.symbol) if q.new else q.symbol)
        values: tuple = (
            ("symbol", symbol),
            ("answered", tally.answered),
            ("joined", tally.joined),
            ("first", tally.right_first),
            ("second", tally.right_second),
            ("revealed", tally.revealed),
        )
        then = Notice("session_tally_idle") if tally.open else None
        notice = Notice("session_tally", values, then)
        if bars:
            notice = Notice("session_tally", values, Notice("session_text", (("text", bars),), then))
        self.app.notice = notice

    def _value(self, v: float | str) -> str:
        return fmt.num(v, self.app.comma) if isinstance(v, float) else wire.clean_value(v)[:16]

    def open_question(self, q: Question) -> None:
        """Ask the class `q`, the question of the coming micro-step (QuizController holds the step)."""
        lead = self.lead
        if lead is None:
            return
        if self._pending:  # the state the question is about goes out first (its frame is not drawn yet)
            self._broadcast()
        qid = f"{lead.n}:{q.ident}"[: wire.QUESTION_CHARS]

        def checker(text: str, q=q) -> bool:
            return judge(fmt.parse_number(text), q.value, q.from_inputs)

        lead.open_question(qid, checker, parse=fmt.parse_number, ask={"ident": q.ident})
        self.question, self._asked_q, self._asked_at = qid, q, self.app.stepper.snapshot
        self.show_tally()

    def reveal(self) -> None:
        """The lecturer pressed the step key again: the class question closes (its rows go to the log)."""
        lead = self.lead
        if lead is None or self.question is None:
            return
        closed = lead.close_question()
        self.question = None
        if closed is not None and closed.log_error:
            self.app.notice = Notice("ui_quiz_log_failed", (("path", str(lead.quiz_log)), ("reason", closed.log_error)))

    # --- a student -------------------------------------------------------------------------------
    async def run_student(self) -> None:
        """Read the client's events until it is closed (an async worker on the App's loop)."""
        args = self.args
        assert args is not None
        address = f"{args.host}:{args.port}"
        client = net.StudentClient(args.host, args.port, args.code or "", args.name)
        self.client = client
        self._say("session_joining", address=address)
        client.start()
        while (event := await client.next_event()) is not None:
            if isinstance(event, net.Asked):
                await self._asked(event)
            else:
                self._event(event, address)

    def _event(self, event: object, address: str) -> None:
        app = self.app
        if isinstance(event, net.Joined):
            self.name = event.name
            self._say("session_following", address=address, name=event.name)
        elif isinstance(event, net.State):
            try:
                s = follow.snapshot_of(event.state)
            except follow.FollowError as e:
                app.notice = Notice("session_bad_state", (("reason", str(e)),))
                return
            self.latest = s
            if (
                self.question is not None
                and event.n > self._asked_n
                and app.quiz.asking
                and app.quiz.question is self._asked_q
            ):
                app.quiz = app.quiz.drop()  # the lecturer moved on: the class's question no longer applies
                self.question = None
            if self.following:
                self._adopt(s)
        elif isinstance(event, net.Revealed):
            if self.question == event.question:
                self.question = None
                if app.quiz.asking:
                    app.quiz = app.quiz.drop()
        elif isinstance(event, net.Lost):
            self._say("session_lost_short")
        elif isinstance(event, net.Refused):
            self._say("session_refused_short", reason=event.reason)
            if event.reason not in ("full", "slow"):
                app.notice = Notice(f"session_reason_{event.reason}")
        elif isinstance(event, net.Ended):
            self.following = False
            self.question = None
            if app.quiz.asking:
                app.quiz = app.quiz.drop()
            self._say("session_ended_short")
            app.notice = Notice("session_ended")

    def _adopt(self, s: Snapshot) -> None:
        app = self.app
        self._expected = app.stepper.follow(s)
        quiz = app.quiz
        if quiz.verdict is not None and quiz.verdict_at is None and not quiz.asking:
            app.quiz = quiz.shown_at(self._expected)  # the verdict shows with the step the lecturer revealed
        app.snapshot = self._expected
        if app.notice is not None and app.notice.key == "session_wait_reveal":
            app.notice = None  # the step it waited for is this one

    async def _asked(self, event: net.Asked) -> None:
        """The lecturer's question: asked with the quiz bar when following the state it was asked at."""
        app = self.app
        if not self.following or self.latest is None:
            app.notice = Notice("session_question_elsewhere")
            return
        q = question_for(self.latest, app.comma)
        ident = event.ask.get("ident") if isinstance(event.ask, dict) else None
        if q is None or q.ident != ident:
            return  # not the state the question was asked at (a newer one is on its way)
        if not app.quiz.on:
            await app.screen_stack[0].query_one(QuizBar).add_parts()
        quiz = app.quiz if app.quiz.on else app.quiz.toggle()
        self.question, self._asked_q, self._asked_n = event.question, q, event.n
        app.quiz = quiz.ask(q, "step")

    def answered(self, old: QuizState, new: QuizState) -> bool:
        """A student's quiz bar judged an answer (QuizController): send each try to the lecturer.
        True: the class's question, so the step is the lecturer's to reveal (the student waits)."""
        client, qid = self.client, self.question
        if client is None or qid is None or old.question is None or old.question is not self._asked_q:
            return False
        tries = len(old.tries)
        if new.verdict is not None and new.verdict.kind == "nonsense":
            return True
        if new.verdict is not None and new.verdict.kind == "skipped":
            client.answer(qid, tries + 1, "")
        elif new.verdict is not None:
            client.answer(qid, tries + 1, new.verdict.text)
        if not new.asking:
            self.app.notice = Notice("session_wait_reveal")
        return True

    # --- F, and the end ---------------------------------------------------------------------------
    def follow_again(self) -> None:
        app = self.app
        if not self.active:
            app.notice = Notice("session_none")
            return
        if self.leading:
            app.notice = Notice("session_leading")
            return
        if self.latest is None:
            app.notice = Notice("session_nothing_yet")
            return
        app.play.pause(quiet=True)
        self.following = True
        self._adopt(self.latest)
        app.notice = Notice("session_following_again")
        self.show_line()

    def begin_close(self) -> None:
        """The App is ending: the lecturer's "ended" (and the open question's rows) go out now."""
        if self._closing is None and self.lead is not None:
            self._closing = asyncio.get_running_loop().create_task(self.lead.close())

    async def close(self) -> None:
        self.begin_close()
        if self._closing is not None:
            try:
                await asyncio.wait_for(self._closing, CLOSE_TIMEOUT)
            except (asyncio.TimeoutError, OSError):
                pass
        if self.client is not None:
            await self.client.close()


__all__ = ["SessionArgs", "SessionController", "TALLY_HZ"]
