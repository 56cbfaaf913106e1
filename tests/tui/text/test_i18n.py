"""The strings through gettext (DESIGN §8): the English message ids of tui/text/messages.py, one
catalog per language in tui/locale, complete, with the English placeholders and every plural form;
the committed .mo files are what their .po compile to; the language of the environment as GNU
gettext picks it."""

from __future__ import annotations

import io
import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tui.text import i18n
from tui.text.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "tui" / "locale"
TRANSLATED = [lang for lang in i18n.LANGS if lang != "en"]
KEYWORDS = {"N_": None, "Nn_": (1, 2), "C_": ((1, "c"), 2)}  # babel.cfg's -k N_ -k Nn_:1,2 -k C_:1c,2


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "backprop-tui.po"


def read(lang: str):
    with open(po_path(lang), "rb") as f:
        return read_po(f)


def placeholders(text: str) -> list[str]:
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})


def msgid(key: str) -> tuple[str | None, str | tuple[str, str]]:
    m = MESSAGES[key]
    return m.context, (m.text if m.plural is None else (m.text, m.plural))


def test_the_languages_are_english_and_every_catalog_the_notes_language_first():
    assert i18n.LANGS == ("en", "pt", "es")
    assert sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "backprop-tui.mo").is_file()) == ["es", "pt"]


def test_a_new_catalog_is_a_new_language(tmp_path):
    """Adding a language is adding its compiled catalog: LANGS picks up a folder with a .mo."""
    for lang in ("pt", "es"):
        shutil.copytree(LOCALE / lang, tmp_path / lang)
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "backprop-tui.mo").write_bytes(
        (LOCALE / "es" / "LC_MESSAGES" / "backprop-tui.mo").read_bytes()
    )
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)  # a .po not compiled yet is not a language
    assert i18n._catalogs_found(str(tmp_path)) == ("pt", "es", "fr")
    assert i18n._catalogs_found(str(tmp_path / "missing")) == ()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_is_complete_and_nothing_is_fuzzy(lang):
    catalog = read(lang)
    assert not catalog.fuzzy, "the header is marked fuzzy: pybabel compile would skip the catalog"
    entries = {(m.context, m.id): m for m in catalog if m.id}
    assert set(entries) == {msgid(key) for key in MESSAGES}, "run pybabel update (DESIGN §9)"
    for m in entries.values():
        assert not m.fuzzy, m.id
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(form.strip() for form in forms), m.id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_plural_forms_are_right_for_each_language(lang):
    catalog = read(lang)
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"  # 1 alone is singular: 0 épocas, 1 época
    for m in catalog:
        if m.id and isinstance(m.id, tuple):
            assert len(m.string) == catalog.num_plurals, m.id
    for n, form in ((0, 1), (1, 0), (2, 1), (21, 1)):
        assert i18n.tn("n_epochs", n, lang) == i18n.template("n_epochs", lang, 2 if form else 1).format(n=n)


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_translation_has_the_english_placeholders(lang, key):
    m = MESSAGES[key]
    if m.plural is None:
        assert placeholders(i18n.template(key, lang)) == placeholders(m.text)
        return
    one, many = placeholders(m.text), placeholders(m.plural)
    assert placeholders(i18n.template(key, lang, 2)) == many  # the form for most n has all of them
    assert set(placeholders(i18n.template(key, lang, 1))) <= set(one) | set(many)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_committed_mo_is_its_po_compiled(lang):
    """The .mo the app reads cannot drift from its .po: `pybabel compile -d tui/locale -D backprop-tui`."""
    compiled = io.BytesIO()
    write_mo(compiled, read(lang))
    committed = (LOCALE / lang / "LC_MESSAGES" / "backprop-tui.mo").read_bytes()
    assert committed == compiled.getvalue(), f"recompile: pybabel compile -d tui/locale -D backprop-tui ({lang})"


def test_babel_extracts_exactly_the_messages():
    """The message ids as Babel extracts them (babel.cfg's keywords) are MESSAGES, and the committed
    template holds the same ones."""
    extracted = set()
    for _, text, _, context in extract_from_file("python", str(ROOT / "tui" / "text" / "messages.py"), KEYWORDS):
        extracted.add((context, text))
    assert extracted == {msgid(key) for key in MESSAGES}
    with open(LOCALE / "backprop-tui.pot", "rb") as f:
        assert {(m.context, m.id) for m in read_po(f) if m.id} == extracted


def test_a_text_shared_by_two_keys_is_translated_the_same_unless_it_has_a_context():
    by_id: dict = {}
    for key in MESSAGES:
        by_id.setdefault(msgid(key), []).append(key)
    for keys in by_id.values():
        for lang in TRANSLATED:
            assert len({i18n.template(k, lang, None if MESSAGES[k].plural is None else 2) for k in keys}) == 1
    assert i18n.t("update", "pt") == "atualização" and i18n.t("ui_key_update", "pt") == "atualizar"


def test_t_fills_placeholders_and_falls_back_to_english():
    assert i18n.t("diverged", "en", epoch=7) == "diverged at epoch 7"
    assert i18n.t("diverged", "pt", epoch=7) == "divergiu na época 7"
    assert i18n.t("diverged", "es", epoch=7) == "divergió en la época 7"
    assert i18n.t("diverged", "fr", epoch=7) == "diverged at epoch 7"
    with pytest.raises(KeyError):
        i18n.t("no such key", "en")


def test_a_count_is_said_only_with_tn_and_a_text_only_with_t():
    with pytest.raises(TypeError, match="tn"):
        i18n.t("n_epochs", "en", n=1)
    with pytest.raises(TypeError, match="not a count"):
        i18n.tn("diverged", 2, "en", epoch=1)


@pytest.mark.parametrize(
    "key, n, en, pt, es",
    [
        (
            "target_range_more",
            1,
            " (1 more target outside it)",
            " (mais 1 alvo fora dele)",
            " (1 objetivo más fuera de él)",
        ),
        (
            "target_range_more",
            3,
            " (3 more targets outside it)",
            " (mais 3 alvos fora dele)",
            " (3 objetivos más fuera de él)",
        ),
        ("n_samples", 1, "1 sample", "1 exemplo", "1 muestra"),
        ("n_samples", 0, "0 samples", "0 exemplos", "0 muestras"),
        (
            "cli_batch_mini",
            1,
            "mini-batch gradient descent: one update per 1 sample with its gradient",
            "gradiente descendente em minilotes: uma atualização a cada 1 exemplo com o gradiente dele",
            "descenso de gradiente por minilotes: una actualización cada 1 muestra con su gradiente",
        ),
        (
            "cmp_read_fall",
            1,
            "Fastest fall of L over 1 epoch: x (how much L fell: y).",
            "Queda mais rápida de L em 1 época: x (quanto L caiu: y).",
            "Caída más rápida de L en 1 época: x (cuánto cayó L: y).",
        ),
    ],
)
def test_counts_agree_with_their_number_in_every_language(key, n, en, pt, es):
    values = {"size": n, "epochs": n, "names": "x", "values": "y"}
    assert [i18n.tn(key, n, lang, **values) for lang in ("en", "pt", "es")] == [en, pt, es]


def test_the_activations_are_named_in_each_language():
    assert [i18n.act_name(a, "es") for a in ("sigmoid", "tanh", "relu", "step", "linear")] == [
        "sigmoide",
        "tanh",
        "ReLU",
        "escalón",
        "lineal",
    ]
    assert i18n.act_name("no-such", "es") == "no-such"


def test_the_portuguese_strings_are_those_of_the_table_before_gettext():
    """A check of the move to gettext: every key of the old tables (ac940a4, read from git) says the
    same in Portuguese and English now, counts in both forms. Skipped outside a git checkout."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", "ac940a4:tui/text/i18n.py"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("no git history here")
    old: dict = {}
    exec(compile(source, "old_i18n.py", "exec"), old)
    strings, acts = old["STRINGS"], old["ACTIVATION_NAMES"]
    merged = {
        "depth_dead_one": ("depth_dead", 1),
        "depth_dead_many": ("depth_dead", 2),
        "depth_unit": ("depth_unit", 1),
        "depth_units": ("depth_unit", 2),
        "cmp_read_dead": ("cmp_read_dead", 1),
        "cmp_read_dead_all": ("cmp_read_dead", 2),
    }
    # n = 1 of these said "1 epochs" before (the plural bugs): their old text is the form for n ≠ 1
    new_singular = {"cli_batch_mini", "cli_batch_short", "cmp_read_fall", "surface_text_model"}
    checked = 0
    for lang in ("en", "pt"):
        for key, text in strings[lang].items():
            if key in merged:
                now = i18n.template(merged[key][0], lang, merged[key][1])
            elif key.endswith("_n") and key[:-2] in MESSAGES:
                now = i18n.template(key[:-2], lang, 2)
            elif MESSAGES[key].plural is not None:
                now = i18n.template(key, lang, 2 if key in new_singular else 1)
            else:
                now = i18n.template(key, lang)
            if key == "cmp_read_stalled":  # its percentages now carry their sign, "{share} %" is "{share}"
                text = text.replace(" %", "")
            if key == "ui_help_l":  # l's line names every catalog's language now, each in its own name
                text, now = text.split(":")[0], now.split(":")[0]
                assert i18n.t(key, lang, languages=i18n.language_names()).endswith(": English / Português / Español")
            assert now == text, (lang, key)
            checked += 1
        for name, shown in acts[lang].items():
            assert i18n.act_name(name, lang) == shown
    assert checked == 2 * len(strings["en"])


def test_english_reads_no_catalog_and_a_language_reads_its_own_once():
    code = (
        "from tui.text import i18n, keys\n"
        "import tui.app.app\n"  # its bindings, built when it is imported (start-up)
        "i18n.t('ui_title', 'en'); i18n.tn('n_epochs', 2, 'en'); keys.label('ui_help_f', 'en')\n"
        "assert i18n.catalog.cache_info().currsize == 0, i18n.catalog.cache_info()\n"
        "i18n.t('ui_title', 'es'); i18n.t('ui_help_f', 'es')\n"
        "info = i18n.catalog.cache_info()\n"
        "assert (info.currsize, info.misses) == (1, 1), info\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_an_unreadable_catalog_shows_english(tmp_path, monkeypatch):
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "es" / "LC_MESSAGES" / "backprop-tui.mo").write_bytes(b"not a catalog")
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(tmp_path))
    i18n.catalog.cache_clear()
    try:
        assert i18n.t("diverged", "es", epoch=2) == "diverged at epoch 2"
    finally:
        monkeypatch.undo()
        i18n.catalog.cache_clear()
    assert i18n.t("diverged", "es", epoch=2) == "divergió en la época 2"


@pytest.mark.parametrize(
    "env, lang",
    [
        ({}, "en"),
        ({"LANG": "pt_BR.UTF-8"}, "pt"),
        ({"LANG": "pt_PT"}, "pt"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es_AR"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),  # LC_ALL wins
        ({"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US"}, "pt"),
        ({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "pt_BR"}, "es"),  # LC_MESSAGES before LANG
        ({"LC_ALL": "pt_BR", "LC_MESSAGES": "es_ES"}, "pt"),  # LC_ALL before LC_MESSAGES
        ({"LC_ALL": "", "LANG": "pt_BR"}, "pt"),  # an empty variable is not set
        ({"LANG": "C"}, "en"),
        # LANGUAGE comes first, its first language with a catalog winning
        ({"LANGUAGE": "es:pt", "LANG": "pt_BR.UTF-8"}, "es"),
        ({"LANGUAGE": "fr:pt_BR:es", "LANG": "en_US.UTF-8"}, "pt"),
        ({"LANGUAGE": "en:pt", "LANG": "pt_BR.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:de", "LANG": "es_ES.UTF-8"}, "es"),  # none available: the locale's
        ({"LANGUAGE": "", "LANG": "es_ES.UTF-8"}, "es"),
        # ... but not when the locale is C or POSIX (or unset), as GNU gettext does
        ({"LANGUAGE": "pt", "LANG": "C"}, "en"),
        ({"LANGUAGE": "pt", "LC_ALL": "POSIX", "LANG": "es_ES"}, "en"),
        ({"LANGUAGE": "es", "LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "es"}, "en"),
    ],
)
def test_detect_lang(env, lang):
    assert i18n.detect_lang(env) == lang


def test_the_package_runs_without_babel():
    """Only the tests and the catalog tools use Babel: the package does not import it."""
    code = "import sys, tui.main, tui.text.i18n as i; i.t('ui_title', 'es'); assert 'babel' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60, env=os.environ | {"LANGUAGE": ""})
