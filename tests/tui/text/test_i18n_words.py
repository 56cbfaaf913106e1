"""Issue 19, "Portuguese": the activations under the notes' own names, counts with their singular,
the help's keys in the language chosen, and numbers in the decimal mark chosen."""

import pytest

from engine import deep, presets
from tui.text import depth, i18n
from tui.text.keys import help_rows
from tui.text.messages import MESSAGES


@pytest.mark.parametrize(
    "name, en, pt",
    [
        ("sigmoid", "sigmoid", "sigmoide"),
        ("tanh", "tanh", "tanh"),
        ("relu", "relu", "ReLU"),
        ("linear", "linear", "linear"),
    ],
)
def test_activation_names_as_a_person_reads_them(name, en, pt):
    assert i18n.act_name(name, "en") == en
    assert i18n.act_name(name, "pt") == pt
    assert i18n.act_name("no-such", "pt") == "no-such"  # shown as it is, never a crash


def test_no_key_is_a_hand_made_plural():
    """A count is one Nn_ message (singular and plural, said with tn), never a key_n beside its key
    or a key_one/key_many pair chosen in code."""
    for key in MESSAGES:
        assert not key.endswith(("_n", "_one", "_many")), key


@pytest.mark.parametrize(
    "key, n, en, pt",
    [
        ("target_range_more", 1, " (1 more target outside it)", " (mais 1 alvo fora dele)"),
        ("target_range_more", 2, " (2 more targets outside it)", " (mais 2 alvos fora dele)"),
        ("n_samples", 1, "1 sample", "1 exemplo"),
        ("n_samples", 4, "4 samples", "4 exemplos"),
        ("n_epochs", 1, "1 epoch", "1 época"),
        ("n_epochs", 0, "0 epochs", "0 épocas"),
        ("n_networks", 1, "1 network", "1 rede"),
        ("ui_quiz_decimals", 1, "1 decimal", "1 casa decimal"),
        ("ui_quiz_significant", 1, "1 significant digit", "1 algarismo significativo"),
        ("ui_quiz_revealed", 1, "(1 revealed)", "(1 revelado)"),
        ("ui_pred_all", 1, "the only row", "a única linha"),
        ("ui_pred_all", 4, "all 4 rows", "todas as 4 linhas"),
    ],
)
def test_counts_agree_with_their_number(key, n, en, pt):
    assert i18n.tn(key, n, "en", m=n) == en
    assert i18n.tn(key, n, "pt", m=n) == pt


def test_no_count_reads_one_and_a_plural():
    """Whatever a count string says for n = 1 has none of the plural nouns it uses for n = 2."""
    plurals = {
        "en": ("targets", "samples", "epochs", "networks", "decimals", "digits", "rows", "tabs", "exports", "layers"),
        "pt": (
            "alvos",
            "exemplos",
            "épocas",
            "redes",
            "casas",
            "algarismos",
            "revelados",
            "linhas",
            "abas",
            "exportações",
            "camadas",
        ),
        "es": (
            "objetivos",
            "muestras",
            "épocas",
            "redes",
            "decimales",
            "cifras",
            "reveladas",
            "filas",
            "pestañas",
            "exportaciones",
            "capas",
        ),
    }
    for lang in plurals:
        for key, m in MESSAGES.items():
            if m.plural is not None:
                one = i18n.template(key, lang, 1)
                assert not any(word in one.split() or f"{word}," in one for word in plurals[lang]), (lang, key, one)


def test_predictions_and_surface_counts_never_read_0_of_1_certas():
    assert i18n.t("ui_pred_count", "pt", right=0, m=1, wrong=1) == "certas: 0 de 1 ✓, erradas: 1 ✗"
    assert i18n.t("surface_right_count", "pt", right=1, m=4, half="0,5") == "certos: 1 de 4 em 0,5"


def test_the_notes_rounded_L_agrees_with_o_L():
    text = i18n.t("fd_notes", "pt", printed="0,2", loss="0,2", h="0,1", grad="0,3", exact="0,2")
    assert "a partir de L arredondado para" in text and "o L(θ + h) exato" in text


def test_help_writes_the_space_key_in_portuguese():
    assert ("espaço", "ui_help_space") in help_rows("pt")
    assert ("space", "ui_help_space") in help_rows("en")
    assert not any("space" in key for key, _ in help_rows("pt"))


@pytest.mark.parametrize("comma, bound", [(True, "0,25ⁿ"), (False, "0.25ⁿ")])
def test_the_depth_header_writes_0_25_in_the_decimal_mark_chosen(comma, bound):
    m = presets.lecture()
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "sigmoid", "sigmoid", 3, 0)
    text = depth.text(d, "pt", comma)
    assert bound in text
    assert ("0.25ⁿ" in text) == (not comma)


@pytest.mark.parametrize(
    "k, en, pt",
    [(1, "k = 1 hidden layer of", "k = 1 camada oculta de"), (3, "k = 3 hidden layers of", "k = 3 camadas ocultas de")],
)
def test_the_depth_title_counts_its_layers(k, en, pt):
    m = presets.lecture()
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "sigmoid", "sigmoid", k, 0)
    en_text, pt_text = (" ".join(depth.text(d, lang, lang == "pt").split()) for lang in ("en", "pt"))
    assert en in en_text
    assert pt in pt_text and "oculta sigmoide, saída sigmoide" in pt_text


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("comma", [False, True])
def test_the_depth_legend_writes_0_25_in_the_decimal_mark_chosen_not_the_language_s(lang, comma):
    """--decimal-comma is its own choice: pt with a point and en with a comma write σ' ≤ 0.25 (0,25)
    in the legend as the header and every number do."""
    m = presets.lecture()
    d = deep.depth(m.params, m.X[0], float(m.Y[0]), "sigmoid", "sigmoid", 3, 0)
    text = " ".join(depth.text(d, lang, comma).split())
    wrong, right = ("0.25", "0,25") if comma else ("0,25", "0.25")
    assert wrong not in text
    assert f"σ' ≤ {right}" in text and f"≤ {right}ⁿ" in text
