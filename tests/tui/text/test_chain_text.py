"""tui/text/chain.py: the chain rule in words as text, read back as a student would read it.

In both languages, with a decimal point or comma, at 78 and 118 columns: every line fits, every
equation written computes with its numbers as written to its result as written (tests/screenoracle.py's
reading, not the engine's), the factors are named in words, the product line and the grouping of 3(d)
say what they should, and ReLU's kink states the convention it uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import screenoracle as so
import writtenmath as wm
from engine import chain, config, gradcheck, presets
from engine.stepper import Stepper
from tui.text import chain as chain_text
from tui.text.i18n import t

MODELS = [presets.lecture(), presets.load("xor")] + wm.random_models(24)[:8] + wm.random_models(24)[24:]
KINK = Path(__file__).parents[2] / "engine" / "data" / "relu_at_kink.toml"


def texts(model, lang, comma, width):
    st = Stepper(model)
    st.finish_sample()
    s = st.snapshot
    for key in gradcheck.KEYS:
        c = chain.of_snapshot(s, key)
        yield key, c, chain_text.lines(c, chain_text.source_line(c, s, lang), lang, comma, width)


@pytest.mark.parametrize("lang, comma", [("en", False), ("pt", True)])
@pytest.mark.parametrize("width", [78, 118])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m.name}-{m.hidden}-{m.output}")
def test_every_line_fits_and_every_equation_computes_as_written(model, lang, comma, width):
    for key, _c, lines in texts(model, lang, comma, width):
        for line in lines:
            assert len(line.text) <= width, line.text
            if so.equation_parts(line.text) is None:
                continue
            problems: list[str] = []
            so.read_equation(line.text, "chain", so.Seen(), problems)
            assert problems == [], (key, problems)
            numbers = so.NUMBER.findall(line.text.split("  ← ")[0])  # a remark's §2.6 is a section, not a number
            assert not any(("." if comma else ",") in n for n in numbers), line.text  # one decimal mark


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_factors_are_named_in_words_in_both_languages(lang):
    _, c, lines = next((k, c, ls) for k, c, ls in texts(presets.lecture(), lang, False, 78) if k == ("W1", 2, 1))
    flat = "\n".join(line.text for line in lines)
    how = "how {of} changes with {by}" if lang == "en" else "como {of} varia com {by}"
    loss = "how the loss changes with ŷ" if lang == "en" else "como a perda varia com ŷ"
    assert f"1. {loss}" in flat
    for k, (of, by) in enumerate([("ŷ", "z⁽²⁾"), ("z⁽²⁾", "a₁⁽¹⁾"), ("a₁⁽¹⁾", "z₁⁽¹⁾"), ("z₁⁽¹⁾", "w₂₁⁽¹⁾")], start=2):
        assert f"{k}. " + how.format(of=of, by=by) in flat
    names = [line for line in lines if line.kind == "name"]
    assert len(names) == 5
    assert t("chain_group_title", lang) in flat
    assert t("chain_running", lang) + ": δ⁽²⁾ = ∂L/∂ŷ × ∂ŷ/∂z⁽²⁾" in flat


def test_the_grouping_of_3d_for_a_weight_and_a_bias():
    by_key = {k: "\n".join(line.text for line in ls) for k, _, ls in texts(presets.lecture(), "en", False, 118)}
    assert "∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾ · δ⁽²⁾ = 0.5945·0.1385 = 0.0823" in by_key[("W2", 1, 1)]
    assert "δ⁽²⁾ = factors 1–2 multiplied: the local error of the output" in by_key[("W2", 1, 1)]
    assert "a₁⁽¹⁾ = factor 3: the previous activation" in by_key[("W2", 1, 1)]
    assert "∂L/∂b₂⁽¹⁾ = 1 · δ₂⁽¹⁾ = 1·0.0150 = 0.0150" in by_key[("b1", 2)]
    assert "1 = factor 5: a bias is fed by the constant 1" in by_key[("b1", 2)]
    assert "In layer 1 the previous activation is the input itself" in by_key[("W1", 1, 2)]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_relu_at_its_kink_states_the_convention(lang):
    model = config.load_model(KINK)
    _, c, lines = next((k, c, ls) for k, c, ls in texts(model, lang, False, 78) if k == ("W1", 1, 1))
    flat = " ".join(line.text.strip() for line in lines)
    assert t("ui_ex_kink_relu", lang, unit="z₁⁽¹⁾") in flat
    assert t("chain_vanish", lang, k=4) in flat


def test_relu_below_zero_says_why_its_slope_is_zero():
    model = presets.lecture().with_(
        hidden="relu",
        params=presets.lecture().params.__class__(
            W1=[[0.15, 0.2], [0.25, 0.3]], b1=[-1.0, 0.35], W2=[[0.4], [0.45]], b2=[0.6]
        ),
    )
    _, c, lines = next((k, c, ls) for k, c, ls in texts(model, "en", False, 118) if k == ("b1", 1))
    flat = " ".join(line.text.strip() for line in lines)
    assert "z₁⁽¹⁾ = −0.9675 < 0: ReLU is flat there, f'(z) = 0." in flat and "Factor 4 is 0" in flat
