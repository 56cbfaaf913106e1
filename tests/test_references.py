"""Every pointer in the code, the tests and the docs leads somewhere: "DESIGN §N" to a section of
docs/DESIGN.md, a path (engine/…, tui/…, tests/…, benchmarks/…, docs/…) to a file of the repository,
every relative link of README.md and docs/*.md to a file (and its #heading) of the repository, and
nothing to design notes outside it (docs/DESIGN.md, first paragraph)."""

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
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in (".py", ".tcss", ".md", ".toml") and "__snapshots__" not in p.parts
        ]
    return sorted(files)


def design_sections() -> set[str]:
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\. ", text, flags=re.M))


def test_every_design_reference_is_a_section_of_the_projects_own_notes():
    sections = design_sections()
    assert {"1", "2", "3", "4", "5", "6"} <= sections
    bad = [
        f"{p.relative_to(ROOT)}: DESIGN §{n}"
        for p in sources()
        for n in SECTION.findall(p.read_text(encoding="utf-8"))
        if n not in sections
    ]
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
    bad = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in sources()
        if p.name != "test_references.py"
        for m in OUTSIDE.findall(p.read_text(encoding="utf-8"))
    ]
    assert bad == []


def test_the_checks_find_what_they_look_for():
    """The patterns match the ways the code writes its pointers (a check that matches nothing passes)."""
    assert SECTION.findall("(DESIGN §6) and DESIGN.md §11") == ["6", "11"]
    assert PATH.findall("see tests/tui/text/test_phases.py, and engine/equations.py.") == [
        "tests/tui/text/test_phases.py",
        "engine/equations.py",
    ]
    assert OUTSIDE.findall("the rule of STYLE.md") == ["STYLE.md"]


# --- links in README.md and docs/*.md ------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")


def markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading's anchor in a Markdown text (a repeated heading gets -1, -2, … as on GitHub)."""
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", FENCE.sub("", text), flags=re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """The relative links of a Markdown page whose file, or whose #anchor in that file, does not exist
    (links in code are text, not links; http(s) and mailto are outside the repository)."""
    text = page.read_text(encoding="utf-8")
    bad = []
    for target in LINK.findall(CODE.sub("", FENCE.sub("", text))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_file() or root.resolve() not in file.parents:
            bad.append(f"{page.relative_to(root)}: {target} (no such file)")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file.read_text(encoding="utf-8")):
            bad.append(f"{page.relative_to(root)}: {target} (no heading #{anchor} in {file.name})")
    return bad


def test_every_relative_link_of_readme_and_docs_leads_to_a_file_and_heading():
    assert [p.name for p in markdown_pages()][:1] == ["README.md"] and len(markdown_pages()) > 5
    assert [bad for page in markdown_pages() for bad in broken_links(page)] == []


def test_the_link_check_finds_what_it_looks_for(tmp_path):
    """A missing file, a missing heading, a link out of the repository and a missing heading of the
    page itself are found; code, web links and good links are not (a check that finds nothing passes)."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "A.md").write_text("# Title\n\n## Model options\n\n## Model options\n", encoding="utf-8")
    page = root / "README.md"
    page.write_text(
        "[ok](docs/A.md#model-options) [ok2](docs/A.md#model-options-1) ![pic](docs/A.md)\n"
        "[gone](docs/B.md) [nohead](docs/A.md#keys) [out](../x.md) [web](https://x.org/y)\n"
        "`[code](docs/C.md)`\n```\n[fenced](docs/D.md)\n```\n[self](#nothing)\n",
        encoding="utf-8",
    )
    (tmp_path / "x.md").write_text("", encoding="utf-8")
    found = broken_links(page, root)
    assert [f.split(": ", 1)[1].split(" (")[0] for f in found] == ["docs/B.md", "docs/A.md#keys", "../x.md", "#nothing"]
    assert slug("Item 8 explained (issue 18, 2026-12-07 18:50 UTC, `bench_app.py --only x`)") == (
        "item-8-explained-issue-18-2026-12-07-1850-utc-bench_apppy---only-x"
    )
