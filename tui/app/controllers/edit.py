"""`w`: the Edit screen over the model as it is now; each change starts the model over on the edited
Model with a new loss history (Stepper.edit_model: one z goes back to before it), except η alone,
which the history keeps and marks; the notice says what changed."""

from __future__ import annotations

from engine.model import Model
from tui.app.host import Host
from tui.app.model_edit import model_now
from tui.app.notice import Notice


class EditController:
    def __init__(self, app: Host) -> None:
        self.app = app

    def current_model(self) -> Model:
        return model_now(self.app.stepper.snapshot, self.app.stepper.model)

    def load_edited(self, model: Model, key: str, values: dict) -> None:
        """Start over on an edited model (one undo step); the notice says what changed."""
        if self.app.apply(lambda: self.app.stepper.edit_model(model)):
            self.app.notice = Notice(key, tuple(values.items()))

    def open(self) -> None:
        app = self.app
        from tui.app.screens.edit import EditScreen  # on the first w: the first screen does without it

        app.open_screen(EditScreen, lambda: EditScreen(self.current_model, self.load_edited, app.lang, app.comma))


__all__ = ["EditController"]
