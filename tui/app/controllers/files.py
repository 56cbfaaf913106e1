"""`o` and ctrl+s: open a model file (TOML) and start over on it, or save the model as one
(engine.config: validated, atomic). A file that does not load changes nothing and says why, with the
same ConfigError line the command line prints. With --files (backprop-tui serve) names stay in
that folder (PathScreen checks them), o also reads the shared folder of --files-shared, and every
name in a message is relative to its folder: a browser user never sees the server's paths. `o` lists
the model files of that folder (or of the working folder) to choose from (files.model_files)."""

from __future__ import annotations

import os
from collections.abc import Callable

from engine import config
from engine.model import Model
from tui.app.host import Host
from tui.app.notice import Notice
from tui.host import files
from tui.text.i18n import t


class FileController:
    def __init__(self, app: Host, current_model: Callable[[], Model]) -> None:
        self.app, self.current_model = app, current_model
        self.model_path: str | None = None  # the file last opened or saved (or --config): the next prompt's default

    def _shown(self, path: str) -> str:
        return files.display_path(self.app.files_folder, path, self.app.shared_folder)

    def _say(self, key: str, **values: object) -> None:
        self.app.notice = Notice(key, tuple(values.items()))

    def default_path(self) -> str:
        return self.model_path or os.path.join(".", f"{self.app.stepper.snapshot.name}.toml")

    def open(self) -> None:
        app = self.app
        from tui.app.screens.path import PathScreen  # on the first o or ctrl+s: the first screen does without it

        app.open_screen(
            PathScreen,
            lambda: PathScreen(
                t("ui_path_open_title", app.lang),
                self.default_path(),
                self.open_model_file,
                app.lang,
                folder=app.files_folder,
                shared=app.shared_folder,
                listing=files.model_files(app.files_folder, app.shared_folder),
            ),
        )

    def save(self) -> None:
        app = self.app
        from tui.app.screens.path import PathScreen  # on the first o or ctrl+s: the first screen does without it

        app.open_screen(
            PathScreen,
            lambda: PathScreen(
                t("ui_path_save_title", app.lang),
                self.default_path(),
                self.save_model_file,
                app.lang,
                confirm_overwrite=True,
                folder=app.files_folder,
            ),
        )

    def open_model_file(self, path: str) -> str | None:
        """Load and start over on the file's model; a bad file changes nothing and says why."""
        app = self.app
        try:
            model = config.load_model(path)
        except config.ConfigError as e:
            if app.files_folder is not None:  # the same line, with the name as the user knows it
                e = config.ConfigError(self._shown(path), e.field, e.problem)
            return f"{e}\n{t('ui_path_not_opened', app.lang)}"
        if not app.apply(lambda: app.stepper.load_model(model)):
            return t("ui_path_not_opened", app.lang)
        self.model_path = self._shown(path)
        self._say("ui_opened", path=self.model_path)
        return None

    def save_model_file(self, path: str) -> str | None:
        app = self.app
        name = self._shown(path)
        try:
            config.save_model(self.current_model(), path)
        except OSError as e:
            return t("ui_path_cannot_write", app.lang, path=name, reason=e.strerror or str(e))
        except ValueError as e:  # a diverged run's infinite weights have no place in a model file
            return t("ui_path_cannot_write", app.lang, path=name, reason=str(e))
        self.model_path = name
        self._say("ui_saved", path=name)
        return None


__all__ = ["FileController"]
