"""Exercise 5: the same sample and weights through each hidden activation, side by side.

"Repeat exercise 4 with tanh and ReLU and compare the gradients." For one sample and one set of
parameters, `compare` runs the sample-step of §2.9 (steps 5–8) once per hidden activation (sigmoid,
tanh, ReLU); the output activation is the model's, kept as the notes keep it. Each Column holds the
trace step of engine.export (the very TraceStep `trace` writes: z⁽¹⁾, a⁽¹⁾, f'(z⁽¹⁾), z⁽²⁾, ŷ, Lᵢ,
δ⁽²⁾, δ⁽¹⁾, ∂L/∂θ, the parameters after) and what the update did:

- ŷ and Lᵢ of the same sample before → after the update (Lᵢ = ½(ŷ − y)², §2.1);
- the data-set loss L = (1/m) Σ Lᵢ (DESIGN §6) before → after; with one sample (the lecture) L = Lᵢ.

`histories` trains each activation for N epochs from the same parameters (engine.training, samples
in data order), the loss history L0 … LN of DESIGN §6 for each; N ≤ MAX_EPOCHS.

Every number comes from engine.network (through export.iter_trace) or engine.training; `rows` only
arranges them in the notes' symbols, and `extremes` says which |∂L/∂θ| of a row is largest and smallest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine import activations, export, training
from engine import notation as n
from engine.model import Model
from engine.network import Params, dataset_loss, forward, forward_hidden, sample_loss
from engine.notation import Symbol

HIDDEN = activations.HIDDEN_ACTIVATIONS  # the columns, in the order of the `a` key's cycle
MAX_EPOCHS = 100_000  # the longest history compared: 3 × N × m sample-steps, ~0.3 s per 100 000 of them


@dataclass(frozen=True)
class Column:
    """One hidden activation: the sample-step and the losses before and after its update."""

    step: export.TraceStep
    yhat_after: float  # ŷ of the same sample with the parameters after the update
    loss_after: float  # Lᵢ of the same sample after the update
    dataset_loss: float  # L = (1/m) Σ Lᵢ over the data set, before the update
    dataset_loss_after: float  # L after the update

    @property
    def hidden(self) -> str:
        return self.step.hidden


def column(model: Model, hidden: str, params: Params | None = None, first: int = 0) -> Column:
    """The sample-step `first` (epoch·m + sample, from 0) from `params` with hidden activation `hidden`."""
    m = model.with_(hidden=hidden)
    step = next(export.iter_trace(m, 1, params, first))
    f, g = activations.get(hidden), activations.get(model.output)
    with np.errstate(all="ignore"):  # a diverging step is kept as computed (NaN, inf)
        yhat_after = forward(step.params_after, step.x, f, g)[3]
        before = dataset_loss(step.params, m.X, m.Y, f, g)
        after = dataset_loss(step.params_after, m.X, m.Y, f, g)
        loss_after = sample_loss(yhat_after, step.y)
    return Column(step, float(yhat_after[0]), loss_after, before, after)


def compare(
    model: Model, params: Params | None = None, first: int = 0, hidden: Sequence[str] = HIDDEN
) -> tuple[Column, ...]:
    """One Column per hidden activation, all from the same parameters and sample."""
    return tuple(column(model, h, params, first) for h in hidden)


def histories(
    model: Model,
    epochs: int,
    params: Params | None = None,
    hidden: Sequence[str] = HIDDEN,
    go_on: Callable[[], bool] | None = None,
) -> tuple[training.TrainResult, ...] | None:
    """N epochs of each hidden activation from the same `params` (default: the model's): losses L0 … LN
    (shorter when a run diverged: diverged_at says where). `go_on`, asked between pieces of ~0.1 s,
    stops the work when it says False (then None)."""
    if not 0 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be from 0 to {MAX_EPOCHS}, got {epochs}")
    out = []
    for h in hidden:
        losses, last = [], None
        for piece in training.train_chunks(model.with_(hidden=h), epochs, params):
            if go_on is not None and not go_on():
                return None
            losses.append(piece.losses)
            last = piece
        assert last is not None  # train_chunks yields at least the piece holding L0
        out.append(training.TrainResult(np.concatenate(losses), last.params, last.diverged_at))
    return tuple(out)


# --- the table: one row per quantity, one value per column -------------------------------------


@dataclass(frozen=True)
class Row:
    """A quantity of the table: its section, its symbol, one value per column (and for the rows of
    the update's effect, the value after it); `key` names a gradient's parameter ("W1", 1, 1)."""

    section: str  # forward, backward, gradients, after
    symbol: Symbol
    values: tuple[float, ...]
    after: tuple[float, ...] | None = None
    key: tuple | None = None


DATASET_LOSS = Symbol("L")  # L = (1/m) Σ Lᵢ, the data-set loss of DESIGN §6


def _grad(col: Column, array: str, index: tuple[int, ...]) -> float:
    g = col.step.values.grads
    return float({"W1": g.dW1, "b1": g.db1, "W2": g.dW2, "b2": g.db2}[array][index])


def rows(columns: Sequence[Column]) -> list[Row]:
    """The comparison in the notes' order: forward pass, δ, gradients (W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾), then
    ŷ, Lᵢ and L before → after the update."""
    v = [c.step.values for c in columns]

    def each(values: Sequence[float]) -> tuple[float, ...]:
        return tuple(float(x) for x in values)

    out = [Row("forward", n.z(j, 1), each([p.z1[j - 1] for p in v])) for j in (1, 2)]
    out += [Row("forward", n.a(j, 1), each([p.a1[j - 1] for p in v])) for j in (1, 2)]
    out += [Row("forward", n.fprime(n.z(j, 1)), each([p.fprime1[j - 1] for p in v])) for j in (1, 2)]
    out.append(Row("forward", n.z(1, 2), each([p.z2[0] for p in v])))
    out.append(Row("backward", n.delta(1, 2), each([p.delta2[0] for p in v])))
    out += [Row("backward", n.delta(j, 1), each([p.delta1[j - 1] for p in v])) for j in (1, 2)]
    out += [
        Row("gradients", n.grad(n.param(key)), each([_grad(c, array, index) for c in columns]), key=key)
        for key, array, index in n.PARAMS
    ]
    out.append(Row("after", n.YHAT, each([p.yhat[0] for p in v]), each([c.yhat_after for c in columns])))
    out.append(Row("after", n.LOSS, each([p.loss for p in v]), each([c.loss_after for c in columns])))
    out.append(
        Row(
            "after",
            DATASET_LOSS,
            each([c.dataset_loss for c in columns]),
            each([c.dataset_loss_after for c in columns]),
        )
    )
    return out


def extremes(values: Sequence[float]) -> tuple[frozenset[int], frozenset[int]]:
    """The columns of the largest and of the smallest |value| of a row (ties: all of them); none when
    every value is equal in size or one is not finite (nothing to compare)."""
    size = [abs(float(v)) for v in values]
    if len(size) < 2 or not all(math.isfinite(v) for v in size) or max(size) == min(size):
        return frozenset(), frozenset()
    return (
        frozenset(k for k, v in enumerate(size) if v == max(size)),
        frozenset(k for k, v in enumerate(size) if v == min(size)),
    )


# --- what the numbers say (issue 19): the larger gradient, the faster fall, the stalls ----------

STALL_SHARE = 0.10  # the last 10 % of the epochs compared …
STALL_CHANGE = 1e-3  # … in which L changed by less than 0.1 % of itself …
STALL_ABOVE = 0.10  # … while L is still above 10 % of L0: a stalled run
MIN_STALL_EPOCHS = 10  # fewer epochs say nothing about a stall
SATURATED = 1e-2  # a σ or tanh unit whose f'(z) is below this on every sample has saturated (σ' ≤ 0.25, tanh' ≤ 1)


@dataclass(frozen=True)
class Reading:
    """The facts a sentence about exercise 5 may state, each computed from the columns and runs.

    hidden_grad  ‖δ⁽¹⁾‖ = ‖∂L/∂b⁽¹⁾‖ of this sample per column (∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ is 0 when x = 0, δ⁽¹⁾ is not);
    largest      the columns of the largest ‖δ⁽¹⁾‖ (ties: all; none when all equal or one is not finite);
    epochs       N of the runs (0: no runs);
    falls        (L0 − LN)/L0 per run, None when the run diverged or L0 is not a positive number;
    fastest      the columns of the largest fall (none without runs);
    stalled      runs (not diverged, N ≥ MIN_STALL_EPOCHS) whose L changed by less than STALL_CHANGE of
                 itself over the last STALL_SHARE of the epochs while LN > STALL_ABOVE · L0;
    dead         ReLU runs that end with hidden units whose f'(z) = 0 on every sample (they learn no more),
                 as (column, how many units);
    saturated    σ/tanh runs that end with a hidden unit whose f'(z) < SATURATED on every sample."""

    hidden_grad: tuple[float, ...]
    largest: tuple[int, ...]
    epochs: int = 0
    falls: tuple[float | None, ...] = ()
    fastest: tuple[int, ...] = ()
    stalled: tuple[int, ...] = ()
    dead: tuple[tuple[int, int], ...] = ()
    saturated: tuple[int, ...] = ()

    @property
    def agree(self) -> bool | None:
        """Whether an activation with the largest gradient also fell fastest (None: nothing to compare)."""
        if not self.largest or not self.fastest:
            return None
        return bool(set(self.largest) & set(self.fastest))


def stalled(losses: Sequence[float] | np.ndarray, diverged_at: int | None) -> bool:
    """The stall of Reading: over the last STALL_SHARE of N epochs L changed by less than STALL_CHANGE
    of itself, and L_N is still above STALL_ABOVE · L0."""
    n = len(losses) - 1
    if diverged_at is not None or n < MIN_STALL_EPOCHS:
        return False
    first, before, last = float(losses[0]), float(losses[n - max(1, round(n * STALL_SHARE))]), float(losses[n])
    if not all(math.isfinite(v) for v in (first, before, last)) or before <= 0.0:
        return False
    return abs(before - last) < STALL_CHANGE * before and last > STALL_ABOVE * first


def _largest_fprime(params: Params, X: np.ndarray, hidden: str) -> list[float]:
    """Each hidden unit's largest f'(z⁽¹⁾) over the samples."""
    f = activations.get(hidden)
    with np.errstate(all="ignore"):
        fp = [f.d(forward_hidden(params, np.asarray(x, dtype=np.float64), f)[0]) for x in X]
    return [max(float(abs(v[j])) for v in fp) for j in range(len(fp[0]))]


def reading(
    columns: Sequence[Column], runs: Sequence[training.TrainResult] | None = None, X: np.ndarray | None = None
) -> Reading:
    """The Reading of these columns (and runs; with X, the end states of the runs)."""
    grads = tuple(math.hypot(*(float(v) for v in c.step.values.delta1)) for c in columns)
    largest = tuple(sorted(extremes(grads)[0]))
    if not runs:
        return Reading(grads, largest)
    falls: list[float | None] = []
    for r in runs:
        l0, ln = float(r.losses[0]), float(r.losses[-1])
        ok = r.diverged_at is None and math.isfinite(l0) and math.isfinite(ln) and l0 > 0.0
        falls.append((l0 - ln) / l0 if ok else None)
    known = [f for f in falls if f is not None]
    fastest = tuple(
        k
        for k, f in enumerate(falls)
        if f is not None and len(known) > 1 and f == max(known) and max(known) != min(known)
    )
    stall = tuple(k for k, r in enumerate(runs) if stalled(r.losses, r.diverged_at))
    dead, sat = [], []
    if X is not None and len(X):
        for k, (c, r) in enumerate(zip(columns, runs)):
            if r.diverged_at is not None:
                continue
            top = _largest_fprime(r.params, X, c.hidden)
            if c.hidden == "relu" and any(v == 0.0 for v in top):
                dead.append((k, sum(v == 0.0 for v in top)))
            elif c.hidden in ("sigmoid", "tanh") and any(v < SATURATED for v in top):
                sat.append(k)
    return Reading(grads, largest, len(runs[0].losses) - 1, tuple(falls), fastest, stall, tuple(dead), tuple(sat))


def reading_record(r: Reading, columns: Sequence[Column]) -> dict:
    """The Reading as JSON fields, activations by name."""
    names = [c.hidden for c in columns]
    return export.plain(
        {
            "hidden_gradient": "norm of delta1 (= dL/db1) of this sample",
            "hidden_gradient_norms": dict(zip(names, r.hidden_grad)),
            "largest_hidden_gradient": [names[k] for k in r.largest],
            "epochs": r.epochs,
            "loss_fall": dict(zip(names, r.falls)) if r.falls else None,
            "fastest_fall": [names[k] for k in r.fastest],
            "stalled": [names[k] for k in r.stalled],
            "stall_rule": {
                "last_share_of_epochs": STALL_SHARE,
                "relative_change_below": STALL_CHANGE,
                "loss_above_share_of_start": STALL_ABOVE,
                "min_epochs": MIN_STALL_EPOCHS,
            },
            "dead_relu_units_at_end": {names[k]: count for k, count in r.dead},
            "saturated_units_at_end": [names[k] for k in r.saturated],
            "gradient_and_fall_agree": r.agree,
        }
    )


# --- JSON (`compare --format json`) ------------------------------------------------------------


def record(col: Column, history: training.TrainResult | None = None) -> dict:
    """{"activation", the fields of a trace STEP (DESIGN §6), "yhat_after", "loss_after" (Lᵢ of the same
    sample after the update), "dataset_loss", "dataset_loss_after" (L), and with a history
    "loss_history" [L0 … LN] and "diverged_at" (an epoch from 1, or null)}."""
    out = {"activation": col.hidden, **export.step_record(col.step)}
    out.update(
        export.plain(
            {
                "yhat_after": col.yhat_after,
                "loss_after": col.loss_after,
                "dataset_loss": col.dataset_loss,
                "dataset_loss_after": col.dataset_loss_after,
            }
        )
    )
    if history is not None:
        out["loss_history"] = export.plain(history.losses)
        out["diverged_at"] = history.diverged_at
    return out


def compare_json(
    columns: Sequence[Column], runs: Sequence[training.TrainResult] | None = None, X: np.ndarray | None = None
) -> str:
    """{"activations": [one record per column], "reading": the facts of `reading`} at full precision;
    non-finite values as null."""
    records = [record(c, None if runs is None else runs[k]) for k, c in enumerate(columns)]
    return export.dumps(
        {"activations": records, "reading": reading_record(reading(columns, runs, X), columns)}, indent=2
    )


__all__ = [
    "HIDDEN",
    "MAX_EPOCHS",
    "Column",
    "column",
    "compare",
    "histories",
    "Row",
    "rows",
    "extremes",
    "record",
    "compare_json",
    "DATASET_LOSS",
    "Reading",
    "reading",
    "reading_record",
    "stalled",
    "STALL_SHARE",
    "STALL_CHANGE",
    "STALL_ABOVE",
    "MIN_STALL_EPOCHS",
    "SATURATED",
]
