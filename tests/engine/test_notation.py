"""engine/notation.py read as a person reads it: exact strings of numbers and symbols, and the
precision the quiz asks at (mutants of notation.py that survived benchmarks/mutation.py, docs/MUTATION.md).
tests/tui/text/test_fmt.py holds the table of `num` in every style; this adds the edges."""

import math

import pytest

from engine import notation as n

M = "\u2212"


@pytest.mark.parametrize(
    "value, kwargs, text",
    [
        (1.5, {}, "1.500e+00"),  # exponent 0 is written +00
        (0.5, {}, "5.000e" + M + "01"),
        (9.9999e5, {"digits": 2}, "1.00e+06"),  # the mantissa's rounding carries into the exponent
        (-2.5, {"plus": True}, M + "2.500e+00"),
        (2.5, {"plus": True, "comma": True}, "+2,500e+00"),
        (1e100, {}, "1.000e+100"),
        (-1e-100, {}, M + "1.000e" + M + "100"),
    ],
)
def test_sci_exponents_and_signs(value, kwargs, text):
    assert n.sci(value, **kwargs) == text


@pytest.mark.parametrize(
    "value, kwargs, text",
    [
        (1e-4, {}, "0.000100"),  # 1e-4 itself is still fixed-point, 6 decimals
        (9.99e-5, {}, "9.990e" + M + "05"),
        (0.00999, {}, "0.009990"),
        (999999.0, {}, "999999.0000"),
        (0.3825, {"extra": 2}, "0.382500"),
        (0.000668, {"extra": 1}, "0.0006680"),
        (6.2024e-5, {"extra": 1}, "6.2024e" + M + "05"),
        (0.3825, {"decimals": 2}, "0.38"),
        (-1.23456e-7, {"comma": True}, M + "1,235e" + M + "07"),
    ],
)
def test_num_at_the_edges_of_its_styles(value, kwargs, text):
    assert n.num(value, **kwargs) == text


def test_integer_writes_the_notes_minus():
    assert [n.integer(v) for v in (-3, 0, 42, 3.9)] == [M + "3", "0", "42", "3"]


@pytest.mark.parametrize(
    "value, asked",
    [
        (0.0, ("decimals", 4)),
        (0.01, ("decimals", 4)),
        (-0.5, ("decimals", 4)),
        (999999.0, ("decimals", 4)),
        (math.inf, ("decimals", 4)),
        (math.nan, ("decimals", 4)),
        (0.00999, ("decimals", 6)),
        (-0.000668, ("decimals", 6)),
        (1e-4, ("decimals", 6)),
        (9.99e-5, ("significant", 4)),
        (6.24e-7, ("significant", 4)),
        (2e6, ("significant", 4)),
        (-1e6, ("significant", 4)),
    ],
)
def test_precision_is_the_one_the_panels_show(value, asked):
    """Issue 18: 2·10⁶ was asked at 4 decimals where the panels write 2.000e+06."""
    assert n.precision(value) == asked


@pytest.mark.parametrize(
    "value", [0.3825, -0.5, 123.4567, 999999.0, 0.00999, -0.000668, 1e-4, 9.99e-5, 6.24e-7, 2e6, -1.5e300, 3e-300]
)
def test_precision_counts_the_digits_num_writes(value):
    """The precision asked is read off `num`'s own text: decimals after the point, or the mantissa's
    significant digits in scientific notation."""
    kind, digits = n.precision(value)
    text = n.num(value).replace(M, "-")
    if kind == "significant":
        mantissa = text.split("e")[0].lstrip("-")
        assert "e" in text and len(mantissa.replace(".", "")) == digits, text
    else:
        assert "e" not in text and len(text.split(".")[1]) == digits, text


@pytest.mark.parametrize(
    "value, kind, digits, half",
    [
        (0.3, "decimals", 4, 5e-5),
        (123.0, "decimals", 2, 5e-3),
        (0.000668, "significant", 3, 5e-7),  # 0.000668 ± 0.0000005
        (-6.24e-7, "significant", 3, 5e-10),
        (0.001, "significant", 3, 5e-6),  # a power of ten: its first digit is the 1
        (0.0, "significant", 3, 5e-4),
    ],
)
def test_half_unit_of_the_last_digit_asked(value, kind, digits, half):
    assert math.isclose(n.half_unit(value, kind, digits), half, rel_tol=1e-12)


@pytest.mark.parametrize(
    "value, comma, tex",
    [
        (-6.2024e-5, True, r"-6{,}202 \times 10^{-5}"),
        (1e6, False, r"1.000 \times 10^{6}"),
        (-math.inf, False, r"-\infty"),
        (math.nan, True, r"\mathrm{NaN}"),
        (0.0, True, "0"),
    ],
)
def test_tex_number(value, comma, tex):
    assert n.tex_number(n.num(value, comma)) == tex


def test_the_symbol_table_as_text_and_as_latex():
    table = [
        (n.x(1), "x₁", "x_1"),
        (n.Y, "y", "y"),
        (n.YHAT, "ŷ", r"\hat{y}"),
        (n.LOSS, "Lᵢ", "L_i"),
        (n.ETA, "η", r"\eta"),
        (n.z(1, 1), "z₁⁽¹⁾", "z_1^{(1)}"),
        (n.z(1, 2), "z⁽²⁾", "z^{(2)}"),
        (n.a(2, 1), "a₂⁽¹⁾", "a_2^{(1)}"),
        (n.a(1, 2), "ŷ", r"\hat{y}"),
        (n.delta(2, 1), "δ₂⁽¹⁾", r"\delta_2^{(1)}"),
        (n.delta(1, 2), "δ⁽²⁾", r"\delta^{(2)}"),
        (n.weight(2, 1, 1), "w₂₁⁽¹⁾", "w_{21}^{(1)}"),
        (n.weight(1, 1, 2), "w₁₁⁽²⁾", "w_{11}^{(2)}"),
        (n.bias(2, 1), "b₂⁽¹⁾", "b_2^{(1)}"),
        (n.bias(1, 2), "b⁽²⁾", "b^{(2)}"),
        (n.fprime(n.z(2, 1)), "f'(z₂⁽¹⁾)", "f'(z_2^{(1)})"),
        (n.grad(n.weight(2, 1, 1)), "∂L/∂w₂₁⁽¹⁾", r"\frac{\partial L_i}{\partial w_{21}^{(1)}}"),
    ]
    for sym, text, tex in table:
        assert (sym.text, str(sym), sym.tex) == (text, text, tex)
    assert n.a(1, 2) is n.YHAT


def test_params_in_the_notes_order_and_their_latex_helpers():
    assert [(key, arr, index) for key, arr, index in n.PARAMS] == [
        (("W1", 1, 1), "W1", (0, 0)),
        (("W1", 1, 2), "W1", (0, 1)),
        (("W1", 2, 1), "W1", (1, 0)),
        (("W1", 2, 2), "W1", (1, 1)),
        (("b1", 1), "b1", (0,)),
        (("b1", 2), "b1", (1,)),
        (("W2", 1, 1), "W2", (0, 0)),
        (("W2", 2, 1), "W2", (1, 0)),
        (("b2", 1), "b2", (0,)),
    ]
    assert [n.param(key).text for key, _, _ in n.PARAMS] == [
        "w₁₁⁽¹⁾",
        "w₁₂⁽¹⁾",
        "w₂₁⁽¹⁾",
        "w₂₂⁽¹⁾",
        "b₁⁽¹⁾",
        "b₂⁽¹⁾",
        "w₁₁⁽²⁾",
        "w₂₁⁽²⁾",
        "b⁽²⁾",
    ]
    assert (
        n.z(1, 2).tex == "z^{(2)}"
        and n.delta(1, 2).tex == r"\delta^{(2)}"
        and n.delta(2, 1).tex == r"\delta_2^{(1)}"
        and n.z(1, 1).tex == "z_1^{(1)}"
    )
    assert n.weight(1, 2, 1).tex == "w_{12}^{(1)}" and n.bias(1, 2).tex == "b^{(2)}" and n.bias(2, 1).tex == "b_2^{(1)}"
    assert n.a(12, 1).tex == "a_{12}^{(1)}" and n.a(1, 2).tex == n.YHAT.tex == r"\hat{y}"
