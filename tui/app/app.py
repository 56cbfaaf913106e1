"""The interactive app: key → action → Stepper → new Snapshot → `snapshot` → every panel (DESIGN §3).

The Stepper (engine) is the only mutable state. Each action asks it for one thing; the Snapshot it
returns is assigned to the reactive `snapshot`, and every panel, bound to it with data_bind,
re-renders from that Snapshot alone. A step that does not fit the phase raises `Refused`: nothing
changes and the Explain panel says what to press instead.

Each job behind a key has a controller (tui/app/controllers/): play and e's worker, quiz mode,
the editor, model files, export. This module holds the bindings (from the key table, tui/text/keys.py),
the layout, the key → controller dispatch, and the watchers that keep the panels and the notice up to date.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen

from engine.model import Model
from engine.stepper import Refused, Snapshot, Stepper
from tui.app import exporter
from tui.app.controllers.edit import EditController
from tui.app.controllers.export import ExportController
from tui.app.controllers.files import FileController
from tui.app.controllers.play import (
    DEFAULT_MAX_EPOCHS,
    DEFAULT_SPEED,
    EpochDone,
    EpochProgress,
    PlayController,
    Progress,
)
from tui.app.controllers.quiz import QuizController
from tui.app.controllers.session import SessionArgs, SessionController
from tui.app.gctime import FrameGC
from tui.app.host import now
from tui.app.input_gate import InputGate, bounded
from tui.app.internals.diffscreen import frame_ansi, main_screen
from tui.app.internals.screen import MainScreen
from tui.app.internals.support import Unsupported
from tui.app.layout import MIN_SIZE, WIDE_SIZE, layout_for
from tui.app.notice import Notice, refusal
from tui.app.quiz import QuizState
from tui.app.replay import Presenter, pilot_for
from tui.app.screens.help import HelpScreen
from tui.app.themes import THEMES
from tui.app.widgets.caption import CaptionBar
from tui.app.widgets.explain import ExplainPanel
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.loss import LossPanel
from tui.app.widgets.network import NetworkPanel
from tui.app.widgets.parameters import ParametersPanel
from tui.app.widgets.quiz import QuizBar
from tui.app.widgets.status import StatusLine
from tui.app.widgets.too_small import TooSmall
from tui.app.widgets.values import ValuesPanel
from tui.host import files
from tui.host.output import PROG, say
from tui.host.process import end_with_parent
from tui.host.quizlog import QuizLog, login_name
from tui.host.script import Script
from tui.host.terminal import MAX_SIZE, ExitSignals, not_a_terminal, safe_suspend_resume
from tui.host.theme_names import CYCLE, DEFAULT_THEME, resolve_theme, theme_error
from tui.text.i18n import LANGS, t
from tui.text.keys import KEY_TABLE

# While the terminal is below MIN_SIZE only these of the App's keys work: nothing is in view to change.
WHEN_TOO_SMALL = frozenset({"quit", "help", "language", "theme"})


def _key_commands():
    """The command palette's provider, loaded when it first opens (Textual's lazy form of COMMANDS)."""
    from tui.app.palette import KeyCommands  # start-up time: loaded on the first ctrl+p

    return KeyCommands


def capped(size: Size, current: Size) -> Size:
    """The size the app lays out at in a terminal of `size` cells: at most MAX_SIZE (tui/host/terminal.py).
    A size that is not two whole numbers ≥ 0 (a browser's resize message can hold anything) leaves
    `current`."""
    if not all(type(n) is int and n >= 0 for n in size):
        return current
    return Size(min(size[0], MAX_SIZE[0]), min(size[1], MAX_SIZE[1]))


class BackpropApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "backprop-tui"
    # ctrl+p: Textual's command palette, offering the key table's keys by name (tui/app/palette.py);
    # its binding is the key table's, like every other key's (Textual adds none of its own then)
    COMMANDS = {_key_commands}

    # The App's keys, one Binding per key of the key table (tui/text/keys.py): the key bar, the help page,
    # the "next key" hint, the refusals and the quiz read the same table. Each is described by its
    # short English name (the key bar's), which needs no catalog at start-up.
    BINDINGS = [Binding(key.binding, key.action, t(key.named or key.bar, "en"), show=False) for key in KEY_TABLE]

    # The App draws nothing itself: its reactives feed the panels (data_bind), which repaint
    # themselves. repaint=True here would repaint the whole screen on every key (issue 5, bytes).
    snapshot: reactive[Snapshot | None] = reactive(None, repaint=False)
    lang: reactive[str] = reactive("en", repaint=False)
    notice: reactive[Notice | None] = reactive(None, repaint=False)
    notice_text: reactive[str] = reactive("", repaint=False)
    playing: reactive[bool] = reactive(False, repaint=False)
    log_scale: reactive[bool] = reactive(False, repaint=False)
    numpy_lines: reactive[bool] = reactive(False, repaint=False)  # P: Explain shows each step's NumPy lines
    arrangement = (
        "compact"  # layout_for the size laid out at (app.tcss arranges the panels by the main screen's classes)
    )
    export_dir: str = exporter.DEFAULT_EXPORT_DIR  # --export-dir
    files_folder: str | None = None  # --files DIR (backprop-tui serve): o, ctrl+s and x stay inside it
    shared_folder: str | None = None  # --files-shared DIR (serve: the --files DIR of all tabs): o also reads it
    quiz: reactive[QuizState] = reactive(QuizState, repaint=False)  # quiz mode (controllers/quiz.py)
    caption: reactive[str] = reactive(
        "", repaint=False, always_update=True
    )  # --captions: the key just played (tui/app/replay.py)
    captions = False  # --captions: the caption bar has its row from the first frame
    session_line: reactive[str] = reactive("", repaint=False)  # a class session: its part of the status line

    def __init__(
        self,
        model: Model,
        *,
        lang: str = "en",
        comma: bool = False,
        theme: str | None = None,
        target_loss: float | None = None,
        max_epochs: int | None = None,
        quiz: bool = False,
        speed: float = DEFAULT_SPEED,
        batch: int | str | None = None,
        session: SessionArgs | None = None,
    ) -> None:
        self.input_gate = InputGate()  # before App.__init__, which asks get_driver_class
        super().__init__()
        self.stepper = Stepper(model, batch=batch)  # --batch full|N (issue 19); m cycles the mode
        self.comma = comma
        self.target_loss = target_loss
        self.max_epochs = DEFAULT_MAX_EPOCHS if max_epochs is None else max_epochs
        self.speed = speed  # epochs a second while playing; 0: as fast as possible
        # the controllers (tui/app/controllers/), each seeing the App through controllers.host.Host
        self.play = PlayController(self)
        self.quizzes = QuizController(self)
        self.editor = EditController(self)
        self.model_files = FileController(self, self.editor.current_model)
        self.exports = ExportController(self)
        self.session = SessionController(self, session)  # --lead / --join (issue 22)
        self.frame_gc = FrameGC()  # started with resume_gc; see tui/app/gctime.py
        self.presenter = Presenter()  # --present: space plays the next scripted key (tui/app/replay.py)
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
        # The breakpoint classes for the terminal's size before the first layout: the panels are
        # arranged for it from the first frame.
        self._fit(self.size.width, self.size.height)
        yield self._body()
        c = self.comma
        bind = dict(snapshot=BackpropApp.snapshot, lang=BackpropApp.lang)
        yield CaptionBar(self.caption, id="caption")
        yield QuizBar(comma=c, id="quiz", parts=self.quiz.on).data_bind(quiz=BackpropApp.quiz, lang=BackpropApp.lang)
        yield StatusLine(comma=c, id="status").data_bind(
            **bind, playing=BackpropApp.playing, session=BackpropApp.session_line
        )
        yield KeyBar(comma=c, id="keybar").data_bind(**bind, playing=BackpropApp.playing)
        yield TooSmall(id="too-small")

    @property
    def wide(self) -> bool:
        """A layout with boxed panels (WIDE_SIZE and up)."""
        return self.arrangement != "compact"

    def _body(self) -> Vertical:
        """The panels, made once: app.tcss arranges them for each layout by the main screen's
        breakpoint classes (tui/app/layout.py), so a change of size moves and resizes these same
        widgets. #middle holds the parameters and #pair (values and loss): beside each other in
        compact and wide, one above the other in roomy."""
        c = self.comma
        bind = dict(snapshot=BackpropApp.snapshot, lang=BackpropApp.lang)
        network = NetworkPanel(comma=c, id="network").data_bind(**bind)
        values = ValuesPanel(comma=c, id="values").data_bind(**bind)
        params = ParametersPanel(comma=c, id="params").data_bind(**bind)
        explain = ExplainPanel(comma=c, id="explain").data_bind(
            **bind, notice=BackpropApp.notice_text, numpy=BackpropApp.numpy_lines
        )
        loss = LossPanel(comma=c, id="loss").data_bind(**bind, log_scale=BackpropApp.log_scale)
        middle = Container(Container(values, loss, id="pair"), params, id="middle")
        return Vertical(network, middle, explain, id="body")

    def on_mount(self) -> None:
        if self._theme_asked is None and not self.is_headless:  # a 16-colour terminal gets its own palette
            self.theme = resolve_theme(None, self.console.color_system)
        self._fit(self.size.width, self.size.height)
        self._set_titles()
        self.set_class(self.captions, "-captions")
        if terminal_driver(self.driver_class) and not self.is_headless:
            safe_suspend_resume()  # the driver has installed its SIGTSTP and SIGCONT handlers
        if self.resume_gc:
            self.call_after_refresh(self._resume_gc)
        self.watch_quiz(self.quiz)
        if self.session.leading:
            self.run_worker(self.session.start_lead(), group="session", exclusive=False)
        elif self.session.joining:
            args = self.session.args
            assert args is not None  # joining: set
            if args.ask_name:
                from tui.app.screens.name import NameScreen  # start-up time: only a served tab that joins needs it

                self.push_screen(NameScreen(self.lang, args.name, self._join))
            else:
                self._join(args.name)

    def _join(self, name: str) -> None:
        """Join the class session as `name`: the client's events read by an async worker on the App's loop."""
        args = self.session.args
        assert args is not None  # only a joining App joins
        self.session.args = replace(args, name=name)
        self.run_worker(self.session.run_student(), group="session", exclusive=False)

    resume_gc = False  # tui.main paused the cyclic GC for start-up: resume it after the first screen
    keep_screen = False  # --keep-screen: keep the last frame (last_frame) to print after the app has ended
    last_frame: str | None = None

    def exit(self, result=None, return_code: int = 0, message=None) -> None:
        # q, ctrl+q, the end of a --keys script and the exit signals all end the app here, while the
        # screen is still up: the place to keep the last frame for --keep-screen, and to mark the app
        # closing (check_action), so keys still queued do nothing.
        self.closing = True
        try:
            self.session.begin_close()  # the lecturer's "ended" goes out now; on_unmount waits for it
        except RuntimeError:  # no running loop (the app never started)
            pass
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
        # From now on the collector runs after frames, not inside them (tui/app/gctime.py).
        self.frame_gc.start()

    async def on_unmount(self) -> None:
        self.frame_gc.stop()
        await self.session.close()

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
        if isinstance(main, MainScreen):
            main.fit_breakpoints(Size(width, height))
        if self.too_small != was_small:
            for bar in main.query(QuizBar):  # hidden below 80×24: its answer box gives up the keys
                bar.fit_focus()
        for message in main.query(TooSmall):
            message.refresh()
        self.arrangement = layout_for(width, height)

    # --- which keys work where (issues 9 and 20) ---------------------------------------------
    MAIN_ACTIONS = frozenset(key.action for key in KEY_TABLE)  # BINDINGS' actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The App's own keys run on the main screen, and over an overlay (a ModalScreen, which stops
        the App's bindings) those the key table passes on through it (tui/app/screens/base.py); below
        MIN_SIZE only WHEN_TOO_SMALL. Quit always works; after it, nothing else (`q ctrl+s` pushed a
        screen into the closing app: NoMatches)."""
        if action not in self.MAIN_ACTIONS or action == "quit":
            return True
        if self.closing:
            return False
        return not self.too_small or action in WHEN_TOO_SMALL

    closing = False  # q (or ctrl+q) was pressed: the app is shutting down, keys still queued do nothing

    def open_screen(self, kind: type, make) -> None:
        """Push the screen `make()` builds unless one of this kind is already open: a second w, ? or
        F1 (or two sent at once) leaves the open one as it is."""
        if not any(isinstance(screen, kind) for screen in self.screen_stack):
            self.push_screen(make())

    # --- watchers: the titles, notice and classes follow the App's reactives --------------------
    def _set_titles(self) -> None:
        for wid, key in (
            ("network", "ui_network"),
            ("values", "ui_values"),
            ("params", "ui_params"),
            ("explain", "ui_explain"),
        ):
            for w in self.screen_stack[0].query(f"#{wid}"):
                if isinstance(w, ExplainPanel):
                    w.titled(t(key, self.lang))  # with its "more" mark when lines are out of view
                else:
                    w.border_title = t(key, self.lang)

    def watch_lang(self) -> None:
        self._set_titles()
        self.session.show_line()
        self._show_notice()
        for message in self.screen_stack[0].query(TooSmall):
            message.refresh()

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        quiz = self.quiz.for_snapshot(snapshot)  # a quiz verdict goes with the step it belongs to
        if quiz is not self.quiz:
            self.quiz = quiz
        # the collector runs just after the frame that shows the new Snapshot (tui/app/gctime.py)
        if self.frame_gc.active:
            self.call_after_refresh(self.frame_gc.frame_written)
        self.session.changed(snapshot)  # a lecturer broadcasts it; a student's own step leaves following

    def watch_notice(self) -> None:
        self._show_notice()

    def _show_notice(self) -> None:
        self.notice_text = self.notice.text(self.lang) if self.notice else ""

    def watch_caption(self, text: str) -> None:
        # the main screen's bar is in its layout; a screen over it gets one docked at its bottom row
        screen = self.screen
        bars = screen.query(CaptionBar)
        if not bars and screen is not self.screen_stack[0] and self.captions:
            screen.mount(CaptionBar(text, docked=True))
        for stacked in self.screen_stack:
            for bar in stacked.query(CaptionBar):
                bar.show(text)

    def get_driver_class(self):
        # the driver Textual would choose, with its input bounded (tui/app/input_gate.py)
        try:
            chosen = super().get_driver_class()
        except ImportError as e:  # its terminal driver needs termios and tty (POSIX): one line, not a traceback
            raise Unsupported("app_driver_needs", module=e.name or str(e)) from e
        return bounded(chosen, self.input_gate)

    async def on_event(self, event: events.Event) -> None:
        gate = self.input_gate
        gate.handled(event)
        if dropped := gate.take_dropped():  # a flood of keys is over: say how many went unhandled
            self.notify(t("ui_input_dropped", self.lang, n=dropped, limit=gate.limit), severity="warning")
        # --present: the presenter's space plays the next scripted key and nothing else (tui/app/replay.py)
        if isinstance(event, events.Key) and not event.is_forwarded and self.presenter.takes(event):
            return
        await super().on_event(event)

    def watch_theme(self) -> None:
        self.set_class("contrast" in self.theme, "-contrast")

    def watch_quiz(self, state: QuizState) -> None:
        self.set_class(state.on, "-quiz")  # app.tcss gives the bar its rows at 80×24

    # --- the one path from a key to the panels --------------------------------------------
    def apply(self, do, *, pause: bool = True, step: str | None = None) -> bool:
        """Run one Stepper action; a refusal changes nothing and leaves a notice. `step` is the key
        table's action when `do` is the micro-step of f, b, u or space (see micro_step)."""
        cancelled = pause and self.play.pause(quiet=True)
        if self.quizzes.intercepts(step):  # quiz mode: a micro-step asks for one of its values first
            return False
        try:
            snapshot = do()
        except Refused as r:
            self.notice = Notice("ui_epoch_cancelled", (), refusal(r)) if cancelled else refusal(r)
            return False
        self.notice = Notice("ui_epoch_cancelled") if cancelled else None
        self.snapshot = snapshot
        return True

    # --- keys: the Stepper's (through apply) and the controllers' -----------------------------
    def micro_step(self, action: str) -> bool:
        """f, b, u and space by their action in the key table: the Stepper's micro-step, held back for a
        question in quiz mode (the quiz runs it by the same action once answered)."""
        stepper = self.stepper
        do = {"forward": stepper.forward, "backward": stepper.backward, "update": stepper.update, "step": stepper.step}[
            action
        ]
        return self.apply(do, step=action)

    def action_forward(self) -> None:
        self.micro_step("forward")

    def action_backward(self) -> None:
        self.micro_step("backward")

    def action_update(self) -> None:
        self.micro_step("update")

    def action_step(self) -> None:
        self.micro_step("step")

    def action_finish_sample(self) -> None:
        if self.apply(self.stepper.finish_sample) and self.quiz.on:
            self.notice = Notice("ui_quiz_not_asked", (("k", "s"),))  # s runs its micro-steps unasked

    def action_finish_epoch(self) -> None:
        self.play.finish_epoch()

    def action_play(self) -> None:
        self.play.play()

    def action_undo(self) -> None:
        if self.play.cancel_epoch():  # z while e computes: back to where e was pressed, nothing taken
            self.notice = Notice("ui_epoch_cancelled")
            return
        self._travel(self.stepper.undo, "ui_undone")

    def action_redo(self) -> None:
        self._travel(self.stepper.redo, "ui_redone")

    def _travel(self, move, key: str) -> None:
        """z / y: move through the history and say where in it the app now is."""
        if self.apply(move):
            self.notice = Notice(key, (("pos", self.stepper.position + 1), ("total", self.stepper.history_length)))

    def action_activation(self) -> None:
        self.apply(self.stepper.cycle_hidden)

    def action_lr_up(self) -> None:
        self.apply(self.stepper.lr_up)

    def action_lr_down(self) -> None:
        self.apply(self.stepper.lr_down)

    def action_batch_mode(self) -> None:
        self.apply(self.stepper.cycle_batch)

    def action_reset(self) -> None:
        self.apply(self.stepper.reset)

    def action_reset_loaded(self) -> None:
        """R: the model as loaded, η and activations included (r keeps them); Explain says which."""
        self.apply(self.stepper.reset_loaded)

    # k, w and o change the model (or hold its next step): play and a pending e stop first
    async def action_quiz(self) -> None:
        self.play.pause(quiet=True)
        await self.quizzes.toggle()

    def action_follow(self) -> None:
        """F: a student back to the lecturer's latest state, following again (a notice elsewhere)."""
        self.session.follow_again()

    def action_edit(self) -> None:
        self.play.pause(quiet=True)
        self.editor.open()

    def action_open(self) -> None:
        self.play.pause(quiet=True)
        self.model_files.open()

    def action_save(self) -> None:
        self.model_files.save()

    def action_export(self) -> None:
        self.exports.export()

    # The screens behind a key are imported on its first press: start-up does not wait for them.
    def action_gradcheck(self) -> None:
        # start-up time: loaded on the first g
        from tui.app.screens.gradcheck import GradCheckScreen

        self.open_screen(GradCheckScreen, lambda: GradCheckScreen(now(self), self.lang, self.comma))

    def action_activation_view(self) -> None:
        from tui.app.screens.activation import ActivationScreen  # start-up time: plotext loads on the first v

        self.open_screen(ActivationScreen, lambda: ActivationScreen(self.comma))

    def action_compare(self) -> None:
        """c: the current sample through sigmoid, tanh and ReLU side by side (a view: play goes on)."""
        from tui.app.screens.compare import CompareScreen  # start-up time: plotext loads on the first c

        self.open_screen(CompareScreen, lambda: CompareScreen(self.comma))

    def action_surface(self) -> None:
        """h: the decision surface, each hidden unit's surface and the hidden space (a view: play goes on)."""
        from tui.app.screens.surface import SurfaceScreen  # start-up time: loaded on the first h

        self.open_screen(SurfaceScreen, lambda: SurfaceScreen(self.comma))

    def action_sweep(self) -> None:
        """W: many random starts on this data set, η and output activation (a view: play goes on)."""
        from tui.app.screens.sweep import SweepScreen  # start-up time: loaded on the first W

        s = now(self)
        model = self.stepper.model.with_(X=s.X, Y=s.Y, output=s.output, lr=s.lr)
        self.open_screen(SweepScreen, lambda: SweepScreen(model, lang=self.lang, comma=self.comma))

    def action_depth(self) -> None:
        """d: |δ| through k hidden layers from this sample and first layer (exercise 6c; a view)."""
        from tui.app.screens.depth import DepthScreen  # start-up time: loaded on the first d

        self.open_screen(DepthScreen, lambda: DepthScreen(self.stepper.model.seed, self.comma))

    def action_chain(self) -> None:
        """C: the chain rule of ∂L/∂θ factor by factor for the parameter ↑ ↓ pick (exercises 6(a), 3(d); a view)."""
        from tui.app.screens.chain import ChainScreen  # start-up time: loaded on the first C

        self.open_screen(ChainScreen, lambda: ChainScreen(self.comma))

    def action_predictions(self) -> None:
        """T: ŷ of every data row against its target, right or wrong (a view: play goes on)."""
        from tui.app.screens.predictions import PredictionsScreen  # start-up time: loaded on the first T

        self.open_screen(PredictionsScreen, lambda: PredictionsScreen(self.comma))

    def action_help(self) -> None:
        self.open_screen(HelpScreen, lambda: HelpScreen(self.lang))

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's command palette with the key table's keys by name (tui/app/palette.py)."""
        from tui.app.palette import KeyPalette  # start-up time: loaded on the first ctrl+p

        self.open_screen(KeyPalette, lambda: KeyPalette(self.lang))

    def get_system_commands(self, screen: Screen):
        """The palette's commands: the key table's, in the language now (not Textual's own)."""
        from tui.app.palette import key_commands  # start-up time: loaded on the first ctrl+p

        return key_commands(self, self.lang)

    def action_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]  # a standing notice is translated too

    def action_theme(self) -> None:
        default = resolve_theme(None, "truecolor" if self.is_headless else self.console.color_system)
        self.theme = CYCLE[1] if self.theme != CYCLE[1] else default
        label = "@ui_theme_contrast" if "contrast" in self.theme else "@ui_theme_default"
        self.notice = Notice("ui_theme", (("name", label),))

    def action_explain_down(self) -> None:
        """↓ / PgDn: the Explain panel's next page, when it says "▼ more" (issue 18)."""
        for panel in self.screen_stack[0].query(ExplainPanel):
            panel.scroll_page(1)

    def action_explain_up(self) -> None:
        for panel in self.screen_stack[0].query(ExplainPanel):
            panel.scroll_page(-1)

    def action_log_scale(self) -> None:
        self.log_scale = not self.log_scale

    def action_numpy_lines(self) -> None:
        """P: Explain shows the NumPy lines of each micro-step instead of its equations (exercise 4(a)), or back."""
        self.numpy_lines = not self.numpy_lines

    # --- messages from the workers, the quiz bar and the browser: to their controller ---------
    def on_progress(self, msg: Progress) -> None:
        self.play.progress(msg)

    def on_epoch_progress(self, msg: EpochProgress) -> None:
        self.play.epoch_progress(msg)

    def on_epoch_done(self, msg: EpochDone) -> None:
        self.play.epoch_done(msg)

    def on_quiz_bar_answer(self, msg: QuizBar.Answer) -> None:
        self.quizzes.answer(msg.text)

    def on_quiz_bar_skip(self, msg: QuizBar.Skip) -> None:
        self.quizzes.skip()

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self.exports.delivered(event.key)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.exports.delivered(event.key)


# Textual's drivers that draw on the process's own terminal (not textual-serve's, which talks over
# pipes, nor the headless one of the tests). Looked up among the modules loaded, never imported here:
# the POSIX one needs termios, the Windows one msvcrt, and a driver in use has its module loaded.
TERMINAL_DRIVERS = (
    ("textual.drivers.linux_driver", "LinuxDriver"),
    ("textual.drivers.windows_driver", "WindowsDriver"),
)


def terminal_driver(driver_class) -> bool:
    """Whether `driver_class` is (a subclass of) Textual's driver that draws on the process's terminal."""
    for module, name in TERMINAL_DRIVERS:
        terminal = getattr(sys.modules.get(module), name, None)
        if terminal is not None and issubclass(driver_class, terminal):
            return True
    return False


def session_args(args) -> SessionArgs | None:
    """--lead / --join as the command line checked them (tui/cli/interactive.py), or None."""
    lead, join = getattr(args, "lead", None), getattr(args, "join", None)
    if lead is not None:
        host, port = lead
        return SessionArgs(
            "lead",
            host,
            port,
            getattr(args, "code", None),
            max_students=getattr(args, "max_students", None) or 200,
            quiz_log=getattr(args, "quiz_log", None),
        )
    if join is not None:
        host, port = join
        return SessionArgs(
            "join",
            host,
            port,
            getattr(args, "code", None),
            name=getattr(args, "session_name", ""),
            ask_name=not getattr(args, "session_name_given", True) and getattr(args, "files", None) is not None,
        )
    return None


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
    session = session_args(args)
    try:
        speed = getattr(args, "speed", None)
        app = BackpropApp(
            model,
            lang=getattr(args, "lang", "en"),
            comma=bool(getattr(args, "decimal_comma", False)),
            theme=theme,
            target_loss=getattr(args, "target_loss", None),
            max_epochs=getattr(args, "max_epochs", None),
            quiz=bool(getattr(args, "quiz", False) or (getattr(args, "quiz_log", None) and session is None)),
            speed=DEFAULT_SPEED if speed is None else speed,
            batch=getattr(args, "batch", None),
            session=session,
        )
    except Unsupported as e:  # no driver for this terminal (get_driver_class)
        say(f"{PROG}: error: {e.text(getattr(args, 'lang', 'en'))}")
        return 1
    on_terminal = terminal_driver(app.driver_class)  # not under textual-serve, which talks over pipes
    if folder is not None and not on_terminal:  # a served tab's app ends with the server (backprop-tui serve);
        end_with_parent()  # never in a terminal: SIGKILLed, it would leave it raw
    missing = not_a_terminal() if on_terminal else None
    if missing:
        say(f"{PROG}: error: {t('cli_needs_terminal', app.lang, stream=missing)}")
        return 2
    app.resume_gc = not gc.isenabled()
    app.model_files.model_path = getattr(args, "config", None) if folder is None else None  # o and ctrl+s offer it
    app.files_folder = None if folder is None else str(folder)
    shared = getattr(args, "files_shared", None)
    app.shared_folder = None if folder is None or shared is None else str(Path(shared).resolve())
    app.export_dir = getattr(args, "export_dir", None) or exporter.DEFAULT_EXPORT_DIR
    if getattr(args, "quiz_log", None) and session is None:  # checked by the command line (tui/cli/interactive.py)
        app.quizzes.log = QuizLog(args.quiz_log, getattr(args, "name", None) or login_name())
    app.keep_screen = on_terminal and bool(getattr(args, "keep_screen", False))
    app.captions = script is not None and script.show_captions
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


__all__ = ["BackpropApp", "run", "capped", "MIN_SIZE", "WIDE_SIZE", "MAX_SIZE"]
