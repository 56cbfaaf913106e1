"""Every view writes engine.equations' equations as they are: Explain, the text trace and the
Markdown/LaTeX transcripts (issue 11).

A view's text is read back as a student reads it (tests/writtenmath.py): each substitution, with the
numbers as shown, computes to the result as shown; a view that re-formatted a number, or wrote a
formula of its own, fails here. And one symbol per quantity: every view that shows a quantity spells
it as engine.notation's symbol table does, and no view spells it otherwise (z₁⁽²⁾ and b₁⁽²⁾, the
notes' other spelling, appear only in the help's note).
"""

from __future__ import annotations

import re

import pytest

import writtenmath as wm
from engine import equations, export, presets
from engine import notation as n
from engine.stepper import Phase, Stepper
from tui.app.quiz import question_for
from tui.app.screens.help import help_text, output_symbols
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.values import ValuesPanel
from tui.text.i18n import t
from tui.text.report import Text, trace_text_pieces

MODELS = [presets.lecture(), presets.load("xor")] + wm.random_models(10)
LANGS = [("en", False), ("pt", True)]


def snapshots(model, samples: int = 2):
    """The Snapshots after each micro-step of the first `samples` samples."""
    stepper = Stepper(model)
    for _ in range(5 * samples):
        stepper.step()
        yield stepper.snapshot


def equation_lines(lines: list[str], lang: str) -> list[str]:
    """The lines that are equations, without the labels before them or the notes' remark after."""
    labels = (t("ui_ex_local_error", lang) + ": ", t("ui_ex_chain", lang) + " ")
    out = []
    for line in lines:
        line = line.strip()
        for label in labels:
            line = line.removeprefix(label)
        if " = " in line or " ≈ " in line:
            out.append(line.split("  ← ")[0])
    return out


PRESETS = ("lecture", "xor")  # their arithmetic is exact as written: "=" everywhere, no "≈"


def check_all(pairs, model=None, tex: bool = False) -> list[str]:
    problems = []
    for e, line in pairs:
        problem = wm.check_line(e, line, tex)
        if (
            problem is None
            and model is not None
            and model.name in PRESETS
            and wm.split_line(line.replace("&", ""), e)[1] != "="
        ):
            problem = f"{line}: ≈ in a preset"
        if problem is not None:
            problems.append(problem)
    return problems


# --- (a) honest arithmetic as each view writes it ------------------------------------------------


@pytest.mark.parametrize("lang, comma", LANGS)
def test_the_explain_panel_writes_honest_arithmetic(drive, lang, comma):
    problems, seen = [], {}

    async def scenario(app, pilot):
        panel = app.query_one(ExplainPanel)
        for model in MODELS:
            for s in snapshots(model):
                eqs = equations.of_snapshot(s)
                lines = [text.plain for text, _ in panel.content(s)]
                remarks = (
                    t("ui_ex_layout", lang),
                    t("ui_ex_epoch_end", lang).split("{")[0],
                    t("ui_ex_step_flat", lang),
                )
                written = equation_lines([line for line in lines[1:] if not line.startswith(remarks)], lang)
                assert len(written) == len(eqs), (model.name, s.phase, written)
                problems.extend(check_all(zip(eqs, written), model))
                if model.name == "lecture" and s.epoch == 0:
                    seen[s.phase] = lines

    drive(scenario, size=(160, 50), lang=lang, comma=comma)
    assert problems == []
    # the notes' a⁽¹⁾(1 − a⁽¹⁾) slip is remarked on f'(z₁⁽¹⁾), not on δ₁⁽¹⁾ (issue 11)
    # (a printed value: "notes 0.2410"; the first lines of F1 and B1 say how the notes write a product)
    notes = re.compile(re.escape(t("ui_ex_notes", lang, value="").strip()) + r" [0-9]")
    remarked = [line.split(" = ")[0] for line in seen[Phase.B1] if notes.search(line)]
    assert remarked == ["f'(z₁⁽¹⁾)", "f'(z₂⁽¹⁾)"]
    assert [line.split(" = ")[0] for line in seen[Phase.F1] if notes.search(line)] == ["a₁⁽¹⁾", "a₂⁽¹⁾"]
    assert [line.split(" = ")[0] for line in seen[Phase.F2] if notes.search(line)] == ["z⁽²⁾"]


def trace_lines(text: str, lang: str) -> list[str]:
    """The equation lines of a text trace (continuations joined), parameter tables left out."""
    joined: list[str] = []
    for line in text.splitlines():
        if line.startswith("        ") and joined:
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    out, in_table = [], False
    for line in joined:
        if line.startswith("  ") and not line.startswith("   "):
            in_table = line.strip() == t("cli_parameters", lang)
        elif line.startswith("    ") and not in_table:
            out.append(line)
    return equation_lines(out, lang)


@pytest.mark.parametrize("lang, comma", LANGS)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_the_text_trace_writes_honest_arithmetic(model, lang, comma):
    steps = list(export.iter_trace(model, 2))
    text = "".join(trace_text_pieces(steps, Text(lang, comma)))
    eqs = [e for step in steps for _, group in export.sections(step) for e in group]
    written = trace_lines(text, lang)
    assert len(written) == len(eqs)
    assert check_all(zip(eqs, written), model) == []
    if not model.name.startswith("random"):  # the presets' equations read at 80 columns
        assert [line for line in text.splitlines() if line.startswith("    ") and len(line) > 80] == []


@pytest.mark.parametrize("comma", [False, True])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_the_transcripts_write_honest_arithmetic(model, comma):
    steps = list(export.iter_trace(model, 2))
    eqs = [e for step in steps for _, group in export.sections(step) for e in group]
    md = export.to_markdown(steps, comma=comma)
    # "- $…$", "- chain of §2.6: $…$"
    written = [line.split("$")[1] for line in md.splitlines() if line.startswith("- ") and "$" in line]
    assert len(written) == len(eqs)
    assert check_all(zip(eqs, written), model, tex=True) == []
    tex = export.to_latex(steps, comma=comma)
    rows = [line.strip().removesuffix(" \\\\").split(r" \qquad")[0] for line in tex.splitlines() if "&" in line]
    assert len(rows) == len(eqs)
    assert check_all(zip(eqs, rows), model, tex=True) == []


# --- (d) one symbol per quantity in every view -----------------------------------------------------

OTHER_SPELLINGS = [n.Symbol(name, 2, 1) for name in ("z", "δ", "b", "a")] + [n.Symbol("a", 2)]  # z₁⁽²⁾ … a⁽²⁾


def spelled(symbol: str, text: str) -> bool:
    """`symbol` is written in `text` as a symbol of its own (a⁽²⁾ is not the end of δa⁽²⁾, a^{(2)}
    not the end of \\delta^{(2)})."""
    return re.search(r"(?<![A-Za-zα-ω\\])" + re.escape(symbol), text) is not None


def test_every_quantity_has_one_symbol_in_every_view(drive):
    lecture = presets.lecture()
    step = next(export.iter_trace(lecture))
    eqs = [e for _, group in equations.all_steps(export.sample_of_step(step)) for e in group]
    quantities = {e.quantity for e in eqs} | {r.sym for e in eqs for r in equations.refs(e.expr)}
    params = {n.param(key) for key, _, _ in n.PARAMS}
    seen: dict[str, str] = {}

    async def scenario(app, pilot):
        texts = {name: [] for name in ("network", "values", "parameters", "explain")}
        for key in ("f", "f", "b", "b", "u"):
            await pilot.press(key)
            for name, panel in (("network", NetworkPanel), ("values", ValuesPanel), ("parameters", ParametersPanel)):
                texts[name].append(app.query_one(panel).render().plain)
            texts["explain"] += [text.plain for text, _ in app.query_one(ExplainPanel).content(app.snapshot)]
        seen.update({name: "\n".join(lines) for name, lines in texts.items()})

    drive(scenario, size=(160, 50))
    stepper, asked = Stepper(lecture), set()
    for _ in range(4):  # the quiz rotates its question with the epoch: four epochs of the one sample
        for _ in range(5):
            q = question_for(stepper.snapshot)
            asked.add((q.phase, q.symbol))
            stepper.step()
    seen["trace"] = "".join(trace_text_pieces([step], Text("en", False)))
    markdown = export.to_markdown([step]) + export.to_latex([step])
    shows = {  # which quantities each view shows
        "network": {n.x(1), n.x(2), n.Y, n.YHAT, n.z(1, 2), n.delta(1, 2)}
        | {q(j, 1) for q in (n.z, n.a, n.delta) for j in (1, 2)}
        | params,
        "parameters": params,
        "explain": quantities,
        "trace": quantities,
    }
    for view, symbols in shows.items():
        missing = [s.text for s in symbols if s.text not in seen[view]]
        assert missing == [], (view, missing)
    assert [s.tex for s in quantities if s.tex not in markdown] == []
    phase_symbols = {}
    for phase, group in equations.all_steps(export.sample_of_step(step)):
        phase_symbols[phase] = {e.quantity.text for e in group}
    assert asked and all(symbol in phase_symbols[phase] for phase, symbol in asked), asked
    # nowhere another spelling of the same number: z₁⁽²⁾, b₁⁽²⁾, δ₁⁽²⁾, a₁⁽²⁾, a⁽²⁾
    for view, text in seen.items():
        assert [s.text for s in OTHER_SPELLINGS if spelled(s.text, text)] == [], view
    assert [s.tex for s in OTHER_SPELLINGS if spelled(s.tex, markdown)] == []
    assert not any(spelled(s.text, symbol) for s in OTHER_SPELLINGS for _, symbol in asked)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_notes_other_spelling_is_only_in_the_helps_note(lang):
    page = help_text(lang, 160, 50).plain
    note = output_symbols(lang)
    assert note in page and n.Symbol("z", 2, 1).text in note and n.Symbol("b", 2, 1).text in note
    rest = page.replace(note, "")
    assert [s.text for s in OTHER_SPELLINGS if spelled(s.text, rest)] == []


def test_the_helps_phase_list_names_what_each_micro_step_computes():
    """tui/text/phases.py writes each micro-step in the matrix form of §2.9; every quantity the
    micro-step computes in engine.equations is named there (without its unit index; w → W)."""
    from tui.text.phases import PHASES

    formulas = {phase: formula for phase, _, formula in PHASES}
    step = next(export.iter_trace(presets.lecture()))
    for phase, group in equations.all_steps(export.sample_of_step(step)):
        for e in group:
            if e.copy:  # ∂L/∂b = δ: nothing computed
                continue
            q = e.quantity
            name = n.Symbol(q.name, q.layer) if q.of is None else n.Symbol(q.name, of=n.Symbol(q.of.name, q.of.layer))
            text = name.text.replace("w", "W")
            if phase is Phase.U:
                text = text[0]  # W ← W − η ∂L/∂W, b ← b − η ∂L/∂b
            assert text in formulas[phase.value], (phase, text)
