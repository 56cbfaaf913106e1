"""Batch mode in the app (issue 19), read off the screen at 80×24 and 120×40 in English and Portuguese:
the m key, the status line's mode and place in the batch, Explain's kept gradient and the mean written
as ¼(g₁ + g₂ + g₃ + g₄), the Parameters' mean ∂L/∂θ, undo/redo across a batch update, a change
of mode mid-epoch, and the Loss chart's curve of the other mode."""

from __future__ import annotations

import pytest

from engine import presets
from engine.stepper import Phase
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.loss import LossPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.status import StatusLine
from tui.text import fmt

SIZES = [(120, 40), (80, 24)]
WORDS = {  # lang → (the status line's mode at 120 and at 80 columns, "kept", the refusal of u mid-batch)
    "en": ("full batch 1/4", "batch 1/4", "its gradient g₁ is kept", "the update comes after the batch's last sample"),
    "pt": (
        "lote completo 1/4",
        "lote 1/4",
        "seu gradiente g₁ fica guardado",
        "a atualização vem depois do último exemplo",
    ),
}


def plain(app, panel) -> str:
    return " ".join(app.query_one(panel).render().plain.split())


def explain(app) -> str:
    """Every line of Explain, including those a short panel scrolls to (as ↓ would show them)."""
    panel = app.query_one(ExplainPanel)
    return "\n".join(t.plain for t, _ in panel.content(panel.snapshot))


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_m_then_a_batch_reads_as_the_mean_of_four_gradients(size, lang, drive):
    seen = {}
    wide, narrow, kept, refused = WORDS[lang]

    async def scenario(app, pilot):
        await pilot.press("m", "f", "f", "b", "b")
        seen["B1"] = (plain(app, StatusLine), explain(app), app.snapshot)
        await pilot.press("u")
        await pilot.pause()
        seen["u"] = (app.notice_text, app.snapshot.phase)
        await pilot.press("s")
        seen["U"] = (plain(app, StatusLine), explain(app), plain(app, ParametersPanel), app.snapshot)

    drive(scenario, size=size, model=presets.load("xor"), lang=lang, comma=lang == "pt")
    status, text, s = seen["B1"]
    assert (wide if size[0] >= 100 else narrow) in status
    assert kept in text and s.phase is Phase.B1
    notice, phase = seen["u"]
    assert refused in notice.lower() and phase is Phase.B1  # u refused mid-batch, nothing changed
    status, text, params, s = seen["U"]
    assert s.phase is Phase.U and s.update.batch.samples == (0, 1, 2, 3)
    assert ("4/4" in status) and "U" in status
    mean = float(s.update.batch.mean.dW2[0, 0])
    line = next(line for line in text.splitlines() if line.startswith("∂L/∂w₁₁⁽²⁾ = ¼(g₁ + g₂ + g₃ + g₄) = ¼("))
    terms = [fmt.num(float(g.dW2[0, 0]), lang == "pt", extra=2) for g in s.update.batch.grads]
    for term in terms:
        assert term.lstrip("−") in line
    assert line.endswith(fmt.num(mean, lang == "pt"))
    assert fmt.num(mean, lang == "pt") in params  # the Parameters' ∂L/∂θ is the mean the update used
    own = fmt.num(float(s.backward2.dW2[0, 0]), lang == "pt")
    assert own not in params  # not the last sample's own gradient


def test_undo_and_redo_across_a_batch_update(drive):
    seen = []

    async def scenario(app, pilot):
        await pilot.press("m", "s")
        seen.append((app.snapshot, explain(app), plain(app, ParametersPanel)))
        await pilot.press("z")
        seen.append((app.snapshot, explain(app), plain(app, ParametersPanel)))
        await pilot.press("y")
        seen.append((app.snapshot, explain(app), plain(app, ParametersPanel)))

    drive(scenario, size=(120, 40), model=presets.load("xor"))
    (u, text_u, par_u), (b1, text_b1, par_b1), (again, text_again, par_again) = seen
    assert u.phase is Phase.U and b1.phase is Phase.B1 and b1.sample == 3
    assert "¼(g₁ + g₂ + g₃ + g₄)" in text_u and "¼(" not in text_b1
    assert b1.params == u.params_start  # undone: the parameters before the batch's update
    assert text_again.startswith("Redo")  # the notice, then the same record as before the undo
    assert again is u and text_again.split("\n", 1)[1] == text_u and par_again == par_u


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_m_mid_epoch_waits_for_the_next_epoch_and_says_so(lang, drive):
    seen = []

    async def scenario(app, pilot):
        await pilot.press("f", "m")
        seen.append((plain(app, StatusLine), explain(app), app.snapshot))
        await pilot.press("e", "space")
        seen.append((plain(app, StatusLine), app.snapshot))

    drive(scenario, size=(120, 40), model=presets.load("xor"), lang=lang)
    (status, text, s), (status2, s2) = seen
    assert s.batch is None and s.batch_next == ("full",)
    if lang == "en":
        assert "→ full batch next epoch" in status and "full batch from the next epoch on" in text
    else:
        assert "→ lote completo na próxima época" in status and "lote completo a partir da próxima época" in text
    assert s2.batch == "full" and s2.epoch == 1 and ("full batch 1/4" in status2 or "lote completo 1/4" in status2)


def test_batch_from_the_command_line_and_the_loss_chart_of_the_other_mode(drive):
    seen = []

    async def scenario(app, pilot):
        await pilot.press(*["e"] * 6)
        await pilot.pause()
        panel = app.query_one(LossPanel)
        seen.append((plain(app, StatusLine), panel.other_mode(app.snapshot), app.snapshot))

    drive(scenario, size=(120, 40), model=presets.load("xor"), batch=2)
    status, other, s = seen[0]
    assert "mini-batch 2 2/2" in status
    name, curve = other
    assert name == "per-sample" and len(curve) == len(s.losses) == 7
    assert curve[0] == s.losses[0]  # the same start
    from engine import training

    expected = training.fast_epochs(presets.load("xor").params, presets.load("xor"), 6).losses
    assert curve[1:] == pytest.approx(expected, rel=1e-12)  # per-sample descent from the same start
    assert s.losses[1:] == pytest.approx(
        training.fast_batch_epochs(presets.load("xor").params, presets.load("xor"), 6, 2).losses, rel=1e-12
    )
