"""engine/equations.py written out as a student reads it: every line of the notes' worked example
(DESIGN §2, the notes' numbers), with its section, role and the value the notes misprint, and the
other activations' and LaTeX's forms (mutants of equations.py that survived benchmarks/mutation.py,
docs/MUTATION.md). Each substitution was checked by hand against the notes: 0.15·0.05 + 0.25·0.10 + 0.35
= 0.3825, …, w₁₁⁽²⁾ ← 0.40 − 0.50·0.08233 = 0.3588."""

import dataclasses
import math

import pytest

from engine import equations as E
from engine import presets
from engine.model import Model
from engine.network import Params
from engine.stepper import Phase, Stepper, initial_snapshot, next_micro_step

# phase, section, role, the line as written, the notes' printed value, where they print it
NOTES = [
    ("F1", "2.3", "main", "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825", None, ""),
    ("F1", "2.3", "main", "z₂⁽¹⁾ = w₁₂⁽¹⁾x₁ + w₂₂⁽¹⁾x₂ + b₂⁽¹⁾ = 0.20·0.05 + 0.30·0.10 + 0.35 = 0.3900", None, ""),
    ("F1", "2.3", "main", "a₁⁽¹⁾ = f(z₁⁽¹⁾) = σ(0.3825) = 0.5945", 0.5946, "2"),
    ("F1", "2.3", "main", "a₂⁽¹⁾ = f(z₂⁽¹⁾) = σ(0.39) = 0.5963", 0.5969, "2"),
    (
        "F2",
        "2.3",
        "main",
        "z⁽²⁾ = w₁₁⁽²⁾a₁⁽¹⁾ + w₂₁⁽²⁾a₂⁽¹⁾ + b⁽²⁾ = 0.40·0.5945 + 0.45·0.5963 + 0.60 = 1.1061",
        1.1059,
        "2",
    ),
    ("F2", "2.3", "main", "ŷ = f(z⁽²⁾) = σ(1.1061) = 0.7514", None, ""),
    ("F2", "2.1", "main", "Lᵢ = ½(ŷ − y)² = ½(0.7514 − 0.01)² = 0.2748", None, ""),
    ("B2", "2.5", "detail", "f'(z⁽²⁾) = ŷ(1 − ŷ) = 0.7514·(1 − 0.7514) = 0.1868", None, ""),
    ("B2", "2.5", "main", "δ⁽²⁾ = (ŷ − y)·f'(z⁽²⁾) = (0.7514 − 0.01)·0.1868 = 0.1385", None, ""),
    ("B2", "2.5", "main", "∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾δ⁽²⁾ = 0.5945·0.1385 = 0.0823", None, ""),
    ("B2", "2.5", "main", "∂L/∂w₂₁⁽²⁾ = a₂⁽¹⁾δ⁽²⁾ = 0.5963·0.1385 = 0.0826", None, ""),
    ("B2", "2.8", "detail", "∂L/∂b⁽²⁾ = δ⁽²⁾ = 0.1385", None, ""),
    ("B1", "2.6", "detail", "∂L/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ⁽²⁾ = 0.40·0.1385 = 0.0554", None, ""),
    ("B1", "2.6", "detail", "∂L/∂a₂⁽¹⁾ = w₂₁⁽²⁾δ⁽²⁾ = 0.45·0.1385 = 0.0623", None, ""),
    ("B1", "2.6", "main", "f'(z₁⁽¹⁾) = a₁⁽¹⁾(1 − a₁⁽¹⁾) = 0.5945·(1 − 0.5945) = 0.2411", 0.241, "3"),
    ("B1", "2.6", "main", "f'(z₂⁽¹⁾) = a₂⁽¹⁾(1 − a₂⁽¹⁾) = 0.5963·(1 − 0.5963) = 0.2407", 0.2405, "3"),
    ("B1", "2.6", "main", "δ₁⁽¹⁾ = ∂L/∂a₁⁽¹⁾·f'(z₁⁽¹⁾) = 0.0554·0.2411 = 0.0134", None, ""),
    ("B1", "2.6", "main", "δ₂⁽¹⁾ = ∂L/∂a₂⁽¹⁾·f'(z₂⁽¹⁾) = 0.0623·0.2407 = 0.0150", None, ""),
    ("B1", "2.6", "detail", "∂L/∂w₁₁⁽¹⁾ = x₁δ₁⁽¹⁾ = 0.05·0.013355 = 0.000668", None, ""),
    ("B1", "2.7", "detail", "∂L/∂w₁₂⁽¹⁾ = x₁δ₂⁽¹⁾ = 0.05·0.0150 = 0.000750", None, ""),
    ("B1", "2.6", "main", "∂L/∂w₂₁⁽¹⁾ = x₂δ₁⁽¹⁾ = 0.10·0.01335 = 0.001335", None, ""),
    ("B1", "2.6", "detail", "∂L/∂w₂₂⁽¹⁾ = x₂δ₂⁽¹⁾ = 0.10·0.0150 = 0.001500", None, ""),
    ("B1", "2.8", "detail", "∂L/∂b₁⁽¹⁾ = δ₁⁽¹⁾ = 0.0134", None, ""),
    ("B1", "2.8", "detail", "∂L/∂b₂⁽¹⁾ = δ₂⁽¹⁾ = 0.0150", None, ""),
    (
        "B1",
        "2.6",
        "chain",
        "∂L/∂w₂₁⁽¹⁾ = x₂ × f'(z₁⁽¹⁾) × w₁₁⁽²⁾ × f'(z⁽²⁾) × (ŷ − y) = 0.10 × 0.24107 × 0.40 × 0.18680 × (0.75140 − 0.01) = 0.001335",
        None,
        "",
    ),
    ("U", "2.9", "main", "w₁₁⁽²⁾ ← w₁₁⁽²⁾ − η ∂L/∂w₁₁⁽²⁾ = 0.40 − 0.50·0.08233 = 0.3588", None, ""),
    ("U", "2.9", "main", "w₂₁⁽²⁾ ← w₂₁⁽²⁾ − η ∂L/∂w₂₁⁽²⁾ = 0.45 − 0.50·0.0826 = 0.4087", None, ""),
    ("U", "2.9", "main", "b⁽²⁾ ← b⁽²⁾ − η ∂L/∂b⁽²⁾ = 0.60 − 0.50·0.13849 = 0.5308", None, ""),
    ("U", "2.9", "detail", "w₁₁⁽¹⁾ ← w₁₁⁽¹⁾ − η ∂L/∂w₁₁⁽¹⁾ = 0.15 − 0.50·0.000668 = 0.1497", None, ""),
    ("U", "2.9", "detail", "w₁₂⁽¹⁾ ← w₁₂⁽¹⁾ − η ∂L/∂w₁₂⁽¹⁾ = 0.20 − 0.50·0.000750 = 0.1996", None, ""),
    ("U", "2.9", "main", "w₂₁⁽¹⁾ ← w₂₁⁽¹⁾ − η ∂L/∂w₂₁⁽¹⁾ = 0.25 − 0.50·0.001335 = 0.2493", None, ""),
    ("U", "2.9", "detail", "w₂₂⁽¹⁾ ← w₂₂⁽¹⁾ − η ∂L/∂w₂₂⁽¹⁾ = 0.30 − 0.50·0.0015003 = 0.2992", None, ""),
    ("U", "2.9", "detail", "b₁⁽¹⁾ ← b₁⁽¹⁾ − η ∂L/∂b₁⁽¹⁾ = 0.35 − 0.50·0.0134 = 0.3433", None, ""),
    ("U", "2.9", "detail", "b₂⁽¹⁾ ← b₂⁽¹⁾ − η ∂L/∂b₂⁽¹⁾ = 0.35 − 0.50·0.0150 = 0.3425", None, ""),
]


def lines(model):
    s = Stepper(model)
    out = []
    for _ in range(5):
        snap = s.step()
        out += [(snap.phase, e) for e in E.of_snapshot(snap)]
    return out


def test_the_notes_worked_example_line_by_line():
    got = [
        (phase.value, e.section, e.role, E.write(e).line(), e.printed, e.where) for phase, e in lines(presets.lecture())
    ]
    assert got == NOTES


def test_an_update_writes_no_symbolic_form_and_its_arrow():
    ((_, e),) = [(p, e) for p, e in lines(presets.lecture()) if e.update and e.quantity.text == "b⁽²⁾"]
    assert E.write(e) == E.Written("b⁽²⁾ ← b⁽²⁾ − η ∂L/∂b⁽²⁾", "", "0.60 − 0.50·0.13849", "=", "0.5308")
    assert E.write(e, comma=True, tex=True) == E.Written(
        r"b^{(2)} \leftarrow b^{(2)} - \eta\, \frac{\partial L_i}{\partial b^{(2)}}",
        "",
        r"0{,}60 - 0{,}50 \cdot 0{,}13849",
        "=",
        "0{,}5308",
    )


def test_tanh_in_text_with_a_comma_and_in_latex():
    got = {
        e.quantity.text if e.role != "chain" else "chain": e for _, e in lines(presets.lecture().with_(hidden="tanh"))
    }
    assert E.write(got["a₁⁽¹⁾"], comma=True).line() == "a₁⁽¹⁾ = f(z₁⁽¹⁾) = tanh(0,3825) = 0,3649"
    assert E.write(got["a₁⁽¹⁾"], tex=True).line() == r"a_1^{(1)} = f(z_1^{(1)}) = \tanh(0.3825) = 0.3649"
    assert E.write(got["Lᵢ"], tex=True).line() == (
        r"L_i = \tfrac{1}{2}\left(\hat{y} - y\right)^2 = "
        r"\tfrac{1}{2}\left(0.7136 - 0.01\right)^2 = 0.2475"
    )
    assert E.write(got["δ⁽²⁾"], tex=True).line() == (
        r"\delta^{(2)} = \left(\hat{y} - y\right) \cdot f'(z^{(2)}) = "
        r"\left(0.7136 - 0.01\right) \cdot 0.2044 = 0.1438"
    )
    assert E.write(got["f'(z₁⁽¹⁾)"]).line() == "f'(z₁⁽¹⁾) = 1 − (a₁⁽¹⁾)² = 1 − 0.36488² = 0.8669"
    assert (
        E.write(got["f'(z₁⁽¹⁾)"], tex=True).line()
        == r"f'(z_1^{(1)}) = 1 - \left(a_1^{(1)}\right)^2 = 1 - 0.36488^2 = 0.8669"
    )
    assert E.write(got["chain"], comma=True).line() == (
        "∂L/∂w₂₁⁽¹⁾ = x₂ × f'(z₁⁽¹⁾) × w₁₁⁽²⁾ × f'(z⁽²⁾) × (ŷ − y) = 0,10 × 0,86687 × 0,40 × 0,20436 × "
        "(0,71363 − 0,01) = 0,004986"
    )


def test_relu_a_linear_output_and_a_negative_factor():
    lecture = presets.lecture()
    model = Model(
        "neg",
        Params(W1=[[-0.5, 0.2], [0.25, 0.3]], b1=[0.1, 0.35], W2=[[-0.4], [0.45]], b2=[0.6]),
        lecture.X,
        lecture.Y,
        hidden="relu",
        output="linear",
    )
    got = {e.quantity.text: E.write(e) for _, e in lines(model) if e.role != "chain"}
    assert got["z₁⁽¹⁾"].line() == "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = (−0.50)·0.05 + 0.25·0.10 + 0.10 = 0.1000"
    assert got["a₁⁽¹⁾"].line() == "a₁⁽¹⁾ = f(z₁⁽¹⁾) = ReLU(0.10) = 0.1000"
    assert got["ŷ"].line() == "ŷ = z⁽²⁾ = 0.7355"  # a linear output: nothing to substitute
    assert got["f'(z⁽²⁾)"].line() == "f'(z⁽²⁾) = 1 = 1.0000"
    assert got["f'(z₁⁽¹⁾)"].line() == "f'(z₁⁽¹⁾) = [z₁⁽¹⁾ > 0] = [0.10 > 0] = 1.0000"
    (z1,) = [e for _, e in lines(model) if e.quantity.text == "z₁⁽¹⁾"]
    assert E.write(z1, tex=True).line() == (
        r"z_1^{(1)} = w_{11}^{(1)}\,x_1 + w_{21}^{(1)}\,x_2 + b_1^{(1)} = "
        r"\left(-0.50\right) \cdot 0.05 + 0.25 \cdot 0.10 + 0.10 = 0.1000"
    )


def test_numbers_as_written_read_back():
    assert E.number("∞") == math.inf and E.number("−∞") == -math.inf
    assert E.number("−0,5") == -0.5 and E.number("6.202e−05") == 6.202e-05
    assert (
        E.tex_number("NaN") == r"\mathrm{NaN}" and E.tex_number("−∞") == r"-\infty" and E.tex_number("∞") == r"\infty"
    )
    assert E.tex_number("−1,5e−05") == r"-1{,}5 \times 10^{-5}"


@pytest.mark.parametrize(
    "phase, missing, named",
    [
        (Phase.B1, "delta2", "B2"),
        (Phase.B1, "dW1", "B1"),
        (Phase.U, "dW1", "B1"),
        (Phase.U, "params_after", "U"),
        (Phase.F2, "a1", "F1"),
        (Phase.F2, "loss", "F2"),
    ],
)
def test_an_equation_of_a_phase_not_computed_names_the_phase(phase, missing, named):
    s = Stepper(presets.lecture())
    snap = s.finish_sample()
    sample = E.sample_of(snap)
    with pytest.raises(ValueError, match=f"^phase {named} is not computed yet$"):
        E.MICRO_STEPS[phase](dataclasses.replace(sample, **{missing: None}))


def test_a_relu_unit_that_is_off_writes_zeros_with_equals():
    lecture = presets.lecture()
    model = Model(
        "off",
        Params(W1=[[-0.5, 0.2], [0.25, 0.3]], b1=[-0.1, 0.35], W2=[[-0.4], [0.45]], b2=[0.6]),
        lecture.X,
        lecture.Y,
        hidden="relu",
        output="linear",
    )
    got = {e.quantity.text: E.write(e).line() for _, e in lines(model) if e.role != "chain"}
    assert got["z₁⁽¹⁾"] == "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = (−0.50)·0.05 + 0.25·0.10 + (−0.10) = −0.1000"
    assert got["a₁⁽¹⁾"] == "a₁⁽¹⁾ = f(z₁⁽¹⁾) = ReLU(−0.10) = 0"
    assert got["f'(z₁⁽¹⁾)"] == "f'(z₁⁽¹⁾) = [z₁⁽¹⁾ > 0] = [−0.10 > 0] = 0"
    assert got["δ₁⁽¹⁾"] == "δ₁⁽¹⁾ = ∂L/∂a₁⁽¹⁾·f'(z₁⁽¹⁾) = (−0.3062)·0 = 0"


def test_from_shown_is_the_arithmetic_of_the_numbers_as_written():
    (loss,) = [e for _, e in lines(presets.lecture()) if e.quantity.text == "Lᵢ"]
    assert math.isclose(E.from_shown(loss), 0.5 * (0.7514 - 0.01) ** 2, rel_tol=1e-15)
    # two digits more: ŷ = 0.75140460… (tests/byhand.py) written 0.751405
    assert math.isclose(E.from_shown(loss, 2), 0.5 * (0.751405 - 0.01) ** 2, rel_tol=1e-15)


def test_an_equation_that_overflows_is_written_as_the_panels_show_it():
    lecture = presets.lecture()
    model = Model(
        "big", Params(W1=[[0, 0], [0, 0]], b1=[0, 0], W2=[[1e200], [1e200]], b2=[0]), lecture.X, [0.0], output="linear"
    )
    snap = next_micro_step(next_micro_step(initial_snapshot(model)))  # F2, though L₀ already overflowed
    (loss,) = [e for e in E.of_snapshot(snap) if e.quantity.text == "Lᵢ"]
    assert E.shown(loss) == E.Shown(0, True)
    assert E.write(loss).line() == "Lᵢ = ½(ŷ − y)² = ½(1.000e+200 − 0)² = ∞"


def test_a_relu_output_in_the_backward_pass():
    got = [E.write(e).line() for p, e in lines(presets.lecture().with_(output="relu")) if p is Phase.B2]
    assert got == [
        "f'(z⁽²⁾) = [z⁽²⁾ > 0] = [1.1061 > 0] = 1.0000",
        "δ⁽²⁾ = (ŷ − y)·f'(z⁽²⁾) = (1.1061 − 0.01)·1.00 = 1.0961",
        "∂L/∂w₁₁⁽²⁾ = a₁⁽¹⁾δ⁽²⁾ = 0.5945·1.0961 = 0.6516",
        "∂L/∂w₂₁⁽²⁾ = a₂⁽¹⁾δ⁽²⁾ = 0.5963·1.0961 = 0.6536",
        "∂L/∂b⁽²⁾ = δ⁽²⁾ = 1.0961",
    ]
