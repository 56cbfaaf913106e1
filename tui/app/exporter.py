"""`x` in the app: the current sample as Markdown and LaTeX, an SVG screenshot and the loss CSV.

Files go into the folder of --export-dir (default ./backprop-exports), named after the model, the
epoch and the sample as the status line counts them: lecture_e1_s1.md, .tex, .svg and
lecture_e1_s1_loss.csv. If any of those names is taken, the whole set moves to the next free
suffix (lecture_e1_s1-2.md …), so an export never overwrites a file and its four files always
share one name. In a browser tab (backprop-tui serve) the set is one zip archive instead
(zip_set), delivered as a download: nothing is written on the server.

Each file is written in full to a temporary file in the same folder, flushed to disk, and only
then given its name with os.link (atomic, and it fails instead of replacing a file that appeared
meanwhile); on a file system without hard links, os.replace after a check. A failure (read-only
folder, full disk) removes what this export wrote and raises OSError; existing files are never
touched.

The transcript needs a finished sample (phase U: every value of §2.9 steps 5–8 computed). Before
that, `x` writes the screenshot and the loss history and says to press s (finish the sample) then
x: exporting half a transcript would leave blanks, and finishing the sample behind the user's back
would change what the screen shows.
"""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from engine.stepper import Phase, Snapshot

DEFAULT_EXPORT_DIR = "backprop-exports"
MAX_SUFFIX = 10_000
# hard links unsupported here (FAT, some network file systems): fall back to check + os.replace
_NO_LINK = {
    errno.EPERM,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", 95),
    getattr(errno, "EOPNOTSUPP", 95),
}


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: tuple[Path, ...]
    transcript: bool  # False: the sample was not finished, only the screenshot and loss CSV


def base_name(s: Snapshot) -> str:
    """lecture_e1_s1: model, epoch and sample counted from 1, as the status line shows them."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", s.name).strip("._") or "model"
    return f"{name}_e{s.epoch + 1}_s{s.sample + 1}"


def has_transcript(s: Snapshot) -> bool:
    """Whether the export of `s` holds the transcript (Markdown, LaTeX): a finished sample only."""
    return s.phase is Phase.U


def contents(
    s: Snapshot, screenshot_svg: str, labels: dict[str, str] | None, comma: bool, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """name suffix → text, in the order they are written; `extra`: what the screen on top adds, after
    the rest (the depth view's "_depth.json", the activation comparison's _compare.json and .md, the
    surface view's grid "_surface.csv")."""
    from engine import export  # on the first x: the app starts without it

    out: dict[str, str] = {}
    if has_transcript(s):
        steps = [export.step_from_snapshot(s)]
        out[".md"] = export.to_markdown(steps, labels, comma)
        out[".tex"] = export.to_latex(steps, labels, comma)
    out[".svg"] = portable_svg(screenshot_svg)
    # this model's history only (a change of the model starts a new one), with the η of each row
    out["_loss.csv"] = export.loss_csv(s.losses, s.loss_history.lr_per_loss(s.lr))
    out.update(extra or {})
    return out


# Rich's SVG asks for Fira Code, from a CDN when it is not installed; offline viewers then fell back
# to whatever font they had. A stack of monospace fonts found on most machines instead, no fetch.
MONOSPACE = '"Fira Code", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace'


def portable_svg(svg: str) -> str:
    """Rich's SVG screenshot as any viewer draws it: xml:space="preserve" on the root, so that
    librsvg and other non-browser viewers keep runs of spaces (they dropped the columns' padding,
    gluing w₁₁⁽¹⁾ to its value), and the font from the machine, not from the network."""
    svg = re.sub(r"\s*@font-face\s*\{[^}]*\}", "", svg)
    svg = re.sub(r"font-family: Fira Code, monospace;", f"font-family: {MONOSPACE};", svg)
    if "xml:space=" not in svg[: svg.find(">")]:
        svg = svg.replace("<svg ", '<svg xml:space="preserve" ', 1)
    return svg


def _write_temp(folder: Path, text: str) -> Path:
    """A new hidden file in `folder` holding `text`, on disk; mode 0666 less the umask, as any file."""

    while True:
        name = folder / f".backprop-export-{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return name


def _place(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path`; FileExistsError if the name is taken."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in _NO_LINK:
            raise
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(tmp, path)


def write_set(folder: Path, base: str, texts: dict[str, str]) -> tuple[Path, ...]:
    """Write every text as base+suffix in `folder`, all under the first free name of base, base-2, …"""
    folder.mkdir(parents=True, exist_ok=True)
    temps: dict[str, Path] = {}
    try:
        for suffix, text in texts.items():
            temps[suffix] = _write_temp(folder, text)
        for n in count(1):
            if n > MAX_SUFFIX:
                raise FileExistsError(errno.EEXIST, "no free file name", str(folder / base))
            stem = base if n == 1 else f"{base}-{n}"
            paths = {suffix: folder / f"{stem}{suffix}" for suffix in texts}
            if any(p.exists() for p in paths.values()):
                continue
            placed: list[Path] = []
            try:
                for suffix, path in paths.items():
                    _place(temps[suffix], path)
                    placed.append(path)
            except BaseException as e:
                for p in placed:  # never half a set: what this export named goes again
                    p.unlink(missing_ok=True)
                if isinstance(e, FileExistsError):  # taken meanwhile: try the next suffix
                    continue
                raise
            return tuple(paths.values())
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    raise AssertionError("unreachable")


def export_snapshot(
    s: Snapshot,
    screenshot_svg: str,
    folder: str | os.PathLike,
    *,
    labels: dict[str, str] | None = None,
    comma: bool = False,
    extra: dict[str, str] | None = None,
) -> Exported:
    """Write the export of `s`; raises OSError (nothing of it left behind) if that is not possible."""
    folder = Path(folder)
    files = write_set(folder, base_name(s), contents(s, screenshot_svg, labels, comma, extra))
    return Exported(folder, files, has_transcript(s))


def zip_set(base: str, texts: dict[str, str]) -> bytes:
    """The same set as one zip archive, base+suffix for each text: in a browser tab (backprop-tui
    serve) the export is one download, and nothing is written on the server."""

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, text in texts.items():
            archive.writestr(f"{base}{suffix}", text)
    return buffer.getvalue()


def describe_error(e: OSError) -> str:
    """One line: what failed and where, e.g. "Permission denied: /srv/exports"."""
    reason = e.strerror or str(e) or type(e).__name__
    return f"{reason}: {e.filename}" if e.filename else reason


__all__ = [
    "DEFAULT_EXPORT_DIR",
    "Exported",
    "base_name",
    "has_transcript",
    "contents",
    "write_set",
    "export_snapshot",
    "zip_set",
    "describe_error",
    "portable_svg",
]
