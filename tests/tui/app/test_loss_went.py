"""Exercise 4(d), "verify that the loss went down": after every update one line says what the same
sample gives now (issue 12, item 4). Expected numbers by hand (tests/byhand.py), not from the code."""

import pytest

from byhand import sigma, worked_example
from engine import presets
from tui.app.widgets.explain import ExplainPanel
from tui.text import fmt


def explain(app) -> str:
    return app.query_one(ExplainPanel).render().plain


def by_hand_after() -> tuple[float, float]:
    ex = worked_example()
    (x1, x2), y = ex["x"], ex["y"]
    (w11, w12), (w21, w22) = ex["W1_after"]
    h1 = sigma(w11 * x1 + w21 * x2 + ex["b1_after"][0])
    h2 = sigma(w12 * x1 + w22 * x2 + ex["b1_after"][1])
    yhat = sigma(ex["W2_after"][0] * h1 + ex["W2_after"][1] * h2 + ex["b2_after"])
    return yhat, 0.5 * (yhat - y) ** 2


@pytest.mark.parametrize(
    "size, lang, comma, word",
    [((80, 24), "en", False, "the loss went down"), ((120, 40), "pt", True, "a perda diminuiu")],
)
def test_the_notes_update_says_the_loss_went_down(drive, size, lang, comma, word):
    ex = worked_example()
    yhat, loss = by_hand_after()
    line = (
        f"ŷ {fmt.num(ex['yhat'], comma)} → {fmt.num(yhat, comma)}, Lᵢ {fmt.num(ex['loss'], comma)} → "
        f"{fmt.num(loss, comma)}: {word}"
    )
    assert f"{yhat:.4f}" == "0.7284" and f"{loss:.4f}" == "0.2580"  # DESIGN §2

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        await pilot.pause()
        assert word not in explain(app)
        await pilot.press("u")
        await pilot.pause()
        assert line in explain(app)
        await pilot.press("f")  # the line belongs to the update
        await pilot.pause()
        assert word not in explain(app)

    drive(scenario, size=size, lang=lang, comma=comma)


def test_an_overshoot_says_the_loss_went_up(drive):
    model = presets.lecture().with_(lr=5.0, output="linear")

    async def scenario(app, pilot):
        await pilot.press("s")
        await pilot.pause()
        assert "the loss went up" in explain(app)
        s = app.snapshot
        assert s.update.loss_after > s.forward2.loss

    drive(scenario, model=model)
