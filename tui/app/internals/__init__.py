"""Everything of the app that touches Textual's private API, behind one door (issue 10).

Textual's private names (`textual._compositor`, `Screen._compositor`, `App._background_screens`, …)
are used here and nowhere else in tui/ (tests/tui/app/internals/test_private_api.py fails
otherwise). The rest of the app asks this package for what it needs by public-looking names:

- diffscreen.py: the main screen (`main_screen`), whose compositor sends the terminal only the
  cells that changed: the one private piece that buys a budget (bytes per key: 0.216 of a full
  paint, 0.502 without it; budget 0.25); `frame_ansi`, the frame on the screen as text for
  --keep-screen (no public way exists; a feature, not a budget);
- screen.py: the main screen's public part (it lays out at the app's size);
- cells.py: the cells of strips, one per terminal column (public Rich API, shared with the app);
- fallbacks.py: the count of times a fast path gave up and left the work to Textual's own path;
- support.py: which Textual versions the app runs on, and the private names diffscreen.py needs.

The row cache that makes a key press cheap (tui/app/widgets/base.py) uses public API only.

The rendering switch, environment variable BACKPROP_TUI_RENDERING:
- unset (or `fast`): the pieces above, on the Textual versions of pyproject's pin
  (`textual>=8.2.5,<8.3`); another version, or one without a private name they need, stops the app
  at start with one line (ImportError, printed by tui/main.py), not a traceback.
- `stock`: Textual's stock rendering: a Screen with Textual's own compositor, each widget's default
  render path (no row cache, tui/app/widgets/base.py). The app behaves the same (CI runs the app
  tests in this mode too); only the budgets of docs/PERFORMANCE.md (bytes per key, key → screen)
  may be lost. A Textual
  newer than the pin is allowed in this mode: a Textual upgrade can cost the budgets, never the app.
  --keep-screen's last frame still asks Textual's compositor (there is no public way to render the
  screen as text); if that fails on a new Textual, the frame is left out, the app runs.

`STOCK` is read once, when this package is first imported.
"""

from __future__ import annotations

import os

from tui.app.internals.support import RENDERING_VARIABLE, Unsupported, check, rendering_mode

STOCK: bool = rendering_mode(os.environ.get(RENDERING_VARIABLE)) == "stock"
check(stock=STOCK)  # Unsupported (an ImportError): tui/main.py prints it as one line

__all__ = ["STOCK", "RENDERING_VARIABLE", "Unsupported"]
