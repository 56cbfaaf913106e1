"""The quiz's hint after a first wrong answer (issue 19): which factor is off, from the numbers.

Pure logic, no Textual (a class session reuses it, as it reuses tui/app/quiz.py). The hint recomputes
the question's equation (engine.equations: its expression tree and the record's values of its
inputs) the ways a student may have gone wrong, and names the first that gives the number typed:

  digits, close   the value itself, rounded to fewer digits than asked, or a unit off (a few: last)
  sign            the value with the other sign
  before, shown   the value of this quantity before the step, or of another quantity the screen shows
  factor          the equation with one input taken for another of its kind (a₂⁽¹⁾ for a₁⁽¹⁾, w₁₂ for w₂₁)
  missing…        the equation with a factor, a term, the ½, the square or the activation left out
  term_sign       a term of a sum with the other sign (θ + η∂L/∂θ)
  fprime_…        the value divided or multiplied by one of the record's f'(z)
  inputs          none of these: the inputs the equation uses

A hint names quantities and writes the typed answer, never a value the coming step computes: nothing is
revealed before the second try. Each kind is an i18n key ui_quiz_hint_<kind> (en and pt).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from engine import equations
from engine.equations import Apply, Const, Equation, Expr, Half, Mean, Prod, Ref, Square, Sum
from engine.network import Params
from engine.notation import ETA, PARAMS, Symbol, Y, half_unit, param, precision
from engine.notation import x as x_sym
from engine.stepper import Phase, Snapshot, next_micro_step
from tui.text.i18n import t, tn

REL = 2e-3  # a recomputation within 0.2 % (or half a unit of its last digit) is what the student did
NEAR_UNITS = 5  # the value itself within 5 units of the last digit asked: "close"


@dataclass(frozen=True)
class Hint:
    """What the hint says: its kind (the i18n key ui_quiz_hint_<kind>) and the names it fills in."""

    kind: str
    answer: str  # as typed
    symbol: str  # the quantity asked
    formula: str  # its right side in symbols (a₁⁽¹⁾·δ⁽²⁾)
    names: tuple[tuple[str, str], ...] = ()  # other, wrong, right, factor, inputs: symbols as text
    precision: tuple[str, int] = ("ui_quiz_decimals", 4)  # i18n key and count of the precision asked

    def text(self, lang: str = "en") -> str:
        key, digits = self.precision
        return t(
            "ui_quiz_hint_" + self.kind,
            lang,
            answer=self.answer,
            symbol=self.symbol,
            formula=self.formula,
            precision=tn(key, digits, lang),
            **dict(self.names),
        )


def close(answer: float, value: float) -> bool:
    """`answer` is what computing `value` gives, up to the rounding of inputs as shown."""
    if not (math.isfinite(answer) and math.isfinite(value)):
        return False
    kind, digits = precision(value)
    return abs(answer - value) <= max(half_unit(value, kind, digits) * (1 + 1e-9), REL * abs(value))


def kin(a: Symbol, b: Symbol) -> bool:
    """Two quantities of one kind, one easily taken for the other: a₁⁽¹⁾ and a₂⁽¹⁾, w₁₂⁽¹⁾ and w₂₁⁽¹⁾,
    δ⁽²⁾ and δ₁⁽¹⁾, f'(z⁽²⁾) and f'(z₁⁽¹⁾)."""
    if a == b or a.name != b.name or (a.of is None) != (b.of is None):
        return False
    return a.of is None or b.of is None or a.of.name == b.of.name  # both None or neither (above)


def _pairs(eqs: list[Equation], skip: Symbol | None = None) -> list[tuple[Symbol, float]]:
    """(symbol, value) of each input and result of `eqs`, once each (an update's result, the new θ,
    is left out: the θ of its inputs is the one the equations use)."""
    out: dict[Symbol, float] = {}
    for e in eqs:
        for r in equations.refs(e.expr):
            out.setdefault(r.sym, r.value)
        if not e.update:
            out.setdefault(e.quantity, e.value)
    if skip is not None:
        out.pop(skip, None)
    return list(out.items())


def _params(p: Params) -> list[tuple[Symbol, float]]:
    return [(param(key), float(getattr(p, arr)[index])) for key, arr, index in PARAMS]


def known(after: Snapshot, asked: Symbol) -> list[tuple[Symbol, float]]:
    """Every quantity of the record up to the step asked about (its inputs and the other values it
    computes): the candidates for an input taken for another."""
    sample = equations.sample_of(after)
    eqs: list[Equation] = []
    for phase in equations.MICRO_STEPS:
        eqs += equations.micro_step(phase, sample)
        if phase is after.phase:
            break
    pairs = _pairs(eqs, asked)
    seen = {s for s, _ in pairs}
    return pairs + [(s, v) for s, v in _params(after.params_start) if s not in seen and s != asked]


def shown(before: Snapshot) -> list[tuple[Symbol, float]]:
    """The quantities the screen shows while the question is asked (the Snapshot before the step):
    the data row, η, the parameters now and what the steps so far computed."""
    out: dict[Symbol, float] = {
        x_sym(1): float(before.x[0]),
        x_sym(2): float(before.x[1]),
        Y: before.y,
        ETA: float(before.lr),
    }
    now = before.params if before.phase is Phase.U else before.params_start
    out.update(_params(now))
    if before.phase is not Phase.READY:
        sample = equations.sample_of(before)
        for phase in equations.MICRO_STEPS:
            for e in equations.micro_step(phase, sample):
                if not e.update:
                    out.setdefault(e.quantity, e.value)
            if phase is before.phase:
                break
    return list(out.items())


def _rewrites(e: Expr, pool: list[tuple[Symbol, float]]) -> Iterator[tuple[Expr, str, dict]]:
    """Each single change of `e` a hint knows: (the changed expression, the kind, the names)."""
    if isinstance(e, Ref):
        for sym, value in pool:
            if kin(sym, e.sym):
                yield Ref(sym, value), "factor", {"wrong": sym.text, "right": e.sym.text}
        return
    if isinstance(e, Const):
        return
    if isinstance(e, Sum):
        terms = e.terms
        for k, (sign, term) in enumerate(terms):
            for new, kind, names in _rewrites(term, pool):
                yield Sum(terms[:k] + ((sign, new),) + terms[k + 1 :]), kind, names
        for k, (sign, term) in enumerate(terms):
            if len(terms) > 1:
                yield Sum(terms[:k] + terms[k + 1 :]), "missing", {"factor": equations.symbolic(term)}
            if k > 0:
                yield (
                    Sum(terms[:k] + ((-sign, term),) + terms[k + 1 :]),
                    "term_sign",
                    {"factor": equations.symbolic(term)},
                )
        return
    if isinstance(e, Prod):
        factors = e.factors
        for k, f in enumerate(factors):
            for new, kind, names in _rewrites(f, pool):
                yield Prod(factors[:k] + (new,) + factors[k + 1 :], e.chain), kind, names
        if len(factors) > 1:
            for k, f in enumerate(factors):
                yield Prod(factors[:k] + factors[k + 1 :], e.chain), "missing", {"factor": equations.symbolic(f)}
        return
    if isinstance(e, Mean):  # batch mode's §2.1 gradient: one sample's term changed, or one left out
        parts = e.terms
        for k, part in enumerate(parts):
            for new, kind, names in _rewrites(part, pool):
                yield Mean(parts[:k] + (new,) + parts[k + 1 :]), kind, names
        if len(parts) > 1:
            for k, part in enumerate(parts):
                yield Mean(parts[:k] + parts[k + 1 :]), "missing", {"factor": equations.symbolic(part)}
        return
    # Apply, Square, Half, Positive
    for new, kind, names in _rewrites(e.arg, pool):
        yield replace(e, arg=new), kind, names
    left_out = {Apply: "missing_f", Square: "missing_square", Half: "missing_half"}.get(type(e))
    if left_out:
        yield e.arg, left_out, {}


def _value(e: Expr) -> float:
    try:
        return equations.evaluate(e, lambda r: r.value)
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.nan


def _rounded_fewer(text: str, value: float, unit: float) -> bool:
    """The typed text is `value` written with fewer digits than asked (0.38 for 0.3825)."""
    t_ = text.strip().replace(" ", "")
    try:
        return equations.ulp(t_) > unit * 1.0001 and equations.rounds_to(value, t_)
    except (ValueError, OverflowError):
        return False


def hint_for(q, answer: float, text: str) -> Hint:
    """The hint for the wrong `answer` (typed as `text`) to the question `q` (tui.app.quiz.Question)."""
    e: Equation = q.equation
    v = e.value
    formula = equations.symbolic(e.expr)
    how, digits = q.precision
    base = dict(
        answer=text.strip(),
        symbol=q.symbol,
        formula=formula,
        precision=("ui_quiz_decimals" if how == "decimals" else "ui_quiz_significant", digits),
    )

    def said(kind: str, **names: str) -> Hint:
        return Hint(kind, names=tuple(names.items()), **base)

    if not math.isfinite(v) or not math.isfinite(answer):
        return said("inputs", inputs=_inputs(e))
    unit = 2 * half_unit(v, how, digits)
    if _rounded_fewer(text, v, unit):
        return said("digits")
    if abs(answer - v) <= 1.5 * unit:  # a unit off: the inputs' rounding, or the result's
        return said("close")
    if v != 0 and close(-answer, v):
        return said("sign")
    for sym, value in shown(q.before):
        if close(answer, value) and not close(v, value):
            return said("before") if sym == e.quantity else said("shown", other=sym.text)
    after = next_micro_step(q.before)
    pool = known(after, e.quantity)
    for new, kind, names in _rewrites(e.expr, pool):
        value = _value(new)
        if close(answer, value) and not close(v, value):
            return said(kind, **names)
    for sym, f in pool:
        if sym.name == "f'" and math.isfinite(f) and f not in (0.0, 1.0) and v != 0:
            if close(answer, v / f) and not close(v, v / f):
                return said("fprime_missing", factor=sym.text)
            if close(answer, v * f) and not close(v, v * f):
                return said("fprime_extra", factor=sym.text)
    if abs(answer - v) <= NEAR_UNITS * unit:
        return said("close")
    return said("inputs", inputs=_inputs(e))


def _inputs(e: Equation) -> str:
    names = []
    for r in equations.refs(e.expr):
        if r.sym.text not in names:
            names.append(r.sym.text)
    return ", ".join(names) if names else "—"


__all__ = ["Hint", "close", "hint_for", "kin", "known", "shown"]
