"""Every pointer in the code, the tests and the docs leads somewhere: "DESIGN §N" to a section of
docs/DESIGN.md, a path (engine/…, tui/…, tests/…, benchmarks/…, docs/…) to a file of the repository,
and nothing to design notes outside it (docs/DESIGN.md, first paragraph)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(r"DESIGN(?:\.md)? §(\d+)")
PATH = re.compile(r"(?<![\w/.])((?:engine|tui|tests|benchmarks|docs)/[\w/.\-]*\w\.(?:py|md|tcss|toml|svg|txt))")
OUTSIDE = re.compile(r"STYLE\.md|\.\./shared|shared/DESIGN|shared/STYLE")


def sources() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "pyproject.toml", *(ROOT / "docs").glob("*.md")]
    for folder in ("engine", "tui", "tests", "benchmarks"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".tcss", ".md", ".toml")
                  and "__snapshots__" not in p.parts]
    return sorted(files)


def design_sections() -> set[str]:
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\. ", text, flags=re.M))


def test_every_design_reference_is_a_section_of_the_projects_own_notes():
    sections = design_sections()
    assert {"1", "2", "3", "4", "5", "6"} <= sections
    bad = [f"{p.relative_to(ROOT)}: DESIGN §{n}" for p in sources()
           for n in SECTION.findall(p.read_text(encoding="utf-8")) if n not in sections]
    assert bad == []


def test_every_path_named_in_code_tests_and_docs_exists():
    """docs/PERFORMANCE.md aside: its dated sections record each measurement with the files of its day."""
    bad = []
    for p in sources():
        if p.name in ("PERFORMANCE.md", "test_references.py"):
            continue
        for ref in PATH.findall(p.read_text(encoding="utf-8")):
            if not (ROOT / ref).exists() and not (p.parent / ref).exists():
                bad.append(f"{p.relative_to(ROOT)}: {ref}")
    assert bad == []


def test_nothing_points_to_design_notes_outside_the_repository():
    bad = [f"{p.relative_to(ROOT)}: {m}" for p in sources() if p.name != "test_references.py"
           for m in OUTSIDE.findall(p.read_text(encoding="utf-8"))]
    assert bad == []


def test_the_checks_find_what_they_look_for():
    """The patterns match the ways the code writes its pointers (a check that matches nothing passes)."""
    assert SECTION.findall("(DESIGN §6) and DESIGN.md §11") == ["6", "11"]
    assert PATH.findall("see tests/tui/text/test_phases.py, and engine/equations.py.") == [
        "tests/tui/text/test_phases.py", "engine/equations.py"]
    assert OUTSIDE.findall("the rule of STYLE.md") == ["STYLE.md"]
