"""Finds text a learner would read that is not marked for translation.

An AST scan of Python source: a string literal (or f-string) is reported when it looks
like words for a person (a space between words, a capitalised word, a menu mnemonic, a
label ending in ':' or '…') and is not inside `_()`, `N_()`, `ngettext()` or `pgettext()`.

Not reported, because a learner never reads it (docs/i18n rules in the README):
- docstrings, log calls (`log.info(...)` on a logger), `assert` messages, `print` (the
  terminal stays English), exceptions only a developer sees (TypeError, KeyError,
  RuntimeError, ...; a ValueError may reach a dialog, so it is checked);
- keys and names: dict keys, subscripts, comparisons, `getattr` names, object names and
  properties, style sheets, shortcuts, SQL (`execute`), regular expressions (`re`/`regex`
  calls), paths, `.get(key)`, `.split(sep)` and the like;
- strings with no letter, and single words that are not capitalised (identifiers,
  setting values, file names, codes like "ko_KR" or "Ctrl+N");
- a line carrying the pragma `# i18n: ignore` (say why after it), for English that is
  shown on purpose: a brand, a font family, a language's own name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MARKERS = frozenset({"_", "N_", "ngettext", "pgettext"})
PRAGMA = "i18n: ignore"
LOGGER_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
DEVELOPER_ERRORS = frozenset(
    {
        "AssertionError",
        "AttributeError",
        "IndexError",
        "KeyError",
        "LookupError",
        "NotImplementedError",
        "RuntimeError",
        "SystemExit",
        "TypeError",
    }
)
NOT_TEXT_CALLS = frozenset(
    {
        # Python: names, keys, paths, separators.
        "getattr",
        "setattr",
        "hasattr",
        "delattr",
        "isinstance",
        "cast",
        "getLogger",
        "print",
        "open",
        "Path",
        "PurePath",
        "TypeVar",
        "NewType",
        "namedtuple",
        "NamedTuple",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "partition",
        "rpartition",
        "strip",
        "lstrip",
        "rstrip",
        "removeprefix",
        "removesuffix",
        "replace",
        "count",
        "find",
        "rfind",
        "index",
        "encode",
        "decode",
        "strftime",
        "strptime",
        "fromisoformat",
        "getenv",
        "import_module",
        "find_spec",
        "files",
        "joinpath",
        "with_suffix",
        "with_name",
        "glob",
        "rglob",
        # SQL.
        "execute",
        "executemany",
        "executescript",
        # Qt: names and machinery, never words.
        "setObjectName",
        "findChild",
        "findChildren",
        "setProperty",
        "property",
        "setStyleSheet",
        "QKeySequence",
        "fromTheme",
        "QColor",
        "QFont",
        "setFamily",
        "setFamilies",
        "QLocale",
        "QUrl",
        "fromLocalFile",
        "Signal",
        "Slot",
        "Property",
        "setApplicationName",
        "setOrganizationName",
        "setDesktopFileName",
        "setApplicationVersion",
        "QSettings",
        "setValue",
        "value",
        "QRegularExpression",
        "setMimeData",
        "setData",
        "hasFormat",
        "setFormat",
        # keyring: service and entry names.
        "get_password",
        "set_password",
        "delete_password",
    }
)
"""Calls whose string arguments are names, keys or code, never text for a person."""
NOT_TEXT_MODULES = frozenset(
    {"re", "regex", "os", "json", "sqlite3", "subprocess", "shutil", "QStyleFactory"}
)
KEY_METHODS = frozenset({"get", "pop", "setdefault"})
"""`.get("key", default)`: the key is checked out, the default may be words."""
CAPITALISED_WORD = re.compile(r"^&?[A-Z][a-z]+[.!?:…]?$")
LETTER = re.compile(r"[^\W\d_]")
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH|BEGIN|COMMIT|"
    r"ROLLBACK|REPLACE|VACUUM|ANALYZE|ATTACH|DETACH|SAVEPOINT|RELEASE)\b"
    r"|\b(SELECT|FROM|WHERE|AND|OR|IN|ORDER BY|GROUP BY|JOIN|LIMIT|DESC|ASC|VALUES|AS)\b"
    r".*(\?|=|<|>|\w\.\w)"
)
"""A statement, or a clause of one: upper-case keywords with a parameter or a column."""
MARKUP = re.compile(r"<[^<>]*>|\{\{[^{}]*\}\}")
"""HTML tags and template fields: only the text between them is read."""
KEY_NAMES = frozenset(
    {"Space", "Enter", "Return", "Esc", "Escape", "Tab", "Backspace", "Home", "End", "Ins"}
)
"""Qt's names of keys, given to QKeySequence (Qt's catalogue words them)."""
ALWAYS_ENGLISH = frozenset({"Tutor", *KEY_NAMES})
"""Names no language translates."""


@dataclass(frozen=True)
class Unmarked:
    path: str
    line: int
    text: str
    scope: str = ""
    """The function or class it is in ("Scanner.visit_Call"); empty at module level."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def looks_like_words(text: str) -> bool:
    """True when `text` reads as words for a person rather than a name, key or code."""
    stripped = MARKUP.sub(" ", text).strip()
    if not LETTER.search(stripped) or stripped in ALWAYS_ENGLISH:
        return False
    if SQL.search(stripped) or ("{" in stripped and ";" in stripped and ":" in stripped):
        return False  # SQL, CSS
    if re.search(r"[^\W\d_]\s+[^\W\d_]", stripped):  # two words
        return True
    if "&" in stripped and re.search(r"&[^\W\d_]", stripped) and " " not in stripped:
        return bool(re.match(r"^[^&]*&[^\W\d_][^\W\d_]*[.…]?$", stripped))  # "&Session"
    if stripped.endswith("…") or (stripped.endswith(":") and stripped[:1].isupper()):
        return True
    return bool(CAPITALISED_WORD.match(stripped))


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _receiver_name(call: ast.Call) -> str:
    """`log` of `log.info(...)`, `re` of `re.compile(...)`, `logger` of `self.logger.x()`."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return ""
    value = func.value
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Attribute):
        return value.attr
    return ""


def _is_log_call(call: ast.Call) -> bool:
    receiver = _receiver_name(call).lower()
    return _call_name(call) in LOGGER_METHODS and (
        receiver.endswith(("log", "logger", "logging")) or receiver == "warnings"
    )


def _error_name(raised: ast.expr | None) -> str:
    if isinstance(raised, ast.Call):
        raised = raised.func
    if isinstance(raised, ast.Name):
        return raised.id
    if isinstance(raised, ast.Attribute):
        return raised.attr
    return ""


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.found: list[Unmarked] = []
        self.scope: list[str] = []

    # -- what is skipped whole ---------------------------------------------------------

    def _skip_docstring(self, body: list[ast.stmt]) -> list[ast.stmt]:
        first = body[0] if body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            return body[1:]
        return body

    def _visit_body(self, node: ast.Module | ast.ClassDef | ast.FunctionDef) -> None:
        for statement in self._skip_docstring(node.body):
            self.visit(statement)

    def visit_Module(self, node: ast.Module) -> None:
        self._visit_body(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in (*node.bases, *node.keywords, *node.decorator_list):
            self.visit(child)
        self.scope.append(node.name)
        self._visit_body(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self.visit(default)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.scope.append(node.name)
        for statement in self._skip_docstring(node.body):
            self.visit(statement)
        self.scope.pop()
        # Attribute docstrings (a string right after an assignment) are skipped in
        # visit_Expr; annotations are types, never text.

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - NodeVisitor's naming

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # an attribute's docstring, or a string statement
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Assert(self, node: ast.Assert) -> None:
        self.visit(node.test)

    def visit_Raise(self, node: ast.Raise) -> None:
        if _error_name(node.exc) in DEVELOPER_ERRORS:
            return
        if node.exc is not None:
            self.visit(node.exc)

    def visit_Compare(self, node: ast.Compare) -> None:
        for operand in (node.left, *node.comparators):
            if not isinstance(operand, ast.Constant | ast.Tuple | ast.List | ast.Set):
                self.visit(operand)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)  # the key or index is a name

    def visit_BinOp(self, node: ast.BinOp) -> None:
        for operand in (node.left, node.right):
            if not (isinstance(node.op, ast.Div) and isinstance(operand, ast.Constant)):
                self.visit(operand)  # path / "folder" / "file" joins names

    def visit_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self.visit(value)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in MARKERS or _is_log_call(node):
            return
        self.visit(node.func)
        if name in NOT_TEXT_CALLS or _receiver_name(node) in NOT_TEXT_MODULES:
            arguments: list[ast.expr] = []
        elif name in KEY_METHODS and isinstance(node.func, ast.Attribute):
            arguments = node.args[1:]
        else:
            arguments = list(node.args)
        for argument in arguments:
            self.visit(argument)
        for keyword in node.keywords:
            self.visit(keyword.value)

    # -- what is checked -------------------------------------------------------------

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._check(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        # A value stands for a word: f"{count} messages" reads as words, if the literal
        # parts hold a letter outside markup (f"<b>{name}</b> {more}" holds none).
        parts = [
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else None
            for part in node.values
        ]
        literal = MARKUP.sub(" ", "".join(part for part in parts if part is not None))
        text = "".join("X" if part is None else part for part in parts)
        if LETTER.search(literal) and self._check(node, text):
            return
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part.value)

    def _check(self, node: ast.expr, text: str) -> bool:
        if not looks_like_words(text):
            return False
        last = node.end_lineno or node.lineno
        if any(PRAGMA in self.lines[number - 1] for number in range(node.lineno, last + 1)):
            return False
        shown = ast.get_source_segment("\n".join(self.lines), node) or text
        self.found.append(Unmarked(self.path, node.lineno, shown[:100], ".".join(self.scope)))
        return True


def unmarked_in_source(source: str, path: str = "<source>") -> list[Unmarked]:
    scanner = _Scanner(path, source.splitlines())
    scanner.visit(ast.parse(source))
    return scanner.found


def unmarked_in(root: Path, package: Path) -> Iterator[Unmarked]:
    """Every unmarked text in the Python files under `package`, named relative to `root`."""
    for file in sorted(package.rglob("*.py")):
        yield from unmarked_in_source(
            file.read_text(encoding="utf-8"), file.relative_to(root).as_posix()
        )
