"""What each private Textual piece of tui/app/internals buys (issue 10): bench_app.py's items with
the piece taken out, against the default rendering and Textual's stock rendering.

    python benchmarks/bench_internals.py [--only latency,bytes] [--variants default,stock,...] [--quick]

Each variant runs bench_app.py in its own process (BACKPROP_TUI_RENDERING is read at import), the
piece taken out by a few lines run before the app starts, in the benchmark's process (key → screen,
in-process) and in the app's own (start-up and bytes, in a pty). The table gives, per variant,
key → screen medians and p99 (lecture, xor), bytes per micro-step and its ratio to a full paint,
and with --only startup the start-up ratio to the bare app.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LEFT_CROP = """
from textual._compositor import ChopsUpdate, Compositor
from textual.strip import Strip
from rich.control import Control
from tui.app.internals.diffscreen import DiffCompositor as C

class Cropped(ChopsUpdate):
    def render_segments(self, console):
        out = []
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                left = max(x1 - x, 0)
                if left or end > x2:
                    strip = strip.crop(left, min(end, x2) - x)
                out.append(Control.move_to(x + left, y).segment.text)
                out.append(strip.render(console))
            if y != last_y:
                out.append("\\n")
        return "".join(out)

def render_partial_update(self):
    update = Compositor.render_partial_update(self)
    return None if update is None else Cropped(update.chops, update.spans, update.chop_ends)

C.render_partial_update = render_partial_update
"""

# variant → (code run before the app starts, environment)
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "default": ("", {}),
    "stock": ("", {"BACKPROP_TUI_RENDERING": "stock"}),
    # Textual's compositor as it is: no cell diff
    "no-diff": (
        "from tui.app.internals.diffscreen import DiffCompositor as C\n"
        "del C.render_partial_update, C.render_full_update\n",
        {},
    ),
    # Textual's compositor, and the row cache refreshing whole rows instead of the changed columns
    "no-diff-rows": (
        "from tui.app.internals.diffscreen import DiffCompositor as C\n"
        "del C.render_partial_update, C.render_full_update\n"
        "import tui.app.widgets.base as b\nb.COLUMNS = False\n",
        {},
    ),
    # Textual's compositor, its partial updates cropped on the left too (Textual's "TODO: crop to x
    # extents"): the columns refreshed and no more, without the cell diff
    "left-crop": (LEFT_CROP + "del C.render_full_update\n", {}),
}

CHILD = """
import sys
sys.path.insert(0, {here!r})
import bench_app  # applies the process settings before Textual loads
patch = {patch!r}
exec(patch)
bench_app.app_command = lambda: [sys.executable, "-c", patch + "import sys\\nfrom tui.main import main\\nsys.exit(main())"]
sys.exit(bench_app.main({argv!r}))
"""


def run_variant(name: str, only: str, quick: bool) -> dict[str, str]:
    patch, env = VARIANTS[name]
    argv = ["--only", only] + (["--quick"] if quick else [])
    full_env = dict(os.environ, **env, PYTHONPATH=str(ROOT))  # this tree's code, in every process
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(here=str(HERE), patch=patch, argv=argv)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    out = done.stdout + done.stderr
    found: dict[str, str] = {}
    for preset in ("lecture", "xor"):
        m = re.search(rf"latency {preset}: median ([\d.]+) ms, p99 ([\d.]+) ms", out)
        if m:
            found[preset] = f"{m.group(1)} / {m.group(2)}"
    m = re.search(r"bytes: full paint (\d+) .*? per micro-step (\d+)", out)
    if m:
        found["bytes"] = f"{m.group(2)} B ({int(m.group(2)) / int(m.group(1)):.3f})"
    m = re.search(r"\| 1\. start-up[^|]*\| (\d+) ms \| (\d+) ms[^|]*\| ([\d.]+)×", out)
    if m:
        found["startup"] = f"{m.group(1)} ms ({m.group(3)}×)"
    if not found:
        found["error"] = out[-1500:]
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="latency,bytes", help="bench_app.py items (latency, bytes, startup)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated subset of {','.join(VARIANTS)}")
    ap.add_argument("--quick", action="store_true", help="bench_app.py --quick (development only)")
    args = ap.parse_args(argv)
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = set(names) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variant(s): {', '.join(sorted(unknown))}")
    rows = []
    for name in names:
        found = run_variant(name, args.only, args.quick)
        print(f"  {name}: {found}", flush=True)
        rows.append((name, found))
    print()
    print("| variant | key → screen lecture, median / p99 ms | xor | bytes per micro-step (ratio) | start-up |")
    print("|---|---|---|---|---|")
    for name, f in rows:
        print(
            f"| {name} | {f.get('lecture', '–')} | {f.get('xor', '–')} | {f.get('bytes', '–')} | {f.get('startup', '–')} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
