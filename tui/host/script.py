"""Scripted screencasts: `--keys "f f b b u"` or `--keys-file FILE` replayed into the running app.

A script is a list of key names as Textual names them (`f`, `space`, `plus`, `question_mark`,
`escape`, or the character itself: `+`, `?`), separated by spaces or newlines; in a file, `#`
starts a comment. The replay runs as Textual's auto-pilot inside the real app, so it goes through
exactly the bindings a person's key presses go through, and after every key it waits until the app
has settled: every message handled, every worker (the play run, a sweep) finished and its results
merged. What a key does therefore never depends on the machine's speed or on `--delay`, which only
paces the recording. A play run (`p`) must have an end for that (--max-epochs or --target-loss).

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


def parse_keys(text: str, *, comments: bool = False) -> tuple[str, ...]:
    """Key names separated by whitespace; with comments=True a `#` starts a comment to the end of
    the line (a `#` key is then written number_sign)."""
    lines = text.splitlines()
    if comments:
        lines = [line.split("#", 1)[0] for line in lines]
    return tuple(key for line in lines for key in line.split())


def script_from_args(args) -> Script | None:
    """The Script of --keys / --keys-file with --delay and --exit-after, or None without either."""
    keys_text, keys_file = getattr(args, "keys", None), getattr(args, "keys_file", None)
    delay = getattr(args, "delay", None)
    exit_after = getattr(args, "exit_after", None)
    if keys_text is None and keys_file is None:
        for option, value in (("--delay", delay), ("--exit-after", exit_after)):
            if value is not None:
                raise ScriptError(f"{option} needs --keys or --keys-file")
        return None
    if keys_file is not None:
        source = f"--keys-file {shown(keys_file)}"
        try:  # the model files' reader: a regular file, read in bounded chunks (no FIFO, no /dev/zero)
            keys = parse_keys(decode_utf8(read_regular_file(keys_file, MAX_SCRIPT_BYTES, "a key script (text)"),
                                          keys_file), comments=True)
        except ConfigError as e:
            raise ScriptError(f"--keys-file {e}") from None
    else:
        source = "--keys"
        keys = parse_keys(keys_text)
    if not keys:
        raise ScriptError(f"{source}: expected key names separated by spaces, e.g. \"f f b b u\"; got none")
    bad = [k for k in keys if not is_key_name(k)]
    if bad:
        raise ScriptError(f"{source}: unknown key name {bad[0]!r}; expected Textual key names such as "
                          "f, space, plus, question_mark, escape")
    if PLAY_KEYS & set(keys) and getattr(args, "max_epochs", None) is None \
            and getattr(args, "target_loss", None) is None:
        raise ScriptError(f"{source}: a script that presses p needs --max-epochs N or --target-loss L, "
                          "so the replay always trains the same epochs")
    return Script(keys, DEFAULT_DELAY if delay is None else delay, exit_after)
