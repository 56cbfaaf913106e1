"""Interface strings in English and Brazilian Portuguese (the notes' own terms).

`t(key, lang, **values)` looks a key up and fills in `{placeholders}`. Add a key to BOTH tables;
tests/test_i18n.py checks that the two tables have the same keys and placeholders.
"""
from __future__ import annotations

import os
from typing import Mapping

LANGS = ("en", "pt")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "preactivation": "pre-activation",
        "activation": "activation",
        "local_error": "local error",
        "gradient": "gradient",
        "learning_rate": "learning rate",
        "epoch": "epoch",
        "sample": "sample",
        "loss": "loss",
        "forward_pass": "forward pass",
        "backward_pass": "backward pass",
        "update": "update",
        "hidden": "hidden",
        "output": "output",
        "diverged": "diverged at epoch {epoch}",
    },
    "pt": {
        "preactivation": "pré-ativação",
        "activation": "ativação",
        "local_error": "erro local",
        "gradient": "gradiente",
        "learning_rate": "taxa de aprendizado",
        "epoch": "época",
        "sample": "exemplo",
        "loss": "perda",
        "forward_pass": "propagação direta",
        "backward_pass": "propagação reversa",
        "update": "atualização",
        "hidden": "oculta",
        "output": "saída",
        "diverged": "divergiu na época {epoch}",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    table = STRINGS.get(lang, STRINGS["en"])
    text = table.get(key) or STRINGS["en"][key]
    return text.format(**values) if values else text


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """pt when LC_ALL, LC_MESSAGES or LANG (first one set) starts with pt, else en (DESIGN §6)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "pt" if value.lower().startswith("pt") else "en"
    return "en"
