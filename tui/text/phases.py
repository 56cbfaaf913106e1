"""The phases of one sample-step (§2.9), in order: (phase, i18n label, the equations it computes)."""
from __future__ import annotations

PHASES = (
    ("ready", "ui_help_ready", None),
    ("F1", None, "z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾, a⁽¹⁾ = f(z⁽¹⁾)"),
    ("F2", None, "z⁽²⁾ = W⁽²⁾ᵀa⁽¹⁾ + b⁽²⁾, ŷ = f(z⁽²⁾), Lᵢ = ½(ŷ − y)²"),
    ("B2", None, "δ⁽²⁾ = (ŷ − y) f'(z⁽²⁾), ∂L/∂W⁽²⁾ = a⁽¹⁾δ⁽²⁾ᵀ"),
    ("B1", None, "δ⁽¹⁾ = (W⁽²⁾δ⁽²⁾) ⊙ f'(z⁽¹⁾), ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ"),
    ("U", None, "W ← W − η ∂L/∂W, b ← b − η ∂L/∂b"),
)
