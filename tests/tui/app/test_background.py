"""Long work off the UI thread (issue 9): e, p and W on a large data set leave keys answering, and
stop soon after they are cancelled (a key, Esc on their screen, q).

Whether the engine still computes is read from the threads' own stacks: a worker whose asyncio task
Textual has cancelled may still be running in its thread, and that is what kept a core busy.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest

from engine.model import Model, random_params
from engine.stepper import Stepper
from tui.app.screens.sweep import SweepScreen
from tui.text.i18n import t

TIMEOUT = 20.0  # seconds: generous, the engine is meant to stop within a fraction of one
LONG_LOOPS = {"epoch_steps", "_sweep_epochs", "fast_epochs"}


def big_model(m: int) -> Model:
    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, (m, 2))
    return Model("big", random_params(0), X, (X[:, 0] > X[:, 1]).astype(float))


def engine_busy() -> bool:
    """Some thread is inside one of the engine's long loops."""
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code.co_name in LONG_LOOPS:
                return True
            frame = frame.f_back
    return False


async def until(pilot, condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, what
        await pilot.pause(0.02)


def wait_engine_idle() -> None:
    deadline = time.monotonic() + TIMEOUT
    while engine_busy():
        assert time.monotonic() < deadline, "the engine went on computing after it was cancelled"
        time.sleep(0.02)


def test_e_on_400000_rows_leaves_keys_answering_and_can_be_cancelled(drive):
    # While the worker computes, Pilot's press waits up to a second per key for the process to idle,
    # so the keys whose answer is not in question here are run as their actions. 400 000 rows: an
    # epoch takes several seconds even on a fast machine, longer than the keys pressed during it.
    async def scenario(app, pilot):
        start = app.snapshot
        await pilot.press("e", "l")  # l is answered while the epoch is computed (it takes seconds)
        assert app.lang == "pt" and app.snapshot is start and engine_busy()
        assert app.notice.key == "ui_epoch_running"
        await app.run_action("finish_epoch")  # a second e: refused, the first one goes on
        assert app.notice.key == "ui_epoch_busy" and app.snapshot is start
        await pilot.press("z")  # cancels: nothing is taken, now or later
        assert app.notice.key == "ui_epoch_cancelled"
        await until(pilot, lambda: not engine_busy(), "the epoch went on after z")
        await pilot.pause(0.1)
        assert app.snapshot is start and app.stepper.history_length == 1
        await app.run_action("finish_epoch")
        await until(pilot, engine_busy, "e did not start computing")
        await pilot.press("f")  # a key that changes the model cancels the epoch first, then acts
        assert app.notice.key == "ui_epoch_cancelled" and app.snapshot.phase.name == "F1"
        await until(pilot, lambda: not engine_busy(), "the epoch went on after f")
        await app.run_action("finish_epoch")
        await until(pilot, engine_busy, "e did not start computing")
        await app.run_action("edit")  # the editor starts from the model as it is: the epoch stops
        await until(pilot, lambda: not engine_busy(), "the epoch went on under the editor")
        await pilot.press("escape")
        assert app.snapshot.phase.name == "F1"
        await app.run_action("finish_epoch")
        await until(pilot, engine_busy, "e did not start computing")
        await pilot.press("q")

    drive(scenario, model=big_model(400_000))
    wait_engine_idle()  # q stopped the worker too


def test_e_in_the_background_takes_the_same_steps_as_the_stepper(drive):
    model = big_model(1000)
    reference = Stepper(model)
    reference.finish_sample()
    reference.finish_epoch()

    async def scenario(app, pilot):
        await pilot.press("s", "e")
        await until(pilot, lambda: app.notice is None, "the epoch never arrived")
        assert app.snapshot.same_state(reference.snapshot)
        assert app.stepper.history_length == reference.history_length
        await pilot.press("z")  # one micro-step back, as after an e done at once
        assert app.snapshot.same_state(reference.undo())

    drive(scenario, model=model)


def test_p_mid_epoch_plays_once_the_epoch_is_taken(drive):
    async def scenario(app, pilot):
        await pilot.press("f", "p")  # mid-epoch: p finishes the epoch in the worker, then plays
        await until(pilot, lambda: app.snapshot.epoch >= 3 and not app.playing, "play did not follow the epoch")
        assert len(app.snapshot.losses) == 4  # L0 and the three epochs of --max-epochs 3

    drive(scenario, model=big_model(2000), max_epochs=3)


def test_play_on_100000_rows_pauses_within_a_chunk(drive):
    async def scenario(app, pilot):
        await app.run_action("play")
        await until(pilot, engine_busy, "play did not start")
        await pilot.press("p")
        assert not app.playing
        await until(pilot, lambda: not engine_busy(), "training went on after the pause")

    drive(scenario, model=big_model(100_000))


def test_escape_on_the_sweep_of_100000_rows_stops_it(drive):
    async def scenario(app, pilot):
        await app.run_action("sweep")
        assert isinstance(app.screen, SweepScreen)
        await until(pilot, engine_busy, "the sweep did not start")
        await pilot.pause(0.3)  # into its epochs
        await pilot.press("escape")
        assert not isinstance(app.screen, SweepScreen)
        await until(pilot, lambda: not engine_busy(), "the sweep went on after Esc")

    drive(scenario, model=big_model(100_000))


def test_one_sample_keys_and_screens_stay_bounded_on_100000_rows(drive):
    # s, space, the quiz, g and v work on one sample (or none): they answer at once on any data set.
    async def scenario(app, pilot):
        await pilot.press("s", "space", "space")
        assert app.snapshot.sample == 1 and app.snapshot.phase.name == "F2"
        await pilot.press("g")
        assert type(app.screen).__name__ == "GradCheckScreen"
        await pilot.press("escape", "v")
        assert type(app.screen).__name__ == "ActivationScreen"
        await pilot.press("escape", "k", "b")
        assert app.quiz.asking
        assert not engine_busy()

    drive(scenario, model=big_model(100_000))


def test_the_editor_on_100000_rows_lists_the_first_rows_and_the_last(drive):
    from tui.app.model_edit import EDIT_ROWS
    from tui.app.screens.edit import EditScreen

    async def scenario(app, pilot):
        await pilot.press("w")  # took a minute on the UI thread: one list line per value of 300 000
        screen = app.screen
        assert isinstance(screen, EditScreen)
        rows = [f.key[1] for f in screen.fields if f.kind == "y"]
        assert rows == [*range(EDIT_ROWS - 1), 99_999]
        more = next(f for f in screen.fields if f.kind == "more_rows")
        assert more.key == ("more_rows", 100_000 - EDIT_ROWS)
        await pilot.press("end", "up", "enter")  # + add a data row: the new last row is listed
        assert app.snapshot.m == 100_001
        assert [f.key[1] for f in screen.fields if f.kind == "y"][-2:] == [EDIT_ROWS - 2, 100_000]

    drive(scenario, model=big_model(100_000))


# --- issue 18: "a notice outlives what it describes" ----------------------------------------------


def endless_epoch(base, keep, go_on=None, every=256):
    """epoch_steps that never ends until it is cancelled, reporting samples as the real one does: the
    cancel, not the machine's speed, decides when it stops."""
    sample = base.sample
    while go_on(sample):
        sample = (sample + every) % base.m
        time.sleep(0.005)
    return None


@pytest.mark.parametrize(
    "work,keys",
    [
        ("e", ["k"]),
        ("e", ["w", "escape"]),
        ("e", ["o", "escape"]),
        ("e", ["f"]),
        ("e", ["z"]),
        ("p", ["k"]),
        ("p", ["w", "escape"]),
        ("p", ["o", "escape"]),
    ],
)
def test_a_notice_about_running_work_goes_when_the_work_is_cancelled(drive, monkeypatch, work, keys):
    """60 000 rows, e (or p), then a key that stops it: "Finishing the epoch: sample … of 60000… z
    cancels." (or "Training… p pauses.") no longer stands while nothing runs."""
    from tui.app.controllers import play
    from tui.app.widgets.explain import ExplainPanel

    monkeypatch.setattr(play, "epoch_steps", endless_epoch)
    running_keys = {"ui_play_started", "ui_epoch_running", "ui_epoch_busy", "ui_epoch_then_play"}

    def shown(app) -> str:
        return app.screen_stack[0].query_one(ExplainPanel).render().plain

    async def scenario(app, pilot):
        if work == "e":
            await pilot.press("s")  # mid-epoch: e runs in the worker
            await app.run_action("finish_epoch")
            await until(pilot, lambda: "of 60000" in shown(app) and app.play._epoch_sample > 0, "e did not report")
        else:
            await app.run_action("play")
            await until(pilot, lambda: app.playing and t("ui_play_started") in shown(app), "play did not start")
        await pilot.press(*keys)
        await pilot.pause(0.2)
        assert not app.playing and app.play._epoch_base is None  # nothing runs
        assert app.notice is None or app.notice.key not in running_keys, app.notice
        text = shown(app)
        for key in running_keys:  # none of them, whatever its numbers
            assert t(key, sample=0, m=60000).split(":")[0].split("…")[0] not in text, text

    drive(scenario, model=big_model(60_000))
