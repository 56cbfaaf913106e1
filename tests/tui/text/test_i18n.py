"""The English and Portuguese tables: same keys, same placeholders; language detection."""
import string

import pytest

from tui.text import i18n


def placeholders(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_both_tables_have_the_same_keys():
    en, pt = i18n.STRINGS["en"], i18n.STRINGS["pt"]
    assert sorted(set(en) - set(pt)) == [] and sorted(set(pt) - set(en)) == []


@pytest.mark.parametrize("key", sorted(i18n.STRINGS["en"]))
def test_same_placeholders_in_both_languages(key):
    assert placeholders(i18n.STRINGS["en"][key]) == placeholders(i18n.STRINGS["pt"][key])


def test_no_empty_strings():
    for lang, table in i18n.STRINGS.items():
        assert all(isinstance(v, str) and v.strip() for v in table.values()), lang


def test_t_fills_placeholders_and_falls_back_to_english():
    assert i18n.t("diverged", "en", epoch=7) == "diverged at epoch 7"
    assert i18n.t("diverged", "pt", epoch=7) == "divergiu na época 7"
    assert i18n.t("diverged", "fr", epoch=7) == "diverged at epoch 7"
    with pytest.raises(KeyError):
        i18n.t("no such key", "en")


@pytest.mark.parametrize("env, lang", [
    ({}, "en"),
    ({"LANG": "pt_BR.UTF-8"}, "pt"),
    ({"LANG": "pt_PT"}, "pt"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),  # LC_ALL wins
    ({"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US"}, "pt"),
    ({"LC_ALL": "", "LANG": "pt_BR"}, "pt"),  # an empty variable is not set
    ({"LANG": "C"}, "en"),
])
def test_detect_lang(env, lang):
    assert i18n.detect_lang(env) == lang
