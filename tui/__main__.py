"""`python -m tui`: the same as the `backprop-tui` command (textual-serve starts each tab this way)."""

import sys

from tui.main import main

sys.exit(main())
