"""A model: the network's initial parameters, its data set and its training settings."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine import activations
from engine.network import Params, frozen_array

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


@dataclass(frozen=True)
class Model:
    name: str
    params: Params
    X: np.ndarray  # m×2, one sample per row
    Y: np.ndarray  # m
    hidden: str = "sigmoid"
    output: str = "sigmoid"
    lr: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        X = frozen_array(self.X)
        Y = frozen_array(self.Y)
        if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
            raise ValueError(f"data x must be a non-empty list of pairs, got shape {X.shape}")
        if Y.shape != (X.shape[0],):
            raise ValueError(f"data y must have one target per row of x ({X.shape[0]}), got shape {Y.shape}")
        if self.hidden not in activations.HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown hidden activation {self.hidden!r}")
        if self.output not in activations.OUTPUT_ACTIVATIONS:
            raise ValueError(f"unknown output activation {self.output!r}")
        if not (np.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {self.lr}")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "Y", Y)
        object.__setattr__(self, "lr", float(self.lr))

    @property
    def m(self) -> int:
        return int(self.X.shape[0])

    def with_(self, **changes) -> "Model":
        return replace(self, **changes)
