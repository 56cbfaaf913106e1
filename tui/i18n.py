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
        # command line (tui/cli.py) and transcripts (engine/export.py labels)
        "cli_trace_title": "Backpropagation, step by step",
        "cli_setup": "2–2–1 network, hidden activation {hidden}, output activation {output}, learning rate {eta} = {lr}",
        "cli_step": "Epoch {epoch}, sample {sample}",
        "cli_gradients": "gradients",
        "cli_parameters": "parameters",
        "cli_params_after": "parameters after the update",
        "cli_train_header": "{name}: {m} samples, {epochs} epochs",
        "cli_params_final": "parameters after epoch {epoch}",
        "cli_parameter": "parameter",
        "cli_analytic": "analytic",
        "cli_numeric": "numeric",
        "cli_rel_error": "relative error",
        "cli_gradcheck_central": "gradient check: central differences, h = {h}, mean loss over the data set (m = {m})",
        "cli_gradcheck_forward": "gradient check: forward differences, h = {h}, mean loss over the data set (m = {m})",
        "cli_gradcheck_max": "largest relative error: {value}",
        "cli_default": "default",
        "cli_app_missing": "the interactive app is not available in this version; try: backprop-tui trace, train, gradcheck or presets",
        "preset_lecture": "the notes' worked example (exercise 2): one sample, η = 0.5",
        "preset_xor": "XOR truth table, 4 samples",
        "preset_and": "AND truth table, 4 samples",
        "preset_or": "OR truth table, 4 samples",
        "preset_nand": "NAND truth table, 4 samples",
        # backprop-tui sweep (tui/sweep_cmd.py)
        "cli_sweep_title": "sweep: {name}, {nets} networks × {epochs} epochs, per-sample gradient descent (§2.9)",
        "cli_sweep_setup": "output activation {output}, {eta} = {lr}; the same starting points for each hidden one",
        "cli_sweep_seeds": "network n starts from small random weights drawn with seed {first} + n (seeds {first} … {last})",
        "cli_sweep_rule": "converged: final data-set loss L < {threshold}; diverged: L or a weight not finite",
        "cli_sweep_hidden": "hidden",
        "cli_sweep_converged": "converged",
        "cli_sweep_diverged": "diverged",
        "cli_sweep_median": "median L",
        "cli_sweep_hist": "hidden {hidden}: how many of the {count} finite networks end with each log₁₀ L",
        "cli_sweep_all_diverged": "hidden {hidden}: every network diverged, no histogram",
        "cli_sweep_both": "use --activation or --activations, not both",
        "cli_sweep_bad_list": "expected hidden activations separated by commas, from {choices}, got '{text}'",
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
        # linha de comando (tui/cli.py) e transcrições (rótulos de engine/export.py)
        "cli_trace_title": "Backpropagation passo a passo",
        "cli_setup": "rede 2–2–1, ativação oculta {hidden}, ativação de saída {output}, taxa de aprendizado {eta} = {lr}",
        "cli_step": "Época {epoch}, exemplo {sample}",
        "cli_gradients": "gradientes",
        "cli_parameters": "parâmetros",
        "cli_params_after": "parâmetros após a atualização",
        "cli_train_header": "{name}: {m} exemplos, {epochs} épocas",
        "cli_params_final": "parâmetros ao fim da época {epoch}",
        "cli_parameter": "parâmetro",
        "cli_analytic": "analítico",
        "cli_numeric": "numérico",
        "cli_rel_error": "erro relativo",
        "cli_gradcheck_central": "verificação do gradiente: diferenças centrais, h = {h}, perda média no conjunto de dados (m = {m})",
        "cli_gradcheck_forward": "verificação do gradiente: diferenças progressivas, h = {h}, perda média no conjunto de dados (m = {m})",
        "cli_gradcheck_max": "maior erro relativo: {value}",
        "cli_default": "padrão",
        "cli_app_missing": "o aplicativo interativo não está disponível nesta versão; use: backprop-tui trace, train, gradcheck ou presets",
        "preset_lecture": "o exemplo resolvido das notas (exercício 2): um exemplo, η = 0,5",
        "preset_xor": "tabela-verdade do XOR, 4 exemplos",
        "preset_and": "tabela-verdade do AND, 4 exemplos",
        "preset_or": "tabela-verdade do OR, 4 exemplos",
        "preset_nand": "tabela-verdade do NAND, 4 exemplos",
        # backprop-tui sweep (tui/sweep_cmd.py)
        "cli_sweep_title": "varredura: {name}, {nets} redes × {epochs} épocas, gradiente descendente por exemplo (§2.9)",
        "cli_sweep_setup": "ativação de saída {output}, {eta} = {lr}; os mesmos pontos de partida para cada ativação oculta",
        "cli_sweep_seeds": "a rede n parte de pequenos pesos aleatórios da semente {first} + n (sementes {first} … {last})",
        "cli_sweep_rule": "convergiu: perda final no conjunto de dados L < {threshold}; divergiu: L ou um peso não finito",
        "cli_sweep_hidden": "oculta",
        "cli_sweep_converged": "convergiram",
        "cli_sweep_diverged": "divergiram",
        "cli_sweep_median": "L mediana",
        "cli_sweep_hist": "oculta {hidden}: quantas das {count} redes finitas terminam com cada log₁₀ L",
        "cli_sweep_all_diverged": "oculta {hidden}: todas as redes divergiram, sem histograma",
        "cli_sweep_both": "use --activation ou --activations, não os dois",
        "cli_sweep_bad_list": "esperadas ativações ocultas separadas por vírgulas, entre {choices}, recebido '{text}'",
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
