"""`p` and `e` on a large data set: training and epochs in thread workers, merged on the UI thread.

`p` trains in a thread worker on its own copy of the parameters (engine.training.fast_epochs in
chunks), posting a Progress message at most every PROGRESS_INTERVAL seconds; the App hands each to
`progress`, which merges it into the history with Stepper.adopt, so one undo leaves the whole run.
Any key that changes the model pauses play first (the App's `apply`); view keys (help, language,
theme, log scale) leave it running.

`e` on a data set of more than FOREGROUND_SAMPLES rows (seconds of micro-steps for 100 000) runs
engine.stepper.epoch_steps in a thread worker from the snapshot of the moment; the steps are handed
to Stepper.extend when they arrive, so the Stepper still changes on the UI thread only. Keys answer
meanwhile: z cancels the epoch, a second e says it is under way, p starts play after it, and any
other key that changes the model cancels it first, as it pauses play.

The workers never touch a widget: they post messages to the App, which passes them here.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import cast

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import get_current_worker

from engine.model import Model
from engine.network import Params
from engine.stepper import Refused, Snapshot, epoch_steps
from tui.app.host import Host, now
from tui.app.notice import Notice, refusal

PROGRESS_INTERVAL = 0.1  # seconds between play updates: ≤ 10 redraws a second
CHUNK_SECONDS = 0.01  # aim for chunks of this length, so a pause is never kept waiting
YIELD_SECONDS = 0.001  # pause between chunks: keys stay quick while the worker computes
# A play chunk trains at most this many samples (≈ 0.1 s on the fast path), whatever the data set's
# size: a pause or quit stops the worker within one chunk.
PLAY_CHUNK_SAMPLES = 50_000
# e on a data set up to this size is done at once (≤ ~30 ms); above it, in a worker (module docstring).
FOREGROUND_SAMPLES = 200
# Play is for watching: by default it trains DEFAULT_SPEED epochs a second (XOR learns in about two
# seconds), which also keeps a class of students playing at once from taking the server's cores.
# --speed 0 trains as fast as the machine allows. Without --max-epochs play stops at
# DEFAULT_MAX_EPOCHS, so a run left playing cannot grow the loss history (8 bytes an epoch) forever.
DEFAULT_SPEED = 1000.0
DEFAULT_MAX_EPOCHS = 1_000_000


# The notices that describe work while it runs: each goes when its work ends, by whatever route
# (a key that cancels it, k, w or o pausing it, the work finishing), never left standing over
# nothing running ("Finishing the epoch: sample 6145 of 60000… z cancels." after k had cancelled it).
RUNNING_NOTICES = frozenset({"ui_play_started", "ui_epoch_running", "ui_epoch_busy", "ui_epoch_then_play"})


class Progress(Message):
    """Epochs trained by the play worker since its last message; `ended`: why the run ended with them
    ("target", "diverged", "max"), or None while it goes on. (Not `stop`: that is Message.stop().)"""

    def __init__(
        self, run: int, losses: list[float], params: Params, diverged_at: int | None, ended: str | None
    ) -> None:
        super().__init__()
        self.run, self.losses, self.params, self.diverged_at, self.ended = run, losses, params, diverged_at, ended


class EpochProgress(Message):
    """The epoch worker has done samples up to `sample` (0-based)."""

    def __init__(self, run: int, sample: int) -> None:
        super().__init__()
        self.run, self.sample = run, sample


class EpochDone(Message):
    """The epoch worker's micro-steps from the controller's `_epoch_base`, for Stepper.extend."""

    def __init__(self, run: int, steps: list[Snapshot]) -> None:
        super().__init__()
        self.run, self.steps = run, steps


class PlayController:
    def __init__(self, app: Host) -> None:
        self.app = app
        self._run = 0  # id of the current play run; Progress from an older run is ignored
        self._drawn = threading.Event()  # the last Progress has been handled: the worker may send another
        self._drawn.set()
        self._epoch_run = 0  # id of the current epoch worker; what an older one sends is ignored
        self._epoch_base: Snapshot | None = None  # the snapshot the running epoch worker started from
        self._epoch_sample = 0  # the sample it has reached
        self._epoch_then_play = False  # p was pressed meanwhile: play once the epoch is taken

    # --- play -----------------------------------------------------------------------------
    def _stop_reason(self, s: Snapshot) -> str | None:
        app = self.app
        if app.max_epochs is not None and s.epoch + (1 if s.phase.name == "U" else 0) >= app.max_epochs:
            return "max"
        if app.target_loss is not None and s.loss_now <= app.target_loss:
            return "target"
        return None

    def play(self) -> None:
        app = self.app
        if app.playing:
            self.pause()
            return
        if self._epoch_base is not None:  # e computes: play once it is done
            self._epoch_then_play = True
            app.notice = self._epoch_notice("ui_epoch_then_play")
            return
        if now(app).diverged_at is not None:
            app.notice = refusal(Refused("diverged", "reset"))
            return
        if not app.stepper.at_epoch_boundary():  # play trains whole epochs: finish this one first
            if now(app).m > FOREGROUND_SAMPLES:
                if app.apply(self._start_epoch):
                    self._epoch_then_play = True
                    app.notice = self._epoch_notice("ui_epoch_then_play")
                return
            if not app.apply(app.stepper.finish_epoch, pause=False):
                return
        s = now(app)
        if s.diverged_at is not None:
            app.notice = Notice("ui_diverged_notice", (("epoch", s.diverged_at),))
            return
        if self._stop_reason(s):
            app.notice = Notice("ui_play_nothing")
            return
        self._run += 1
        self._drawn.set()
        app.playing = True
        app.notice = Notice("ui_play_started")
        done = s.epoch + (1 if s.phase.name == "U" else 0)
        model = app.stepper.model.with_(hidden=s.hidden, output=s.output, lr=s.lr)
        train = partial(
            self._train, self._run, model, s.params, done, app.target_loss, app.max_epochs, app.speed, s.next_batch
        )
        app.run_worker(train, name="_train", group="play", exclusive=True, thread=True)

    def _ended(self, notice: Notice | None) -> None:
        """Work has stopped: a notice that says it runs gives way to `notice` (what happened)."""
        app = self.app
        if app.notice is not None and app.notice.key in RUNNING_NOTICES:
            app.notice = notice

    def pause(self, quiet: bool = False) -> bool:
        """Stop play (and a pending e: w, o and k, which call this, then change the model too).
        True if a pending e was cancelled. Quiet: the caller says what happens next; a notice that
        said play (or e) was running still goes."""
        app = self.app
        cancelled = self.cancel_epoch()
        if not app.playing:
            return cancelled
        self._run += 1  # whatever the worker still sends belongs to a finished run
        app.workers.cancel_group(cast(DOMNode, app), "play")  # the Host is the App, a DOMNode
        app.playing = False
        paused = Notice("ui_play_paused", (("epoch", now(app).epoch),))
        if quiet:
            self._ended(paused)
        else:
            app.notice = paused
        return cancelled

    def _train(
        self,
        run: int,
        model: Model,
        params: Params,
        done: int,
        target: float | None,
        max_epochs: int | None,
        speed: float = 0.0,
        batch: int | str | None = None,
    ) -> None:
        """Epochs in chunks on a copy, in a thread worker; never touches a widget, only posts Progress.

        At most one Progress is in flight, and the worker waits while the App draws it (`_drawn`):
        the drawing has the CPU (and the GIL) to itself, a slow terminal gets fewer, larger updates
        instead of a backlog, and keys never queue behind training. With `speed` > 0 each tick of
        PROGRESS_INTERVAL trains speed·PROGRESS_INTERVAL epochs and the worker sleeps the rest of it.
        """
        from engine import training  # on the first play: the app starts without it

        if batch is None:
            fast_epochs = training.fast_epochs
        else:  # batch mode (issue 19): the epochs the next epoch's mode runs, adopted at its boundary
            size = training.batch_size(batch, model.m)

            def fast_epochs(params: Params, model: Model, epochs: int) -> training.TrainResult:
                return training.fast_batch_epochs(params, model, epochs, size)

        worker = get_current_worker()
        pending: list[float] = []
        last_post = time.monotonic()
        chunk = 8
        while not worker.is_cancelled and run == self._run:
            if not self._drawn.wait(0.05):  # the App is drawing: leave it the CPU, then go on
                continue
            if speed > 0:
                chunk = max(1, round(speed * PROGRESS_INTERVAL))
            n = min(chunk, max(1, PLAY_CHUNK_SAMPLES // model.m))
            n = n if max_epochs is None else min(n, max_epochs - done)
            if n <= 0:
                self.app.post_message(Progress(run, pending, params, None, "max"))
                return
            started = time.monotonic()
            res = fast_epochs(params, model, n)
            elapsed = time.monotonic() - started
            if speed <= 0:
                chunk = int(min(max(chunk * CHUNK_SECONDS / max(elapsed, 1e-6), 1), 100_000))
            losses = res.losses.tolist()
            stop = None
            if target is not None:
                hit = next((k for k, v in enumerate(losses) if v <= target), None)
                if hit is not None:  # stop exactly at the epoch that reached the target
                    res = fast_epochs(params, model, hit + 1)
                    losses = res.losses.tolist()
                    stop = "target"
            pending.extend(losses)
            params = res.params
            done += len(losses)
            diverged = None
            if res.diverged_at is not None:
                diverged, stop = len(pending) + 1, "diverged"
            elif stop is None and max_epochs is not None and done >= max_epochs:
                stop = "max"
            now = time.monotonic()
            if stop or (now - last_post >= PROGRESS_INTERVAL and self._drawn.is_set()):
                if worker.is_cancelled or run != self._run:
                    return
                self._drawn.clear()
                self.app.post_message(Progress(run, pending, params, diverged, stop))
                pending, last_post = [], now
            if stop:
                return
            if speed > 0:  # sleep out the tick, in slices so that a pause is never kept waiting
                while time.monotonic() - started < PROGRESS_INTERVAL and not worker.is_cancelled:
                    time.sleep(0.01)
            else:
                time.sleep(YIELD_SECONDS)  # let the UI thread take the GIL between chunks

    def progress(self, msg: Progress) -> None:
        app = self.app
        self._drawn.set()
        if msg.run != self._run:
            return
        if msg.losses or msg.diverged_at is not None:
            # the epochs this run may still bring: the loss history makes room for them once
            done = now(app).epoch + len(msg.losses)
            room = 0 if msg.ended or app.max_epochs is None else max(app.max_epochs - done, 0)
            try:
                app.snapshot = app.stepper.adopt(msg.params, msg.losses, msg.diverged_at, room)
            except Refused:  # the history moved under the run (cannot happen while play owns it)
                self.pause(quiet=True)
                return
        if msg.ended:
            app.playing = False
            self._run += 1
            s = now(app)
            if msg.ended == "diverged":
                app.notice = Notice("ui_diverged_notice", (("epoch", s.diverged_at),))
            elif msg.ended == "target":
                app.notice = Notice("ui_play_target", (("target", app.target_loss), ("epoch", s.epoch)))
            else:
                app.notice = Notice("ui_play_max", (("epochs", s.epoch),), count=s.epoch)

    # --- e on a large data set: a worker makes the micro-steps, the Stepper takes them -----
    def finish_epoch(self) -> None:
        app = self.app
        if self._epoch_base is not None:
            app.notice = self._epoch_notice("ui_epoch_busy")
        elif now(app).m <= FOREGROUND_SAMPLES:
            if app.apply(app.stepper.finish_epoch) and app.quiz.on:
                app.notice = Notice("ui_quiz_not_asked", (("k", "e"),))  # e runs its micro-steps unasked
        elif app.apply(self._start_epoch):
            app.notice = self._epoch_notice("ui_epoch_running")

    def _start_epoch(self) -> Snapshot:
        """Start the epoch worker from the snapshot now; refused as e would be (a diverged loss)."""
        stepper = self.app.stepper
        stepper.check_can_step()
        s = stepper.snapshot
        self._epoch_run += 1
        self._epoch_base, self._epoch_sample, self._epoch_then_play = s, s.sample, False
        epoch = partial(self._epoch, self._epoch_run, s, stepper.history_limit)
        self.app.run_worker(epoch, name="_epoch", group="epoch", exclusive=True, thread=True)
        return s

    def _epoch_notice(self, key: str) -> Notice:
        return Notice(key, (("sample", self._epoch_sample + 1), ("m", now(self.app).m)))

    def cancel_epoch(self) -> bool:
        """Stop the epoch worker, if one runs; what it made is dropped. True if there was one."""
        if self._epoch_base is None:
            return False
        self._epoch_run += 1
        self._epoch_base, self._epoch_then_play = None, False
        self.app.workers.cancel_group(cast(DOMNode, self.app), "epoch")
        self._ended(Notice("ui_epoch_cancelled"))
        return True

    def _epoch(self, run: int, base: Snapshot, keep: int) -> None:
        """epoch_steps on `base`, in a thread worker; never touches a widget, only posts EpochProgress
        and EpochDone."""
        worker = get_current_worker()
        last = time.monotonic()

        def go_on(sample: int) -> bool:
            nonlocal last
            if worker.is_cancelled or run != self._epoch_run:
                return False
            if time.monotonic() - last >= PROGRESS_INTERVAL:
                last = time.monotonic()
                self.app.post_message(EpochProgress(run, sample))
            return True

        steps = epoch_steps(base, keep, go_on)
        if steps is not None and go_on(base.m - 1):
            self.app.post_message(EpochDone(run, steps))

    def epoch_progress(self, msg: EpochProgress) -> None:
        app = self.app
        if msg.run == self._epoch_run and self._epoch_base is not None:
            self._epoch_sample = msg.sample
            if app.notice is not None and app.notice.key in ("ui_epoch_running", "ui_epoch_then_play"):
                app.notice = self._epoch_notice(app.notice.key)

    def epoch_done(self, msg: EpochDone) -> None:
        app = self.app
        if msg.run != self._epoch_run or self._epoch_base is None:
            return
        base, then_play = self._epoch_base, self._epoch_then_play
        self._epoch_base, self._epoch_then_play = None, False
        try:
            app.snapshot = app.stepper.extend(base, msg.steps)
        except Refused as r:  # the history moved meanwhile (every key that moves it cancels first)
            app.notice = refusal(r)
            return
        app.notice = Notice("ui_quiz_not_asked", (("k", "e"),)) if app.quiz.on and not then_play else None
        if then_play:
            self.play()


__all__ = [
    "PlayController",
    "Progress",
    "EpochProgress",
    "EpochDone",
    "DEFAULT_SPEED",
    "DEFAULT_MAX_EPOCHS",
    "FOREGROUND_SAMPLES",
    "PROGRESS_INTERVAL",
]
