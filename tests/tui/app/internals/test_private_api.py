"""Private Textual API only in tui/app/internals/ (issue 10): a Textual upgrade that moves a private
name can then break only that folder, and the stock mode (BACKPROP_TUI_RENDERING=stock) runs
without it.

"Private" is a name starting with `_` (not a dunder) of Textual or of Rich, the library Textual
renders with (`Style._meta` is Rich's):
- an import from a private module (`textual._compositor`, `textual.widgets._data_table`);
- an imported name that starts with `_` (`from textual.content import _FormattedLine`);
- an attribute `x._name` (or getattr/setattr/hasattr/delattr(x, "_name")) where `_name` is defined
  by a Textual or Rich class: in its body, as `self._name = …` in its methods, or at the top of
  one of their modules. Our own `self._private` attributes do not count: on `self` inside one of
  our classes a name counts when a Textual base class of that class defines it (a use, an override
  or a clobbering of Textual's private), or when none of our classes defines it (a mixin reaching
  into the widget it is mixed into); on anything else, when none of our classes defines it.
The names are read from Textual's and Rich's installed sources (ast) and from dir() of the Textual
and Rich classes our classes inherit from, so a new Textual release brings its new private names.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
TUI = ROOT / "tui"
INTERNALS = TUI / "app" / "internals"
LIBRARIES = ("textual", "rich")
ATTR_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}


def is_private(name: str) -> bool:
    """_name; not a dunder, not __name (mangled per class: nobody else's), not _ alone."""
    return len(name) > 1 and name.startswith("_") and not name.startswith("__")


def library_module(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


def private_module(module: str) -> bool:
    return library_module(module) and any(is_private(part) for part in module.split("."))


def defined_names(tree: ast.AST) -> tuple[set[str], dict[str, set[str]]]:
    """(private names at a module's top level, {class qualname: private names it defines}): class
    body members and `self._x` / `cls._x` stores in its methods."""
    module_level: set[str] = set()
    classes: dict[str, set[str]] = {}
    for node in getattr(tree, "body", []):
        for name in _bound_names(node):
            if is_private(name):
                module_level.add(name)

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                qualname = f"{prefix}{child.name}"
                names = classes.setdefault(qualname, set())
                for member in child.body:
                    names.update(n for n in _bound_names(member) if is_private(n))
                for inner in ast.walk(child):
                    if (
                        isinstance(inner, ast.Attribute)
                        and isinstance(inner.ctx, ast.Store)
                        and isinstance(inner.value, ast.Name)
                        and inner.value.id in ("self", "cls")
                        and is_private(inner.attr)
                    ):
                        names.add(inner.attr)
                visit(child, qualname + ".")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, f"{prefix}{child.name}.<locals>.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return module_level, classes


def _bound_names(node: ast.AST) -> Iterator[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            yield from (n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
        yield node.target.id
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]


@dataclass
class LibraryNames:
    everywhere: set[str]  # every private name defined by a Textual or Rich class or module
    by_class: dict[tuple[str, str], set[str]]  # (module, qualname) → the private names that class defines


@lru_cache(maxsize=1)
def library_names() -> LibraryNames:
    everywhere: set[str] = set()
    by_class: dict[tuple[str, str], set[str]] = {}
    for library in LIBRARIES:
        spec = importlib.util.find_spec(library)
        assert spec is not None and spec.submodule_search_locations, library
        base = Path(next(iter(spec.submodule_search_locations)))
        for path in base.rglob("*.py"):
            parts = path.relative_to(base.parent).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            module_level, classes = defined_names(tree)
            everywhere |= module_level
            for qualname, names in classes.items():
                everywhere |= names
                by_class[module, qualname] = names
    return LibraryNames(everywhere, by_class)


def library_class_names(cls: type) -> set[str]:
    """The private names a Textual or Rich class and its Textual and Rich bases define."""
    names = library_names()
    out: set[str] = set()
    for base in cls.__mro__:
        if library_module(base.__module__ or ""):
            out |= names.by_class.get((base.__module__, base.__qualname__), set())
            out |= {n for n in vars(base) if is_private(n)}
    return out


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


@dataclass
class OurNames:
    everywhere: set[str]  # every private name one of our classes defines
    by_class: dict[tuple[str, str], set[str]]  # (module, qualname) → the private names it defines


class _Probe:
    """Stands in for a class made inside a function: only its MRO is asked for."""

    def __init__(self, bases: list[type]) -> None:
        mro: list[type] = []
        for base in bases:
            mro.extend(b for b in base.__mro__ if b not in mro)
        self.__mro__ = tuple(mro)


class Checker(ast.NodeVisitor):
    def __init__(self, path: str, namespace: dict | None, ours: OurNames) -> None:
        self.path, self.namespace, self.ours = path, namespace or {}, ours
        self.uses: list[Use] = []
        self.classes: list = []  # the runtime classes (or _Probe) of the class bodies we are in
        self.other_modules: set[str] = set()  # names bound to modules that are not Textual's or Rich's
        self.library = library_names()
        self.clobbers: set[tuple[str, str]] = set()  # (name, our class defining it), reported once

    def report(self, node: ast.AST, what: str) -> None:
        self.uses.append(Use(self.path, getattr(node, "lineno", 0), what))

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if private_module(alias.name):
                self.report(node, f"import {alias.name}")
            elif not library_module(alias.name):
                self.other_modules.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level == 0 and library_module(module):
            if private_module(module):
                self.report(node, f"from {module} import …")
            for alias in node.names:
                if is_private(alias.name):
                    self.report(node, f"from {module} import {alias.name}")

    # classes: the private names of their Textual bases that our classes of the MRO define again
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        cls = self._runtime_class(node)
        if cls is not None:
            theirs = library_class_names(cls)
            for base in cls.__mro__:
                key = (base.__module__ or "", base.__qualname__)
                for name in sorted(theirs & self.ours.by_class.get(key, set())):
                    if (name, key[1]) not in self.clobbers:
                        self.clobbers.add((name, key[1]))
                        self.report(node, f"{base.__qualname__} defines {name}, as a Textual base class does")
        self.classes.append(cls)
        self.generic_visit(node)
        self.classes.pop()

    def _runtime_class(self, node: ast.ClassDef):
        if not self.classes:
            cls = self.namespace.get(node.name)
            if isinstance(cls, type):
                return cls
        # a class inside a function or a class: its MRO from its bases, as far as they resolve
        bases = []
        for expr in node.bases:
            try:
                base = eval(compile(ast.Expression(expr), self.path, "eval"), dict(self.namespace))  # noqa: S307
            except Exception:  # noqa: BLE001 - a base we cannot resolve adds no Textual names
                continue
            if isinstance(base, type):
                bases.append(base)
        return _Probe(bases) if bases else None

    # attributes
    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._attribute(node, node.value, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in ATTR_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            self._attribute(node, node.args[0], node.args[1].value)
        self.generic_visit(node)

    def _attribute(self, node: ast.AST, receiver: ast.AST, name: str) -> None:
        if not is_private(name):
            return
        if isinstance(receiver, ast.Name) and receiver.id in self.other_modules:
            return  # os._exit, sys._getframe: not Textual's
        on_self = (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")) or (
            isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super"
        )
        cls = next((c for c in reversed(self.classes) if c is not None), None)
        if on_self and cls is not None and name in library_class_names(cls):
            self.report(node, f"{ast.unparse(receiver)}.{name} (a Textual base class's)")
        elif name in self.library.everywhere and name not in self.ours.everywhere:
            self.report(node, f"{ast.unparse(receiver)}.{name}")


def our_names(sources: dict[str, str]) -> OurNames:
    """The private names our own classes define, from {module: source} (internals/ left out by the
    caller: its names are not for the rest of the app)."""
    everywhere: set[str] = set()
    by_class: dict[tuple[str, str], set[str]] = {}
    for module, source in sources.items():
        _, classes = defined_names(ast.parse(source))
        for qualname, names in classes.items():
            by_class[module, qualname] = names
            everywhere |= names
    return OurNames(everywhere, by_class)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def check_source(source: str, path: str, namespace: dict | None, ours: OurNames) -> list[Use]:
    checker = Checker(path, namespace, ours)
    checker.visit(ast.parse(source))
    return checker.uses


def tui_sources() -> dict[str, str]:
    """{module: source} of tui/ outside internals/."""
    return {
        module_name(path): path.read_text(encoding="utf-8")
        for path in sorted(TUI.rglob("*.py"))
        if INTERNALS not in path.parents
    }


def private_uses() -> list[Use]:
    sources = tui_sources()
    ours = our_names(sources)
    uses = []
    for module, source in sources.items():
        namespace = None
        if not module.endswith("__main__") and any(isinstance(n, ast.ClassDef) for n in ast.walk(ast.parse(source))):
            namespace = vars(importlib.import_module(module))
        path = (
            module.replace(".", "/") + ".py"
            if (ROOT / (module.replace(".", "/") + ".py")).exists()
            else module.replace(".", "/") + "/__init__.py"
        )
        uses += check_source(source, path, namespace, ours)
    return uses


def test_no_private_textual_name_outside_internals():
    assert [str(u) for u in private_uses()] == []


# --- the checker itself, on small sources ---------------------------------------------------------
def check_sample(source: str) -> list[str]:
    """The uses the checker finds in `source`, run as a module named `sample` (its classes are made)."""
    namespace: dict = {"__name__": "sample"}
    exec(compile(source, "sample.py", "exec"), namespace)  # noqa: S102 - our own test source
    ours = our_names({**tui_sources(), "sample": source})
    return [u.what for u in check_source(source, "sample.py", namespace, ours)]


def test_catches_screen_selecting_reintroduced():
    found = check_sample(
        "from textual.widget import Widget\n"
        "class Panel(Widget):\n"
        "    def rows(self):\n"
        "        return self.screen._selecting\n"
        "def selecting(screen):\n"
        "    return screen._selecting\n"
    )
    assert found == ["self.screen._selecting", "screen._selecting"]


def test_catches_private_imports_and_getattr():
    found = check_sample(
        "from textual._compositor import Compositor\n"
        "from textual.content import Content, _FormattedLine\n"
        "import textual._compositor\n"
        "def meta(style):\n"
        "    return getattr(style, '_meta')\n"
    )
    assert found == [
        "from textual._compositor import …",
        "from textual.content import _FormattedLine",
        "import textual._compositor",
        "style._meta",
    ]


def test_catches_overrides_and_uses_of_a_base_classes_privates_but_not_our_own():
    found = check_sample(
        "from textual.screen import Screen\n"
        "from textual.widget import Widget\n"
        "class Mixin:\n"
        "    def __init__(self):\n"
        "        self._mine = 1\n"
        "    def clear(self):\n"
        "        self._dirty_regions.clear()\n"  # reaches into the Widget it is mixed into
        "        return self._mine\n"
        "class Main(Screen):\n"
        "    def _on_screen_resume(self, event):\n"  # overrides Textual's private handler
        "        super()._on_screen_resume(event)\n"
        "class Panel(Mixin, Widget):\n"
        "    def paint(self):\n"
        "        self._border_title = None\n"
        "        return self._mine\n"
    )
    assert found == [
        "self._dirty_regions",
        "Main defines _on_screen_resume, as a Textual base class does",
        "super()._on_screen_resume (a Textual base class's)",
        "Panel defines _border_title, as a Textual base class does",
        "self._border_title (a Textual base class's)",
    ]


def test_catches_a_mixin_whose_own_attribute_clobbers_the_widgets():
    found = check_sample(
        "from textual.widget import Widget\n"
        "class Cache:\n"
        "    def __init__(self):\n"
        "        self._dirty_regions = set()\n"
        "class Panel(Cache, Widget):\n"
        "    pass\n"
    )
    assert found == ["Cache defines _dirty_regions, as a Textual base class does"]


def test_leaves_other_libraries_and_our_own_names_alone():
    assert (
        check_sample(
            "import os\n"
            "class Counter:\n"
            "    def __init__(self):\n"
            "        self._count = 0\n"
            "    def bump(self, other):\n"
            "        other._count += 1\n"
            "        return os._exit\n"
        )
        == []
    )


@pytest.mark.parametrize(
    "name, private", [("_x", True), ("__init__", False), ("x", False), ("_", False), ("__mangled", False)]
)
def test_is_private(name, private):
    assert is_private(name) is private
