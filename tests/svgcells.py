"""The cells of an SVG screenshot (Rich's export), for tests that check what is drawn and in which colours."""

from __future__ import annotations

import html
import re

CELL_W, CELL_H, TOP = 12.2, 24.4, 1.5  # Rich's SVG: the size of a cell and the first row's top


def drawn_cells(svg: str) -> list[tuple[int, int, str, str, str, bool]]:
    """(row, column, character, fill, background, underlined) of every visible character of the screenshot."""
    classes = {
        m[1]: (m[2], "underline" in m[3])
        for m in re.finditer(r"\.(terminal-\d+-r\d+) \{ fill: (#[0-9a-f]{6})([^}]*)\}", svg)
    }
    # cells on the terminal's default background (the ANSI theme's) have no rect of their own
    default = re.search(r'<rect fill="(#[0-9a-f]{6})" stroke=', svg)[1]
    background = {}
    for m in re.finditer(r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg):
        row = round((float(m[3]) - TOP) / CELL_H)
        first, n = round(float(m[2]) / CELL_W), round(float(m[4]) / CELL_W)
        for col in range(first, first + n):
            background[row, col] = m[1]
    cells = []
    for m in re.finditer(
        r'<text class="(terminal-\d+-r\d+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
        r'clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>',
        svg,
    ):
        fill, underlined = classes[m[1]]
        row, first = int(m[3]), round(float(m[2]) / CELL_W)
        for k, ch in enumerate(html.unescape(m[4])):
            if not ch.isspace():
                cells.append((row, first + k, ch, fill, background.get((row, first + k), default), underlined))
    return cells
