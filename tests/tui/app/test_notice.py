"""A notice is kept as message keys so `l` translates it; a count in it takes the form for its number
in each language (ngettext), not a key chosen in code."""

from __future__ import annotations

import pytest

from tui.app.notice import Notice


@pytest.mark.parametrize(
    "n, en, pt, es",
    [
        (1, "Stopped at the maximum of 1 epoch.", "Parado no máximo de 1 época.", "Detenido en el máximo de 1 época."),
        (
            300,
            "Stopped at the maximum of 300 epochs.",
            "Parado no máximo de 300 épocas.",
            "Detenido en el máximo de 300 épocas.",
        ),
    ],
)
def test_a_count_in_a_notice_agrees_with_its_number_in_every_language(n, en, pt, es):
    notice = Notice("ui_play_max", (("epochs", n),), count=n)
    assert [notice.text(lang) for lang in ("en", "pt", "es")] == [en, pt, es]


def test_the_pending_downloads_count_is_n():
    assert Notice("ui_export_pending", count=1).text("en").startswith("The browser has not fetched the last export:")
    assert Notice("ui_export_pending", count=2).text("pt").startswith("O navegador não buscou as últimas 2 exportações")
