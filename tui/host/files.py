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
import heapq
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
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


def display_path(
    folder: str | os.PathLike | None, path: str | os.PathLike, shared: str | os.PathLike | None = None
) -> str:
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


# --- the model files `o` offers (issue 19: "o without a list") -------------------------------------
MODEL_SUFFIX = ".toml"  # the one kind of file `o` opens (engine.config.load_model)
LIST_LIMIT = 100  # names offered at most; the rest are counted ("and K more")
SCAN_LIMIT = 100_000  # directory entries read at most per folder: a huge folder costs a bounded time


@dataclass(frozen=True)
class Listing:
    """The model files of a folder, as the names to type: at most LIST_LIMIT, sorted; `more` of its
    .toml names are not listed; `capped`: the folder had more entries than were read, so there may be
    more still."""

    names: tuple[str, ...]
    more: int
    capped: bool


def _toml_names(root: Path, scan_limit: int, seen: list[int], capped: list[bool]) -> Iterator[str]:
    """The names in `root` that end in .toml (not hidden), straight from the directory (no stat);
    counts them in seen[0]; at most `scan_limit` entries are read."""
    try:
        with os.scandir(root) as entries:
            for k, entry in enumerate(entries):
                if k >= scan_limit:
                    capped[0] = True
                    return
                name = entry.name
                if name.lower().endswith(MODEL_SUFFIX) and not name.startswith("."):
                    seen[0] += 1
                    yield name
    except OSError:  # a folder that cannot be read offers nothing
        return


def _readable_file(path: str | os.PathLike) -> bool:
    try:
        return os.path.isfile(path) and os.access(path, os.R_OK)
    except (OSError, ValueError):
        return False


def model_files(
    folder: str | os.PathLike | None,
    shared: str | os.PathLike | None = None,
    limit: int | None = None,
    scan_limit: int | None = None,
) -> Listing:
    """The model files `o` can open, as the names that open them: those in `folder` (the working
    folder when None) and, with a `shared` folder (serve), those the shared folder adds. Only regular
    files that can be read, whose name is printable, and that stay inside their folder once symbolic
    links are resolved (a link that points out is not offered, as confine() would refuse it). Memory
    and time are bounded: the names are streamed from the directory, only the first `limit` + a few
    (in sorted order) are kept and checked, at most `scan_limit` entries are read per folder."""
    limit = LIST_LIMIT if limit is None else limit
    scan_limit = SCAN_LIMIT if scan_limit is None else scan_limit
    root = Path(folder if folder is not None else ".")
    seen, capped = [0], [False]
    streams = [_toml_names(root, scan_limit, seen, capped)]
    if shared is not None:
        streams.append(_toml_names(Path(shared), scan_limit, seen, capped))
    spare = 2 * limit + 16  # room for names that turn out not to be offered
    kept = heapq.nsmallest(spare, (name for stream in streams for name in stream))
    candidates = sorted(set(kept))  # a name in both folders is one file to open (the tab's own first)
    names: list[str] = []
    checked = 0
    for name in candidates:
        if len(names) == limit:
            break
        checked += 1
        if not printable(name):
            continue
        try:
            own: Path | None = confine(root, name)
        except Refused:
            own = None
        if own is not None and _readable_file(own):
            names.append(name)
        elif shared is not None and (own is None or not os.path.lexists(own)):
            found = shared_file(shared, name)
            if found is not None and _readable_file(found):
                names.append(name)
    # not listed: the names past the kept ones, and the kept ones not reached
    more = (seen[0] - len(kept)) + (len(candidates) - checked)
    return Listing(tuple(names), more, capped[0])


__all__ = [
    "Refused",
    "prepare",
    "confine",
    "user_file",
    "display_path",
    "shared_file",
    "new_tab_folder",
    "remove_if_empty",
    "TAB_FOLDER",
    "Listing",
    "model_files",
    "LIST_LIMIT",
    "SCAN_LIMIT",
]
