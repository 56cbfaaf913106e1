"""Model files: TOML → Model, validated, and Model → TOML (DESIGN §6).

    activation = "sigmoid"          # hidden: sigmoid | tanh | relu
    output_activation = "sigmoid"   # sigmoid | tanh | relu | linear
    learning_rate = 0.5
    seed = 0                        # used only when [weights] is absent
    [weights]
    W1 = [[0.15, 0.20], [0.25, 0.30]]   # rows = inputs: W1[i-1][j-1] = w_ij^(1)
    b1 = [0.35, 0.35]
    W2 = [[0.40], [0.45]]
    b2 = [0.60]
    [data]
    x = [[0.05, 0.10]]
    y = [0.01]

Only [data] is required. Every problem raises ConfigError with one line naming the file, the
field and what was expected, so the command line can print it as it is.

Limits (docs/MODELS.md, "Limits"): a model file is a regular file of at most MAX_MODEL_BYTES (8 MiB,
about 150 000 data rows at full precision), UTF-8 (a leading UTF-8 byte-order mark is accepted),
integers within float range (and within Python's int/str conversion limit of 4 300 digits, which
the TOML parser applies), arrays and tables nested at most as deep as the parser recurses, and a
seed from 0 to MAX_SEED.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from typing import NoReturn

from engine import activations
from engine.model import Model, random_params
from engine.network import Params

# Only stdlib modules that `backprop-tui train` needs anyway are imported at the top: the command
# line should start in the time NumPy takes to import (docs/DESIGN.md §11). The TOML parser (~3 ms) is
# imported by parse_model, tempfile by save_model: a preset needs neither.

DEFAULTS = {"activation": "sigmoid", "output_activation": "sigmoid", "learning_rate": 0.5, "seed": 0}
TOP_KEYS = ("activation", "output_activation", "learning_rate", "seed", "weights", "data")
WEIGHT_SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
WEIGHT_EXAMPLES = {"W1": "[[0.15, 0.20], [0.25, 0.30]]", "b1": "[0.35, 0.35]", "W2": "[[0.40], [0.45]]", "b2": "[0.60]"}


MAX_MODEL_BYTES = 8 * 2**20  # ~150 000 data rows written at full precision; read in CHUNK_BYTES pieces
CHUNK_BYTES = 2**16
MAX_SEED = 2**32 - 1  # the sweep draws seeds seed … seed + nets − 1: every accepted seed leaves room
NESTING_SHOWN = 64  # the depth from which a file that made the TOML parser recurse too deep is reported


def printable(text: str) -> bool:
    """Whether user text can be shown as it is: every character printable (str.isprintable), so no
    control or invisible format character (a bidirectional override reads a name backwards), no line
    or paragraph separator, no space but ' ', no surrogate and no unassigned code point."""
    return text.isprintable()


def shown(text: object) -> str:
    """User text (a file name, a key name, a value) fit for a one-line message: as it is when it is
    printable(), else repr-like with the other characters escaped (a newline becomes \\n, ESC
    \\x1b), so it can neither split the line nor reach the terminal as an escape sequence."""
    text = str(text)
    if printable(text):
        return text
    return "".join(ch if printable(ch) else repr(ch)[1:-1] for ch in text)


class ConfigError(Exception):
    """A bad model file. str(error) is one line: `FILE: FIELD: expected …, got …`."""

    def __init__(self, path: str | os.PathLike, field: str, problem: str):
        self.path, self.field, self.problem = shown(os.fspath(path)), shown(field), shown(problem)
        super().__init__(f"{self.path}: {self.field}: {self.problem}" if field else f"{self.path}: {self.problem}")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def read_regular_file(path: str | os.PathLike, limit: int, what: str = "a file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or ConfigError(path, "", why not).

    Opened without blocking (a FIFO with no writer would wait forever) and refused unless it is a
    regular file (/dev/zero, a directory, a pipe); read in bounded chunks and stopped one chunk past
    the limit, whatever st_size says (/proc files say 0, a growing file says less than it has).
    """
    if os.fspath(path) == "":  # the command line and the o prompt refuse it first; this guards library callers
        raise ConfigError("''", "", f"expected the name of {what}, got an empty string")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ConfigError(path, "", f"cannot read the file: {e.strerror or e}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ConfigError(path, "", f"cannot read the file: it is {_kind(mode)}; expected {what}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(CHUNK_BYTES, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ConfigError(path, "", f"the file is larger than {limit // 2**20} MiB; expected {what}")
        return b"".join(chunks)
    except OSError as e:
        raise ConfigError(path, "", f"cannot read the file: {e.strerror or e}") from None
    finally:
        os.close(fd)


def decode_utf8(raw: bytes, path: str | os.PathLike) -> str:
    """UTF-8 text without a leading byte-order mark (Notepad writes one), or one line saying where
    the first byte that is not UTF-8 is."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(
            path,
            "",
            "expected UTF-8 text, got UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8",
        )
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise ConfigError(
            path,
            "",
            f"expected UTF-8 text, got byte 0x{raw[e.start]:02x} at line {line}, "
            f"column {column}; save the file as UTF-8",
        ) from None


def _describe(value: object) -> str:
    """A short description of what the file holds, for 'got …'."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {value!r}" if len(value) <= 30 else "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        n = len(value)
        return "an empty list" if n == 0 else f"a list of {n} item{'s' if n != 1 else ''}"
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"an integer of {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return repr(value)
    return type(value).__name__  # dates and times, which TOML also has


class _Reader:
    """Checks one parsed file, field by field, and raises ConfigError at the first problem."""

    def __init__(self, path: str | os.PathLike):
        self.path = path

    def fail(self, field: str, problem: str) -> NoReturn:
        raise ConfigError(self.path, field, problem)

    def no_unknown_keys(self, table: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                field = f"{where}.{key}" if where else key
                self.fail(field, f"unknown key; expected one of {', '.join(allowed)}")

    def number(self, value: object, field: str, what: str = "a number") -> float:
        # TOML booleans are Python bools, and bool is a subclass of int: refuse them explicitly.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(field, f"expected {what}, got {_describe(value)}")
        try:
            v = float(value)
        except OverflowError:  # an integer beyond float range, e.g. 10**400 written out
            v = math.inf
        if not math.isfinite(v):
            self.fail(field, f"expected a finite number, got {_describe(value)}")
        return v

    def numbers(self, value: object, field: str, length: int | None, what: str) -> list[float]:
        if not isinstance(value, list):
            self.fail(field, f"expected {what}, got {_describe(value)}")
        if length is not None and len(value) != length:
            self.fail(field, f"expected {what}, got {_describe(value)}")
        return [self.number(v, f"{field}[{k}]") for k, v in enumerate(value)]

    def matrix(self, value: object, field: str, shape: tuple[int, int], what: str) -> list[list[float]]:
        rows, cols = shape
        if not isinstance(value, list) or len(value) != rows:
            self.fail(field, f"expected {what}, got {_describe(value)}")
        return [
            self.numbers(row, f"{field}[{k}]", cols, what=f"a list of {cols} number{'s' if cols != 1 else ''}")
            for k, row in enumerate(value)
        ]

    def activation(self, table: dict, key: str, allowed: tuple[str, ...]) -> str:
        value = table.get(key, DEFAULTS[key])
        if not isinstance(value, str) or value not in allowed:
            self.fail(key, f"expected one of {', '.join(allowed)}, got {_describe(value)}")
        return value

    def learning_rate(self, table: dict) -> float:
        lr = self.number(table.get("learning_rate", DEFAULTS["learning_rate"]), "learning_rate")
        if lr <= 0:
            self.fail("learning_rate", f"expected a number > 0, got {table['learning_rate']!r}")
        return lr

    def seed(self, table: dict) -> int:
        seed = table.get("seed", DEFAULTS["seed"])
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            self.fail("seed", f"expected an integer from 0 to {MAX_SEED}, got {_describe(seed)}")
        return seed

    def weights(self, table: object) -> Params:
        if not isinstance(table, dict):
            self.fail("weights", f"expected a [weights] table with W1, b1, W2, b2, got {_describe(table)}")
        self.no_unknown_keys(table, tuple(WEIGHT_SHAPES), "weights")
        values: dict[str, list[list[float]] | list[float]] = {}
        for name, shape in WEIGHT_SHAPES.items():
            field = f"weights.{name}"
            if name not in table:
                self.fail(field, f"missing; expected {name} = {WEIGHT_EXAMPLES[name]} (all four of W1, b1, W2, b2)")
            what = {
                "W1": "a 2×2 list of numbers, rows = inputs",
                "b1": "a list of 2 numbers",
                "W2": "a 2×1 list of numbers, [[w11], [w21]]",
                "b2": "a list of 1 number, e.g. [0.60]",
            }[name]
            if len(shape) == 2:
                values[name] = self.matrix(table[name], field, shape, what)
            else:
                values[name] = self.numbers(table[name], field, shape[0], what)
        return Params(**values)

    def data(self, table: object) -> tuple[list[list[float]], list[float]]:
        if not isinstance(table, dict):
            self.fail("data", f"expected a [data] table with x and y, got {_describe(table)}")
        self.no_unknown_keys(table, ("x", "y"), "data")
        for key in ("x", "y"):
            if key not in table:
                self.fail(f"data.{key}", "missing; expected x = [[x1, x2], …] and y = [y, …]")
        x, y = table["x"], table["y"]
        if not isinstance(x, list) or not x:
            self.fail("data.x", f"expected a non-empty list of [x1, x2] pairs, got {_describe(x)}")
        rows = [self.numbers(row, f"data.x[{k}]", 2, "a pair [x1, x2]") for k, row in enumerate(x)]
        if not isinstance(y, list) or not y:
            self.fail("data.y", f"expected a non-empty list of targets, got {_describe(y)}")
        targets = [self.number(v, f"data.y[{k}]") for k, v in enumerate(y)]
        if len(targets) != len(rows):
            self.fail("data.y", f"expected one target per row of data.x ({len(rows)}), got {len(targets)}")
        return rows, targets


def parse_model(text: str, path: str | os.PathLike = "<string>", name: str | None = None) -> Model:
    """A Model from the text of a model file; `path` is only used in error messages."""
    # start-up time: the TOML parser (~3 ms) loads only when a model file is read
    if sys.version_info >= (3, 11):
        import tomllib  # (see above)
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # (see above)

    r = _Reader(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        r.fail("", f"not valid TOML: {str(e).splitlines()[0]}")
    except RecursionError:  # the parser recurses once per level of [ or {
        line = _deep_line(text, NESTING_SHOWN)
        r.fail(
            "",
            "not a model file: arrays or inline tables nested too deeply"
            + (f" (line {line})" if line else "")
            + "; expected at most [[x1, x2], …]",
        )
    except ValueError:  # Python refuses int() of more than sys.get_int_max_str_digits() digits
        line = _long_number_line(text)
        r.fail("", "not a model file: a number with too many digits" + (f" (line {line})" if line else ""))
    r.no_unknown_keys(doc, TOP_KEYS, "")
    if "data" not in doc:
        r.fail("data", "missing; expected a [data] table with x = [[x1, x2], …] and y = [y, …]")
    hidden = r.activation(doc, "activation", activations.HIDDEN_ACTIVATIONS)
    output = r.activation(doc, "output_activation", activations.OUTPUT_ACTIVATIONS)
    lr = r.learning_rate(doc)
    seed = r.seed(doc)
    X, Y = r.data(doc["data"])
    params = r.weights(doc["weights"]) if "weights" in doc else random_params(seed)
    if name is None:
        # shown(): the name is drawn in the status line and names the exports; an escape sequence in
        # a file name reached the terminal raw (it set the window's title)
        name = shown(os.path.splitext(os.path.basename(str(path)))[0]) if str(path) != "<string>" else "model"
    return Model(name=name, params=params, X=X, Y=Y, hidden=hidden, output=output, lr=lr, seed=seed)


def _deep_line(text: str, limit: int) -> int | None:
    """The line on which [ and { outside strings and comments first nest deeper than `limit`."""
    depth, line = 0, 1
    pos, n = 0, len(text)
    token = re.compile(r"[\[\]{}\n#\"']")
    while (m := token.search(text, pos)) is not None:
        c, pos = m.group(), m.end()
        if c in "[{":
            depth += 1
            if depth > limit:
                return line
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "\n":
            line += 1
        elif c == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
        else:  # a string: skip to its closing quote(s), counting its lines
            delim = c * 3 if text.startswith(c * 3, m.start()) else c
            start = end = m.start() + len(delim)
            while (end := text.find(delim, end)) > 0 and c == '"' and _escaped(text, end):
                end += 1
            end = n if end < 0 else end
            line += text.count("\n", start, end)
            pos = end + len(delim)
    return None


def _escaped(text: str, at: int) -> bool:
    """An odd number of backslashes before text[at]."""
    k = at
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (at - k) % 2 == 1


def _long_number_line(text: str) -> int | None:
    digits = getattr(sys, "get_int_max_str_digits", lambda: 4300)()  # Python ≥ 3.11
    m = re.search(rf"[0-9_]{{{digits + 1},}}", text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_model(path: str | os.PathLike) -> Model:
    """Read and validate a model file; the model is named after the file (model.toml → "model")."""
    raw = read_regular_file(path, MAX_MODEL_BYTES, "a model file (TOML)")
    return parse_model(decode_utf8(raw, path), path)


# --- writing ---------------------------------------------------------------------------------


def _float(v: float) -> str:
    """repr is the shortest text that reads back as the same float, and it is valid TOML."""
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"cannot save a non-finite value ({v}) in a model file")
    return repr(v)


def _list(values) -> str:
    return "[" + ", ".join(_float(v) for v in values) + "]"


def _matrix(rows) -> str:
    return "[" + ", ".join(_list(row) for row in rows) + "]"


def model_to_toml(model: Model) -> str:
    """The model as a model file; parse_model(model_to_toml(m)) gives back m's numbers bit for bit."""
    p = model.params
    lines = [
        f"# backprop-tui model {model.name!r}: the 2–2–1 network of the notes",
        f'activation = "{model.hidden}"          # hidden: {" | ".join(activations.HIDDEN_ACTIVATIONS)}',
        f'output_activation = "{model.output}"   # {" | ".join(activations.OUTPUT_ACTIVATIONS)}',
        f"learning_rate = {_float(model.lr)}",
        f"seed = {int(model.seed)}                        # used only when [weights] is absent",
        "",
        "[weights]  # W1 rows = inputs: W1[i-1][j-1] = w_ij^(1) joins x_i to hidden unit j",
        f"W1 = {_matrix(p.W1)}",
        f"b1 = {_list(p.b1)}",
        f"W2 = {_matrix(p.W2)}",
        f"b2 = {_list(p.b2)}",
        "",
        "[data]",
        "x = [" + ", ".join(_list(row) for row in model.X) + "]",
        f"y = {_list(model.Y)}",
        "",
    ]
    return "\n".join(lines)


def save_model(model: Model, path: str | os.PathLike) -> None:
    """Write the model file atomically: a temporary file in the same directory, then os.replace,
    so an interrupted save never leaves half a file where a good one was. ValueError for a model
    that no model file can hold (non-finite numbers, more than MAX_MODEL_BYTES written out)."""
    import tempfile  # start-up time (~4 ms): loaded on the first save

    path = os.fspath(path)
    text = model_to_toml(model)
    if len(text.encode("utf-8")) > MAX_MODEL_BYTES:  # it could not be read back: refuse before writing
        raise ValueError(
            f"the model file would be larger than {MAX_MODEL_BYTES // 2**20} MiB, the most a "
            "model file may be; keep fewer data rows"
        )
    folder, filename = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp", dir=folder)
    try:
        f = os.fdopen(fd, "w", encoding="utf-8", newline="\n")  # owns fd from here: closed on any error
        with f:
            # mkstemp makes the file private (0600); a saved model keeps the old file's mode, or rw-r--r--.
            os.chmod(tmp, os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- command-line overrides ------------------------------------------------------------------


def has_seeded_weights(model: Model) -> bool:
    """True when the weights are the seed's small random values (truth-table presets, model files
    without [weights]): only then does a new seed mean new weights."""
    return model.params == random_params(model.seed)


def apply_overrides(
    model: Model, hidden: str | None = None, output: str | None = None, lr: float | None = None, seed: int | None = None
) -> Model:
    """Command-line settings win over the file or preset (DESIGN §6). `seed` re-draws the weights
    only when they came from the seed; explicit weights are kept (the seed is still recorded)."""
    changes: dict = {}
    if hidden is not None:
        changes["hidden"] = hidden
    if output is not None:
        changes["output"] = output
    if lr is not None:
        changes["lr"] = lr
    if seed is not None:
        changes["seed"] = seed
        if has_seeded_weights(model):
            changes["params"] = random_params(seed)
    return model.with_(**changes) if changes else model
