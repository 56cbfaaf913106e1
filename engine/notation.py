"""Numbers and LaTeX symbols in the notes' style: the one place that decides how a value is written.

`num` is the single source of number formatting for the screen (tui.text.fmt re-exports it) and for the
transcripts of engine.export: 4 decimals as in the notes; magnitudes below 0.01 get 6 decimals so a
gradient such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or from 1e6 on
they switch to scientific notation. `comma=True` writes 0,3825 (--decimal-comma).

The engine may use this module; it must not import tui (DESIGN §3).
"""
from __future__ import annotations

import math


def num(value: float, comma: bool = False, decimals: int = 4) -> str:
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    a = abs(v)
    if a == 0.0:
        text = f"{0.0:.{decimals}f}"
    elif a < 1e-4 or a >= 1e6:
        text = f"{v:.3e}"
    elif a < 0.01:
        text = f"{v:.{decimals + 2}f}"
    else:
        text = f"{v:.{decimals}f}"
    return text.replace(".", ",") if comma else text


def tex_num(value: float, comma: bool = False) -> str:
    """`num` for LaTeX math: 1.234e-05 → 1.234 \\times 10^{-5}; a decimal comma as {,} (no extra space)."""
    text = num(value)
    if text == "NaN":
        text = r"\mathrm{NaN}"
    elif text.endswith("∞"):
        text = text.replace("−", "-").replace("∞", r"\infty")
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
