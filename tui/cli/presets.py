"""`backprop-tui presets`: the built-in models, one line each."""

from __future__ import annotations

import argparse

from engine import presets
from tui.cli.common import Parser
from tui.host.output import PROG, emit
from tui.text.i18n import LANGS, detect_lang, t


def parser() -> Parser:
    p = Parser(prog=f"{PROG} presets", description="List the built-in models.")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default=detect_lang(),
        help="language of the list (default from"
        " LANGUAGE, LC_ALL, LC_MESSAGES or LANG: pt_BR → pt, es_ES → es, else en)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    width = max(map(len, presets.PRESETS))
    for name in presets.PRESETS:
        default = f" ({t('cli_default', args.lang)})" if name == "lecture" else ""
        emit(f"{name:<{width}}  {t('preset_' + name, args.lang)}{default}\n")
    return 0
