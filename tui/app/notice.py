"""The notice under the panels: why a key did nothing and what to press, or what a long run did."""

from __future__ import annotations

from dataclasses import dataclass

from engine.config import shown
from engine.stepper import Refused
from tui.text.i18n import t, tn
from tui.text.keys import key_for


@dataclass(frozen=True)
class Notice:
    """A message for the Explain panel, kept as i18n keys so `l` translates it too."""

    key: str
    values: tuple = ()  # (name, value) pairs; a value "@key" is itself translated
    then: Notice | None = None
    count: int | None = None  # for a count (an Nn_ message): the n its form is chosen by, also {n}

    def text(self, lang: str) -> str:
        # A value may be a file or folder name: shown() keeps the message one line and no escape
        # sequence in a name reaches the terminal (an --export-dir with ESC ] 2 set the window's title).
        values = {
            k: (v if not isinstance(v, str) else t(v[1:], lang) if v.startswith("@") else shown(v))
            for k, v in self.values
        }
        out = t(self.key, lang, **values) if self.count is None else tn(self.key, self.count, lang, **values)
        return out + (" " + self.then.text(lang) if self.then else "")


def refusal(r: Refused) -> Notice:
    """What a step the Stepper refused says: why, and the key to press instead."""
    key = f"ui_refused_{r.code}"
    try:
        t(key, "en")
    except KeyError:
        key = "ui_refused_other"
    then = None
    instead = key_for(r.expected)  # Refused.expected is the App action of the key table's key for it
    if instead is not None:
        then = Notice("ui_press", (("k", instead.shown), ("action", "@" + instead.bar)))
    return Notice(key, (), then)
