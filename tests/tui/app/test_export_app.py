"""`x` in the app: the transcript (Markdown, LaTeX), an SVG screenshot and the loss CSV on disk.

The numbers are the notes' (DESIGN §2) after f f b b u on the lecture example; names say model,
epoch and sample; a second export never overwrites the first; a failure leaves no file behind and
never touches files already there.
"""

from __future__ import annotations

import errno
import os

import pytest

from engine import presets
from tui.app import exporter
from tui.app.screens.activation import ActivationScreen

NAMES = ("lecture_e1_s1.md", "lecture_e1_s1.tex", "lecture_e1_s1.svg", "lecture_e1_s1_loss.csv")


@pytest.fixture
def drive(drive):
    """drive(scenario, folder, **kw): the app exports to `folder`."""

    def run(scenario, folder, **kw):
        return drive(scenario, configure=lambda app: setattr(app, "export_dir", str(folder)), **kw)

    return run


@pytest.fixture
def lecture_l0(sigma):
    a1, a2 = sigma(0.3825), sigma(0.39)
    return 0.5 * (sigma(0.40 * a1 + 0.45 * a2 + 0.60) - 0.01) ** 2


def listing(folder) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_x_after_a_whole_sample_writes_four_files_with_the_notes_numbers(tmp_path, size, lecture_l0, drive):
    folder = tmp_path / "exports"  # created on demand

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "u", "x")
        assert listing(folder) == sorted(NAMES)
        assert "Exported" in app.notice_text and str(folder) in app.notice_text

    drive(scenario, folder, size=size)
    md = (folder / "lecture_e1_s1.md").read_text(encoding="utf-8")
    tex = (folder / "lecture_e1_s1.tex").read_text(encoding="utf-8")
    for text in (md, tex):
        for value in (
            "0.3825",
            "0.3900",
            "0.5945",
            "1.1061",
            "0.7514",
            "0.2748",
            "0.1385",
            "0.000668",
            "0.3588",
            "0.4087",
            "0.5308",
            "0.1497",
        ):
            assert value in text, value
    assert md.startswith("# ") and "z_1^{(1)}" in md
    assert "\\begin{align*}" in tex and "\\delta^{(2)}" in tex
    svg = (folder / "lecture_e1_s1.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "0.7514" in svg.replace("&#160;", " ")
    rows = (folder / "lecture_e1_s1_loss.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "epoch,loss,lr" and len(rows) == 3  # L0, and L1 after the one-sample epoch; η of each
    assert abs(float(rows[1].split(",")[1]) - lecture_l0) < 1e-15
    assert rows[2].startswith("1,0.2580") or abs(float(rows[2].split(",")[1]) - 0.2580) < 5e-5
    mode = os.stat(folder / "lecture_e1_s1.md").st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # an ordinary file, not a private temporary one
    assert not [n for n in os.listdir(folder) if n.startswith(".")]  # no temporary files left


def test_a_second_export_gets_a_new_name_and_the_first_is_kept(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("s", "x")
        first = {n: (tmp_path / n).read_bytes() for n in NAMES}
        await pilot.press("x")
        assert "lecture_e1_s1-2.md" in app.notice_text
        await pilot.press("x")
        for n, content in first.items():
            assert (tmp_path / n).read_bytes() == content
        assert listing(tmp_path) == sorted(
            NAMES + tuple(n.replace("_s1", "_s1-2") for n in NAMES) + tuple(n.replace("_s1", "_s1-3") for n in NAMES)
        )

    drive(scenario, tmp_path)


def test_one_taken_name_moves_the_whole_set(tmp_path, drive):
    (tmp_path / "lecture_e1_s1.tex").write_text("mine", encoding="utf-8")

    async def scenario(app, pilot):
        await pilot.press("s", "x")

    drive(scenario, tmp_path)
    assert (tmp_path / "lecture_e1_s1.tex").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "lecture_e1_s1.md").exists()  # the set stays together under -2
    assert all((tmp_path / n.replace("_s1", "_s1-2")).exists() for n in NAMES)


def test_before_the_update_x_writes_screenshot_and_loss_and_says_what_to_press(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "x")
        assert listing(tmp_path) == ["lecture_e1_s1.svg", "lecture_e1_s1_loss.csv"]
        assert "press s" in app.notice_text
        assert app.snapshot.phase.name == "F1"  # nothing was computed behind the user's back

    drive(scenario, tmp_path)


def test_names_say_epoch_and_sample(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("e", "s", "s", "x")  # epoch 1 done; epoch 2, samples 1 and 2 done
        assert listing(tmp_path)[0].startswith("xor_e2_s2")

    drive(scenario, tmp_path, model=presets.load("xor"))


def test_a_folder_that_cannot_exist_gives_a_clear_message(tmp_path, drive):
    blocker = tmp_path / "a-file"
    blocker.write_text("keep", encoding="utf-8")

    async def scenario(app, pilot):
        await pilot.press("s", "x")
        assert "Export failed" in app.notice_text and "a-file" in app.notice_text
        assert "--export-dir" in app.notice_text
        assert app.snapshot.phase.name == "U"  # the app goes on as it was

    drive(scenario, blocker / "exports")
    assert blocker.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("fail_at", ["write", "link"])
def test_a_full_disk_midway_leaves_nothing_and_keeps_existing_files(tmp_path, monkeypatch, fail_at, drive):
    (tmp_path / "notes.md").write_text("keep", encoding="utf-8")
    calls = {"n": 0}
    real_write, real_link = exporter._write_temp, os.link

    def full(*args):
        calls["n"] += 1
        if calls["n"] == 3:  # the third file finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path))
        return (real_write if fail_at == "write" else real_link)(*args)

    if fail_at == "write":
        monkeypatch.setattr(exporter, "_write_temp", full)
    else:
        monkeypatch.setattr(exporter.os, "link", full)

    async def scenario(app, pilot):
        await pilot.press("s", "x")
        assert "Export failed" in app.notice_text and "No space left on device" in app.notice_text

    drive(scenario, tmp_path)
    assert listing(tmp_path) == ["notes.md"]  # no half set, no temporary file
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "keep"


def test_without_hard_links_the_set_is_still_written_once(tmp_path, monkeypatch, drive):
    def no_links(*args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(exporter.os, "link", no_links)

    async def scenario(app, pilot):
        await pilot.press("s", "x", "x")

    drive(scenario, tmp_path)
    assert len(listing(tmp_path)) == 8 and (tmp_path / "lecture_e1_s1-2.md").exists()


def test_export_from_the_activation_view_captures_it_and_says_so(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("f", "v", "x")
        assert isinstance(app.screen, ActivationScreen)
        svg = (tmp_path / "lecture_e1_s1.svg").read_text(encoding="utf-8")
        assert "(§1.6)" in svg.replace("&#160;", " ")  # the activation view, not the main screen
        assert "press s" in app.notice_text

    drive(scenario, tmp_path)


def test_portuguese_and_decimal_comma_in_the_transcript(tmp_path, drive):
    async def scenario(app, pilot):
        await pilot.press("s", "x")
        assert "Exportado" in app.notice_text

    drive(scenario, tmp_path, lang="pt", comma=True)
    md = (tmp_path / "lecture_e1_s1.md").read_text(encoding="utf-8")
    assert "0{,}7514" in md and "Época 1" in md


@pytest.mark.parametrize("keys, now", [(("plus",), "1.00"), (("minus", "minus"), "0.10")])
def test_eta_changed_after_the_update_leaves_the_update_as_it_was_made(tmp_path, keys, now, drive):
    """Issue 18: f f b b u, then + (or − −), then x. Explain and the transcripts write the update with
    the η it used (0.5: 0.40 − 0.50·0.08233 = 0.3588), and Explain says η is now another."""
    folder = tmp_path / "exports"
    seen = {}

    async def scenario(app, pilot):
        await pilot.press("f", "f", "b", "b", "u", *keys, "x")
        from tui.app.widgets.explain import ExplainPanel

        seen["explain"] = [text.plain for text, _ in app.query_one(ExplainPanel).content(app.snapshot)]

    drive(scenario, folder, size=(160, 50))
    lines = seen["explain"]
    assert any(f"η = {now} from the next update on" in line and "made with η = 0.50." in line for line in lines), lines
    assert any(line.endswith("= 0.40 − 0.50·0.08233 = 0.3588") for line in lines), lines
    md = (folder / "lecture_e1_s1.md").read_text(encoding="utf-8")
    tex = (folder / "lecture_e1_s1.tex").read_text(encoding="utf-8")
    for text in (md, tex):
        updates = [line for line in text.splitlines() if r"\leftarrow" in line]
        assert len(updates) == 9 and all(r" - 0.50 \cdot " in line for line in updates), updates
