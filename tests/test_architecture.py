"""The layering rules: only tutor/ui touches Qt, and nothing heavy happens at import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tutor"
QT_FREE = ("domain", "store", "llm")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", QT_FREE)
def test_core_layers_never_import_qt_or_the_ui(layer):
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            n
            for n in imported_modules(path)
            if n.split(".")[0] in ("PySide6", "shiboken6") or n.startswith("tutor.ui")
        )
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_outside_the_ui_only_the_composition_root_touches_qt():
    # app.py makes the QApplication and the first window; everything else with Qt is ui/.
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "ui"
        and path.name != "app.py"
        and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in imported_modules(path))
    )
    assert offenders == []


def test_domain_depends_on_nothing_else_in_tutor():
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in imported_modules(path):
            if name.startswith("tutor."):
                assert name.startswith("tutor.domain"), f"{path.name} imports {name}"


def test_importing_the_core_loads_neither_qt_nor_openai():
    code = (
        "import sys, tutor.app, tutor.domain.prompts, tutor.store.sessions, tutor.llm.client, "
        "tutor.llm.probe; "
        "print(sorted(m for m in ('PySide6', 'openai', 'keyring') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
