"""Numbers and LaTeX symbols in the notes' style: the one place that decides how a value is written.

`num` is the single source of number formatting for the screen (tui.text.fmt re-exports it) and for the
transcripts of engine.export: 4 decimals as in the notes; magnitudes below 0.01 get 6 decimals so a
gradient such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or from 1e6 on
they switch to scientific notation with 4 significant digits (6.202e−05, 1.000e+06). `comma=True`
writes 0,3825 (--decimal-comma). One style everywhere a person reads a number: the minus is U+2212
(−, also in exponents), exact zero is "0". `sci` is the same scientific style with more or fewer
digits, for tables that compare many digits (the gradient check). LaTeX math (`tex_num`) writes "-",
which LaTeX typesets as a minus; JSON and CSV keep Python's repr (ASCII, full precision), never these.

The engine may use this module; it must not import tui (DESIGN §3).
"""
from __future__ import annotations

import math

MINUS = "\u2212"  # −: every negative number on screen, in CLI text and in Markdown prose (DESIGN §5)


def _finish(text: str, comma: bool) -> str:
    """ASCII digits from Python's formatting → the notes' style: − for every minus, the decimal mark."""
    text = text.replace("-", MINUS)
    return text.replace(".", ",") if comma else text


def _special(v: float) -> str | None:
    """NaN, ∞ and −∞ as every style writes them; None for a finite number."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    return None


def sci(value: float, comma: bool = False, digits: int = 3, plus: bool = False) -> str:
    """The one scientific style: `digits` digits after the point, "e", the exponent's sign (+ or −) and
    at least two digits: 6.202e−05, 1.000e+06, −3.830e+300. Exact zero (and −0.0) is "0". `plus=True`
    writes + before a positive mantissa, for tables whose columns line up (the gradient check)."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    if v == 0.0:
        return "0"
    mantissa, exponent = f"{v:.{digits}e}".split("e")
    e = int(exponent)
    text = f"{'+' if plus and v > 0 else ''}{mantissa}e{'+' if e >= 0 else '-'}{abs(e):02d}"
    return _finish(text, comma)


def num(value: float, comma: bool = False, decimals: int = 4) -> str:
    """A value as the notes write it: 0.3825, −0.0412, 0.000668, 6.202e−05, 1.000e+06, 0, NaN, ∞."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    a = abs(v)
    if a == 0.0:
        return "0"
    if a < 1e-4 or a >= 1e6:
        return sci(v, comma)
    return _finish(f"{v:.{decimals + 2 if a < 0.01 else decimals}f}", comma)


def integer(value: int) -> str:
    """A whole number with the notes' minus: a histogram's decade −3."""
    return _finish(str(int(value)), False)


def tex_num(value: float, comma: bool = False) -> str:
    """`num` for LaTeX math, where "-" is the minus: 6.202e−05 → 6.202 \\times 10^{-5}; a decimal
    comma as {,} (no extra space)."""
    text = num(value).replace(MINUS, "-")
    if text == "NaN":
        text = r"\mathrm{NaN}"
    elif text.endswith("∞"):
        text = text.replace("∞", r"\infty")
    elif "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text.replace(".", "{,}") if comma else text


def _sub(j: object) -> str:
    """_1 as the notes write it; braces only when the index has more than one character."""
    j = str(j)
    return f"_{j}" if len(j) == 1 else f"_{{{j}}}"


def tex_sym(name: str, j: int | None, l: int | None) -> str:
    """The LaTeX of tui.text.fmt.sym, as the notes write it: z_1^{(1)}, \\delta^{(2)}."""
    base = {"δ": r"\delta", "ŷ": r"\hat{y}", "η": r"\eta", "σ": r"\sigma"}.get(name, name)
    return base + (_sub(j) if j is not None else "") + (f"^{{({l})}}" if l is not None else "")


def tex_weight(i: int, j: int, l: int) -> str:
    """w_{ij}^{(l)}: from unit i of layer l−1 to unit j of layer l (DESIGN §1)."""
    return f"w_{{{i}{j}}}^{{({l})}}"


def tex_bias(j: int, l: int) -> str:
    return f"b{_sub(j)}^{{({l})}}"
