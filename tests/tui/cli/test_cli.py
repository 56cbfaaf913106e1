"""The command line of DESIGN §6: most cases in-process (fast), a handful as real processes."""

import json
import os
import sys
import types

import numpy as np
import pytest

from engine import presets, training
from engine.model import random_params
from tui import main as cli
from tui.cli import interactive
from tui.text import fmt


@pytest.fixture(autouse=True)
def english(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)


# --- trace ---------------------------------------------------------------------------------


def results(out: str) -> dict[str, str]:
    """The trace text's equations, left side → result as written (a long one continues on the
    next line at a "=")."""
    lines: list[str] = []
    for line in out.splitlines():
        if line.startswith("        ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    found = {}
    for line in lines:
        if line.startswith("    ") and (" = " in line or " ← " in line) and not line.startswith("     "):
            lhs = line.strip().split(" = ")[0].split(" ← ")[0]
            found.setdefault(lhs, line.split("  ← ")[0].rsplit(" ", 1)[-1])
    return found


def test_trace_prints_the_notes_numbers(run_main):
    code, out, err = run_main("trace")
    assert code == 0 and err == ""
    got = results(out)
    for sym, value in (
        ("z₁⁽¹⁾", "0.3825"),
        ("z₂⁽¹⁾", "0.3900"),
        ("a₁⁽¹⁾", "0.5945"),
        ("a₂⁽¹⁾", "0.5963"),
        ("z⁽²⁾", "1.1061"),
        ("ŷ", "0.7514"),
        ("Lᵢ", "0.2748"),
        ("δ⁽²⁾", "0.1385"),
        ("δ₁⁽¹⁾", "0.0134"),
        ("δ₂⁽¹⁾", "0.0150"),
        ("∂L/∂w₁₁⁽²⁾", "0.0823"),
        ("∂L/∂w₂₁⁽¹⁾", "0.001335"),
        ("w₂₁⁽¹⁾", "0.2493"),
        ("b⁽²⁾", "0.5308"),
    ):
        assert got.get(sym) == value, sym
    # every equation written out, substitution and all, in the notes' order
    assert "    z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾ = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825\n" in out
    assert "    w₂₁⁽¹⁾ ← w₂₁⁽¹⁾ − η ∂L/∂w₂₁⁽¹⁾ = 0.25 − 0.50·0.001335 = 0.2493\n" in out
    assert "= 0.2411  ← notes 0.2410 (ex. 3)\n" in out
    assert out.index("0.3825") < out.index("0.7514") < out.index("0.1385")


def test_trace_follows_lang_and_decimal_comma(run_main):
    code, out, _ = run_main("trace", "--lang", "pt", "--decimal-comma")
    assert code == 0
    assert "Época 1, exemplo 1" in out and "propagação direta" in out and results(out)["z₁⁽¹⁾"] == "0,3825"
    assert "x = (0,0500; 0,1000)" in out and "= 0,15·0,05 + 0,25·0,10 + 0,35 = 0,3825" in out
    assert "← notas 0,2410 (ex. 3)" in out


def test_lang_defaults_from_the_environment(run_main, monkeypatch):
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    _, out, _ = run_main("trace")
    assert "propagação reversa" in out


def test_trace_json(run_main):
    code, out, err = run_main("trace", "--preset", "xor", "--steps", "5", "--format", "json")
    assert code == 0 and err == ""
    steps = json.loads(out)["steps"]
    assert len(steps) == 5 and (steps[4]["epoch"], steps[4]["sample"]) == (2, 1)
    assert steps[0]["params"] == presets.load("xor").params.as_dict()


@pytest.mark.parametrize("fmt, marker", [("markdown", "- $z_1^{(1)} = "), ("latex", "\\begin{align*}")])
def test_trace_transcripts(run_main, fmt, marker):
    code, out, _ = run_main("trace", "--format", fmt)
    assert code == 0 and marker in out and "0.3825" in out


def test_trace_markdown_in_portuguese(run_main):
    _, out, _ = run_main("trace", "--format", "markdown", "--lang", "pt")
    assert "# Backpropagation passo a passo" in out and "### Propagação direta" in out
    assert "taxa de aprendizado $\\eta = 0.5000$" in out


# --- train ---------------------------------------------------------------------------------


def test_train_json_is_the_loss_history_and_final_params(run_main):
    code, out, err = run_main("train", "--preset", "xor", "--epochs", "50", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    res = training.train(presets.load("xor"), 50)
    assert doc["loss"] == res.losses.tolist() and len(doc["loss"]) == 51
    assert doc["params"] == res.params.as_dict()


def test_train_csv_and_text(run_main):
    _, out, _ = run_main("train", "--epochs", "2", "--format", "csv")
    assert out.splitlines()[0] == "epoch,loss" and out.splitlines()[2].startswith("1,0.2580")
    code, out, _ = run_main("train", "--preset", "and", "--epochs", "100")
    assert code == 0 and "and: 4 samples, 100 epochs" in out and "parameters after epoch 100" in out
    assert "w₂₁⁽¹⁾ = " in out


def test_train_shuffle_is_reproducible_and_differs_from_file_order(run_main):
    args = ("train", "--preset", "xor", "--epochs", "30", "--format", "json", "--shuffle")
    a = json.loads(run_main(*args)[1])
    b = json.loads(run_main(*args)[1])
    c = json.loads(run_main(*args, "--seed", "5")[1])
    plain = json.loads(run_main(*args[:-1])[1])
    assert a == b and a["loss"][0] == plain["loss"][0] and a["loss"] != plain["loss"]
    assert c["loss"][0] != a["loss"][0]  # --seed 5 draws other xor weights


def test_train_divergence(run_main):
    code, out, err = run_main(
        "train",
        "--preset",
        "xor",
        "--activation",
        "relu",
        "--output-activation",
        "linear",
        "--lr",
        "50",
        "--epochs",
        "100",
        "--format",
        "json",
    )
    res = training.train(presets.load("xor").with_(hidden="relu", output="linear", lr=50.0), 100)
    assert res.diverged
    assert code == 1
    assert err.strip() == f"backprop-tui: diverged at epoch {res.diverged_at}"
    doc = json.loads(out)  # what was computed is kept
    assert doc["loss"] == res.losses.tolist() and len(doc["loss"]) == res.diverged_at
    assert all(np.isfinite(doc["loss"]))


def test_trace_stops_at_the_end_of_the_epoch_whose_loss_is_not_finite(run_main, tmp_path):
    """training.diverged: the epoch k whose data-set loss L_k is first not finite, as `train` says."""
    model = tmp_path / "linear.toml"
    model.write_text('output_activation = "linear"\nlearning_rate = 5\n[data]\nx = [[10, 10], [5, -5]]\ny = [100, 3]\n')
    code, out, err = run_main("trace", "--config", str(model), "--steps", "400", "--format", "json")
    steps = json.loads(out)["steps"]
    assert code == 1 and 1 < len(steps) < 400
    k = steps[-1]["epoch"]
    assert err.strip() == f"backprop-tui: diverged at epoch {k}" and steps[-1]["sample"] == 2 and len(steps) == 2 * k
    code, out, err = run_main("train", "--config", str(model), "--epochs", "400", "--format", "json")
    assert code == 1 and err.strip() == f"backprop-tui: diverged at epoch {k}"
    # the params the trace's epoch k − 1 ended with are train's last finite ones (its fast path takes e^x from
    # libm, the trace from NumPy: to rounding, docs/NUMERICS.md)
    trained = json.loads(out)["params"]
    for name, value in steps[-3]["params_after"].items():
        assert np.array(value) == pytest.approx(np.array(trained[name]), rel=1e-9), name


def test_divergence_in_portuguese_keeps_the_english_words(run_main):
    code, _, err = run_main(
        "train",
        "--preset",
        "xor",
        "--activation",
        "relu",
        "--output-activation",
        "linear",
        "--lr",
        "50",
        "--epochs",
        "100",
        "--lang",
        "pt",
    )
    assert code == 1 and "divergiu na época" in err and "diverged at epoch" in err


# --- overrides, gradcheck, presets ----------------------------------------------------------


def test_overrides(run_main, tmp_path):
    _, out, _ = run_main(
        "trace", "--format", "json", "--lr", "0.1", "--activation", "tanh", "--output-activation", "linear"
    )
    step = json.loads(out)["steps"][0]
    assert np.isclose(step["z1"][0], 0.3825) and np.isclose(step["a1"][0], np.tanh(step["z1"][0]), rtol=1e-15)
    assert step["yhat"] == step["z2"]  # linear output
    b2 = step["params"]["b2"][0] - 0.1 * step["grads"]["b2"][0]
    assert step["params_after"]["b2"] == [b2]  # η = 0.1
    # --seed re-draws the weights of a truth-table preset, and keeps explicit ones
    xor7 = json.loads(run_main("trace", "--preset", "xor", "--seed", "7", "--format", "json")[1])["steps"][0]
    assert xor7["params"] == random_params(7).as_dict()
    lec7 = json.loads(run_main("trace", "--seed", "7", "--format", "json")[1])["steps"][0]
    assert lec7["params"] == presets.load("lecture").params.as_dict()
    model = tmp_path / "m.toml"
    model.write_text("learning_rate = 0.25\n[data]\nx = [[1.0, 0.0]]\ny = [1.0]\n")
    cfg = json.loads(run_main("trace", "--config", str(model), "--seed", "3", "--format", "json")[1])["steps"][0]
    assert cfg["params"] == random_params(3).as_dict() and cfg["x"] == [1.0, 0.0]


def test_gradcheck(run_main):
    code, out, err = run_main("gradcheck")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("gradient check: central differences, h = 1.0e−05")
    row = next(line for line in lines if line.startswith("w₂₁⁽¹⁾"))
    assert "+1.335466862e−03" in row  # ∂L/∂w21^(1) = x2 δ1^(1)
    assert fmt.parse_number(lines[-1].split(": ")[1]) < 1e-6
    code, out, _ = run_main("gradcheck", "--preset", "xor", "--format", "json", "--method", "forward")
    doc = json.loads(out)
    assert doc["method"] == "forward" and len(doc["rows"]) == 9 and doc["rows"][0]["parameter"] == ["W1", 1, 1]


def test_presets_listing(run_main):
    code, out, _ = run_main("presets")
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == ["lecture", "xor", "and", "or", "nand"]
    assert "(default)" in lines[0]
    _, out, _ = run_main("presets", "--lang", "pt")
    assert "tabela-verdade do XOR" in out


# --- bad input: exit 2, one line naming the field, nothing on stdout --------------------------

BAD_ARGS = [
    (["trace", "--lr", "0"], "--lr", "> 0"),
    (["trace", "--lr", "-1"], "--lr", "> 0"),
    (["trace", "--lr", "nan"], "--lr", "> 0"),
    (["trace", "--lr", "fast"], "--lr", "> 0"),
    (["trace", "--steps", "0"], "--steps", "≥ 1"),
    (["trace", "--steps", "two"], "--steps", "≥ 1"),
    (["trace", "--format", "pdf"], "--format", "invalid choice"),
    (["trace", "--preset", "xnor"], "--preset", "invalid choice"),
    (["trace", "--activation", "linear"], "--activation", "invalid choice"),
    (["trace", "--output-activation", "softmax"], "--output-activation", "invalid choice"),
    (["trace", "--seed", "-3"], "--seed", "from 0 to 4294967295"),
    (["sweep", "--seed", "9223372036854775807", "--nets", "5"], "--seed", "from 0 to 4294967295"),
    (["trace", "--preset", "xor", "--config", "m.toml"], "--config", "not allowed with argument --preset"),
    (["trace", "--bogus"], "unrecognized arguments: --bogus", ""),
    (["train"], "--epochs", "required"),
    (["train", "--epochs", "0"], "--epochs", "≥ 1"),
    (["train", "--epochs", "10", "--format", "xml"], "--format", "invalid choice"),
    (["gradcheck", "--h", "0"], "--h", "> 0"),
    (["presets", "--lang", "fr"], "--lang", "invalid choice"),
    (["--lang", "de"], "--lang", "invalid choice"),
    (["--target-loss", "-1"], "--target-loss", "> 0"),
    (["--max-epochs", "0"], "--max-epochs", "≥ 1"),
    (["trace", "--config", "/nonexistent/model.toml"], "/nonexistent/model.toml", "cannot read the file"),
]


@pytest.mark.parametrize("argv, field, expected", BAD_ARGS)
def test_bad_arguments(run_main, argv, field, expected):
    code, out, err = run_main(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("backprop-tui")
    assert field in err and expected in err


BAD_FILES = [
    ("learning_rate = 0\n[data]\nx = [[0.0, 1.0]]\ny = [1.0]\n", "learning_rate"),
    ("[data]\nx = [[0.0, 1.0]]\ny = [1.0, 2.0]\n", "data.y"),
    ("[data]\nx = []\ny = []\n", "data.x"),
    ('activation = "softplus"\n[data]\nx = [[0.0, 1.0]]\ny = [1.0]\n', "activation"),
    ("[weights]\nW1 = [[1.0, 2.0]]\n[data]\nx = [[0.0, 1.0]]\ny = [1.0]\n", "weights.W1"),
    ("[data]\nx = [[0.0, inf]]\ny = [1.0]\n", "data.x[0][1]"),
    ("[data\nx = 1", "not valid TOML"),
    ("speed = 3\n[data]\nx = [[0.0, 1.0]]\ny = [1.0]\n", "speed"),
]


@pytest.mark.parametrize("command", [["trace"], ["train", "--epochs", "1"], ["gradcheck"], []])
@pytest.mark.parametrize("text, field", BAD_FILES)
def test_bad_model_files(run_main, tmp_path, command, text, field):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, out, err = run_main(*command, "--config", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{path}: " in err and field in err


# --- the interactive path -------------------------------------------------------------------


def test_bare_command_hands_the_model_and_options_to_the_app(capsys, monkeypatch):
    seen = {}

    def fake_run(model, args, script):
        seen.update(model=model, args=args, script=script)
        return 0

    monkeypatch.setitem(sys.modules, "tui.app.app", types.SimpleNamespace(run=fake_run))
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    code = cli.main(
        [
            "--preset",
            "xor",
            "--lr",
            "0.2",
            "--theme",
            "textual-light",
            "--no-mouse",
            "--target-loss",
            "0.01",
            "--max-epochs",
            "500",
            "--decimal-comma",
            "--keys",
            "f f b",
        ]
    )
    assert code == 0
    model, args = seen["model"], seen["args"]
    assert model.name == "xor" and model.lr == 0.2
    assert (args.lang, args.theme, args.no_mouse, args.target_loss, args.max_epochs, args.decimal_comma) == (
        "pt",
        "textual-light",
        True,
        0.01,
        500,
        True,
    )
    assert seen["script"].keys == ("f", "f", "b")  # parsed once, here: the app does not read it again


def test_bare_command_without_a_usable_app_says_so_in_one_line(run_main, monkeypatch):
    monkeypatch.setitem(sys.modules, "tui.app.app", None)  # as if Textual (or the app) could not be imported
    code, out, err = run_main()
    assert code == 1 and out == "" and err.count("\n") == 1 and "cannot start the interactive app" in err


def test_interactive_parser_can_be_extended():
    p = interactive.parser()
    p.add_argument("--probe-option-for-this-test", action="store_true")
    assert p.parse_args(["--probe-option-for-this-test"]).probe_option_for_this_test is True


# --- real processes: exit codes, stderr, no traceback, no Textual ---------------------------


@pytest.fixture
def process(run_tui):
    """`python -m tui ARGV…` in English: LANG set, LC_ALL and LC_MESSAGES unset by `english`."""
    return lambda *argv: run_tui(*argv, env={**os.environ, "LANG": "en_US.UTF-8"})


def test_headless_commands_do_not_import_textual(run_python):
    code = (
        "import sys, io, contextlib\n"
        "from tui.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for argv in (['trace'], ['trace', '--format', 'latex'], ['train', '--epochs', '3'],\n"
        "                 ['gradcheck'], ['presets']):\n"
        "        assert main(argv) == 0, argv\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext'))\n"
        "print(bad)\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["trace", "--config", "/no/such/model.toml"], "/no/such/model.toml: cannot read the file"),
        (["train", "--epochs", "5", "--lr", "0"], "argument --lr: expected a number > 0"),
        (["train", "--epochs", "many"], "argument --epochs"),
    ],
)
def test_bad_input_in_a_real_process(argv, needle, process):
    done = process(*argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and needle in done.stderr and "Traceback" not in done.stderr


def test_bad_model_file_in_a_real_process(tmp_path, process):
    path = tmp_path / "model.toml"
    path.write_text("[data]\nx = [[0.0, 1.0], [1.0, 1.0]]\ny = [1.0]\n")
    done = process("gradcheck", "--config", str(path))
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr == f"backprop-tui: error: {path}: data.y: expected one target per row of data.x (2), got 1\n"


def test_trace_in_a_real_process(process):
    done = process("trace")
    assert done.returncode == 0 and done.stderr == ""
    got = results(done.stdout)
    assert (got["z₁⁽¹⁾"], got["ŷ"], got["δ⁽²⁾"]) == ("0.3825", "0.7514", "0.1385")
