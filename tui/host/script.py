"""Scripted screencasts: `--keys "f f b b u"` or `--keys-file FILE` replayed into the running app.

A script is a list of key names as Textual names them (`f`, `space`, `plus`, `question_mark`,
`escape`, or the character itself: `+`, `?`), separated by spaces or newlines; in a file, `#`
starts a comment. The replay runs as Textual's auto-pilot inside the real app, so it goes through
exactly the bindings a person's key presses go through, and after every key it waits until the app
has settled: every message handled, every worker (the play run, a sweep) finished and its results
merged. What a key does therefore never depends on the machine's speed or on `--delay`, which only
paces the recording. A play run (`p`) must have an end for that (--max-epochs or --target-loss).

Presenter mode (--present): each press of space plays the next key of the script, and nothing else
does, so a lecturer talks at their own pace and the script never runs ahead. Captions (--captions):
a one-row bar names each key as it is played, with the keys file's comment for it when there is one:
a comment after keys captions the keys of its line; a comment on a line of its own captions the
keys of the lines below it that have no comment of their own, up to the next such line.

This module reads and checks a script without Textual (the command line refuses a bad one before
the app starts); the app replays it (tui/app/replay.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.config import ConfigError, decode_utf8, read_regular_file, shown
from tui.text.key_names import is_key_name

DEFAULT_DELAY = 0.8  # seconds between keys: slow enough for a viewer to follow a screencast
MAX_SCRIPT_BYTES = 2**20  # 1 MiB: some 300 000 keys, hours of screencast
PLAY_KEYS = {"p"}  # keys that start a worker which runs until a stop condition


class ScriptError(ValueError):
    """A bad script; the message names the option (and file) and what was expected."""


@dataclass(frozen=True)
class Script:
    keys: tuple[str, ...]
    delay: float = DEFAULT_DELAY
    exit_after: float | None = None  # seconds after the last key; None stays open
    present: bool = False  # --present: each key waits for the presenter's space, not `delay`
    show_captions: bool = False  # --captions: a caption bar names each key as it is played
    captions: tuple[str, ...] = ()  # the keys file's comment for each key ("" for none); () without comments

    def caption(self, i: int) -> str:
        """The keys file's comment for key i, "" if it has none."""
        return self.captions[i] if i < len(self.captions) else ""


def parse_keys(text: str, *, comments: bool = False) -> tuple[str, ...]:
    """Key names separated by whitespace; with comments=True a `#` starts a comment to the end of
    the line (a `#` key is then written number_sign)."""
    lines = text.splitlines()
    if comments:
        lines = [line.split("#", 1)[0] for line in lines]
    return tuple(key for line in lines for key in line.split())


def parse_commented(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of a keys file and each one's caption from its comments (see the module's docstring):
    (keys, captions), captions () when the file has no comment."""
    keys: list[str] = []
    captions: list[str] = []
    heading = ""
    for line in text.splitlines():
        code, mark, comment = line.partition("#")
        comment = " ".join(comment.split())
        words = code.split()
        if not words:
            if mark:
                heading = comment
            continue
        keys.extend(words)
        captions.extend([comment if mark and comment else heading] * len(words))
    return tuple(keys), (tuple(captions) if any(captions) else ())


def script_from_args(args) -> Script | None:
    """The Script of --keys / --keys-file with --delay, --exit-after, --present and --captions, or None
    without a script."""
    keys_text, keys_file = getattr(args, "keys", None), getattr(args, "keys_file", None)
    delay = getattr(args, "delay", None)
    exit_after = getattr(args, "exit_after", None)
    present, show_captions = bool(getattr(args, "present", False)), bool(getattr(args, "captions", False))
    if keys_text is None and keys_file is None:
        for option, value in (
            ("--delay", delay),
            ("--exit-after", exit_after),
            ("--present", present or None),
            ("--captions", show_captions or None),
        ):
            if value is not None:
                raise ScriptError(f"{option} needs --keys or --keys-file")
        return None
    if present and delay is not None:
        raise ScriptError("--delay paces a replay by the clock; with --present each key waits for space instead")
    captions: tuple[str, ...] = ()
    if keys_file is not None:
        source = f"--keys-file {shown(keys_file)}"
        try:  # the model files' reader: a regular file, read in bounded chunks (no FIFO, no /dev/zero)
            keys, captions = parse_commented(
                decode_utf8(read_regular_file(keys_file, MAX_SCRIPT_BYTES, "a key script (text)"), keys_file)
            )
        except ConfigError as e:
            raise ScriptError(f"--keys-file {e}") from None
    else:
        assert keys_text is not None  # no --keys-file, and not neither (returned above)
        source = "--keys"
        keys = parse_keys(keys_text)
    if not keys:
        raise ScriptError(f'{source}: expected key names separated by spaces, e.g. "f f b b u"; got none')
    bad = [k for k in keys if not is_key_name(k)]
    if bad:
        raise ScriptError(
            f"{source}: unknown key name {bad[0]!r}; expected Textual key names such as "
            "f, space, plus, question_mark, escape"
        )
    if (
        PLAY_KEYS & set(keys)
        and getattr(args, "max_epochs", None) is None
        and getattr(args, "target_loss", None) is None
    ):
        raise ScriptError(
            f"{source}: a script that presses p needs --max-epochs N or --target-loss L, "
            "so the replay always trains the same epochs"
        )
    return Script(
        keys,
        DEFAULT_DELAY if delay is None else delay,
        exit_after,
        present=present,
        show_captions=show_captions,
        captions=captions,
    )
