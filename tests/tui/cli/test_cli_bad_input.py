"""The command line against what a class, a lab server and a typo throw at it (issue 9).

Every case is a real process (`python -m tui …`), grouped by category: sizes, nesting,
special files, encodings, user text in messages, streams and signals. Bad input exits with code 2,
exactly one line on stderr and nothing on stdout; an output that cannot be written exits with
code 1 and one line; a signal ends a run with 128 + its number; never a traceback.
"""

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine import config

DATA = "[data]\nx = [[0.05, 0.10]]\ny = [0.01]\n"
XOR = "[data]\nx = [[0, 0], [0, 1], [1, 0], [1, 1]]\ny = [0, 1, 1, 0]\n"
TIMEOUT = 60  # generous: a case that hangs fails instead of stalling the suite


@pytest.fixture
def cli(run_tui, c_utf8_env):
    """Run the command; stdout and stderr as bytes (a raw escape byte must be visible to the test)."""

    def run(*argv: str, stdout=subprocess.PIPE, close_stdout: bool = False, stdin=subprocess.DEVNULL):
        return run_tui(
            *argv,
            text=False,
            stdout=stdout,
            stderr=subprocess.PIPE,
            stdin=stdin,
            env=c_utf8_env,
            timeout=TIMEOUT,
            preexec_fn=(lambda: os.close(1)) if close_stdout else None,
        )

    return run


@pytest.fixture
def running(root, c_utf8_env):
    @contextlib.contextmanager
    def run(*argv: str, preexec_fn=None):
        """A long run as a real process, killed at the end whatever the test found."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=root,
            env=c_utf8_env,
            preexec_fn=preexec_fn,
        )
        try:
            yield proc
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    return run


def read_some(proc, limit: int = 2**16) -> bytes:
    """Up to `limit` bytes of the process's stdout as soon as any arrive; fails (instead of waiting
    forever) when nothing comes within TIMEOUT, as with a run that keeps everything for the end."""
    ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
    assert ready, f"no output within {TIMEOUT} s"
    return os.read(proc.stdout.fileno(), limit)


def one_line(stderr: bytes) -> str:
    """stderr is exactly one line of printable text: no traceback, no terminal escape, no NUL."""
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Warning" not in text, text
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert all(ch.isprintable() for ch in text[:-1]), repr(text)
    return text


def bad_input(done, *needles: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr holding every needle."""
    line = one_line(done.stderr)
    assert done.returncode == 2, (done.returncode, line)
    assert done.stdout == b"", done.stdout[:200]
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


# --- sizes --------------------------------------------------------------------------------

SIZES = {
    "integer-10**400": (
        f"learning_rate = {10**400}\n" + DATA,
        "learning_rate: expected a finite number, got an integer of 401 digits",
    ),
    "integer-5000-digits": ("seed = " + "9" * 5000 + "\n" + DATA, "a number with too many digits (line 1)"),
    "negative-integer-10**400": (DATA.replace("0.01", f"-{10**400}"), "data.y[0]: expected a finite number"),
    "seed-2**64": (f"seed = {2**64}\n" + DATA, "seed: expected an integer from 0 to 4294967295"),
    "float-1e400": ("learning_rate = 1e400\n" + DATA, "learning_rate: expected a finite number, got inf"),
}


@pytest.mark.parametrize("case", sorted(SIZES))
def test_numbers_beyond_range_are_refused(case, tmp_path, cli):
    text, needle = SIZES[case]
    bad_input(cli("train", "--epochs", "1", "--config", write(tmp_path, "m.toml", text)), needle)


def test_a_model_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path, cli):
    path = tmp_path / "big.toml"
    with open(path, "wb") as f:  # sparse: 4 GiB that st_size reports, a reader would take long to read
        f.truncate(4 * 2**30)
    bad_input(cli("trace", "--config", str(path)), "larger than 8 MiB")
    just_over = write(tmp_path, "over.toml", DATA + "#" * (config.MAX_MODEL_BYTES - len(DATA)) + "\n")
    bad_input(cli("trace", "--config", just_over), "larger than 8 MiB")


def test_a_key_script_over_its_limit_is_refused(tmp_path, cli):
    path = write(tmp_path, "keys.txt", "f " * 2**19 + "q\n")
    bad_input(cli("--keys-file", path), "--keys-file", "larger than 1 MiB")


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["sweep", "--nets", "10000000"], "--nets: expected a whole number from 1 to 100 000"),
        (["sweep", "--seed", "4294967296", "--nets", "2"], "--seed: expected a whole number from 0 to 4294967295"),
        (["train", "--epochs", "9" * 5000], "--epochs: expected a whole number ≥ 1"),
    ],
    ids=["sweep-nets", "seed-over", "epochs-5000-digits"],
)
def test_counts_beyond_the_limits(argv, needle, cli):
    bad_input(cli(*argv), needle)


def test_sweep_works_for_the_largest_seed_a_model_file_may_hold(tmp_path, cli):
    path = write(tmp_path, "xor.toml", f"seed = {config.MAX_SEED}\n" + XOR)
    done = cli("sweep", "--config", path, "--nets", "3", "--epochs", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seeds"] == [config.MAX_SEED, config.MAX_SEED + 2]


# --- nesting ------------------------------------------------------------------------------

NESTING = {
    "arrays": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "inline-tables": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
    "mixed": "x = " + "[{a = " * 1500 + "1" + "}]" * 1500 + "\n",
    "unclosed": "x = " + "[" * 100_000,
    "after-brackets-in-strings": 'activation = "[[[[[["\n# [[[[[[[[\n' + "y = " + "[" * 4000,
}


@pytest.mark.parametrize("case", sorted(NESTING))
def test_deep_nesting_is_refused_with_its_line(case, tmp_path, cli):
    path = write(tmp_path, "deep.toml", "learning_rate = 0.5\n" + NESTING[case])
    line = 4 if case == "after-brackets-in-strings" else 2
    bad_input(cli("gradcheck", "--config", path), "nested too deeply", f"(line {line})")


# --- special files ------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("option", ["--config", "--keys-file"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/null", "directory", "/dev/stdin-pipe"])
def test_special_files_are_refused_without_hanging(option, kind, fifo, tmp_path, cli):
    stdin = subprocess.DEVNULL
    if kind == "fifo":
        path = fifo
    elif kind == "directory":
        path = str(tmp_path)
    elif kind == "/dev/stdin-pipe":
        path, stdin = "/dev/stdin", subprocess.PIPE  # an open pipe nobody writes to: reading it would block
    else:
        path = kind
    command = ["trace", "--config", path] if option == "--config" else ["--keys-file", path]
    done = cli(*command, stdin=stdin)
    bad_input(done, path, "cannot read the file: it is")


@pytest.mark.parametrize(
    "path, needle",
    [
        ("/proc/self/mem", "cannot read the file: Input/output error"),  # a regular file whose read fails
        ("/no/such/dir/model.toml", "No such file or directory"),
        ("README.md/model.toml", "Not a directory"),
    ],
    ids=["read-fails", "missing", "under-a-file"],
)
def test_unreadable_paths(path, needle, cli):
    bad_input(cli("train", "--epochs", "2", "--config", path), needle)


@pytest.mark.parametrize("option", ["--config", "--keys-file", "--export-dir"])
def test_an_empty_file_name_is_refused(option, cli):
    bad_input(cli(option, ""), option, "expected a file name, got an empty string")


# --- encodings ----------------------------------------------------------------------------

ENCODINGS = {
    "utf-16-le": (b"\xff\xfe" + DATA.encode("utf-16-le"), "got UTF-16"),
    "utf-16-be": (b"\xfe\xff" + DATA.encode("utf-16-be"), "got UTF-16"),
    "latin-1": (("# café\n" + DATA).encode("latin-1"), "got byte 0xe9 at line 1, column 6"),
    "nul-byte": (('activation = "sig\x00"\n' + DATA).encode(), "not valid TOML: Illegal character '\\x00'"),
    "escape-in-a-string": (('activation = "\x1b[2Jsig"\n' + DATA).encode(), "Illegal character '\\x1b'"),
    "escaped-escape": (('activation = "\\u001b[2Jsig"\n' + DATA).encode(), "activation: expected one of"),
}


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_encodings_are_named_in_one_line(case, tmp_path, cli):
    content, needle = ENCODINGS[case]
    bad_input(cli("trace", "--config", write(tmp_path, "enc.toml", content)), needle)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path, cli):
    with_bom = write(tmp_path, "bom.toml", b"\xef\xbb\xbf" + DATA.encode())
    without = write(tmp_path, "plain.toml", DATA)
    done = cli("train", "--epochs", "3", "--format", "json", "--config", with_bom)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    assert done.stdout == cli("train", "--epochs", "3", "--format", "json", "--config", without).stdout


def test_a_key_script_that_is_not_utf8(tmp_path, cli):
    bad_input(cli("--keys-file", write(tmp_path, "keys.txt", b"f f \xff q\n")), "got byte 0xff at line 1, column 5")


# --- user text in messages: one line, no escape sequence reaches the terminal --------------


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--keys", "\x1b[2J"], "unknown key name '\\x1b[2J'"),
        (["--keys", "f \x1b]0;owned\x07"], "'\\x1b]0;owned\\x07'"),
        (["--keys", "\u202e"], "'\\u202e'"),
        (["trace", "\x1b[2J", "a\nb"], "unrecognized arguments: \\x1b[2J a\\nb"),
        (["trace", "--config", "new\nline\x1b[31m.toml"], "new\\nline\\x1b[31m.toml: cannot read the file"),
        (["--keys-file", "k\x1b[2J\n.txt"], "--keys-file k\\x1b[2J\\n.txt: cannot read the file"),
        (["trace", "--lr", "\x1b[5m"], "--lr: expected a number > 0, got '\\x1b[5m'"),
    ],
    ids=["key-csi", "key-osc-title", "key-bidi", "unknown-args", "config-name", "keys-file-name", "lr-value"],
)
def test_user_text_is_escaped(argv, needle, cli):
    bad_input(cli(*argv), needle)


def test_an_existing_file_with_a_newline_in_its_name(tmp_path, cli):
    path = write(tmp_path, "two\nlines.toml", "learning_rate = 0\n" + DATA)
    bad_input(cli("trace", "--config", path), "two\\nlines.toml: learning_rate: expected a number > 0")


def test_the_apps_own_messages_are_escaped_too(tmp_path, cli):
    """The app's start-up messages go through the command line's one stderr writer (cli.say)."""
    (tmp_path / "a\nb").write_text("")  # a file: no folder can be made inside it
    done = cli("--files", str(tmp_path / "a\nb" / "files"))
    line = one_line(done.stderr)
    assert done.returncode == 1 and done.stdout == b"" and "--files: " in line and "a\\nb/files" in line


# --- streams: a closed or full stdout is an environment failure, a reader leaving is not ----

HEADLESS = [
    ["trace"],
    ["trace", "--format", "json"],
    ["train", "--epochs", "3"],
    ["gradcheck"],
    ["presets"],
    ["sweep", "--nets", "2", "--epochs", "2"],
]


@pytest.mark.parametrize("argv", HEADLESS, ids=" ".join)
def test_closed_stdout(argv, cli):
    done = cli(*argv, close_stdout=True)
    assert (
        done.returncode == 1
        and one_line(done.stderr) == "backprop-tui: error: cannot write the output: standard output is closed\n"
    )


@pytest.mark.parametrize("argv", HEADLESS + [["train", "--epochs", "100000", "--format", "csv"]], ids=" ".join)
def test_full_disk(argv, cli):
    with open("/dev/full", "wb") as full:
        done = cli(*argv, stdout=full)
    assert (
        done.returncode == 1
        and one_line(done.stderr) == "backprop-tui: error: cannot write the output: No space left on device\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--epochs", str(10**12), "--format", "csv"],
        ["train", "--epochs", str(10**12), "--format", "json"],
        ["trace", "--steps", str(10**9)],
        ["trace", "--steps", str(10**9), "--format", "latex"],
    ],
    ids=" ".join,
)
def test_a_reader_that_leaves_early_ends_the_run_quietly(argv, running):
    """`… | head -1`: the first line comes as soon as it is computed, and when the reader leaves
    the run stops with exit 0 and nothing on stderr (no BrokenPipeError)."""
    with running(*argv) as proc:
        first = read_some(proc)  # JSON has no line break before its end
        proc.stdout.close()
        code = proc.wait(timeout=TIMEOUT)
        err = proc.stderr.read()
    assert first and code == 0 and err == b"", err


def test_train_streams_in_bounded_memory(running):
    """train --epochs 10**12 writes its loss history as it goes: 5 MB of it read while the
    process stays under 150 MB resident (it used to keep the history, ~55 MB/s, and write nothing)."""
    with running("train", "--epochs", str(10**12), "--format", "csv") as proc:
        read = 0
        while read < 5 * 2**20:
            chunk = read_some(proc, 2**20)
            assert chunk, proc.stderr.read()
            read += len(chunk)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        rss_kb = int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])
        assert rss_kb < 150 * 1024, f"{rss_kb} kB resident"


# --- signals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sig, code, fmt",
    [
        (signal.SIGINT, 130, "csv"),
        (signal.SIGINT, 130, "text"),
        (signal.SIGTERM, 143, "json"),
        (signal.SIGHUP, 129, "csv"),
        (signal.SIGQUIT, 131, "text"),
    ],
    ids=["SIGINT-csv", "SIGINT-text", "SIGTERM-json", "SIGHUP-csv", "SIGQUIT-text"],
)
def test_a_signal_during_a_long_train_exits_quietly(sig, code, fmt, running):
    def default_signals():  # a test runner may ignore SIGINT; a person's shell does not
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    with running("train", "--epochs", str(10**12), "--format", fmt, preexec_fn=default_signals) as proc:
        assert read_some(proc)  # it is running (past start-up): the first output is out
        proc.send_signal(sig)
        rc = proc.wait(timeout=TIMEOUT)
        err = proc.stderr.read()
    assert rc == code and err == b"", err


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_modules_load_exits_quietly(sig, code, root):
    """Ctrl+C in the first ~0.2 s, while NumPy loads, ended in a KeyboardInterrupt traceback. The
    import-time report (-X importtime, on stderr, one line as each module finishes) says when NumPy
    is half loaded: the signal comes then."""
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "tui", "trace"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        seen = b""
        while b"numpy._core.multiarray" not in seen:  # a part of NumPy, loaded before numpy itself ends
            line = proc.stderr.readline()
            assert line, seen[-2000:]
            seen += line
        proc.send_signal(sig)
        rc = proc.wait(timeout=TIMEOUT)
        rest = proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    assert rc == code and b"Traceback" not in rest and proc.stdout.read() == b"", rest[-2000:]


# --- gradient check where the loss overflows --------------------------------------------------

OVERFLOW = """output_activation = "linear"
activation = "relu"
[weights]
W1 = [[-1.0, -1.0], [-1.0, -1.0]]
b1 = [-1.0, -1.0]
W2 = [[1.0], [1.0]]
b2 = [1e160]
[data]
x = [[0.05, 0.10]]
y = [0.01]
"""  # dead ReLU units: W1's derivatives are 0 = 0 (rel. error 0) before the overflowing ones


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_gradcheck_that_cannot_check_says_so(fmt, tmp_path, cli):
    done = cli("gradcheck", "--format", fmt, "--config", write(tmp_path, "overflow.toml", OVERFLOW))
    line = one_line(done.stderr)
    assert done.returncode == 1 and "cannot check the gradient" in line
    out = done.stdout.decode()
    if fmt == "json":

        def no_nan(name):
            raise AssertionError(f"{name} is not JSON")

        rows = json.loads(out, parse_constant=no_nan)["rows"]
        assert rows[-1]["numeric"] is None and rows[-1]["rel_error"] is None
    else:
        assert "largest relative error" not in out and "cannot check" in out


# --- the app's `o` reads model files with the same reader ------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "deep"])
def test_open_in_the_app_refuses_special_files_without_hanging(kind, fifo, tmp_path, drive):
    import threading

    from tui.app.screens.path import PathScreen

    path = fifo if kind == "fifo" else write(tmp_path, "deep.toml", "x = " + "[" * 5000)
    expected = "it is a pipe (FIFO)" if kind == "fifo" else "nested too deeply (line 1)"

    def unblock():  # a reader stuck opening the FIFO gets a writer (and then EOF): the test fails, not hangs
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # nobody is reading it: nothing to unblock
            pass

    async def scenario(app, pilot):
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one("#path-value").value = path
        await pilot.press("enter")
        await pilot.pause()
        shown = str(app.screen.query_one("#path-message").render())
        assert expected in shown and app.stepper.model.name == "lecture", shown

    watchdog = threading.Timer(TIMEOUT / 3, unblock)
    watchdog.start()
    try:
        drive(scenario)
    finally:
        watchdog.cancel()


def test_the_g_screen_says_cannot_check_where_the_loss_overflows(drive):
    from tui.app.screens.gradcheck import GradCheckScreen

    model = config.parse_model(OVERFLOW, "overflow.toml")

    async def scenario(app, pilot):
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GradCheckScreen)
        text = app.screen.text.plain
        assert "Cannot check" in text and "agrees" not in text, text

    drive(scenario, model=model)
