"""Key mashing at length (issue 9): N mashes of K keys over every key, screen and terminal size.

    python benchmarks/fuzz_keys.py [--mashes 20] [--keys 3000] [--seed 0] [--preset lecture]

Mash i uses seed --seed + i; its keys come from the app's own binding tables (tests/keymash.py,
which tests/tui/app/test_keys.py runs for a few hundred keys in CI): every key of the App and of every
screen, what the input boxes take, bursts sent with no pause between keys, and resizes across
80×24 and 110×38 down to 1×1. q and ctrl+q end an app; the mash goes on in a fresh one. Files (x,
ctrl+s) go to a temporary folder. After the keys, Esc closes whatever is open and space must step.

For each crash it prints the seed and the tail of the key sequence; to reproduce one, run
    python benchmarks/fuzz_keys.py --mashes 1 --seed SEED --keys K
Exit code 1 if any mash crashed. Not part of the suite: 20 × 3 000 keys take minutes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import keymash  # noqa: E402  (tests/keymash.py, after the path above)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mashes", type=int, default=20)
    parser.add_argument("--keys", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--preset", default="lecture")
    parser.add_argument("--tail", type=int, default=40, help="actions shown before a crash")
    args = parser.parse_args(argv)

    print(f"{args.mashes} mashes × {args.keys} keys, seeds {args.seed}…{args.seed + args.mashes - 1}, "
          f"preset {args.preset}; {len(keymash.KEYS)} keys: {' '.join(keymash.KEYS)}")
    crashed = 0
    started = time.monotonic()
    for i in range(args.mashes):
        seed = args.seed + i
        t0 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="fuzz-keys-") as folder:
            result = keymash.run_mash(seed, args.keys, folder, args.preset)
        seconds = time.monotonic() - t0
        if result.error is None:
            print(f"seed {seed}: ok ({result.runs} app runs, {seconds:.0f} s)", flush=True)
            continue
        crashed += 1
        e = result.error
        where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        print(f"seed {seed}: CRASH {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
              f"{f' at {where.filename}:{where.lineno}' if where else ''} ({seconds:.0f} s)")
        print(f"  after {len(result.done)} actions in app run {result.runs}; the last {args.tail}:")
        print(f"  {keymash.tail(result, args.tail)}", flush=True)
    total = time.monotonic() - started
    print(f"{crashed} of {args.mashes} mashes crashed ({args.mashes * args.keys} keys, {total:.0f} s)")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
