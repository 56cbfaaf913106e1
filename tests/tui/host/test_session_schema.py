"""The wire of a class session (tui/host/session_schema.py, DESIGN §13): what a student may send,
names, codes, addresses, frames; and the quiz log's cells (tui/host/session.py)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tui.host import session_schema as wire
from tui.host.session import safe_cell
from tui.text.i18n import t


def body(message) -> bytes:
    return json.dumps(message).encode()


@pytest.mark.parametrize(
    "message, parsed",
    [
        ({"t": "join", "v": 1, "code": "AB", "name": "Ana"}, wire.Join("AB", "Ana", None, 1)),
        ({"t": "join", "v": 1, "code": "AB", "name": "Ana", "token": "tk"}, wire.Join("AB", "Ana", "tk", 1)),
        ({"t": "answer", "q": "q1", "try": 2, "value": "0,5\n"}, wire.Answer("q1", 2, "0,5 ")),
        ({"t": "answer", "q": "q1", "try": 1, "value": ""}, wire.Answer("q1", 1, "")),
        ({"t": "leave"}, wire.Leave()),
    ],
)
def test_the_three_messages_a_student_may_send(message, parsed):
    assert wire.parse_student(body(message)) == parsed


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "json"),
        (b"{", "json"),
        (b"null", "json"),
        (b'"join"', "json"),
        (b"\xc3\x28", "json"),
        (b"[" * 5000, "json"),
        (b'{"t": 1}', "type"),
        (b'{"t": "state", "n": 1}', "type"),
        (b"{}", "type"),
        (b'{"t": "ended"}', "type"),
        (body({"t": "join", "v": "1", "code": "AB", "name": "Ana"}), "field"),
        (body({"t": "join", "v": 1, "code": "AB", "name": "A" * 257}), "field"),
        (body({"t": "join", "v": 1, "code": "A" * 33, "name": "Ana"}), "field"),
        (body({"t": "join", "v": 1, "code": "AB", "name": "Ana", "admin": True}), "field"),
        (body({"t": "join", "v": 1, "code": "AB", "name": "Ana", "token": ""}), "field"),
        (body({"t": "answer", "q": "q1", "try": True, "value": "1"}), "field"),
        (body({"t": "answer", "q": "q1", "try": 0, "value": "1"}), "field"),
        (body({"t": "answer", "q": "q1", "try": 1.0, "value": "1"}), "field"),
        (body({"t": "answer", "q": "q1", "try": 1, "value": 0.5}), "field"),
        (body({"t": "answer", "q": "q1", "try": 1, "value": "9" * 65}), "field"),
        (body({"t": "answer", "q": "", "try": 1, "value": "1"}), "field"),
        (body({"t": "leave", "reason": "bored"}), "field"),
    ],
)
def test_anything_else_is_dropped_with_a_reason(raw, reason):
    assert wire.parse_student(raw) == reason


@pytest.mark.parametrize(
    "raw, name",
    [
        ("Ana", "Ana"),
        ("  Ana  Maria ", "Ana Maria"),
        ("Ana\x00\x1b]0;pwned\x07", "Ana]0;pwned"),
        ("\u202eanA", "anA"),
        ("Ana\u2028Bea", "Ana Bea"),
        ("é" * 40, "é" * 32),
        ("e\u0301", "é"),
        ("\t\n", ""),
    ],
)
def test_names_keep_only_printable_characters_within_32(raw, name):
    assert wire.clean_name(raw) == name


def test_the_same_name_whatever_its_case_or_width():
    assert wire.name_key("Ana") == wire.name_key("ANA") == wire.name_key("Ａｎａ")
    assert wire.numbered("Ana", 2) == "Ana (2)" and len(wire.numbered("a" * 32, 123)) == 32


def test_codes():
    codes = {wire.new_code() for _ in range(50)}
    assert len(codes) > 45 and all(len(c) == 6 and set(c) <= set(wire.CODE_ALPHABET) for c in codes)
    assert wire.same_code("qx7-k2p", "QX7K2P") and wire.same_code(" QX7 K2P ", "qx7-k2p")
    assert not wire.same_code("QX7K2", "QX7K2P") and not wire.same_code("", "QX7K2P")
    assert wire.valid_code("abc-123") and not wire.valid_code("") and not wire.valid_code("---")
    assert not wire.valid_code("a b") and not wire.valid_code("x" * 33)


@pytest.mark.parametrize(
    "text, address",
    [
        ("8765", ("127.0.0.1", 8765)),
        ("0", ("127.0.0.1", 0)),
        (":8765", ("127.0.0.1", 8765)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("lab-server.local:9000", ("lab-server.local", 9000)),
        ("[::1]:8765", ("::1", 8765)),
    ],
)
def test_addresses(text, address):
    assert wire.parse_address(text) == address


@pytest.mark.parametrize("text", ["", "host", "host:", "host:70000", "a b:80", "::1:80", "h:8a", "1.2.3.4:-1"])
def test_not_addresses_say_what_was_expected(text):
    with pytest.raises(wire.BadAddress) as e:
        wire.parse_address(text)
    assert "[HOST:]PORT" in str(e.value) and "[HOST:]PORTA" in e.value.text("pt")


def test_joining_port_0_is_not_an_address():
    with pytest.raises(wire.BadAddress):
        wire.parse_address("host:0", join=True)


def test_frames_round_trip_and_bound_what_is_read():
    async def scenario():
        reader = asyncio.StreamReader()
        reader.feed_data(
            wire.encode({"t": "leave"})
            + len(b"x" * 5000).to_bytes(4, "big")
            + b"x" * 5000
            + wire.encode({"t": "leave"})
            + (10**6).to_bytes(4, "big")
        )
        reader.feed_eof()
        got = [await wire.read_frame(reader, 4096, 65536) for _ in range(3)]
        assert got == [b'{"t":"leave"}', wire.OVERSIZED, b'{"t":"leave"}']
        with pytest.raises(wire.ProtocolError):  # a megabyte announced: not read, the connection ends
            await wire.read_frame(reader, 4096, 65536)

    asyncio.run(scenario())


def test_a_lecturer_message_is_checked_by_the_student():
    assert wire.parse_lead(b'{"t": "state", "n": 3, "state": [1]}') == {"t": "state", "n": 3, "state": [1]}
    assert wire.parse_lead(b'{"t": "from the future"}') is None
    for raw in [
        b"{",
        b"[]",
        b'{"t": "state"}',
        b'{"t": "state", "n": true}',
        b'{"t": "welcome", "v": 1}',
        b'{"t": "verdict", "q": "q", "try": 1, "value": "1", "right": "yes"}',
    ]:
        with pytest.raises(wire.ProtocolError):
            wire.parse_lead(raw)


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("-0.5", "-0.5"),
        ("+1e-3", "+1e-3"),
        ("-0,5", "-0,5"),
        ("Ana", "Ana"),
        ("", ""),
    ],
)
def test_quiz_log_cells_never_start_a_formula(cell, safe):
    assert safe_cell(cell) == safe


def test_every_reason_has_words_in_both_languages():
    for reason in wire.REFUSALS + wire.BYES:
        for lang in ("en", "pt"):
            assert wire.reason_text(reason, lang) == t(f"session_reason_{reason}", lang)
    assert wire.reason_text("../../etc", "pt") == t("session_reason_protocol", "pt")  # a stranger's reason


def test_a_lecturer_message_with_nan_is_not_json():
    with pytest.raises(wire.ProtocolError):
        wire.parse_lead(b'{"t": "welcome", "v": 1, "name": "A", "token": "t", "n": 0, "heartbeat": NaN}')
