"""The command palette (ctrl+p, tui/app/palette.py, issue 20): a student who forgot a key finds it by
name, in the language of the moment, and running it does what the key does, refusals and all. It
works at 80×24, takes the keys typed into it (q does not quit), and starts no timer that would wake
an idle app (tests/tui/app/test_terminal.py measures the wake-ups in a real terminal)."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandList
from textual.widgets import LoadingIndicator

from engine import presets
from engine.stepper import Stepper
from tui.app.app import BackpropApp
from tui.app.palette import KeyPalette
from tui.app.widgets.steady_input import VALUE_LENGTH
from tui.text.i18n import t
from tui.text.keys import KEY_TABLE, help_rows, palette_commands


def kinds(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack[1:]]


async def settle(app, pilot) -> None:
    """Until the palette's search has finished and its list is drawn."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_palette(app, pilot, typed: str = "") -> list[tuple[str, str]]:
    """ctrl+p, then `typed` key by key; the (name, help line) of each command listed, in order."""
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    for char in typed:
        await pilot.press("space" if char == " " else char)
    await settle(app, pilot)
    return listed(app)


def listed(app) -> list[tuple[str, str]]:
    options = app.screen.query_one(CommandList)
    hits = [options.get_option_at_index(i).hit for i in range(options.option_count)]
    return [(hit.text, hit.help) for hit in hits]


def test_ctrl_p_is_a_key_of_the_table_the_help_page_lists_in_both_languages():
    palette = next(key for key in KEY_TABLE if key.action == "command_palette")
    assert palette.names == ("ctrl+p",) and palette.shown == "^p"
    assert ("ctrl+p", "command_palette") in {(b.key, b.action) for b in BackpropApp.BINDINGS}
    assert ("^p", "ui_help_cp") in help_rows()
    assert (
        t("ui_help_cp", "en") == "find a command by name" and t("ui_help_cp", "pt") == "procurar um comando pelo nome"
    )


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_opened_it_lists_every_key_by_its_name_in_the_language_now(lang, drive):
    async def scenario(app, pilot):
        shown = await open_palette(app, pilot)
        assert kinds(app) == ["KeyPalette"] and isinstance(app.focused, CommandInput)
        expected = [
            (name, t("ui_palette_key", lang, shown=key.spelled and t("key_" + key.spelled, lang) or key.shown))
            for key, name in palette_commands(lang)
        ]
        assert shown == expected
        assert len(shown) == len(KEY_TABLE) - 1  # every key but ctrl+p itself
        placeholder = app.screen.query_one(CommandInput).placeholder
        assert placeholder == t("ui_palette_placeholder", lang)

    drive(scenario, size=(80, 24), lang=lang)


LR_UP = Stepper(presets.lecture()).lr_up().lr  # what + makes of the notes' η = 0.5

# (language, typed, the name it finds first, what the key does: a check on the app afterwards)
FOUND = [
    ("en", "forw", "forward: F1, then F2", lambda app: app.snapshot.phase.name == "F1"),
    ("pt", "diret", "direta: F1, depois F2", lambda app: app.snapshot.phase.name == "F1"),
    ("en", "surf", "decision surface ŷ(x₁, x₂)", lambda app: kinds(app) == ["SurfaceScreen"]),
    ("pt", "superf", "superfície de decisão ŷ(x₁, x₂)", lambda app: kinds(app) == ["SurfaceScreen"]),
    ("en", "learning rate η up", "learning rate η up", lambda app: app.snapshot.lr == LR_UP),
    ("pt", "aumentar", "aumentar a taxa de aprendizado η", lambda app: app.snapshot.lr == LR_UP),
    ("en", "lang", "language: English / Português / Español", lambda app: app.lang == "pt"),
    ("pt", "idioma", "idioma: English / Português / Español", lambda app: app.lang == "es"),
    ("es", "idioma", "idioma: English / Português / Español", lambda app: app.lang == "en"),
]


@pytest.mark.parametrize("lang, typed, name, done", FOUND, ids=[f"{f[0]}-{f[1]}" for f in FOUND])
def test_part_of_a_name_finds_the_key_and_enter_runs_it_as_the_key_would(lang, typed, name, done, drive):
    async def scenario(app, pilot):
        before = app.snapshot
        shown = await open_palette(app, pilot, typed)
        assert shown[0][0] == name
        assert app.snapshot is before and kinds(app) == ["KeyPalette"]  # typing ran nothing
        await pilot.press("enter")
        await settle(app, pilot)
        assert "KeyPalette" not in kinds(app)
        assert done(app)

    drive(scenario, size=(80, 24), lang=lang)


def test_after_l_it_searches_the_names_of_the_new_language(drive):
    async def scenario(app, pilot):
        assert (await open_palette(app, pilot, "surf"))[0][1] == "key h"
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.pause()
        shown = await open_palette(app, pilot, "superf")
        assert shown[0] == ("superfície de decisão ŷ(x₁, x₂)", "tecla h")

    drive(scenario, size=(80, 24))


def test_a_refused_step_is_refused_as_the_key_is(drive):
    """b before the forward pass: the Stepper refuses, nothing moves, the notice says what to press."""
    notices = {}

    async def by_key(app, pilot):
        await pilot.press("b")
        await pilot.pause()
        notices["key"] = (app.notice_text, app.stepper.position)

    async def by_palette(app, pilot):
        await open_palette(app, pilot, "backw")
        await pilot.press("enter")
        await settle(app, pilot)
        notices["palette"] = (app.notice_text, app.stepper.position)

    drive(by_key, size=(80, 24))
    drive(by_palette, size=(80, 24))
    assert notices["key"][1] == 0 and notices["key"][0]
    assert notices["palette"] == notices["key"]


def test_q_and_the_apps_keys_typed_into_it_are_text(drive):
    async def scenario(app, pilot):
        await open_palette(app, pilot, "q")
        await pilot.press("tab", "q", "f", "ctrl+s", "w")
        await pilot.pause()
        assert app.is_running and not app.closing
        assert kinds(app) == ["KeyPalette"] and app.stepper.position == 0
        assert app.screen.query_one(CommandInput).value == "qqfw"
        await pilot.press("escape")
        await pilot.pause()
        assert kinds(app) == [] and app.is_running

    drive(scenario, size=(80, 24))


def test_quit_by_name_quits(drive):
    async def scenario(app, pilot):
        await open_palette(app, pilot, "quit")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not app.is_running or app.closing

    drive(scenario)


def test_a_name_nothing_has_offers_the_help_page_in_the_language_now(drive):
    async def scenario(app, pilot):
        shown = await open_palette(app, pilot, "xyzzy")
        assert shown == [(t("ui_palette_none", "pt", query="xyzzy"), None)]
        assert "xyzzy" in shown[0][0] and "ajuda" in shown[0][0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert kinds(app) == ["HelpScreen"]

    drive(scenario, lang="pt")


def test_it_opens_only_over_the_panels_and_once(drive):
    async def scenario(app, pilot):
        await pilot.press("question_mark", "ctrl+p")
        await pilot.pause()
        assert kinds(app) == ["HelpScreen"]  # over another screen: the palette is not one of its keys
        await pilot.press("escape")
        await pilot.resize_terminal(79, 24)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert kinds(app) == []  # below 80×24: nothing in view to run a command on
        await pilot.resize_terminal(80, 24)
        await pilot.press("ctrl+p", "ctrl+p")
        await pilot.pause()
        assert kinds(app) == ["KeyPalette"]

    drive(scenario)


def test_it_starts_no_timer_and_its_text_is_bounded(drive):
    """An open palette waits as quietly as the panels: its cursor does not blink and its loading
    indicator does not animate (each a timer waking the app); what is typed stays VALUE_LENGTH long."""

    async def scenario(app, pilot):
        await open_palette(app, pilot, "for")
        box = app.screen.query_one(CommandInput)
        assert box.cursor_blink is False
        assert not box._blink_timer._active.is_set()  # paused (Textual's Timer)
        assert all(indicator.auto_refresh is None for indicator in app.screen.query(LoadingIndicator))
        for _ in range(3):
            await pilot.press(*"x" * 40)
        assert len(box.value) == VALUE_LENGTH

    drive(scenario)


def test_the_palette_class_is_textuals():
    from textual.command import CommandPalette

    assert issubclass(KeyPalette, CommandPalette)


@pytest.mark.parametrize("size", [(10, 4), (80, 24), (120, 40)])
def test_page_keys_move_through_the_list_at_any_size_even_shrunk_under_it(size, drive):
    """PgDn / PgUp move the highlight a page and stay in the list; with the terminal shrunk to a size
    that draws no line of it, Textual's own page move raised KeyError (tests/keymash.py found it)."""

    async def scenario(app, pilot):
        await open_palette(app, pilot)
        commands = app.screen.query_one(CommandList)
        count = commands.option_count
        await pilot.resize_terminal(*size)
        await settle(app, pilot)
        for key in ("pagedown",) * 40 + ("pageup",) * 3:
            await pilot.press(key)
        await settle(app, pilot)
        assert kinds(app) == ["KeyPalette"] and commands.option_count == count
        assert 0 <= commands.highlighted < count
        await pilot.press(*("pageup",) * 40)
        assert commands.highlighted == 0

    drive(scenario)


@pytest.mark.parametrize(
    "keys", [("escape", "escape"), ("enter", "enter"), ("enter", "enter", "enter"), ("enter", "escape")]
)
def test_keys_sent_at_once_close_it_once_and_leave_the_app_running(keys, drive):
    """Two closing keys handled before the first had closed the palette: Textual's dismiss popped the
    main screen too and the app ended with ScreenStackError (found by the random terminal test)."""
    import keymash

    async def scenario(app, pilot):
        await open_palette(app, pilot, "forw")
        keymash.send_at_once(app, keys)
        await settle(app, pilot)
        await pilot.pause()
        assert kinds(app) == [] and app.is_running and len(app.screen_stack) == 1
        await pilot.press("f")
        await pilot.pause()
        assert app.stepper.snapshot.phase is not None

    drive(scenario)


def test_a_click_beyond_a_shrunk_screen_is_dropped(drive):
    """A click sent for the old size after a resize shrank the screen: Textual's palette looked up the
    widget there and raised NoWidget, ending the app (found by the random terminal test)."""
    from textual import events

    def click(x: int, y: int) -> events.Click:
        return events.Click(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)

    async def scenario(app, pilot):
        await open_palette(app, pilot)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        app.screen.post_message(click(38, 40))
        await settle(app, pilot)
        assert app.is_running and kinds(app) == ["KeyPalette"]
        await pilot.press("escape")  # and it still closes as before
        await settle(app, pilot)
        assert app.is_running and kinds(app) == []

    drive(scenario, size=(120, 40))
