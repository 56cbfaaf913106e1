"""The one folder a served app may use (`backprop-tui serve --files DIR`, the app's own --files DIR).

In a browser tab every file name comes from someone the server's owner does not know: o (open) and
ctrl+s (save) take the name typed, x (export) its --export-dir. With --files each goes through
confine(): the name is read relative to the folder, `..` and symbolic links are resolved, and what
does not end up inside the folder is refused (an absolute path elsewhere, ../x.toml, a link inside
that points out), as is a name that is not printable (engine.config.printable: a line break, an
escape, an invisible character). Run in a terminal without --files, the app
keeps its files where the user says, as any program does.

Served, each browser tab has a folder of its own (`serve --files DIR` makes DIR/tab-N for each tab,
new_tab_folder) and DIR itself is shared, read-only: o opens a name from the tab's folder, or, when
the tab has no such file, from DIR (shared_file: never from another tab's folder); ctrl+s and x
write in the tab's folder only, so no student can overwrite another's file. Every path a browser
user is shown is relative to the folder it is in (display_path): never the server's own paths.

No Textual here: the command line creates the folder, the app asks confine().
"""
from __future__ import annotations

import errno
import os
import re
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


TAB_FOLDER = re.compile(r"tab-[0-9]+")  # a browser tab's own folder inside the shared one


def new_tab_folder(shared: str | os.PathLike) -> Path:
    """A new, empty folder shared/tab-N for one browser tab: N one more than the highest there, and
    never a folder that exists (os.mkdir refuses it: two tabs opening at once get two). OSError."""
    root = Path(shared)
    n = max((int(p.name[4:]) for p in root.iterdir() if TAB_FOLDER.fullmatch(p.name)), default=0) + 1
    while True:
        try:
            (root / f"tab-{n}").mkdir()
            return (root / f"tab-{n}").resolve()
        except FileExistsError:
            n += 1


def remove_if_empty(folder: str | os.PathLike) -> None:
    """A tab's folder goes when its tab ends if nothing was saved in it."""
    try:
        os.rmdir(folder)
    except OSError:
        pass


def shared_file(shared: str | os.PathLike, name: str) -> Path | None:
    """The file `name` in the shared folder, if it is a file there and not in a tab's folder (through a
    link neither); None otherwise."""
    try:
        path = confine(shared, name)
    except Refused:
        return None
    inside = path.relative_to(Path(shared).resolve()).parts
    if inside and TAB_FOLDER.fullmatch(inside[0]):
        return None
    return path if path.is_file() else None


def user_file(folder: str | os.PathLike | None, name: str, shared: str | os.PathLike | None = None) -> str:
    """The file a typed name means: with a folder, confine() (Refused); without, as typed (~ expanded).
    With a `shared` folder too (a file to read): the folder's file if it has one, else the shared one."""
    if folder is None:
        return os.path.expanduser(name)
    own = confine(folder, name)
    if shared is not None and not os.path.lexists(own):
        found = shared_file(shared, name)
        if found is not None:
            return str(found)
    return str(own)


def display_path(folder: str | os.PathLike | None, path: str | os.PathLike,
                 shared: str | os.PathLike | None = None) -> str:
    """`path` as the user names it: with a folder, relative to it, or to the `shared` folder for a file
    from there (a browser user never sees the server's paths); without, as it is."""
    if folder is None:
        return str(path)
    target = Path(path)
    for root in (folder, shared):
        if root is not None:
            top = Path(root).resolve()
            if target == top or top in target.parents:
                return os.path.relpath(target, top)
    return os.path.relpath(target, Path(folder).resolve())


__all__ = ["Refused", "prepare", "confine", "user_file", "display_path", "shared_file", "new_tab_folder",
           "remove_if_empty", "TAB_FOLDER"]
