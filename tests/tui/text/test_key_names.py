"""tui/text/key_names.py checks key names without Textual: its tables are Textual's, for this Textual."""

from __future__ import annotations

import string

import pytest
from textual.keys import REPLACED_KEYS, Keys, key_to_character

from tui.text.key_names import NAMED_KEYS, character_of, is_key_name


def test_the_named_keys_are_textuals():
    textual = {k.value for k in Keys if not k.value.startswith("<")}
    assert NAMED_KEYS == textual


CHARACTER_NAMES = [
    "plus",
    "minus",
    "question_mark",
    "number_sign",
    "equals_sign",
    "full_stop",
    "slash",
    "backslash",
    "at",
    "underscore",
    "less_than_sign",
    "greater_than_sign",
    "hyphen_minus",
    "left_square_bracket",
    "exclamation_mark",
    "comma",
    "colon",
    "semicolon",
    "apostrophe",
    "asterisk",
    "tilde",
    "dollar_sign",
    "percent_sign",
    "ampersand",
    "vertical_line",
]


@pytest.mark.parametrize("name", CHARACTER_NAMES + list(string.ascii_letters + string.digits + string.punctuation))
def test_a_characters_name_means_what_it_means_to_textual(name):
    textual = "+" if name == "+" else key_to_character(REPLACED_KEYS.get(name, name))  # Textual splits at "+"
    assert character_of(name) == textual and is_key_name(name)


def test_every_unicode_name_textual_spells_its_own_way_is_known():
    from textual.keys import KEY_TO_UNICODE_NAME

    for name, unicode_name in KEY_TO_UNICODE_NAME.items():
        assert character_of(name) == key_to_character(name), unicode_name


@pytest.mark.parametrize("name", ["foo", "spcae", "ctrl+", "ctrl+foo", "shift+", "\x07", "f25", "ctrl+plus_sign"])
def test_what_textual_does_not_know_is_refused(name):
    assert not is_key_name(name)
