"""Key mashing at length (issues 9 and 18): N mashes of K keys over every key, screen and terminal size,
with an oracle that checks what the screen says after every action.

    python benchmarks/fuzz_keys.py [--mashes 20] [--keys 3000] [--seed 0] [--preset lecture]
                                   [--models] [--no-oracle] [--minimize]

Mash i uses seed --seed + i; its keys come from the app's own binding tables (tests/keymash.py,
which tests/tui/app/test_keys.py and test_oracle.py run for a few hundred keys in CI): every key of the
App and of every screen, what the input boxes take, bursts sent with no pause between keys, and resizes
across 80×24 and 110×38 down to 1×1. q and ctrl+q end an app; the mash goes on in a fresh one. Files
(x, ctrl+s) go to a temporary folder. After the keys, Esc closes whatever is open and space must step.

The oracle (tests/screenoracle.py; --no-oracle turns it off) reads Explain, Values, Parameters,
Network, the status line, the loss title, the view on top and the transcripts `x` writes after every
action and checks: every substitution computes as written (≈ only within the inputs' rounding), one
quantity shows one value everywhere, and every value shown is a plain NumPy 2–2–1's recomputation of
the state. The micro-step keys and the settings (η, activation, language, undo, reset, quiz, export)
are drawn more often than with the survival mash alone.

--models cycles the mashes over the presets lecture and xor and the test suite's random models (every
activation pair, tiny to large weights), in English and in Portuguese with the decimal comma.

It prints, per mash, the screens checked and the violations; at the end the totals, and one finding per
kind of violation with the actions of its app run that reproduce it (--minimize: the fewest actions
found by removing them while the violation stays; each try replays in a fresh app).

Exit code 1 if any mash crashed or any violation was found. Not part of the suite: it takes minutes.
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
import screenoracle  # noqa: E402
import writtenmath  # noqa: E402


def setups(args) -> list[tuple[str, object, dict]]:
    """(label, preset name or Model, app options) for mash i = i mod their count."""
    if not args.models:
        return [(args.preset, args.preset, {})]
    out = [("lecture", "lecture", {}), ("xor pt,", "xor", {"lang": "pt", "comma": True})]
    for k, model in enumerate(writtenmath.random_models(24)):
        options = {"lang": "pt", "comma": True} if k % 2 else {}
        out.append((f"{model.name} {model.hidden}/{model.output}{' pt,' if options else ''}", model, options))
    return out


def still_fails(actions, kind, model, options) -> bool:
    with tempfile.TemporaryDirectory(prefix="fuzz-min-") as folder:
        oracle = screenoracle.Oracle()
        keymash.replay(actions, folder, model, oracle=oracle, **options)
    return any(screenoracle.kind(v) == kind for v in oracle.violations)


def minimize(actions, kind, model, options, budget: int = 80) -> list[tuple]:
    """Remove chunks of actions while the violation of `kind` stays (ddmin, bounded by `budget` replays)."""
    chunk = max(1, len(actions) // 2)
    tries = 0
    while chunk >= 1 and tries < budget:
        k, removed = 0, False
        while k < len(actions) and tries < budget:
            candidate = actions[:k] + actions[k + chunk :]
            tries += 1
            if candidate and still_fails(candidate, kind, model, options):
                actions, removed = candidate, True
            else:
                k += chunk
        if not removed:
            chunk //= 2
    return actions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mashes", type=int, default=20, help="how many mashes")
    parser.add_argument("--keys", type=int, default=3000, help="keys per mash")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--preset", default="lecture")
    parser.add_argument("--models", action="store_true", help="cycle over presets and random models, en and pt")
    parser.add_argument("--no-oracle", dest="oracle", action="store_false", help="survival only")
    parser.add_argument("--minimize", action="store_true", help="shorten each finding's reproduction")
    parser.add_argument("--tail", type=int, default=40, help="actions shown before a crash")
    args = parser.parse_args(argv)

    runs = setups(args)
    print(
        f"{args.mashes} mashes × {args.keys} keys, seeds {args.seed}…{args.seed + args.mashes - 1}, "
        f"{'models: ' + str(len(runs)) if args.models else 'preset ' + args.preset}, oracle "
        f"{'on' if args.oracle else 'off'}; {len(keymash.KEYS)} keys: {' '.join(keymash.KEYS)}"
    )
    crashed = screens = exports = violations = known = 0
    findings: dict[str, tuple] = {}  # kind → (violation, actions, seed, label, model, options)
    known_kinds: dict[str, tuple] = {}  # the same for screenoracle.KNOWN's, not minimized
    started = time.monotonic()
    for i in range(args.mashes):
        seed = args.seed + i
        label, model, options = runs[i % len(runs)]
        oracle = screenoracle.Oracle() if args.oracle else None
        t0 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="fuzz-keys-") as folder:
            result = keymash.run_mash(
                seed, args.keys, folder, model, oracle=oracle, extra=keymash.STEP_KEYS if args.oracle else (), **options
            )
        seconds = time.monotonic() - t0
        checked = ""
        if oracle is not None:
            screens += oracle.screens
            exports += oracle.exports
            violations += len(oracle.violations)
            known += len(oracle.known)
            more = f" (+{len(oracle.known)} known)" if oracle.known else ""
            checked = (
                f", {oracle.screens} screens and {oracle.exports} exports checked, "
                f"{len(oracle.violations)} violations{more}"
            )
            for violation, actions in result.findings:
                findings.setdefault(screenoracle.kind(violation), (violation, actions, seed, label, model, options))
            for violation, actions in result.known_findings:
                known_kinds.setdefault(screenoracle.kind(violation), (violation, actions, seed, label))
        if result.error is None:
            print(f"seed {seed} ({label}): ok ({result.runs} app runs{checked}, {seconds:.0f} s)", flush=True)
            continue
        crashed += 1
        e = result.error
        where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        print(
            f"seed {seed} ({label}): CRASH {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            f"{f' at {where.filename}:{where.lineno}' if where else ''} ({seconds:.0f} s{checked})"
        )
        print(f"  after {len(result.done)} actions in app run {result.runs}; the last {args.tail}:")
        print(f"  {keymash.tail(result, args.tail)}", flush=True)
    total = time.monotonic() - started
    print(f"{crashed} of {args.mashes} mashes crashed ({args.mashes * args.keys} keys, {total:.0f} s)")
    if args.oracle:
        print(
            f"oracle: {screens} screens and {exports} export files checked, {violations} violations "
            f"of {len(findings)} kinds; {known} more in areas other branches fix (screenoracle.KNOWN)"
        )
        for k, (violation, actions, seed, label, model, options) in findings.items():
            if args.minimize:
                actions = minimize(actions, k, model, options)
            print(
                f"- {k}\n  e.g. {violation}\n  seed {seed} ({label}), {len(actions)} actions from a fresh app: "
                f"{' '.join(keymash.describe(a) for a in actions)}",
                flush=True,
            )
        for k, (violation, actions, seed, label) in known_kinds.items():
            print(
                f"- known: {k}\n  e.g. {violation}\n  seed {seed} ({label}), the last of {len(actions)} actions: "
                f"{' '.join(keymash.describe(a) for a in actions[-args.tail :])}",
                flush=True,
            )
    return 1 if crashed or violations else 0


if __name__ == "__main__":
    sys.exit(main())
