"""Issue 19, "o without a list": the open prompt lists the model files of the folder (the working
folder; --files and the shared folder in a browser tab) to choose with ↓ ↑ and Enter, and still takes
a typed path; at most LIST_LIMIT names and "… and K more"; in both languages, at 80×24 and 120×40,
read from the screen as drawn (an SVG screenshot)."""

from __future__ import annotations

import pytest

from engine import config, presets
from svgcells import drawn_cells
from tui.app.screens.path import PathScreen
from tui.host import files
from tui.text.i18n import t, tn

SIZES = [(80, 24), (120, 40)]


def screen_lines(app) -> list[str]:
    rows: dict[int, dict[int, str]] = {}
    for row, col, ch, *_ in drawn_cells(app.export_screenshot()):
        rows.setdefault(row, {})[col] = ch
    return ["".join(cells.get(c, " ") for c in range(max(cells) + 1)) for _, cells in sorted(rows.items())]


def shown(app) -> str:
    return "\n".join(screen_lines(app))


def folder_of_models(path, names=("and", "or", "xor")) -> None:
    for name in names:
        config.save_model(presets.load(name), path / f"{name}.toml")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_o_lists_the_model_files_of_the_working_folder(lang, size, tmp_path, monkeypatch, drive):
    folder_of_models(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.toml"
    config.save_model(presets.load("nand"), outside)
    (tmp_path / "zz-link.toml").symlink_to(outside)
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        text = shown(app)
        assert t("ui_path_files", lang) in text
        rows = [line.strip(" │") for line in screen_lines(app)]
        assert [r for r in rows if r.endswith(".toml") and r != "./lecture.toml"] == ["and.toml", "or.toml", "xor.toml"]
        assert "notes.txt" not in text and "zz-link" not in text  # not a model file; a link out
        assert t("ui_path_help", lang) in text  # and the prompt's own help below the list

    drive(scenario, size=size, lang=lang)
    outside.unlink()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_down_down_enter_opens_the_second_file(lang, size, tmp_path, monkeypatch, drive):
    folder_of_models(tmp_path)
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o", "down", "down")
        await pilot.pause()
        assert app.screen.query_one("#path-value").value == "or.toml"  # the box says what Enter opens
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathScreen)
        assert app.stepper.snapshot.name == "or"

    drive(scenario, size=size, lang=lang)


def test_up_from_the_top_goes_back_to_typing_a_path(tmp_path, monkeypatch, drive):
    folder_of_models(tmp_path)
    other = tmp_path / "sub"
    other.mkdir()
    config.save_model(presets.load("nand"), other / "deep.toml")
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o", "down", "up")
        await pilot.pause()
        box = app.screen.query_one("#path-value")
        assert app.screen.focused is box
        box.value = ""
        await pilot.press(*"sub/deep.toml", "enter")
        await pilot.pause()
        assert app.stepper.snapshot.name == "deep"

    drive(scenario)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_large_folder_lists_the_first_names_and_says_how_many_more(lang, size, tmp_path, monkeypatch, drive):
    for k in range(12):
        (tmp_path / f"m{k:02d}.toml").write_text("x")
    monkeypatch.setattr(files, "LIST_LIMIT", 5)
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o")
        await pilot.pause()
        text = shown(app)
        assert tn("ui_path_more", 7, lang) in text
        assert "m04.toml" in text and "m05.toml" not in text

    drive(scenario, size=size, lang=lang)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_an_empty_folder_says_so(lang, tmp_path, monkeypatch, drive):
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("o")
        await pilot.pause()
        assert t("ui_path_no_files", lang) in shown(app)

    drive(scenario, size=(80, 24), lang=lang)


def test_save_has_no_list(tmp_path, monkeypatch, drive):
    folder_of_models(tmp_path)
    monkeypatch.chdir(tmp_path)

    async def scenario(app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "xor.toml" not in shown(app)

    drive(scenario)


@pytest.mark.parametrize("size", SIZES)
def test_a_browser_tab_lists_its_own_and_the_shared_files_only(size, tmp_path, drive):
    shared = tmp_path / "files"
    own, other = shared / "tab-2", shared / "tab-1"
    own.mkdir(parents=True)
    other.mkdir()
    config.save_model(presets.load("xor"), shared / "lecture-xor.toml")
    config.save_model(presets.load("and"), own / "mine.toml")
    config.save_model(presets.load("or"), other / "theirs.toml")
    (shared / "peek.toml").symlink_to(other / "theirs.toml")

    async def scenario(app, pilot):
        await pilot.press("o")
        await pilot.pause()
        text = shown(app)
        assert "lecture-xor.toml" in text and "mine.toml" in text
        assert "theirs" not in text and "peek" not in text and str(tmp_path) not in text
        await pilot.press("down", "enter")  # the first: the lecturer's file
        await pilot.pause()
        assert app.stepper.snapshot.name == "lecture-xor"

    def configure(app):
        app.files_folder, app.shared_folder = str(own.resolve()), str(shared.resolve())

    drive(scenario, size=size, configure=configure)
