"""A model: the network's initial parameters, its data set and its training settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from engine import activations
from engine.network import Params, frozen_array

if TYPE_CHECKING:  # for annotations only: numpy.typing costs ~2 ms to import
    from numpy.typing import ArrayLike

INIT_SCALE = 0.5  # "pequenos valores aleatórios" (§2.9 step 2): uniform in [−0.5, 0.5]


def random_params(seed: int, scale: float = INIT_SCALE) -> Params:
    """Small random weights and biases from `seed`, reproducible across runs and machines."""
    rng = np.random.default_rng(seed)
    return Params(
        W1=rng.uniform(-scale, scale, (2, 2)),
        b1=rng.uniform(-scale, scale, 2),
        W2=rng.uniform(-scale, scale, (2, 1)),
        b2=rng.uniform(-scale, scale, 1),
    )


@dataclass(frozen=True, init=False)  # init=False: X and Y from anything array-like, stored read-only
class Model:
    name: str
    params: Params
    X: np.ndarray  # m×2, one sample per row
    Y: np.ndarray  # m
    hidden: str = "sigmoid"
    output: str = "sigmoid"
    lr: float = 0.5
    seed: int = 0

    def __init__(
        self,
        name: str,
        params: Params,
        X: ArrayLike,
        Y: ArrayLike,
        hidden: str = "sigmoid",
        output: str = "sigmoid",
        lr: float = 0.5,
        seed: int = 0,
    ) -> None:
        X, Y = frozen_array(X), frozen_array(Y)
        if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
            raise ValueError(f"data x must be a non-empty list of pairs, got shape {X.shape}")
        if Y.shape != (X.shape[0],):
            raise ValueError(f"data y must have one target per row of x ({X.shape[0]}), got shape {Y.shape}")
        if hidden not in activations.HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown hidden activation {hidden!r}")
        if output not in activations.OUTPUT_ACTIVATIONS:
            raise ValueError(f"unknown output activation {output!r}")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        for field_name, value in (
            ("name", name),
            ("params", params),
            ("X", X),
            ("Y", Y),
            ("hidden", hidden),
            ("output", output),
            ("lr", float(lr)),
            ("seed", seed),
        ):
            object.__setattr__(self, field_name, value)

    @property
    def m(self) -> int:
        return int(self.X.shape[0])

    def targets_outside(self) -> np.ndarray:
        """The indices of the targets the output activation cannot produce or approach (y = 2 for a
        sigmoid, y < 0 for ReLU). Not an error: the loss just cannot reach 0."""
        return np.flatnonzero(activations.outside_range(self.output, self.Y))

    def with_(self, **changes: Any) -> Model:
        return replace(self, **changes)
