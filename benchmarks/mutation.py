"""The mutation score of the engine and of the text layer's number and equation modules (issue 18).

    pip install mutmut==3.8.1
    python benchmarks/mutation.py --sample 5          # docs/MUTATION.md's table: 978 mutants, ~35 min
    python benchmarks/mutation.py                     # all 5 289 mutants, one worker: ~2 h 10 min
    python benchmarks/mutation.py engine/notation.py  # some modules only
    python benchmarks/mutation.py --report            # the table of the last run in --workdir again
    python benchmarks/mutation.py --survivors engine/notation.py  # the survivors' diffs
    python benchmarks/mutation.py --retest            # the survivors again, with the tests now

mutmut (3.x, `pip install mutmut`) changes one thing at a time in the code (a + for a −, 0.5 for 1.5,
a dropped argument, …) and runs the tests that reach the changed function; a mutant the tests
still pass on "survived": a change of behaviour no test notices (or an equivalent mutant, one that
cannot change behaviour: docs/MUTATION.md lists those we found). The score is killed / (killed +
survived), timeouts counting as killed; mutants no test reaches count as survived.

Runs on a copy of the tree in --workdir (mutmut writes its mutants/ folder beside the sources),
never in the work tree, with one worker (`--max-children 1`: the machine is shared) and only the
fast tests of the layers below the app (tests/engine, tests/tui/text, tests/tui/cli without the
tests that run the code in subprocesses); the app's tests (tests/tui/app) are slow and reach the
same functions through these. Not a CI step: it takes tens of minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES = [
    "engine/activations.py",
    "engine/network.py",
    "engine/equations.py",
    "engine/notation.py",
    "engine/stepper.py",
    "engine/history.py",
    "engine/training.py",
    "engine/gradcheck.py",
    "tui/text/fmt.py",
    "tui/text/report.py",
]
TESTS = [
    "tests/engine",
    "tests/tui/text",
    "tests/tui/cli",
    # a real web server and subprocesses: they import the installed code, not the mutants, and
    # take half of the time of these folders (bad input is refused by engine/config.py, not here)
    "--ignore=tests/tui/cli/test_serve.py",
    "--ignore=tests/tui/cli/test_startup.py",
    "--ignore=tests/tui/cli/test_cli_bad_input.py",
    "--deselect=tests/engine/test_config.py::test_a_model_too_large_to_read_back_is_not_saved",
    # reads stepper.py's text, which holds every mutant of it under mutmut
    "--deselect=tests/tui/text/test_key_table.py::test_every_refusal_names_an_action_of_the_table",
]

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "__snapshots__")
KILLED = {1, 3, 24, -24, 36, 152, 255}  # a failing test, pytest's internal error, a timeout
SURVIVED = {0, 5, 33}  # the tests pass, or no test reaches the mutant


def setup_cfg(modules: list[str]) -> str:
    lines = ["[mutmut]", "source_paths =", "    engine", "    tui", "only_mutate ="]
    lines += [f"    {m}" for m in modules]
    lines += ["pytest_add_cli_args_test_selection ="] + [f"    {t}" for t in TESTS]
    # one hypothesis seed: every run draws the same examples, so a verdict never depends on the draw
    lines += [
        "pytest_add_cli_args =",
        "    -p",
        "    no:cacheprovider",
        "    --hypothesis-seed=0",
        "use_git_change_detection = false",
        "also_copy =",
        "    README.md",
        "",
    ]  # a test opens README.md/model.toml
    return "\n".join(lines)


def prepare(workdir: Path, modules: list[str]) -> None:
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for name in ("engine", "tui", "tests"):
        shutil.copytree(ROOT / name, workdir / name, ignore=IGNORE)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, workdir / name)
    (workdir / "setup.cfg").write_text(setup_cfg(modules))


def results(workdir: Path, modules: list[str]) -> dict[str, Counter]:
    """Per module, the count of each outcome, from mutmut's own record (mutants/<module>.meta)."""
    table = {}
    for module in modules:
        meta = workdir / "mutants" / f"{module}.meta"
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
        counts = Counter()
        for code in codes.values():
            counts[
                "killed"
                if code in KILLED
                else "survived"
                if code in SURVIVED
                else "not run"
                if code is None
                else "other"
            ] += 1
        table[module] = counts
    return table


def survivors(workdir: Path, module: str) -> list[str]:
    meta = workdir / "mutants" / f"{module}.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return sorted(k for k, code in codes.items() if code in SURVIVED)


def print_table(table: dict[str, Counter]) -> None:
    print(f"{'module':<24} {'mutants':>7} {'tested':>7} {'killed':>7} {'survived':>8} {'score':>7}")
    total = Counter()
    for module, c in table.items():
        total.update(c)
        print(row(module, c))
    print(row("all", total))


def row(name: str, c: Counter) -> str:
    n = c["killed"] + c["survived"]
    score = f"{100 * c['killed'] / n:.1f} %" if n else "–"
    extra = f"  ({c['other']} other)" if c["other"] else ""
    return f"{name:<24} {sum(c.values()):>7} {n:>7} {c['killed']:>7} {c['survived']:>8} {score:>7}{extra}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help="modules to mutate (default: the list in this file)")
    ap.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/backprop-mutation"),
        help="where the copy of the tree and mutmut's mutants/ go (emptied first)",
    )
    ap.add_argument(
        "--sample",
        type=int,
        default=1,
        choices=[1, 2, 5, 10],
        help="test 1 mutant in SAMPLE: those whose number ends in 0 (10), 0 or 5 (5), an even "
        "digit (2); the same mutants every run while the code is the same (default: all)",
    )
    ap.add_argument(
        "--retest",
        action="store_true",
        help="copy tests/ again into --workdir and test again the mutants that survived there",
    )
    ap.add_argument("--report", action="store_true", help="print the table of the last run, run nothing")
    ap.add_argument("--survivors", metavar="MODULE", help="print the diffs of MODULE's surviving mutants")
    args = ap.parse_args()
    modules = args.modules or MODULES
    if args.survivors:
        os.chdir(args.workdir)
        for name in survivors(args.workdir, args.survivors):
            subprocess.run([sys.executable, "-m", "mutmut", "show", name], check=False)
        return 0
    if not args.report:
        if args.retest:  # the code is the same, the tests are new: only the survivors can change
            names = [n for m in modules for n in survivors(args.workdir, m)]
            for tests in (args.workdir / "tests", args.workdir / "mutants" / "tests"):
                shutil.rmtree(tests)
                shutil.copytree(ROOT / "tests", tests, ignore=IGNORE)
        else:
            prepare(args.workdir, modules)
            names = [f"*__mutmut_*{d}" for d in range(0, 10, args.sample)] if args.sample > 1 else []
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        with open(args.workdir / "mutmut.log", "ab") as log:
            done = subprocess.run(
                ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run", "--max-children", "1", *names],
                cwd=args.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if done.returncode:
            print(f"mutmut run exited {done.returncode}: see {args.workdir / 'mutmut.log'}", file=sys.stderr)
    print_table(results(args.workdir, modules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
