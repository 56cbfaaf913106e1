"""Issue 20, gettext: a language is a catalog. The app in Spanish (one .po/.mo added, no code) shows
Spanish on the main screen and in the help, read off the screen as drawn; `l` cycles through every
language, live; the command line offers --lang es."""

from __future__ import annotations

import pytest

from svgcells import drawn_cells
from tui.app.screens.help import HelpScreen
from tui.app.widgets.status import StatusLine
from tui.text.i18n import LANGS, t


def screen_words(svg: str) -> str:
    """The screen as drawn (an SVG screenshot), its rows joined by spaces, runs of spaces squeezed."""
    rows: dict[int, dict[int, str]] = {}
    for row, col, ch, *_ in drawn_cells(svg):
        rows.setdefault(row, {})[col] = ch
    lines = ("".join(cells.get(c, " ") for c in range(max(cells) + 1)) for _, cells in sorted(rows.items()))
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_the_main_screen_in_spanish(size, drive):
    shots = []

    async def scenario(app, pilot):
        await pilot.press("f")  # F1: the Explain panel says what the forward pass did
        await pilot.pause()
        shots.append(app.export_screenshot())

    drive(scenario, size=size, lang="es")
    words = screen_words(shots[0])
    for spanish in (
        "Valores",
        "Parámetros",
        "Explicación",
        "Pérdida",
        "época 1",
        "muestra 1 de 1",
        "sigmoide",
        "F1 · propagación hacia adelante, capa oculta: preactivaciones z y activaciones",
        "apuntes",
        "F1 adelante",
        "f adelante b atrás u actualizar",
        "p entrenar z deshacer ? ayuda q salir",
    ):
        assert spanish in words, spanish
    for english in ("Values", "Parameters", "Explain", "forward pass", "epoch 1", "sample 1 of 1", "notes"):
        assert english not in words, english


def test_the_help_in_spanish(drive):
    shots = []

    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shots.append(app.export_screenshot())

    drive(scenario, size=(120, 40), lang="es")
    words = screen_words(shots[0])
    for spanish in (
        "Ayuda: teclas y micropasos",
        "adelante: F1, luego F2",
        "atrás: B2, luego B1",
        "espacio",
        "siguiente micropaso",
        "tasa de aprendizaje η",
        "Esc, ? o q cierra esta ayuda.",
    ):
        assert spanish in words, spanish
    assert "Micro-steps" not in words and "space" not in words.split()


def test_l_cycles_through_every_language_live(drive):
    seen = []

    async def scenario(app, pilot):
        for _ in range(len(LANGS) + 1):
            seen.append((app.lang, app.query_one(StatusLine).render().plain))
            await pilot.press("l")
            await pilot.pause()

    drive(scenario, size=(80, 24))
    assert [lang for lang, _ in seen] == ["en", "pt", "es", "en"]
    for (lang, status), sample in zip(seen, ("sample 1 of 1", "exemplo 1 de 1", "muestra 1 de 1", "sample 1 of 1")):
        assert sample in status and t("ui_status_sample", lang, i=1, m=1) == sample


def test_the_command_line_speaks_spanish(run_main):
    code, out, _ = run_main("trace", "--preset", "lecture", "--steps", "1", "--lang", "es", "--decimal-comma")
    assert code == 0
    assert "Retropropagación paso a paso" in out and "Época 1, muestra 1" in out and "0,05" in out
    code, out, _ = run_main("train", "--preset", "xor", "--epochs", "1", "--lang", "es")
    assert code == 0 and "xor: 4 muestras, 1 época" in out.lower()
