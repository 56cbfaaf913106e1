"""Every number and symbol on screen or in a transcript is formatted here, and only here.

Values show with 4 decimals as in the notes; magnitudes below 0.01 show 6 decimals so a gradient
such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or above 1e6 they
switch to scientific notation. `comma=True` writes 0,3825 (--decimal-comma).
"""
from __future__ import annotations

import math

_SUB = str.maketrans("0123456789()+-=ijklmn", "₀₁₂₃₄₅₆₇₈₉₍₎₊₋₌ᵢⱼₖₗₘₙ")
_SUP = str.maketrans("0123456789()+-=iT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻⁼ⁱᵀ")


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


def signed(value: float, comma: bool = False) -> str:
    """A number with its sign always written: +0.0412, −0.0412 (Δ columns)."""
    text = num(value, comma)
    if not math.isfinite(float(value)):
        return text
    if text.startswith("-"):
        return "−" + text[1:]
    return "+" + text


def sub(text: object) -> str:
    return str(text).translate(_SUB)


def sup(text: object) -> str:
    return str(text).translate(_SUP)


def layer(l: int) -> str:
    """⁽¹⁾"""
    return sup(f"({l})")


def sym(name: str, j: int | None, l: int | None) -> str:
    """z₁⁽¹⁾, a₂⁽¹⁾, δ⁽²⁾ …"""
    return name + (sub(j) if j is not None else "") + (layer(l) if l is not None else "")


def weight(i: int, j: int, l: int) -> str:
    """w_ij^(l): from unit i of layer l−1 to unit j of layer l (DESIGN §1)."""
    return f"w{sub(i)}{sub(j)}{layer(l)}"


def bias(j: int, l: int) -> str:
    return f"b{sub(j)}{layer(l)}"


def tex_sym(name: str, j: int | None, l: int | None) -> str:
    """The LaTeX of `sym`: z_1^{(1)}, \\delta^{(2)}."""
    base = {"δ": r"\delta", "ŷ": r"\hat{y}", "η": r"\eta", "σ": r"\sigma"}.get(name, name)
    return base + (f"_{{{j}}}" if j is not None else "") + (f"^{{({l})}}" if l is not None else "")


def tex_weight(i: int, j: int, l: int) -> str:
    return f"w_{{{i}{j}}}^{{({l})}}"
