"""Smaller UI defects of issue 9, each as a person would see it: the log chart's one point, the
help's notation line, x on every screen, columns that never run together, SVG exports that any
viewer draws as the app showed them."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from engine import presets
from engine.network import Params
from svgcells import drawn_cells
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.values import ValuesPanel
from tui.text import fmt
from tui.text.i18n import t

NUMBER = re.compile(r"^[−+]?(\d[\d.,]*(e[+−]\d+)?|NaN|∞)$")


def screen_text(svg: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>", 1)[1])).replace("\xa0", " ")


def test_the_log_chart_draws_its_one_point(drive):
    def point_drawn(svg: str) -> bool:
        return any(ch == "•" for _, _, ch, _, _, _ in drawn_cells(svg))

    shots = []

    async def scenario(app, pilot):
        shots.append(app.export_screenshot())
        await pilot.press("L")  # log scale: the band 0 … 2L₀ had no place on it, and no point was drawn
        shots.append(app.export_screenshot())

    drive(scenario)
    assert point_drawn(shots[0]) and point_drawn(shots[1])
    assert "0.2748" in screen_text(shots[1])  # its one tick: L₀, not plotext's 560.3


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_help_shows_the_notation_line_when_there_is_room(lang, drive):
    shots = []

    async def scenario(app, pilot):
        await pilot.press("question_mark")
        await pilot.resize_terminal(200, 61)  # then laid out again, as a terminal does: the same
        await pilot.resize_terminal(200, 60)
        shots.append(app.export_screenshot())

    drive(scenario, size=(200, 60), lang=lang)
    assert t("ui_help_notation", lang)[:40] in screen_text(shots[0])


def test_x_exports_from_every_screen_on_top(tmp_path, drive):
    # A modal screen (g, W) stopped the App's x; ? and v let it through. Each x writes the screen
    # on top as the SVG, as on the main screen.
    found = {}

    async def scenario(app, pilot):
        app.export_dir = str(tmp_path)
        for key, marker in (
            ("g", t("ui_gc_title", "en")[:12]),
            ("W", "W"),
            ("v", "(§1.6)"),
            ("question_mark", t("ui_help_title", "en")[:12]),
        ):
            before = set(tmp_path.glob("*.svg"))
            await pilot.press(key, "x")
            new = set(tmp_path.glob("*.svg")) - before
            found[key] = len(new) == 1 and marker in screen_text(new.pop().read_text(encoding="utf-8"))
            await pilot.press("escape")

    drive(scenario)
    assert found == {"g": True, "W": True, "v": True, "question_mark": True}


def test_columns_never_run_together(drive):
    assert fmt.column_pads(["6.236e−07", "−3.830e−05", "0.000101"], (10, 10, 10), start=7) == [1, 1, 1]
    assert fmt.column_pads(["0.3825", "", "1.1061"], (10, 10, 10)) == [4, 10, 4]
    big = presets.lecture().with_(
        params=Params(
            W1=[[1e300, -1e300], [-1e-300, 1e300]], b1=[-1e-300, 6.236e-7], W2=[[-3.83e-5], [1e-300]], b2=[-0.000320]
        )
    )
    nan = big.with_(
        params=Params(
            W1=[[float("nan"), -1e-300], [1e300, -1e300]],
            b1=[1e-300, -1e300],
            W2=[[-1e-300], [float("nan")]],
            b2=[-3.83e-5],
        )
    )
    seen = []

    def check(app, expected: int) -> None:
        for panel, first in ((app.query_one(ParametersPanel), 1), (app.query_one(ValuesPanel), 1)):
            for row in panel.rows(app.snapshot)[first : first + 4]:
                tokens = row.plain.split()
                numbers = [tok for tok in tokens[1:] if NUMBER.match(tok)]
                if len(tokens) > 1:
                    seen.append(row.plain)
                    assert numbers == tokens[1:], row.plain  # nothing glued: w₁₁⁽²⁾1.000e+300
        assert len(seen) >= expected

    async def run_big(app, pilot):
        await pilot.press("f", "f", "b", "b", "u")
        check(app, 8)

    async def run_nan(app, pilot):
        check(app, 4)

    drive(run_big, model=big)
    drive(run_nan, model=nan)
    assert any("e+300" in line for line in seen) and any("NaN" in line for line in seen)


def test_the_exported_svg_keeps_its_spaces_and_needs_no_network(tmp_path, drive):
    async def scenario(app, pilot):
        app.export_dir = str(tmp_path)
        await pilot.press("f", "f", "b", "b", "u", "x")

    drive(scenario)
    path = next(tmp_path.glob("*.svg"))
    svg = path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert "@font-face" not in svg and 'url("http' not in svg and "monospace" in svg
    if shutil.which("rsvg-convert"):  # librsvg, which dropped the runs of spaces, draws it
        subprocess.run(["rsvg-convert", str(path), "-o", str(tmp_path / "shot.png")], check=True, timeout=60)
        assert (tmp_path / "shot.png").stat().st_size > 10_000
