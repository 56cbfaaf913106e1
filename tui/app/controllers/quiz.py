"""Quiz mode, the App's side (`k`): f, b, u and space ask first, then step.

The App's `apply` calls `intercepts(do)` before running a Stepper action: a single micro-step that
fits the phase is held back and a question asked instead (tui.app.quiz picks it from the Snapshot
that step will produce); the answer typed in the quiz bar (tui/app/widgets/quiz.py), or Esc, runs it.
"""
from __future__ import annotations

from dataclasses import replace

from tui.app.controllers.host import Host
from tui.app.notice import Notice
from tui.app.quiz import QuizState, question_for
from tui.app.widgets.explain import next_key
from tui.app.widgets.quiz import QuizBar
from tui.app.widgets.steady_input import SteadyInput

# the Stepper actions that are one micro-step, and the key that does each (explain.next_key's keys)
MICRO_STEPS = {"forward": "f", "backward": "b", "update": "u", "step": None}


class QuizController:
    def __init__(self, app: Host) -> None:
        self.app = app
        self._revealing = False  # the answered question's step is running: not asked again

    async def toggle(self) -> None:
        app = self.app
        if not app.quiz.on:
            await app.screen_stack[0].query_one(QuizBar).add_parts()
        app.quiz = app.quiz.toggle()

    def intercepts(self, do) -> bool:
        """True when `do` is held back for a question (or the open question was asked again)."""
        app = self.app
        if not app.quiz.on or self._revealing:
            return False
        name = do.__name__ if getattr(do, "__self__", None) is app.stepper else None
        if name not in MICRO_STEPS:
            if app.quiz.asking:  # another action moves the history: the question no longer applies
                app.quiz = app.quiz.drop()
            return False
        if app.quiz.asking:
            for answer in app.screen_stack[0].query_one(QuizBar).query(SteadyInput):
                answer.focus()
            self._elsewhere()
            return True
        s = app.stepper.snapshot
        key = MICRO_STEPS[name]
        if s.diverged_at is not None or (key is not None and next_key(s)[0] != key):
            return False  # the Stepper refuses it and says what to press instead
        question = question_for(s, app.comma)
        if question is None:
            return False
        app.quiz = app.quiz.ask(question, name)
        app.notice = None
        self._elsewhere()
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
        if state.asking:  # nonsense: not counted, asked again
            return
        if app.stepper.snapshot is not old.question.before:
            return  # the history moved while the question was open; nothing to reveal
        self._revealing = True
        try:
            app.quiz = replace(state, verdict=None)  # the step's new Snapshot must not take the verdict away
            app.apply(getattr(app.stepper, old.pending))
        finally:
            self._revealing = False
        app.quiz = state.shown_at(app.stepper.snapshot)  # the verdict belongs to the step it revealed


__all__ = ["QuizController", "MICRO_STEPS"]
