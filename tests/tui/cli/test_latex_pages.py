"""Issue 19, "LaTeX that fits the page": every kind of transcript (the lecture, XOR, ReLU, the step,
a linear output; en and pt; a point and a decimal comma), as `trace --format latex` prints it and as
`x` exports it (.tex), compiles with pdflatex and amsmath in the article class (the narrowest common
page, 345 pt) with no error and no overfull line; §2.6's chain carries its label in .md and .tex.

Compiling needs pdflatex (Debian: apt-get install texlive-latex-base); where it is missing those
tests are skipped and say so. The transcripts' arithmetic is read back by
tests/tui/app/test_equation_views.py (test_the_transcripts_write_honest_arithmetic)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from engine import export, presets
from engine.stepper import Phase, Stepper
from tui.app import exporter
from tui.text.i18n import t
from tui.text.report import transcript_labels

PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex is not installed (Debian: apt-get install texlive-latex-base): the transcripts are not compiled",
)

# kind → (the command line's model options, the model)
KINDS = {
    "lecture": ([], presets.lecture()),
    "xor": (["--preset", "xor"], presets.load("xor")),
    "relu": (["--activation", "relu"], presets.lecture().with_(hidden="relu")),
    "step": (["--preset", "xor", "--activation", "step"], presets.load("xor").with_(hidden="step")),
    "linear": (["--output-activation", "linear"], presets.lecture().with_(output="linear")),
}
DOCUMENT = (
    "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amsmath}\n"
    "\\begin{document}\n%s\n\\end{document}\n"
)


def compile_problems(body: str, folder) -> list[str]:
    """What pdflatex says is wrong with `body` in an article with amsmath: its errors ("! …") and
    overfull lines, with the source line each is at; [] when it is clean."""
    (folder / "t.tex").write_text(DOCUMENT % body, encoding="utf-8")
    run = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    log = (folder / "t.log").read_text(encoding="latin-1")
    problems = re.findall(r"^! .*|^Overfull \\hbox.*", log, re.M)
    if run.returncode != 0 and not problems:
        problems = [f"pdflatex exited with {run.returncode}"]
    return problems


@needs_pdflatex
@pytest.mark.parametrize("comma", [False, True], ids=["point", "comma"])
@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_trace_format_latex_compiles_within_the_margins(kind, lang, comma, run_main, tmp_path):
    options, _ = KINDS[kind]
    code, out, err = run_main(
        "trace", *options, "--steps", "4", "--format", "latex", "--lang", lang, *(["--decimal-comma"] if comma else [])
    )
    assert code == 0, err
    assert compile_problems(out, tmp_path) == []


def finished_sample(model):
    stepper = Stepper(model)
    s = stepper.step()
    while s.phase is not Phase.U:
        s = stepper.step()
    return s


@needs_pdflatex
@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_exported_tex_compiles_within_the_margins(kind, lang, tmp_path):
    texts = exporter.contents(finished_sample(KINDS[kind][1]), "<svg></svg>", transcript_labels(lang), lang == "pt")
    assert compile_problems(texts[".tex"], tmp_path) == []


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_chain_of_2_6_has_its_label_in_markdown_and_latex(lang):
    steps = list(export.iter_trace(presets.lecture(), 1))
    label = t("ui_ex_chain", lang)  # "chain of §2.6:", as Explain and the text trace write it
    chain = [e for _, eqs in export.sections(steps[0]) for e in eqs if e.role == "chain"]
    assert len(chain) == 1
    md = export.to_markdown(steps, transcript_labels(lang))
    assert [line for line in md.splitlines() if label in line] == [
        line for line in md.splitlines() if r"\times f'(z_1^{(1)})" in line
    ]
    assert re.search(
        r"^- " + re.escape(label) + r" \$\\frac\{\\partial L_i\}\{\\partial w_\{21\}\^\{\(1\)\}\} = x_2 \\times",
        md,
        re.M,
    )
    tex = export.to_latex(steps, transcript_labels(lang))
    assert tex.count(rf"\intertext{{{label}}}") == 1
    row = next(line for line in tex.splitlines() if r"\intertext" in line)
    assert r"x_2 \times f'(z_1^{(1)})" in row


def test_a_long_equation_is_broken_at_its_equals_signs():
    """The chain's row of B1 is one equation on one line of the source, in rows of the page that
    each start under the equation's "=" (the symbols, then the numbers and the result)."""
    tex = export.to_latex(list(export.iter_trace(presets.lecture(), 1)))
    row = next(line for line in tex.splitlines() if r"\intertext" in line).strip()
    pieces = row.split(r" \\ ")
    assert len(pieces) >= 2 and all(p.startswith("& =") for p in pieces[1:])
    assert pieces[-1].endswith("0.001335")
    short = next(line for line in tex.splitlines() if line.strip().startswith("b_1^{(1)} &\\leftarrow"))
    assert r" \\ " not in short  # what fits stays on one row


@needs_pdflatex
def test_transcripts_of_random_models_compile_within_the_margins(tmp_path):
    """Weights and data of every size (numbers like 6.202 \\times 10^{-5}, long substitutions), every
    pair of activations: one document, no error, no overfull line."""
    from writtenmath import random_models

    body = "\n".join(export.to_latex(list(export.iter_trace(model, 2))) for model in random_models())
    assert compile_problems(body, tmp_path) == []


@pytest.mark.parametrize("fmt", ["markdown", "latex"])
def test_the_portuguese_transcripts_say_sigmoide_as_the_notes_do(fmt, run_main):
    code, out, _ = run_main("trace", "--format", fmt, "--lang", "pt")
    assert code == 0 and "oculta sigmoide" in out and "saída sigmoide" in out
    assert not re.search(r"sigmoid(?!e)", out)
