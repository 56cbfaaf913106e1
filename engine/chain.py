"""Exercise 6(a), the chain rule in words: ∂L/∂θ followed from the loss back to one parameter θ.

§2.4 writes a gradient as a product of local derivatives, one per link between the loss and θ, and
§2.5 and §2.6 work it out for w₁₁⁽²⁾ and w₂₁⁽¹⁾:

    ∂L/∂w₂₁⁽¹⁾ = ∂L/∂ŷ × ∂ŷ/∂z⁽²⁾ × ∂z⁽²⁾/∂a₁⁽¹⁾ × ∂a₁⁽¹⁾/∂z₁⁽¹⁾ × ∂z₁⁽¹⁾/∂w₂₁⁽¹⁾
               = (ŷ − y) × f'(z⁽²⁾) × w₁₁⁽²⁾ × f'(z₁⁽¹⁾) × x₂

(the notes write the same factors from θ up to the loss; multiplication does not mind the order, and
backprop computes them from the loss down: this module follows backprop). Every running product is
itself a quantity the backward pass computes: ∂L/∂ŷ, then δ⁽²⁾ = ∂L/∂z⁽²⁾, then ∂L/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ⁽²⁾
(§2.6's local error δ_a), then δ₁⁽¹⁾ = ∂L/∂z₁⁽¹⁾, and last ∂L/∂w₂₁⁽¹⁾. So the chain also answers
exercise 3(d): the gradient is a⁽ˡ⁻¹⁾ · δ⁽ˡ⁾ (here x₂ · δ₁⁽¹⁾, for a bias 1 · δ⁽ˡ⁾), the last factor times
the product of all the others.

The factors are Equations of engine.equations (the same trees, the same honest digits), with the
values of an equations.Sample: the record of the Snapshot's backward pass when it has reached θ
(`of_snapshot`), else the same sample through engine.network from the parameters on screen, said so
by `Chain.recorded`. This module computes only ŷ − y, as δ⁽²⁾ = (ŷ − y)·f'(z⁽²⁾) does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine import activations
from engine import notation as n
from engine.equations import Const, Equation, Expr, Prod, Ref, Sample, Sum, sample_of, slope
from engine.network import backward
from engine.notation import Symbol
from engine.stepper import Snapshot


@dataclass(frozen=True)
class Factor:
    """One link of the chain: ∂`of`/∂`by` (`equation`: its formula and value); `via` names it as the
    notes do where that helps (f'(z⁽²⁾) for ∂ŷ/∂z⁽²⁾); `product` is the running product up to it, a
    quantity of its own (None for the first factor, which is its own product)."""

    of: Symbol
    by: Symbol
    equation: Equation
    via: Symbol | None
    product: Equation | None
    activation: str = ""  # the activation whose slope this factor is ("" for the other factors)
    z: float = 0.0  # for such a factor: the z⁽ˡ⁾ it is taken at (`by`'s value)
    kink: bool = False  # that activation has no derivative at this z (z exactly 0: ReLU, the step)

    @property
    def value(self) -> float:
        return self.equation.value

    @property
    def running(self) -> float:
        """The product of the factors up to this one."""
        return self.equation.value if self.product is None else self.product.value


@dataclass(frozen=True)
class Chain:
    """∂L/∂θ for the parameter `key`, factor by factor from the loss down to θ, and exercise 3(d)'s
    grouping `grouped`: ∂L/∂θ = `previous` · `delta`, `delta` being the product of the factors before
    the last (`delta_factors` of them) and `previous` the last factor (a⁽ˡ⁻¹⁾, or 1 for a bias)."""

    key: tuple
    param: Symbol
    layer: int
    factors: tuple[Factor, ...]
    grouped: Equation
    previous: Symbol | None  # a_i⁽¹⁾ or x_i; None for a bias (its input is the constant 1)
    delta: Symbol
    gradient: float  # ∂L/∂θ as the backward pass computed it
    recorded: bool  # the numbers are the record of the Snapshot's backward pass (else computed here)
    hidden: str
    output: str

    @property
    def delta_factors(self) -> int:
        return len(self.factors) - 1

    @property
    def vanishes_at(self) -> int | None:
        """The index of the first factor that is exactly 0 (every product from it on is 0), or None."""
        return next((k for k, f in enumerate(self.factors) if f.value == 0.0), None)


def _where(key: tuple) -> tuple[str, tuple[int, ...]]:
    for k, name, index in n.PARAMS:
        if k == key:
            return name, index
    raise ValueError(f"unknown parameter {key!r}")


def _at_kink(name: str, z: float) -> bool:
    return bool(activations.at_kink(name, np.float64(z)))


def _got(value: np.ndarray | None, theta: Symbol) -> np.ndarray:
    """A value the backward pass computes on its way to θ (a ValueError if it has not got there)."""
    if value is None:
        raise ValueError(f"the backward pass has not reached {theta.text} yet")
    return value


def chain(s: Sample, key: tuple) -> Chain:
    """The chain of ∂L/∂θ for θ = `key` from a Sample whose backward pass has reached θ."""
    name, index = _where(key)
    layer = int(name[1])
    theta = n.param(key)
    p = s.params
    a1, z2v, yhatv, fp2, d2, dW2, db2 = (
        _got(v, theta) for v in (s.a1, s.z2, s.yhat, s.fprime2, s.delta2, s.dW2, s.db2)
    )
    yhat, z2 = float(yhatv[0]), float(z2v[0])
    z2_sym = n.z(1, 2)
    factors: list[Factor] = []

    def link(
        of: Symbol,
        by: Symbol,
        expr: Expr,
        value: float,
        product: Symbol | None,
        product_value: float,
        via: Symbol | None = None,
        activation: str = "",
        z: float = 0.0,
    ) -> None:
        e = Equation(n.partial(of, by), expr, value, "2.6" if layer == 1 else "2.5", role="chain")
        prod = None
        if factors:
            before = factors[-1]
            prev_sym = before.product.quantity if before.product is not None else before.equation.quantity
            leaf = expr if isinstance(expr, Const) else Ref(e.quantity, value)  # ∂z/∂b is the 1 of the formula
            prod = Equation(
                product or n.grad(by),
                Prod((Ref(prev_sym, before.running), leaf), chain=True),
                product_value,
                e.section,
                role="chain",
            )
        factors.append(Factor(of, by, e, via, prod, activation, z, bool(activation) and _at_kink(activation, z)))

    # ∂L/∂ŷ = ŷ − y (§2.5): the first factor, its own product; δ⁽²⁾ = (ŷ − y)·f'(z⁽²⁾) takes the same difference
    error = float(yhatv[0] - s.y)
    link(n.LOSS, n.YHAT, Sum(((1, Ref(n.YHAT, yhat)), (-1, Ref(n.Y, s.y)))), error, None, error)
    # ∂ŷ/∂z⁽²⁾ = f'(z⁽²⁾): the product so far is δ⁽²⁾ = ∂L/∂z⁽²⁾, the output's local error
    link(
        n.YHAT,
        z2_sym,
        slope(s.output, Ref(z2_sym, z2), Ref(n.YHAT, yhat)),
        float(fp2[0]),
        n.delta(1, 2),
        float(d2[0]),
        n.fprime(z2_sym),
        s.output,
        z2,
    )
    last: Ref | Const
    previous: Symbol | None
    if layer == 2:
        delta, delta_value, z_sym = n.delta(1, 2), float(d2[0]), z2_sym
        if name == "W2":
            i = index[0] + 1
            previous, last, gradient = n.a(i, 1), Ref(n.a(i, 1), float(a1[i - 1])), float(dW2[index])
        else:
            previous, last, gradient = None, Const(1.0), float(db2[0])
    else:
        z1, da1, fp1, d1, dW1, db1 = (_got(v, theta) for v in (s.z1, s.da1, s.fprime1, s.delta1, s.dW1, s.db1))
        j = (index[1] if name == "W1" else index[0]) + 1
        z_sym, a_sym = n.z(j, 1), n.a(j, 1)
        zj, aj = float(z1[j - 1]), float(a1[j - 1])
        w = float(p.W2[j - 1, 0])
        # ∂z⁽²⁾/∂aⱼ⁽¹⁾ = wⱼ₁⁽²⁾: the product is ∂L/∂aⱼ⁽¹⁾ = wⱼ₁⁽²⁾δ⁽²⁾, §2.6's δ_a
        link(z2_sym, a_sym, Ref(n.weight(j, 1, 2), w), w, n.grad(a_sym), float(da1[j - 1]))
        # ∂aⱼ⁽¹⁾/∂zⱼ⁽¹⁾ = f'(zⱼ⁽¹⁾): the product is δⱼ⁽¹⁾ = ∂L/∂zⱼ⁽¹⁾, the hidden unit's local error
        link(
            a_sym,
            z_sym,
            slope(s.hidden, Ref(z_sym, zj), Ref(a_sym, aj)),
            float(fp1[j - 1]),
            n.delta(j, 1),
            float(d1[j - 1]),
            n.fprime(z_sym),
            s.hidden,
            zj,
        )
        delta, delta_value = n.delta(j, 1), float(d1[j - 1])
        if name == "W1":
            i = index[0] + 1
            previous, last, gradient = n.x(i), Ref(n.x(i), float(s.x[i - 1])), float(dW1[index])
        else:
            previous, last, gradient = None, Const(1.0), float(db1[j - 1])
    # ∂z/∂θ: the input that feeds θ (a⁽ˡ⁻¹⁾; 1 for a bias), and the product is the gradient itself
    link(z_sym, theta, last, last.value, n.grad(theta), gradient)
    grouped = Equation(
        n.grad(theta), Prod((last, Ref(delta, delta_value))), gradient, factors[-1].equation.section, role="chain"
    )
    return Chain(key, theta, layer, tuple(factors), grouped, previous, delta, gradient, True, s.hidden, s.output)


def reached(s: Snapshot, key: tuple) -> bool:
    """The Snapshot's backward pass has computed ∂L/∂θ: B2 for the output layer's parameters, B1 for the rest."""
    layer = int(_where(key)[0][1])
    return s.backward1 is not None or (layer == 2 and s.backward2 is not None)


def computed_sample(s: Snapshot) -> Sample:
    """The Snapshot's current sample through the whole backward pass (engine.network) from the parameters
    it starts from, the ones on screen: what its records will hold once b reaches them."""
    f, g = activations.get(s.hidden), activations.get(s.output)
    p = s.params_start
    with np.errstate(all="ignore"):
        ps = backward(p, s.x, s.y, f, g)
    gr = ps.grads
    return Sample(
        x=s.x,
        y=s.y,
        hidden=s.hidden,
        output=s.output,
        lr=s.lr,
        params=p,
        z1=ps.z1,
        a1=ps.a1,
        z2=ps.z2,
        yhat=ps.yhat,
        loss=ps.loss,
        fprime2=ps.fprime2,
        delta2=ps.delta2,
        dW2=gr.dW2,
        db2=gr.db2,
        da1=ps.da1,
        fprime1=ps.fprime1,
        delta1=ps.delta1,
        dW1=gr.dW1,
        db1=gr.db1,
    )


def of_snapshot(s: Snapshot, key: tuple) -> Chain:
    """The chain of ∂L/∂θ on the Snapshot's current sample: from its record where the backward pass has
    reached θ (with the activations it used), else computed from the parameters on screen (`recorded`
    False: the view says so)."""
    if reached(s, key):
        return chain(sample_of(s), key)
    return replace(chain(computed_sample(s), key), recorded=False)


__all__ = ["Chain", "Factor", "chain", "computed_sample", "of_snapshot", "reached"]
