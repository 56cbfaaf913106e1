"""The one folder a served app may use (`backprop-tui serve --files DIR`, the app's own --files DIR).

In a browser tab every file name comes from someone the server's owner does not know: o (open) and
ctrl+s (save) take the name typed, x (export) its --export-dir. With --files each goes through
confine(): the name is read relative to the folder, `..` and symbolic links are resolved, and what
does not end up inside the folder is refused (an absolute path elsewhere, ../x.toml, a link inside
that points out), as is a name that is not printable (engine.config.printable: a line break, an
escape, an invisible character). Run in a terminal without --files, the app
keeps its files where the user says, as any program does.

No Textual here: the command line creates the folder, the app asks confine().
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from engine.config import printable
from tui.text.i18n import t


class Refused(ValueError):
    """A file name outside the folder; `key` is the i18n message, which names `path` as typed."""

    def __init__(self, key: str, path: str) -> None:
        self.key, self.path = key, path
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return t(self.key, lang, path=self.path)


def prepare(folder: str | os.PathLike) -> Path:
    """The folder for --files, created if missing, as an absolute path; OSError if that fails."""
    path = Path(folder).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    return path.resolve()


def confine(folder: str | os.PathLike, name: str) -> Path:
    """The file `name` means inside `folder` (symbolic links and `..` resolved); Refused if it is
    elsewhere or is not printable(). `folder` itself is inside (for an export folder)."""
    if not printable(name):
        raise Refused("files_control", "")  # the name itself is not repeated: it would not be one line
    root = Path(folder).resolve()
    try:
        path = (root / name).resolve()  # an absolute `name` replaces root here, and is then checked
    except (OSError, RuntimeError):  # a loop of symbolic links, a name too long
        raise Refused("files_outside", name) from None
    if path != root and root not in path.parents:
        raise Refused("files_outside", name)
    return path


def user_file(folder: str | os.PathLike | None, name: str) -> str:
    """The file a typed name means: with a folder, confine() (Refused); without, as typed (~ expanded)."""
    return os.path.expanduser(name) if folder is None else str(confine(folder, name))


def display_path(folder: str | os.PathLike | None, path: str | os.PathLike) -> str:
    """`path` as the user names it: with a folder, relative to it (a browser user never sees the
    server's paths); without, as it is."""
    return str(path) if folder is None else os.path.relpath(path, Path(folder).resolve())


__all__ = ["Refused", "prepare", "confine", "user_file", "display_path"]
