"""`backprop-tui chain` (tui/cli/chain.py): the C view's lines on the command line, and one-line errors."""

from __future__ import annotations

import pytest


def test_the_notes_w21_in_english(run_main):
    code, out, err = run_main("chain", "--param", "W1:2:1", "--lang", "en")
    assert code == 0 and err == ""
    assert out.startswith("Chain rule (exercise 6a): ∂L/∂w₂₁⁽¹⁾, from the loss back to w₂₁⁽¹⁾ (§2.6)\n")
    assert "Model lecture, sample 1: hidden sigmoid, output sigmoid" in out
    assert "5. how z₁⁽¹⁾ changes with w₂₁⁽¹⁾" in out and "= 0.01335 × 0.10 = 0.001335" in out
    assert "∂L/∂w₂₁⁽¹⁾ = x₂ · δ₁⁽¹⁾ = 0.10·0.01335 = 0.001335" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_portuguese_with_the_decimal_comma_and_the_default_parameter(run_main):
    code, out, _ = run_main("chain", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert "∂L/∂w₁₁⁽²⁾" in out.splitlines()[0] and "como ŷ varia com z⁽²⁾" in out
    assert "0,7414 × 0,1868 = 0,1385" in out


def test_another_sample_of_the_data(run_main):
    code, out, _ = run_main("chain", "--preset", "xor", "--sample", "4", "--param", "b2:1", "--lang", "en")
    assert code == 0 and "Model xor, sample 4" in out and "∂L/∂b⁽²⁾ = 1 · δ⁽²⁾" in out


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--param", "W3:1"], "unknown parameter 'W3:1'"),
        (["--param", "W1:3:1"], "out of range"),
        (["--sample", "2"], "--sample 2: expected a data row from 1 to 1"),
        (["--sample", "0"], "expected a whole number ≥ 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(run_main, argv, says):
    code, out, err = run_main("chain", *argv)
    assert code == 2 and out == "" and says in err and len(err.strip().splitlines()) == 1
