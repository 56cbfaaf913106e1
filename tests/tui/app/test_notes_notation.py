"""Issue 19, "the notes' notation": the app writes W⁽¹⁾ᵀx and ∂L/∂a⁽¹⁾ = W⁽²⁾δ⁽²⁾ where §2.9 and
exercise 3 write W⁽¹⁾x and (W⁽²⁾)ᵀδ⁽²⁾. It says so once, where it matters: on the first Explain line
of F1 and of B1 (as a slip is flagged, "← notes …") and in the help (DESIGN §1), in both languages."""

from __future__ import annotations

import pytest

from engine import presets
from tui.app.screens.help import HelpScreen
from tui.app.widgets.explain import ExplainPanel
from tui.text.i18n import t

SIZES = [(120, 40), (80, 24)]
NOTES = {"F1": ("W⁽¹⁾x", "W⁽¹⁾ᵀx"), "B1": ("(W⁽²⁾)ᵀδ⁽²⁾", "W⁽²⁾δ⁽²⁾")}
FIRST = {"F1": "z₁⁽¹⁾ =", "B1": "∂L/∂a₁⁽¹⁾ ="}
KEYS = {"F1": ["f"], "F2": ["f", "f"], "B2": ["f", "f", "b"], "B1": ["f", "f", "b", "b"]}


def explain_lines(app) -> list[str]:
    return [line.strip() for line in app.query_one(ExplainPanel).render().plain.splitlines() if line.strip()]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("phase", ["F1", "B1"])
@pytest.mark.parametrize("preset", ["lecture", "xor"])
def test_the_first_explain_line_says_how_the_notes_write_the_product(phase, lang, size, preset, drive):
    notes, here = NOTES[phase]

    async def scenario(app, pilot):
        await pilot.press(*KEYS[phase])
        await pilot.pause()
        lines = explain_lines(app)
        assert lines[0].startswith(phase)
        if FIRST[phase] not in lines[1]:
            # 80×24, B1: ∂L/∂a⁽¹⁾ is a detail, after the main equations (exercise 3's numbers stay in
            # view); it is the first line one page down, with its remark
            assert size == (80, 24) and phase == "B1"
            await pilot.press("pagedown")
            await pilot.pause()
            lines = explain_lines(app)
            lines = lines[next(k for k, line in enumerate(lines) if FIRST[phase] in line) - 1 :]
        # the title (or the line above), then the phase's first equation, with the notes' form right
        # after it (same row, or the row below when the panel is too narrow for both)
        assert FIRST[phase] in lines[1]
        after = lines[1].split("  ← ", 1)[1] if "  ← " in lines[1] else lines[2]
        assert after.lstrip("← ").startswith(t("ui_ex_notation_short", lang, notes=notes, where="§2.9").split(" (")[0])
        if size == (120, 40):  # room for what it is here too
            assert f"= {here} {'here' if lang == 'en' else 'aqui'}" in after
        shown = "\n".join(lines)
        assert shown.count(notes) == 1  # once

    drive(scenario, size=size, lang=lang, model=presets.load(preset))


@pytest.mark.parametrize("phase", ["F2", "B2"])
def test_the_other_steps_do_not_repeat_it(phase, drive):
    async def scenario(app, pilot):
        await pilot.press(*KEYS[phase])
        await pilot.pause()
        shown = "\n".join(explain_lines(app))
        assert "(W⁽²⁾)ᵀδ⁽²⁾" not in shown and "W⁽¹⁾x" not in shown

    drive(scenario, size=(120, 40))


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", "The notes write W⁽¹⁾x (§2.9) and (W⁽²⁾)ᵀδ⁽²⁾ (§2.9, ex. 3)"),
        ("pt", "As notas escrevem W⁽¹⁾x (§2.9) e (W⁽²⁾)ᵀδ⁽²⁾ (§2.9, ex. 3)"),
    ],
)
def test_the_help_says_how_the_notes_write_both_products(lang, says, drive):
    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(app.screen.query_one("#help-body").render()).split())
        assert says in text
        assert "W⁽¹⁾ᵀx" in text.split(says)[1] and "W⁽²⁾δ⁽²⁾" in text.split(says)[1]

    drive(scenario, size=(120, 40), lang=lang)
