"""Redo the arithmetic of an equation as a view writes it: the numbers read back from the text.

A student checks the app with a calculator: they read the numbers of a substitution off the screen
(or the trace, or a transcript), compute, and compare with the result as written. These helpers do
the same, independently of how engine.equations decides the digits: they read the text, not the
engine's values.
"""
from __future__ import annotations

import math
import re

from engine import equations
from engine.equations import Const, Equation, Ref

# A number as engine.notation.num writes it (either minus, a decimal point or comma, e±NN), or a
# number in LaTeX as engine.equations.tex_number writes it (0{,}3825, 1.234 \times 10^{-5}).
NUMBER = re.compile(r"[−-]?(?:\d+(?:[.,]\d+)?(?:e[−+-]\d+)?|∞)|NaN")
TEX_NUMBER = re.compile(r"-?\d+(?:(?:\.|\{,\})\d+)?(?: \\times 10\^\{-?\d+\})?|-?\\infty|\\mathrm\{NaN\}")


def value(text: str) -> float:
    """The value of a number as written (U+2212 or ASCII minus, decimal comma, LaTeX)."""
    t = text.replace("−", "-").replace("{,}", ".").replace(",", ".")
    if t == "\\mathrm{NaN}":
        return math.nan
    if t.endswith("\\infty") or t.endswith("∞"):
        return -math.inf if t.startswith("-") else math.inf
    mantissa, _, power = t.partition(r" \times 10^{")
    return float(mantissa) * 10.0 ** int(power.rstrip("}")) if power else float(mantissa)


def ulp(text: str) -> float:
    """The unit of the last digit written: 0.3588 → 1e-4, 6.202e−05 → 1e-8, 1.234 \\times 10^{-5} → 1e-8."""
    t = text.replace("−", "-").replace("{,}", ".").replace(",", ".")
    if r" \times 10^{" in t:
        mantissa, power = t.split(r" \times 10^{")
        exponent = int(power.rstrip("}"))
    else:
        mantissa, _, e = t.partition("e")
        exponent = int(e or 0)
    return 10.0 ** (exponent - len(mantissa.partition(".")[2]))


def leaves(e) -> list:
    """The numbers of an expression tree in the order they are written: Refs and Consts."""
    if isinstance(e, (Ref, Const)):
        return [e]
    if isinstance(e, equations.Sum):
        return [x for _, t in e.terms for x in leaves(t)]
    if isinstance(e, equations.Prod):
        return [x for f in e.factors for x in leaves(f)]
    return leaves(e.arg)


def numbers(text: str, tex: bool = False) -> list[str]:
    """The numbers of a written substitution, in order ("[0.3133 > 0]": the 0 of the comparison is
    the formula's, not a number substituted)."""
    text = text.replace(" > 0]", "]")
    return (TEX_NUMBER if tex else NUMBER).findall(text)


def redo(e: Equation, substitution: str, tex: bool = False) -> float:
    """The equation's right side computed with the numbers read from `substitution`."""
    found = numbers(substitution, tex)
    expected = leaves(e.expr)
    assert len(found) == len(expected), (substitution, found, expected)
    for text, leaf in zip(found, expected):
        if isinstance(leaf, Const):
            assert value(text) == leaf.value, (substitution, text)
    read = iter(value(text) for text, leaf in zip(found, expected) if isinstance(leaf, Ref))
    return equations.evaluate(e.expr, lambda _ref: next(read))  # evaluate reads the Refs in written order


def agrees(computed: float, result: str) -> bool:
    """`computed`, written to the last digit of `result`, is `result`: within half a unit of it."""
    shown = value(result)
    if not (math.isfinite(shown) and math.isfinite(computed)):
        return shown == computed or (math.isnan(shown) and math.isnan(computed))
    return abs(computed - shown) <= 0.5 * ulp(result) * (1 + 1e-9)


def split_line(line: str, e: Equation) -> tuple[str, str, str]:
    """(substitution, relation, result) of an equation written on one line in text (lhs = … = result),
    its labels and remarks taken off by the caller."""
    head, relation, result = re.split(r" (=|≈) (?=[^=≈]*$)", line)
    substitution = "" if e.copy else re.split(r" = ", head)[-1]
    return substitution, relation, result.strip()


def check_line(e: Equation, line: str) -> str | None:
    """None when the line's arithmetic is honest as written, else what is wrong."""
    substitution, relation, result = split_line(line, e)
    if e.copy:
        return None if agrees(e.value, result) else f"{line}: the copy is not the value"
    computed = redo(e, substitution)
    if relation == "=" and not agrees(computed, result):
        return f"{line}: the numbers shown give {computed!r}"
    if relation == "≈" and not math.isclose(computed, value(result), rel_tol=0.05, abs_tol=ulp(result)):
        return f"{line}: ≈ but the numbers shown give {computed!r}"
    return None
