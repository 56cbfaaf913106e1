"""Quiz mode: before a micro-step reveals its numbers, ask for one of them (issue 4, item 1).

Pure logic, no Textual: the question comes from the Snapshot the step *will* produce, computed with
the engine's own step function on the frozen current Snapshot (nothing in the Stepper moves), and the
answer is judged at the notes' precision. The App keeps one immutable QuizState and replaces it.

Which value is asked varies with the phase, and rotates with the sample so a class stepping
through several samples meets each quantity:

    F1 → z or a of a hidden unit        F2 → z⁽²⁾, ŷ or Lᵢ
    B2 → δ⁽²⁾ or ∂L/∂w_i1⁽²⁾              B1 → δ_j⁽¹⁾ or ∂L/∂w_ij⁽¹⁾ (w₂₁⁽¹⁾ first: §2.6's example)
    U  → a new weight or bias
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from engine.stepper import Phase, Snapshot, next_micro_step
from tui.text import fmt

F_NAME = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "linear": ""}


@dataclass(frozen=True)
class Question:
    """One value of the coming micro-step: its symbol, the exact value and how it is computed."""

    phase: Phase  # the phase the step will reach
    symbol: str  # z₁⁽¹⁾, ∂L/∂w₂₁⁽¹⁾, w₁₁⁽²⁾ …
    value: float
    formula: str  # symbolic = numbers substituted = result, as the Explain panel writes it
    before: Snapshot  # the Snapshot the question was computed from (the step has not happened)
    new: bool = False  # a parameter's value after the update (U), not before


@dataclass(frozen=True)
class Verdict:
    kind: str  # "right", "wrong", "nonsense" or "skipped"
    question: Question
    answer: float | None = None
    text: str = ""  # what was typed


def judge(answer: float, value: float) -> bool:
    """Right at the notes' precision: the same 4 decimals, within half a unit of the 4th decimal,
    or exactly the number the app displays (0.000668 for a small gradient)."""
    if not (math.isfinite(answer) and math.isfinite(value)):
        return False
    return (f"{answer:.4f}" == f"{value:.4f}" or abs(answer - value) <= 0.00005 + 1e-12
            or fmt.num(answer) == fmt.num(value))


# --- the formulas, written as the Explain panel writes them ----------------------------------

def _term(value: float, comma: bool) -> str:
    text = fmt.short(value, comma)
    return f"({text})" if text.startswith(fmt.MINUS) else text


def _fprime(name: str, a: str, z: str) -> str:
    """f'(z) the way the notes write it for the sigmoid, a(1 − a)."""
    return {"sigmoid": f"{a}(1 − {a})", "tanh": f"(1 − {a}²)", "relu": f"[{z} > 0]", "linear": "1"}[name]


def _eq(*parts: str, result: float, comma: bool) -> str:
    return " = ".join([p for p in parts if p] + [fmt.num(result, comma)])


def _candidates(s: Snapshot, comma: bool) -> list[tuple[str, float, str]]:
    """(symbol, value, formula), in the order they are asked, for every quantity the micro-step that produced `s` computed."""
    c = comma
    T = lambda v: _term(float(v), c)  # noqa: E731 - a number substituted into a formula
    p, x, d2 = s.params, s.x, fmt.sym("δ", None, 2)
    if s.phase is Phase.F1:
        h = s.forward1
        out = []
        for j in (1, 2):
            out.append((fmt.sym("z", j, 1), h.z1[j - 1], _eq(
                fmt.sym("z", j, 1), f"{fmt.weight(1, j, 1)}x{fmt.sub(1)} + {fmt.weight(2, j, 1)}x{fmt.sub(2)} + "
                f"{fmt.bias(j, 1)}", f"{T(p.W1[0][j - 1])}·{T(x[0])} + {T(p.W1[1][j - 1])}·{T(x[1])} + "
                f"{T(p.b1[j - 1])}", result=h.z1[j - 1], comma=c)))
        for j in (1, 2):
            f = F_NAME[s.hidden]
            out.append((fmt.sym("a", j, 1), h.a1[j - 1], _eq(
                fmt.sym("a", j, 1), f"f({fmt.sym('z', j, 1)})", f"{f}({fmt.num(h.z1[j - 1], c)})",
                result=h.a1[j - 1], comma=c)))
        # z₁, a₂, z₂, a₁: the first sample asks z₁⁽¹⁾ = 0.3825, the notes' first number
        return [out[0], out[3], out[1], out[2]]
    if s.phase is Phase.F2:
        h, o = s.forward1, s.forward2
        z2 = _eq(fmt.sym("z", None, 2), f"{fmt.weight(1, 1, 2)}{fmt.sym('a', 1, 1)} + "
                 f"{fmt.weight(2, 1, 2)}{fmt.sym('a', 2, 1)} + {fmt.sym('b', None, 2)}",
                 f"{T(p.W2[0][0])}·{T(h.a1[0])} + {T(p.W2[1][0])}·{T(h.a1[1])} + {T(p.b2[0])}",
                 result=o.z2[0], comma=c)
        f = F_NAME[s.output]
        yhat = z2 + "; " + _eq("ŷ", f"f({fmt.sym('z', None, 2)})", f"{f}({fmt.num(o.z2[0], c)})" if f else "",
                               result=o.yhat[0], comma=c)
        loss = _eq("Lᵢ", "½(ŷ − y)²", f"½({T(o.yhat[0])} − {T(s.y)})²", result=o.loss, comma=c)
        return [("ŷ", o.yhat[0], yhat), ("Lᵢ", o.loss, loss), (fmt.sym("z", None, 2), o.z2[0], z2)]
    if s.phase is Phase.B2:
        h, o, b2 = s.forward1, s.forward2, s.backward2
        delta = _eq(d2, f"(ŷ − y)·{_fprime(s.output, 'ŷ', 'z')}",
                    f"({T(o.yhat[0])} − {T(s.y)})·{T(b2.fprime2[0])}", result=b2.delta2[0], comma=c)
        out = [(d2, b2.delta2[0], delta)]
        for i in (1, 2):
            sym = f"∂L/∂{fmt.weight(i, 1, 2)}"
            out.append((sym, b2.dW2[i - 1][0], _eq(sym, f"{fmt.sym('a', i, 1)}{d2}",
                                                  f"{T(h.a1[i - 1])}·{T(b2.delta2[0])}", result=b2.dW2[i - 1][0],
                                                  comma=c)))
        return out
    if s.phase is Phase.B1:
        b2, b1 = s.backward2, s.backward1
        deltas = []
        for j in (1, 2):
            sym = fmt.sym("δ", j, 1)
            deltas.append((sym, b1.delta1[j - 1], _eq(
                sym, f"{fmt.weight(j, 1, 2)}{d2}·{_fprime(s.hidden, fmt.sym('a', j, 1), fmt.sym('z', j, 1))}",
                f"{T(p.W2[j - 1][0])}·{T(b2.delta2[0])}·{T(b1.fprime1[j - 1])}", result=b1.delta1[j - 1], comma=c)))
        grads = {}
        for i in (1, 2):
            for j in (1, 2):
                sym = f"∂L/∂{fmt.weight(i, j, 1)}"
                grads[i, j] = (sym, b1.dW1[i - 1][j - 1], _eq(
                    sym, f"x{fmt.sub(i)}{fmt.sym('δ', j, 1)}", f"{T(x[i - 1])}·{T(b1.delta1[j - 1])}",
                    result=b1.dW1[i - 1][j - 1], comma=c))
        return [deltas[0], grads[2, 1], deltas[1], grads[1, 1], grads[2, 2]]
    if s.phase is Phase.U:
        before, lr = s.params_start, fmt.short(s.lr, c)
        out = []
        for name, arr, index in ((fmt.weight(1, 1, 2), "W2", (0, 0)), (fmt.sym("b", None, 2), "b2", (0,)),
                                 (fmt.weight(2, 1, 1), "W1", (1, 0)), (fmt.weight(2, 1, 2), "W2", (1, 0)),
                                 (fmt.bias(1, 1), "b1", (0,)), (fmt.weight(1, 2, 1), "W1", (0, 1))):
            new = getattr(s.params, arr)[index]
            grad = getattr(s.grads, "d" + arr)[index]
            out.append((name, new, _eq(f"{name} ← {name} − η ∂L/∂{name}",
                                                  f"{T(getattr(before, arr)[index])} − {lr}·{T(grad)}",
                                                  result=new, comma=c)))
        return out
    return []


def question_for(s: Snapshot, comma: bool = False) -> Question | None:
    """The question for the micro-step that follows `s`, or None when there is none (diverged)."""
    if s.diverged_at is not None:
        return None
    after = next_micro_step(s)
    options = _candidates(after, comma)
    if not options:
        return None
    turn = after.epoch * after.m + after.sample  # rotate with the sample: each quantity gets its turn
    symbol, value, formula = options[turn % len(options)]
    return Question(phase=after.phase, symbol=symbol, value=float(value), formula=formula, before=s,
                    new=after.phase is Phase.U)


# --- the score and the question being asked ---------------------------------------------------

@dataclass(frozen=True)
class QuizState:
    """Quiz mode on or off, the question waiting for an answer, the score and the last verdict."""

    on: bool = False
    question: Question | None = None
    pending: str | None = None  # the action that asked (forward, backward, update, step): it runs after
    right: int = 0
    asked: int = 0
    verdict: Verdict | None = None

    @property
    def asking(self) -> bool:
        return self.question is not None

    def toggle(self) -> "QuizState":
        return replace(self, on=not self.on, question=None, pending=None, verdict=None)

    def ask(self, question: Question, pending: str) -> "QuizState":
        return replace(self, question=question, pending=pending, verdict=None)

    def answer(self, text: str) -> "QuizState":
        """Judge a typed answer. Nonsense is not counted and the question stays open."""
        q = self.question
        if q is None:
            return self
        try:
            value = fmt.parse_number(text)
        except ValueError:
            return replace(self, verdict=Verdict("nonsense", q, None, text))
        ok = judge(value, q.value)
        return replace(self, question=None, pending=None, right=self.right + ok, asked=self.asked + 1,
                       verdict=Verdict("right" if ok else "wrong", q, value, text))

    def skip(self) -> "QuizState":
        """Reveal without scoring."""
        if self.question is None:
            return self
        return replace(self, question=None, pending=None, verdict=Verdict("skipped", self.question))

    def drop(self) -> "QuizState":
        """Forget the question without a verdict (the state it was asked about is gone)."""
        return replace(self, question=None, pending=None)


__all__ = ["Question", "Verdict", "QuizState", "judge", "question_for"]
