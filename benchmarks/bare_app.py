"""The baseline of benchmarks/bench_app.py: a bare Textual app that shows one line of text.

    python benchmarks/bare_app.py [--numpy]

Nothing else: no CSS file, no timers; ctrl+q quits (Textual's default). One binding, x, rewrites the
line with a counter, so key-press latency has a baseline that also repaints something.
With --numpy it imports NumPy before it starts: the floor of any Textual app on NumPy (bench_class.py).
Start-up, idle CPU, memory and latency of backprop-tui are measured against it in the same run.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

LINE = "bare textual app: one line"


class BareApp(App):
    BINDINGS = [("x", "count", "count")]
    count = 0

    def compose(self) -> ComposeResult:
        yield Static(LINE)

    def action_count(self) -> None:
        self.count += 1
        self.query_one(Static).update(f"{LINE} ({self.count})")


if __name__ == "__main__":
    import sys

    if "--numpy" in sys.argv[1:]:
        import numpy  # noqa: F401
    BareApp().run()
