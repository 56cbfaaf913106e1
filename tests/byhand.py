"""The notes' formulas written out by hand: independent checks of engine/, never imported from it.

Tests take them as fixtures (tests/conftest.py); a module that needs one while it is collected
(a constant of the notes' example, a parametrize list) imports it from here.
"""
from __future__ import annotations

import math


def sigma(z: float) -> float:
    """σ(z) = 1/(1 + e⁻ᶻ), §1.6."""
    return 1 / (1 + math.exp(-z))
