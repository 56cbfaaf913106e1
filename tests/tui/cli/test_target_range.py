"""A target the output activation cannot reach: a warning on stderr and in the status line, never a
refusal (issue 12, item 5: `y = 2` with a sigmoid output)."""

import pytest

from engine import presets
from engine.model import Model
from tui.app.widgets.status import StatusLine
from tui.text import fmt


@pytest.fixture
def y2(tmp_path):
    path = tmp_path / "y2.toml"
    path.write_text("[data]\nx = [[0.05, 0.10], [0.2, 0.3]]\ny = [2.0, 0.5]\n")
    return str(path)


@pytest.mark.parametrize("command", [["trace"], ["train", "--epochs", "2"], ["gradcheck"]])
def test_the_command_line_warns_on_stderr_and_runs(run_main, y2, command):
    code, out, err = run_main(*command, "--config", y2)
    assert code == 0 and out
    assert err.count("\n") == 1 and "warning: target y = " + fmt.num(2.0) + " (sample 1) is outside [0, 1]" in err
    assert "output activation sigmoid" in err
    # the same model with an output that reaches 2: no warning, the same kind of output
    code, out_linear, err = run_main(*command, "--config", y2, "--output-activation", "linear")
    assert code == 0 and err == "" and out_linear


def test_the_warning_reads_in_portuguese(run_main, y2):
    code, _, err = run_main("trace", "--config", y2, "--lang", "pt")
    assert code == 0 and "aviso: o alvo y = " in err and "(amostra 1)" in err


def test_no_warning_for_the_presets(run_main):
    for name in presets.PRESETS:
        code, _, err = run_main("trace", "--preset", name)
        assert code == 0 and err == "", name


@pytest.mark.parametrize("size, text", [((120, 40), "⚠ y outside [0, 1]"), ((80, 24), "⚠ y ∉ [0, 1]")])
def test_the_status_line_warns(drive, size, text):
    lecture = presets.lecture()
    model = Model("y2", lecture.params, [[0.05, 0.10]], [2.0])

    async def scenario(app, pilot):
        status = app.query_one(StatusLine).render().plain
        assert text in status
        await pilot.press("a")  # still there after a change of the model
        await pilot.pause()
        assert text in app.query_one(StatusLine).render().plain

    drive(scenario, size=size, model=model)


def test_no_status_warning_for_the_lecture(drive):
    async def scenario(app, pilot):
        assert "⚠" not in app.query_one(StatusLine).render().plain

    drive(scenario)
