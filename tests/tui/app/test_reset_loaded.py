"""Issue 19, "reset that the lecturer expects": r keeps η and the activations; R goes back to the model as
it was loaded (η and both activations included), and the Explain panel says which reset happened.

After `- - -` (η 0.5 → 0.05) and `a` (tanh), exercise 4's numbers no longer come out; after R they do:
w₁₁⁽²⁾ ← 0.40 − 0.50·0.0823 = 0.3588 and b⁽²⁾ ← 0.60 − 0.50·0.1385 = 0.5308 (DESIGN §2, by hand below).
"""

from __future__ import annotations

import pytest

from byhand import sigma
from engine import presets
from engine.network import Params
from engine.stepper import Phase, Stepper
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.status import StatusLine
from tui.text.keys import key_for

A11, A12 = sigma(0.15 * 0.05 + 0.25 * 0.10 + 0.35), sigma(0.20 * 0.05 + 0.30 * 0.10 + 0.35)
YHAT = sigma(0.40 * A11 + 0.45 * A12 + 0.60)
DELTA2 = (YHAT - 0.01) * YHAT * (1 - YHAT)
W11_NEW, B2_NEW = 0.40 - 0.5 * A11 * DELTA2, 0.60 - 0.5 * DELTA2
assert (f"{W11_NEW:.4f}", f"{B2_NEW:.4f}") == ("0.3588", "0.5308")

CHANGE = ["minus", "minus", "minus", "a"]  # η 0.05, hidden tanh
UPDATE = ["f", "f", "b", "b", "u"]
SAID = {
    ("en", "R"): "Reset to the model as loaded (η = 0.50; sigmoid/sigmoid): its initial parameters, epoch 1, sample 1.",
    (
        "pt",
        "R",
    ): "Reiniciado no modelo como carregado (η = 0,50; sigmoide/sigmoide): seus parâmetros iniciais, época 1, "
    "exemplo 1.",
    (
        "en",
        "r",
    ): "Reset parameters: the initial ones, epoch 1, sample 1; η and activations kept (R: the model as loaded).",
    ("pt", "r"): "Parâmetros reiniciados: os iniciais, época 1, exemplo 1; η e ativações mantidos (R: o modelo como "
    "carregado).",
}


def text(app, widget) -> str:
    return app.query_one(widget).render().plain


def squash(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("key", ["R", "r"])
def test_R_restores_the_lecture_example_and_r_keeps_eta_and_activations(key, lang, size, drive):
    comma = lang == "pt"

    def number(v: str) -> str:
        return v.replace(".", ",") if comma else v

    async def scenario(app, pilot):
        for k in CHANGE:
            await pilot.press(k)
        await pilot.pause()
        assert (app.snapshot.lr, app.snapshot.hidden) == (0.05, "tanh")
        await pilot.press(key)
        await pilot.pause()
        assert SAID[lang, key] in squash(text(app, ExplainPanel))
        status = text(app, StatusLine)  # "η = 0.50 │ hidden sigmoid · output sigmoid", or "η 0.50 │ sigmoid/sigmoid"
        sigmoid = "sigmoid" if lang == "en" else "sigmoide"
        if key == "R":
            assert number("0.50") in status and status.count(sigmoid) == 2 and "tanh" not in status
        else:
            assert number("0.05") in status and status.count(sigmoid) == 1 and "tanh" in status
        for k in UPDATE:
            await pilot.press(k)
        await pilot.pause()
        params = text(app, ParametersPanel)
        exercise4 = number("0.3588") in params and number("0.5308") in params
        assert exercise4 is (key == "R"), params
        assert app.snapshot.phase is Phase.U

    drive(scenario, size=size, lang=lang, comma=comma)


def test_undo_undoes_either_reset(drive):
    async def scenario(app, pilot):
        for k in CHANGE:
            await pilot.press(k)
        for k in ("R", "z"):
            await pilot.press(k)
        await pilot.pause()
        assert (app.snapshot.lr, app.snapshot.hidden) == (0.05, "tanh")
        await pilot.press("y")
        await pilot.pause()
        assert (app.snapshot.lr, app.snapshot.hidden, app.snapshot.output) == (0.5, "sigmoid", "sigmoid")
        await pilot.press("r", "z")
        await pilot.pause()
        assert app.snapshot.action == "reset_loaded"

    drive(scenario)


def test_R_goes_to_the_model_opened_last_and_keeps_its_own_start():
    other = presets.load("xor").with_(
        lr=0.2,
        hidden="relu",
        output="tanh",
        params=Params(W1=[[1.0, -1.0], [1.0, -1.0]], b1=[0.0, 0.5], W2=[[1.0], [1.0]], b2=[0.0]),
    )
    st = Stepper(presets.lecture())
    st.load_model(other)  # what o does with a file
    st.lr_up()
    st.cycle_hidden()
    st.step()
    s = st.reset_loaded()
    assert (s.lr, s.hidden, s.output, s.name) == (0.2, "relu", "tanh", other.name)
    assert s.params == other.params and s.phase is Phase.READY and s.epoch == 0 and s.action == "reset_loaded"
    st.undo()
    st.undo()  # the model opened, then (before it) the lecture's: R there goes to the lecture
    while st.snapshot.name != "lecture":
        st.undo()
    s = st.reset_loaded()
    assert (s.lr, s.hidden, s.name) == (0.5, "sigmoid", "lecture")


def test_R_is_in_the_key_table_with_help_in_both_languages():
    from tui.text.i18n import t

    key = key_for("reset_loaded")
    assert key.names == ("R",) and key.shown == "R"
    assert "loaded" in t(key.help, "en") and "carregado" in t(key.help, "pt")
    assert "keeps η" in t(key_for("reset").help, "en") and "ficam" in t(key_for("reset").help, "pt")
