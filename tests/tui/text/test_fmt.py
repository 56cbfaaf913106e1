"""Number and symbol formatting: 4 decimals as the notes, 6 below 0.01, decimal comma, sub/superscripts."""
import math

import pytest

from engine import notation
from tui.text import fmt


@pytest.mark.parametrize("value, text", [
    (0.3825, "0.3825"),
    (0.38249999999999995, "0.3825"),
    (1.1061175869828506, "1.1061"),
    (0.0006677334312154591, "0.000668"),
    (0.0013354668624309181, "0.001335"),
    (0.01, "0.0100"),
    (-0.4590, "-0.4590"),
    (0.0, "0.0000"),
    (7.104e-05, "7.104e-05"),
    (2.5e6, "2.500e+06"),
    (math.nan, "NaN"),
    (math.inf, "∞"),
    (-math.inf, "−∞"),
])
def test_num(value, text):
    assert fmt.num(value) == text


def test_decimal_comma():
    assert fmt.num(0.3825, comma=True) == "0,3825"
    assert fmt.num(0.000668, comma=True) == "0,000668"
    assert fmt.signed(-0.0412, comma=True) == "−0,0412"
    assert fmt.signed(0.0412) == "+0.0412"


def test_one_source_of_truth_for_numbers():
    assert fmt.num is notation.num and fmt.tex_sym is notation.tex_sym


def test_unicode_symbols_in_the_notes_notation():
    assert fmt.sym("z", 1, 1) == "z₁⁽¹⁾"
    assert fmt.sym("δ", None, 2) == "δ⁽²⁾"
    assert fmt.weight(2, 1, 1) == "w₂₁⁽¹⁾"
    assert fmt.bias(2, 1) == "b₂⁽¹⁾"


def test_latex_symbols_as_the_notes_write_them():
    assert fmt.tex_sym("z", 1, 1) == "z_1^{(1)}"
    assert fmt.tex_sym("δ", None, 2) == r"\delta^{(2)}"
    assert fmt.tex_sym("ŷ", None, None) == r"\hat{y}"
    assert fmt.tex_weight(2, 1, 1) == "w_{21}^{(1)}"
    assert fmt.tex_bias(1, 1) == "b_1^{(1)}"
    assert fmt.tex_sym("a", 12, 1) == "a_{12}^{(1)}"


@pytest.mark.parametrize("value, comma, text", [
    (0.3825, False, "0.3825"),
    (0.3825, True, "0{,}3825"),
    (7.104e-05, False, r"7.104 \times 10^{-5}"),
    (-math.inf, False, r"-\infty"),
    (math.nan, False, r"\mathrm{NaN}"),
])
def test_tex_num(value, comma, text):
    assert fmt.tex_num(value, comma) == text
