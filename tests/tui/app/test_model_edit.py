"""The model's editable values, pure (tui/app/model_edit.py): the fields the Edit screen (w) lists and
the models its changes make. The Edit screen itself: test_edit.py."""

from __future__ import annotations

import pytest

from engine import presets
from engine.stepper import Stepper
from tui.app.model_edit import (
    exact_text,
    field_value,
    model_fields,
    model_now,
    with_row_added,
    with_row_deleted,
    with_value,
)
from tui.text import fmt


def test_every_parameter_setting_and_data_value_is_a_field():
    m = presets.load("xor")
    fields = model_fields(m)
    configs = [f.config for f in fields if f.config]
    assert configs[:3] == ["learning_rate", "activation", "output_activation"]
    assert configs[3:12] == [
        "weights.W1[0][0]",
        "weights.W1[0][1]",
        "weights.W1[1][0]",
        "weights.W1[1][1]",
        "weights.b1[0]",
        "weights.b1[1]",
        "weights.W2[0][0]",
        "weights.W2[1][0]",
        "weights.b2[0]",
    ]
    assert configs[12:] == [f"data.{n}" for r in range(4) for n in (f"x[{r}][0]", f"x[{r}][1]", f"y[{r}]")]
    assert [f.kind for f in fields[-2:]] == ["add_row", "del_row"]
    w21 = next(f for f in fields if f.config == "weights.W1[1][0]")
    assert w21.symbol == "w₂₁⁽¹⁾" and field_value(m, w21.key) == m.params.W1[1][0]


def test_with_value_changes_one_number_and_nothing_else():
    m = presets.lecture()
    new = with_value(m, ("W1", 1, 0), 0.3)
    assert new.params.W1.tolist() == [[0.15, 0.20], [0.30, 0.30]]
    assert new.params.b1.tolist() == m.params.b1.tolist() and new.params.W2.tolist() == m.params.W2.tolist()
    assert m.params.W1[1][0] == 0.25  # the old model is untouched (frozen)
    assert with_value(m, ("x", 0, 1), 0.2).X.tolist() == [[0.05, 0.2]]
    assert with_value(m, ("y", 0), 0.99).Y.tolist() == [0.99]
    assert with_value(m, ("lr",), 0.1).lr == 0.1
    with pytest.raises(ValueError):
        with_value(m, ("lr",), 0.0)


def test_rows_added_and_deleted():
    m = presets.lecture()
    two = with_row_added(m)
    assert two.X.tolist() == [[0.05, 0.10], [0.05, 0.10]] and two.Y.tolist() == [0.01, 0.01]
    assert with_row_deleted(two).X.tolist() == [[0.05, 0.10]]
    with pytest.raises(ValueError):
        with_row_deleted(m)


def test_model_now_takes_the_current_parameters():
    stepper = Stepper(presets.lecture())
    stepper.finish_sample()
    now = model_now(stepper.snapshot, stepper.model)
    assert now.params == stepper.snapshot.params and now.params != presets.lecture().params


@pytest.mark.parametrize("value", [0.3825, -0.5, 0.0, -0.0, 1e-05, -1.234e-300, 1e300, 0.1 + 0.2])
@pytest.mark.parametrize("comma", [False, True])
def test_the_value_to_edit_is_exact_and_in_the_screens_style(value, comma):
    text = exact_text(value, comma)
    assert fmt.parse_number(text) == value  # every digit: Enter on it changes nothing
    assert "-" not in text and (text == "0") == (value == 0)  # the screen's minus (−) and zero
