"""The chain rule in words (exercises 6(a) and 3(d)) as lines of text: the C view and `backprop-tui chain`.

engine/chain.py computes the factors of ∂L/∂θ; this module writes them, in English or Portuguese,
with a decimal point or comma, for a given width: per factor its name in words ("how ŷ changes with
z⁽²⁾"), the factor as an equation of engine.equations (symbol, formula, numbers, value) and the running
product, named where the backward pass names it (δ⁽²⁾, ∂L/∂a₁⁽¹⁾, δ₁⁽¹⁾, the gradient); then exercise
3(d)'s grouping ∂L/∂θ = a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾. Where a factor is 0 the text says the gradient vanishes there; at
ReLU's kink or the step's jump it states the convention f'(0) = 0. Nothing here is said by colour: a
line's `kind` only picks a style.

A line too long for the width is broken where a person would break it: an equation before the
numbers it substitutes (the next line goes on with "= …"), a remark ("← the output's local error")
onto a line of its own, prose between words.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from engine import equations
from engine import notation as n
from engine.chain import Chain, Factor
from engine.stepper import Phase, Snapshot
from tui.text import fmt
from tui.text.i18n import act_name, t

INDENT = "   "
WIDE = 100  # from this width a factor's name and its equation share a line


@dataclass(frozen=True)
class Line:
    """One line of the view: its text and what it is (title, source, name, factor, product, total,
    head, group, note, warn, blank), which only chooses its style."""

    text: str
    kind: str


def _eq(
    e: equations.Equation, comma: bool, via: n.Symbol | None = None, symbolic: str | None = None
) -> tuple[str, str]:
    """(left part, numbers part) of an equation: "∂ŷ/∂z⁽²⁾ = f'(z⁽²⁾) = ŷ(1 − ŷ)" and
    "0.7514·(1 − 0.7514) = 0.1868", the digits of engine.equations.write (honest arithmetic)."""
    w = equations.write(e, comma)
    left = [w.lhs]
    if via is not None:
        left.append(via.text)
    sym = w.symbolic if symbolic is None else symbolic
    if sym and not isinstance(e.expr, equations.Const):  # f'(z) = 1 of a linear output: the value says it
        left.append(sym)
    result = f"{e.value:g}" if isinstance(e.expr, equations.Const) else w.result  # the formula's own 1 (or 0)
    right = f"{w.substitution} {w.relation} {result}" if w.substitution else f"{w.relation} {result}"
    return " = ".join(left), right


def _joined(left: str, right: str) -> str:
    return f"{left} {right}" if right.startswith(("=", "≈")) else f"{left} = {right}"


def _fit(text: str, width: int, indent: str, kind: str, numbers: str = "") -> list[Line]:
    """`text` (and, for an equation, its numbers part) within `width`: whole, or broken before the
    numbers ("= 0.7514·(1 − 0.7514) = 0.1868" on the next line), or between words."""
    whole = indent + (_joined(text, numbers) if numbers else text)
    if len(whole) <= width:
        return [Line(whole, kind)]
    if numbers:
        rest = numbers if numbers.startswith(("=", "≈")) else "= " + numbers
        head = _fit(text, width, indent, kind)
        return head + _fit(rest, width, indent + "   ", kind)
    wrapped = textwrap.wrap(text, max(width - len(indent), 20), subsequent_indent="  ", break_long_words=True)
    return [Line(indent + part, kind) for part in wrapped or [""]]


def _remark(lines: list[Line], remark: str, width: int, indent: str, kind: str) -> list[Line]:
    """ "  ← remark" after the last line when it fits there, else on a line of its own."""
    last = lines[-1]
    if len(last.text) + 4 + len(remark) <= width:
        return lines[:-1] + [Line(f"{last.text}  ← {remark}", last.kind)]
    return lines + _fit("← " + remark, width, indent + "   ", kind)


def how(f: Factor, lang: str) -> str:
    """The factor's name in words: "how the loss changes with ŷ", "how ŷ changes with z⁽²⁾"."""
    if f.of == n.LOSS:
        return t("chain_how_loss", lang, by=f.by.text)
    return t("chain_how", lang, of=f.of.text, by=f.by.text)


def product_name(c: Chain, k: int, lang: str) -> str:
    """What the running product after factor k (0-based) is, in words: a local error, or the gradient."""
    q = c.factors[k].product.quantity  # type: ignore[union-attr]
    if k == len(c.factors) - 1:
        return t("chain_is_grad", lang)
    if q == n.delta(1, 2):
        return t("chain_is_delta_out", lang)
    if q.name == "δ":
        return t("chain_is_delta_hidden", lang, j=q.unit)
    return t("chain_is_da", lang, j=q.of.unit)  # type: ignore[union-attr]


def factor_notes(c: Chain, k: int, lang: str, comma: bool) -> list[str]:
    """What to say under factor k: the convention at a kink, why an activation's slope is 0, and that the
    gradient vanishes at the first factor that is 0."""
    f = c.factors[k]
    out = []
    if f.kink:
        out.append(t(f"ui_ex_kink_{f.activation}", lang, unit=f.by.text))
    elif f.activation == "step":
        out.append(t("chain_step_flat", lang))
    elif f.activation and f.value == 0.0:
        key = "chain_relu_off" if f.activation == "relu" else "chain_flat"
        out.append(t(key, lang, z=f.by.text, value=fmt.num(f.z, comma), activation=act_name(f.activation, lang)))
    if c.vanishes_at == k:
        out.append(t("chain_vanish", lang, k=k + 1))
    return out


def source_line(c: Chain, s: Snapshot, lang: str) -> str:
    """Where the numbers come from: the record of the step, or computed from the parameters on screen."""
    names = dict(hidden=act_name(c.hidden, lang), output=act_name(c.output, lang), epoch=s.epoch + 1, i=s.sample + 1)
    if c.recorded:
        return t("chain_record", lang, **names)
    phase = t("ui_phase_ready", lang) if s.phase is Phase.READY else s.phase.value
    return t("chain_computed", lang, phase=phase, **names)


def lines(c: Chain, source: str, lang: str = "en", comma: bool = False, width: int = 78) -> list[Line]:
    """The whole view for chain `c` (engine.chain), `source` its line on where the numbers come from."""
    out = _fit(
        t("chain_title", lang, grad=n.grad(c.param).text, sym=c.param.text, section="2.5" if c.layer == 2 else "2.6"),
        width,
        "",
        "title",
    )
    out += _fit(source, width, "", "source")
    out.append(Line("", "blank"))
    names = [f"{k + 1}. {how(f, lang)}" for k, f in enumerate(c.factors)]
    column = max(len(name) for name in names) + 2
    running = t("chain_running", lang)
    for k, f in enumerate(c.factors):
        left, right = _eq(f.equation, comma, f.via)
        if width >= WIDE and column + len(_joined(left, right)) <= width:
            out.append(Line(names[k].ljust(column) + _joined(left, right), "factor"))
        else:
            out.append(Line(names[k], "name"))
            out += _fit(left, width, INDENT, "factor", right)
        indent = " " * column if width >= WIDE else INDENT
        for note in factor_notes(c, k, lang, comma):
            out += _fit("! " + note, width, indent, "warn")
        if f.product is not None:
            prev = c.factors[k - 1]
            prev_sym = prev.product.quantity if prev.product is not None else prev.equation.quantity
            by = "1" if isinstance(f.equation.expr, equations.Const) and f.value == 1.0 else f.equation.quantity.text
            p_left, p_right = _eq(f.product, comma, symbolic=f"{prev_sym.text} × {by}")
            fitted = _fit(f"{running}: {p_left}", width, indent, "product", p_right)
            out += _remark(fitted, product_name(c, k, lang), width, indent, "product")
    total = 1.0
    for f in c.factors:  # the factors multiplied in the order shown, as a student would
        total *= f.value
    verdict = "chain_same" if fmt.num(total) == fmt.num(c.gradient) else "chain_differs"
    out += _fit(
        t(
            "chain_total",
            lang,
            n=len(c.factors),
            product=fmt.num(total, comma),
            grad=n.grad(c.param).text,
            value=fmt.num(c.gradient, comma),
            verdict=t(verdict, lang),
        ),
        width,
        "",
        "total",
    )
    out.append(Line("", "blank"))
    out += group_lines(c, lang, comma, width)
    return out


def group_lines(c: Chain, lang: str, comma: bool, width: int) -> list[Line]:
    """Exercise 3(d): ∂L/∂θ = a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾ (1 · δ⁽ˡ⁾ for a bias), and which factors make up each part."""
    out = _fit(t("chain_group_title", lang), width, "", "head")
    first = "1" if c.previous is None else c.previous.text
    left, right = _eq(c.grouped, comma, symbolic=f"{first} · {c.delta.text}")
    out += _fit(left, width, INDENT, "group", right)
    k = c.delta_factors
    unit = t("chain_unit_out", lang) if c.layer == 2 else t("chain_unit_hidden", lang, j=c.delta.unit)
    z = n.z(1, 2) if c.layer == 2 else n.z(c.delta.unit or 1, 1)
    out += _fit(t("chain_group_delta", lang, delta=c.delta.text, k=k, unit=unit, z=z.text), width, INDENT, "note")
    if c.previous is None:
        out += _fit(t("chain_group_bias", lang, k=k + 1), width, INDENT, "note")
    else:
        out += _fit(t("chain_group_prev", lang, prev=c.previous.text, k=k + 1, sym=c.param.text), width, INDENT, "note")
        if c.layer == 1:
            out += _fit(t("chain_group_input", lang), width, INDENT, "note")
    return out


def text(c: Chain, source: str, lang: str = "en", comma: bool = False, width: int = 78) -> str:
    """The lines as plain text (the command line)."""
    return "\n".join(line.text for line in lines(c, source, lang, comma, width))


__all__ = ["Line", "group_lines", "how", "lines", "product_name", "source_line", "text"]
