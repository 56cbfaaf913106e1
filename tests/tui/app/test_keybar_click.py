"""The clickable key bar (issue 13, item 6): a click on a label runs what its key does, at 80×24 and 120×40,
through the App's checks (quiz mode asks first), and the next-key emphasis stays."""

from __future__ import annotations

import pytest

from engine import presets
from engine.stepper import Phase
from tui.app.widgets.keybar import KeyBar
from tui.text.i18n import t
from tui.text.keys import KEY_TABLE, bar_items

BY_SHOWN = {key.shown: key.action for key in KEY_TABLE}


def targets(bar: KeyBar) -> list[tuple[int, str]]:
    """(column, expected action) for a click on each key and on each label the bar shows, found in its
    rendered text: the items are " key label " in a row."""
    plain = bar.render().plain
    out = []
    for shown, label, _ in bar_items():
        item = f" {shown} {t(label)} "
        at = plain.find(item)
        if at < 0:
            continue  # dropped at this width
        col = at + 1
        keys = []  # a key shown as two characters (^s) is one key
        rest = shown
        while rest:
            name = next(n for n in sorted(BY_SHOWN, key=len, reverse=True) if rest.startswith(n))
            keys.append((col, BY_SHOWN[name]))
            col += len(name)
            rest = rest[len(name) :]
        out.extend(keys)
        out.append((at + len(shown) + 2 + len(t(label)) // 2, keys[0][1]))  # the label's middle: its first key
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_clicking_each_label_runs_its_action(drive, size):
    ran: list[str] = []

    def record(action):
        return lambda *a, **kw: ran.append(action)

    def configure(app):
        for key in KEY_TABLE:  # the App's actions, recorded instead of run (each one's effect is tested elsewhere)
            setattr(app, f"action_{key.action}", record(key.action))

    async def scenario(app, pilot):
        bar = app.query_one(KeyBar)
        clicks = targets(bar)
        assert len(clicks) >= 2 * 7  # at least the seven items 80 columns keep, key and label
        for column, action in clicks:
            ran.clear()
            assert await pilot.click(KeyBar, offset=(column, 0))
            await pilot.pause()
            assert ran == [action], (column, action)
        ran.clear()
        await pilot.click(KeyBar, offset=(bar.size.width - 1, 0))  # past the last item: nothing
        assert ran == []

    drive(scenario, model=presets.load("xor"), size=size, configure=configure)


def test_clicks_step_the_network_and_the_emphasis_follows(drive):
    async def scenario(app, pilot):
        bar = app.query_one(KeyBar)
        clicks = dict((action, column) for column, action in reversed(targets(bar)))
        for action, phase in (
            ("forward", Phase.F1),
            ("forward", Phase.F2),
            ("backward", Phase.B2),
            ("backward", Phase.B1),
            ("update", Phase.U),
        ):
            await pilot.click(KeyBar, offset=(clicks[action], 0))
            await pilot.pause()
            assert app.snapshot.phase is phase
            nxt = bar._next()
            assert nxt is not None and nxt in bar.render().plain  # the next key is still emphasised
        await pilot.click(KeyBar, offset=(clicks["undo"], 0))
        await pilot.pause()
        assert app.snapshot.phase is Phase.B1

    drive(scenario, size=(80, 24))


def test_a_micro_step_click_in_quiz_mode_asks_first(drive):
    async def scenario(app, pilot):
        clicks = {action: column for column, action in targets(app.query_one(KeyBar))}
        await pilot.click(KeyBar, offset=(clicks["forward"], 0))
        await pilot.pause()
        assert app.quiz.asking and app.quiz.pending == "forward"
        assert app.snapshot.phase is Phase.READY  # held back until answered, as the key f does

    drive(scenario, size=(120, 40), quiz=True)


def test_quit_by_click(drive):
    async def scenario(app, pilot):
        clicks = {action: column for column, action in targets(app.query_one(KeyBar))}
        await pilot.click(KeyBar, offset=(clicks["quit"], 0))
        await pilot.pause()
        assert app.closing

    drive(scenario, size=(80, 24))
