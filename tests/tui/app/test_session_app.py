"""Issue 22, the app in a class session (tui/app/controllers/session.py), with Pilot: a lecturer's app and
an in-process StudentClient, a student's app and an in-process LeadServer, on 127.0.0.1."""

from __future__ import annotations

import asyncio

import numpy as np

from engine import presets
from engine.follow import snapshot_of, state_of
from engine.stepper import Phase, Stepper
from tui.app.controllers.session import SessionArgs
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.status import StatusLine
from tui.host import session as net


def status(app) -> str:
    return app.query_one(StatusLine).render().plain


def explain(app) -> str:
    return app.query_one(ExplainPanel).render().plain


async def until(pilot, check, tries: int = 200) -> None:
    """Let the loop run until `check()` holds (the network and the app's frames are on one loop)."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
        await asyncio.sleep(0.02)
    assert check()


def same(a, b) -> bool:
    return (
        a.phase is b.phase
        and a.sample == b.sample
        and a.epoch == b.epoch
        and all(np.allclose(getattr(a.params, k), getattr(b.params, k), rtol=1e-12) for k in ("W1", "b1", "W2", "b2"))
        and ((a.forward2 is None) == (b.forward2 is None))
    )


class Reader:
    """An in-process student: the latest state rebuilt, the questions, the verdicts."""

    def __init__(self, host, port, code, name="Ana"):
        self.client = net.StudentClient(host, port, code, name)
        self.snapshot = None
        self.events: list = []
        self.task = None

    def start(self):
        self.client.start()
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self):
        while (e := await self.client.next_event()) is not None:
            self.events.append(e)
            if isinstance(e, net.State):
                self.snapshot = snapshot_of(e.state)

    def of(self, kind):
        return [e for e in self.events if isinstance(e, kind)]


def lead_args(**kw) -> SessionArgs:
    return SessionArgs("lead", "127.0.0.1", 0, kw.pop("code", "ABC234"), **kw)


def test_the_lecturers_steps_reach_a_student_and_the_status_line_counts_them(drive):
    async def scenario(app, pilot):
        await until(pilot, lambda: app.session.lead is not None)
        lead = app.session.lead
        assert f"127.0.0.1:{lead.port}" in status(app) and "code ABC234" in status(app)
        assert "0 students joined" in status(app)
        ana = Reader("127.0.0.1", lead.port, "ABC234")
        ana.start()
        await until(pilot, lambda: ana.snapshot is not None and "1 student joined" in status(app))
        for key in ("f", "f", "b", "b", "u", "f", "a", "plus", "m"):
            await pilot.press(key)
            await until(
                pilot,
                lambda: (
                    ana.snapshot is not None
                    and same(ana.snapshot, app.stepper.snapshot)
                    and ana.snapshot.hidden == app.stepper.snapshot.hidden
                    and ana.snapshot.lr == app.stepper.snapshot.lr
                    and ana.snapshot.batch_next == app.stepper.snapshot.batch_next
                ),
            )
        await pilot.press("z")
        await until(pilot, lambda: same(ana.snapshot, app.stepper.snapshot))
        await ana.client.close()
        await until(pilot, lambda: "0 students joined" in status(app))

    drive(scenario, session=lead_args())


def test_a_student_follows_explores_and_F_brings_it_back(drive):
    lecturer = Stepper(presets.load("xor"))

    async def scenario(app, pilot):
        server = net.LeadServer("127.0.0.1", 0, "XYZ789")
        await server.start()
        server.broadcast(state_of(lecturer.snapshot))
        app.session.args = SessionArgs("join", "127.0.0.1", server.port, "XYZ789", name="Ana")
        app.run_worker(app.session.run_student(), group="session", exclusive=False)
        await until(pilot, lambda: app.stepper.snapshot.name == "xor")
        assert "following 127.0.0.1" in status(app) and "Ana" in status(app)
        for _ in range(3):
            lecturer.step()
            server.broadcast(state_of(lecturer.snapshot))
            await until(pilot, lambda: same(app.snapshot, lecturer.snapshot))
        await pilot.press("g", "escape")  # a view does not leave following
        assert "exploring" not in status(app)
        await pilot.press("space")  # the student's own step
        await until(pilot, lambda: "exploring; F to follow" in status(app))
        assert app.snapshot.phase is Phase.B1
        lecturer.step()
        server.broadcast(state_of(lecturer.snapshot))
        await until(pilot, lambda: app.session.latest is not None and same(app.session.latest, lecturer.snapshot))
        assert app.snapshot.phase is Phase.B1  # exploring: the student's own state stays
        await pilot.press("F")
        await until(pilot, lambda: same(app.snapshot, lecturer.snapshot))
        assert "exploring" not in status(app)
        await server.close()
        await until(pilot, lambda: "the lecturer ended the session" in status(app))
        await pilot.press("space")  # the app goes on working
        await until(pilot, lambda: app.snapshot.phase is Phase.U)  # B1 → U: the student's own update

    drive(scenario)


def test_a_wrong_code_is_a_line_not_a_crash(drive):
    async def scenario(app, pilot):
        server = net.LeadServer("127.0.0.1", 0, "RIGHT2")
        await server.start()
        app.session.args = SessionArgs("join", "127.0.0.1", server.port, "WRONG3", name="Ana")
        app.run_worker(app.session.run_student(), group="session", exclusive=False)
        await until(pilot, lambda: "refused" in status(app))
        assert "join code is wrong" in explain(app)
        await pilot.press("f")
        assert app.snapshot.phase is Phase.F1
        await server.close()

    drive(scenario)


def test_F_outside_a_session_says_there_is_none(drive):
    async def scenario(app, pilot):
        await pilot.press("F")
        await pilot.pause()
        assert "there is none here" in explain(app)

    drive(scenario)


def test_the_class_quiz_tallies_answers_and_the_step_key_reveals(drive, tmp_path):
    log = tmp_path / "class.csv"

    async def scenario(app, pilot):
        await until(pilot, lambda: app.session.lead is not None)
        lead = app.session.lead
        ana, ben = Reader("127.0.0.1", lead.port, "ABC234", "Ana"), Reader("127.0.0.1", lead.port, "ABC234", "Ben")
        ana.start()
        ben.start()
        await until(pilot, lambda: lead.joined == 2 and ana.snapshot is not None and ben.snapshot is not None)
        await pilot.press("f")  # the quiz asks first: z₁⁽¹⁾ = 0.3825 in the notes' example
        await until(pilot, lambda: ana.of(net.Asked) and ben.of(net.Asked))
        assert app.snapshot.phase is Phase.READY
        assert "Class, z₁⁽¹⁾: 0/2 answered" in explain(app)
        qid = ana.of(net.Asked)[0].question
        ana.client.answer(qid, 1, "0.3825")
        ben.client.answer(qid, 1, "0.5")
        await until(pilot, lambda: "2/2 answered" in explain(app) and "right first try 1" in explain(app))
        assert "0.3825 ✓ ████████ 1" in explain(app) and "0.5000 ✗ ████████ 1" in explain(app)
        ben.client.answer(qid, 2, "0.3825")
        await until(pilot, lambda: "second try 1" in explain(app))
        await pilot.press("f")  # the step key again: revealed everywhere
        await until(pilot, lambda: ana.of(net.Revealed) and ana.snapshot.phase is Phase.F1)
        assert app.snapshot.phase is Phase.F1
        await until(pilot, lambda: ben.of(net.Verdict) and len(ben.of(net.Verdict)) == 2)
        assert [v.right for v in ben.of(net.Verdict)] == [False, True]

    drive(scenario, quiz=True, session=lead_args(quiz_log=str(log)))
    rows = log.read_text().splitlines()
    assert rows[0].startswith("time,name,question")
    assert any(",Ana," in r and ",0.3825,,1,0,0" in r for r in rows[1:])
    assert any(",Ben," in r and ",0.5,0.3825,0,1,0" in r for r in rows[1:])


def test_a_student_answers_the_lecturers_question_in_its_own_quiz_bar(drive):
    lecturer = Stepper(presets.lecture())

    async def scenario(app, pilot):
        server = net.LeadServer("127.0.0.1", 0, "XYZ789")
        await server.start()
        server.broadcast(state_of(lecturer.snapshot))
        app.session.args = SessionArgs("join", "127.0.0.1", server.port, "XYZ789", name="Ana")
        app.run_worker(app.session.run_student(), group="session", exclusive=False)
        await until(pilot, lambda: server.joined == 1 and app.session.latest is not None)
        from tui.app.quiz import judge, question_for

        q = question_for(lecturer.snapshot)
        server.open_question(
            "1:" + q.ident, lambda v: judge(float(v.replace(",", ".")), q.value, q.from_inputs), ask={"ident": q.ident}
        )
        await until(pilot, lambda: app.quiz.asking)
        await pilot.press(*"0,4", "enter")  # pt: the student's own number style
        await until(pilot, lambda: server.tally().answered == 1)
        assert app.quiz.asking  # a second try, with the hint
        await pilot.press(*"0,3825", "enter")
        await until(pilot, lambda: server.tally().right_second == 1)
        assert not app.quiz.asking and app.snapshot.phase is Phase.READY  # the lecturer reveals
        assert "o professor revela o passo" in explain(app)  # waiting for it
        server.close_question()
        lecturer.step()
        server.broadcast(state_of(lecturer.snapshot))
        await until(pilot, lambda: app.snapshot.phase is Phase.F1)
        assert "exploring" not in status(app)
        assert "o professor revela o passo" not in explain(app)  # revealed: no longer waiting
        await server.close()

    drive(scenario, lang="pt", comma=True)


def test_a_browser_tab_asks_the_students_name_before_it_joins(drive):
    from tui.app.screens.name import NameScreen

    async def scenario(app, pilot):
        server = net.LeadServer("127.0.0.1", 0, "XYZ789")
        await server.start()
        app.session.args = SessionArgs("join", "127.0.0.1", server.port, "XYZ789", name="www-data", ask_name=True)
        app.on_mount()  # as run() starts a served tab's app: the name first
        await pilot.pause()
        assert isinstance(app.screen, NameScreen) and server.joined == 0
        await pilot.press("space", "space", "enter")  # nothing printable: refused, asked again
        await pilot.pause()
        assert isinstance(app.screen, NameScreen) and "A name is needed" in str(
            app.screen.query_one("#path-message").render()
        )
        await pilot.press(*"Zoë", "enter")
        await until(pilot, lambda: server.joined == 1)
        assert [s.name for s in server.students()] == ["Zoë"]
        await until(pilot, lambda: "as Zoë" in status(app))
        await server.close()

    drive(scenario)


def test_a_model_too_large_to_send_is_a_notice_and_the_lecturer_goes_on(drive):
    rng = np.random.default_rng(0)
    big = presets.lecture().with_(X=rng.uniform(-1, 1, (40_000, 2)), Y=rng.uniform(0, 1, 40_000), name="big")

    async def scenario(app, pilot):
        await until(pilot, lambda: "cannot be sent to the class" in explain(app))
        await pilot.press("f")
        await pilot.pause()
        assert app.snapshot.phase is Phase.F1

    drive(scenario, model=big, session=lead_args())


def test_a_lecturers_other_change_closes_the_class_question(drive):
    async def scenario(app, pilot):
        await until(pilot, lambda: app.session.lead is not None)
        ana = Reader("127.0.0.1", app.session.lead.port, "ABC234")
        ana.start()
        await until(pilot, lambda: ana.snapshot is not None)
        await pilot.press("f")
        await until(pilot, lambda: ana.of(net.Asked))
        await pilot.press("plus")  # η up while the question is open: it no longer applies
        await until(pilot, lambda: ana.of(net.Revealed) and ana.snapshot.lr == app.snapshot.lr)
        assert app.snapshot.phase is Phase.READY and app.session.question is None
        await pilot.press("f")
        await until(pilot, lambda: len(ana.of(net.Asked)) == 2)
        await pilot.press("p")  # play (not a quiz step): the state moves on, the question closes
        await until(pilot, lambda: app.snapshot.epoch > 0)
        await pilot.press("p")
        await until(pilot, lambda: len(ana.of(net.Revealed)) == 2 and ana.snapshot.epoch == app.snapshot.epoch)
        assert app.session.question is None

    drive(scenario, quiz=True, session=lead_args())


def test_the_tally_histogram_is_a_bar_per_value_in_proportion_to_its_count():
    from tui.app.controllers.session import histogram

    assert histogram([("0.3825", 4, True), ("0.5000", 2, False), ("0.1", 1, False)], other=3) == (
        "0.3825 ✓ ████████ 4 · 0.5000 ✗ ████ 2 · 0.1 ✗ ██ 1 · + 3"
    )
    assert histogram([], other=2) == "+ 2" and histogram([]) == ""
    assert histogram([("0,3825", 100, True), ("0,5", 1, False)]) == "0,3825 ✓ ████████ 100 · 0,5 ✗ █ 1"
