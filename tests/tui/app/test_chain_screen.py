"""The C view (exercises 6(a) and 3(d)): the chain rule of one gradient on screen, read off the screen text.

At 80×24 and 120×40, in English and in Portuguese with the decimal comma: the factors' names in words,
the numbers the notes compute, ↑ ↓ picking the parameter as in g, PgDn / PgUp paging a chain too long for
the screen without losing a line, the record once b has reached θ (else "computed from the parameters on
screen"), the step's vanishing gradient, and the oracle of the key mash reading the view's numbers.
"""

from __future__ import annotations

import dataclasses

import pytest

import screenoracle as so
from engine import presets
from tui.app.app import BackpropApp
from tui.app.screens.chain import ChainBody, ChainScreen
from tui.text import chain as chain_text

WIDE, COMPACT = (120, 40), (80, 24)
TO_W21 = ["up"] * 5  # from w₁₁⁽²⁾ up the notes' order: b₂⁽¹⁾, b₁⁽¹⁾, w₂₂⁽¹⁾, w₂₁⁽¹⁾ … (↑ as in g)


def body(app) -> str:
    return app.screen.query_one(ChainBody).render().plain


def keys_line(app) -> str:
    return app.screen.query_one("#chain-keys").render().plain


async def read_all(app, pilot) -> list[str]:
    """Every line of the view, page after page with PgDn, as a student reads it."""
    seen = body(app).split("\n")
    for _ in range(20):
        if "PgDn" not in keys_line(app):
            break
        await pilot.press("pagedown")
        seen += body(app).split("\n")
    return seen


@pytest.mark.parametrize("size", [COMPACT, WIDE], ids=["80x24", "120x40"])
def test_the_chain_of_w21_reads_like_the_notes_and_loses_no_line(drive, size):
    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "C", *TO_W21[:4])
        assert isinstance(app.screen, ChainScreen)
        text = body(app)
        assert "∂L/∂w₂₁⁽¹⁾, from the loss back to w₂₁⁽¹⁾ (§2.6)" in text
        lines = await read_all(app, pilot)
        shown = {line.strip() for line in lines}
        missing = [line.text for line in app.screen.lines if line.text.strip() not in shown]
        assert missing == [], "lines of the view that never came on screen"
        flat = "\n".join(lines)
        for words in (
            "how the loss changes with ŷ",
            "how ŷ changes with z⁽²⁾",
            "how z⁽²⁾ changes with a₁⁽¹⁾",
            "how a₁⁽¹⁾ changes with z₁⁽¹⁾",
            "how z₁⁽¹⁾ changes with w₂₁⁽¹⁾",
        ):
            assert words in flat
        assert "∂ŷ/∂z⁽²⁾ = f'(z⁽²⁾) = ŷ(1 − ŷ)" in flat and "0.7514·(1 − 0.7514) = 0.1868" in flat
        assert "δ⁽²⁾ = ∂L/∂ŷ × ∂ŷ/∂z⁽²⁾" in flat and "0.7414 × 0.1868 = 0.1385" in flat
        assert "0.01335 × 0.10 = 0.001335" in flat  # the last running product: the gradient
        joined = " ".join(line.strip() for line in lines)
        assert (
            "Product of the 5 factors: 0.001335; the backward pass computed ∂L/∂w₂₁⁽¹⁾ = 0.001335: the same ✓" in joined
        )
        assert "∂L/∂w₂₁⁽¹⁾ = x₂ · δ₁⁽¹⁾ = 0.10·0.01335 = 0.001335" in flat  # exercise 3(d)
        assert "δ₁⁽¹⁾ = factors 1–4 multiplied" in joined
        assert "record of this sample's backward pass" in joined
        assert max(len(line) for line in lines) <= size[0] - 2

    drive(scenario, size=size, lang="en")


def test_at_80x24_a_long_chain_pages_and_says_so(drive):
    async def scenario(app, pilot):
        await pilot.press("C", *TO_W21[:4])
        assert keys_line(app).startswith("▼ ") and "more · PgDn · ↑↓ parameter" in keys_line(app)
        first = body(app)
        await pilot.press("pagedown")
        assert body(app) != first and "▲ " in keys_line(app) and "PgUp" in keys_line(app)
        await pilot.press("pageup")
        assert body(app) == first

    drive(scenario, size=COMPACT, lang="en")


def test_portuguese_with_the_decimal_comma(drive):
    async def scenario(app, pilot):
        await pilot.press("C")
        text = body(app)
        assert "Regra da cadeia (exercício 6a): ∂L/∂w₁₁⁽²⁾, da perda de volta até w₁₁⁽²⁾ (§2.5)" in text
        for words in (
            "como a perda varia com ŷ",
            "como ŷ varia com z⁽²⁾",
            "como z⁽²⁾ varia com w₁₁⁽²⁾",
            "produto acumulado",
            "erro local da saída",
            "Exercício 3(d)",
            "sigmoide",
        ):
            assert words in text
        assert "0,7414 × 0,1868 = 0,1385" in text and "0.7414" not in text
        assert "ainda sem propagação reversa (pronto)" in text and "parâmetros na tela" in text
        assert "↑↓ parâmetro" in keys_line(app)

    drive(scenario, size=WIDE, lang="pt", comma=True)


def test_the_view_follows_the_steps_from_computed_to_the_record(drive):
    async def scenario(app, pilot):
        await pilot.press("C", "up")  # b⁽¹⁾₂: a first-layer parameter
        assert "not through the backward pass yet (ready)" in body(app)
        await pilot.press("f", "f", "b")
        assert isinstance(app.screen, ChainScreen)
        assert "not through the backward pass yet (B2)" in body(app)  # B2 has not reached b₂⁽¹⁾
        await pilot.press("b")
        assert "record of this sample's backward pass" in body(app)
        await pilot.press("down")  # w₁₁⁽²⁾
        assert "∂L/∂w₁₁⁽²⁾" in body(app).split("\n")[0]
        await pilot.press("escape")
        assert not isinstance(app.screen, ChainScreen)

    drive(scenario, size=COMPACT, lang="en")


def test_the_step_says_where_the_gradient_vanishes(drive):
    async def scenario(app, pilot):
        await pilot.press("s", "C", "up", "up", "up")  # w₂₂⁽¹⁾
        text = " ".join(line.strip() for line in body(app).split("\n"))
        assert "∂a₂⁽¹⁾/∂z₂⁽¹⁾ = f'(z₂⁽¹⁾) = 0" in text
        assert "! Factor 4 is 0, so every product from it on is 0: this is where the gradient vanishes." in text
        assert "! The step is flat on both sides of its jump" in text

    drive(scenario, size=WIDE, lang="en", model=presets.lecture().with_(hidden="step"))


def test_the_oracle_reads_the_view_and_would_catch_a_wrong_number(drive, monkeypatch):
    found: list[list[str]] = []

    async def scenario(app, pilot):
        for keys in (["C"], ["up", "up", "up"], ["f", "f", "b"], ["b"], ["u"], ["down"]):
            await pilot.press(*keys)
            assert so.Oracle().check(app) == [], keys
        # the same view with δ⁽²⁾ written one unit off in its last digit: the oracle says so
        real = chain_text.lines

        def wrong(*args, **kwargs):
            return [
                dataclasses.replace(line, text=line.text.replace("0.1385", "0.1386")) for line in real(*args, **kwargs)
            ]

        monkeypatch.setattr(chain_text, "lines", wrong)
        await pilot.press("up")
        found.append(so.Oracle().check(app))

    drive(scenario, size=WIDE, lang="en")
    assert any(v.startswith("δ⁽²⁾ is 0.1386 in ChainScreen; recomputed") for v in found[0]), found


def test_the_chain_key_is_in_the_mash():
    import keymash

    assert "C" in keymash.KEYS and "C" in keymash.SCREEN_KEYS
    assert "ChainScreen" in keymash.screen_names()


def test_snapshot_80x24(snap_compare):
    """C at 80×24 on the notes' example after the backward pass, w₂₁⁽¹⁾: the first page and its "▼ more"."""
    app = BackpropApp(presets.lecture(), lang="en")
    assert snap_compare(app, press=["f", "f", "b", "b", "C", *TO_W21[:4]], terminal_size=COMPACT)


def test_with_no_color_the_view_reads_the_same(drive, monkeypatch):
    """NO_COLOR: nothing of the view is said by colour. Its styles are bold and italic only, the warnings carry
    "!" and the check "✓" in the text, and the screen says the same words with NO_COLOR set."""
    from tui.app.screens.chain import STYLES

    assert set(STYLES.values()) <= {"bold", "italic"}
    texts = []

    async def scenario(app, pilot):
        await pilot.press("s", "C", "up", "up")
        texts.append(body(app))

    drive(scenario, size=WIDE, lang="en", model=presets.lecture().with_(hidden="step"))
    monkeypatch.setenv("NO_COLOR", "1")
    drive(scenario, size=WIDE, lang="en", model=presets.lecture().with_(hidden="step"))
    assert texts[0] == texts[1]
    assert "! Factor 4 is 0" in texts[1] and "the same ✓" in texts[1]
