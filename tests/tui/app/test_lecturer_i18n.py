"""Issue 19, what the lecturer tried and missed: the app in Portuguese (activation names, the help's
keys, the Loss chart's label), the activation view without colour, and the sweep's line L = threshold."""

from __future__ import annotations

import dataclasses

import pytest

from engine import presets
from tui.app.screens.activation import ActivationPlot
from tui.app.screens.help import HelpScreen
from tui.app.screens.sweep import SweepScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.loss import LossPlot
from tui.app.widgets.status import StatusLine
from tui.text import fmt
from tui.text.histogram import log10_range
from tui.text.i18n import t

SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang, sigmoid, relu", [("pt", "sigmoide", "ReLU"), ("en", "sigmoid", "relu")])
def test_the_status_line_and_explain_name_the_activations_in_the_language(size, lang, sigmoid, relu, drive):
    async def scenario(app, pilot):
        status = app.query_one(StatusLine).render().plain
        assert sigmoid in status.split("│")[-1]
        if lang == "pt":
            assert "sigmoid/" not in status and "sigmoid " not in status
        await pilot.press("a", "a")  # σ → tanh → ReLU
        await pilot.pause()
        assert app.snapshot.hidden == "relu"  # the machine name stays
        assert relu in app.query_one(StatusLine).render().plain.split("│")[-1]
        explain = " ".join(app.query_one(ExplainPanel).render().plain.split())
        assert t("ui_ex_activation", lang, hidden=relu, output=sigmoid) in explain

    drive(scenario, size=size, lang=lang)


@pytest.mark.parametrize("lang, name", [("pt", "camada oculta: sigmoide"), ("en", "hidden layer: sigmoid")])
def test_the_activation_view_names_the_layer_s_activation_in_the_language(lang, name, drive):
    async def scenario(app, pilot):
        await pilot.press("v")
        await pilot.pause()
        assert name in str(app.screen.query_one("#act-title").render())

    drive(scenario, lang=lang, size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_help_writes_the_space_key_in_the_language(lang, drive):
    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body").render())
        spelled = t("key_space", lang)
        assert f"{spelled} {t('ui_help_space', lang)}" in " ".join(text.split())  # the key of its row
        if lang == "pt":
            assert " space " not in text

    drive(scenario, lang=lang)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_loss_charts_label_shows_whole_or_not_at_all(size, lang, drive):
    """At 120×40 the chart has a row for its x label and the label fits in it (the Portuguese one was
    too long and vanished); at 80×24 the chart is 4 rows high and has no label row in either language."""

    async def scenario(app, pilot):
        await pilot.press("s", "s")
        await pilot.pause()
        plot = app.query_one(LossPlot)
        drawn = plot.render().plain
        label = t("ui_loss_chart", lang)
        if plot.size.height >= 8:
            assert label in drawn
        else:
            assert label.split()[0] not in drawn.split()  # no label row, not a piece of one

    drive(scenario, size=size, lang=lang)


def test_the_loss_chart_label_has_its_row_at_120x40(drive):
    async def scenario(app, pilot):
        assert app.query_one(LossPlot).size.height >= 8

    drive(scenario, size=(120, 40))


# --- colour alone: v without colour ------------------------------------------------------------------


def series_glyphs(drawn: str) -> dict[str, str]:
    """The legend's glyph of each series: 'GG f(z)' → {'f(z)': 'G'}."""
    out = {}
    for line in drawn.splitlines():
        for label in ("f'(z)", "f(z)"):
            k = line.find(" " + label)
            if k >= 2 and label not in out and line[k - 1] == line[k - 2]:
                out[label] = line[k - 1]
                break
    return out


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_f_and_f_prime_differ_in_glyph_not_colour_alone(lang, monkeypatch, drive):
    monkeypatch.setenv("NO_COLOR", "1")

    async def scenario(app, pilot):
        await pilot.press("v", "f")
        await pilot.pause()
        plot = app.screen.query_one(ActivationPlot)
        drawn = plot.render().plain
        glyphs = series_glyphs(drawn)
        assert set(glyphs) == {"f(z)", "f'(z)"}, drawn
        f_glyph, fp_glyph = glyphs["f(z)"], glyphs["f'(z)"]
        braille = lambda c: 0x2800 <= ord(c) <= 0x28FF
        # different kinds of glyph: f in braille, f' in its own character that braille never is
        assert braille(f_glyph) and not braille(fp_glyph)
        body = drawn.splitlines()[3:]
        assert sum(line.count(fp_glyph) for line in body) >= 10  # f' drawn in it, not just its legend
        assert sum(1 for line in body for c in line if braille(c)) >= 10  # f drawn in braille

    drive(scenario, lang=lang)


# --- sweep: the line L = threshold ------------------------------------------------------------------


def bars_text(screen) -> str:
    hist = screen.query_one("#sweep-hist")
    return hist.plt.uncolorize(hist.plt.build())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_sweep_line_is_drawn_when_on_the_axis_and_placed_in_words_when_not(lang, size, drive):
    xor = presets.load("xor")

    async def scenario(app, pilot):
        screen = SweepScreen(xor, nets=20, epochs=200, lang=lang)
        await app.push_screen(screen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        result = screen.result
        lo, hi = log10_range(result.runs)

        def show(threshold: float) -> tuple[str, str]:
            screen.result = dataclasses.replace(result, threshold=threshold)
            screen._draw()
            return str(screen.query_one("#sweep-hist-title").render()), bars_text(screen)

        inside, drawn_inside = show(10 ** ((lo + hi) / 2))
        right, drawn_right = show(10 ** (hi + 1))
        left, drawn_left = show(10 ** (lo - 1))
        # on the axis: the caption says "the line is" and a line runs through the plot (more │ than without)
        assert ("the line is L = " if lang == "en" else "a linha é L = ") in inside
        assert drawn_inside.count("│") > drawn_right.count("│")
        # off it: no line, and the caption says on which side L = threshold lies, and what that means
        at_right = fmt.num(hi + 1)
        assert drawn_right.count("│") == drawn_left.count("│")
        if lang == "en":
            assert "right of the axis" in right and "all below it" in right
            assert "left of the axis" in left and "all above it" in left
        else:
            assert "à direita do eixo" in right and "abaixo dele" in right
            assert "à esquerda do eixo" in left and "acima dele" in left
        assert f"log₁₀ L = {at_right}" in right
        assert "the line is" not in right and "a linha é" not in right
        # where the line is has a row of its own, whole at 80 columns too
        box = screen.query_one("#sweep-hist-title").content_region
        assert box.height >= 2 and all(
            len(line) <= box.width for line in (inside + "\n" + right + "\n" + left).split("\n")
        )

    drive(scenario, model=xor, size=size)


# --- counts on screen ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, one_row, many_rows", [("en", "the only row", "all 4 rows"), ("pt", "a única linha", "todas as 4 linhas")]
)
def test_the_predictions_count_says_the_only_row_for_one_and_all_for_more(lang, one_row, many_rows, drive):
    from tui.app.screens.predictions import PredictionsTable

    def first_line(app) -> str:
        return app.screen.query_one(PredictionsTable).render().plain.split("\n")[0]

    async def one(app, pilot):  # the notes' example: one sample, ŷ = 0.75 for y = 0.01, wrong
        await pilot.press("T")
        await pilot.pause()
        line = first_line(app)
        assert one_row in line and "1 rows" not in line and "1 linhas" not in line
        if lang == "pt":
            assert line.startswith("certas: 0 de 1 ✓, erradas: 1 ✗")

    async def four(app, pilot):
        await pilot.press("T")
        await pilot.pause()
        assert many_rows in first_line(app)

    drive(one, lang=lang)
    drive(four, lang=lang, model=presets.load("xor"))
