"""Every number and symbol on screen or in a transcript is formatted here (or in engine.notation).

Values show with 4 decimals as in the notes; magnitudes below 0.01 show 6 decimals so a gradient
such as ∂L/∂w₁₁⁽¹⁾ = 0.000668 keeps its digits (DESIGN §2), and below 1e-4 or from 1e6 on they
switch to scientific notation (6.202e−05, 1.000e+06). `comma=True` writes 0,3825 (--decimal-comma).
Every minus is U+2212 (−), exact zero is "0" (engine.notation decides the style).

`num`, `sci` and `integer` live in engine.notation, because engine.export writes
transcripts and the engine must not import tui; they are re-exported here so the UI has one module
to import. Nothing here or anywhere on screen formats a number with Python's own format specs.
"""

from __future__ import annotations

import math

from engine import notation
from engine.notation import MINUS, integer, num, sci  # one source of truth, shared with engine.export

__all__ = [
    "MINUS",
    "num",
    "sci",
    "integer",
    "signed",
    "shorter",
    "fit_row",
    "sub",
    "sup",
    "layer",
    "sym",
    "weight",
    "bias",
    "short",
    "fixed",
    "nested",
    "parse_number",
    "column_pads",
]

_SUB, _SUP = notation._SUB, notation._SUP  # the symbol table's sub- and superscripts


def signed(value: float, comma: bool = False) -> str:
    """A number with its sign always written: +0.0412, −0.0412 (Δ columns); zero has none: 0."""
    text = num(value, comma)
    if not math.isfinite(float(value)) or text == "0" or text.startswith(MINUS):
        return text
    return "+" + text


def fixed(value: float, decimals: int, comma: bool = False, plus: bool = False) -> str:
    """A finite value with exactly `decimals` decimals, rounded from the value, in `num`'s style (−, the
    decimal comma): a drawing with no room left writes 650.2297 as 650.23 rather than cut it."""
    v = float(value)
    text = notation._finish(f"{v:.{decimals}f}", comma)
    return "+" + text if plus and not text.startswith(MINUS) and v != 0 else text


def column_pads(texts, widths, start: int = 0) -> list[int]:
    """The spaces before each text of a row, right-aligned in columns of `widths` after `start`
    characters, and never fewer than one before a number: a value wider than its column (−3.830e−05,
    1.000e+300) pushes the rest of the row right, into the room the next columns have to spare,
    instead of running into its neighbour. An empty text (not computed yet) just fills its column."""
    pads, pos, end = [], start, start
    for text, width in zip(texts, widths):
        end += width
        pad = max(1 if text else 0, end - len(text) - pos)
        pads.append(pad)
        pos += pad + len(text)
    return pads


def shorter(text: str, value: float | None = None) -> str:
    """The same number written with one digit fewer, in the one scientific style: 1.000e+300 →
    1.00e+300 → 1.0e+300 → 1e+300; a fixed-point text that is longer than its scientific form
    (123456.7890 → 1.235e+05) becomes that. Anything else (0.3825, 0, NaN, a label) comes back as it is.

    `value` is the number `text` was written from: the shorter text is rounded from it, not from
    the text (−7.67549e−05 is −7.675e−05 with 3 digits and −7.68e−05 with 2; from the text, the tie
    −7.675e−05 would round to −7.67e−05: a number rounded twice). Without it the text is read back."""
    try:
        v = parse_number(text) if value is None else float(value)
    except ValueError:
        return text
    if not math.isfinite(v):
        return text
    comma, plus = "," in text, text.startswith("+")
    if "e" in text:
        mantissa = text.split("e")[0]
        digits = len(mantissa.split("," if comma else ".")[1]) if ("," if comma else ".") in mantissa else 0
        return sci(v, comma, digits - 1, plus) if digits > 0 else text
    candidate = sci(v, comma, 3, plus)
    return candidate if len(candidate) < len(text) else text


def fit_row(texts, widths, start: int = 0, room: int | None = None, values=None) -> tuple[list[str], list[int]]:
    """A row of right-aligned columns that never runs past `room` characters while it can help it:
    (texts, pads) as column_pads lays them out, after numbers have been written with fewer digits
    (`shorter`), the longest first (of equals, the one that overflows its column most), until the row fits.
    A number is never cut: the panel shows 1.0e+300 rather than the first characters of 1.000e+300.
    `values`: the number each text was written from (None for a text that is not one), so that a
    shortened number is rounded once, from its value (see `shorter`)."""
    texts = list(texts)
    values = [None] * len(texts) if values is None else list(values)
    while True:
        pads = column_pads(texts, widths, start)
        if room is None or start + sum(pads) + sum(map(len, texts)) <= room:
            return texts, pads
        over = [
            (len(text), len(text) - width, k)
            for k, (text, width) in enumerate(zip(texts, widths))
            if shorter(text, values[k]) != text
        ]
        if not over:
            return texts, pads
        k = max(over)[2]
        texts[k] = shorter(texts[k], values[k])


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

    Only a trailing "00" goes, so 0.1540 stays 0.1540 and every value keeps the panel's precision;
    zero stays "0" (never 0.00).
    """
    text = num(value, comma)
    mark = "," if comma else "."
    if "e" not in text and mark in text and text.endswith("00") and len(text.split(mark)[1]) == 4:
        text = text[:-2]
    return text


def nested(value, comma: bool = False) -> str:
    """A value of the NumPy lines (key P) as NumPy nests it, each number in `num`'s style: 0.2748,
    [0.3825, 0.3900], [[0.4000], [0.4500]] (with a decimal comma: [0,3825; 0,3900])."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ("; " if comma else ", ").join(nested(v, comma) for v in value) + "]"
    return num(value, comma)


def parse_number(text: str) -> float:
    """A number a person typed: 0.3825 or 0,3825 (a decimal comma, as in the notes), −0.5, 1e-3, and
    everything `num`, `short`, `signed` and `sci` write for a finite value (6.202e−05, +1.0e+06, 0).

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

    def end(v: float) -> str:  # the ends are whole numbers or ±∞
        return integer(int(v)) if math.isfinite(v) else num(v)

    low, high, low_in, high_in = RANGES[name]
    return ("[" if low_in else "(") + end(low) + ("; " if comma else ", ") + end(high) + ("]" if high_in else ")")
