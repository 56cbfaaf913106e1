"""Every number and symbol on screen or in a transcript is formatted here (or in engine.notation).

Values show with 4 decimals as in the notes; magnitudes below 0.01 show 6 decimals so a gradient
such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or above 1e6 they
switch to scientific notation. `comma=True` writes 0,3825 (--decimal-comma).

`num` and the LaTeX symbols live in engine.notation, because engine.export writes transcripts and
the engine must not import tui; they are re-exported here so the UI has one module to import.
"""
from __future__ import annotations

import math

from engine import notation
from engine.notation import num, tex_bias, tex_num, tex_sym, tex_weight  # one source of truth, shared with engine.export

__all__ = ["num", "signed", "sub", "sup", "layer", "sym", "weight", "bias", "short", "parse_number", "column_pads",
           "tex_sym", "tex_weight", "tex_bias", "tex_num"]

_SUB, _SUP = notation._SUB, notation._SUP  # the symbol table's sub- and superscripts


def signed(value: float, comma: bool = False) -> str:
    """A number with its sign always written: +0.0412, −0.0412 (Δ columns)."""
    text = num(value, comma)
    if not math.isfinite(float(value)):
        return text
    if text.startswith("-"):
        return "−" + text[1:]
    return "+" + text


def column_pads(texts, widths, start: int = 0) -> list[int]:
    """The spaces before each text of a row, right-aligned in columns of `widths` after `start`
    characters, and never fewer than one before a number: a value wider than its column (−3.830e-05,
    1.000e+300) pushes the rest of the row right, into the room the next columns have to spare,
    instead of running into its neighbour. An empty text (not computed yet) just fills its column."""
    pads, pos, end = [], start, start
    for text, width in zip(texts, widths):
        end += width
        pad = max(1 if text else 0, end - len(text) - pos)
        pads.append(pad)
        pos += pad + len(text)
    return pads


def sub(text: object) -> str:
    return str(text).translate(_SUB)


def sup(text: object) -> str:
    return str(text).translate(_SUP)


def layer(l: int) -> str:
    """⁽¹⁾"""
    return sup(f"({l})")


def sym(name: str, j: int | None, l: int | None) -> str:
    """z₁⁽¹⁾, a₂⁽¹⁾, δ⁽²⁾ …: the symbol table's text (engine.notation); the output layer's one unit
    has no unit index (z⁽²⁾, b⁽²⁾)."""
    return notation.Symbol(name, l, None if l == notation.OUTPUT_LAYER else j).text


def weight(i: int, j: int, l: int) -> str:
    """w_ij^(l): from unit i of layer l−1 to unit j of layer l (DESIGN §1)."""
    return notation.weight(i, j, l).text


def bias(j: int, l: int) -> str:
    return notation.bias(j, l).text


def param(key: tuple) -> str:
    """("W1", 2, 1) → w₂₁⁽¹⁾, ("b2", 1) → b⁽²⁾: a parameter as the gradient check and the JSON name it."""
    return notation.param(key).text


def short(value: float, comma: bool = False) -> str:
    """`num`, but a value with two decimals keeps just those, as the notes substitute: 0.15·0.05 + 0.35.

    Only a trailing "00" goes, so 0.1540 stays 0.1540 and every value keeps the panel's precision.
    """
    text = num(value, comma)
    mark = "," if comma else "."
    if "e" not in text and mark in text and text.endswith("00") and len(text.split(mark)[1]) == 4:
        text = text[:-2]
    return text


def parse_number(text: str) -> float:
    """A number a person typed: 0.3825 or 0,3825 (a decimal comma, as in the notes), −0.5, 1e-3.

    Raises ValueError for anything else, including thousands separators ("1,234.5" is ambiguous),
    NaN and infinities: no parameter or answer can be one of those.
    """
    s = str(text).strip().replace("−", "-").replace(" ", "")
    if s.count(",") > 1 or ("," in s and "." in s):
        raise ValueError(f"not a number: {text!r}")
    s = s.replace(",", ".")
    if not s or s.lower().lstrip("+-") in ("nan", "inf", "infinity") or "_" in s:
        raise ValueError(f"not a number: {text!r}")
    v = float(s)  # ValueError for anything else that is not a number
    if not math.isfinite(v):
        raise ValueError(f"not a finite number: {text!r}")
    return v


def value_range(name: str, comma: bool = False) -> str:
    """The values the activation `name` reaches or approaches, as an interval: [0, 1], [−1, 1], [0, ∞)."""
    from engine.activations import RANGES  # noqa: PLC0415 - fmt is imported at start-up; activations loads numpy

    low, high, low_in, high_in = RANGES[name]
    sep = "; " if comma else ", "
    return (("[" if low_in else "(") + num(low, comma).replace(".0000", "").replace(",0000", "") + sep
            + num(high, comma).replace(".0000", "").replace(",0000", "") + ("]" if high_in else ")"))
