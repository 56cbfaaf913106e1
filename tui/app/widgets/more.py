"""Nothing cut without a sign (issue 18): a panel or view too short for its lines shows a window of
them, says how many lie below and above and which keys bring them into view ("▼ 5 more · ↓/PgDn"), and
scrolls by a page on the key table's explain_down / explain_up keys (↓ PgDn, ↑ PgUp).

`Pager` is the window (no drawing); `mark` the words, from tui/text/i18n.py, in the view's language.
"""

from __future__ import annotations

from tui.text.i18n import t


def mark(lang: str, above: int, below: int, pages_only: bool = False) -> str:
    """ "▼ 5 more · ↓/PgDn", "▲ 3 above · ↑/PgUp", both, or "" when nothing is out of view. `pages_only`:
    a view whose ↑ ↓ do something else (the chain view picks a parameter) names PgDn and PgUp alone."""
    down, up = ("ui_more_keys_pgdn", "ui_more_keys_pgup") if pages_only else ("ui_more_keys_down", "ui_more_keys_up")
    parts = []
    if below:
        parts.append(t("ui_more_below", lang, n=below) + " · " + t(down, lang))
    if above:
        parts.append(t("ui_more_above", lang, n=above) + " · " + t(up, lang))
    return "   ".join(parts)


class Pager:
    """Which of `n` lines a view of `height` rows shows: all of them when they fit, else `height` of
    them from `top`. `top` is the page asked for (scroll, home); a view that is short for a moment (a
    resize) shows the nearest full page without forgetting it. `hidden` is (above, below) as last
    laid out."""

    def __init__(self) -> None:
        self.top = 0
        self.hidden = (0, 0)

    def window(self, n: int, height: int) -> tuple[int, int]:
        """[start, end) of the lines in view (top clamped so the last page is full)."""
        height = max(height, 1)
        if n <= height:
            self.hidden = (0, 0)
            return 0, n
        top = min(max(self.top, 0), n - height)
        self.hidden = (top, n - height - top)
        return top, top + height

    def scroll(self, direction: int, height: int) -> bool:
        """A page on (+1) or back (−1) from the page in view, a page being the view less one row: a
        line wrapped onto two rows at the fold is whole on the next page. False (nothing moves) when
        nothing lies that way."""
        above, below = self.hidden
        if (below if direction > 0 else above) == 0:
            return False
        self.top = max(0, above + direction * max(1, height - 1))
        return True

    def home(self) -> None:
        self.top = 0


__all__ = ["Pager", "mark"]
