"""The wire of a class session (DESIGN §13): frames, the messages a student may send, names, codes.

A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON, one object. What a student
sends is untrusted: `parse_student` accepts exactly three shapes (join, answer, leave) with bounded
fields and returns a reason for anything else; the server drops it and counts it. What the lecturer
sends is checked by the student's side too (`read_frame`'s limit, `parse_lead`), so a stranger on
the port cannot crash a student's app. No Textual, no asyncio server here: tui/host/session.py.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass

from engine import export
from engine.config import shown
from tui.text.i18n import t

VERSION = 1  # of this schema; a join of another version is refused ("version")
HEADER = 4  # bytes of a frame's length
MAX_STUDENT_MESSAGE = 4096  # bytes of one frame's body from a student; more is dropped, counted
DISCARD_LIMIT = 65536  # an oversized student frame up to this is read and thrown away; beyond, the framing is hostile
MAX_STATE = 1 << 20  # bytes of one state message as sent, the lecturer's payload (JSON) included
MAX_LEAD_MESSAGE = MAX_STATE + 1024  # what a student accepts in one frame from the lecturer
NAME_CHARS = 32
NAME_RAW_CHARS = 256  # a join's name before cleaning
VALUE_CHARS = 64  # an answer's value
QUESTION_CHARS = 64  # a question id
CODE_CHARS = 32
TOKEN_CHARS = 64
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed from a projector
CODE_LENGTH = 6  # 31⁶ ≈ 8.9 · 10⁸ codes

# Why a lecturer's message closes the connection, and why a join is refused (the i18n keys
# session_reason_<reason> say each in words).
REFUSALS = ("code", "version", "name", "full", "protocol")
BYES = ("abuse", "slow", "replaced")


def reason_text(reason: str, lang: str = "en") -> str:
    """A refusal's or a bye's reason in words (session_reason_<reason>)."""
    return t(f"session_reason_{reason if reason in REFUSALS + BYES else 'protocol'}", lang)


class ProtocolError(Exception):
    """The other side does not speak this schema (a frame too long to skip, a lecturer's message
    that is not one): the connection is closed."""


OVERSIZED = object()  # read_frame: a frame over the limit, read and thrown away


def encode(message: dict) -> bytes:
    """One frame: the length, then compact UTF-8 JSON, written by engine.export.dumps (a non-finite
    number in a state becomes null, as in every JSON the project writes)."""
    body = export.dumps(message, compact=True).encode("utf-8")
    return len(body).to_bytes(HEADER, "big") + body


async def read_frame(reader: asyncio.StreamReader, limit: int, discard: int | None = None):
    """The next frame's body (bytes), or OVERSIZED for one longer than `limit` but at most `discard`
    (read in pieces of MAX_STUDENT_MESSAGE and thrown away: bounded memory). ProtocolError beyond that or for an empty
    frame; asyncio.IncompleteReadError at the end of the stream."""
    n = int.from_bytes(await reader.readexactly(HEADER), "big")
    if n == 0:
        raise ProtocolError("empty frame")
    if n <= limit:
        return await reader.readexactly(n)
    if discard is None or n > discard:
        raise ProtocolError(f"frame of {n} bytes")
    while n:
        n -= len(await reader.readexactly(min(n, MAX_STUDENT_MESSAGE)))
    return OVERSIZED


# --- what a student sends -----------------------------------------------------------------------


@dataclass(frozen=True)
class Join:
    code: str
    name: str  # as sent; clean_name makes it a name
    token: str | None  # the welcome's token on a rejoin: the same identity even while the old connection lingers
    version: int


@dataclass(frozen=True)
class Answer:
    question: str
    attempt: int  # 1 or 2
    value: str  # as typed, at most VALUE_CHARS; "" gives up (the student reveals: counted as revealed)


@dataclass(frozen=True)
class Leave:
    pass


_SHAPES = {
    "join": ({"t", "v", "code", "name"}, {"token"}),
    "answer": ({"t", "q", "try", "value"}, set()),
    "leave": ({"t"}, set()),
}


def bounded_text(value: object, most: int, least: int = 0) -> bool:
    return isinstance(value, str) and least <= len(value) <= most


def parse_student(body: bytes) -> Join | Answer | Leave | str:
    """A student's message, or the reason it is dropped: "json" (not a JSON object), "type" (no such
    message) or "field" (a field missing, extra, of the wrong type or too long)."""
    try:
        message = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, a number of 5000 digits, [[[[…
        return "json"
    if not isinstance(message, dict):
        return "json"
    kind = message.get("t")
    if not isinstance(kind, str) or kind not in _SHAPES:
        return "type"
    required, optional = _SHAPES[kind]
    if not required <= message.keys() <= required | optional:
        return "field"
    if kind == "join":
        v, code, name, token = message["v"], message["code"], message["name"], message.get("token")
        if not (
            type(v) is int
            and bounded_text(code, CODE_CHARS)
            and bounded_text(name, NAME_RAW_CHARS)
            and (token is None or bounded_text(token, TOKEN_CHARS, 1))
        ):
            return "field"
        return Join(code, name, token, v)
    if kind == "answer":
        q, attempt, value = message["q"], message["try"], message["value"]
        if not (
            bounded_text(q, QUESTION_CHARS, 1)
            and type(attempt) is int
            and attempt in (1, 2)
            and bounded_text(value, VALUE_CHARS)
        ):
            return "field"
        return Answer(q, attempt, clean_value(value))
    return Leave()


def join(code: str, name: str, token: str | None = None) -> dict:
    message = {"t": "join", "v": VERSION, "code": code, "name": name[:NAME_RAW_CHARS]}
    if token:
        message["token"] = token
    return message


def answer(question: str, attempt: int, value: str) -> dict:
    return {"t": "answer", "q": question, "try": attempt, "value": clean_value(value)[:VALUE_CHARS]}


LEAVE = {"t": "leave"}


# --- what the lecturer sends ----------------------------------------------------------------------

_LEAD_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "welcome": {"v": int, "name": str, "token": str, "n": int, "heartbeat": (int, float)},
    "state": {"n": int},
    "question": {"q": str, "n": int},
    "close": {"q": str, "n": int},
    "verdict": {"q": str, "try": int, "value": str},
    "refused": {"reason": str},
    "bye": {"reason": str},
    "ended": {},
    "ping": {},
}


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON has neither


def parse_lead(body: bytes) -> dict | None:
    """A lecturer's message with its fields checked, None for a kind this schema does not know
    (a newer lecturer: ignored); ProtocolError for anything that is not a message."""
    try:
        message = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:
        raise ProtocolError("not JSON") from e
    if not isinstance(message, dict) or not isinstance(message.get("t"), str):
        raise ProtocolError("not a message")
    fields = _LEAD_FIELDS.get(message["t"])
    if fields is None:
        return None
    for name, kind in fields.items():
        value = message.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ProtocolError(f"{message['t']}: field {name}")
    if message["t"] == "verdict" and not (message.get("right") is None or isinstance(message.get("right"), bool)):
        raise ProtocolError("verdict: field right")
    return message


# --- names, values, codes, addresses ----------------------------------------------------------------

_SPACES = re.compile(r" {2,}")


def clean_value(text: str) -> str:
    """`text` without the characters that are not printable (control, format, separators); other
    white space becomes a space."""
    return "".join(
        " " if ch.isspace() else ch for ch in unicodedata.normalize("NFC", text) if ch.isspace() or ch.isprintable()
    )


def clean_name(raw: str) -> str:
    """A student's name as it is shown: printable characters only, spaces collapsed, at most
    NAME_CHARS characters; "" when nothing is left (the join is refused: "name")."""
    return _SPACES.sub(" ", clean_value(raw)).strip()[:NAME_CHARS].rstrip()


def name_key(name: str) -> str:
    """What makes two names the same one: "Ana", "ANA" and "Ａｎａ" (full width) are one name."""
    return unicodedata.normalize("NFKC", name).casefold()


def numbered(name: str, k: int) -> str:
    """The k-th student called `name`: "Ana (2)", within NAME_CHARS."""
    suffix = f" ({k})"
    return name[: NAME_CHARS - len(suffix)].rstrip() + suffix


def new_code() -> str:
    """A random join code: CODE_LENGTH characters of CODE_ALPHABET, from `secrets`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as compared: upper case, without spaces and dashes ("abc-234" is "ABC234")."""
    return re.sub(r"[\s-]", "", text).upper()


def valid_code(text: str) -> bool:
    """A code a lecturer may choose (--code): 1 to CODE_CHARS letters, digits and dashes."""
    return bool(re.fullmatch(rf"[A-Za-z0-9-]{{1,{CODE_CHARS}}}", text)) and bool(normal_code(text))


def same_code(given: str, code: str) -> bool:
    """Whether a join's code is the session's, in constant time."""
    return hmac.compare_digest(normal_code(given).encode("utf-8"), normal_code(code).encode("utf-8"))


class BadAddress(ValueError):
    """--lead or --join given something that is not [HOST:]PORT."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return t("session_address", lang, address=shown(self.address))


def parse_address(text: str, default_host: str = "127.0.0.1", *, join: bool = False) -> tuple[str, int]:
    """(host, port) of "[HOST:]PORT", "HOST:PORT" or "[IPv6]:PORT"; port 0 (a free one) only when
    leading. BadAddress otherwise."""
    m = re.fullmatch(r"(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):([0-9]{1,5})|([0-9]{1,5})", text.strip())
    if m is None:
        raise BadAddress(text)
    host = m.group(1) or m.group(2) or default_host
    port = int(m.group(3) or m.group(4))
    if port > 65535 or (join and port == 0):
        raise BadAddress(text)
    return host, port


__all__ = [
    "VERSION",
    "MAX_STUDENT_MESSAGE",
    "MAX_STATE",
    "MAX_LEAD_MESSAGE",
    "NAME_CHARS",
    "VALUE_CHARS",
    "REFUSALS",
    "BYES",
    "reason_text",
    "ProtocolError",
    "OVERSIZED",
    "encode",
    "read_frame",
    "Join",
    "Answer",
    "Leave",
    "parse_student",
    "parse_lead",
    "join",
    "answer",
    "LEAVE",
    "clean_name",
    "clean_value",
    "name_key",
    "numbered",
    "new_code",
    "normal_code",
    "valid_code",
    "same_code",
    "BadAddress",
    "parse_address",
]
