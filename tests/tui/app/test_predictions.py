"""The predictions view (T, issue 13 item 4): ŷ of every data row against the forward pass written out
by hand, right ✓ / wrong ✗ at 0.5, the count over all rows, live while p trains; the roomy status line's
count for 0/1 targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import presets, surface
from tui.app.screens.predictions import PredictionsScreen, PredictionsTable
from tui.app.widgets.status import StatusLine
from tui.text.fmt import num
from tui.text.i18n import t


def yhat_by_hand(p, x, sigma) -> float:
    """ŷ for input x: z_j⁽¹⁾ = x₁w₁ⱼ⁽¹⁾ + x₂w₂ⱼ⁽¹⁾ + bⱼ⁽¹⁾, a = σ(z), z⁽²⁾ = a₁w₁₁⁽²⁾ + a₂w₂₁⁽²⁾ + b⁽²⁾, ŷ = σ(z⁽²⁾)."""
    W1, b1, W2, b2 = p.W1.tolist(), p.b1.tolist(), p.W2.tolist(), p.b2.tolist()
    a = [sigma(x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]) for j in (0, 1)]
    return sigma(a[0] * W2[0][0] + a[1] * W2[1][0] + b2[0])


def table_lines(app) -> list[str]:
    return app.screen.query_one(PredictionsTable).render().plain.split("\n")


def check_rows(app, sigma, lang="en"):
    """Every row shown: x, y and ŷ as the forward pass by hand gives them, ✓ exactly when ŷ is on y's side of 0.5;
    the count line over all rows. Returns the number of right rows."""
    s = app.snapshot
    lines = table_lines(app)
    right = 0
    for i in range(s.m):
        x, y = [float(v) for v in s.X[i]], float(s.Y[i])
        yhat = yhat_by_hand(s.params, x, sigma)
        ok = (yhat >= 0.5) == (y >= 0.5)
        right += ok
        table = app.screen.query_one(PredictionsTable).tally(s)
        assert math.isclose(float(table.yhat[i]), yhat, rel_tol=1e-14, abs_tol=1e-300)
        row = lines[3 + i].split()
        assert row[:5] == [str(i + 1), num(x[0]), num(x[1]), num(y), num(yhat)]
        assert " ".join(row[5:]) == t("ui_pred_right" if ok else "ui_pred_wrong", lang)
    assert lines[0].startswith(t("ui_pred_count", lang, right=right, m=s.m, wrong=s.m - right))
    return right


def test_xor_before_and_after_training(drive, sigma):
    """The untrained XOR net gets 2 of 4; after 2000 epochs of p, all 4, each ŷ by hand at full precision."""
    seen = []

    async def scenario(app, pilot):
        await pilot.press("T")
        assert isinstance(app.screen, PredictionsScreen)
        seen.append(check_rows(app, sigma))
        await pilot.press("p")  # play goes on under the view, and the table follows it
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.snapshot.epoch == 2000
        seen.append(check_rows(app, sigma))
        assert t("ui_pred_learned") in table_lines(app)[0]
        await pilot.press("l")
        await pilot.pause()
        assert check_rows(app, sigma, "pt") == 4
        await pilot.press("T")
        assert not isinstance(app.screen, PredictionsScreen)

    drive(scenario, model=presets.load("xor"), size=(80, 24), max_epochs=2000, speed=0)
    assert seen == [2, 4]


@pytest.mark.parametrize("key", ["f", "space", "s", "e", "z"])
def test_the_table_follows_the_keys_pressed_on_it(drive, sigma, key):
    async def scenario(app, pilot):
        await pilot.press("T", "e", key)
        assert isinstance(app.screen, PredictionsScreen)
        assert app.snapshot.action != "start"
        check_rows(app, sigma)

    drive(scenario, model=presets.load("xor"), size=(120, 40))


def test_a_large_data_set_shows_its_first_rows_and_counts_all(drive, sigma):
    rng = np.random.default_rng(3)
    m = 3000
    X = rng.uniform(-1, 2, size=(m, 2))
    Y = (X[:, 0] > X[:, 1]).astype(float)
    model = presets.load("xor").with_(X=X, Y=Y, name="big")

    async def scenario(app, pilot):
        await pilot.press("T")
        lines = table_lines(app)
        table = app.screen.query_one(PredictionsTable)
        shown = table.size.height - 3
        assert len(lines) == 3 + shown and 0 < shown < m
        s = app.snapshot
        right = sum((yhat_by_hand(s.params, X[i], sigma) >= 0.5) == (Y[i] >= 0.5) for i in range(m))
        assert lines[0] == (
            t("ui_pred_count", right=right, m=m, wrong=m - right) + " · " + t("ui_pred_first", a=1, b=shown, m=m)
        )
        for i in range(shown):
            assert lines[3 + i].split()[4] == num(yhat_by_hand(s.params, X[i], sigma))
        # nothing cut without a sign (issue 18): the key line says how many rows lie below, and PgDn,
        # ↓, End-of-table and PgUp page through every one of them
        keys = str(app.screen.query_one("#pred-keys").render())
        assert keys.startswith(f"▼ {m - shown} more · ↓/PgDn")
        seen = {int(line.split()[0]) for line in lines[3:]}
        for _ in range(m // (shown - 1) + 2):
            await pilot.press("pagedown")
            await pilot.pause()
            rows = table_lines(app)[3:]
            seen |= {int(line.split()[0]) for line in rows}
            i = int(rows[0].split()[0]) - 1
            assert rows[0].split()[4] == num(yhat_by_hand(s.params, X[i], sigma))
        assert seen == set(range(1, m + 1))
        keys = str(app.screen.query_one("#pred-keys").render())
        assert keys.startswith(f"▲ {m - shown} above · ↑/PgUp") and "▼" not in keys
        assert table_lines(app)[0].endswith(t("ui_pred_first", a=m - shown + 1, b=m, m=m))
        await pilot.press("pageup")
        await pilot.pause()
        assert int(table_lines(app)[3].split()[0]) == m - shown + 1 - (shown - 1)

    drive(scenario, model=model, size=(80, 24))


def test_a_diverged_net_is_never_right():
    """ŷ = NaN is on neither side of 0.5: ✗ for a 0 target too (the engine once counted it right)."""
    assert not surface.right(np.array([math.nan, math.nan]), np.array([0.0, 1.0])).any()
    assert surface.right(np.array([0.2, 0.7]), np.array([0.0, 1.0])).all()


def test_roomy_status_line_counts_right_rows_for_truth_tables_only(drive, sigma):
    def status(app) -> str:
        return app.screen_stack[0].query_one(StatusLine).render().plain

    async def xor(app, pilot):
        await pilot.pause()
        assert t("ui_pred_status", right=2, m=4) in status(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert t("ui_pred_status", right=2, m=4) not in status(app)  # 80 columns: T shows it

    drive(xor, model=presets.load("xor"), size=(120, 40))

    async def lecture(app, pilot):  # a regression target (0.01): no right/wrong in the status line
        assert "right" not in status(app)

    drive(lecture, model=presets.lecture(), size=(120, 40))


def test_x_on_the_view_exports_its_screenshot_and_every_row_as_csv(drive, tmp_path, sigma):
    async def scenario(app, pilot):
        await pilot.press("e", "T", "x")
        await pilot.pause()
        svgs = list(tmp_path.glob("*.svg"))
        assert len(svgs) == 1 and "Predictions" in svgs[0].read_text(encoding="utf-8")
        (found,) = tmp_path.glob("*_predictions.csv")
        lines = found.read_text(encoding="ascii").splitlines()
        assert lines[0] == "i,x1,x2,y,yhat,right" and len(lines) == 5
        s = app.snapshot
        for i, line in enumerate(lines[1:]):
            cells = line.split(",")
            yhat = yhat_by_hand(s.params, [float(v) for v in s.X[i]], sigma)
            assert [float(c) for c in cells[1:4]] == [float(s.X[i, 0]), float(s.X[i, 1]), float(s.Y[i])]
            assert math.isclose(float(cells[4]), yhat, rel_tol=1e-14)
            assert cells[5] == str(int((yhat >= 0.5) == (s.Y[i] >= 0.5)))

    drive(scenario, model=presets.load("xor"), configure=lambda app: setattr(app, "export_dir", str(tmp_path)))


# --- issue 18: "a stale right k/m and a false learned" --------------------------------------------


def right_by_hand(s) -> int:
    """The rows on their target's side of 0.5 for the Snapshot's parameters, data and both activations,
    each ŷ written out by hand (σ, tanh and ReLU from math, not engine.activations)."""
    f = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "relu": lambda z: max(z, 0.0)}
    W1, b1, W2, b2 = s.params.W1.tolist(), s.params.b1.tolist(), s.params.W2.tolist(), s.params.b2.tolist()
    right = 0
    for x, y in zip(s.X.tolist(), s.Y.tolist()):
        a = [f[s.hidden](x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]) for j in (0, 1)]
        yhat = f[s.output](a[0] * W2[0][0] + a[1] * W2[1][0] + b2[0])
        right += (yhat >= 0.5) == (y >= 0.5)
    return right


def counts_shown(app) -> list[str]:
    """Every "right k/m" on the screens open: each status line (main, the view's) and T's count."""
    out = []
    for screen in app.screen_stack:
        for status in screen.query(StatusLine):
            out.append(status.render().plain)
        for table in screen.query(PredictionsTable):
            out.append(table.render().plain.split("\n")[0])
    return out


@pytest.mark.parametrize(
    "preset,keys",
    [
        ("nand", "a T z"),  # the issue's: sigmoid/sigmoid again, yet T said 4 of 4 and "learned" with tanh's ŷ
        ("xor", "a"),  # the status line said 2/4 (sigmoid's) while T said 3/4
        ("xor", "T a"),
        ("xor", "h a"),  # the h view's status line
        ("xor", "T a a z y"),
        ("and", "e e a T z z y"),
    ],
)
def test_every_count_shown_is_the_count_of_the_model_on_screen(drive, preset, keys):
    async def scenario(app, pilot):
        for key in keys.split():
            await pilot.press(key)
            await pilot.pause()
            s = app.snapshot
            right = right_by_hand(s)
            shown = counts_shown(app)
            assert shown and all(
                t("ui_pred_status", right=right, m=s.m) in line
                or line.startswith(t("ui_pred_count", right=right, m=s.m, wrong=s.m - right))
                for line in shown
            ), (key, s.hidden, right, shown)
            for table in app.screen.query(PredictionsTable):
                assert (t("ui_pred_learned") in table.render().plain) == (right == s.m)

    drive(scenario, model=presets.load(preset), size=(120, 40))


def test_a_data_edit_and_its_undo_recount(drive):
    """w changes a target (the parameters stay the same object): the count follows, and z takes it back."""
    from tests.tui.app.test_edit import choose, type_value

    async def scenario(app, pilot):
        before = right_by_hand(app.snapshot)
        await pilot.press("w")
        await pilot.pause()
        await choose(app, pilot, "data.y[0]")
        await type_value(pilot, "1" if app.snapshot.Y[0] < 0.5 else "0")
        await pilot.press("escape", "T")
        await pilot.pause()
        after = right_by_hand(app.snapshot)
        assert after != before
        assert all(str(after) + "/4" in line or line.startswith(f"{after} of 4") for line in counts_shown(app))
        await pilot.press("z")
        await pilot.pause()
        assert all(str(before) + "/4" in line or line.startswith(f"{before} of 4") for line in counts_shown(app))

    drive(scenario, model=presets.load("xor"), size=(120, 40))
