"""The micro-step state machine of §2.9 over a data set, with history (DESIGN §4).

    READY → F1 (z⁽¹⁾, a⁽¹⁾) → F2 (z⁽²⁾, ŷ, L_i) → B2 (δ⁽²⁾, ∂L/∂W⁽²⁾, ∂L/∂b⁽²⁾)
          → B1 (δ⁽¹⁾, ∂L/∂W⁽¹⁾, ∂L/∂b⁽¹⁾) → U (W ← W − η∂L/∂W) → F1 of the next sample …

Every step makes a new frozen Snapshot; the Stepper only moves a cursor over the list of them,
so undo is "take the previous snapshot" and redo "take the next one". A step that does not fit
the phase raises `Refused` and changes nothing. What each phase computes is one record of the
Snapshot (HiddenForward at F1, OutputForward at F2, OutputDeltas at B2, HiddenDeltas at B1,
Update at U), present from that phase to the end of the sample.

The loss history belongs to one model (engine/history.py): any change of the model (the hidden or
output activation, the weights, the data, a model loaded, reset) starts a new history whose L₀ is
the new model's data-set loss, at epoch 0, sample 0, READY (Stepper.set_hidden, edit_model,
load_model, reset). A change of η alone keeps it and is recorded in it (Stepper.set_lr).

Batch mode (issue 19, §2.1's L = (1/m) Σ Lᵢ): Snapshot.batch is None for per-sample descent, "full" or
N for (mini-)batch descent, the batches cut from the start of each epoch in data order
(training.batches; the last one shorter when N ∤ m). Each sample of a batch goes through F1 F2 B2 B1
with the parameters the batch started from; after B1 of a sample that is not the batch's last, the
next micro-step is F1 of the next sample (its gradient is kept in Snapshot.collected); after B1 of
the last one, U updates with the mean of the batch's per-sample gradients, and its Update record holds
the batch (which samples, each sample's gradient, the mean, the η used). A change of mode
(Stepper.set_batch) takes effect at once at an epoch boundary, otherwise at the next one
(Snapshot.batch_next): the batches of an epoch are all of one size.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from engine import activations
from engine.history import HistoryStart, LossHistory
from engine.model import Model
from engine.network import (
    Grads,
    Params,
    backward_hidden,
    backward_output,
    batch_step,
    dataset_loss,
    forward_hidden,
    forward_output,
    mean_grads,
    sample_loss,
    sample_step,
    update,
)
from engine.training import batch_of, batch_size
from engine.training import diverged as loss_diverged


class Phase(enum.Enum):
    READY = "ready"
    F1 = "F1"  # forward, hidden layer
    F2 = "F2"  # forward, output layer and loss
    B2 = "B2"  # backward, output δ and its gradients
    B1 = "B1"  # backward, hidden δ and its gradients
    U = "U"  # parameters updated


R = TypeVar("R")  # a phase's record

# The 1-2-5 ladder the + and − keys walk for η.
LR_LADDER = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class Refused(Exception):
    """A step that does not fit the phase. `code` names why, `expected` the action to take instead."""

    def __init__(self, code: str, expected: str | None):
        super().__init__(f"{code} (next: {expected})")
        self.code = code
        self.expected = expected


def _ro(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


# --- what each phase computes (read-only arrays; compared by value in Snapshot.same_state) -------


@dataclass(frozen=True, eq=False)
class HiddenForward:
    """F1 (§2.3): z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾, a⁽¹⁾ = f(z⁽¹⁾)."""

    z1: np.ndarray
    a1: np.ndarray


@dataclass(frozen=True, eq=False)
class OutputForward:
    """F2 (§2.3, §2.1): z⁽²⁾ = W⁽²⁾ᵀa⁽¹⁾ + b⁽²⁾, ŷ = f(z⁽²⁾), L_i = ½(ŷ − y)²."""

    z2: np.ndarray
    yhat: np.ndarray
    loss: float  # L_i of the current sample


@dataclass(frozen=True, eq=False)
class OutputDeltas:
    """B2 (§2.5): f'(z⁽²⁾), δ⁽²⁾ = (ŷ − y)f'(z⁽²⁾), ∂L/∂W⁽²⁾ = a⁽¹⁾δ⁽²⁾ᵀ, ∂L/∂b⁽²⁾ = δ⁽²⁾."""

    fprime2: np.ndarray
    delta2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray


@dataclass(frozen=True, eq=False)
class HiddenDeltas:
    """B1 (§2.6): W⁽²⁾δ⁽²⁾ (= ∂L/∂a⁽¹⁾, §2.6's δ_a), f'(z⁽¹⁾), δ⁽¹⁾, ∂L/∂W⁽¹⁾ = xδ⁽¹⁾ᵀ, ∂L/∂b⁽¹⁾ = δ⁽¹⁾."""

    da1: np.ndarray
    fprime1: np.ndarray
    delta1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray


@dataclass(frozen=True, eq=False)
class BatchUpdate:
    """What a batch update averaged: the samples of the batch (0-based, in the order computed), each
    sample's gradient ∂Lᵢ/∂θ, and their mean (1/n)Σ ∂Lᵢ/∂θ, the ∂L/∂θ the update used."""

    samples: tuple[int, ...]
    grads: tuple[Grads, ...]
    mean: Grads


@dataclass(frozen=True, eq=False)
class Update:
    """U (§2.9 step 8): the change −η ∂L/∂θ applied to each parameter, and the same sample through the
    updated network (exercise 4(d): did the loss go down?)."""

    lr: float  # the η this update used (η may change afterwards: the record keeps what was computed)
    change: Grads
    yhat_after: float  # ŷ of this sample with the updated parameters
    loss_after: float  # its Lᵢ = ½(ŷ − y)²
    batch: BatchUpdate | None = None  # batch mode: the batch this update averaged over

    @property
    def grads(self) -> Grads | None:
        """The ∂L/∂θ of a batch update (the mean); None for a per-sample one (the sample's own)."""
        return None if self.batch is None else self.batch.mean


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Everything the screen shows at one moment.

    The records of the current sample are None until its phase computes them: `forward1` from F1
    on, `forward2` from F2, `backward2` from B2, `backward1` from B1, `update` at U."""

    name: str
    X: np.ndarray
    Y: np.ndarray
    hidden: str
    output: str
    lr: float
    params: Params  # the parameters now (after U: the updated ones)
    params_start: Params  # the parameters this sample started from
    epoch: int  # epochs completed before the current one
    sample: int  # index of the current sample in the data set
    phase: Phase
    loss_history: LossHistory  # L0, L1, … Lk: data-set loss at the end of each epoch (DESIGN §6)
    # The model this loss history started from: what r goes back to (its parameters, data and seed).
    # It belongs to the Snapshot, so undo and redo carry it: after z, r never brings back an undone
    # edit or file.
    model: Model
    action: str = "start"  # what made this snapshot: start, forward, backward, update, reset, …
    forward1: HiddenForward | None = None
    forward2: OutputForward | None = None
    backward2: OutputDeltas | None = None
    backward1: HiddenDeltas | None = None
    update: Update | None = None
    diverged_at: int | None = None  # first epoch whose data-set loss was not finite
    # batch mode (module docstring): None per-sample, "full" or N; the mode asked for the next epoch
    # (a 1-tuple, so that per-sample can be asked for), and the (sample, ∂Lᵢ/∂θ) of the samples of the
    # current batch done before this one
    batch: int | str | None = None
    batch_next: tuple[int | str | None] | None = None
    collected: tuple[tuple[int, Grads], ...] = ()
    # the parameters this loss history started from (its L₀'s): the Loss chart's other-mode curve starts there
    history_params: Params | None = None

    @property
    def next_batch(self) -> int | str | None:
        """The mode of the next epoch: the one asked for, else the one in force."""
        return self.batch if self.batch_next is None else self.batch_next[0]

    @property
    def batch_size(self) -> int:
        """The samples per update in the mode in force (1 per-sample)."""
        return batch_size(self.batch, self.m)

    @property
    def batch_range(self) -> range:
        """The samples of the current batch (per-sample: the current sample alone)."""
        return batch_of(self.sample, self.m, self.batch_size)

    @property
    def mid_batch(self) -> bool:
        """B1 of a sample that is not its batch's last: the next micro-step is the next sample's F1."""
        return self.phase is Phase.B1 and self.sample != self.batch_range[-1]

    @property
    def m(self) -> int:
        return int(self.X.shape[0])

    @property
    def x(self) -> np.ndarray:
        return self.X[self.sample]

    @property
    def y(self) -> float:
        return float(self.Y[self.sample])

    @property
    def grads(self) -> Grads | None:
        """∂L_i/∂θ of the current sample, once the backward pass is complete (B1, U)."""
        if self.backward2 is None or self.backward1 is None:
            return None
        b2, b1 = self.backward2, self.backward1
        return Grads(dW1=b1.dW1, db1=b1.db1, dW2=b2.dW2, db2=b2.db2)

    @property
    def losses(self) -> np.ndarray:
        """L0 … Lk as a read-only array (a view of the shared history: no copy)."""
        return self.loss_history.values

    @property
    def loss_now(self) -> float:
        return self.loss_history.last

    def same_state(self, other: Snapshot) -> bool:
        """Equal in every field, arrays compared by value (for tests and undo checks)."""
        return _same(self, other)


def _same(a: object, b: object) -> bool:
    """Equal by value: arrays (NaN equal to NaN), loss histories, and dataclasses field by field."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b, equal_nan=True))
        )
    if isinstance(a, LossHistory) and isinstance(b, LossHistory):
        return a.same(b)
    if isinstance(a, tuple) and isinstance(b, tuple):  # a batch's collected (sample, gradient) pairs
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _cleared(s: Snapshot, **changes: Any) -> Snapshot:
    """`s` with no record of a sample computed, and `changes`."""
    return replace(s, forward1=None, forward2=None, backward2=None, backward1=None, update=None, **changes)


def initial_snapshot(model: Model, start: HistoryStart = HistoryStart()) -> Snapshot:
    """`model` at epoch 0, sample 0, READY, with a loss history of its own: L₀, its data-set loss."""
    f, g = activations.get(model.hidden), activations.get(model.output)
    with np.errstate(all="ignore"):
        l0 = dataset_loss(model.params, model.X, model.Y, f, g)
    return Snapshot(
        name=model.name,
        X=model.X,
        Y=model.Y,
        hidden=model.hidden,
        output=model.output,
        lr=model.lr,
        params=model.params,
        params_start=model.params,
        epoch=0,
        sample=0,
        phase=Phase.READY,
        loss_history=LossHistory.of([l0], start),
        diverged_at=0 if loss_diverged(l0) else None,
        model=model,
        history_params=model.params,
    )


def params_now(s: Snapshot) -> Params:
    """The parameters the next forward pass uses: the updated ones at U, else those the sample started
    from (the values computed from them are void once the model changes)."""
    return s.params if s.phase is Phase.U else s.params_start


def model_change(s: Snapshot, model: Model) -> HistoryStart | None:
    """What `model` changes in the model `s` shows (its parameters now, data, activations): None when
    nothing but η (or nothing at all) differs, else the HistoryStart of the history it starts."""
    p = params_now(s)
    changed = []
    if not (np.array_equal(model.X, s.X) and np.array_equal(model.Y, s.Y)):
        changed.append(HistoryStart("data"))
    if not all(np.array_equal(getattr(model.params, k), getattr(p, k)) for k in ("W1", "b1", "W2", "b2")):
        changed.append(HistoryStart("weights"))
    if model.hidden != s.hidden:
        changed.append(HistoryStart("activation", model.hidden))
    if model.output != s.output:
        changed.append(HistoryStart("output", model.output))
    if not changed:
        return None
    return changed[0] if len(changed) == 1 else HistoryStart("edit")


# --- one micro-step each: Snapshot -> Snapshot ----------------------------------------------


def _start_next_sample(s: Snapshot) -> Snapshot:
    """From U: the next sample (after the last one, the first sample of the next epoch, in the mode
    asked for, if any). From B1 in the middle of a batch: the next sample of the batch, this one's
    gradient kept in `collected`."""
    if s.mid_batch:
        grads = computed(s.grads, Phase.B1)
        return _cleared(s, sample=s.sample + 1, phase=Phase.READY, collected=s.collected + ((s.sample, grads),))
    nxt, epoch = s.sample + 1, s.epoch
    batch, pending = s.batch, s.batch_next
    if nxt == s.m:
        nxt, epoch = 0, epoch + 1
        if pending is not None:
            batch, pending = pending[0], None
    return _cleared(
        s,
        sample=nxt,
        epoch=epoch,
        phase=Phase.READY,
        params_start=s.params,
        collected=(),
        batch=batch,
        batch_next=pending,
    )


def computed(record: R | None, phase: Phase) -> R:
    """The record a phase computed; it is there in every phase after it (Snapshot's docstring)."""
    if record is None:
        raise ValueError(f"phase {phase.value} is not computed yet")
    return record


def step_f1(s: Snapshot) -> Snapshot:
    f = activations.get(s.hidden)
    z1, a1 = forward_hidden(s.params, s.x, f)
    return replace(s, phase=Phase.F1, action="forward", forward1=HiddenForward(z1=_ro(z1), a1=_ro(a1)))


def step_f2(s: Snapshot) -> Snapshot:
    g = activations.get(s.output)
    f1 = computed(s.forward1, Phase.F1)
    z2, yhat = forward_output(s.params, f1.a1, g)
    return replace(
        s,
        phase=Phase.F2,
        action="forward",
        forward2=OutputForward(z2=_ro(z2), yhat=_ro(yhat), loss=sample_loss(yhat, s.y)),
    )


def step_b2(s: Snapshot) -> Snapshot:
    g = activations.get(s.output)
    f1, f2 = computed(s.forward1, Phase.F1), computed(s.forward2, Phase.F2)
    fprime2, delta2, dW2, db2 = backward_output(f1.a1, f2.z2, f2.yhat, s.y, g)
    return replace(
        s,
        phase=Phase.B2,
        action="backward",
        backward2=OutputDeltas(fprime2=_ro(fprime2), delta2=_ro(delta2), dW2=_ro(dW2), db2=_ro(db2.copy())),
    )


def step_b1(s: Snapshot) -> Snapshot:
    f = activations.get(s.hidden)
    f1, b2 = computed(s.forward1, Phase.F1), computed(s.backward2, Phase.B2)
    da1, fprime1, delta1, dW1, db1 = backward_hidden(s.params, s.x, f1.z1, b2.delta2, f)
    return replace(
        s,
        phase=Phase.B1,
        action="backward",
        backward1=HiddenDeltas(
            da1=_ro(da1), fprime1=_ro(fprime1), delta1=_ro(delta1), dW1=_ro(dW1), db1=_ro(db1.copy())
        ),
    )


def step_u(s: Snapshot) -> Snapshot:
    grads = computed(s.grads, Phase.B1)
    batch = None
    if s.batch is not None:  # the mean of the batch's per-sample gradients (§2.1's 1/m)
        done = s.collected + ((s.sample, grads),)
        mean = mean_grads([g for _, g in done])
        batch = BatchUpdate(
            samples=tuple(i for i, _ in done),
            grads=tuple(g for _, g in done),
            mean=Grads(dW1=_ro(mean.dW1), db1=_ro(mean.db1), dW2=_ro(mean.dW2), db2=_ro(mean.db2)),
        )
        grads = batch.mean
    new = update(s.params, grads, s.lr)
    change = Grads(
        dW1=_ro(new.W1 - s.params.W1),
        db1=_ro(new.b1 - s.params.b1),
        dW2=_ro(new.W2 - s.params.W2),
        db2=_ro(new.b2 - s.params.b2),
    )
    _, yhat = forward_output(new, forward_hidden(new, s.x, activations.get(s.hidden))[1], activations.get(s.output))
    out = replace(
        s,
        phase=Phase.U,
        action="update",
        params=new,
        update=Update(
            lr=s.lr, change=change, yhat_after=float(yhat[0]), loss_after=sample_loss(yhat, s.y), batch=batch
        ),
    )
    if s.sample == s.m - 1:  # end of the epoch: record L_k with the parameters now (DESIGN §6)
        loss = dataset_loss(new, s.X, s.Y, activations.get(s.hidden), activations.get(s.output))
        diverged = s.diverged_at if s.diverged_at is not None else (s.epoch + 1 if loss_diverged(loss) else None)
        out = replace(out, loss_history=s.loss_history.append([loss]), diverged_at=diverged)
    return out


STEPS = {Phase.READY: step_f1, Phase.F1: step_f2, Phase.F2: step_b2, Phase.B2: step_b1, Phase.B1: step_u}


def next_micro_step(s: Snapshot) -> Snapshot:
    if s.phase is Phase.U or s.mid_batch:
        s = _start_next_sample(s)
    with np.errstate(all="ignore"):
        return STEPS[s.phase](s)


def _to_update(s: Snapshot, made: deque[Snapshot]) -> Snapshot:
    """s: run to the update of the current sample (from U: the whole next sample), keeping each step."""
    s = next_micro_step(s)
    made.append(s)
    while s.phase is not Phase.U:
        s = next_micro_step(s)
        made.append(s)
    return s


def epoch_steps(
    s: Snapshot, keep: int, go_on: Callable[[int], bool] | None = None, every: int = 256
) -> list[Snapshot] | None:
    """e from `s`: every micro-step to the update of the last sample (from there: the whole next epoch).

    Pure, so a worker can run it on a snapshot while the Stepper stays as it is. Returns the last
    `keep` snapshots made (what a history of `keep` would hold). `go_on(sample)`, if given, is asked
    every `every` samples with the index of the sample done; when it says False the run stops and
    returns None (a data set of 100 000 rows takes seconds: that bounds the wait for a cancel).

    A sample whose five snapshots would all fall out of the `keep` kept is run as network.sample_step,
    the very calls of its micro-steps, on the parameters alone: the same numbers, ~5× sooner.
    """
    if s.batch is not None or (s.phase is Phase.U and s.sample == s.m - 1 and s.next_batch is not None):
        return _batch_epoch_steps(s, keep, go_on, every)
    made: deque[Snapshot] = deque(maxlen=keep)
    s = _to_update(s, made)
    f, g = activations.get(s.hidden), activations.get(s.output)
    kept_from = s.m - 1 - (keep // len(STEPS) + 1)  # from this sample on, its snapshots are kept
    done = 0
    while s.sample != s.m - 1 and s.diverged_at is None:
        if s.sample + 1 < kept_from:  # only the parameters: a U snapshot at the sample reached
            params = s.params
            with np.errstate(all="ignore"):
                for j in range(s.sample + 1, min(kept_from, s.sample + 1 + every - done % every)):
                    params, _ = sample_step(params, s.X[j], float(s.Y[j]), f, g, s.lr)
                    done += 1
            s = _cleared(s, sample=j, params=params, params_start=params)  # phase U: the next F1 is j + 1's
        else:
            s = _to_update(s, made)
            done += 1
        if go_on is not None and done % every == 0 and not go_on(s.sample):
            return None
    return list(made)


def _batch_epoch_steps(
    s: Snapshot, keep: int, go_on: Callable[[int], bool] | None, every: int
) -> list[Snapshot] | None:
    """epoch_steps in batch mode: a batch whose snapshots would all fall out of the `keep` kept is run
    as network.batch_step (the calls its micro-steps make: the same numbers) on the parameters alone;
    the others sample by sample, micro-step by micro-step. go_on is asked once `every` samples or more
    are done since it was last asked (a full batch of 100 000 rows is one update: it is asked inside it)."""
    made: deque[Snapshot] = deque(maxlen=keep)
    f, g = activations.get(s.hidden), activations.get(s.output)
    kept_from = s.m - 1 - (keep // len(STEPS) + 1)  # from this sample on, its snapshots are kept
    done, asked, moved = 0, 0, False
    while not (moved and s.phase is Phase.U and (s.sample == s.m - 1 or s.diverged_at is not None)):
        start = s.sample + 1
        end = min(start + s.batch_size, s.m)
        if moved and s.phase is Phase.U and end - 1 < kept_from:  # a whole batch ahead, none of it kept
            with np.errstate(all="ignore"):
                params, _, _ = batch_step(s.params, s.X[start:end], s.Y[start:end], f, g, s.lr)
            s = _cleared(s, sample=end - 1, params=params, params_start=params, collected=())  # phase U
            done += end - start
        else:  # one sample: to its B1 in the middle of a batch, to the batch's U at its end
            s = next_micro_step(s)
            made.append(s)
            while s.phase is not Phase.U and not s.mid_batch:
                s = next_micro_step(s)
                made.append(s)
            done += 1
        moved = True
        if go_on is not None and done - asked >= every:
            asked = done
            if not go_on(s.sample):
                return None
    return list(made)


MINI_BATCH = 2  # the mini-batch of the m key: the smallest that averages (N = 1 is per-sample descent)


def next_mode(batch: int | str | None, m: int) -> int | str | None:
    """The mode after `batch` in the m key's cycle (Stepper.cycle_batch)."""
    if batch is None:
        return "full"
    if batch == "full" and m > MINI_BATCH:
        return MINI_BATCH
    return None


class Stepper:
    """The one mutable object: a cursor over a bounded list of Snapshots."""

    def __init__(self, model: Model, history_limit: int = 5000, batch: int | str | None = None):
        self._limit = history_limit
        start = initial_snapshot(model)
        if batch is not None:
            batch_size(batch, model.m)  # a bad N raises ValueError here
            start = replace(start, batch=batch)
        self._history: deque[Snapshot] = deque([start], maxlen=history_limit)
        self._cursor = 0

    # --- reading ---
    @property
    def snapshot(self) -> Snapshot:
        return self._history[self._cursor]

    @property
    def model(self) -> Model:
        """The model on screen as it started: the current Snapshot's (undo and redo move it too)."""
        return self.snapshot.model

    @property
    def history(self) -> tuple[Snapshot, ...]:
        return tuple(self._history)

    @property
    def history_length(self) -> int:
        """How many snapshots the history holds (without copying it, as `history` does)."""
        return len(self._history)

    @property
    def history_limit(self) -> int:
        """How many snapshots the history keeps at most (the oldest go first)."""
        return self._limit

    @property
    def position(self) -> int:
        return self._cursor

    @property
    def can_undo(self) -> bool:
        return self._cursor > 0

    @property
    def can_redo(self) -> bool:
        return self._cursor < len(self._history) - 1

    # --- history ---
    def _push(self, s: Snapshot) -> Snapshot:
        while len(self._history) > self._cursor + 1:  # a new step forgets the redo branch
            self._history.pop()
        self._history.append(s)
        self._cursor = len(self._history) - 1
        return s

    def undo(self) -> Snapshot:
        if not self.can_undo:
            raise Refused("nothing_to_undo", None)
        self._cursor -= 1
        return self.snapshot

    def redo(self) -> Snapshot:
        if not self.can_redo:
            raise Refused("nothing_to_redo", None)
        self._cursor += 1
        return self.snapshot

    # --- the keys of DESIGN §5 ---
    def _check_finite(self) -> None:
        if self.snapshot.diverged_at is not None:
            raise Refused("diverged", "reset")

    def forward(self) -> Snapshot:
        """f: F1, then F2. After an update it starts the next sample."""
        self._check_finite()
        phase = self.snapshot.phase
        if phase in (Phase.READY, Phase.F1, Phase.U) or self.snapshot.mid_batch:
            return self._push(next_micro_step(self.snapshot))
        if phase is Phase.F2:
            raise Refused("forward_done", "backward")
        raise Refused("backward_in_progress", "backward" if phase is Phase.B2 else "update")

    def backward(self) -> Snapshot:
        """b: B2, then B1; only once the forward pass is complete."""
        self._check_finite()
        phase = self.snapshot.phase
        if phase in (Phase.F2, Phase.B2):
            return self._push(next_micro_step(self.snapshot))
        if phase in (Phase.READY, Phase.F1):
            raise Refused("forward_first", "forward")
        if phase is Phase.B1 and self.snapshot.mid_batch:
            raise Refused("backward_done", "forward")  # batch mode: the batch's next sample
        if phase is Phase.B1:
            raise Refused("backward_done", "update")
        raise Refused("sample_done", "forward")

    def update(self) -> Snapshot:
        """u: W ← W − η ∂L/∂W; only once the backward pass is complete."""
        self._check_finite()
        phase = self.snapshot.phase
        if self.snapshot.mid_batch:
            raise Refused("batch_not_done", "forward")
        if phase is Phase.B1:
            return self._push(next_micro_step(self.snapshot))
        if phase in (Phase.READY, Phase.F1):
            raise Refused("forward_first", "forward")
        if phase in (Phase.F2, Phase.B2):
            raise Refused("backward_first", "backward")
        raise Refused("already_updated", "forward")

    def step(self) -> Snapshot:
        """space: the next micro-step, whatever it is."""
        self._check_finite()
        return self._push(next_micro_step(self.snapshot))

    def finish_sample(self) -> Snapshot:
        """s: run the current sample to its update (from U: the whole next sample); in batch mode, to
        the update of the batch."""
        self._check_finite()
        self.step()
        while self.snapshot.phase is not Phase.U:
            self.step()
        return self.snapshot

    def finish_epoch(self) -> Snapshot:
        """e: run to the update of the last sample (from there: the whole next epoch)."""
        self._check_finite()
        steps = epoch_steps(self.snapshot, self.history_limit)
        assert steps is not None  # only go_on stops it early
        return self.extend(self.snapshot, steps)

    def check_can_step(self) -> None:
        """Refused when no step can be taken now (the loss diverged): as each step key checks first."""
        self._check_finite()

    def follow(self, s: Snapshot) -> Snapshot:
        """Take a Snapshot made elsewhere (a class session's lecturer, engine/follow.py) as the next
        step: undo goes back to the one before."""
        return self._push(s)

    def extend(self, base: Snapshot, steps: list[Snapshot]) -> Snapshot:
        """Take steps made elsewhere from `base` (epoch_steps in a worker) as if made here, one by one.

        Refused if the history has moved away from `base` meanwhile: they would not follow on."""
        if self.snapshot is not base:
            raise Refused("history_moved", None)
        for s in steps:
            self._push(s)
        return self.snapshot

    # --- settings; each is a step of its own, so undo restores it ---
    def _restart_sample(self, s: Snapshot, action: str, **changes: Any) -> Snapshot:
        """Values computed with the old setting are void: back to READY on this sample."""
        if s.phase is Phase.U:
            s = _start_next_sample(s)
        else:
            s = _cleared(s, phase=Phase.READY, params=s.params_start)
        return self._push(replace(s, action=action, **changes))

    def _new_model(self, model: Model, start: HistoryStart, action: str, origin: Model | None = None) -> Snapshot:
        """Start a new loss history on `model`: epoch 0, sample 0, READY (Lₖ is the loss after k whole
        epochs of this model, DESIGN §6); the Snapshots before keep the old history for undo. r goes
        back to `origin` (default `model`) from the new Snapshot on."""
        # a new history starts an epoch: in the mode asked for
        return self._push(
            replace(
                initial_snapshot(model, start),
                action=action,
                batch=self.snapshot.next_batch,
                model=model if origin is None else origin,
            )
        )

    def set_hidden(self, name: str) -> Snapshot:
        """Another hidden activation is another model: a new loss history from the parameters now
        (params_now), at epoch 0, sample 0, READY; what this sample computed is void. The same
        activation again changes nothing but the sample, which starts over (the history goes on)."""
        activations.get(name)
        if name not in activations.HIDDEN_ACTIVATIONS:
            raise Refused("not_a_hidden_activation", None)
        s = self.snapshot
        if name == s.hidden:
            return self._restart_sample(s, "activation")
        model = Model(name=s.name, params=params_now(s), X=s.X, Y=s.Y, hidden=name, output=s.output, lr=s.lr)
        return self._new_model(model, HistoryStart("activation", name), "activation", origin=s.model)

    def cycle_hidden(self) -> Snapshot:
        return self.set_hidden(activations.next_hidden(self.snapshot.hidden))

    def set_lr(self, lr: float) -> Snapshot:
        """η only enters at U, so values already computed stay valid, and the loss history goes on: it
        records the change after its last loss (LossHistory.with_lr)."""
        if not (math.isfinite(lr) and lr > 0):
            raise Refused("bad_learning_rate", None)
        s = self.snapshot
        return self._push(
            replace(s, lr=float(lr), action="learning_rate", loss_history=s.loss_history.with_lr(s.lr, float(lr)))
        )

    def lr_up(self) -> Snapshot:
        higher = [v for v in LR_LADDER if v > self.snapshot.lr * (1 + 1e-9)]
        if not higher:
            raise Refused("learning_rate_max", None)
        return self.set_lr(higher[0])

    def lr_down(self) -> Snapshot:
        lower = [v for v in LR_LADDER if v < self.snapshot.lr * (1 - 1e-9)]
        if not lower:
            raise Refused("learning_rate_min", None)
        return self.set_lr(lower[-1])

    def reset(self) -> Snapshot:
        """r: the initial parameters of the model on screen (the Snapshot's, so an undone edit or file
        stays undone), epoch 1, sample 1, a new loss history; η and activations as chosen now."""
        s = self.snapshot
        model = self.model.with_(hidden=s.hidden, output=s.output, lr=s.lr)
        return self._new_model(model, HistoryStart("reset"), "reset", origin=s.model)

    def reset_loaded(self) -> Snapshot:
        """R: back to the model as it was loaded (the Snapshot's: the preset, file or edit this history
        started from, so an undone one stays undone), its η and activations included: epoch 1,
        sample 1, a new loss history. Undo goes back, as after r."""
        return self._new_model(self.model, HistoryStart("reset"), "reset_loaded")

    def load_model(self, model: Model) -> Snapshot:
        """Start over on another model (a file or preset), with a new loss history; undo goes back."""
        return self._new_model(model, HistoryStart("load", model.name), "load")

    def edit_model(self, model: Model) -> Snapshot:
        """The model as edited (`w`): η alone is set_lr (the history goes on, the change marked in it);
        any other change starts over on `model` with a new loss history saying what changed."""
        start = model_change(self.snapshot, model)
        if start is None:
            return self.set_lr(model.lr)
        return self._new_model(model, start, "load")

    def set_batch(self, batch: int | str | None) -> Snapshot:
        """Per-sample (None), full batch or N per update: at once before the first sample of an epoch
        (READY), otherwise from the next epoch on (batch_next; the status line says so), also at U of
        an epoch's last sample, whose update record was made in the mode in force. Asking for the
        mode in force drops a pending change."""
        if batch is not None:
            batch_size(batch, self.snapshot.m)  # raises ValueError on N < 1
        s = self.snapshot
        if s.phase is Phase.READY and s.sample == 0:
            return self._push(replace(s, batch=batch, batch_next=None, action="batch"))
        pending = None if batch == s.batch else (batch,)
        return self._push(replace(s, batch_next=pending, action="batch"))

    def cycle_batch(self) -> Snapshot:
        """m: per-sample → full batch → mini-batch of MINI_BATCH → per-sample, from the mode the next
        epoch will use (pressed twice mid-epoch, the second press changes the pending mode). A data
        set of at most MINI_BATCH samples has no mini-batch that is not the full batch: per-sample ↔
        full. A mode given on the command line (--batch N) goes on to per-sample."""
        return self.set_batch(next_mode(self.snapshot.next_batch, self.snapshot.m))

    def at_epoch_boundary(self) -> bool:
        s = self.snapshot
        return (s.phase is Phase.READY and s.sample == 0) or (s.phase is Phase.U and s.sample == s.m - 1)

    def adopt(
        self, params: Params, losses: Iterable[float] | np.ndarray, diverged_at: int | None = None, room: int = 0
    ) -> Snapshot:
        """Jump ahead by whole epochs trained elsewhere (the play worker): READY at the next epoch.

        `losses` are L_k of the epochs run, `diverged_at` the run's own 1-based epoch that diverged.
        Consecutive adoptions merge into one history entry, so one undo leaves the whole run.
        `room`: how many more epochs the run may still bring (LossHistory.append: the history grows
        once for the run, not by doubling along it).
        """
        s = self.snapshot
        if not self.at_epoch_boundary():
            raise Refused("not_at_epoch_boundary", "finish_epoch")
        done = s.epoch + (1 if s.phase is Phase.U else 0)
        run = np.asarray(losses, dtype=np.float64).reshape(-1)
        new = _cleared(
            s,
            phase=Phase.READY,
            sample=0,
            epoch=done + len(run),
            params=params,
            params_start=params,
            batch=s.next_batch,
            batch_next=None,
            collected=(),
            loss_history=s.loss_history.append(run, room),
            action="train",
            diverged_at=s.diverged_at if diverged_at is None else done + diverged_at,
        )
        if s.action == "train":
            while len(self._history) > self._cursor + 1:
                self._history.pop()
            self._history[self._cursor] = new
            return new
        return self._push(new)
