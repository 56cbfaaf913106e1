"""The phases of one sample-step (§2.9), in order: (phase, i18n label, what it computes).

The formulas are the matrix form of the notes' pseudocode (§2.9), one line per micro-step: the help
page and the Explain panel's ready block show them. The same equations written per unit, with their
numbers, are engine.equations' (Explain, quiz, transcripts, trace); tests/tui/app/test_equation_views.py
(test_the_helps_phase_list_names_what_each_micro_step_computes) checks that each line names every
quantity its micro-step computes there (∂L/∂b = δ, a copy, aside), so the two cannot drift.
"""

from __future__ import annotations

PHASES = (
    ("ready", "ui_help_ready", None),
    ("F1", None, "z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾, a⁽¹⁾ = f(z⁽¹⁾)"),
    ("F2", None, "z⁽²⁾ = W⁽²⁾ᵀa⁽¹⁾ + b⁽²⁾, ŷ = f(z⁽²⁾), Lᵢ = ½(ŷ − y)²"),
    ("B2", None, "δ⁽²⁾ = (ŷ − y) f'(z⁽²⁾), ∂L/∂W⁽²⁾ = a⁽¹⁾δ⁽²⁾ᵀ"),
    ("B1", None, "∂L/∂a⁽¹⁾ = W⁽²⁾δ⁽²⁾, δ⁽¹⁾ = ∂L/∂a⁽¹⁾ ⊙ f'(z⁽¹⁾), ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ"),
    ("U", None, "W ← W − η ∂L/∂W, b ← b − η ∂L/∂b"),
)
