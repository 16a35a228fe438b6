"""The checkers behind tests/test_architecture.py: read a package's sources (never import
them), resolve every import to the module it names, and report what breaks a rule.

Each checker takes a `Package` so the tests can run it on Tutor itself and, to prove it is
not vacuous, on small synthetic packages written to a temporary folder.

What counts as an import: every `import` and `from … import` anywhere in a module, at top
level, inside functions and classes, inside `try`, and inside `if TYPE_CHECKING:` (those are
marked `type_only`). The layer rules count all of them: a type-only import still says that one
layer knows another. The cycle rule leaves type-only imports out: they never run, and
`if TYPE_CHECKING:` is the accepted way to name a type of a module that imports yours (a
controller annotating the window that owns it). Lazy imports inside functions do run, so they
count for cycles too.

How an import is resolved to a module of the package (`tutor.…`):
- `import tutor.x.y` names `tutor.x.y` (the longest prefix that is a module, if not itself one).
- `from tutor.x import y` names `tutor.x.y` when that module exists (y is a submodule),
  otherwise `tutor.x` (y is a name defined there). `from tutor import ui` names `tutor.ui`.
- Relative imports are resolved against the importing module's package: in
  `tutor/store/a.py`, `from . import b` is `tutor.store.b` and `from ..llm import c` is
  `tutor.llm.c`; in a package's `__init__.py` the package is the module itself.
An edge goes to the module named, not to the parent packages Python also runs on the way
(`tutor/ui/chat/__init__.py`): Tutor's `__init__` files hold docstrings only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

QT_MODULES = ("PySide6", "shiboken6")

# The opening docstring of a module over MAX_LINES lines must contain this phrase, followed by
# the reason, e.g. """... Over 400 lines because the table of presets is one piece of data."""
MAX_LINES = 400
LONG_MODULE_MARKER = re.compile(r"\bover 400 lines\b", re.IGNORECASE)


@dataclass(frozen=True)
class Import:
    importer: str  # dotted name of the module that holds the import statement
    line: int
    written: str  # the statement's target as written, e.g. "..llm.client" or "tutor.ui"
    target: str | None  # the package's module it names, None for anything outside the package
    external: str | None  # top-level name of a module outside the package ("PySide6")
    type_only: bool  # inside `if TYPE_CHECKING:`

    def __str__(self) -> str:
        named = self.target or self.external
        return f"{self.importer}:{self.line} imports {named} ({self.written})"


@dataclass(frozen=True)
class Package:
    """A package's sources on disk: `root` is the folder holding its `__init__.py`."""

    root: Path
    name: str = "tutor"

    def modules(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for path in sorted(self.root.rglob("*.py")):
            parts = path.relative_to(self.root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((self.name, *parts))] = path
        return found

    def imports(self) -> list[Import]:
        modules = self.modules()
        found: list[Import] = []
        for module, path in modules.items():
            found.extend(imports_of(module, path, modules, self.name))
        return found


def module_docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _statements(
    body: Iterable[ast.AST], type_only: bool = False
) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement in `body` and below, with whether it is under `if TYPE_CHECKING:`."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_only
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.body, True)
            yield from _statements(node.orelse, type_only)
        else:
            yield from _statements(ast.iter_child_nodes(node), type_only)


def _longest_module(dotted: str, modules: dict[str, Path]) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imports_of(
    module: str, path: Path, modules: dict[str, Path], package: str = "tutor"
) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def add(
        node: ast.stmt, written: str, dotted: str, type_only: bool, submodule: str = ""
    ) -> None:
        top = dotted.split(".")[0]
        if top != package:
            found.append(Import(module, node.lineno, written, None, top, type_only))
            return
        if submodule and f"{dotted}.{submodule}" in modules:
            target = f"{dotted}.{submodule}"
        else:  # a name defined in `dotted` (or a module file that does not exist: keep the name)
            target = _longest_module(dotted, modules) or dotted
        found.append(Import(module, node.lineno, written, target, None, type_only))

    for node, type_only in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name, alias.name, type_only)
            continue
        assert isinstance(node, ast.ImportFrom)
        written = "." * node.level + (node.module or "")
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            if node.level > 1:
                base = base[: -(node.level - 1)]
            dotted = ".".join(base + ([node.module] if node.module else []))
        else:
            dotted = node.module or ""
        for alias in node.names:
            name = "" if alias.name == "*" else alias.name
            is_submodule = f"{dotted}.{name}" in modules
            spelled = f"from {written} import {alias.name}" if is_submodule else f"from {written}"
            add(node, spelled, dotted, type_only, name)
    return found


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer_offenders(
    imports: Iterable[Import], layer: str, allowed: Callable[[Import], bool]
) -> list[str]:
    return sorted({str(i) for i in imports if _inside(i.importer, layer) and not allowed(i)})


# --- the rules: each returns the offending imports (or modules) as readable lines ------------


def domain_offenders(package: Package) -> list[str]:
    """The domain imports nothing of the package outside the domain, except the
    translation layer below it (its words are translated where they are written)."""
    domain, i18n = f"{package.name}.domain", f"{package.name}.i18n"
    return _layer_offenders(
        package.imports(),
        domain,
        lambda i: i.target is None or _inside(i.target, domain) or _inside(i.target, i18n),
    )


def i18n_offenders(package: Package) -> list[str]:
    """The translation layer, at the bottom, imports nothing else of the package."""
    i18n = f"{package.name}.i18n"
    return _layer_offenders(
        package.imports(), i18n, lambda i: i.target is None or _inside(i.target, i18n)
    )


def store_and_llm_allowed(package: Package) -> dict[str, tuple[str, ...]]:
    """What store and llm may import of the package: the domain and themselves. Neither uses
    the small infrastructure modules (paths, logging_setup) today, so they are not allowed:
    whoever needs one there changes this list on purpose, in review."""
    name = package.name
    return {
        f"{name}.store": (f"{name}.domain", f"{name}.store", f"{name}.i18n"),
        f"{name}.llm": (f"{name}.domain", f"{name}.llm", f"{name}.i18n"),
    }


def store_and_llm_offenders(package: Package) -> list[str]:
    imports = package.imports()
    offenders: list[str] = []
    for layer, allowed in store_and_llm_allowed(package).items():

        def permitted(i: Import, allowed: tuple[str, ...] = allowed) -> bool:
            return i.target is None or any(_inside(i.target, a) for a in allowed)

        offenders += _layer_offenders(imports, layer, permitted)
    return sorted(offenders)


def store_llm_crossings(package: Package) -> list[str]:
    """store and llm never import each other (in either direction, by any spelling)."""
    store, llm = f"{package.name}.store", f"{package.name}.llm"
    return sorted(
        {
            str(i)
            for i in package.imports()
            if i.target is not None
            and (
                (_inside(i.importer, store) and _inside(i.target, llm))
                or (_inside(i.importer, llm) and _inside(i.target, store))
            )
        }
    )


def services_offenders(package: Package) -> list[str]:
    """services import no Qt and nothing of the interface, the command line or the root."""
    name = package.name
    forbidden = (f"{name}.ui", f"{name}.cli", f"{name}.app")
    return _layer_offenders(
        package.imports(),
        f"{name}.services",
        lambda i: (
            i.external not in QT_MODULES
            and not (i.target is not None and any(_inside(i.target, f) for f in forbidden))
        ),
    )


def qt_offenders(package: Package, *, also_allowed: tuple[str, ...] = ("app",)) -> list[str]:
    """Only the interface (and the composition root, which makes the QApplication) import Qt."""
    allowed = (f"{package.name}.ui", *(f"{package.name}.{m}" for m in also_allowed))
    return sorted(
        {
            str(i)
            for i in package.imports()
            if i.external in QT_MODULES and not any(_inside(i.importer, a) for a in allowed)
        }
    )


UI_SHARED = ("shell", "widgets")


def _ui_package(module: str, ui: str) -> str | None:
    """`chat` for `tutor.ui.chat.practice`; None for `tutor.ui` itself or outside the ui."""
    if not module.startswith(ui + "."):
        return None
    return module[len(ui) + 1 :].split(".")[0]


def ui_feature_offenders(package: Package) -> list[str]:
    """Feature packages of the ui reach one another only through shell or widgets; widgets
    import no other ui package; shell may import the features (it composes them)."""
    ui = f"{package.name}.ui"
    offenders: set[str] = set()
    for i in package.imports():
        source = _ui_package(i.importer, ui)
        if source is None or source == "shell" or i.target is None:
            continue
        if i.target == ui:  # `from tutor import ui`: a feature reaching for the whole interface
            offenders.add(str(i))
            continue
        destination = _ui_package(i.target, ui)
        if destination is None or destination == source:
            continue
        if source == "widgets" or destination not in UI_SHARED:
            offenders.add(str(i))
    return sorted(offenders)


def composition_root_importers(package: Package) -> list[str]:
    """Nothing imports the composition root except `python -m tutor` (__main__)."""
    root, main = f"{package.name}.app", f"{package.name}.__main__"
    return sorted(
        {
            str(i)
            for i in package.imports()
            if i.target is not None and _inside(i.target, root) and i.importer != main
        }
    )


def import_graph(package: Package) -> dict[str, set[str]]:
    """Module → the package's modules it imports at run time (type-only imports left out)."""
    graph: dict[str, set[str]] = {module: set() for module in package.modules()}
    for i in package.imports():
        if i.target is not None and not i.type_only and i.target in graph:
            graph[i.importer].add(i.target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on a deep chain)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def import_cycles(package: Package) -> list[str]:
    """Each cycle as its members and the imports that close it."""
    graph = import_graph(package)
    cycles: list[str] = []
    for component in strongly_connected(graph):
        members = set(component)
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        edges = sorted(
            f"{source} -> {target}"
            for source in component
            for target in graph[source]
            if target in members
        )
        cycles.append(f"cycle of {len(component)}: {', '.join(component)} [{'; '.join(edges)}]")
    return sorted(cycles)


def long_modules(package: Package) -> list[str]:
    """Modules over MAX_LINES lines whose opening docstring does not say why."""
    offenders: list[str] = []
    for module, path in package.modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and not LONG_MODULE_MARKER.search(module_docstring(path)):
            offenders.append(f"{module}: {lines} lines, and its docstring does not say why")
    return sorted(offenders)
