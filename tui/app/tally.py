""" "right k/m": how many data rows the network on screen puts on their target's side of 0.5, for
every place that says it (the status line of every screen, the T view's count and table).

One function, one cache: engine.surface.tally of the Snapshot's parameters, data and activations,
recomputed whenever any of them is another (engine.surface.LastTally). The status line and the view
under it ask for the same Snapshot in one frame: the batched forward pass runs once.
"""

from __future__ import annotations

from engine import surface
from engine.stepper import Snapshot

_last = surface.LastTally()


def tally(s: Snapshot) -> surface.Tally:
    """ŷ and right/wrong for every data row with the parameters drawn (s.params)."""
    return _last(s.params, s.X, s.Y, s.hidden, s.output)


__all__ = ["tally"]
