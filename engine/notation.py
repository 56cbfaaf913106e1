"""Numbers and LaTeX symbols in the notes' style: the one place that decides how a value is written.

`num` is the single source of number formatting for the screen (tui.text.fmt re-exports it) and for the
transcripts of engine.export: 4 decimals as in the notes; magnitudes below 0.01 get 6 decimals so a
gradient such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or from 1e6 on
they switch to scientific notation with 4 significant digits (6.202e−05, 1.000e+06). `comma=True`
writes 0,3825 (--decimal-comma). One style everywhere a person reads a number: the minus is U+2212
(−, also in exponents), exact zero is "0". `sci` is the same scientific style with more or fewer
digits, for tables that compare many digits (the gradient check). LaTeX math (`tex_number`) writes "-",
which LaTeX typesets as a minus; JSON and CSV keep Python's repr (ASCII, full precision), never these.

The engine may use this module; it must not import tui (DESIGN §3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MINUS = "\u2212"  # −: every negative number on screen, in CLI text and in Markdown prose (DESIGN §8)


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


def num(value: float, comma: bool = False, decimals: int = 4, extra: int = 0) -> str:
    """A value as the notes write it: 0.3825, −0.0412, 0.000668, 6.202e−05, 1.000e+06, 0, NaN, ∞.
    `extra` more digits than the style gives (a substitution that needs them: engine.equations)."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    if v == 0.0:
        return "0"
    kind, digits = precision(v, decimals)
    if kind == "significant":
        return sci(v, comma, digits - 1 + extra)
    return _finish(f"{v:.{digits + extra}f}", comma)


def integer(value: float) -> str:
    """A whole number with the notes' minus: a histogram's decade −3."""
    return _finish(str(int(value)), False)


# --- the precision a value is asked at (the quiz) --------------------------------------------------
SMALL = 0.01  # below this `num` writes two decimals more (0.000668)
TINY, HUGE = 1e-4, 1e6  # below and from these `num` writes 4 significant digits (6.202e−05, 2.000e+06)


def precision(value: float, decimals: int = 4) -> tuple[str, int]:
    """The precision `num` writes a value at, and so the one a person is asked to give it at (the
    quiz): ("decimals", 4) from 0.01 on (and for 0), ("decimals", 6) from 0.0001 to 0.01 (0.000668),
    ("significant", 4) in scientific notation below 0.0001 and from 10⁶ on (6.202e−05, 2.000e+06)."""
    v = abs(float(value))
    if v == 0.0 or not math.isfinite(v):
        return "decimals", decimals
    if v < TINY or v >= HUGE:
        return "significant", 4
    return "decimals", decimals + 2 if v < SMALL else decimals


def half_unit(value: float, kind: str, digits: int) -> float:
    """Half a unit of the last digit asked: 0.00005 at 4 decimals; at 3 significant digits, half a
    unit of the third digit of `value` (0.0000005 for 0.000668)."""
    if kind == "decimals":
        return 0.5 * 10.0**-digits
    v = abs(float(value))
    return 0.5 * 10.0 ** (math.floor(math.log10(v)) - digits + 1) if v > 0 else 0.5 * 10.0**-digits


def tex_number(text: str) -> str:
    """A number as `num` writes it, for LaTeX math, where "-" is the minus: 1.234e−05 → 1.234 \\times 10^{-5},
    −0.5 → -0.5, a decimal comma as {,} (no extra space)."""
    t = text.replace(MINUS, "-")
    if t == "NaN":
        return r"\mathrm{NaN}"
    if t.endswith("∞"):
        return t.replace("∞", r"\infty")
    mantissa, _, exponent = t.partition("e")
    out = mantissa.replace(",", "{,}")
    if exponent:
        out += rf" \times 10^{{{int(exponent)}}}"
    return out


# --- the symbol table: one name per quantity, as text (screen, CLI) and as LaTeX ------------------
#
# The output layer has one unit, so its own quantities carry no unit index: z⁽²⁾, δ⁽²⁾, b⁽²⁾ and ŷ (= a⁽²⁾).
# The notes write both z⁽²⁾ and z₁⁽²⁾, b⁽²⁾ and b₁⁽²⁾ (the help says so); the app writes one everywhere.
# Weights keep both indices, from unit i to unit j: w₂₁⁽¹⁾, w₁₁⁽²⁾ (DESIGN §1).

OUTPUT_LAYER = 2

_SUB = str.maketrans("0123456789()+-=ijklmn", "₀₁₂₃₄₅₆₇₈₉₍₎₊₋₌ᵢⱼₖₗₘₙ")
_SUP = str.maketrans("0123456789()+-=iT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻⁼ⁱᵀ")
_TEX_NAME = {"δ": r"\delta", "ŷ": r"\hat{y}", "η": r"\eta", "σ": r"\sigma"}


@dataclass(frozen=True)
class Symbol:
    """A quantity of the notes: x₁, y, z₁⁽¹⁾, a₂⁽¹⁾, ŷ, Lᵢ, δ⁽²⁾, w₂₁⁽¹⁾, b⁽²⁾, η, f'(z₁⁽¹⁾), ∂L/∂w₂₁⁽¹⁾.

    `name` is the letter; `unit` the unit j (None for the output layer's one unit and for scalars),
    `src` the unit i a weight comes from, `layer` l, and `of` the quantity a derivative is taken of
    (name "∂L/∂" for the loss gradient, "f'" for the activation's derivative at a pre-activation,
    "∂/∂" for one factor of §2.4's chain, ∂`of`/∂`by`: ∂ŷ/∂z⁽²⁾)."""

    name: str
    layer: int | None = None
    unit: int | None = None
    src: int | None = None
    of: Symbol | None = None
    by: Symbol | None = None

    @property
    def text(self) -> str:
        if self.name == "∂L/∂":
            return "∂L/∂" + self.of.text  # type: ignore[union-attr]
        if self.name == "f'":
            return f"f'({self.of.text})"  # type: ignore[union-attr]
        if self.name == "∂/∂":
            return f"∂{self.of.text}/∂{self.by.text}"  # type: ignore[union-attr]
        index = "" if self.unit is None else str(self.unit)
        if self.src is not None:
            index = f"{self.src}{index}"
        return self.name + index.translate(_SUB) + ("" if self.layer is None else f"({self.layer})".translate(_SUP))

    @property
    def tex(self) -> str:
        if self.name == "∂L/∂":
            return rf"\frac{{\partial L_i}}{{\partial {self.of.tex}}}"  # type: ignore[union-attr]
        if self.name == "f'":
            return f"f'({self.of.tex})"  # type: ignore[union-attr]
        if self.name == "∂/∂":
            return rf"\frac{{\partial {self.of.tex}}}{{\partial {self.by.tex}}}"  # type: ignore[union-attr]
        if self.name == "Lᵢ":
            return "L_i"
        index = "" if self.unit is None else str(self.unit)
        if self.src is not None:
            index = f"{self.src}{index}"
        base = _TEX_NAME.get(self.name, self.name)
        if len(index) == 1:
            base += f"_{index}"
        elif index:
            base += f"_{{{index}}}"
        return base + ("" if self.layer is None else f"^{{({self.layer})}}")

    def __str__(self) -> str:
        return self.text


def _unit(layer: int, j: int) -> int | None:
    return None if layer == OUTPUT_LAYER else j


def x(i: int) -> Symbol:
    return Symbol("x", unit=i)


Y = Symbol("y")
YHAT = Symbol("ŷ")
LOSS = Symbol("Lᵢ")
ETA = Symbol("η")


def z(j: int, layer: int) -> Symbol:
    return Symbol("z", layer, _unit(layer, j))


def a(j: int, layer: int) -> Symbol:
    """a_j⁽¹⁾; the output layer's activation is ŷ (= a⁽²⁾)."""
    return YHAT if layer == OUTPUT_LAYER else Symbol("a", layer, j)


def delta(j: int, layer: int) -> Symbol:
    return Symbol("δ", layer, _unit(layer, j))


def weight(i: int, j: int, layer: int) -> Symbol:
    """w_ij⁽ˡ⁾: from unit i of layer l−1 to unit j of layer l (DESIGN §1)."""
    return Symbol("w", layer, j, src=i)


def bias(j: int, layer: int) -> Symbol:
    return Symbol("b", layer, _unit(layer, j))


def fprime(of: Symbol) -> Symbol:
    """f'(z₁⁽¹⁾): the activation's derivative at a pre-activation."""
    return Symbol("f'", of=of)


def grad(of: Symbol) -> Symbol:
    """∂L/∂θ (∂L_i/∂θ in LaTeX, as the notes write it)."""
    return Symbol("∂L/∂", of=of)


def partial(of: Symbol, by: Symbol) -> Symbol:
    """∂`of`/∂`by`, one factor of §2.4's chain (∂ŷ/∂z⁽²⁾, ∂z₁⁽¹⁾/∂w₂₁⁽¹⁾); of the loss: ∂L/∂`by`."""
    return grad(by) if of == LOSS else Symbol("∂/∂", of=of, by=by)


def param(key: tuple) -> Symbol:
    """("W1", 2, 1) → w₂₁⁽¹⁾, ("b2", 1) → b⁽²⁾: a parameter as engine.gradcheck and the JSON name it
    (indices from 1)."""
    name, *index = key
    layer = int(name[1])
    if name[0] == "W":
        return weight(index[0], index[1], layer)
    return bias(index[0], layer)


# Every parameter in the notes' order (W⁽¹⁾ row by row, b⁽¹⁾, W⁽²⁾, b⁽²⁾) as (key, array name, 0-based index).
PARAMS = (
    tuple((("W1", i, j), "W1", (i - 1, j - 1)) for i in (1, 2) for j in (1, 2))
    + tuple((("b1", j), "b1", (j - 1,)) for j in (1, 2))
    + tuple((("W2", i, 1), "W2", (i - 1, 0)) for i in (1, 2))
    + ((("b2", 1), "b2", (0,)),)
)
