"""tui/text/fmt.py's shortening and column layout (what a panel does with a number too wide for it) and
the activations' ranges, to the character (mutants of fmt.py that survived benchmarks/mutation.py,
docs/MUTATION.md). The numbers here are exact in binary: shortening the text or the value agrees."""

import pytest

from tui.text import fmt

M = "\u2212"


@pytest.mark.parametrize(
    "text, shorter",
    [
        ("1.000e+300", "1.00e+300"),
        ("1.00e+300", "1.0e+300"),
        ("1.0e+300", "1e+300"),
        ("1e+300", "1e+300"),
        ("+2.500e+06", "+2.50e+06"),
        ("2,500e+06", "2,50e+06"),
        (f"1.500e{M}05", f"1.50e{M}05"),
        ("123456.7890", "1.235e+05"),
        (f"{M}123456.7890", f"{M}1.235e+05"),
        ("123456,7890", "1,235e+05"),
        ("0.3825", "0.3825"),
        ("0", "0"),
        ("NaN", "NaN"),
        ("label", "label"),
    ],
)
def test_shorter_drops_one_digit_in_the_one_scientific_style(text, shorter):
    assert fmt.shorter(text) == shorter


def test_column_pads_right_align_and_never_touch():
    assert fmt.column_pads(["0.3825", f"{M}3.830e{M}05", ""], [8, 8, 8], start=2) == [2, 1, 5]


def test_fit_row_shortens_the_longest_until_the_row_fits():
    assert fmt.fit_row(["1.000e+300", "0.5"], [6, 6]) == (["1.000e+300", "0.5"], [1, 1])
    assert fmt.fit_row(["1.000e+300", "0.5"], [6, 6], room=12) == (["1e+300", "0.5"], [1, 2])
    # of two as long, the one that overflows its column more goes first
    assert fmt.fit_row(["1.000e+300", "2.000e+300"], [12, 10], room=22) == (["1.000e+300", "2.00e+300"], [2, 1])
    # nothing left to shorten: the row as it is, never cut
    assert fmt.fit_row(["label", "0.5"], [2, 2], room=3) == (["label", "0.5"], [1, 1])


@pytest.mark.parametrize(
    "name, comma, text",
    [
        ("sigmoid", False, "[0, 1]"),
        ("sigmoid", True, "[0; 1]"),
        ("tanh", False, f"[{M}1, 1]"),
        ("relu", False, "[0, ∞)"),
        ("linear", True, f"({M}∞; ∞)"),
    ],
)
def test_value_range(name, comma, text):
    assert fmt.value_range(name, comma) == text


def test_an_empty_column_after_a_wide_number_takes_no_space():
    assert fmt.column_pads(["1.000e+300", ""], [4, 4]) == [1, 0]


def test_fit_row_counts_the_columns_before_it():
    # 3 characters before the row: 1.000e+300 (10) needs 1 space, 0.5 one → 3 + 2 + 13 = 18
    assert fmt.fit_row(["1.000e+300", "0.5"], [6, 6], start=3, room=18) == (["1.000e+300", "0.5"], [1, 1])
    assert fmt.fit_row(["1.000e+300", "0.5"], [6, 6], start=3, room=17) == (["1.00e+300", "0.5"], [1, 1])


def test_short_with_a_decimal_comma_and_what_parse_number_refuses():
    assert fmt.short(0.15, comma=True) == "0,15" and fmt.short(-5.0, comma=True) == f"{M}5,00"
    for text, why in [
        ("1,234.5", "not a number: '1,234.5'"),
        ("1,2,3", "not a number: '1,2,3'"),
        ("infinity", "not a number: 'infinity'"),
        ("-inf", "not a number: '-inf'"),
        ("1_000", "not a number: '1_000'"),
        ("1e999", "not a finite number: '1e999'"),
    ]:
        with pytest.raises(ValueError) as e:
            fmt.parse_number(text)
        assert str(e.value) == why


def test_shorter_keeps_a_sign_and_the_fixed_form_when_it_is_not_longer():
    assert fmt.shorter("+123456.7890") == "+1.235e+05"
    assert fmt.shorter("9999.1234") == "9999.1234"  # 9.999e+03 is as long and says less


def test_symbols_of_the_text_layer():
    assert fmt.layer(1) == "⁽¹⁾" and fmt.sub(12) == "₁₂" and fmt.sup("(2)") == "⁽²⁾"
    assert fmt.sym("z", 1, 2) == "z⁽²⁾" and fmt.sym("a", 2, 1) == "a₂⁽¹⁾"
    assert fmt.weight(2, 1, 1) == "w₂₁⁽¹⁾" and fmt.bias(1, 2) == "b⁽²⁾" and fmt.param(("W2", 2, 1)) == "w₂₁⁽²⁾"


def test_parse_number_reads_spaces_and_names_nan_as_not_a_number():
    assert fmt.parse_number(f" {M} 0,5 ") == -0.5 and fmt.parse_number("1 000") == 1000.0
    for text in ("nan", "NaN", "+inf"):
        with pytest.raises(ValueError) as e:
            fmt.parse_number(text)
        assert str(e.value) == f"not a number: {text!r}"
