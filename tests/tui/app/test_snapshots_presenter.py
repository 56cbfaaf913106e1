"""SVG snapshots of issue 13's predictions view (T) and of a caption bar (--captions), at 80×24.
Regenerate with `pytest --snapshot-update` after a deliberate change, and look at the SVGs first."""

from __future__ import annotations

from engine import presets
from tui.app.app import BackpropApp
from tui.app.replay import replay
from tui.host.script import Script

COMPACT = (80, 24)


def test_predictions_view(snap_compare):
    assert snap_compare(BackpropApp(presets.load("xor")), press=["e", "T"], terminal_size=COMPACT)


def test_caption_bar(snap_compare):
    app = BackpropApp(presets.lecture())
    app.captions = True

    async def run_before(pilot) -> None:
        await replay(
            pilot,
            Script(
                ("f", "f"),
                0.0,
                None,
                show_captions=True,
                captions=("forward pass: z(1), a(1), then z(2), y-hat, L",) * 2,
            ),
        )

    assert snap_compare(app, run_before=run_before, terminal_size=COMPACT)
