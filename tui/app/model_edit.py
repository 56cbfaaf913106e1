"""The model's editable values, pure: what the Edit screen (`w`, tui/app/screens/edit.py) lists and
the new Model each change makes. No Textual: engine and text only.

An edit builds a new Model from what the screen shows now (model_now: the current parameters, data
and settings, so a value changed after some training starts from the trained weights); the App hands
it to Stepper.load_model (tui/app/controllers/edit.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import activations
from engine.model import Model
from engine.network import Params
from engine.stepper import Snapshot
from tui.text import fmt


@dataclass(frozen=True)
class Field:
    """One editable thing. `key` locates it: ("W1", i, j) with 0-based indices as stored, ("x", row, col),
    ("lr",), ("hidden",) …; `config` is its name in a model file, as ConfigError names it."""

    key: tuple
    symbol: str
    config: str

    @property
    def kind(self) -> str:
        return self.key[0]


# A data set of more rows than this lists its first ones and its last one: a list of 300 000 lines
# took a minute to build, on the UI thread, and no one scrolls through it. The rest: the model file.
EDIT_ROWS = 100


def model_fields(model: Model) -> list[Field]:
    """η, the activations, the parameters in the notes' order, then the data rows, then row actions.

    Beyond EDIT_ROWS rows: the first EDIT_ROWS − 1, a ("more_rows", n) line for the n not listed,
    and the last row (the one add and delete act on)."""
    out = [
        Field(("lr",), "η", "learning_rate"),
        Field(("hidden",), "", "activation"),
        Field(("output",), "", "output_activation"),
    ]
    for i in (1, 2):
        for j in (1, 2):
            out.append(Field(("W1", i - 1, j - 1), fmt.weight(i, j, 1), f"weights.W1[{i - 1}][{j - 1}]"))
    for j in (1, 2):
        out.append(Field(("b1", j - 1), fmt.bias(j, 1), f"weights.b1[{j - 1}]"))
    for i in (1, 2):
        out.append(Field(("W2", i - 1, 0), fmt.weight(i, 1, 2), f"weights.W2[{i - 1}][0]"))
    out.append(Field(("b2", 0), fmt.sym("b", None, 2), "weights.b2[0]"))
    rows = range(model.m) if model.m <= EDIT_ROWS else [*range(EDIT_ROWS - 1), model.m - 1]
    for r in rows:
        if r == model.m - 1 and model.m > EDIT_ROWS:
            out.append(Field(("more_rows", model.m - EDIT_ROWS), "", ""))
        out.append(Field(("x", r, 0), f"x{fmt.sub(1)}", f"data.x[{r}][0]"))
        out.append(Field(("x", r, 1), f"x{fmt.sub(2)}", f"data.x[{r}][1]"))
        out.append(Field(("y", r), "y", f"data.y[{r}]"))
    out.append(Field(("add_row",), "", ""))
    out.append(Field(("del_row",), "", ""))
    return out


def field_value(model: Model, key: tuple) -> float | str:
    kind = key[0]
    if kind == "lr":
        return model.lr
    if kind == "hidden":
        return model.hidden
    if kind == "output":
        return model.output
    if kind in ("W1", "b1", "W2", "b2"):
        return float(getattr(model.params, kind)[key[1:]])
    if kind == "x":
        return float(model.X[key[1], key[2]])
    if kind == "y":
        return float(model.Y[key[1]])
    raise KeyError(key)


def with_value(model: Model, key: tuple, value: float) -> Model:
    """A new Model with one number changed; ValueError when the Model refuses it (η ≤ 0)."""
    kind = key[0]
    if kind == "lr":
        return model.with_(lr=value)
    if kind in ("W1", "b1", "W2", "b2"):
        arrays = {name: np.array(getattr(model.params, name)) for name in ("W1", "b1", "W2", "b2")}
        arrays[kind][key[1:]] = value
        return model.with_(params=Params(**arrays))
    if kind == "x":
        X = np.array(model.X)
        X[key[1], key[2]] = value
        return model.with_(X=X)
    if kind == "y":
        Y = np.array(model.Y)
        Y[key[1]] = value
        return model.with_(Y=Y)
    raise KeyError(key)


def with_next_activation(model: Model, key: tuple) -> Model:
    """Enter on an activation cycles it: the hidden ones (sigmoid → tanh → relu), the output ones
    (… → linear)."""
    names = activations.HIDDEN_ACTIVATIONS if key[0] == "hidden" else activations.OUTPUT_ACTIVATIONS
    now = model.hidden if key[0] == "hidden" else model.output
    nxt = names[(names.index(now) + 1) % len(names)]
    return model.with_(hidden=nxt) if key[0] == "hidden" else model.with_(output=nxt)


def with_row_added(model: Model) -> Model:
    """A copy of the last data row at the end, ready to be edited."""
    return model.with_(X=np.vstack([model.X, model.X[-1:]]), Y=np.append(model.Y, model.Y[-1]))


def with_row_deleted(model: Model) -> Model:
    if model.m == 1:
        raise ValueError("the data set needs at least one row")
    return model.with_(X=model.X[:-1], Y=model.Y[:-1])


def model_now(s: Snapshot, base: Model) -> Model:
    """The model as the screen shows it: the parameters now (only U changes them, so these are the
    ones the next forward pass uses), the data set, η and the activations as set now."""
    return base.with_(name=s.name, params=s.params, X=s.X, Y=s.Y, hidden=s.hidden, output=s.output, lr=s.lr)


def exact_text(value: float, comma: bool) -> str:
    """The value to start typing from: every digit (repr reads back as the same float), so Enter on an
    unchanged value changes nothing, not even the 5th decimal; in the screen's style of minus and
    zero (−0.5, 1e−05, 0), which fmt.parse_number reads back."""
    v = float(value)
    text = "0" if v == 0.0 else repr(v).replace("-", fmt.MINUS)
    return text.replace(".", ",") if comma else text


__all__ = [
    "Field",
    "EDIT_ROWS",
    "model_fields",
    "field_value",
    "with_value",
    "with_next_activation",
    "with_row_added",
    "with_row_deleted",
    "model_now",
    "exact_text",
]
