"""What a controller may use of the App (BackpropApp): its state, its settings, the one path from a
key to the panels, its screen opener, and the few public Textual App methods listed at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO, Protocol, cast

from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker
from textual.worker_manager import WorkerManager

from engine.stepper import Snapshot, Stepper
from tui.app.notice import Notice
from tui.app.quiz import QuizState


class Host(Protocol):
    # State. The Stepper is the only thing that changes; `snapshot`, `notice`, `playing` and `quiz`
    # are the App's reactives: assigning one redraws what shows it (`snapshot` is None only before
    # the App's __init__ has set it).
    snapshot: Snapshot | None
    notice: Notice | None
    playing: bool
    quiz: QuizState
    session: Any  # the class session (controllers/session.py's SessionController)
    session_line: str  # the status line's part for it
    play: Any  # controllers/play.py's PlayController (the session pauses it before following again)

    @property
    def stepper(self) -> Stepper: ...

    @property
    def lang(self) -> str: ...

    # Settings from the command line (tui.app.app.run).
    @property
    def comma(self) -> bool: ...

    @property
    def target_loss(self) -> float | None: ...

    @property
    def max_epochs(self) -> int | None: ...

    @property
    def speed(self) -> float: ...

    @property
    def export_dir(self) -> str: ...

    @property
    def files_folder(self) -> str | None: ...

    @property
    def shared_folder(self) -> str | None: ...

    def apply(self, do: Callable[[], Snapshot], *, pause: bool = True, step: str | None = None) -> bool:
        """Run one Stepper action (or hold it back for a quiz question); a refusal leaves a notice.
        `step`: the key table's action when `do` is a micro-step key's (tui/text/keys.py)."""
        ...

    def micro_step(self, action: str) -> bool:
        """The micro-step of the key table's action `action` (forward, backward, update, step), as its
        key does it."""
        ...

    def open_screen(self, kind: type, make: Callable[[], Screen]) -> None:
        """Push the screen `make()` builds unless one of this kind is open."""
        ...

    # Textual's App: workers and their messages, the screen stack, notifications, downloads.
    @property
    def workers(self) -> WorkerManager: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...

    @property
    def screen(self) -> Screen[object]: ...

    @property
    def is_web(self) -> bool: ...

    def run_worker(
        self, work: Callable[[], None], *, name: str | None, group: str, exclusive: bool, thread: bool
    ) -> Worker: ...

    def post_message(self, message: Message) -> bool: ...

    def notify(self, message: str, *, severity: Any, markup: bool) -> None: ...

    def export_screenshot(self) -> str: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Any: ...

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...

    def deliver_binary(
        self, path_or_file: BinaryIO, *, save_filename: str | None, mime_type: str | None
    ) -> str | None: ...


class ViewHost(Protocol):
    """What a screen or a widget reads of the App (BackpropApp, which imports them: they name it by
    this). Textual types `node.app` as any App; `view_host(node)` gives it this type."""

    @property
    def snapshot(self) -> Snapshot: ...  # None only inside the App's __init__, before any screen or panel

    @property
    def stepper(self) -> Stepper: ...

    @property
    def lang(self) -> str: ...

    @property
    def notice_text(self) -> str: ...

    @property
    def playing(self) -> bool: ...

    @property
    def log_scale(self) -> bool: ...


def view_host(node: DOMNode) -> ViewHost:
    """node.app as the App the views read (the one App the package runs is a BackpropApp)."""
    return cast(ViewHost, node.app)


def now(host: Host) -> Snapshot:
    """host.snapshot, which is None only inside the App's __init__, before any key reaches a controller."""
    s = host.snapshot
    assert s is not None, "the App's __init__ sets the Snapshot"
    return s


__all__ = ["Host", "ViewHost", "view_host", "now"]
