"""One number style on screen and in CLI text (issue 11, item 3): the minus is U+2212 everywhere a
person reads a number, exact zero is 0, the exponent is written e−05 / e+06; JSON and CSV stay ASCII
at full precision; and in every panel and table two numbers never touch and no number is cut, at
any magnitude (1e-300, −1.234e−05, −1e300, NaN, ∞, 0)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import numpy as np
import pytest
from rich.cells import cell_len

from engine import gradcheck, presets, sweep
from engine.gradcheck import GradRow
from engine.network import Params
from engine.training import TrainResult
from svgcells import drawn_cells
from tui.app import exporter
from tui.app.screens.gradcheck import gradcheck_text as gradcheck_screen_text
from tui.app.screens.sweep import SweepScreen
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.values import ValuesPanel
from tui.cli.sweep import sweep_text
from tui.text import fmt
from tui.text.report import Text, gradcheck_text, train_text_pieces

MINUS = "\u2212"
NAN, INF = math.nan, math.inf

# anything that looks like (a piece of) a number, and what a whole number written by tui.text.fmt is
TOKEN = re.compile(r"[−+-]?(?:\d[\d.,]*(?:e[−+-]?\d*)?|NaN|∞)")
WHOLE = re.compile(r"[−+]?(?:\d+(?:[.,]\d+)?(?:e[−+]\d{2,3})?|NaN|∞)")
ASCII_MINUS = re.compile(r"-\d|\d-")  # a hyphen-minus next to a digit: −5.0164 written -5.0164


def numbers_apart(line: str) -> list[str]:
    """The numbers of `line`; fails when two touch (6.236e−07−3.830e−05, w₁₁⁽²⁾1.000e+300) or one
    is not a whole number in fmt's style."""
    found = []
    for m in TOKEN.finditer(line):
        before = line[m.start() - 1] if m.start() else " "
        after = line[m.end()] if m.end() < len(line) else " "
        assert before in " (" and after in " )%", f"{m.group()!r} touches its neighbour in {line!r}"
        assert WHOLE.fullmatch(m.group()), f"{m.group()!r} is not written in the one style in {line!r}"
        found.append(m.group())
    return found


def shown_values(s) -> set[str]:
    """Every text a panel may write for a value of the Snapshot: fmt.num, fmt.signed, and the same
    number with fewer digits (a panel short of room): a number cut at the panel's edge is none of them."""
    values = [*s.X.ravel(), *s.Y.ravel()]
    for record in (
        s.params,
        s.forward1,
        s.forward2,
        s.backward2,
        s.backward1,
        None if s.update is None else s.update.change,
    ):
        if record is not None:
            values += [v for field in vars(record).values() if isinstance(field, np.ndarray) for v in field.ravel()]
    texts = set()
    for v in map(float, values):
        texts |= {fmt.num(v), fmt.signed(v)}
        texts |= {fmt.sci(v, digits=d, plus=plus) for d in range(4) for plus in (False, True)}
    return texts


EXTREME = {  # models whose panels show numbers at every magnitude
    "huge": presets.lecture().with_(
        params=Params(
            W1=[[1e300, -1e300], [-1e-300, -1.234e-5]],
            b1=[-1e-300, 6.236e-7],
            W2=[[-3.83e-5], [-1e300]],
            b2=[-0.000320],
        )
    ),
    "nan": presets.lecture().with_(
        params=Params(W1=[[NAN, -1e-300], [1e300, -1e300]], b1=[1e-300, -1e300], W2=[[-1e-300], [NAN]], b2=[-3.83e-5])
    ),
    "data": presets.lecture().with_(
        X=np.array([[-1e300, 1e-300]]),
        Y=np.array([-1.234e-5]),
        params=Params(W1=[[-1e300, 1e-300], [-1.234e-5, 1e300]], b1=[0.0, -0.0], W2=[[-1e300], [1e300]], b2=[-1e-300]),
    ),
    # rounded from the text, −7.67549e−05 (−7.675e−05) became −7.67e−05 with 2 digits: it is −7.68e−05;
    # x = (1, 0), b = 0 and W⁽²⁾ = 0 make z⁽¹⁾ and z⁽²⁾ those weights exactly: Values shortens them too
    "ties": presets.lecture().with_(
        X=np.array([[1.0, 0.0]]),
        Y=np.array([0.5]),
        params=Params(
            W1=[[-7.67549e-5, -7.67549e-5], [-1.2496e-5, 0.0]], b1=[0.0, 0.0], W2=[[0.0], [0.0]], b2=[-7.67549e-5]
        ),
    ),
    "zero": presets.lecture().with_(
        X=np.array([[0.0, -0.0]]),
        Y=np.array([0.0]),
        params=Params(W1=[[0.0, -0.0], [0.0, 0.0]], b1=[0.0, 0.0], W2=[[0.0], [0.0]], b2=[-0.0]),
    ),
}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "compact"])
@pytest.mark.parametrize("name", list(EXTREME))
def test_panels_never_let_numbers_touch_or_cut_them(name, size, drive):
    seen: list[str] = []

    def check(app) -> None:
        allowed = shown_values(app.snapshot)
        for panel_type in (NetworkPanel, ParametersPanel, ValuesPanel):
            panel = app.query_one(panel_type)
            rows = [row.plain for row in panel.rows(app.snapshot)]
            if panel_type is ValuesPanel and "" in rows:
                rows = rows[: rows.index("")]  # the legend after the blank row: §2.6 is not a value
            for row in rows:
                assert cell_len(row) <= panel.size.width, f"{panel_type.__name__} cuts {row!r}"
                assert not ASCII_MINUS.search(row), row
                numbers = numbers_apart(row)
                assert set(numbers) <= allowed, f"{panel_type.__name__} cuts {set(numbers) - allowed} in {row!r}"
                seen.extend(numbers)

    async def scenario(app, pilot):
        check(app)
        for key in ("f", "f", "b", "b", "u"):
            await pilot.press(key)
            check(app)

    drive(scenario, model=EXTREME[name], size=size)
    assert seen  # the panels did show numbers
    if name == "huge":
        assert any("e+300" in n for n in seen) and any(f"e{MINUS}300" in n for n in seen)
    if name == "nan":
        assert "NaN" in seen
    if name == "ties":  # shortened, and rounded once, from the value
        assert f"{MINUS}7.68e{MINUS}05" in seen and f"{MINUS}7.67e{MINUS}05" not in seen
    if name == "zero":
        assert "0" in seen and not any(re.fullmatch(r"[−+]?0[.,]0+", n) for n in seen)  # one zero: 0


def test_the_gradient_check_screen_keeps_its_columns(drive):
    texts = []

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b")
        for h in (1e-5, 1e-1):
            texts.append(gradcheck_screen_text(app.snapshot, h, "en", False).plain)
            texts.append(gradcheck_screen_text(app.snapshot, h, "pt", True).plain)

    drive(scenario, model=EXTREME["huge"])
    lecture = []
    drive(lambda app, pilot: _append(lecture, gradcheck_screen_text(app.snapshot, 1e-5, "en", False).plain))

    def table_row(line: str) -> bool:  # a parameter's row: its first two columns hold the ▶ of the picked one
        return line.startswith(("  ", "▶ ")) and line[2:].startswith(("w", "b"))

    for text in texts + lecture:
        for line in text.splitlines():
            assert not ASCII_MINUS.search(line), line
            if table_row(line):
                assert cell_len(line) <= 80, line
                numbers_apart(line[2:])
    # with numbers that fit, every row's numbers end in the header's columns
    rows = [line[2:] for line in lecture[0].splitlines() if table_row(line)]
    ends = {tuple(m.end() for m in TOKEN.finditer(line)) for line in rows}
    assert len(rows) == 9 and len(ends) == 1


async def _append(out, value):
    out.append(value)


def test_the_cli_tables_keep_their_columns():
    model = EXTREME["huge"]
    rows = [
        GradRow(("W1", 1, 1), -1.234567e-300, 1e300, NAN),
        GradRow(("W1", 1, 2), 0.0, -0.0, 0.0),
        GradRow(("W1", 2, 1), INF, -INF, 1e-300),
        GradRow(("W1", 2, 2), -1.5e300, -1.5e300, 2.5e-12),
        GradRow(("b1", 1), 1e-5, -1e-5, 1.0),
        GradRow(("b1", 2), 0.3825, 0.3825, 0.0),
    ]
    normal = gradcheck.check_model(presets.lecture())
    for comma in (False, True):
        tx = Text("en", comma)
        for text in (
            gradcheck_text(rows, model, "central", 1e-5, NAN, tx),
            gradcheck_text(normal, presets.lecture(), "forward", 1e-5, gradcheck.max_rel_error(normal), tx),
        ):
            for line in text.splitlines():
                assert not ASCII_MINUS.search(line), line
                if line.startswith(("w", "b")):  # a row of the table
                    numbers_apart(line)
        table = gradcheck_text(normal, presets.lecture(), "central", 1e-5, 0.0, tx).splitlines()
        body = [line for line in table if line.startswith(("w", "b"))]
        assert len({tuple(m.end() for m in TOKEN.finditer(line)) for line in body}) == 1  # aligned columns

    losses = np.array([0.2748, 1e-300, -0.0, 1e300, 6.202e-5, NAN])
    params = Params(W1=[[1e300, -1e300], [-1e-300, 0.0]], b1=[NAN, -INF], W2=[[-1.234e-5], [1e6]], b2=[-0.5])
    text = "".join(train_text_pieces(model, [TrainResult(losses, params)], 5, Text("pt", True)))
    assert f"1,000e{MINUS}300" in text and f"{MINUS}1,234e{MINUS}05" in text
    for line in text.splitlines():
        assert not ASCII_MINUS.search(line), line
        if line.startswith(" "):  # the loss table and the parameters (the header is prose: 2–2–1)
            numbers_apart(line)


def test_sweep_tables_and_histograms_in_the_one_style(drive):
    xor = presets.load("xor")
    real = sweep.sweep(xor, 6, 20, hidden=("sigmoid", "relu"))
    extreme = replace(
        real,
        threshold=1e-300,
        runs=(
            replace(real.runs[0], final_loss=np.array([1e-300, 1e-300, 6.202e-5, 1e300, NAN, INF])),
            replace(real.runs[1], final_loss=np.array([0.0, 0.2748, 0.25, 1e-5, 1e-6, 1e-7])),
        ),
    )
    text = sweep_text(extreme, "en", False)
    assert f"{MINUS}300" in text  # the histogram's decades
    assert not ASCII_MINUS.search(text)
    table = text.splitlines()[5:8]
    for line in table:
        numbers_apart(line)

    async def check(app, pilot, screen):
        screen.result = extreme
        screen._draw()
        await pilot.pause()
        shown = str(screen.query_one("#sweep-table").render())
        for line in shown.splitlines():
            assert not ASCII_MINUS.search(line), line
            numbers_apart(line.replace("▶", " "))
        hist = screen.query_one("#sweep-hist")
        drawn = hist.plt.uncolorize(hist.plt.build())
        assert f"{MINUS}300" in drawn and not ASCII_MINUS.search(drawn)

    async def scenario(app, pilot):
        screen = SweepScreen(xor, nets=6, epochs=20, hidden=("sigmoid", "relu"))
        await app.push_screen(screen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await check(app, pilot, screen)

    drive(scenario, model=xor)


def screen_lines(svg: str) -> list[str]:
    """The characters of a screenshot, row by row, at their columns."""
    rows: dict[int, dict[int, str]] = {}
    for row, col, ch, *_ in drawn_cells(svg):
        rows.setdefault(row, {})[col] = ch
    return ["".join(cells.get(c, " ") for c in range(max(cells) + 1)) for _, cells in sorted(rows.items())]


def test_no_ascii_minus_on_screen_in_a_lecture_and_a_runaway_xor_run(drive):
    shots: list[str] = []

    async def lecture(app, pilot):
        for keys in (
            ("f",),
            ("f",),
            ("b",),
            ("b",),
            ("u",),
            ("s",),
            ("e",),
            ("g",),
            ("escape", "v"),
            ("escape", "L"),
            ("L", "r"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            shots.append(app.export_screenshot())

    async def xor(app, pilot):  # the issue's `--preset xor --lr 5`, play, then s
        await pilot.press("p")
        await pilot.pause(0.8)
        await pilot.press("p", "s")
        await pilot.pause()
        shots.append(app.export_screenshot())
        for keys in (("f",), ("f",), ("b",), ("b",), ("u",), ("g",), ("escape", "v"), ("escape",)):
            await pilot.press(*keys)
            await pilot.pause()
            shots.append(app.export_screenshot())

    drive(lecture)
    drive(lecture, size=(80, 24), lang="pt", comma=True)
    drive(xor, model=presets.load("xor").with_(lr=5.0))
    lines = [line for svg in shots for line in screen_lines(svg)]
    assert any(MINUS in line for line in lines)  # negative numbers were on screen …
    assert [line for line in lines if ASCII_MINUS.search(line)] == []  # … and none with "-"
    assert not any(re.search(r"(?<![\d.,])0[.,]00(?!\d*[1-9])", line) for line in lines)  # zero is 0


def test_json_and_csv_stay_ascii_at_full_precision(run_main, drive):
    xor = ("--preset", "xor", "--lr", "5")
    outputs = {
        "trace json": run_main("trace", *xor, "--steps", "4", "--format", "json")[1],
        "train json": run_main("train", *xor, "--epochs", "3", "--format", "json")[1],
        "train csv": run_main("train", *xor, "--epochs", "3", "--format", "csv")[1],
        "gradcheck json": run_main("gradcheck", *xor, "--format", "json")[1],
        "sweep json": run_main("sweep", *xor, "--nets", "3", "--epochs", "5", "--format", "json")[1],
        "trace markdown": run_main("trace", *xor, "--steps", "4", "--format", "markdown", "--lang", "pt")[1],
        "trace latex": run_main("trace", *xor, "--steps", "4", "--format", "latex", "--decimal-comma")[1],
    }

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "u")
        for suffix, text in exporter.contents(app.snapshot, "<svg/>", None, False).items():
            if suffix != ".svg":
                outputs[f"x {suffix}"] = text

    drive(scenario, model=presets.load("xor").with_(lr=5.0))
    for name, text in outputs.items():
        assert MINUS not in text, name  # machine-readable (and LaTeX's math) take the ASCII minus
    assert "-" in outputs["trace json"] and "-" in outputs["gradcheck json"] and "-" in outputs["trace latex"]
    steps = json.loads(outputs["trace json"])["steps"]
    assert isinstance(steps[0]["params"]["W1"][0][0], float)  # full precision, not text
    assert all(float(row.split(",")[1]) >= 0 for row in outputs["train csv"].splitlines()[1:])

    # and the CLI's text for people is in the one style
    for argv in (
        ("trace", *xor, "--steps", "4"),
        ("train", *xor, "--epochs", "3"),
        ("gradcheck", *xor),
        ("sweep", *xor, "--nets", "3", "--epochs", "5"),
    ):
        out = run_main(*argv)[1]
        assert not ASCII_MINUS.search(out), argv
