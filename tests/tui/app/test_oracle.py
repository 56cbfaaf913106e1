"""Truth, not only survival, under random keys (issue 18): the key mash with an oracle.

tests/screenoracle.py reads what the screen says after every action of a mash (Explain, Values,
Parameters, Network, the status line, the loss title, the view on top) and what `x` writes, and checks
from the text alone: (a) every substitution computes, with the numbers as written, to the result as
written (≈ only within the rounding of the inputs); (b) one quantity shows one value everywhere at that
moment; (c) what is shown equals a plain NumPy 2–2–1 recomputed from the parameters and the data.

First the oracle itself must be able to fail: it is shown false lines (the η bug's update line, a
wrong σ, two values of ŷ, a z that is not the data's). Then the η scenario of the issue, then mashes of
every key (the key table, Esc, Enter, digits for the dialogs, resizes across 80×24 … 120×40) on models
of every activation and magnitude, in English and in Portuguese with the decimal comma, and presenter
mode. benchmarks/fuzz_keys.py runs the same mashes at length.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

import keymash
import screenoracle as so
import writtenmath as wm
from engine import equations, presets
from engine.stepper import Stepper
from tui.app.app import BackpropApp
from tui.app.replay import replay
from tui.host.script import Script
from tui.text.keys import KEY_TABLE

RANDOM = wm.random_models(24)


# --- the oracle can fail --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "substitution, relation, result",
    [
        ("0.40 − 1.00·0.0823", "≈", "0.3588"),  # the η bug: made with η = 0.5, written with η = 1.00
        ("0.40 − 0.10·0.0823", "≈", "0.3588"),
        ("σ(0.3825)", "=", "0.5946"),  # the notes' slip, not the value
        ("0.15·0.05 + 0.25·0.10 + 0.35", "=", "0.3826"),
        ("½(0.7514 − 0.01)²", "=", "0.2784"),
        ("0,5413·(1 − 0,5413)", "=", "0,2843"),  # decimal comma
    ],
)
def test_the_oracle_flags_false_arithmetic(substitution, relation, result):
    assert so.check_arithmetic(substitution, relation, result) is not None


@pytest.mark.parametrize(
    "substitution, relation, result",
    [
        ("0.40 − 0.50·0.0823", "≈", "0.3588"),  # 0.35885: the inputs' rounding explains the last digit
        ("σ(0.3825)", "=", "0.5945"),
        ("0.15·0.05 + 0.25·0.10 + 0.35", "=", "0.3825"),
        ("½(0.7514 − 0.01)²", "=", "0.2748"),
        ("0,5413·(1 − 0,5413)", "=", "0,2483"),
        ("0.1370·0 + (−0.4590)·0 + 0.3133", "=", "0.3133"),
        ("0 × 0.9079 × 0.1066 × 0.2483 × (0.5413 − 0)", "=", "0"),
        ("1 − 0.3034²", "=", "0.9079"),
        ("[0.3133 > 0]", "=", "1"),
        ("tanh(−0.1523)", "=", "−0.1511"),
    ],
)
def test_the_oracle_passes_honest_arithmetic(substitution, relation, result):
    assert so.check_arithmetic(substitution, relation, result) is None


def test_the_oracle_reads_the_exports_latex():
    line = (
        r"w_{11}^{(2)} \leftarrow w_{11}^{(2)} - \eta\, \frac{\partial L_i}{\partial w_{11}^{(2)}} = "
        r"0.40 - 1.00 \cdot 0.0823 \approx 0.3588"
    )
    problems = []
    so.read_equation(so.from_tex(line), "t.md", so.Seen(), problems)
    assert len(problems) == 1 and "≈ hides a mismatch" in problems[0]
    problems = []
    so.read_equation(
        so.from_tex(r"z = 1.234 \times 10^{-5} \cdot 2 = 2.468 \times 10^{-5}"), "t.md", so.Seen(), problems
    )
    assert problems == []


def test_the_oracle_flags_two_values_of_one_quantity_and_a_value_that_is_not_the_states():
    stepper = Stepper(presets.lecture())
    for _ in range(2):
        stepper.step()  # F2: z, a, z⁽²⁾, ŷ, Lᵢ computed
    seen = so.Seen()
    seen.add("ŷ", "0.7514", "Network")
    seen.add("ŷ", "0.75140", "Values")
    seen.add("z₁⁽¹⁾", "0.3825", "Values")
    assert so.Oracle.consistent(seen) == [] and so.Oracle.true(seen, stepper.snapshot) == []
    seen.add("ŷ", "0.7284", "Explain")  # the ŷ after the update, under the name of the one before
    seen.add("z₂⁽¹⁾", "0.3901", "Network")
    seen.add("δ⁽²⁾", "0.1385", "Values")  # not computed before B2: a stale value
    assert len(so.Oracle.consistent(seen)) == 1
    wrong = so.Oracle.true(seen, stepper.snapshot)
    assert len(wrong) == 3 and any("z₂⁽¹⁾" in w for w in wrong) and any("not computed" in w for w in wrong)


def test_the_oracle_reads_the_numpy_lines_of_P():
    """Under P (exercise 4(a)) Explain writes each NumPy line with its value after a #: the oracle reads
    those values as their symbols' (δ₁⁽¹⁾, ∂L/∂w₂₁⁽¹⁾ …) and checks them like any other."""
    stepper = Stepper(presets.lecture())
    for _ in range(4):
        stepper.step()  # B1
    seen = so.Seen()
    so.read_code_line("delta1 = da1 * fprime1     # δ⁽¹⁾ = [0.0134, 0.0150]", seen)
    so.read_code_line("dW1 = np.outer(x, delta1)  # [[0.000668, 0.000750], [0.001335, 0.001500]]", seen)
    assert seen.values["∂L/∂w₂₁⁽¹⁾"] == [("0.001335", "Explain (NumPy)")] and seen.values["δ₂⁽¹⁾"]
    assert so.Oracle.true(seen, stepper.snapshot) == []
    so.read_code_line("delta1 = da1 * fprime1     # [0.0134, 0.0160]", seen)
    assert len(so.Oracle.consistent(seen)) == 1 and len(so.Oracle.true(seen, stepper.snapshot)) == 1


def test_the_numpy_lines_of_every_micro_step_are_true(tmp_path):
    oracle = run_keys(["P", "f", "f", "b", "b", "u", "f", "P", "a", "P", "space", "space"], tmp_path, size=(80, 24))
    assert oracle.violations == []


def test_the_oracle_counts_right_rows_and_reads_the_t_table():
    model = presets.load("xor").with_(hidden="tanh")  # tanh's ŷ: 0.5413 0.5030 0.5325 0.4939, 3 of 4 right
    s = Stepper(model).snapshot
    assert so.check_right("xor │ epoch 1 │ right 3/4 │ ready", s, "status") == []
    assert len(so.check_right("xor │ epoch 1 │ right 2/4 │ ready", s, "status")) == 1  # sigmoid's count
    table = "3 of 4 right ✓, 1 wrong ✗ · all 4 rows\n\n i  x₁  x₂  y  ŷ\n 1  0  0  0  0.5413  ✗ wrong\n"
    assert so.check_predictions(table, s) == []
    assert len(so.check_predictions(table.replace("0.5413", "0.5605"), s)) == 1


def test_the_recomputation_is_the_notes_worked_example():
    """The oracle's own 2–2–1 gives DESIGN §2's numbers (it is written apart from the engine)."""
    stepper = Stepper(presets.lecture())
    for _ in range(5):
        stepper.step()
    exact = so.truth(stepper.snapshot)
    for sym, text in (
        ("z₁⁽¹⁾", "0.3825"),
        ("a₂⁽¹⁾", "0.5963"),
        ("z⁽²⁾", "1.1061"),
        ("ŷ", "0.7514"),
        ("Lᵢ", "0.2748"),
        ("δ⁽²⁾", "0.1385"),
        ("∂L/∂w₁₁⁽²⁾", "0.0823"),
        ("δ₂⁽¹⁾", "0.0150"),
        ("∂L/∂w₂₁⁽¹⁾", "0.001335"),
        ("w₁₁⁽²⁾", "0.3588"),
        ("b⁽²⁾", "0.5308"),
        ("b₁⁽¹⁾", "0.3433"),
        ("η@update", "0.50"),
    ):
        assert so.rounds(exact[sym], text), (sym, exact[sym], text)


def test_the_oracle_flags_a_quiz_hint_that_gives_the_value_away_or_names_a_quantity_falsely():
    """Issue 19: while z₁⁽¹⁾ = 0.3825 is asked (READY: the screen shows x₁ = 0.05, x₂ = 0.10), a hint
    may name x₁ for 0.05, but must not write 0.3825, nor call 0.10 x₁."""
    s = Stepper(presets.lecture()).snapshot
    honest = "✗ 0.05 is x₁, on the screen now, not z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾. One more try (Esc reveals)."
    assert so.check_hint(honest, "0.05", "z₁⁽¹⁾", False, s) == []
    assert so.check_hint(honest.replace("0.05", "0,05"), "0,05", "z₁⁽¹⁾", False, s) == []
    assert len(so.check_hint("✗ 0.38 has fewer digits: z₁⁽¹⁾ = 0.3825.", "0.38", "z₁⁽¹⁾", False, s)) == 1
    false = honest.replace("0.05", "0.10")
    assert len(so.check_hint(false, "0.10", "z₁⁽¹⁾", False, s)) == 1
    pt = "✗ 0,10 é x₂, que está na tela, e não z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₂₁⁽¹⁾x₂ + b₁⁽¹⁾."
    assert (
        so.check_hint(pt, "0,10", "z₁⁽¹⁾", False, s) == []
        and len(so.check_hint(pt.replace("x₂", "y"), "0,10", "z₁⁽¹⁾", False, s)) == 1
    )


# --- the η scenario of the issue --------------------------------------------------------------------


def run_keys(keys: list[str], tmp_path, size=(120, 40), preset="lecture", **options) -> so.Oracle:
    """Press the keys one by one, the oracle after each (and on what x writes)."""
    actions = [("press", k) for k in keys]
    oracle = so.Oracle()
    result = keymash.replay(actions, str(tmp_path), preset, oracle=oracle, size=size, **options)
    assert result.error is None, repr(result.error)
    assert oracle.screens == len(actions)
    return oracle


ETA_SCENARIOS = [["f", "f", "b", "b", "u", "plus", "x"], ["f", "f", "b", "b", "u", "minus", "minus", "x"]]


@pytest.mark.parametrize("keys", ETA_SCENARIOS, ids=" ".join)
def test_a_change_of_eta_after_an_update_leaves_its_arithmetic_true(keys, tmp_path):
    oracle = run_keys(keys, tmp_path)
    assert oracle.exports == 2  # the .md and the .tex
    assert oracle.violations == []


@pytest.fixture
def eta_bug(monkeypatch):
    """The code before the fix (1ff5974): an update's record took the η set after it, and a false
    equation was written with ≈ instead of raising."""
    push = Stepper._push

    def forgetting(self, s):
        if s.action == "learning_rate" and s.update is not None:
            s = dataclasses.replace(s, update=dataclasses.replace(s.update, lr=s.lr))
        return push(self, s)

    monkeypatch.setattr(Stepper, "_push", forgetting)
    monkeypatch.setattr(equations, "check", lambda e: None)


def test_the_oracle_catches_the_eta_bug(eta_bug, tmp_path):
    """The demonstration: with the η bug put back, `f f b b u + x` shows false update lines on screen
    and in both exports, and an η that is not the one the parameters changed by."""
    oracle = run_keys(ETA_SCENARIOS[0], tmp_path)
    assert any("0.40 − 1.00·0.0823 ≈ 0.3588" in v and "hides a mismatch" in v for v in oracle.violations)
    assert any(v.startswith("η@update is 1.00") for v in oracle.violations)
    assert any(v.startswith("lecture_e1_s1.md") for v in oracle.violations)
    assert any(v.startswith("lecture_e1_s1.tex") for v in oracle.violations)


# --- the reproductions of what other branches fixed (they were screenoracle.KNOWN until merged) ------


def test_the_status_lines_right_count_follows_the_activation(tmp_path):
    """Was stale (cached by the parameters' identity) until d79826b."""
    oracle = run_keys(["a"], tmp_path, preset="xor")  # tanh: 3 of 4 right; the status line said sigmoid's 2/4
    assert oracle.violations == [] and oracle.known == []


def test_values_shortens_a_number_from_its_value(tmp_path):
    """Values wrote −9.54e−06 (shortened from the text −9.545e−06) until e9ef4fe."""
    oracle = run_keys(
        ["f", "f", "b", "b"], tmp_path, size=(80, 24), preset=RANDOM[13]
    )  # δ⁽²⁾ = −9.5453e−06 in a full row
    assert oracle.violations == [] and oracle.known == []


# --- found by the oracle ---------------------------------------------------------------------------


def test_the_narrow_network_never_cuts_a_number(tmp_path):
    """Random model 6 (tanh/relu, weights up to 10⁴) at 80×24, `s s f`: the Network wrote b⁽²⁾ as
    650.229 where it is 650.22969 (Parameters: 650.2297): its last digit was cropped at column 78, as
    the canvas cut what did not fit after the labels were already written with 0 digits (−1e+04).
    Now fixed numbers from 1 on lose decimals, rounded from their values (650.23), before anything is
    cut, and a row that must still be cut ends in …"""
    oracle = run_keys(["s", "s", "f"], tmp_path, size=(80, 24), preset=RANDOM[6])
    assert oracle.violations == []


# --- every setting that can change between two steps, directed --------------------------------------


def edit(field: str, text: str) -> list[str]:
    """The keys of the editor (w) that set one field: `w`, then the field chosen and typed; see below."""
    return [f"edit:{field}={text}"]


async def run_directed(app, pilot, keys, oracle, folder):
    from textual.widgets import OptionList

    for key in keys:
        since = time.time() - 1
        if key.startswith("edit:"):
            name, _, text = key[5:].partition("=")
            await pilot.press("w")
            await pilot.pause()
            target = next(k for k, f in enumerate(app.screen.fields) if name in (f.config, f.kind))
            options = app.screen.query_one(OptionList)
            while options.highlighted != target:
                await pilot.press("down" if options.highlighted < target else "up")
            await pilot.press("enter", "ctrl+a", "ctrl+k", *text, "enter", "escape")
        else:
            await pilot.press(key)
        await pilot.pause()
        oracle.check(app, key)
        if key == "x":
            oracle.check_exports(folder, since, key)


UPDATE = ["f", "f", "b", "b", "u"]
DIRECTED = {  # after an update, or in the middle of a sample: each setting, then what shows the step again
    "eta-undo-redo": UPDATE + ["plus", "z", "y", "x", "minus", "minus", "minus", "x"],
    "activation": UPDATE + ["a", "x", "f", "f", "b", "a", "f", "f", "b", "b", "u", "x"],
    "language": UPDATE + ["l", "x", "plus", "l", "x"],
    "edit-eta": UPDATE + edit("learning_rate", "0,25") + ["x", "space", "space", "space", "space", "space", "x"],
    "edit-weight-target": UPDATE
    + edit("weights.W2[0][0]", "-1.5")
    + edit("data.y[0]", "0.9")
    + ["s", "x", "z", "r", "s", "x"],
    "quiz": ["k", "f", "0", ".", "3", "8", "2", "5", "enter", "f", "escape", "k"] + UPDATE + ["k", "plus", "x"],
    "reset-after-change": UPDATE + ["plus", "a", "r", "f", "f", "b", "b", "u", "x"],
    # issue 19: R back to the model as loaded, and the quiz's second try with a hint
    "reset-loaded": UPDATE + ["minus", "minus", "a", "R", "f", "f", "b", "b", "u", "x", "z", "r", "s", "x"],
    "quiz-second-try": [
        "k",
        "f",
        "0",
        ".",
        "3",
        "8",
        "enter",
        "0",
        ".",
        "3",
        "8",
        "2",
        "5",
        "enter",
        "f",
        "0",
        ".",
        "5",
        "9",
        "4",
        "5",
        "enter",
        "escape",
        "b",
        "1",
        "enter",
        "1",
        "enter",
        "b",
        "0",
        ".",
        "0",
        "5",
        "enter",
        "escape",
    ],
}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(DIRECTED))
def test_a_setting_changed_between_steps_leaves_every_screen_true(name, size, tmp_path, drive):
    oracle = so.Oracle()

    def configure(app):
        app.export_dir = str(tmp_path)

    async def scenario(app, pilot):
        await run_directed(app, pilot, DIRECTED[name], oracle, tmp_path)

    drive(scenario, size=size, configure=configure, comma=name == "edit-eta", lang="pt" if name == "edit-eta" else "en")
    assert oracle.screens == len(DIRECTED[name]) and ("x" not in DIRECTED[name] or oracle.exports >= 2)
    assert oracle.violations == [], "\n".join(oracle.violations)


# --- batch mode (issue 19): the mean's arithmetic, its truth, and every screen in between --------------

BATCH = {  # on the xor data (m = 4): m cycles per-sample → full batch → mini-batch 2 → per-sample
    "full": [
        "m",
        "f",
        "f",
        "b",
        "b",
        "x",
        "f",
        "u",
        "f",
        "f",
        "b",
        "b",
        "space",
        "space",
        "space",
        "space",
        "space",
        "space",
        "space",
        "space",
        "x",
        "z",
        "y",
        "plus",
        "x",
        "e",
        "x",
    ],
    "mini-pending": ["f", "m", "m", "f", "b", "b", "u", "e", "s", "x", "s", "x", "p", "p", "m", "s", "x"],
    "mini-activation-reset": ["m", "m", "s", "a", "s", "x", "r", "f", "f", "b", "b", "f", "f", "b", "b", "u", "x"],
}


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(BATCH))
def test_batch_mode_shows_nothing_false(name, size, lang, tmp_path, drive):
    oracle = so.Oracle()
    modes = []

    def configure(app):
        app.export_dir = str(tmp_path)

    async def scenario(app, pilot):
        await run_directed(app, pilot, BATCH[name], oracle, tmp_path)
        modes.extend(s.batch for s in app.stepper.history)

    drive(scenario, size=size, configure=configure, model=presets.load("xor"), lang=lang, comma=lang == "pt")
    assert oracle.screens == len(BATCH[name]) and oracle.exports >= 2
    assert {"full", 2} & set(modes)  # the scenario did reach batch mode
    assert oracle.violations == [], "\n".join(oracle.violations)


def test_the_oracle_checks_a_batch_mean_and_its_truth():
    """A mean written with a wrong term, and a mean shown at U that is the last sample's own gradient
    (what the screen said before the update used the batch's mean), are both caught."""
    assert so.check_arithmetic("¼(0.0798 + (−0.0515) + (−0.0665) + 0.0676)", "=", "0.0073") is None
    assert so.check_arithmetic("¼(0.0798 + (−0.0515) + (−0.0665) + 0.0676)", "=", "0.0294") is not None
    assert so.check_arithmetic("¹⁄₁₂(1.2 + 0)", "=", "0.1000") is None
    tex = so.from_tex(r"b = \tfrac{1}{4}\left(0{,}1381 + \left(-0{,}1112\right) + 0 + 0\right) = 0{,}0067")
    _, rest, relation, result = so.equation_parts(tex)
    assert so.check_arithmetic(rest[-1], relation, result) is None  # the exports' LaTeX mean is read, and
    assert so.check_arithmetic(rest[-1], relation, "0,0345") is not None  # checked
    st = Stepper(presets.load("xor"), batch="full")
    s = st.finish_sample()
    seen = so.Seen()
    own = float(s.backward2.dW2[0, 0])  # sample 4's own ∂L/∂w₁₁⁽²⁾
    seen.add("∂L/∂w₁₁⁽²⁾", f"{own:.4f}", "Parameters")
    assert any("∂L/∂w₁₁⁽²⁾" in v for v in so.Oracle.true(seen, s))
    seen = so.Seen()
    seen.add("∂L/∂w₁₁⁽²⁾", f"{float(s.update.batch.mean.dW2[0, 0]):.6f}", "Parameters")
    assert so.Oracle.true(seen, s) == []


# --- mashes of every key, screen and setting, with the oracle ---------------------------------------

MASHES = [  # (id, seed, model, options): about 50 s together on one core
    ("lecture", 1, "lecture", {}),
    ("xor-pt-comma", 2, "xor", {"lang": "pt", "comma": True}),
    ("tanh-relu-tiny", 3, RANDOM[5], {}),  # hidden tanh, output relu, weights 1e-7 … 1e-3
    ("relu-linear-large", 4, RANDOM[14], {"comma": True}),  # hidden relu, output linear, weights 10 … 10⁴
    # issue 19: batch mode from the start (--batch 2 on 3 rows: a short last batch), m drawn more often
    ("batch-random-pt", 7, RANDOM[2], {"batch": 2, "lang": "pt", "comma": True}),
]
MASH_EXTRA = {"batch-random-pt": ["m"] * 3 + ["x"] * 4}  # more keys of the mash's own: m, and x to export batch updates
KEYS_PER_MASH = 250


@pytest.fixture(scope="module")
def mashes(tmp_path_factory):
    out = {}
    for name, seed, model, options in MASHES:
        oracle = so.Oracle()
        # x twice more than the mash draws it: the panels' keys (C, P, R, ctrl+p, …) keep growing, and the
        # mashes must still write transcripts for the oracle to read
        result = keymash.run_mash(
            seed,
            KEYS_PER_MASH,
            str(tmp_path_factory.mktemp(name)),
            model,
            oracle=oracle,
            extra=[*keymash.STEP_KEYS, "x", "x", *MASH_EXTRA.get(name, [])],
            **options,
        )
        out[name] = (result, oracle)
    return out


@pytest.mark.parametrize("name", [m[0] for m in MASHES])
def test_a_mash_shows_nothing_false(name, mashes):
    result, oracle = mashes[name]
    assert result.error is None, f"{result.error!r}\nlast keys: {keymash.tail(result)}"
    assert oracle.screens >= 60  # every action was checked
    print(
        f"{name}: {oracle.screens} screens, {oracle.exports} exports checked; {len(oracle.violations)} violations, "
        f"{len(oracle.known)} in areas other branches fix (screenoracle.KNOWN)"
    )
    first = result.findings[0] if result.findings else None
    assert oracle.violations == [], (
        f"{len(oracle.violations)} violations; the first: {first[0]}\n"
        f"reproduce with these actions in a fresh app: {' '.join(keymash.describe(a) for a in first[1])}"
    )


def test_the_mashes_press_every_key_of_the_key_table_and_change_every_setting(mashes):
    sent = set()
    for result, _ in mashes.values():
        for action in result.done:
            if action[0] == "press":
                sent.add(action[1])
            elif action[0] == "burst":
                sent.update(action[1])
    table = {key.names[0] for key in KEY_TABLE if key.action != "quit"}  # q is drawn one key in 300
    assert table <= sent, table - sent
    assert {"escape", "enter", "1", "2", "0"} <= sent
    sizes = {(a[1], a[2]) for result, _ in mashes.values() for a in result.done if a[0] == "resize"}
    assert any(w < 80 or h < 24 for w, h in sizes) and any(w >= 110 and h >= 38 for w, h in sizes)
    assert sum(o.exports for _, o in mashes.values()) > 0  # x wrote transcripts, and they were read
    assert any("KeyPalette" in result.screens for result, _ in mashes.values())  # ctrl+p: the command palette


# --- presenter mode --------------------------------------------------------------------------------


def test_presenter_mode_shows_nothing_false(tmp_path):
    """--present: the presenter's space plays the script's next key; the screen is checked after each."""
    script = Script(
        ("f", "f", "b", "b", "u", "a", "space", "f", "l", "b", "b", "u", "minus", "x"), 0.8, None, present=True
    )
    app = BackpropApp(presets.load("xor"))
    app.export_dir = str(tmp_path)
    oracle = so.Oracle()

    async def run():
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            task = asyncio.create_task(replay(pilot, script))
            for _ in range(len(script.keys)):
                for _ in range(1000):
                    if app.presenter.waiting or not app.presenter.active:
                        break
                    await asyncio.sleep(0.01)
                await pilot.press("space")
                for _ in range(1000):
                    await asyncio.sleep(0.01)
                    if app.presenter.waiting or not app.presenter.active:
                        break
                await pilot.pause()
                oracle.check(app)
            await asyncio.wait_for(task, 10)
            oracle.check_exports(tmp_path)

    asyncio.run(run())
    assert (
        app.stepper.position == 12
        and app.snapshot.phase.name == "U"
        and oracle.screens == len(script.keys)
        and oracle.exports == 2
    )
    assert oracle.violations == []
