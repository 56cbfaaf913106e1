"""Interface strings in the language chosen, through gettext (DESIGN §8).

The English texts are the message ids, in tui/text/messages.py (`MESSAGES`, one key per text); each
other language is a catalog, tui/locale/<lang>/LC_MESSAGES/backprop-tui.po, compiled to the .mo next to
it. `t(key, lang, **values)` is the language's translation of the key's text with its {placeholders}
filled in; `tn(key, n, lang, **values)` the form for the count n, by the catalog's plural rule
(ngettext). A catalog is read with the standard library's gettext only when its language is first
used, and kept; English needs none.

LANGS is English and every language with a compiled catalog in tui/locale: adding a language is
adding its .po and .mo, no code (DESIGN §9).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from tui.text.messages import MESSAGES, Message

if TYPE_CHECKING:  # the gettext module is imported when a catalog is first read
    from gettext import NullTranslations

DOMAIN = "backprop-tui"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")
SOURCE = "en"  # the language of the message ids
NOTES = "pt"  # the language of the lecture notes: second in LANGS, after the message ids'


def _catalogs_found(folder: str = LOCALE_DIR) -> tuple[str, ...]:
    """The languages with a compiled catalog in `folder`: the notes' language first, then by name."""
    try:
        names = os.listdir(folder)
    except OSError:
        return ()
    found = [
        name
        for name in names
        if name != SOURCE and os.path.isfile(os.path.join(folder, name, "LC_MESSAGES", DOMAIN + ".mo"))
    ]
    return tuple(sorted(found, key=lambda name: (name != NOTES, name)))


# English first, then the notes' language, then every other catalog: the order `l` cycles in.
LANGS: tuple[str, ...] = (SOURCE,) + _catalogs_found()


@cache
def catalog(lang: str) -> NullTranslations | None:
    """The compiled catalog of `lang`, read once; None for English, an unknown language or a catalog
    that cannot be read (then the English text is shown: never a crash)."""
    if lang == SOURCE or lang not in LANGS:
        return None
    import gettext  # lazy: nothing of it is needed until a language other than English is first used

    try:
        with open(os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + ".mo"), "rb") as f:
            return gettext.GNUTranslations(f)
    except (OSError, ValueError, SyntaxError, UnicodeError):
        return None


def template(key: str, lang: str = SOURCE, n: int | None = None) -> str:
    """The text of `key` in `lang`, its placeholders unfilled; for a count (Nn_) the form for n.
    An unknown key raises KeyError."""
    m: Message = MESSAGES[key]
    if (m.plural is None) != (n is None):
        raise TypeError(
            f"{key!r} is {'not ' if m.plural is None else ''}a count: use {'t' if m.plural is None else 'tn'}()"
        )
    cat = None if lang == SOURCE else catalog(lang)
    if m.plural is None:
        if cat is None:
            return m.text
        return cat.pgettext(m.context, m.text) if m.context else cat.gettext(m.text)
    assert n is not None
    if cat is None:
        return m.text if n == 1 else m.plural
    return cat.npgettext(m.context, m.text, m.plural, n) if m.context else cat.ngettext(m.text, m.plural, n)


def t(key: str, lang: str = SOURCE, **values: object) -> str:
    """The text of `key` in `lang` with `values` filled in as its {placeholders}."""
    text = template(key, lang)
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str = SOURCE, **values: object) -> str:
    """The form of the count `key` for n in `lang` (ngettext), with n filled in as {n} besides `values`."""
    return template(key, lang, n).format(**({"n": n} | values))


def language_names() -> str:
    """Every language of LANGS in its own name (each catalog's lang_name): English / Português / Español;
    the help's and the palette's line for `l`."""
    return " / ".join(t("lang_name", lang) for lang in LANGS)


def act_name(name: str, lang: str = SOURCE) -> str:
    """The activation `name` (a machine name: sigmoid, tanh, relu, step, linear) as shown in `lang`:
    the notes write "sigmoide" in Portuguese; an unknown name is shown as it is."""
    return t("act_" + name, lang) if "act_" + name in MESSAGES else name


def mode_name(batch, m: int, lang: str = SOURCE) -> str:
    """A descent mode in words: per-sample (None), full batch ("full", or N ≥ m), mini-batch N."""
    if batch is None:
        return t("ui_batch_per_sample", lang)
    if batch == "full" or int(batch) >= m:
        return t("ui_batch_full", lang)
    return t("ui_batch_mini", lang, size=int(batch))


def _language(value: str) -> str:
    """The language part of a locale name: pt_BR.UTF-8 → pt, es-ES → es, C.UTF-8 → c."""
    return value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language of the environment, as GNU gettext picks it (DESIGN §8): the locale is the first
    of LC_ALL, LC_MESSAGES and LANG that is set (not empty); unless it is C or POSIX (or none is set),
    LANGUAGE, a list separated by colons, comes first, its first language in LANGS winning; then the
    locale's language if in LANGS; else English."""
    env = os.environ if environ is None else environ
    locale = next((env[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(var)), "")
    plain = _language(locale) in ("", "c", "posix")
    for value in ([] if plain else env.get("LANGUAGE", "").split(":")) + [locale]:
        if value and _language(value) in LANGS:
            return _language(value)
    return SOURCE
