"""Issue 19, "Portuguese": the Loss chart's x label, checked on the screen as drawn (an SVG
screenshot). At 120×40 it stands whole on its own row under the epochs, in both languages (the
Portuguese one, "perda L no conjunto de dados, por época", was wider than the chart and vanished);
at 80×24 the chart has one row of data and no row for a label, and no piece of one is drawn."""

from __future__ import annotations

import re

import pytest

from svgcells import drawn_cells
from tui.text import i18n
from tui.text.i18n import t


def screen_lines(svg: str) -> list[str]:
    rows: dict[int, dict[int, str]] = {}
    for row, col, ch, *_ in drawn_cells(svg):
        rows.setdefault(row, {})[col] = ch
    return ["".join(cells.get(c, " ") for c in range(max(cells) + 1)) for _, cells in sorted(rows.items())]


def loss_screen(drive, lang, size) -> list[str]:
    shots = []

    async def scenario(app, pilot):
        await pilot.press("s", "s")  # two epochs: a curve with its epochs 0, 1, 2
        await pilot.pause()
        shots.append(app.export_screenshot())

    drive(scenario, size=size, lang=lang)
    return screen_lines(shots[0])


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_x_label_is_drawn_whole_under_the_epochs_at_120x40(lang, drive):
    lines = loss_screen(drive, lang, (120, 40))
    label = t("ui_loss_chart", lang)
    at = [k for k, line in enumerate(lines) if label in line]
    assert len(at) == 1, label
    column = lines[at[0]].index(label)
    ticks = lines[at[0] - 1][column - 8 :].split("│")[0]  # the row above, under the chart, to its border
    assert re.fullmatch(r"\s*0\s+1\s+2\s*", ticks), ticks  # the epochs' tick labels


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_no_piece_of_the_label_at_80x24(lang, drive):
    text = "\n".join(loss_screen(drive, lang, (80, 24)))
    label = t("ui_loss_chart", lang)
    assert label not in text
    assert not any(" ".join(label.split()[k : k + 2]) in text for k in range(len(label.split()) - 1))


def test_the_old_portuguese_label_would_not_fit(drive, monkeypatch):
    """The check can fail: with the old, longer label the chart drops it at 120×40 too."""
    real = i18n.template
    monkeypatch.setattr(
        i18n,
        "template",
        lambda key, lang="en", n=None: (
            "perda L no conjunto de dados, por época" if (key, lang) == ("ui_loss_chart", "pt") else real(key, lang, n)
        ),
    )
    lines = loss_screen(drive, "pt", (120, 40))
    assert not any("perda L no conjunto de dados, por época" in line for line in lines)
