"""The state a student follows in a class session (issue 22, DESIGN §13): a Snapshot as versioned JSON.

`state_of(snapshot)` is what the lecturer's app broadcasts after every change; `snapshot_of(state)`
is what a student's app rebuilds from it: the Snapshot the lecturer's screen shows. Sent: the model
the history started from (as a model file, engine/config.py, so r and R go where the lecturer's
go), the parameters now and at the sample's (or batch's) start, epoch, sample, phase, η, the
activations, batch mode / next mode, the loss history (at most MAX_LOSSES values: a longer one is
thinned, its first and last value kept, the epochs not sent unknown to the student: NaN, which the
loss chart leaves out), its η changes and start, diverged_at and history_params.

The records of the current sample are not sent: the student replays the micro-steps of the current
sample (in batch mode, of the batch so far) from the recorded parameters with the engine's own step
functions, so the same code gives the same numbers, and checks the result against the parameters
and losses sent (with a tolerance: BLAS may round another machine's sums differently).

What arrives is untrusted: every field is checked as a model file is (types, shapes, finite where a
number must be, bounds); anything else raises FollowError with one line saying why. Numbers that are
not finite (a diverged run) travel as the strings "nan", "inf" and "-inf": JSON has none.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace
from typing import Any

import numpy as np

from engine import activations
from engine.config import ConfigError, model_to_toml, parse_model, printable
from engine.history import HistoryStart, LossHistory, LrChange
from engine.model import Model
from engine.network import Params
from engine.stepper import Phase, Snapshot, next_micro_step
from engine.training import FULL, batch_of, batch_size

FORMAT = "backprop-tui-follow"
VERSION = 1
MAX_LOSSES = 5000  # loss values sent (the Stepper's default history limit); a longer history is thinned
MAX_EPOCHS = 1 << 22  # the longest loss history a student rebuilds (32 MiB of float64)
MAX_EPOCH = 10**9
MAX_LR_CHANGES = MAX_LOSSES
MAX_TEXT = 256  # a name, an action, a history start's detail
MAX_MODEL_TEXT = 1 << 20  # the model file's text (a state is at most 1 MiB: session_schema.MAX_STATE)
MAX_BATCH = 10**9
START_KINDS = ("start", "reset", "load", "activation", "output", "weights", "data", "edit")
RTOL, ATOL = 1e-9, 1e-12  # the replayed numbers against the sent ones
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_KEYS = {
    "format",
    "v",
    "model",
    "name",
    "hidden",
    "output",
    "lr",
    "params",
    "params_start",
    "history_params",
    "epoch",
    "sample",
    "phase",
    "action",
    "batch",
    "batch_next",
    "update_lr",
    "losses",
    "loss_n",
    "loss_at",
    "history_start",
    "lr_changes",
    "diverged_at",
    "check",
}


class FollowError(ValueError):
    """A state that is not one: str(error) is one line saying why."""


# --- the lecturer's side ---------------------------------------------------------------------------


def _num(v: float) -> float | str:
    v = float(v)
    if math.isfinite(v):
        return v
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def _nums(a: np.ndarray) -> list:
    if a.ndim == 1:
        return [_num(v) for v in a.tolist()]
    return [_nums(row) for row in a]


def _params(p: Params | None) -> dict | None:
    return None if p is None else {k: _nums(getattr(p, k)) for k in ("W1", "b1", "W2", "b2")}


def thinned(n: int, most: int = MAX_LOSSES) -> np.ndarray:
    """The indices of `n` losses that are sent: all when n ≤ most, else `most` evenly spread, the
    first and the last among them."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, most)).astype(np.int64))


def model_text(s: Snapshot) -> str:
    """The model file of the model `s`'s history started from (FollowError when no file can hold it)."""
    if not (np.array_equal(s.X, s.model.X) and np.array_equal(s.Y, s.model.Y)):
        raise FollowError("the data on screen are not the model's")  # never: a new history starts with new data
    try:
        return model_to_toml(s.model)
    except ValueError as e:
        raise FollowError(str(e)) from None


def state_of(s: Snapshot, most: int = MAX_LOSSES, model: str | None = None) -> dict:
    """The JSON-able state of `s` (module docstring); `model`: model_text(s), when the caller keeps it
    (a model of many rows is written once, not at every step). FollowError for a Snapshot no state
    can hold (a model whose own parameters are not finite, a history longer than MAX_EPOCHS)."""
    if model is None:
        model = model_text(s)
    losses = s.losses
    n = len(losses)
    if n > MAX_EPOCHS:
        raise FollowError(f"a loss history of {n} epochs: at most {MAX_EPOCHS} are followed")
    at = thinned(n, most)
    marks = s.loss_history.lr_marks[-MAX_LR_CHANGES:]
    out: dict[str, Any] = {
        "format": FORMAT,
        "v": VERSION,
        "model": model,
        "name": s.name,
        "hidden": s.hidden,
        "output": s.output,
        "lr": _num(s.lr),
        "params": _params(s.params),
        "params_start": _params(s.params_start),
        "history_params": _params(s.history_params),
        "epoch": s.epoch,
        "sample": s.sample,
        "phase": s.phase.value,
        "action": s.action,
        "batch": s.batch,
        "batch_next": None if s.batch_next is None else [s.batch_next[0]],
        "update_lr": None if s.update is None else _num(s.update.lr),
        "losses": [_num(v) for v in np.asarray(losses)[at].tolist()],
        "history_start": {"kind": s.loss_history.start.kind, "detail": s.loss_history.start.detail},
        "lr_changes": [[c.at, _num(c.old), _num(c.new)] for c in marks],
        "diverged_at": s.diverged_at,
        "check": {
            "loss": None if s.forward2 is None else _num(s.forward2.loss),
            "loss_after": None if s.update is None else _num(s.update.loss_after),
        },
    }
    if len(at) != n:
        out["loss_n"], out["loss_at"] = n, at.tolist()
    return out


# --- a student's side ---------------------------------------------------------------------------------


def _fail(field: str, problem: str) -> FollowError:
    return FollowError(f"{field}: {problem}")


def _int(v: object, field: str, lo: int, hi: int) -> int:
    if type(v) is not int or not lo <= v <= hi:
        raise _fail(field, f"expected an integer from {lo} to {hi}")
    return v


def _text(v: object, field: str, most: int = MAX_TEXT) -> str:
    if not isinstance(v, str) or len(v) > most or not printable(v):
        raise _fail(field, f"expected printable text of at most {most} characters")
    return v


def _float(v: object, field: str, finite: bool = False) -> float:
    if isinstance(v, str) and v in _NONFINITE and not finite:
        return _NONFINITE[v]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _fail(field, "expected a number")
    try:
        x = float(v)
    except OverflowError:
        raise _fail(field, "expected a number in float range") from None
    if not math.isfinite(x):
        raise _fail(field, "expected a finite number")
    return x


def _positive(v: object, field: str) -> float:
    x = _float(v, field, finite=True)
    if x <= 0:
        raise _fail(field, "expected a number > 0")
    return x


def _array(v: object, field: str, shape: tuple[int, ...]) -> np.ndarray:
    if len(shape) == 1:
        if not isinstance(v, list) or len(v) != shape[0]:
            raise _fail(field, f"expected a list of {shape[0]} numbers")
        return np.array([_float(x, f"{field}[{k}]") for k, x in enumerate(v)], dtype=np.float64)
    if not isinstance(v, list) or len(v) != shape[0]:
        raise _fail(field, f"expected {shape[0]} rows")
    return np.array([_array(row, f"{field}[{k}]", shape[1:]) for k, row in enumerate(v)], dtype=np.float64)


def _params_of(v: object, field: str, optional: bool = False) -> Params | None:
    if v is None and optional:
        return None
    if not isinstance(v, dict) or set(v) != {"W1", "b1", "W2", "b2"}:
        raise _fail(field, "expected W1, b1, W2 and b2")
    return Params(
        **{
            k: _array(v[k], f"{field}.{k}", shape)
            for k, shape in (("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 1)), ("b2", (1,)))
        }
    )


def _mode(v: object, field: str) -> int | str | None:
    if v is None or v == FULL:
        return v  # None or "full"
    return _int(v, field, 1, MAX_BATCH)


def _losses(state: dict) -> np.ndarray:
    values = state["losses"]
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_LOSSES:
        raise _fail("losses", f"expected 1 to {MAX_LOSSES} losses")
    sent = np.array([_float(v, f"losses[{k}]") for k, v in enumerate(values)], dtype=np.float64)
    if "loss_n" not in state and "loss_at" not in state:
        return sent
    n = _int(state.get("loss_n"), "loss_n", len(sent), MAX_EPOCHS)
    at = state.get("loss_at")
    if not isinstance(at, list) or len(at) != len(sent) or not all(type(k) is int for k in at):
        raise _fail("loss_at", "expected one epoch per loss sent")
    idx = np.array(at, dtype=np.int64)
    if idx[0] != 0 or idx[-1] != n - 1 or (len(idx) > 1 and not (np.diff(idx) > 0).all()):
        raise _fail("loss_at", f"expected increasing epochs from 0 to {n - 1}")
    full = np.full(n, np.nan)
    full[idx] = sent
    return full


def _history(state: dict, losses: np.ndarray) -> LossHistory:
    start = state["history_start"]
    if not isinstance(start, dict) or set(start) != {"kind", "detail"} or start["kind"] not in START_KINDS:
        raise _fail("history_start", f"expected a kind ({', '.join(START_KINDS)}) and a detail")
    begin = HistoryStart(start["kind"], _text(start["detail"], "history_start.detail"))
    marks = state["lr_changes"]
    if not isinstance(marks, list) or len(marks) > MAX_LR_CHANGES:
        raise _fail("lr_changes", f"expected at most {MAX_LR_CHANGES} changes")
    chain: LrChange | None = None
    last = -1
    for k, mark in enumerate(marks):
        field = f"lr_changes[{k}]"
        if not isinstance(mark, list) or len(mark) != 3:
            raise _fail(field, "expected [epoch, old η, new η]")
        at = _int(mark[0], field, last + 1, len(losses) - 1)
        chain = LrChange(at, _positive(mark[1], field), _positive(mark[2], field), chain)
        last = at
    return LossHistory.of(losses, begin, chain)


def _close(a: np.ndarray | float, b: np.ndarray | float) -> bool:
    return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def _same_params(a: Params, b: Params) -> bool:
    return all(_close(getattr(a, k), getattr(b, k)) for k in ("W1", "b1", "W2", "b2"))


def snapshot_of(state: object) -> Snapshot:
    """The Snapshot a state describes, its records replayed (module docstring). FollowError for
    anything that is not a state of this format and version, out of bounds, or whose replay does not
    give the numbers sent."""
    if not isinstance(state, dict):
        raise FollowError("not a state: expected a JSON object")
    if state.get("format") != FORMAT:
        raise _fail("format", f"expected {FORMAT!r}")
    if state.get("v") != VERSION:
        raise _fail("v", f"expected version {VERSION}")
    missing = _KEYS - {"loss_n", "loss_at"} - state.keys()
    if missing:
        raise _fail(sorted(missing)[0], "missing")
    extra = state.keys() - _KEYS
    if extra:
        raise _fail(sorted(extra)[0], "unknown field")
    name = _text(state["name"], "name")
    text = state["model"]
    if not isinstance(text, str) or len(text) > MAX_MODEL_TEXT:
        raise _fail("model", f"expected a model file of at most {MAX_MODEL_TEXT} characters")
    try:
        model = _model(text, name)
    except ConfigError as e:
        raise _fail("model", str(e)) from None
    hidden, output = state["hidden"], state["output"]
    if hidden not in activations.HIDDEN_ACTIVATIONS:
        raise _fail("hidden", f"expected one of {', '.join(activations.HIDDEN_ACTIVATIONS)}")
    if output not in activations.OUTPUT_ACTIVATIONS:
        raise _fail("output", f"expected one of {', '.join(activations.OUTPUT_ACTIVATIONS)}")
    lr = _positive(state["lr"], "lr")
    params = _params_of(state["params"], "params")
    start = _params_of(state["params_start"], "params_start")
    history_params = _params_of(state["history_params"], "history_params", optional=True)
    assert params is not None and start is not None  # not optional
    m = model.m
    epoch = _int(state["epoch"], "epoch", 0, MAX_EPOCH)
    sample = _int(state["sample"], "sample", 0, m - 1)
    try:
        phase = Phase(state["phase"])
    except ValueError:
        raise _fail("phase", f"expected one of {', '.join(p.value for p in Phase)}") from None
    action = _text(state["action"], "action", 32)
    batch = _mode(state["batch"], "batch")
    nxt = state["batch_next"]
    if nxt is not None and not (isinstance(nxt, list) and len(nxt) == 1):
        raise _fail("batch_next", "expected null or [mode]")
    batch_next = None if nxt is None else (_mode(nxt[0], "batch_next[0]"),)
    update_lr = state["update_lr"]
    if phase is Phase.U:
        update_lr = _positive(update_lr, "update_lr")
    elif update_lr is not None:
        raise _fail("update_lr", "expected null before the update")
    losses = _losses(state)
    if len(losses) > epoch + 2:
        raise _fail("losses", f"expected at most {epoch + 2} losses at epoch {epoch}")
    history = _history(state, losses)
    diverged = state["diverged_at"]
    if diverged is not None:
        diverged = _int(diverged, "diverged_at", 0, epoch + 1)
    check = state["check"]
    if not isinstance(check, dict) or set(check) != {"loss", "loss_after"}:
        raise _fail("check", "expected loss and loss_after")

    # The records: the engine's micro-steps from the start of the batch (per-sample: of the sample).
    first = batch_of(sample, m, batch_size(batch, m)).start if batch is not None else sample
    s = Snapshot(
        name=name,
        X=model.X,
        Y=model.Y,
        hidden=hidden,
        output=output,
        lr=update_lr if phase is Phase.U else lr,
        params=start,
        params_start=start,
        epoch=epoch,
        sample=first,
        phase=Phase.READY,
        loss_history=history,
        model=model,
        batch=batch,
        history_params=history_params,
    )
    if phase is Phase.READY and first != sample:  # the batch's samples before this one, to their B1
        s = _replay(s, sample - 1, Phase.B1, m)
        s = next_micro_step(s)  # the previous sample's gradient kept, this one's F1: one step back to READY
        s = replace(s, phase=Phase.READY, forward1=None)
    elif phase is not Phase.READY:
        s = _replay(s, sample, phase, m)
    s = replace(
        s,
        lr=lr,
        loss_history=history,
        diverged_at=diverged,
        batch_next=batch_next,
        action=action,
        history_params=history_params,
    )
    if not _same_params(s.params, params):
        raise FollowError("params: the replayed step does not give the lecturer's parameters")
    for key, got in (
        ("loss", None if s.forward2 is None else s.forward2.loss),
        ("loss_after", None if s.update is None else s.update.loss_after),
    ):
        want = check[key]
        if (want is None) != (got is None) or (got is not None and not _close(got, _float(want, f"check.{key}"))):
            raise FollowError(f"check.{key}: the replayed step does not give the lecturer's loss")
    return s


@functools.lru_cache(maxsize=4)
def _model(text: str, name: str) -> Model:
    """parse_model, kept for the next states: a lecturer's model changes far less often than its steps
    (a Model is immutable, its arrays read-only: shared safely)."""
    return parse_model(text, "<lecturer>", name=name)


def _replay(s: Snapshot, sample: int, phase: Phase, m: int) -> Snapshot:
    """Micro-steps from `s` (READY) until `sample` reaches `phase`."""
    limit = 4 * m + 2
    for _ in range(limit):
        s = next_micro_step(s)
        if s.sample == sample and s.phase is phase:
            return s
        if s.sample > sample or s.phase is Phase.U:
            break
    raise FollowError(f"phase: {phase.value} of sample {sample + 1} does not follow in this batch mode")


__all__ = ["FORMAT", "VERSION", "MAX_LOSSES", "FollowError", "model_text", "state_of", "snapshot_of", "thinned"]
