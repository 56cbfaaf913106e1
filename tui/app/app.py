"""The interactive app: key → action → Stepper → new Snapshot → `snapshot` → every panel (DESIGN §3).

The Stepper (engine) is the only mutable state. Each action asks it for one thing; the Snapshot it
returns is assigned to the reactive `snapshot`, and every panel, bound to it with data_bind,
re-renders from that Snapshot alone. A step that does not fit the phase raises `Refused`: nothing
changes and the Explain panel says what to press instead.

`p` trains in a thread worker on its own copy of the parameters (engine.training.fast_epochs in
chunks), posting a Progress message at most every PROGRESS_INTERVAL seconds; the App merges each
into the history with Stepper.adopt, so one undo leaves the whole run. Any key that changes the
model pauses play first; view keys (help, language, theme, log scale) leave it running.

`e` on a data set of more than FOREGROUND_SAMPLES rows (seconds of micro-steps for 100 000) runs
engine.stepper.epoch_steps in a thread worker from the snapshot of the moment; the App hands the
steps to Stepper.extend when they arrive, so the Stepper still changes on the UI thread only. Keys
answer meanwhile: z cancels the epoch, a second e says it is under way, p starts play after it, and
any other key that changes the model cancels it first, as it pauses play.
"""
from __future__ import annotations

import gc
import io
import os
import sys
import threading
import time
from dataclasses import dataclass

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.compose import compose
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from engine.config import shown
from engine.model import Model
from engine.network import Params
from engine.stepper import Refused, Snapshot, Stepper, epoch_steps
from tui.app import exporter
from tui.host import files
from tui.app.internals.diffscreen import frame_ansi, main_screen
from tui.app.gctime import FrameGC
from tui.text.i18n import LANGS, t
from tui.text.report import transcript_labels
from tui.app.quiz import QuizState
from tui.app.screens.base import app_keys_allowed
from tui.app.screens.edit import EditActions
from tui.app.notice import Notice
from tui.app.replay import pilot_for
from tui.app.screens.help import HelpScreen
from tui.host.script import Script
from textual.drivers.linux_driver import LinuxDriver

from tui.host.output import PROG, say
from tui.host.process import end_with_parent
from tui.host.terminal import MAX_SIZE, ExitSignals, not_a_terminal, safe_suspend_resume
from tui.app.themes import THEMES
from tui.host.theme_names import CYCLE, DEFAULT_THEME, resolve_theme, theme_error
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.loss import LossPanel
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.quiz import QuizActions, QuizBar
from tui.app.widgets.status import StatusLine
from tui.app.widgets.values import ValuesPanel

MIN_SIZE = (80, 24)
WIDE_SIZE = (110, 38)  # from here on the roomy layout with boxed units
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
MAX_PENDING_DOWNLOADS = 10  # x in a browser tab: exports sent, not yet fetched, each held in memory

# While the terminal is below MIN_SIZE only these of the App's keys work: nothing is in view to change.
WHEN_TOO_SMALL = frozenset({"quit", "help", "language", "theme"})

# Refused.expected → the key that does it and its name
EXPECTED_KEY = {"forward": ("f", "ui_key_forward"), "backward": ("b", "ui_key_backward"),
                "update": ("u", "ui_key_update"), "reset": ("r", "ui_key_reset"),
                "finish_epoch": ("e", "ui_key_epoch")}


def capped(size: Size, current: Size) -> Size:
    """The size the app lays out at in a terminal of `size` cells: at most MAX_SIZE (tui/terminal.py).
    A size that is not two whole numbers ≥ 0 (a browser's resize message can hold anything) leaves
    `current`."""
    if not all(type(n) is int and n >= 0 for n in size):
        return current
    return Size(min(size[0], MAX_SIZE[0]), min(size[1], MAX_SIZE[1]))


class Progress(Message):
    """Epochs trained by the play worker since its last message."""

    def __init__(self, run: int, losses: list[float], params: Params, diverged_at: int | None,
                 stop: str | None) -> None:
        super().__init__()
        self.run, self.losses, self.params, self.diverged_at, self.stop = run, losses, params, diverged_at, stop


class EpochProgress(Message):
    """The epoch worker has done samples up to `sample` (0-based)."""

    def __init__(self, run: int, sample: int) -> None:
        super().__init__()
        self.run, self.sample = run, sample


class EpochDone(Message):
    """The epoch worker's micro-steps from the App's `_epoch_base`, for Stepper.extend."""

    def __init__(self, run: int, steps: list[Snapshot]) -> None:
        super().__init__()
        self.run, self.steps = run, steps


class TooSmall(Widget):
    """"Enlarge the terminal": drawn from the terminal's size and language now, so the main screen's
    rebuild for a new layout (watch_wide) cannot leave it empty (it did: a blank screen)."""

    def render(self) -> Text:
        width, height = self.app.size
        return Text(t("ui_too_small", self.app.lang, w=width, h=height))


class BackpropApp(QuizActions, EditActions, App):
    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("f", "forward", "forward", show=False),
        Binding("b", "backward", "backward", show=False),
        Binding("u", "update", "update", show=False),
        Binding("space", "step", "step", show=False),
        Binding("s", "finish_sample", "sample", show=False),
        Binding("e", "finish_epoch", "epoch", show=False),
        Binding("p", "play", "play", show=False),
        Binding("z", "undo", "undo", show=False),
        Binding("y", "redo", "redo", show=False),
        Binding("a", "activation", "activation", show=False),
        Binding("plus,equals_sign", "lr_up", "η up", show=False),
        Binding("minus,underscore", "lr_down", "η down", show=False),
        Binding("r", "reset", "reset", show=False),
        Binding("g", "gradcheck", "gradient check", show=False),
        Binding("v", "activation_view", "activation view", show=False),
        Binding("x", "export", "export", show=False),
        Binding("W", "sweep", "sweep", show=False),
        Binding("question_mark,f1", "help", "help", show=False),
        Binding("q", "quit", "quit", show=False),
        Binding("l", "language", "language", show=False),
        Binding("t", "theme", "theme", show=False),
        Binding("L", "log_scale", "log scale", show=False),
        Binding("k", "quiz", "quiz", show=False),
        Binding("w", "edit", "edit", show=False),
        Binding("o", "open", "open", show=False),
        Binding("ctrl+s", "save", "save", show=False),
    ]

    # The App draws nothing itself: its reactives feed the panels (data_bind), which repaint
    # themselves. repaint=True here would repaint the whole screen on every key (issue 5, bytes).
    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    lang: reactive[str] = reactive("en", repaint=False)
    notice: reactive[Notice | None] = reactive(None, repaint=False)
    notice_text: reactive[str] = reactive("", repaint=False)
    playing: reactive[bool] = reactive(False, repaint=False)
    log_scale: reactive[bool] = reactive(False, repaint=False)
    wide: reactive[bool] = reactive(False, repaint=False)  # watch_wide recomposes the main screen
    export_dir: str = exporter.DEFAULT_EXPORT_DIR  # --export-dir
    quiz: reactive[QuizState] = reactive(QuizState, repaint=False)  # quiz mode (tui/widgets/quiz.py)

    def __init__(self, model: Model, *, lang: str = "en", comma: bool = False, theme: str | None = None,
                 target_loss: float | None = None, max_epochs: int | None = None, quiz: bool = False,
                 speed: float = DEFAULT_SPEED) -> None:
        super().__init__()
        self.stepper = Stepper(model)
        self.comma = comma
        self.target_loss = target_loss
        self.max_epochs = DEFAULT_MAX_EPOCHS if max_epochs is None else max_epochs
        self.speed = speed  # epochs a second while playing; 0: as fast as possible
        self._run = 0  # id of the current play run; Progress from an older run is ignored
        self._drawn = threading.Event()  # the last Progress has been handled: the worker may send another
        self._drawn.set()
        self._epoch_run = 0  # id of the current epoch worker; what an older one sends is ignored
        self._epoch_base: Snapshot | None = None  # the snapshot the running epoch worker started from
        self._epoch_sample = 0  # the sample it has reached
        self._epoch_then_play = False  # p was pressed meanwhile: play once the epoch is taken
        self.pending_downloads: set[str] = set()  # delivery keys of exports the browser has not fetched
        self.frame_gc = FrameGC()  # started with resume_gc; see tui/gctime.py
        for th in THEMES.values():
            self.register_theme(th)
        self._theme_asked = theme
        self.theme = resolve_theme(theme) or DEFAULT_THEME
        self.set_reactive(BackpropApp.lang, lang if lang in LANGS else "en")
        self.set_reactive(BackpropApp.snapshot, self.stepper.snapshot)
        self.set_reactive(BackpropApp.quiz, QuizState(on=quiz))

    # --- layout -----------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return main_screen(id="_default")  # writes only the cells that changed (tui/app/internals)

    def compose(self) -> ComposeResult:
        # The layout for the terminal's size from the first compose: deciding in on_mount composed
        # the compact layout, then the wide one, at every start in a large terminal.
        self.set_reactive(BackpropApp.wide, self.size.width >= WIDE_SIZE[0] and self.size.height >= WIDE_SIZE[1])
        c = self.comma
        bind = dict(snapshot=BackpropApp.snapshot, lang=BackpropApp.lang)
        network = NetworkPanel(comma=c, id="network").data_bind(**bind)
        values = ValuesPanel(comma=c, id="values").data_bind(**bind)
        params = ParametersPanel(comma=c, id="params").data_bind(**bind)
        explain = ExplainPanel(comma=c, id="explain").data_bind(**bind, notice=BackpropApp.notice_text)
        loss = LossPanel(comma=c, id="loss").data_bind(**bind, log_scale=BackpropApp.log_scale)
        with Vertical(id="body", classes="wide" if self.wide else "compact"):
            if self.wide:
                yield network
                with Horizontal(id="middle"):
                    yield params
                    yield values
                    yield loss
                yield explain
            else:
                yield network
                with Horizontal(id="middle"):
                    with Vertical(id="left"):
                        yield values
                        yield loss
                    yield params
                yield explain
        yield QuizBar(comma=c, id="quiz", parts=self.quiz.on).data_bind(quiz=BackpropApp.quiz, lang=BackpropApp.lang)
        yield StatusLine(comma=c, id="status").data_bind(**bind, playing=BackpropApp.playing)
        yield KeyBar(comma=c, id="keybar").data_bind(**bind, playing=BackpropApp.playing)
        yield TooSmall(id="too-small")

    def on_mount(self) -> None:
        if self._theme_asked is None and not self.is_headless:  # a 16-colour terminal gets its own palette
            self.theme = resolve_theme(None, self.console.color_system)
        self._fit(self.size.width, self.size.height)
        self._set_titles()
        if terminal_driver(self.driver_class) and not self.is_headless:
            safe_suspend_resume()  # the driver has installed its SIGTSTP and SIGCONT handlers
        if self.resume_gc:
            self.call_after_refresh(self._resume_gc)

    resume_gc = False  # tui.main paused the cyclic GC for start-up: resume it after the first screen
    keep_screen = False  # --keep-screen: keep the last frame (last_frame) to print after the app has ended
    last_frame: str | None = None

    def exit(self, result=None, return_code: int = 0, message=None) -> None:
        # q, ctrl+q, the end of a --keys script and the exit signals all end the app here, while the
        # screen is still up: the place to keep the last frame for --keep-screen, and to mark the app
        # closing (check_action), so keys still queued do nothing.
        self.closing = True
        if self.keep_screen and self.last_frame is None:
            try:
                self.last_frame = frame_ansi(self)
            except Exception:  # noqa: BLE001 - a frame not kept never stops the app from ending
                self.last_frame = ""
        super().exit(result, return_code, message)

    def _resume_gc(self) -> None:
        # What start-up made lives as long as the app: frozen, later passes never walk it again (a
        # full pass over it takes 40–90 ms, a stall in the middle of a key). The cyclic garbage among
        # it (~3 000 objects, well under 1 MB) is kept: collecting it would cost such a pass.
        # From now on the collector runs after frames, not inside them (tui/gctime.py).
        self.frame_gc.start()

    def on_unmount(self) -> None:
        self.frame_gc.stop()

    def on_resize(self, event) -> None:
        # This handler runs before Textual's own (App._on_resize), which keeps event.size as the
        # app's size and passes the same event on to the screens: capped here, it is capped everywhere.
        size = capped(event.size, self.size)
        if size != event.size:
            event.size = event.virtual_size = event.container_size = size
        self._fit(size.width, size.height)

    too_small = False  # the terminal is below MIN_SIZE: the main screen asks for a larger one

    def _fit(self, width: int, height: int) -> None:
        was_small, self.too_small = self.too_small, width < MIN_SIZE[0] or height < MIN_SIZE[1]
        main = self.screen_stack[0]  # the panels' screen, also while help or a dialog is on top
        main.set_class(self.too_small, "-too-small")
        if self.too_small != was_small:
            for bar in main.query(QuizBar):  # hidden below 80×24: its answer box gives up the keys
                bar.fit_focus()
        for message in main.query(TooSmall):
            message.refresh()
        self.wide = width >= WIDE_SIZE[0] and height >= WIDE_SIZE[1]

    # --- which keys work where (issue 9) -------------------------------------------------------
    MAIN_ACTIONS = frozenset(b.action for b in BINDINGS)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The App's own keys run on the main screen, on a screen over it only if that screen lists
        them (tui/screens/base.py), and below MIN_SIZE only WHEN_TOO_SMALL. Quit always works; after
        it, nothing else (`q ctrl+s` pushed a screen into the closing app: NoMatches)."""
        if action not in self.MAIN_ACTIONS or action == "quit":
            return True
        if self.closing:
            return False
        if self.too_small and action not in WHEN_TOO_SMALL:
            return False
        stack = self.screen_stack
        return not stack or stack[-1] is stack[0] or app_keys_allowed(stack[-1], action)

    closing = False  # q (or ctrl+q) was pressed: the app is shutting down, keys still queued do nothing

    def open_screen(self, kind: type, make) -> None:
        """Push the screen `make()` builds unless one of this kind is already open: a second w, ? or
        F1 (or two sent at once) leaves the open one as it is."""
        if not any(isinstance(screen, kind) for screen in self.screen_stack):
            self.push_screen(make())

    async def watch_wide(self) -> None:
        # Rebuild the main screen, which need not be the one on top: App.recompose (recompose=True)
        # rebuilds self.screen, so a resize with help open put the panels into the help screen.
        main = self.screen_stack[0]
        async with main.batch():
            await main.query("*").exclude(".-textual-system").remove()
            await main.mount_all(compose(self))
        self.call_after_refresh(self._set_titles)

    def _set_titles(self) -> None:
        for wid, key in (("network", "ui_network"), ("values", "ui_values"), ("params", "ui_params"),
                         ("explain", "ui_explain")):
            for w in self.screen_stack[0].query(f"#{wid}"):
                w.border_title = t(key, self.lang)

    def watch_lang(self) -> None:
        self._set_titles()
        self._show_notice()
        for message in self.screen_stack[0].query(TooSmall):
            message.refresh()

    def watch_snapshot(self) -> None:
        # the collector runs just after the frame that shows the new Snapshot (tui/app/gctime.py)
        if self.frame_gc.active:
            self.call_after_refresh(self.frame_gc.frame_written)

    def watch_notice(self) -> None:
        self._show_notice()

    def _show_notice(self) -> None:
        self.notice_text = self.notice.text(self.lang) if self.notice else ""

    # --- the one path from a key to the panels --------------------------------------------
    def _apply(self, do, *, pause: bool = True) -> bool:
        """Run one Stepper action; a refusal changes nothing and leaves a notice."""
        cancelled = pause and self._pause(quiet=True)
        if self.quiz_intercepts(do):  # quiz mode: a micro-step asks for one of its values first
            return False
        try:
            snapshot = do()
        except Refused as r:
            self.notice = Notice("ui_epoch_cancelled", (), self._refusal(r)) if cancelled else self._refusal(r)
            return False
        self.notice = Notice("ui_epoch_cancelled") if cancelled else None
        self.snapshot = snapshot
        return True

    def _refusal(self, r: Refused) -> Notice:
        key = f"ui_refused_{r.code}"
        try:
            t(key, "en")
        except KeyError:
            key = "ui_refused_other"
        then = None
        if r.expected in EXPECTED_KEY:
            k, name = EXPECTED_KEY[r.expected]
            then = Notice("ui_press", (("k", k), ("action", "@" + name)))
        return Notice(key, (), then)

    def action_forward(self) -> None:
        self._apply(self.stepper.forward)

    def action_backward(self) -> None:
        self._apply(self.stepper.backward)

    def action_update(self) -> None:
        self._apply(self.stepper.update)

    def action_step(self) -> None:
        self._apply(self.stepper.step)

    def action_finish_sample(self) -> None:
        self._apply(self.stepper.finish_sample)

    def action_finish_epoch(self) -> None:
        if self._epoch_base is not None:
            self.notice = self._epoch_notice("ui_epoch_busy")
        elif self.snapshot.m <= FOREGROUND_SAMPLES:
            self._apply(self.stepper.finish_epoch)
        elif self._apply(self._start_epoch):
            self.notice = self._epoch_notice("ui_epoch_running")

    # --- e on a large data set: a worker makes the micro-steps, the Stepper takes them -----
    def _start_epoch(self) -> Snapshot:
        """Start the epoch worker from the snapshot now; refused as e would be (a diverged loss)."""
        self.stepper.check_can_step()
        s = self.stepper.snapshot
        self._epoch_run += 1
        self._epoch_base, self._epoch_sample, self._epoch_then_play = s, s.sample, False
        self._epoch(self._epoch_run, s, self.stepper.history_limit)
        return s

    def _epoch_notice(self, key: str) -> Notice:
        return Notice(key, (("sample", self._epoch_sample + 1), ("m", self.snapshot.m)))

    def _cancel_epoch(self) -> bool:
        """Stop the epoch worker, if one runs; what it made is dropped. True if there was one."""
        if self._epoch_base is None:
            return False
        self._epoch_run += 1
        self._epoch_base, self._epoch_then_play = None, False
        self.workers.cancel_group(self, "epoch")
        return True

    @work(thread=True, exclusive=True, group="epoch")
    def _epoch(self, run: int, base: Snapshot, keep: int) -> None:
        """epoch_steps on `base`; never touches a widget, only posts EpochProgress and EpochDone."""
        worker = get_current_worker()
        last = time.monotonic()

        def go_on(sample: int) -> bool:
            nonlocal last
            if worker.is_cancelled or run != self._epoch_run:
                return False
            if time.monotonic() - last >= PROGRESS_INTERVAL:
                last = time.monotonic()
                self.post_message(EpochProgress(run, sample))
            return True

        steps = epoch_steps(base, keep, go_on)
        if steps is not None and go_on(base.m - 1):
            self.post_message(EpochDone(run, steps))

    def on_epoch_progress(self, msg: EpochProgress) -> None:
        if msg.run == self._epoch_run and self._epoch_base is not None:
            self._epoch_sample = msg.sample
            if self.notice is not None and self.notice.key in ("ui_epoch_running", "ui_epoch_then_play"):
                self.notice = self._epoch_notice(self.notice.key)

    def on_epoch_done(self, msg: EpochDone) -> None:
        if msg.run != self._epoch_run or self._epoch_base is None:
            return
        base, then_play = self._epoch_base, self._epoch_then_play
        self._epoch_base, self._epoch_then_play = None, False
        try:
            self.snapshot = self.stepper.extend(base, msg.steps)
        except Refused as r:  # the history moved meanwhile (every key that moves it cancels first)
            self.notice = self._refusal(r)
            return
        self.notice = None
        if then_play:
            self.action_play()

    def action_undo(self) -> None:
        if self._cancel_epoch():  # z while e computes: back to where e was pressed, nothing taken
            self.notice = Notice("ui_epoch_cancelled")
            return
        self._travel(self.stepper.undo, "ui_undone")

    def action_redo(self) -> None:
        self._travel(self.stepper.redo, "ui_redone")

    def _travel(self, move, key: str) -> None:
        """z / y: move through the history and say where in it the app now is."""
        if self._apply(move):
            self.notice = Notice(key, (("pos", self.stepper.position + 1), ("total", self.stepper.history_length)))

    def action_activation(self) -> None:
        self._apply(self.stepper.cycle_hidden)

    def action_lr_up(self) -> None:
        self._apply(self.stepper.lr_up)

    def action_lr_down(self) -> None:
        self._apply(self.stepper.lr_down)

    def action_reset(self) -> None:
        self._apply(self.stepper.reset)

    # The screens behind a key are imported on its first press: start-up does not wait for them.
    def action_gradcheck(self) -> None:
        # start-up time: loaded on the first g
        from tui.app.screens.gradcheck import GradCheckScreen

        self.open_screen(GradCheckScreen, lambda: GradCheckScreen(self.snapshot, self.lang, self.comma))

    def action_activation_view(self) -> None:
        from tui.app.screens.activation import ActivationScreen  # start-up time: plotext loads on the first v

        self.open_screen(ActivationScreen, lambda: ActivationScreen(self.comma))

    def action_sweep(self) -> None:
        """W: many random starts on this data set, η and output activation (a view: play goes on)."""
        from tui.app.screens.sweep import SweepScreen  # start-up time: loaded on the first W

        s = self.snapshot
        model = self.stepper.model.with_(X=s.X, Y=s.Y, output=s.output, lr=s.lr)
        self.open_screen(SweepScreen, lambda: SweepScreen(model, lang=self.lang, comma=self.comma))

    def action_export(self) -> None:
        """x: transcript (Markdown, LaTeX), SVG screenshot and loss CSV of this moment (tui/exporter.py);
        in a browser tab one zip archive of them, as a download."""
        if self.is_web:
            self.notice = self._deliver_export(transcript_labels(self.lang))
        else:
            try:
                folder = self.export_dir
                if self.files_folder is not None:
                    folder = files.confine(self.files_folder, folder)
                done = exporter.export_snapshot(self.snapshot, self.export_screenshot(), folder,
                                                labels=transcript_labels(self.lang), comma=self.comma)
            except files.Refused as e:
                self.notice = Notice(e.key, (("path", e.path),))
            except OSError as e:
                self.notice = Notice("ui_export_failed", (("error", exporter.describe_error(e)),))
            else:
                names = ", ".join(p.name for p in done.files)
                key = "ui_export_done" if done.transcript else "ui_export_partial"
                where = files.display_path(self.files_folder, done.folder)
                self.notice = Notice(key, (("files", names), ("folder", where)))
        if self.screen is not self.screen_stack[0] and not getattr(self.screen, "SHOWS_NOTICE", False):
            # neither the Explain panel nor the screen on top shows the notice: say it here
            failed = "failed" in self.notice.key or self.notice.key.startswith("files_")
            self.notify(self.notice.text(self.lang), markup=False,  # file names are shown as they are
                        severity="error" if failed else "information")

    def _deliver_export(self, labels: dict[str, str]) -> Notice:
        """The export as one zip download to the browser; none while MAX_PENDING_DOWNLOADS wait to be
        fetched (a browser that blocks the download's pop-up never fetches, and each waits in memory)."""
        if len(self.pending_downloads) >= MAX_PENDING_DOWNLOADS:
            return Notice("ui_export_pending", (("n", len(self.pending_downloads)),))
        s = self.snapshot
        texts = exporter.contents(s, self.export_screenshot(), labels, self.comma)
        base = exporter.base_name(s)
        name = f"{base}.zip"
        key = self.deliver_binary(io.BytesIO(exporter.zip_set(base, texts)), save_filename=name,
                                  mime_type="application/zip")
        if key is not None:
            self.pending_downloads.add(key)
        listed = ", ".join(base + suffix for suffix in texts)
        return Notice("ui_export_download" if exporter.has_transcript(s) else "ui_export_download_partial",
                      (("file", name), ("files", listed)))

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self.pending_downloads.discard(event.key)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.pending_downloads.discard(event.key)

    def action_help(self) -> None:
        self.open_screen(HelpScreen, lambda: HelpScreen(self.lang))

    def action_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]  # a standing notice is translated too

    def action_theme(self) -> None:
        default = resolve_theme(None, "truecolor" if self.is_headless else self.console.color_system)
        self.theme = CYCLE[1] if self.theme != CYCLE[1] else default
        label = "@ui_theme_contrast" if "contrast" in self.theme else "@ui_theme_default"
        self.notice = Notice("ui_theme", (("name", label),))

    def action_log_scale(self) -> None:
        self.log_scale = not self.log_scale

    def watch_theme(self) -> None:
        self.set_class("contrast" in self.theme, "-contrast")

    # --- play -----------------------------------------------------------------------------
    def _stop_reason(self, s: Snapshot) -> str | None:
        if self.max_epochs is not None and s.epoch + (1 if s.phase.name == "U" else 0) >= self.max_epochs:
            return "max"
        if self.target_loss is not None and s.loss_now <= self.target_loss:
            return "target"
        return None

    def action_play(self) -> None:
        if self.playing:
            self._pause()
            return
        if self._epoch_base is not None:  # e computes: play once it is done
            self._epoch_then_play = True
            self.notice = self._epoch_notice("ui_epoch_then_play")
            return
        if self.snapshot.diverged_at is not None:
            self.notice = self._refusal(Refused("diverged", "reset"))
            return
        if not self.stepper.at_epoch_boundary():  # play trains whole epochs: finish this one first
            if self.snapshot.m > FOREGROUND_SAMPLES:
                if self._apply(self._start_epoch):
                    self._epoch_then_play = True
                    self.notice = self._epoch_notice("ui_epoch_then_play")
                return
            if not self._apply(self.stepper.finish_epoch, pause=False):
                return
        s = self.snapshot
        if s.diverged_at is not None:
            self.notice = Notice("ui_diverged_notice", (("epoch", s.diverged_at),))
            return
        if self._stop_reason(s):
            self.notice = Notice("ui_play_nothing")
            return
        self._run += 1
        self._drawn.set()
        self.playing = True
        self.notice = Notice("ui_play_started")
        done = s.epoch + (1 if s.phase.name == "U" else 0)
        model = self.stepper.model.with_(hidden=s.hidden, output=s.output, lr=s.lr)
        self._train(self._run, model, s.params, done, self.target_loss, self.max_epochs, self.speed)

    def _pause(self, quiet: bool = False) -> bool:
        """Stop play (and a pending e: w, o and k, which call this, then change the model too).
        True if a pending e was cancelled."""
        cancelled = self._cancel_epoch()
        if not self.playing:
            return cancelled
        self._run += 1  # whatever the worker still sends belongs to a finished run
        self.workers.cancel_group(self, "play")
        self.playing = False
        if not quiet:
            self.notice = Notice("ui_play_paused", (("epoch", self.snapshot.epoch),))
        return cancelled

    @work(thread=True, exclusive=True, group="play")
    def _train(self, run: int, model: Model, params: Params, done: int, target: float | None,
               max_epochs: int | None, speed: float = 0.0) -> None:
        """Epochs in chunks on a copy; never touches a widget, only posts Progress messages.

        At most one Progress is in flight, and the worker waits while the App draws it (`_drawn`):
        the drawing has the CPU (and the GIL) to itself, a slow terminal gets fewer, larger updates
        instead of a backlog, and keys never queue behind training. With `speed` > 0 each tick of
        PROGRESS_INTERVAL trains speed·PROGRESS_INTERVAL epochs and the worker sleeps the rest of it.
        """
        from engine.training import fast_epochs  # on the first play: the app starts without it

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
                self.post_message(Progress(run, pending, params, None, "max"))
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
                self.post_message(Progress(run, pending, params, diverged, stop))
                pending, last_post = [], now
            if stop:
                return
            if speed > 0:  # sleep out the tick, in slices so that a pause is never kept waiting
                while time.monotonic() - started < PROGRESS_INTERVAL and not worker.is_cancelled:
                    time.sleep(0.01)
            else:
                time.sleep(YIELD_SECONDS)  # let the UI thread take the GIL between chunks

    def on_progress(self, msg: Progress) -> None:
        self._drawn.set()
        if msg.run != self._run:
            return
        if msg.losses or msg.diverged_at is not None:
            try:
                self.snapshot = self.stepper.adopt(msg.params, msg.losses, msg.diverged_at)
            except Refused:  # the history moved under the run (cannot happen while play owns it)
                self._pause(quiet=True)
                return
        if msg.stop:
            self.playing = False
            self._run += 1
            s = self.snapshot
            if msg.stop == "diverged":
                self.notice = Notice("ui_diverged_notice", (("epoch", s.diverged_at),))
            elif msg.stop == "target":
                self.notice = Notice("ui_play_target", (("target", self.target_loss), ("epoch", s.epoch)))
            else:
                self.notice = Notice("ui_play_max", (("epochs", s.epoch),))


def terminal_driver(driver_class) -> bool:
    """Textual's driver that draws on the process's terminal (POSIX only, as tui/host/terminal.py)."""
    return issubclass(driver_class, LinuxDriver)


def run(model: Model, args, script: Script | None = None) -> int:
    """Entry point for tui.main: the interactive app on `model` with the parsed options, replaying
    `script` (--keys / --keys-file, read and checked by tui.cli.interactive) as auto-pilot.

    tui.main pauses the cyclic GC for start-up; the app resumes it after its first screen.
    """
    theme = getattr(args, "theme", None)
    if problem := theme_error(theme):
        say(f"{PROG}: error: {problem}")
        return 2
    folder = getattr(args, "files", None)
    if folder is not None:  # files stay in the folder (served by backprop-tui serve, or asked for)
        try:
            folder = files.prepare(folder)
        except OSError as e:
            say(f"{PROG}: error: --files: {exporter.describe_error(e)}")
            return 1
    app = BackpropApp(model, lang=getattr(args, "lang", "en"), comma=bool(getattr(args, "decimal_comma", False)),
                      theme=theme, target_loss=getattr(args, "target_loss", None),
                      max_epochs=getattr(args, "max_epochs", None), quiz=bool(getattr(args, "quiz", False)),
                      speed=getattr(args, "speed", None) if getattr(args, "speed", None) is not None else DEFAULT_SPEED)
    on_terminal = terminal_driver(app.driver_class)  # not under textual-serve, which talks over pipes
    if folder is not None and not on_terminal:  # a served tab's app ends with the server (backprop-tui serve);
        end_with_parent()  # never in a terminal: SIGKILLed, it would leave it raw
    missing = not_a_terminal() if on_terminal else None
    if missing:
        say(f"{PROG}: error: {t('cli_needs_terminal', app.lang, stream=missing)}")
        return 2
    app.resume_gc = not gc.isenabled()
    app.model_path = getattr(args, "config", None) if folder is None else None  # o and ctrl+s offer it
    app.files_folder = None if folder is None else str(folder)
    app.export_dir = getattr(args, "export_dir", None) or exporter.DEFAULT_EXPORT_DIR
    app.keep_screen = on_terminal and bool(getattr(args, "keep_screen", False))
    signals = ExitSignals(app)
    if on_terminal:
        # Textual sizes the screen with shutil.get_terminal_size, which believes COLUMNS and LINES
        # when they are set: an exported COLUMNS=50 held the app at 50 columns in any window, and
        # LINES=99999 drew empty panels. The terminal's own size is the one to use (and its resizes).
        for var in ("COLUMNS", "LINES"):
            os.environ.pop(var, None)
        signals.install()
    try:
        app.run(mouse=not getattr(args, "no_mouse", False), auto_pilot=pilot_for(script))
    finally:
        signals.uninstall()
    if app.last_frame is not None:  # --keep-screen: the last frame, now on the normal screen
        sys.stdout.write(app.last_frame)
        sys.stdout.flush()
    return signals.exit_code or app.return_code or 0  # Textual sets 1 when the app failed


__all__ = ["BackpropApp", "run", "Notice", "Progress", "EpochProgress", "EpochDone", "capped", "MAX_SIZE"]
