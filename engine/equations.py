"""The notes' equations of each micro-step as data: every view renders these (DESIGN §3).

For each micro-step of §2.9 (F1, F2, B2, B1, U) `micro_step` lists the equations it computes, in the
order the notes work through them. An Equation says which quantity it computes (a Symbol of
engine.notation), its right side as a small expression tree whose leaves are named quantities with
their values, the engine's result, the section of the notes, and, for the notes' own worked example,
the value the notes print where it differs (the erratum belongs to the quantity it is about: the
a⁽¹⁾(1 − a⁽¹⁾) slip of exercise 3 is on f'(z⁽¹⁾), not on δ⁽¹⁾).

One tree gives three things: the symbolic form (leaves as symbols: w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾),
the substitution (leaves as numbers: 0.15·0.05 + 0.25·0.10 + 0.35) and the arithmetic that checks it.

Honest arithmetic, decided here once (`shown`): the substitution is written with the numbers the
panels show; if those numbers, computed as written, do not give the result as written to its last
digit, the inputs get one more digit, then another (up to MAX_EXTRA), until they do; only if that
never happens is the result written with ≈. A student who redoes the arithmetic on screen finds the
app right.

Every value here was computed by engine.network (the Snapshot's records or a trace step); this
module computes nothing it shows, only the check of what it shows.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine import activations
from engine import notation as n
from engine.network import Grads, Params
from engine.notation import Symbol, num, tex_number
from engine.stepper import Phase, Snapshot, computed

# --- the expression tree ---------------------------------------------------------------------


class _Algebra:
    """a + b, a − b, a·b and 1 − a on expressions, so a builder reads like its formula: w·x + b."""

    __slots__ = ()

    def __add__(self, other: Expr) -> Sum:
        return _plus(self, 1, other)  # type: ignore[arg-type]

    def __sub__(self, other: Expr) -> Sum:
        return _plus(self, -1, other)  # type: ignore[arg-type]

    def __rsub__(self, other: float) -> Sum:
        return Sum(((1, Const(float(other))), (-1, self)))  # type: ignore[arg-type]

    def __mul__(self, other: Expr) -> Prod:
        return Prod((self, other))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Ref(_Algebra):
    """A named quantity and its value: a symbol in the symbolic form, a number in the substitution."""

    sym: Symbol
    value: float

    def __post_init__(self):
        object.__setattr__(self, "value", float(self.value))  # a NumPy scalar is written as the float it is


@dataclass(frozen=True)
class Const(_Algebra):
    """A number of the formula itself: the 1 of a(1 − a)."""

    value: float


@dataclass(frozen=True)
class Sum(_Algebra):
    """a + b − c: (sign, term) pairs, the first sign + ."""

    terms: tuple[tuple[int, Expr], ...]


@dataclass(frozen=True)
class Prod(_Algebra):
    """a·b (symbolic: ab). `chain` writes × as the notes do in a chain rule."""

    factors: tuple[Expr, ...]
    chain: bool = False


@dataclass(frozen=True)
class Apply(_Algebra):
    """f(z): the activation `fn` (sigmoid, tanh, relu, step) of its argument."""

    fn: str
    arg: Expr


@dataclass(frozen=True)
class Square(_Algebra):
    arg: Expr


@dataclass(frozen=True)
class Half(_Algebra):
    """½·arg."""

    arg: Expr


@dataclass(frozen=True)
class Positive(_Algebra):
    """[z > 0]: 1 when its argument is positive, else 0 (ReLU's f', the notes' table)."""

    arg: Expr


@dataclass(frozen=True)
class Mean(_Algebra):
    """(1/n)(a + b + …): the mean of n terms, written ¼(g₁ + g₂ + g₃ + g₄) (batch descent, §2.1's 1/m).
    Evaluated as the engine computes it (network.mean_grads): the terms summed in order, then ÷ n."""

    terms: tuple[Expr, ...]


Expr = Ref | Const | Sum | Prod | Apply | Square | Half | Positive | Mean


def _plus(left: Expr, sign: int, right: Expr) -> Sum:
    """left ± right; a sum on the left gains a term: w₁x₁ + w₂x₂ + b is one sum of three."""
    terms = left.terms if isinstance(left, Sum) else ((1, left),)
    return Sum(terms + ((sign, right),))


# 1/n as one glyph where Unicode has one (½ … ⅒), else ¹⁄ₙ: no digit a reader takes for a number substituted
FRACTIONS = {2: "½", 3: "⅓", 4: "¼", 5: "⅕", 6: "⅙", 7: "⅐", 8: "⅛", 9: "⅑", 10: "⅒"}
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def fraction(n: int) -> str:
    """1/n as the mean's factor is written: ¼, ⅒, ¹⁄₁₂ (1 itself: empty)."""
    return "" if n == 1 else FRACTIONS.get(n, "¹⁄" + str(n).translate(_SUBS))


def evaluate(e: Expr, leaf: Callable[[Ref], float]) -> float:
    """The expression's value with each Ref's value given by `leaf` (its exact value, or as shown)."""
    match e:
        case Ref():
            return leaf(e)
        case Const(value):
            return value
        case Sum(terms):
            return sum(sign * evaluate(t, leaf) for sign, t in terms)
        case Prod(factors):
            return math.prod(evaluate(f, leaf) for f in factors)
        case Apply(fn, arg):
            with np.errstate(all="ignore"):
                return float(activations.get(fn).f(np.float64(evaluate(arg, leaf))))
        case Square(arg):
            v = evaluate(arg, leaf)
            return v * v
        case Half(arg):
            return 0.5 * evaluate(arg, leaf)
        case Positive(arg):
            return 1.0 if evaluate(arg, leaf) > 0 else 0.0
        case Mean(terms):
            total = evaluate(terms[0], leaf)
            for t in terms[1:]:
                total = total + evaluate(t, leaf)
            return total / len(terms)
    raise TypeError(e)


def refs(e: Expr) -> list[Ref]:
    """The named quantities the expression uses, in the order written."""
    match e:
        case Ref():
            return [e]
        case Const():
            return []
        case Sum(terms):
            return [r for _, t in terms for r in refs(t)]
        case Prod(factors) | Mean(factors):
            return [r for f in factors for r in refs(f)]
    return refs(e.arg)


# --- equations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """One equation of a micro-step: `quantity` = `expr` = `value`.

    `update` equations are θ ← θ − η ∂L/∂θ (quantity: the parameter, value: its new value).
    `role`: "main" (every view shows it), "detail" (a view short of room may leave it out) or
    "chain" (§2.6's chain rule for one gradient, a second way to the same value).
    `printed` is what the notes print for this quantity where it differs from the exact value (the
    notes' worked example only), `where` the place they print it. `notation`, on the first equation of
    F1 and of B1 (any model): the matrix product behind it as written here, as the notes write it, and
    where (NOTES_NOTATION)."""

    quantity: Symbol
    expr: Expr
    value: float
    section: str
    update: bool = False
    role: str = "main"
    printed: float | None = None
    where: str = ""
    notation: tuple[str, str, str] | None = None

    @property
    def copy(self) -> bool:
        """∂L/∂b⁽²⁾ = δ⁽²⁾: the right side is one quantity, nothing to substitute."""
        return isinstance(self.expr, Ref)

    @property
    def askable(self) -> bool:
        """A quiz question: a computation, not a copy or a second route to a value already asked."""
        return not self.copy and self.role != "chain"


# The notes' worked example (their exercises 2 and 3 solve it by hand), and what they print where
# it differs from the exact value (DESIGN §2).
NOTES_X = (0.05, 0.10)
NOTES_Y = 0.01
NOTES_PARAMS = Params(W1=[[0.15, 0.20], [0.25, 0.30]], b1=[0.35, 0.35], W2=[[0.40], [0.45]], b2=[0.60])


def is_notes_example(params: Params, X, Y, hidden: str, output: str) -> bool:
    """The notes' worked example from its own starting point: their one sample and weights, sigmoid
    throughout. Only there do the values the notes print by hand apply (the equations' remarks,
    gradcheck's walk-through)."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    Y = np.asarray(Y, dtype=np.float64).reshape(-1)
    return (
        hidden == output == "sigmoid"
        and params == NOTES_PARAMS
        and X.shape == (1, 2)
        and Y.shape == (1,)
        and tuple(float(v) for v in X[0]) == NOTES_X
        and float(Y[0]) == NOTES_Y
    )


NOTES_PRINT: dict[Symbol, tuple[float, str]] = {
    n.a(1, 1): (0.5946, "2"),
    n.a(2, 1): (0.5969, "2"),
    n.z(1, 2): (1.1059, "2"),
    n.fprime(n.z(1, 1)): (0.2410, "3"),
    n.fprime(n.z(2, 1)): (0.2405, "3"),
}

# The notes' own layout of the two matrix products (DESIGN §1): §2.9 writes z⁽¹⁾ = W⁽¹⁾x and, with
# exercise 3, (W⁽²⁾)ᵀδ⁽²⁾; with the matrices as the notes print them (rows = inputs) these are W⁽¹⁾ᵀx
# and W⁽²⁾δ⁽²⁾, as written here. Said once, on the first equation of F1 and of B1, the way a slip
# is: (as written here, as the notes write it, where).
NOTES_NOTATION: dict[Phase, tuple[str, str, str]] = {
    Phase.F1: ("W⁽¹⁾ᵀx", "W⁽¹⁾x", "§2.9"),
    Phase.B1: ("W⁽²⁾δ⁽²⁾", "(W⁽²⁾)ᵀδ⁽²⁾", "§2.9, ex. 3"),
}


@dataclass(frozen=True)
class Sample:
    """What the equations of one sample read: the sample, the model's activations and η, the
    parameters before and after the update, and the values of each phase (None until computed)."""

    x: np.ndarray
    y: float
    hidden: str
    output: str
    lr: float
    params: Params  # before the update
    z1: np.ndarray | None = None
    a1: np.ndarray | None = None
    z2: np.ndarray | None = None
    yhat: np.ndarray | None = None
    loss: float | None = None
    fprime2: np.ndarray | None = None
    delta2: np.ndarray | None = None
    dW2: np.ndarray | None = None
    db2: np.ndarray | None = None
    da1: np.ndarray | None = None
    fprime1: np.ndarray | None = None
    delta1: np.ndarray | None = None
    dW1: np.ndarray | None = None
    db1: np.ndarray | None = None
    params_after: Params | None = None
    # batch descent: the batch's (sample index from 0, ∂Lᵢ/∂θ) and their mean, the ∂L/∂θ of the update
    batch: tuple[tuple[int, Grads], ...] | None = None
    mean: Grads | None = None


def sample_of(s: Snapshot) -> Sample:
    """The Sample of a stepper Snapshot: what its phase has computed so far."""
    f1, f2, b2, b1 = s.forward1, s.forward2, s.backward2, s.backward1
    return Sample(
        x=s.x,
        y=s.y,
        hidden=s.hidden,
        output=s.output,
        lr=s.lr if s.update is None else s.update.lr,
        params=s.params_start,
        z1=None if f1 is None else f1.z1,
        a1=None if f1 is None else f1.a1,
        z2=None if f2 is None else f2.z2,
        yhat=None if f2 is None else f2.yhat,
        loss=None if f2 is None else f2.loss,
        fprime2=None if b2 is None else b2.fprime2,
        delta2=None if b2 is None else b2.delta2,
        dW2=None if b2 is None else b2.dW2,
        db2=None if b2 is None else b2.db2,
        da1=None if b1 is None else b1.da1,
        fprime1=None if b1 is None else b1.fprime1,
        delta1=None if b1 is None else b1.delta1,
        dW1=None if b1 is None else b1.dW1,
        db1=None if b1 is None else b1.db1,
        params_after=s.params if s.phase is Phase.U else None,
        **batch_of(s.update),
    )


def batch_of(u) -> dict:
    """Sample's batch fields from an Update record (stepper.Update): empty for a per-sample update."""
    b = None if u is None else u.batch
    return {} if b is None else {"batch": tuple(zip(b.samples, b.grads)), "mean": b.mean}


def _f(name: str, arg: Expr) -> Expr:
    """f(z) for the activation `name` (linear: z itself)."""
    return arg if name == "linear" else Apply(name, arg)


def _fprime(name: str, z: Ref, a: Ref) -> Expr:
    """f'(z) the way the notes write it: a(1 − a) for the sigmoid (§1.6), 1 − a² for tanh,
    [z > 0] for ReLU (0 at the kink z = 0, the notes' table), 0 for the step (exercise 6(b): its
    slope is 0 wherever it exists; at z = 0, where it jumps, f'(0) does not exist and is taken as 0),
    1 for the identity."""
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - Square(a)
    if name == "relu":
        return Positive(z)
    if name == "step":
        return Const(0.0)
    return Const(1.0)


def slope(name: str, z: Ref, a: Ref) -> Expr:
    """f'(z) as the notes write it (`_fprime`): also the factor ∂a/∂z of the chain view (engine/chain.py)."""
    return _fprime(name, z, a)


def forward_hidden(s: Sample) -> list[Equation]:
    """F1 (§2.3): z_j⁽¹⁾ = w_1j⁽¹⁾x₁ + w_2j⁽¹⁾x₂ + b_j⁽¹⁾, a_j⁽¹⁾ = f(z_j⁽¹⁾)."""
    z1, a1 = computed(s.z1, Phase.F1), computed(s.a1, Phase.F1)
    p = s.params
    x1, x2 = (Ref(n.x(i), s.x[i - 1]) for i in (1, 2))
    out = []
    for j in (1, 2):
        w1j, w2j = (Ref(n.weight(i, j, 1), p.W1[i - 1, j - 1]) for i in (1, 2))
        bj = Ref(n.bias(j, 1), p.b1[j - 1])
        out.append(Equation(n.z(j, 1), w1j * x1 + w2j * x2 + bj, float(z1[j - 1]), "2.3"))
    for j in (1, 2):
        out.append(Equation(n.a(j, 1), _f(s.hidden, Ref(n.z(j, 1), z1[j - 1])), float(a1[j - 1]), "2.3"))
    return out


def forward_output(s: Sample) -> list[Equation]:
    """F2 (§2.3, §2.1): z⁽²⁾ = w₁₁⁽²⁾a₁⁽¹⁾ + w₂₁⁽²⁾a₂⁽¹⁾ + b⁽²⁾, ŷ = f(z⁽²⁾), Lᵢ = ½(ŷ − y)²."""
    a1, z2, yhat = computed(s.a1, Phase.F1), computed(s.z2, Phase.F2), computed(s.yhat, Phase.F2)
    p = s.params
    w11, w21 = (Ref(n.weight(i, 1, 2), p.W2[i - 1, 0]) for i in (1, 2))
    a1_1, a1_2 = (Ref(n.a(i, 1), a1[i - 1]) for i in (1, 2))
    b = Ref(n.bias(1, 2), p.b2[0])
    y, yhat_ = Ref(n.Y, s.y), Ref(n.YHAT, yhat[0])
    return [
        Equation(n.z(1, 2), w11 * a1_1 + w21 * a1_2 + b, float(z2[0]), "2.3"),
        Equation(n.YHAT, _f(s.output, Ref(n.z(1, 2), z2[0])), float(yhat[0]), "2.3"),
        Equation(n.LOSS, Half(Square(yhat_ - y)), float(computed(s.loss, Phase.F2)), "2.1"),
    ]


def backward_output(s: Sample) -> list[Equation]:
    """B2 (§2.5): f'(z⁽²⁾), δ⁽²⁾ = (ŷ − y)·f'(z⁽²⁾), ∂L/∂w_i1⁽²⁾ = a_i⁽¹⁾δ⁽²⁾, ∂L/∂b⁽²⁾ = δ⁽²⁾."""
    a1, z2, yhat = computed(s.a1, Phase.F1), computed(s.z2, Phase.F2), computed(s.yhat, Phase.F2)
    fp2, d2, dW2, db2 = (computed(v, Phase.B2) for v in (s.fprime2, s.delta2, s.dW2, s.db2))
    z2r, yr, y = Ref(n.z(1, 2), z2[0]), Ref(n.YHAT, yhat[0]), Ref(n.Y, s.y)
    fp = n.fprime(n.z(1, 2))
    d = Ref(n.delta(1, 2), d2[0])
    out = [
        Equation(fp, _fprime(s.output, z2r, yr), float(fp2[0]), "2.5", role="detail"),
        Equation(n.delta(1, 2), (yr - y) * Ref(fp, fp2[0]), float(d2[0]), "2.5"),
    ]
    for i in (1, 2):
        out.append(Equation(n.grad(n.weight(i, 1, 2)), Ref(n.a(i, 1), a1[i - 1]) * d, float(dW2[i - 1, 0]), "2.5"))
    out.append(Equation(n.grad(n.bias(1, 2)), d, float(db2[0]), "2.8", role="detail"))
    return out


def backward_hidden(s: Sample) -> list[Equation]:
    """B1 (§2.6, §2.7): ∂L/∂a_j⁽¹⁾ = w_j1⁽²⁾δ⁽²⁾ (the notes' local error δ_a), f'(z_j⁽¹⁾),
    δ_j⁽¹⁾ = ∂L/∂a_j⁽¹⁾·f'(z_j⁽¹⁾), ∂L/∂w_ij⁽¹⁾ = x_iδ_j⁽¹⁾, ∂L/∂b_j⁽¹⁾ = δ_j⁽¹⁾, and §2.6's chain rule
    for w₂₁⁽¹⁾ written out in full."""
    z1, a1 = computed(s.z1, Phase.F1), computed(s.a1, Phase.F1)
    yhat, fp2, d2 = computed(s.yhat, Phase.F2), computed(s.fprime2, Phase.B2), computed(s.delta2, Phase.B2)
    da1, fp1, d1, dW1, db1 = (computed(v, Phase.B1) for v in (s.da1, s.fprime1, s.delta1, s.dW1, s.db1))
    p = s.params
    d = Ref(n.delta(1, 2), d2[0])
    x = [Ref(n.x(i), s.x[i - 1]) for i in (1, 2)]
    deltas = [Ref(n.delta(j, 1), d1[j - 1]) for j in (1, 2)]
    fprimes = [Ref(n.fprime(n.z(j, 1)), fp1[j - 1]) for j in (1, 2)]
    out = []
    for j in (1, 2):
        out.append(
            Equation(
                n.grad(n.a(j, 1)), Ref(n.weight(j, 1, 2), p.W2[j - 1, 0]) * d, float(da1[j - 1]), "2.6", role="detail"
            )
        )
    for j in (1, 2):
        z, a = Ref(n.z(j, 1), z1[j - 1]), Ref(n.a(j, 1), a1[j - 1])
        out.append(Equation(n.fprime(n.z(j, 1)), _fprime(s.hidden, z, a), float(fp1[j - 1]), "2.6"))
    for j in (1, 2):
        out.append(
            Equation(n.delta(j, 1), Ref(n.grad(n.a(j, 1)), da1[j - 1]) * fprimes[j - 1], float(d1[j - 1]), "2.6")
        )
    for i in (1, 2):
        for j in (1, 2):
            out.append(
                Equation(
                    n.grad(n.weight(i, j, 1)),
                    x[i - 1] * deltas[j - 1],
                    float(dW1[i - 1, j - 1]),
                    "2.7" if (i, j) == (1, 2) else "2.6",
                    role="main" if (i, j) == (2, 1) else "detail",
                )
            )
    for j in (1, 2):
        out.append(Equation(n.grad(n.bias(j, 1)), deltas[j - 1], float(db1[j - 1]), "2.8", role="detail"))
    error = Ref(n.YHAT, yhat[0]) - Ref(n.Y, s.y)
    chain = Prod(
        (x[1], fprimes[0], Ref(n.weight(1, 1, 2), p.W2[0, 0]), Ref(n.fprime(n.z(1, 2)), fp2[0]), error), chain=True
    )
    out.append(Equation(n.grad(n.weight(2, 1, 1)), chain, float(dW1[1, 0]), "2.6", role="chain"))
    return out


def per_sample(sample: int) -> Symbol:
    """gₖ: the gradient ∂Lₖ/∂θ of sample k (from 1) in a batch's mean."""
    return Symbol("g", unit=sample)


MAIN_UPDATES = (("W2", 1, 1), ("W2", 2, 1), ("b2", 1), ("W1", 2, 1))


def update(s: Sample) -> list[Equation]:
    """U (§2.9, step 8): θ ← θ − η ∂L/∂θ for every parameter, W⁽²⁾ and b⁽²⁾ first (the order they
    were computed), then W⁽¹⁾ and b⁽¹⁾. In batch descent each update follows the mean it uses:
    ∂L/∂θ = (1/n)(g₁ + … + gₙ), gₖ = ∂Lₖ/∂θ of sample k of the batch (§2.1: L = (1/n) Σ Lₖ)."""
    after = computed(s.params_after, Phase.U)
    if s.mean is not None:
        grads = {"W1": s.mean.dW1, "b1": s.mean.db1, "W2": s.mean.dW2, "b2": s.mean.db2}
    else:
        grads = {
            "W1": computed(s.dW1, Phase.B1),
            "b1": computed(s.db1, Phase.B1),
            "W2": computed(s.dW2, Phase.B2),
            "b2": computed(s.db2, Phase.B2),
        }
    eta = Ref(n.ETA, s.lr)
    order = [k for k in n.PARAMS if k[1] in ("W2", "b2")] + [k for k in n.PARAMS if k[1] in ("W1", "b1")]
    out = []
    for key, arr, index in order:
        sym = n.param(key)
        expr = Ref(sym, getattr(s.params, arr)[index]) - eta * Ref(n.grad(sym), grads[arr][index])
        main = key in MAIN_UPDATES
        if s.batch is not None:
            terms = tuple(Ref(per_sample(i + 1), float(getattr(g, "d" + arr)[index])) for i, g in s.batch)
            # a batch of one sample (the short last batch): its gradient is the mean, a copy (∂L/∂θ = g₅)
            out.append(
                Equation(
                    n.grad(sym),
                    Mean(terms) if len(terms) > 1 else terms[0],
                    float(grads[arr][index]),
                    "2.1",
                    role="main" if main else "detail",
                )
            )
        out.append(
            Equation(
                sym, expr, float(getattr(after, arr)[index]), "2.9", update=True, role="main" if main else "detail"
            )
        )
    return out


MICRO_STEPS: dict[Phase, Callable[[Sample], list[Equation]]] = {
    Phase.F1: forward_hidden,
    Phase.F2: forward_output,
    Phase.B2: backward_output,
    Phase.B1: backward_hidden,
    Phase.U: update,
}


def micro_step(phase: Phase, s: Sample) -> list[Equation]:
    """The equations the micro-step that reaches `phase` computes (none for READY), with the notes'
    printed values on the quantities they misprint, for their worked example."""
    if phase not in MICRO_STEPS:
        return []
    eqs = MICRO_STEPS[phase](s)
    if phase in NOTES_NOTATION and eqs:
        eqs = [dataclasses.replace(eqs[0], notation=NOTES_NOTATION[phase])] + eqs[1:]
    if not is_notes_example(s.params, s.x, [s.y], s.hidden, s.output):
        return eqs
    out = []
    for e in eqs:
        printed = NOTES_PRINT.get(e.quantity) if not e.update else None
        if printed is not None and num(printed[0]) != num(e.value):
            e = dataclasses.replace(e, printed=printed[0], where=printed[1])
        out.append(e)
    return out


def of_snapshot(s: Snapshot) -> list[Equation]:
    """The equations of the micro-step that made the Snapshot (none when it is READY)."""
    return micro_step(s.phase, sample_of(s)) if s.phase is not Phase.READY else []


def all_steps(s: Sample) -> list[tuple[Phase, list[Equation]]]:
    """Every micro-step of a finished sample, in order (a trace step, a transcript)."""
    return [(phase, micro_step(phase, s)) for phase in MICRO_STEPS]


# --- writing an equation down: the one place that decides how many digits a substitution needs ---

MAX_EXTRA = 3  # at most 3 digits more than the panels show on an input


def _leaf_text(value: float, comma: bool, extra: int) -> str:
    """A number substituted into a formula: the panels' style with `extra` digits more; a value that
    has only two decimals at that precision keeps just those, as the notes substitute (0.15·0.05)."""
    text = num(value, comma, extra=extra)
    mark = "," if comma else "."
    if "e" not in text and mark in text:
        whole, frac = text.split(mark)
        if len(frac) > 2 and frac[2:].strip("0") == "":
            text = f"{whole}{mark}{frac[:2]}"
    return text


def number(text: str) -> float:
    """The value of a number as written by `num` (a decimal comma, the minus sign U+2212)."""
    t = text.replace("−", "-").replace(",", ".")
    if t in ("∞", "-∞"):
        return math.inf if t == "∞" else -math.inf
    return float(t)


def _ulp(text: str) -> float:
    """The unit of the last digit of a number as written: 0.3588 → 1e-4, 6.202e-05 → 1e-8."""
    t = text.replace("−", "-").replace(",", ".")
    mantissa, _, exponent = t.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


ulp = _ulp  # the quiz's hint: how many digits an answer was typed with


def rounds_to(value: float, text: str) -> bool:
    """`value`, written to the precision of `text`, is `text`: it lies strictly within half a unit of
    its last digit (a value exactly half-way could be written either way: not honest)."""
    if not math.isfinite(value):
        return False
    if number(text) == 0.0:  # `num` writes "0" for an exact zero only (anything else, however small, has digits)
        return abs(value) < 1e-15
    return abs(value - number(text)) < 0.5 * _ulp(text) * (1 - 1e-6)


@dataclass(frozen=True)
class Shown:
    """An equation as written: `extra` digits on the inputs, and "=" or "≈" before the result."""

    extra: int
    exact: bool

    @property
    def relation(self) -> str:
        return "=" if self.exact else "≈"


class FalseEquation(AssertionError):
    """An equation whose inputs, at full precision, do not give its result: a record rendered with a
    value it was not computed from (an η set after the update, say). Never written, with = or ≈."""


def _scale(e: Expr) -> float:
    """A bound on the size of what the expression adds up (Σ|term|, Π|factor|): float64 evaluated in
    another order (BLAS, FMA) differs from the engine's result by a few ulps of this, never more.
    An activation passes its argument's error on at most 1:1 (|f'| ≤ 1 for every one of them)."""
    if isinstance(e, Ref):
        return abs(e.value)
    if isinstance(e, Const):
        return abs(e.value)
    if isinstance(e, Sum):
        return sum(_scale(t) for _, t in e.terms)
    if isinstance(e, Prod):
        return math.prod(_scale(f) for f in e.factors)
    if isinstance(e, Apply):
        return _scale(e.arg) + 1.0
    if isinstance(e, Square):
        return 2.0 * _scale(e.arg) ** 2
    if isinstance(e, Half):
        return 0.5 * _scale(e.arg)
    if isinstance(e, Mean):
        return sum(_scale(t) for t in e.terms)
    return 1.0  # Positive: 0 or 1


REL_ROUNDING = 1e-12  # ~4500 ulps of the scale: generous for a dozen operations, far below any digit shown


def _substituted(e: Equation) -> bool:
    """There is arithmetic to check and to write: not a copy (∂L/∂b = δ), and every number finite."""
    return not e.copy and math.isfinite(e.value) and all(math.isfinite(r.value) for r in refs(e.expr))


def check(e: Equation) -> None:
    """The invariant behind every line written: the inputs, at full precision, give the result up to
    rounding (REL_ROUNDING of the expression's scale). Raises FalseEquation otherwise. A [z > 0] whose
    argument is within rounding of 0 may go either way."""
    if not _substituted(e):
        return
    with np.errstate(all="ignore"):
        exact = evaluate(e.expr, lambda r: r.value)
        scale = _scale(e.expr)
    if not math.isfinite(exact) or not math.isfinite(scale):
        return  # the check itself overflows (a product of huge factors): nothing to compare against
    if abs(exact - e.value) <= REL_ROUNDING * max(scale, abs(e.value)) + 1e-300:
        return
    if _near_zero_positive(e.expr):
        return
    raise FalseEquation(f"{e.quantity.text}: the inputs give {exact!r}, the record says {e.value!r}")


def _near_zero_positive(e: Expr) -> bool:
    """A [z > 0] in the tree whose argument is 0 within rounding (ReLU's f' at its kink), or an H(z)
    (the step jumps at 0 the way [z > 0] does)."""
    if isinstance(e, Positive) or (isinstance(e, Apply) and e.fn == "step"):
        with np.errstate(all="ignore"):
            if abs(evaluate(e.arg, lambda r: r.value)) <= REL_ROUNDING * _scale(e.arg):
                return True
        if isinstance(e, Positive):
            return False
    if isinstance(e, (Ref, Const)):
        return False
    if isinstance(e, Mean):
        return any(_near_zero_positive(t) for t in e.terms)
    if isinstance(e, Sum):
        return any(_near_zero_positive(t) for _, t in e.terms)
    if isinstance(e, Prod):
        return any(_near_zero_positive(f) for f in e.factors)
    return _near_zero_positive(e.arg)


def shown(e: Equation) -> Shown:
    """How the equation is written (module docstring): the fewest extra digits on its inputs with
    which the substitution, computed as written, gives the result as written. ≈ is for results the
    written digits cannot reproduce (a saturated sigmoid), never for a mismatch: `check` first."""
    check(e)
    result = num(e.value)
    if not _substituted(e):
        return Shown(0, True)
    for extra in range(MAX_EXTRA + 1):
        if rounds_to(evaluate(e.expr, lambda r: number(_leaf_text(r.value, False, extra))), result):
            return Shown(extra, True)
    return Shown(0, False)


def from_shown(e: Equation, extra: int = 0) -> float:
    """The result computed from the inputs as written with `extra` more digits (0: as the panels show
    them): what a student who redoes the arithmetic gets."""
    return evaluate(e.expr, lambda r: number(_leaf_text(r.value, False, extra)))


# --- renderers: Unicode (screen, CLI text, quiz) and LaTeX (Markdown, LaTeX) ---------------------

F_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "linear": "", "step": "H"}  # H: Heaviside
F_TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "linear": "", "step": "H"}


class _Writer:
    """Writes an expression tree in one of two notations (text or LaTeX), as symbols or as numbers."""

    def __init__(self, tex: bool, numbers: bool, comma: bool = False, extra: int = 0):
        self.tex, self.numbers, self.comma, self.extra = tex, numbers, comma, extra

    def sym(self, s: Symbol) -> str:
        return s.tex if self.tex else s.text

    def value(self, v: float) -> str:
        text = _leaf_text(v, self.comma, self.extra)
        return tex_number(text) if self.tex else text

    def leaf(self, r: Ref) -> str:
        return self.value(r.value) if self.numbers else self.sym(r.sym)

    def negative(self, e: Expr) -> bool:
        """A leaf written as a negative number (it needs parentheses after an operator)."""
        return (
            self.numbers and isinstance(e, Ref) and _leaf_text(e.value, self.comma, self.extra).startswith(("-", "−"))
        )

    def operand(self, e: Expr, first: bool = False) -> str:
        text = self.write(e)
        if isinstance(e, Sum) or (self.negative(e) and not first):
            return f"({text})" if not self.tex else rf"\left({text}\right)"
        return text

    def write(self, e: Expr) -> str:
        match e:
            case Ref():
                return self.leaf(e)
            case Const(value):
                return f"{value:g}"  # the formula's own 1, as the notes write it
            case Sum(terms):
                return self.sum_text(terms)
            case Prod(factors, chain):
                return self.product_text(factors, chain)
            case Apply(fn, arg):
                name = (F_TEX if self.tex else F_TEXT)[fn] if self.numbers else "f"
                return f"{name}({self.write(arg)})"
            case Square(arg):
                return self.square_text(arg)
            case Half(arg):
                return (r"\tfrac{1}{2}" if self.tex else "½") + self.write(arg)
            case Positive(arg):
                return f"[{self.write(arg)} > 0]"
            case Mean(terms):
                inner = " + ".join(self.operand(t, first=k == 0) for k, t in enumerate(terms))
                n = len(terms)
                if self.tex:
                    return rf"\tfrac{{1}}{{{n}}}\left({inner}\right)" if n > 1 else inner
                return f"{fraction(n)}({inner})" if n > 1 else inner
        raise TypeError(e)

    def sum_text(self, terms: tuple[tuple[int, Expr], ...]) -> str:
        parts = []
        for k, (sign, t) in enumerate(terms):
            text = self.operand(t, first=k == 0) if not isinstance(t, Sum) else f"({self.write(t)})"
            if k == 0:
                parts.append(text if sign > 0 else ("-" if self.tex else "−") + text)
            else:
                parts.append((" + " if sign > 0 else (" - " if self.tex else " − ")) + text)
        return "".join(parts)

    def product_text(self, factors: tuple[Expr, ...], chain: bool) -> str:
        if chain:
            sep = r" \times " if self.tex else " × "
        elif self.numbers:
            sep = r" \cdot " if self.tex else "·"
        else:
            sep = r"\," if self.tex else ""
        # a negative number is parenthesised as every factor of a product: (−0.4590)·0.05
        texts = [self.operand(f, first=k == 0 and not self.numbers) for k, f in enumerate(factors)]
        if not self.numbers and not chain:
            # w₁₁⁽¹⁾x₁, a₁⁽¹⁾(1 − a₁⁽¹⁾); a derivative's name is kept apart: (ŷ − y)·f'(z⁽²⁾)
            out = texts[0]
            for f, text in zip(factors[1:], texts[1:]):
                named = isinstance(f, Ref) and f.sym.of is not None
                out += ((r" \cdot " if self.tex else "·") if named else sep) + text
            return out
        return sep.join(texts)

    def square_text(self, arg: Expr) -> str:
        inner = self.write(arg)
        if (
            isinstance(arg, Sum)
            or self.negative(arg)
            or (not self.numbers and isinstance(arg, Ref) and (arg.sym.layer or arg.sym.unit))
            or (self.tex and r"\times" in inner)
        ):  # 4.424 \times 10^{-5}^2 is no LaTeX
            inner = f"({inner})" if not self.tex else rf"\left({inner}\right)"
        return inner + ("^2" if self.tex else "²")


def symbolic(e: Expr) -> str:
    """An expression (or a part of one) in symbols, as the Explain panel writes it: a₁⁽¹⁾·δ⁽²⁾, ½(ŷ − y)²."""
    return _Writer(False, numbers=False).write(e)


@dataclass(frozen=True)
class Written:
    """An equation written out: `lhs` (with ← for an update) = `symbolic` = `substitution` `relation`
    `result`. `symbolic` and `substitution` are empty where they would only repeat what is around them."""

    lhs: str
    symbolic: str
    substitution: str
    relation: str
    result: str

    def line(self, result: str | None = None) -> str:
        """The whole equation on one line."""
        parts = [p for p in (self.lhs, self.symbolic, self.substitution) if p]
        return " = ".join(parts) + f" {self.relation} " + (self.result if result is None else result)


def write(e: Equation, comma: bool = False, tex: bool = False) -> Written:
    """The equation in text (tex=False: z₁⁽¹⁾, ·, −) or LaTeX math (z_1^{(1)}, \\cdot, -)."""
    how = shown(e)
    symbols = _Writer(tex, numbers=False)
    numbers = _Writer(tex, numbers=True, comma=comma, extra=how.extra)
    lhs = symbols.sym(e.quantity)
    symbolic = symbols.write(e.expr)
    if e.update:
        grad = symbols.sym(n.grad(e.quantity))
        if tex:
            lhs = rf"{lhs} \leftarrow {lhs} - \eta\, {grad}"
        else:
            lhs = f"{lhs} ← {lhs} − η {grad}"
        symbolic = ""
    substitution = "" if e.copy else numbers.write(e.expr)
    if substitution == symbolic:  # nothing named to substitute: f'(z⁽²⁾) = 1 for a linear output
        substitution = ""
    result = num(e.value, comma)
    return Written(lhs, symbolic, substitution, how.relation, tex_number(result) if tex else result)


__all__ = [
    "Equation",
    "Mean",
    "Sample",
    "Shown",
    "Written",
    "MICRO_STEPS",
    "NOTES_PRINT",
    "NOTES_NOTATION",
    "all_steps",
    "evaluate",
    "from_shown",
    "is_notes_example",
    "micro_step",
    "number",
    "of_snapshot",
    "refs",
    "rounds_to",
    "sample_of",
    "shown",
    "symbolic",
    "tex_number",
    "write",
]
