"""Quiz mode: before a micro-step reveals its numbers, ask for one of them (issue 4, item 1; issue 11).

Pure logic, no Textual. The question is one of the equations the coming micro-step computes, as
engine.equations lists them (the Explain panel shows the same list in the same order), computed
with the engine's own step function on the frozen current Snapshot (nothing in the Stepper moves).
Which one is asked rotates with the sample, so a class stepping through several samples meets each
quantity; copies (∂L/∂b = δ) and §2.6's second route to ∂L/∂w₂₁⁽¹⁾ are not asked.

Fair judging (issues 11, 18): the prompt says the precision asked, the one `num` writes (4 decimals;
6 below 0.01; 4 significant digits below 10⁻⁴ and from 10⁶ on). An answer is right when it agrees at that precision with the exact
value or with the value that follows from the inputs as the panels show them (0.40 − 0.50·0.0823 =
0.35885: 0.3588 and 0.3589 are both right). A question answered or revealed once is not scored again
when undo brings it back, and revealing (Esc) counts as asked, shown in the score. The App keeps one
immutable QuizState and replaces it.

Two tries (issue 19): a first wrong answer is not revealed: the question stays open with a hint that
says which factor is off, computed from the record's numbers (tui/app/quiz_hint.py); a second wrong
answer, or Esc at either try, reveals. Right answers are counted by the try they came at, and each
question ends with an Outcome (what the lecturer's log writes, tui/host/quizlog.py). No Textual here:
a class session drives the same QuizState.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from engine import equations
from engine.notation import Symbol, half_unit, precision
from engine.stepper import Phase, Snapshot, next_micro_step
from tui.text import fmt

if TYPE_CHECKING:  # the hint's type only; its module loads on the first wrong answer
    from tui.app.quiz_hint import Hint

REMEMBERED = 4096  # questions remembered as scored (a class answers far fewer; the set stays bounded)
TRIES = 2  # a wrong first answer gets a hint and a second try; the second reveals
MAX_TYPED = 64  # characters of an answer kept (a number; the box takes what is pasted)


@dataclass(frozen=True)
class Question:
    """One value of the coming micro-step: the equation that computes it and how it is judged."""

    phase: Phase  # the phase the step will reach
    equation: equations.Equation
    formula: str  # the equation written out as the Explain panel writes it
    before: Snapshot  # the Snapshot the question was computed from (the step has not happened)
    key: tuple  # what makes it the same question again after undo (model, moment, quantity)
    epoch: int = 0  # the epoch and sample (0-based) of the step asked about
    sample: int = 0

    @property
    def symbol(self) -> str:
        return self.equation.quantity.text

    @property
    def value(self) -> float:
        return self.equation.value

    @property
    def new(self) -> bool:
        """A parameter's value after the update (U), not before."""
        return self.equation.update

    @property
    def precision(self) -> tuple[str, int]:
        """("decimals", 4) or ("significant", 3): what the prompt asks for."""
        return precision(self.value)

    @property
    def from_inputs(self) -> float:
        """The value that follows from the inputs as the panels show them."""
        return equations.from_shown(self.equation)

    @property
    def ident(self) -> str:
        """The quantity in plain ASCII, the same in every language (the log's question column):
        z_1^(1), a_2^(1), yhat, L_i, f'(z^(2)), delta_1^(1), dL/dw_21^(1), new w_11^(2)."""
        return ("new " if self.new else "") + ascii_name(self.equation.quantity)


_ASCII = {"ŷ": "yhat", "Lᵢ": "L_i", "δ": "delta", "η": "eta"}


def ascii_name(s: Symbol) -> str:
    """A Symbol in ASCII: the letter (δ → delta), _ and the indices, ^(l) for the layer."""
    if s.name == "∂L/∂":
        assert s.of is not None  # ∂L/∂ is always of a symbol (as f' is)
        return "dL/d" + ascii_name(s.of)
    if s.name == "f'":
        assert s.of is not None
        return f"f'({ascii_name(s.of)})"
    index = "" if s.unit is None else str(s.unit)
    if s.src is not None:
        index = f"{s.src}{index}"
    return _ASCII.get(s.name, s.name) + (f"_{index}" if index else "") + ("" if s.layer is None else f"^({s.layer})")


@dataclass(frozen=True)
class Verdict:
    kind: str  # "right", "wrong", "retry" (wrong at the first try: a hint), "nonsense" or "skipped"
    question: Question
    answer: float | None = None
    text: str = ""  # what was typed
    scored: bool = True  # False: the question had been scored before (undo brought it back)
    tries: int = 1  # the answers given so far (0: revealed before any)
    hint: Hint | None = None  # "retry": which factor is off


@dataclass(frozen=True)
class Outcome:
    """One question finished and scored: what the lecturer's log writes (one row), what a class counts."""

    question: Question
    answers: tuple[str, ...]  # what was typed at each try (nonsense is not a try)
    first: bool  # right at the first try
    second: bool  # right at the second try
    revealed: bool  # Esc showed it (at either try)

    @property
    def value(self) -> float:
        return self.question.value


def judge(answer: float, value: float, from_inputs: float | None = None) -> bool:
    """Right at the precision asked for `value` (`precision`): within half a unit of its last digit of
    the exact value, or of the value that follows from the inputs as shown (a value exactly half-way,
    0.35885 at 4 decimals, may be rounded either way)."""
    if not (math.isfinite(answer) and math.isfinite(value)):
        return False
    kind, digits = precision(value)
    tol = half_unit(value, kind, digits)
    if abs(answer - value) < tol:
        return True
    return from_inputs is not None and math.isfinite(from_inputs) and abs(answer - from_inputs) <= tol * (1 + 1e-9)


def _key(s: Snapshot, e: equations.Equation, phase: Phase) -> tuple:
    """The same question: the same quantity of the same step of the same model from the same point."""
    p = s.params_start
    return (
        s.name,
        s.hidden,
        s.output,
        s.lr,
        s.epoch,
        s.sample,
        phase.value,
        e.quantity,
        p.W1.tobytes() + p.b1.tobytes() + p.W2.tobytes() + p.b2.tobytes(),
        s.X.tobytes(),
        s.Y.tobytes(),
        s.params.W1.tobytes() + s.params.b1.tobytes() + s.params.W2.tobytes() + s.params.b2.tobytes(),
    )


def question_for(s: Snapshot, comma: bool = False) -> Question | None:
    """The question for the micro-step that follows `s`, or None when there is none (diverged)."""
    if s.diverged_at is not None:
        return None
    after = next_micro_step(s)
    options = [e for e in equations.of_snapshot(after) if e.askable]
    if not options:
        return None
    turn = after.epoch * after.m + after.sample  # rotate with the sample: each quantity gets its turn
    e = options[turn % len(options)]
    return Question(
        phase=after.phase,
        equation=e,
        formula=equations.write(e, comma).line(),
        before=s,
        key=_key(s, e, after.phase),
        epoch=after.epoch,
        sample=after.sample,
    )


def prompt_precision(q: Question) -> tuple[str, int]:
    """The i18n key and count of the precision the prompt asks for."""
    kind, digits = q.precision
    return ("ui_quiz_decimals" if kind == "decimals" else "ui_quiz_significant"), digits


# --- the score and the question being asked ---------------------------------------------------


@dataclass(frozen=True)
class QuizState:
    """Quiz mode on or off, the question waiting for an answer, the score and the last verdict.

    `verdict_at` is the Snapshot the verdict's step produced: the verdict belongs to that step and is
    shown only while the App shows it (`for_snapshot`). `tries` holds the wrong answers given to the
    open question (one at most: the second try ends it). `outcome` is the last question finished and
    scored (a new object each time: the App logs it once)."""

    on: bool = False
    question: Question | None = None
    pending: str | None = None  # the action that asked: it runs after the answer
    first: int = 0  # right at the first try
    second: int = 0  # right at the second try
    asked: int = 0  # answered or revealed, each question once
    revealed: int = 0
    verdict: Verdict | None = None
    verdict_at: Snapshot | None = None
    tries: tuple[str, ...] = ()
    outcome: Outcome | None = None
    scored: tuple = field(default=(), repr=False)  # keys of the questions scored, oldest first

    @property
    def right(self) -> int:
        return self.first + self.second

    @property
    def asking(self) -> bool:
        return self.question is not None

    @property
    def second_try(self) -> bool:
        """The open question had one wrong answer: the next one is the last."""
        return self.asking and len(self.tries) >= TRIES - 1

    def toggle(self) -> QuizState:
        return replace(self, on=not self.on, question=None, pending=None, verdict=None, verdict_at=None, tries=())

    def ask(self, question: Question, pending: str) -> QuizState:
        return replace(self, question=question, pending=pending, verdict=None, verdict_at=None, tries=())

    def _scoring(self, q: Question) -> bool:
        return q.key not in self.scored

    def _remember(self, q: Question) -> tuple:
        return (self.scored + (q.key,))[-REMEMBERED:]

    def _finish(
        self, verdict: Verdict, answers: tuple[str, ...], first: bool, second: bool, revealed: bool
    ) -> QuizState:
        """The question ends with `verdict`: scored once (a question undo brought back is not)."""
        q = verdict.question
        done = replace(self, question=None, pending=None, verdict=verdict, tries=())
        if not verdict.scored:
            return done
        return replace(
            done,
            first=self.first + first,
            second=self.second + second,
            asked=self.asked + 1,
            revealed=self.revealed + revealed,
            scored=self._remember(q),
            outcome=Outcome(q, answers, first, second, revealed),
        )

    def answer(self, text: str) -> QuizState:
        """Judge a typed answer. Nonsense is not counted and the question stays open; a first wrong
        answer leaves it open with a hint; a question scored before (undo brought it back) is judged
        but not scored again."""
        q = self.question
        if q is None:
            return self
        text = text.strip()[:MAX_TYPED]
        try:
            value = fmt.parse_number(text)
        except ValueError:
            return replace(self, verdict=Verdict("nonsense", q, None, text, tries=len(self.tries)))
        ok = judge(value, q.value, q.from_inputs)
        answers = self.tries + (text,)
        scoring = self._scoring(q)
        if not ok and len(answers) < TRIES:
            from tui.app.quiz_hint import hint_for  # on the first wrong answer: start-up does without it

            hint = hint_for(q, value, text)
            return replace(
                self,
                tries=answers,
                verdict=Verdict("retry", q, value, text, scored=scoring, tries=len(answers), hint=hint),
            )
        verdict = Verdict("right" if ok else "wrong", q, value, text, scored=scoring, tries=len(answers))
        return self._finish(verdict, answers, ok and len(answers) == 1, ok and len(answers) == 2, False)

    def skip(self) -> QuizState:
        """Reveal: counted as asked and revealed (once per question), never as right."""
        q = self.question
        if q is None:
            return self
        verdict = Verdict("skipped", q, scored=self._scoring(q), tries=len(self.tries))
        return self._finish(verdict, self.tries, False, False, True)

    def drop(self) -> QuizState:
        """Forget the question without a verdict (the state it was asked about is gone)."""
        verdict = self.verdict if self.verdict is None or self.verdict.kind not in ("retry", "nonsense") else None
        return replace(self, question=None, pending=None, tries=(), verdict=verdict)

    def shown_at(self, snapshot: Snapshot | None) -> QuizState:
        """The verdict now belongs to the step that produced `snapshot`."""
        return replace(self, verdict_at=snapshot) if self.verdict is not None else self

    def for_snapshot(self, snapshot: Snapshot | None) -> QuizState:
        """The state once the App shows `snapshot`: a verdict of another step is gone."""
        if (
            self.verdict is not None
            and self.verdict.kind not in ("nonsense", "retry")
            and self.verdict_at is not snapshot
        ):
            return replace(self, verdict=None, verdict_at=None)
        return self


__all__ = ["Outcome", "Question", "Verdict", "QuizState", "ascii_name", "judge", "prompt_precision", "question_for"]
