"""Model files (DESIGN §6): parsing, defaults, every bad input, writing and the round trip."""

import os
import stat

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import config, presets
from engine.config import ConfigError
from engine.model import Model, random_params
from engine.network import Params

LECTURE = """\
activation = "sigmoid"          # hidden: sigmoid | tanh | relu
output_activation = "sigmoid"   # sigmoid | tanh | relu | linear
learning_rate = 0.5
seed = 0                        # used only when [weights] is absent (small random values)
[weights]
W1 = [[0.15, 0.20], [0.25, 0.30]]
b1 = [0.35, 0.35]
W2 = [[0.40], [0.45]]
b2 = [0.60]
[data]
x = [[0.05, 0.10]]
y = [0.01]
"""


def same_numbers(a: Model, b: Model) -> bool:
    """Equal numbers and settings, names aside: what a save/load round trip must preserve."""
    return (
        a.params == b.params
        and a.X.tolist() == b.X.tolist()
        and a.Y.tolist() == b.Y.tolist()
        and (a.hidden, a.output, a.lr, a.seed) == (b.hidden, b.output, b.lr, b.seed)
    )


DATA = "[data]\nx = [[0.0, 1.0], [1.0, 0.0]]\ny = [1.0, 1.0]\n"


def test_the_design_example_is_the_lecture_preset(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text(LECTURE)
    model = config.load_model(path)
    assert same_numbers(model, presets.load("lecture"))
    assert model.name == "lecture"
    assert model.params.W1[1, 0] == 0.25  # w21^(1): rows = inputs, as printed


def test_the_model_file_of_docs_models_md_is_the_lecture_preset(tmp_path):
    """The example a reader copies from docs/MODELS.md loads, and is the notes' worked example."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "MODELS.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", page, flags=re.S)
    assert len(blocks) == 1
    path = tmp_path / "lecture.toml"
    path.write_text(blocks[0], encoding="utf-8")
    model, lecture = config.load_model(path), presets.load("lecture")
    assert (model.hidden, model.output, model.lr) == (lecture.hidden, lecture.output, lecture.lr)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(getattr(model.params, name), getattr(lecture.params, name))
    np.testing.assert_array_equal(model.X, lecture.X)
    np.testing.assert_array_equal(model.Y, lecture.Y)


def test_defaults_when_only_data_is_given():
    model = config.parse_model(DATA)
    assert (model.hidden, model.output, model.lr, model.seed) == ("sigmoid", "sigmoid", 0.5, 0)
    assert model.params == random_params(0)
    assert model.X.tolist() == [[0.0, 1.0], [1.0, 0.0]] and model.Y.tolist() == [1.0, 1.0]


def test_seed_draws_the_weights_when_they_are_absent():
    model = config.parse_model("seed = 7\n" + DATA)
    assert model.params == random_params(7) and model.params != random_params(0)


def test_integers_are_numbers():
    model = config.parse_model(
        'learning_rate = 1\nactivation = "tanh"\noutput_activation = "linear"\n[data]\nx = [[0, 1]]\ny = [2]\n'
    )
    assert model.lr == 1.0 and model.Y.tolist() == [2.0] and (model.hidden, model.output) == ("tanh", "linear")


W = "[weights]\nW1 = [[0.1, 0.2], [0.3, 0.4]]\nb1 = [0.1, 0.2]\nW2 = [[0.5], [0.6]]\nb2 = [0.7]\n"

BAD = [
    # (file text, field named in the message, words of what was expected)
    ("x = 1\n" + DATA, "x", "unknown key"),
    ("learning_rate = 0\n" + DATA, "learning_rate", "> 0"),
    ("learning_rate = -0.5\n" + DATA, "learning_rate", "> 0"),
    ("learning_rate = nan\n" + DATA, "learning_rate", "finite"),
    ("learning_rate = inf\n" + DATA, "learning_rate", "finite"),
    ('learning_rate = "fast"\n' + DATA, "learning_rate", "a number"),
    ("learning_rate = true\n" + DATA, "learning_rate", "a number"),
    ('activation = "linear"\n' + DATA, "activation", "sigmoid, tanh, relu"),
    ('activation = "softmax"\n' + DATA, "activation", "sigmoid, tanh, relu"),
    ('output_activation = "step"\n' + DATA, "output_activation", "sigmoid, tanh, relu, linear"),
    ("activation = 3\n" + DATA, "activation", "one of"),
    ("seed = 1.5\n" + DATA, "seed", "integer"),
    ("seed = -1\n" + DATA, "seed", "integer"),
    ("seed = false\n" + DATA, "seed", "integer"),
    ("[data]\nx = [[0.0, 1.0]]\n", "data.y", "missing"),
    ("[data]\ny = [1.0]\n", "data.x", "missing"),
    ("[data]\nx = []\ny = []\n", "data.x", "non-empty"),
    ("[data]\nx = [[0.0, 1.0]]\ny = []\n", "data.y", "non-empty"),
    ("[data]\nx = [[0.0, 1.0]]\ny = [1.0, 0.0]\n", "data.y", "one target per row"),
    ("[data]\nx = [[0.0, 1.0, 2.0]]\ny = [1.0]\n", "data.x[0]", "pair"),
    ("[data]\nx = [0.0, 1.0]\ny = [1.0, 1.0]\n", "data.x[0]", "pair"),
    ("[data]\nx = [[0.0, nan]]\ny = [1.0]\n", "data.x[0][1]", "finite"),
    ("[data]\nx = [[0.0, 1.0]]\ny = [true]\n", "data.y[0]", "a number"),
    ("[data]\nx = [[0.0, 1.0]]\ny = [1.0]\nz = [1]\n", "data.z", "unknown key"),
    ("data = 3\n", "data", "[data] table"),
    ("learning_rate = 0.5\n", "data", "missing"),
    (W.replace("W1 = [[0.1, 0.2], [0.3, 0.4]]", "W1 = [[0.1, 0.2]]") + DATA, "weights.W1", "2×2"),
    (W.replace("W1 = [[0.1, 0.2], [0.3, 0.4]]", "W1 = [[0.1, 0.2], [0.3]]") + DATA, "weights.W1[1]", "2 numbers"),
    (W.replace("b1 = [0.1, 0.2]", "b1 = [0.1]") + DATA, "weights.b1", "2 numbers"),
    (W.replace("W2 = [[0.5], [0.6]]", "W2 = [0.5, 0.6]") + DATA, "weights.W2[0]", "a list of 1 number,"),
    (W.replace("b2 = [0.7]", "b2 = 0.7") + DATA, "weights.b2", "a list of 1 number"),
    (W.replace("b2 = [0.7]", "b2 = [inf]") + DATA, "weights.b2[0]", "finite"),
    (W.replace("b2 = [0.7]\n", "") + DATA, "weights.b2", "missing"),
    (W + "W3 = [1]\n" + DATA, "weights.W3", "unknown key"),
    (W.replace("b1 = [0.1, 0.2]", 'b1 = [0.1, "0.2"]') + DATA, "weights.b1[1]", "a number"),
    ("weights = 5\n" + DATA, "weights", "[weights] table"),
]


@pytest.mark.parametrize("text, field, expected", BAD)
def test_every_bad_input_names_the_file_the_field_and_what_was_expected(text, field, expected):
    with pytest.raises(ConfigError) as e:
        config.parse_model(text, "my model.toml")
    msg = str(e.value)
    assert msg.startswith(f"my model.toml: {field}: "), msg
    assert expected in msg and "\n" not in msg
    assert e.value.field == field


def test_bad_toml_names_the_line():
    with pytest.raises(ConfigError) as e:
        config.parse_model("learning_rate = \n[data]\n", "bad.toml")
    assert str(e.value).startswith("bad.toml: not valid TOML") and "line 1" in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_unreadable_and_binary_files(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read the file: No such file"):
        config.load_model(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="cannot read the file"):
        config.load_model(tmp_path)  # a directory
    binary = tmp_path / "model.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="UTF-8"):
        config.load_model(binary)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.toml"
    path.write_text(DATA)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file (CI runs as root): the refusal the OS would give
        real_open = os.open

        def refusing_open(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("os.open", refusing_open)
    with pytest.raises(ConfigError, match="cannot read the file: Permission denied"):
        config.load_model(path)


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_presets_round_trip_exactly(name):
    model = presets.load(name)
    assert same_numbers(config.parse_model(config.model_to_toml(model)), model)


floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(floats, min_size=9, max_size=9),
    st.lists(st.tuples(floats, floats, floats), min_size=1, max_size=4),
    st.sampled_from(["sigmoid", "tanh", "relu"]),
    st.sampled_from(["sigmoid", "tanh", "relu", "linear"]),
    st.floats(min_value=1e-300, max_value=1e300),
    st.integers(0, config.MAX_SEED),
)
def test_any_model_round_trips_bit_for_bit(w, rows, hidden, output, lr, seed):
    params = Params(W1=[w[0:2], w[2:4]], b1=w[4:6], W2=[[w[6]], [w[7]]], b2=[w[8]])
    model = Model(
        name="m",
        params=params,
        X=[r[:2] for r in rows],
        Y=[r[2] for r in rows],
        hidden=hidden,
        output=output,
        lr=lr,
        seed=seed,
    )
    back = config.parse_model(config.model_to_toml(model))
    assert same_numbers(back, model)


def test_non_finite_parameters_are_not_saved():
    model = presets.load("lecture").with_(params=Params(W1=[[np.nan, 0], [0, 0]], b1=[0, 0], W2=[[0], [0]], b2=[0]))
    with pytest.raises(ValueError, match="non-finite"):
        config.model_to_toml(model)


def test_save_model_is_atomic_and_readable(tmp_path):
    path = tmp_path / "saved.toml"
    path.write_text("old contents")
    path.chmod(0o640)
    model = presets.load("xor")
    config.save_model(model, path)
    assert same_numbers(config.load_model(path), model)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # kept the old file's mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.toml"]  # no temporary left behind
    fresh = tmp_path / "fresh.toml"
    config.save_model(model, fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "keep.toml"
    path.write_text(LECTURE)
    bad = presets.load("lecture").with_(params=Params(W1=[[np.inf, 0], [0, 0]], b1=[0, 0], W2=[[0], [0]], b2=[0]))
    with pytest.raises(ValueError):
        config.save_model(bad, path)
    assert path.read_text() == LECTURE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.toml"]


def test_overrides_win_and_seed_redraws_only_seeded_weights():
    xor = presets.load("xor")
    assert config.has_seeded_weights(xor) and not config.has_seeded_weights(presets.load("lecture"))
    new = config.apply_overrides(xor, hidden="tanh", output="linear", lr=0.1, seed=3)
    assert (new.hidden, new.output, new.lr, new.seed) == ("tanh", "linear", 0.1, 3)
    assert new.params == random_params(3)
    lecture = config.apply_overrides(presets.load("lecture"), seed=3)
    assert lecture.params == presets.load("lecture").params and lecture.seed == 3
    assert config.apply_overrides(xor) is xor


def test_a_model_too_large_to_read_back_is_not_saved(tmp_path):
    """A file of 580 000 short rows (8.1 MB, accepted) saved at full precision came to 9.9 MB, which
    neither `o` nor the command line would read: the save is refused and the old file kept."""
    rows = 400_000
    rng = np.random.default_rng(0)
    big = presets.load("lecture").with_(X=rng.random((rows, 2)), Y=rng.random(rows))
    assert len(config.model_to_toml(big).encode()) > config.MAX_MODEL_BYTES
    path = tmp_path / "keep.toml"
    path.write_text(LECTURE)
    with pytest.raises(ValueError, match="larger than 8 MiB"):
        config.save_model(big, path)
    assert path.read_text() == LECTURE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.toml"]
