"""Quiz mode, the App's side (`k`): f, b, u and space ask first, then step.

The App's `apply` calls `intercepts(step)` before running a Stepper action, `step` being the key
table's action (tui/text/keys.py) when it is the micro-step of f, b, u or space: a micro-step that
fits the phase is held back and a question asked instead (tui.app.quiz picks it from the Snapshot
that step will produce); the answer typed in the quiz bar (tui/app/widgets/quiz.py), or Esc, runs
it by the same action (the App's micro_step). A first wrong answer leaves the question open for a
second try (tui.app.quiz); each question scored ends with an Outcome, which `--quiz-log FILE` appends to
the file (tui/host/quizlog.py): a write that fails says so in a notice and the quiz goes on.
"""

from __future__ import annotations

from dataclasses import replace

from tui.app.host import Host
from tui.app.notice import Notice
from tui.app.quiz import Outcome, QuizState, question_for
from tui.app.widgets.quiz import QuizBar
from tui.app.widgets.steady_input import SteadyInput
from tui.host.quizlog import QuizLog
from tui.text.keys import key_for


class QuizController:
    def __init__(self, app: Host) -> None:
        self.app = app
        self._revealing = False  # the answered question's step is running: not asked again
        self.log: QuizLog | None = None  # --quiz-log FILE (set by tui.app.app.run)

    async def toggle(self) -> None:
        app = self.app
        if not app.quiz.on:
            await app.screen_stack[0].query_one(QuizBar).add_parts()
        app.session.reveal()  # a class question still open closes with the quiz
        app.quiz = app.quiz.toggle()

    def intercepts(self, step: str | None) -> bool:
        """True when the micro-step of the key table's action `step` is held back for a question (or
        the open question was asked again). `step` None: another Stepper action."""
        app = self.app
        if not app.quiz.on or self._revealing:
            return False
        key = key_for(step)
        if app.session.leading:
            return self._ask_class(key)
        if key is None or not key.does:
            if app.quiz.asking:  # another action moves the history: the question no longer applies
                app.quiz = app.quiz.drop()
                app.session.reveal()
            return False
        if app.quiz.asking:
            for answer in app.screen_stack[0].query_one(QuizBar).query(SteadyInput):
                answer.focus()
            self._elsewhere()
            return True
        s = app.stepper.snapshot
        if s.diverged_at is not None or not key.steps_from(s.phase, s.mid_batch):
            return False  # the Stepper refuses it and says what to press instead
        question = question_for(s, app.comma)
        if question is None:
            return False
        app.quiz = app.quiz.ask(question, key.action)
        app.notice = None
        self._elsewhere()
        return True

    def _ask_class(self, key) -> bool:
        """A lecturer's micro-step in quiz mode (controllers/session.py): the class is asked first and the
        step held back; the next key that moves the state (the step key again) reveals it to everyone."""
        app = self.app
        if app.session.question is not None:
            app.session.reveal()
            return False
        if key is None or not key.does:
            return False
        s = app.stepper.snapshot
        if s.diverged_at is not None or not key.steps_from(s.phase, s.mid_batch):
            return False
        question = question_for(s, app.comma)
        if question is None:
            return False
        app.session.open_question(question)
        return True

    def _elsewhere(self) -> None:
        """A step key on the activation view asks its question in the main screen's quiz bar: say so."""
        if self.app.screen is not self.app.screen_stack[0]:
            self.app.notice = Notice("ui_quiz_elsewhere")

    def answer(self, text: str) -> None:
        self._resolve(self.app.quiz.answer(text))

    def skip(self) -> None:
        self._resolve(self.app.quiz.skip())

    def _resolve(self, state: QuizState) -> None:
        app = self.app
        old = app.quiz
        if old.question is None:
            return
        app.quiz = state
        finished = state.outcome if state.outcome is not old.outcome else None  # None: not scored again
        if app.session.answered(old, state):  # a student answers the class's question: the lecturer reveals
            if not state.asking:
                self._write(finished)
            return
        if state.asking:  # nonsense, or a first wrong answer: asked again
            return
        app.session.reveal()  # a lecturer who answered (or Esc): the class's question closes with the step
        if app.stepper.snapshot is not old.question.before:
            self._write(finished)
            return  # the history moved while the question was open; nothing to reveal
        self._revealing = True
        try:
            app.quiz = replace(state, verdict=None)  # the step's new Snapshot must not take the verdict away
            assert old.pending is not None  # QuizState.ask sets it with the question
            app.micro_step(old.pending)
        finally:
            self._revealing = False
        app.quiz = state.shown_at(app.stepper.snapshot)  # the verdict belongs to the step it revealed
        self._write(finished)  # after the step: its notice (a failed write) is not cleared by it

    def _write(self, outcome: Outcome | None) -> None:
        """One row of the quiz log; a failure is a notice, never the end of the quiz."""
        if self.log is None or outcome is None:
            return
        try:
            self.log.append(outcome)
        except (OSError, ValueError) as e:
            reason = (e.strerror or str(e)) if isinstance(e, OSError) else str(e)  # the path is named once
            self.app.notice = Notice("ui_quiz_log_failed", (("path", self.log.path), ("reason", reason)))


__all__ = ["QuizController"]
