"""Number and symbol formatting: 4 decimals as the notes, 6 below 0.01, decimal comma, sub/superscripts."""

import math

import pytest

from engine import notation
from tui.text import fmt

M = "\u2212"  # −, the one minus on screen and in CLI text

# value, num, num with a decimal comma, short, signed, LaTeX (notation.tex_number)
TABLE = [
    (0.3825, "0.3825", "0,3825", "0.3825", "+0.3825", "0.3825"),
    (0.38249999999999995, "0.3825", "0,3825", "0.3825", "+0.3825", "0.3825"),
    (1.1061175869828506, "1.1061", "1,1061", "1.1061", "+1.1061", "1.1061"),
    (0.15, "0.1500", "0,1500", "0.15", "+0.1500", "0.1500"),
    (0.0006677334312154591, "0.000668", "0,000668", "0.000668", "+0.000668", "0.000668"),
    (0.0013354668624309181, "0.001335", "0,001335", "0.001335", "+0.001335", "0.001335"),
    (0.01, "0.0100", "0,0100", "0.01", "+0.0100", "0.0100"),
    (-0.4590, M + "0.4590", M + "0,4590", M + "0.4590", M + "0.4590", "-0.4590"),
    (-5.0, M + "5.0000", M + "5,0000", M + "5.00", M + "5.0000", "-5.0000"),
    (-0.000668, M + "0.000668", M + "0,000668", M + "0.000668", M + "0.000668", "-0.000668"),
    (0.0, "0", "0", "0", "0", "0"),
    (-0.0, "0", "0", "0", "0", "0"),
    (
        7.104e-05,
        "7.104e" + M + "05",
        "7,104e" + M + "05",
        "7.104e" + M + "05",
        "+7.104e" + M + "05",
        r"7.104 \times 10^{-5}",
    ),
    (
        6.2024e-05,
        "6.202e" + M + "05",
        "6,202e" + M + "05",
        "6.202e" + M + "05",
        "+6.202e" + M + "05",
        r"6.202 \times 10^{-5}",
    ),
    (
        -3.83e-05,
        M + "3.830e" + M + "05",
        M + "3,830e" + M + "05",
        M + "3.830e" + M + "05",
        M + "3.830e" + M + "05",
        r"-3.830 \times 10^{-5}",
    ),
    (
        1e-300,
        "1.000e" + M + "300",
        "1,000e" + M + "300",
        "1.000e" + M + "300",
        "+1.000e" + M + "300",
        r"1.000 \times 10^{-300}",
    ),
    (2.5e6, "2.500e+06", "2,500e+06", "2.500e+06", "+2.500e+06", r"2.500 \times 10^{6}"),
    (1e6, "1.000e+06", "1,000e+06", "1.000e+06", "+1.000e+06", r"1.000 \times 10^{6}"),
    (-1e300, M + "1.000e+300", M + "1,000e+300", M + "1.000e+300", M + "1.000e+300", r"-1.000 \times 10^{300}"),
    (999999.0, "999999.0000", "999999,0000", "999999.00", "+999999.0000", "999999.0000"),
    (math.nan, "NaN", "NaN", "NaN", "NaN", r"\mathrm{NaN}"),
    (math.inf, "∞", "∞", "∞", "∞", r"\infty"),
    (-math.inf, M + "∞", M + "∞", M + "∞", M + "∞", r"-\infty"),
]


@pytest.mark.parametrize("value, text, comma, short, signed, tex", TABLE)
def test_one_number_style(value, text, comma, short, signed, tex):
    assert fmt.num(value) == text
    assert fmt.num(value, comma=True) == comma
    assert fmt.short(value) == short
    assert fmt.signed(value) == signed
    assert notation.tex_number(fmt.num(value)) == tex
    assert notation.tex_number(fmt.num(value, comma=True)) == tex.replace(".", "{,}")
    for written in (text, comma, short, signed):
        assert "-" not in written  # never the ASCII hyphen-minus
        assert written == "0" or value != 0  # one zero: never 0.00 or 0.0000
    if math.isfinite(value):  # everything written reads back, to the digits written
        for written in (text, comma, short, signed):
            assert fmt.parse_number(written) == pytest.approx(value, rel=1e-3, abs=0.0)
    else:
        with pytest.raises(ValueError):  # no parameter or answer can be NaN or infinite
            fmt.parse_number(text)


@pytest.mark.parametrize(
    "value, digits, plus, text",
    [
        (6.677334312154591e-04, 9, True, "+6.677334312e" + M + "04"),
        (-1.5e-300, 9, True, M + "1.500000000e" + M + "300"),
        (1.3e-12, 1, False, "1.3e" + M + "12"),
        (1e-5, 1, False, "1.0e" + M + "05"),
        (123.0, 1, False, "1.2e+02"),
        (0.0, 9, True, "0"),
        (-0.0, 1, False, "0"),
        (math.nan, 9, True, "NaN"),
        (-math.inf, 9, True, M + "∞"),
    ],
)
def test_sci_is_the_same_style_with_other_digits(value, digits, plus, text):
    assert fmt.sci(value, digits=digits, plus=plus) == text
    assert fmt.sci(value, comma=True, digits=digits, plus=plus) == text.replace(".", ",")
    if math.isfinite(value):
        assert fmt.parse_number(text) == pytest.approx(value, rel=10.0**-digits)


def test_integers_and_zero():
    assert [fmt.integer(k) for k in (-300, -3, 0, 2)] == [M + "300", M + "3", "0", "2"]
    assert fmt.num(0.0, decimals=1) == "0" and fmt.num(50.0, decimals=1) == "50.0"


def test_decimal_comma():
    assert fmt.num(0.3825, comma=True) == "0,3825"
    assert fmt.num(0.000668, comma=True) == "0,000668"
    assert fmt.signed(-0.0412, comma=True) == M + "0,0412"
    assert fmt.signed(0.0412) == "+0.0412"


def test_one_source_of_truth_for_numbers():
    assert fmt.num is notation.num


def test_unicode_symbols_in_the_notes_notation():
    assert fmt.sym("z", 1, 1) == "z₁⁽¹⁾"
    assert fmt.sym("δ", None, 2) == "δ⁽²⁾"
    assert fmt.weight(2, 1, 1) == "w₂₁⁽¹⁾"
    assert fmt.bias(2, 1) == "b₂⁽¹⁾"


@pytest.mark.parametrize(
    "value, comma, text",
    [
        (0.3825, False, "0.3825"),
        (0.3825, True, "0{,}3825"),
        (7.104e-05, False, r"7.104 \times 10^{-5}"),
        (-7.104e-05, True, r"-7{,}104 \times 10^{-5}"),
        (-math.inf, False, r"-\infty"),
        (math.nan, False, r"\mathrm{NaN}"),
    ],
)
def test_tex_number(value, comma, text):
    assert notation.tex_number(fmt.num(value, comma)) == text
    assert "\u2212" not in text  # LaTeX math writes "-", which it typesets as a minus


# Rounded once, from the value (issue 18): the 4-digit text of −7.67549e−05 is −7.675e−05, a tie that
# read back and rounded again gives −7.67e−05; the value itself rounds to −7.68e−05 (and to −7.7e−05).
@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (-7.67549e-5, 2, "−7.68e−05"),
        (-7.67549e-5, 1, "−7.7e−05"),
        (1.2496e-5, 2, "1.25e−05"),
        (1.2496e-5, 1, "1.2e−05"),  # 1.250e−05 → 1.25e−05 → 1.3e−05 from the text
        (2.0004999e6, 2, "2.00e+06"),
        (-1e300, 0, "−1e+300"),
    ],
)
def test_shorter_rounds_from_the_value(value, digits, expected):
    text = fmt.num(value)
    for _ in range(3 - digits):
        text = fmt.shorter(text, value)
    assert text == expected
    assert text == fmt.sci(value, digits=digits)


def test_fit_row_shortens_from_the_values():
    value = -7.67549e-5
    texts, pads = fmt.fit_row([fmt.num(value)] * 3, (10, 10, 10), 7, 38, values=[value] * 3)
    assert 7 + sum(pads) + sum(map(len, texts)) <= 38
    assert "−7.68e−05" in texts and "−7.67e−05" not in texts


@pytest.mark.parametrize(
    "value, decimals, comma, plus, text",
    [
        (650.22969, 2, False, False, "650.23"),
        (650.22969, 1, False, True, "+650.2"),
        (-27.0449, 2, True, True, "−27,04"),
        (0.0, 2, False, True, "0.00"),
        (-0.004, 2, False, False, "−0.00"),
        (999.999, 2, False, False, "1000.00"),
    ],
)
def test_fixed_rounds_from_the_value_in_nums_style(value, decimals, comma, plus, text):
    assert fmt.fixed(value, decimals, comma, plus) == text
