"""The notes' formulas written out by hand: independent checks of engine/, never imported from it.

Tests take them as fixtures (tests/conftest.py); a module that needs one while it is collected
(a constant of the notes' example, a parametrize list) imports it from here.
"""

from __future__ import annotations

import math


def sigma(z: float) -> float:
    """σ(z) = 1/(1 + e⁻ᶻ), §1.6."""
    return 1 / (1 + math.exp(-z))


def worked_example() -> dict:
    """The notes' worked example (§2.3–§2.9, exercise 2; DESIGN §2), one sample-step by hand.

    w_ij⁽¹⁾ joins x_i to hidden unit j (W⁽¹⁾ rows = inputs); v_j = w_j1⁽²⁾, c = b⁽²⁾."""
    x1, x2, y, eta = 0.05, 0.10, 0.01, 0.5
    w11, w12, w21, w22, b11, b12 = 0.15, 0.20, 0.25, 0.30, 0.35, 0.35
    v1, v2, c = 0.40, 0.45, 0.60
    z1 = w11 * x1 + w21 * x2 + b11
    z2 = w12 * x1 + w22 * x2 + b12
    a1, a2 = sigma(z1), sigma(z2)
    zo = v1 * a1 + v2 * a2 + c
    yh = sigma(zo)
    loss = 0.5 * (yh - y) ** 2
    d2 = (yh - y) * yh * (1 - yh)
    d1a, d1b = v1 * d2 * a1 * (1 - a1), v2 * d2 * a2 * (1 - a2)
    return dict(
        x=(x1, x2),
        y=y,
        eta=eta,
        W1=((w11, w12), (w21, w22)),
        b1=(b11, b12),
        W2=(v1, v2),
        b2=c,
        z1=(z1, z2),
        a1=(a1, a2),
        z2=zo,
        yhat=yh,
        loss=loss,
        delta2=d2,
        delta1=(d1a, d1b),
        dW2=(a1 * d2, a2 * d2),
        dW1=((x1 * d1a, x1 * d1b), (x2 * d1a, x2 * d1b)),
        W2_after=(v1 - eta * a1 * d2, v2 - eta * a2 * d2),
        b2_after=c - eta * d2,
        W1_after=((w11 - eta * x1 * d1a, w12 - eta * x1 * d1b), (w21 - eta * x2 * d1a, w22 - eta * x2 * d1b)),
        b1_after=(b11 - eta * d1a, b12 - eta * d1b),
    )


def worked_example_loss(hidden=sigma) -> float:
    """L of the worked example's one sample with `hidden` as the hidden activation (math.tanh for tanh),
    the output still σ: the data-set loss L₀ of that model, before any update (issue 11)."""
    ex = worked_example()
    v1, v2 = ex["W2"]
    a1, a2 = hidden(ex["z1"][0]), hidden(ex["z1"][1])
    return 0.5 * (sigma(v1 * a1 + v2 * a2 + ex["b2"]) - ex["y"]) ** 2


# Exercise 5: the worked example with another hidden activation, the output's sigmoid kept (as the
# notes keep it). f and f' written out here: tanh' = 1 − tanh², ReLU' = 1 if z > 0 else 0 (table 1).
HIDDEN = {
    "sigmoid": (sigma, lambda z: sigma(z) * (1 - sigma(z))),
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "relu": (lambda z: z if z > 0 else 0.0, lambda z: 1.0 if z > 0 else 0.0),
    # exercise 6(b): the Heaviside step, flat on both sides of its jump (f'(0) taken as 0)
    "step": (lambda z: 1.0 if z > 0 else 0.0, lambda z: 0.0),
}


def worked_example_with(
    hidden: str,
    W1=((0.15, 0.20), (0.25, 0.30)),
    b1=(0.35, 0.35),
    W2=(0.40, 0.45),
    b2=0.60,
    x=(0.05, 0.10),
    y=0.01,
    eta=0.5,
) -> dict:
    """One sample-step of §2.9 by hand with hidden activation `hidden` and a sigmoid output; by default
    on the notes' example. Also ŷ and L = ½(ŷ − y)² of the same sample after the update."""
    f, fp = HIDDEN[hidden]
    (x1, x2), (w11, w12), (w21, w22), (b11, b12), (v1, v2), c = x, W1[0], W1[1], b1, W2, b2
    z1 = w11 * x1 + w21 * x2 + b11
    z2 = w12 * x1 + w22 * x2 + b12
    a1, a2 = f(z1), f(z2)
    zo = v1 * a1 + v2 * a2 + c
    yh = sigma(zo)
    d2 = (yh - y) * yh * (1 - yh)
    d1a, d1b = v1 * d2 * fp(z1), v2 * d2 * fp(z2)
    grads = {
        ("W1", 1, 1): x1 * d1a,
        ("W1", 1, 2): x1 * d1b,
        ("W1", 2, 1): x2 * d1a,
        ("W1", 2, 2): x2 * d1b,
        ("b1", 1): d1a,
        ("b1", 2): d1b,
        ("W2", 1, 1): a1 * d2,
        ("W2", 2, 1): a2 * d2,
        ("b2", 1): d2,
    }
    after = dict(
        W1=((w11 - eta * x1 * d1a, w12 - eta * x1 * d1b), (w21 - eta * x2 * d1a, w22 - eta * x2 * d1b)),
        b1=(b11 - eta * d1a, b12 - eta * d1b),
        W2=(v1 - eta * a1 * d2, v2 - eta * a2 * d2),
        b2=c - eta * d2,
    )
    (p11, p12), (p21, p22) = after["W1"]
    q1, q2 = after["b1"]
    u1, u2 = after["W2"]
    yh_after = sigma(u1 * f(p11 * x1 + p21 * x2 + q1) + u2 * f(p12 * x1 + p22 * x2 + q2) + after["b2"])
    return dict(
        z1=(z1, z2),
        a1=(a1, a2),
        fprime1=(fp(z1), fp(z2)),
        z2=zo,
        yhat=yh,
        loss=0.5 * (yh - y) ** 2,
        delta2=d2,
        delta1=(d1a, d1b),
        grads=grads,
        after=after,
        yhat_after=yh_after,
        loss_after=0.5 * (yh_after - y) ** 2,
    )


def sigma_wide(z: float) -> float:
    """σ(z) for any z: e⁻ᶻ overflows below z ≈ −709, so there σ(z) = eᶻ/(1 + eᶻ), the same value."""
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


# Each activation and its f' written out (table 1, §1.6): for the chain of exercise 6(a), any layer and any z.
ACT = dict(HIDDEN) | {
    "sigmoid": (sigma_wide, lambda z: sigma_wide(z) * (1 - sigma_wide(z))),
    "linear": (lambda z: z, lambda z: 1.0),
}


def chain_by_hand(W1, b1, W2, b2, x, y, hidden: str, output: str, key: tuple) -> tuple[list[float], float]:
    """Exercise 6(a) by hand: the factors of ∂Lᵢ/∂θ from the loss down to θ (§2.4–§2.6) and their product.
    W1 rows = inputs (W1[i][j] = w_ij⁽¹⁾), W2[j] = w_j1⁽²⁾, b2 a number; `key` as ("W1", i, j), ("b1", j),
    ("W2", i, 1), ("b2", 1)."""
    f, fp = ACT[hidden]
    g, gp = ACT[output]
    z = [x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j] for j in (0, 1)]
    a = [f(zj) for zj in z]
    zo = a[0] * W2[0] + a[1] * W2[1] + b2
    yh = g(zo)
    out = [yh - y, gp(zo)]  # ∂L/∂ŷ = ŷ − y, ∂ŷ/∂z⁽²⁾ = f'(z⁽²⁾)
    name, *index = key
    if name == "W2":
        out.append(a[index[0] - 1])  # ∂z⁽²⁾/∂w_i1⁽²⁾ = a_i⁽¹⁾
    elif name == "b2":
        out.append(1.0)
    else:
        j = index[1] if name == "W1" else index[0]
        out += [W2[j - 1], fp(z[j - 1])]  # ∂z⁽²⁾/∂a_j⁽¹⁾ = w_j1⁽²⁾, ∂a_j⁽¹⁾/∂z_j⁽¹⁾ = f'(z_j⁽¹⁾)
        out.append(x[index[0] - 1] if name == "W1" else 1.0)  # ∂z_j⁽¹⁾/∂w_ij⁽¹⁾ = x_i, ∂z_j⁽¹⁾/∂b_j⁽¹⁾ = 1
    product = 1.0
    for v in out:
        product *= v
    return out, product
