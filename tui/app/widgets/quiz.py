"""Quiz mode on screen: the bar above the status line (the App's side: tui/app/controllers/quiz.py).

    Quiz · B2: ∂L/∂w₁₁⁽²⁾ = [          ]  2nd try · 4 decimals · Enter answers · Esc reveals   score 3/4 · 1st 2 · 2nd 1
    ✗ 0.0826 is a₁⁽¹⁾δ⁽²⁾ with a₂⁽¹⁾ in place of a₁⁽¹⁾: ∂L/∂w₁₁⁽²⁾ takes a₁⁽¹⁾. One more try (Esc reveals).

In quiz mode f, b, u and space do not step at once: the App asks for one value the step will
compute (tui.app.quiz picks it from the Snapshot that step will produce), the bar takes the answer,
and only then the step runs and the panels show every number. A first wrong answer gets a hint (which
factor is off, tui/app/quiz_hint.py) and a second try; the second wrong answer reveals. Esc reveals:
counted as asked, and shown in the score as revealed. The score counts right answers at the first and at
the second try apart. The verdict stays while its step is on screen.
The bar shows the App's QuizState (data_bind) and reports what was typed with a message.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.app.quiz import QuizState, prompt_precision
from tui.app.widgets.plain import Plain
from tui.app.widgets.steady_input import SteadyInput
from tui.text import fmt
from tui.text.i18n import t, tn


class QuizBar(Widget):
    COMPONENT_CLASSES = {"quiz--right", "quiz--wrong", "quiz--nonsense", "quiz--retry"}
    BINDINGS = [Binding("escape", "skip", show=False)]

    quiz: reactive[QuizState] = reactive(QuizState)
    lang: reactive[str] = reactive("en")

    class Answer(Message):
        """Enter in the answer box."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Skip(Message):
        """Esc: reveal the step without scoring."""

    def __init__(self, *, comma: bool = False, id: str | None = None, parts: bool = False) -> None:
        super().__init__(id=id)
        self.comma = comma
        self._with_parts = parts

    def compose(self) -> ComposeResult:
        # The bar's parts are built when quiz mode is first switched on (`parts`: it is on from the
        # start): 7 of the main screen's ~22 widgets, hidden otherwise, they cost ~1/10 of
        # start-up's work after the imports (issue 5).
        if self._with_parts:
            yield from self._parts()

    @staticmethod
    def _parts() -> list[Widget]:
        line = Horizontal(
            Plain(id="quiz-prompt"),
            SteadyInput(id="quiz-answer", compact=True, select_on_focus=False),
            Plain(id="quiz-hint"),
            Plain(id="quiz-score"),
            id="quiz-line",
        )
        return [line, Plain(id="quiz-verdict")]

    async def add_parts(self) -> None:
        """Build the parts (once) and wait until they are mounted, before quiz mode turns on: a step
        key right behind `k` then finds the answer box."""
        if not self.children:
            await self.mount_all(self._parts())

    def on_mount(self) -> None:
        self._show()

    def watch_quiz(self, old: QuizState, new: QuizState) -> None:
        retry = new.verdict is not None and new.verdict.kind == "retry" and new.verdict is not old.verdict
        if (new.question is not None and new.question is not old.question) or retry:
            for answer in self.query(SteadyInput):  # a new question, or the second try: an empty box
                answer.value = ""
        self._show()

    def watch_lang(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return
        q = self.quiz
        self.set_class(q.on, "-on")
        self.set_class(q.asking, "-asking")
        if not self.query(SteadyInput):  # not built yet: add_parts builds them before the quiz turns on
            return
        self.fit_focus()
        if q.asking:
            assert q.question is not None  # asking: a question is open (QuizState.asking)
            phase = q.question.phase.value  # F1 … U; the status line names it in full
            symbol = self.t("ui_quiz_new", symbol=q.question.symbol) if q.question.new else q.question.symbol
            self.query_one("#quiz-prompt", Plain).update(self.t("ui_quiz_ask", phase=phase, symbol=symbol))
            how, digits = prompt_precision(q.question)
            second = self.t("ui_quiz_second_try") + " · " if q.second_try else ""
            self.query_one("#quiz-hint", Plain).update(
                second + tn(how, digits, self.lang) + " · " + self.t("ui_quiz_hint")
            )
        else:
            self.query_one("#quiz-prompt", Plain).update(self.t("ui_quiz_idle"))
            self.query_one("#quiz-hint", Plain).update("")
        score = self.score_text()
        self.query_one("#quiz-score", Plain).update(score)
        verdict = self.query_one("#quiz-verdict", Plain)
        verdict.update(self.verdict_text())
        verdict.display = q.verdict is not None  # no blank row while there is nothing to say

    def score_text(self) -> str:
        """score 3/5 · 1st 2 · 2nd 1 (1 revealed): right of asked, right at the first and the second try."""
        q = self.quiz
        score = self.t("ui_quiz_score", right=q.right, asked=q.asked)
        if q.asked:
            score += " · " + self.t("ui_quiz_tries", first=q.first, second=q.second)
        if q.revealed:
            score += " " + tn("ui_quiz_revealed", q.revealed, self.lang)
        return score

    def fit_focus(self) -> None:
        """The answer box has the keys while a question is asked and the bar is in view: not before
        (f, b, u are the App's keys), not below 80×24 (the bar is hidden, and Enter would step)."""
        answer = next(iter(self.query(SteadyInput)), None)
        if answer is None:
            return
        takes_keys = self.quiz.asking and self.quiz.on and not getattr(self.app, "too_small", False)
        answer.can_focus = takes_keys  # never the screen's first focus otherwise
        if takes_keys and not answer.has_focus:
            self.call_after_refresh(answer.focus)
        elif not takes_keys and answer.has_focus:
            self.screen.set_focus(None)  # the step keys are the App's again

    def verdict_text(self) -> Text:
        v = self.quiz.verdict
        if v is None:
            return Text("")
        q = v.question
        again = "" if v.scored else " " + self.t("ui_quiz_again")
        return self._verdict(v, q).append(again)

    def _verdict(self, v, q) -> Text:
        if v.kind == "right":
            key = "ui_quiz_right" if v.tries <= 1 else "ui_quiz_right_second"
            return Text(
                self.t(key, symbol=q.symbol, value=fmt.num(q.value, self.comma)),
                self.get_component_rich_style("quiz--right"),
            )
        if v.kind == "retry":
            return Text(
                self.t("ui_quiz_retry", hint=v.hint.text(self.lang) if v.hint else ""),
                self.get_component_rich_style("quiz--retry"),
            )
        if v.kind == "wrong":
            return Text(
                self.t("ui_quiz_wrong", answer=v.text.strip(), formula=q.formula),
                self.get_component_rich_style("quiz--wrong"),
            )
        if v.kind == "nonsense":
            example = fmt.num(0.3825, self.comma)
            return Text(
                self.t("ui_quiz_nonsense", text=v.text.strip(), example=example),
                self.get_component_rich_style("quiz--nonsense"),
            )
        return Text(self.t("ui_quiz_skipped", formula=q.formula))

    def t(self, _key: str, /, **values: object) -> str:
        return t(_key, self.lang, **values)

    def on_input_submitted(self, event: SteadyInput.Submitted) -> None:
        event.stop()
        self.post_message(self.Answer(event.value))

    def action_skip(self) -> None:
        if self.quiz.asking:
            self.post_message(self.Skip())


__all__ = ["QuizBar"]
