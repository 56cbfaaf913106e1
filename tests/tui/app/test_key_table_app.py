"""The app binds, shows and obeys the key table (tui/text/keys.py): App.BINDINGS, the key bar, the help
page, the Explain panel's "next key" hint, the key bar's emphasis, the refusal's "press X" and the
quiz all come from KEY_TABLE. The hint is checked by driving the app with Pilot: in every phase,
pressing the hinted key moves the phase on, and every other micro-step key is refused with a notice
that names the hinted key.
"""

from __future__ import annotations

import pytest

from engine.stepper import Phase
from tui.app.app import WHEN_TOO_SMALL, BackpropApp
from tui.app.screens.activation import ActivationScreen
from tui.app.screens.depth import DepthScreen
from tui.app.screens.edit import EditScreen
from tui.app.screens.gradcheck import GradCheckScreen
from tui.app.screens.help import HelpBody, HelpScreen, help_text, key_cell
from tui.app.screens.sweep import SweepScreen
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KeyBar
from tui.text import keys
from tui.text.i18n import LANGS, t
from tui.text.keys import KEY_TABLE, MICRO_STEP_KEYS, bar_items, help_rows, key_for, keys_of, phase_after

TALL = (120, 60)  # the Explain panel keeps its hint line in every phase
SHOWN = {key.shown: key for key in KEY_TABLE}


def flat(text: str) -> str:
    return " ".join(text.split())


# --- bindings ----------------------------------------------------------------------------------------


def test_the_apps_bindings_are_the_table():
    bound = {(b.key, b.action) for b in BackpropApp.BINDINGS}
    assert bound == {(key.binding, key.action) for key in KEY_TABLE}
    assert len(BackpropApp.BINDINGS) == len(KEY_TABLE)
    assert all(callable(getattr(BackpropApp, f"action_{key.action}", None)) for key in KEY_TABLE)


def test_every_key_name_of_the_table_runs_its_action_on_the_main_screen(drive):
    async def scenario(app, pilot):
        active = app.active_bindings
        for key in KEY_TABLE:
            for name in key.names:
                assert active[name].binding.action == key.action, name

    drive(scenario)


def test_the_screens_pass_on_the_apps_keys_by_the_table():
    """A screen that hands a key to the App (app.export, app.save, app.open) binds the table's key for it
    (tests/tui/app/test_overlays.py: and only the table's keys for that screen)."""
    for screen in (GradCheckScreen, SweepScreen, EditScreen, HelpScreen, ActivationScreen, DepthScreen):
        passed = [b for b in screen.BINDINGS if b.action.startswith("app.")]
        assert passed, screen.__name__
        for b in passed:
            assert b.key == keys_of(b.action[4:]), (screen.__name__, b)
    assert all(key_for(action) for action in WHEN_TOO_SMALL)


# --- what the app shows --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_page_lists_every_key_of_the_table_with_its_label(lang):
    shown = help_text(lang, 240).plain
    for written, label in help_rows(lang):
        assert f"{key_cell(written)}{keys.label(label, lang)}" in shown, (written, label)
    for key in KEY_TABLE:
        row = next(r for r, label in help_rows() if label == key.help)
        assert (key.spelled or key.shown) in row.split("  "), key.action


def test_the_help_screen_shows_the_tables_rows(drive):
    async def scenario(app, pilot):
        await pilot.press(key_for("help").names[0])
        await pilot.pause()
        body = flat(app.screen.query_one(HelpBody).render().plain)
        for written, label in help_rows():
            assert flat(f"{written} {keys.label(label)}") in body, written

    drive(scenario, size=(120, 50))


def keybar_width() -> int:
    return sum(len(k) + len(t(label, lang)) + 3 for k, label, _ in bar_items() for lang in LANGS)


def test_the_key_bar_shows_every_key_of_the_table_with_its_label(drive):
    async def scenario(app, pilot):
        for lang in LANGS:
            while app.lang != lang:
                await pilot.press(key_for("language").names[0])
                await pilot.pause()
            bar = app.query_one(KeyBar).render().plain
            for shown, label, _ in bar_items():
                assert f" {shown} {t(label, lang)} " in bar, (shown, label, lang)
            assert sum(len(s) + len(t(label, lang)) + 3 for s, label, _ in bar_items()) == len(bar)

    drive(scenario, size=(keybar_width(), 30))


def test_while_playing_the_key_bar_says_pause(drive):
    async def scenario(app, pilot):
        app.playing = True
        await pilot.pause()
        bar = app.query_one(KeyBar).render().plain
        assert f" p {t('ui_key_pause')} " in bar and f" p {t('ui_key_play')} " not in bar
        app.playing = False

    drive(scenario, size=(keybar_width(), 30))


# --- the next key, driven --------------------------------------------------------------------------------


def hinted(app) -> str:
    """The key the Explain panel's hint names (as shown), checked against the key bar's emphasis."""
    explain = flat(app.query_one(ExplainPanel).render().plain)
    named = [k for k in SHOWN if flat(t("ui_next", k=k, action=t(SHOWN[k].bar))) in explain]
    assert len(named) == 1, explain
    bar = app.query_one(KeyBar)
    rendered = bar.render()
    emphasised = [
        rendered.plain[span.start : span.end] for span in rendered.spans if span.style == bar.style("keybar--next")
    ]
    assert emphasised == named, (emphasised, named)
    return named[0]


def test_in_every_phase_the_hinted_key_moves_the_phase_and_the_others_are_refused_for_it(drive):
    async def scenario(app, pilot):
        seen = set()
        for _ in range(11):  # READY, then two samples: F1 F2 B2 B1 U, twice
            phase = app.snapshot.phase
            seen.add(phase)
            key = SHOWN[hinted(app)]
            assert key in MICRO_STEP_KEYS and key.names != ("space",)
            for other in MICRO_STEP_KEYS:
                if other is key or other.names == ("space",):
                    continue
                await pilot.press(other.names[0])
                await pilot.pause()
                assert app.snapshot.phase is phase, (phase, other.action)
                assert t("ui_press", k=key.shown, action=t(key.bar)) in app.notice_text, (phase, other.action)
            await pilot.press(key.names[0])
            await pilot.pause()
            assert app.snapshot.phase is phase_after(phase) and app.snapshot.phase in key.does, phase
        assert seen == set(Phase)

    drive(scenario, size=TALL)


def test_in_quiz_mode_the_hinted_key_asks_by_its_table_action_and_then_does_its_step(drive):
    async def scenario(app, pilot):
        for _ in range(11):
            phase = app.snapshot.phase
            key = SHOWN[hinted(app)]
            await pilot.press(key.names[0])
            await pilot.pause()
            assert app.quiz.asking and app.quiz.pending == key.action and app.snapshot.phase is phase
            await pilot.press("escape")  # reveal: the held step runs by that action
            await pilot.pause()
            assert not app.quiz.asking and app.snapshot.phase is phase_after(phase)

    drive(scenario, size=TALL, quiz=True)


@pytest.mark.parametrize("phase_steps", [0, 2, 4])
def test_in_quiz_mode_space_asks_as_step_and_a_refused_key_asks_nothing(phase_steps, drive):
    async def scenario(app, pilot):
        for _ in range(phase_steps):
            app.stepper.step()
        app.snapshot = app.stepper.snapshot
        await pilot.pause()
        phase = app.snapshot.phase
        wrong = next(k for k in MICRO_STEP_KEYS if not k.steps_from(phase))
        await pilot.press(wrong.names[0])
        await pilot.pause()
        assert not app.quiz.asking and app.snapshot.phase is phase
        await pilot.press("space")
        await pilot.pause()
        assert app.quiz.asking and app.quiz.pending == key_for("step").action

    drive(scenario, quiz=True)
