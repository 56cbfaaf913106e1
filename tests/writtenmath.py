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
    if isinstance(e, equations.Mean):  # ¼(g₁ + g₂ + g₃ + g₄): the 1/n is a glyph, never a number read
        return [x for t in e.terms for x in leaves(t)]
    return leaves(e.arg)


def numbers(text: str, tex: bool = False) -> list[str]:
    """The numbers of a written substitution, in order ("[0.3133 > 0]": the 0 of the comparison is
    the formula's, not a number substituted)."""
    text = text.replace(" > 0]", "]")
    if tex:  # the ½ and the square of the loss are the formula's
        text = re.sub(r"\\tfrac\{1\}\{\d+\}", "", text).replace("^2", "")  # ½ of Lᵢ, 1/n of a mean
    return (TEX_NUMBER if tex else NUMBER).findall(text)


def read(e: Equation, substitution: str, tex: bool = False) -> list[tuple[str, Ref]]:
    """The numbers written for the expression's Refs, each with its Ref (the formula's own constants
    checked on the way)."""
    found = numbers(substitution, tex)
    expected = leaves(e.expr)
    assert len(found) == len(expected), (substitution, found, expected)
    for text, leaf in zip(found, expected):
        if isinstance(leaf, Const):
            assert value(text) == leaf.value, (substitution, text)
    return [(text, leaf) for text, leaf in zip(found, expected) if isinstance(leaf, Ref)]


def redo(e: Equation, substitution: str, tex: bool = False) -> float:
    """The equation's right side computed with the numbers read from `substitution`."""
    texts = iter(value(text) for text, _ in read(e, substitution, tex))
    return equations.evaluate(e.expr, lambda _ref: next(texts))  # evaluate reads the Refs in written order


def agrees(computed: float, result: str) -> bool:
    """`computed`, written to the last digit of `result`, is `result`: within half a unit of it."""
    shown = value(result)
    if not (math.isfinite(shown) and math.isfinite(computed)):
        return shown == computed or (math.isnan(shown) and math.isnan(computed))
    if re.fullmatch(r"[−-]?0", result):  # num writes "0" for an exact zero only: nothing to round
        return abs(computed) < 1e-15
    return abs(computed - shown) <= 0.5 * ulp(result) * (1 + 1e-9)


def split_line(line: str, e: Equation) -> tuple[str, str, str]:
    """(substitution, relation, result) of an equation written on one line in text (lhs = … = result),
    its labels and remarks taken off by the caller."""
    last = list(re.finditer(r" (=|≈|\\approx) ", line))[-1]  # the relation before the result
    head, relation, result = line[: last.start()], last.group(1), line[last.end() :]
    relation = "≈" if relation == "\\approx" else relation
    substitution = "" if e.copy else re.split(r" = ", head)[-1]
    return substitution, relation, result.strip()


def check_line(e: Equation, line: str, tex: bool = False) -> str | None:
    """None when the line is honest as written, else what is wrong: every number substituted is its
    quantity's value rounded to the digits shown; with "=" the numbers shown compute to the result as
    written, to its last digit; "≈" (engine.equations: no few more digits would do) says only that
    inputs and result are the exact values rounded."""
    substitution, relation, result = split_line(line.replace("&", ""), e)
    if not agrees(e.value, result):
        return f"{line}: the result is not {e.value!r} rounded"
    if e.copy:
        return None
    for text, ref in read(e, substitution, tex):
        if not agrees(ref.value, text):
            return f"{line}: {text} is not {ref.sym.text} = {ref.value!r} rounded"
    computed = redo(e, substitution, tex)
    if relation == "=" and not agrees(computed, result):
        return f"{line}: the numbers shown give {computed!r}"
    return None


# --- models to check them on ---------------------------------------------------------------------


def random_models(count: int = 24, seed: int = 11) -> list:
    """`count` models from a seeded generator, then one per output activation with the step hidden:
    every hidden × output activation pair (the others twice at 24),
    weights of every sign and of tiny, ordinary, large and mixed magnitudes, data from the presets
    or random, η from 0.01 to 5."""
    import itertools

    import numpy as np

    from engine import activations, presets
    from engine.model import Model
    from engine.network import Params

    rng = np.random.default_rng(seed)
    # the pairs before the step (issue 19) first, so that random_models(24)[k] stays the model the
    # tests name by index; the step's pairs follow, one model each, after the `count`
    old = [h for h in activations.HIDDEN_ACTIVATIONS if h != "step"]
    pairs = list(itertools.product(old, activations.OUTPUT_ACTIVATIONS))
    steps = [("step", o) for o in activations.OUTPUT_ACTIVATIONS]
    scales = ("ordinary", "tiny", "large", "mixed")
    data = [presets.load(name) for name in ("xor", "and", "lecture")]
    out = []
    for k in range(count + len(steps)):
        hidden, output = pairs[k % len(pairs)] if k < count else steps[k - count]
        scale = scales[k % len(scales)]

        def draw(shape):
            signs = rng.choice([-1.0, 1.0], size=shape)
            if scale == "ordinary":
                return rng.normal(0, 1, size=shape)
            if scale == "tiny":
                return signs * 10.0 ** rng.uniform(-7, -3, size=shape)
            if scale == "large":
                return signs * 10.0 ** rng.uniform(1, 4, size=shape)
            return signs * 10.0 ** rng.uniform(-6, 3, size=shape)

        params = Params(W1=draw((2, 2)), b1=draw(2), W2=draw((2, 1)), b2=draw(1))
        if k % 3 == 2:
            X, Y = rng.normal(0, 2, size=(3, 2)), rng.uniform(-1, 1, size=3)
        else:
            X, Y = data[k % 3].X, data[k % 3].Y
        out.append(
            Model(
                name=f"random{k}",
                params=params,
                X=X,
                Y=Y,
                hidden=hidden,
                output=output,
                lr=float(10 ** rng.uniform(-2, 0.7)),
            )
        )
    return out
