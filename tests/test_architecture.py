"""The architecture, enforced: which layer may import which, only tutor/ui touches Qt, the
feature packages of the interface meet only through shell and widgets, nothing imports the
composition root, no import cycles, no module over 400 lines without a reason, and nothing
heavy happens at import.

The checkers live in tests/architecture_rules.py (read it for how imports are resolved:
relative imports, `from tutor import ui`, imports inside functions and under
`if TYPE_CHECKING:`). Each rule has a second test below that runs its checker on a small
synthetic package with the rule broken, so no rule can pass by seeing nothing.

Decisions written down here:
- Imports under `if TYPE_CHECKING:` count for every layer rule, but not for the cycle rule
  (they never run; naming the type of a module that imports yours is what they are for).
- store and llm may import the domain and themselves only, and the translation layer
  (tutor.i18n) that every layer words its text with; neither uses tutor.paths or
  tutor.logging_setup today, so those are not in the allowed set.
- tutor.i18n is the bottom layer: the domain may import it, it imports nothing of Tutor's.
- Only tutor/ui and tutor/app.py import PySide6 or shiboken6 (tutor/__main__.py has no need).
- A module over 400 lines says why in its opening docstring, with the words "over 400 lines"
  followed by the reason, e.g. "Over 400 lines because the preset table is one piece of data."
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture_rules import (
    MAX_LINES,
    UI_SHARED,
    Package,
    composition_root_importers,
    domain_offenders,
    i18n_offenders,
    import_cycles,
    long_modules,
    qt_offenders,
    services_offenders,
    store_and_llm_allowed,
    store_and_llm_offenders,
    store_llm_crossings,
    ui_feature_offenders,
)

PACKAGE = Path(__file__).resolve().parent.parent / "tutor"
TUTOR = Package(PACKAGE)
QT_FREE = ("domain", "store", "llm", "services", "i18n")


# --- the rules, on Tutor ---------------------------------------------------------------------


def test_the_checkers_see_the_whole_package():
    # Guards every rule below against passing because it read nothing.
    modules = TUTOR.modules()
    for expected in (
        "tutor",
        "tutor.app",
        "tutor.__main__",
        "tutor.domain.conversation",
        "tutor.store.sessions",
        "tutor.llm.client",
        "tutor.services",
        "tutor.ui.shell.main_window",
    ):
        assert expected in modules
    imports = TUTOR.imports()
    assert any(i.external == "PySide6" for i in imports)
    assert any(i.target == "tutor.domain.conversation" for i in imports)
    ui_packages = {p.name for p in (PACKAGE / "ui").iterdir() if (p / "__init__.py").exists()}
    assert set(UI_SHARED) <= ui_packages
    assert len(ui_packages - set(UI_SHARED)) >= 2  # at least two features to keep apart


@pytest.mark.parametrize("layer", QT_FREE)
def test_core_layers_never_import_qt_or_the_ui(layer):
    offenders = sorted(
        str(i)
        for i in TUTOR.imports()
        if (i.importer == f"tutor.{layer}" or i.importer.startswith(f"tutor.{layer}."))
        and (
            i.external in ("PySide6", "shiboken6")
            or (i.target is not None and (i.target + ".").startswith("tutor.ui."))
        )
    )
    assert offenders == [], "\n".join(offenders)


def test_outside_the_ui_only_the_composition_root_touches_qt():
    # app.py makes the QApplication and the first window; everything else with Qt is ui/.
    offenders = qt_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_domain_depends_on_nothing_else_in_tutor():
    offenders = domain_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_translation_layer_depends_on_nothing_else_in_tutor():
    offenders = i18n_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_store_and_llm_import_only_the_domain():
    assert store_and_llm_allowed(TUTOR) == {
        "tutor.store": ("tutor.domain", "tutor.store", "tutor.i18n"),
        "tutor.llm": ("tutor.domain", "tutor.llm", "tutor.i18n"),
    }
    offenders = store_and_llm_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_store_and_llm_never_import_each_other():
    offenders = store_llm_crossings(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_services_import_neither_qt_nor_the_interface_the_command_line_or_the_root():
    offenders = services_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_ui_feature_packages_meet_only_through_shell_or_widgets():
    offenders = ui_feature_offenders(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_nothing_imports_the_composition_root():
    offenders = composition_root_importers(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_no_import_cycles_between_tutors_modules():
    offenders = import_cycles(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_no_module_over_400_lines_without_saying_why():
    offenders = long_modules(TUTOR)
    assert offenders == [], "\n".join(offenders)


def test_importing_the_core_loads_neither_qt_nor_openai():
    # Every module of the Qt-free layers and the command line, and the composition root:
    # none of them may pull in Qt, openai or keyring at import time.
    core = sorted(
        module
        for module in TUTOR.modules()
        if module.split(".")[1:2] in (["domain"], ["store"], ["llm"], ["services"], ["cli"])
        and not module.endswith("__main__")
    )
    assert {"tutor.domain.prompts", "tutor.store.sessions", "tutor.llm.client"} <= set(core)
    assert {"tutor.llm.probe", "tutor.cli.doctor"} <= set(core)
    code = (
        "import importlib, sys\n"
        f"for name in {['tutor.app', *core]!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('PySide6', 'openai', 'keyring') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


# --- the checkers catch what they are for: synthetic packages with a rule broken -------------

TYPE_ONLY = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    "

# A small package shaped like Tutor that keeps every rule, written with every spelling of an
# import the checkers must understand. Each meta-test breaks one rule in a copy of it.
HEALTHY: dict[str, str] = {
    "__init__.py": '"""A package shaped like Tutor."""\n__version__ = "1"\n',
    "__main__.py": "from tutor.app import main\n",
    "app.py": (
        "from PySide6.QtWidgets import QApplication\n"
        "from tutor.cli import arguments\n"
        "from .ui.shell.main_window import MainWindow\n"
        "def main():\n"
        "    import tutor.store.sessions\n"
    ),
    "paths.py": "",
    "cli/__init__.py": "",
    "cli/arguments.py": "from tutor import __version__\nfrom tutor.domain.levels import Level\n",
    "domain/__init__.py": "",
    "domain/levels.py": "from . import text\n",
    "domain/text.py": "import unicodedata\n",
    "store/__init__.py": "",
    "store/sessions.py": (
        "from typing import TYPE_CHECKING\n"
        "from ..domain import levels\n"
        "from tutor.store.database import transaction\n"
        "if TYPE_CHECKING:\n"
        "    from tutor.domain.text import Text\n"
    ),
    "store/database.py": "import sqlite3\n",
    "llm/__init__.py": "",
    "llm/client.py": "import tutor.domain.levels\nfrom .errors import LlmError\n",
    "llm/errors.py": "",
    "services/__init__.py": "",
    "services/turns.py": (
        "from tutor.store import sessions\n"
        "from ..llm.client import ChatClient\n"
        "import tutor.paths\n"
    ),
    "ui/__init__.py": "",
    "ui/shell/__init__.py": "",
    "ui/shell/main_window.py": (
        "from PySide6.QtWidgets import QMainWindow\n"
        "from tutor.ui.chat import view\n"
        "from ..review.window import ReviewWindow\n"
        "from .context import AppContext\n"
    ),
    "ui/shell/context.py": "from tutor.services import turns\n",
    "ui/widgets/__init__.py": "",
    "ui/widgets/bidi.py": "import shiboken6\nfrom . import painting\n",
    "ui/widgets/painting.py": "",
    "ui/chat/__init__.py": "",
    "ui/chat/view.py": (
        "from typing import TYPE_CHECKING\n"
        "from tutor.ui.widgets import bidi\n"
        "from ..shell.context import AppContext\n"
        "from . import composer\n"
        "if TYPE_CHECKING:\n"
        "    from tutor.ui.shell.main_window import MainWindow  # type-only: not a cycle\n"
    ),
    "ui/chat/composer.py": "",
    "ui/review/__init__.py": "",
    "ui/review/window.py": "from tutor.ui.shell import context\nfrom ..widgets.bidi import x\n",
}


def synthetic(tmp_path: Path, changes: dict[str, str] | None = None) -> Package:
    """The healthy package, written to tmp_path, with `changes` (path: text) replacing or
    adding files."""
    files = {**HEALTHY, **(changes or {})}
    root = tmp_path / "tutor"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Package(root)


def test_the_healthy_synthetic_package_keeps_every_rule(tmp_path):
    package = synthetic(tmp_path)
    for checker in (
        domain_offenders,
        store_and_llm_offenders,
        store_llm_crossings,
        services_offenders,
        qt_offenders,
        ui_feature_offenders,
        composition_root_importers,
        import_cycles,
        long_modules,
    ):
        assert checker(package) == [], checker.__name__


def test_every_spelling_of_an_import_is_resolved(tmp_path):
    package = synthetic(
        tmp_path,
        {
            "domain/spellings.py": (
                "from typing import TYPE_CHECKING\n"
                "import tutor.store.sessions\n"  # 2
                "import tutor.store.sessions.nothing_here\n"  # 3: the longest module that exists
                "from tutor.llm import client\n"  # 4: a submodule
                "from tutor.llm.client import ChatClient\n"  # 5: a name in a module
                "from tutor.llm import LlmError\n"  # 6: a name in a package
                "from tutor import ui\n"  # 7
                "from tutor import __version__\n"  # 8: a name in the root package
                "from . import levels\n"  # 9
                "from .text import Text\n"  # 10
                "from ..store import database\n"  # 11
                "from .. import paths\n"  # 12
                "from ..ui.chat.view import View\n"  # 13
                "import PySide6.QtCore\n"  # 14
                "def later():\n"
                "    from ..ui.widgets import bidi\n"  # 16: inside a function
                "if TYPE_CHECKING:\n"
                "    from ..cli.arguments import Options\n"  # 18
                "else:\n"
                "    import tutor.app\n"  # 20: the else branch runs
                "class Holder:\n"
                "    try:\n"
                "        from tutor.ui.review import window\n"  # 23
                "    except ImportError:\n"
                "        pass\n"
                "import typing\n"  # 26
                "if typing.TYPE_CHECKING:\n"
                "    from tutor.ui import *\n"  # 28: the package itself
            ),
        },
    )
    resolved = {
        (i.line, i.target or i.external, i.type_only)
        for i in package.imports()
        if i.importer == "tutor.domain.spellings"
    }
    assert resolved == {
        (1, "typing", False),
        (2, "tutor.store.sessions", False),
        (3, "tutor.store.sessions", False),
        (4, "tutor.llm.client", False),
        (5, "tutor.llm.client", False),
        (6, "tutor.llm", False),
        (7, "tutor.ui", False),
        (8, "tutor", False),
        (9, "tutor.domain.levels", False),
        (10, "tutor.domain.text", False),
        (11, "tutor.store.database", False),
        (12, "tutor.paths", False),
        (13, "tutor.ui.chat.view", False),
        (14, "PySide6", False),
        (16, "tutor.ui.widgets.bidi", False),
        (18, "tutor.cli.arguments", True),
        (20, "tutor.app", False),
        (23, "tutor.ui.review.window", False),
        (26, "typing", False),
        (28, "tutor.ui", True),
    }


def test_relative_imports_in_a_package_init_start_from_the_package(tmp_path):
    package = synthetic(
        tmp_path, {"ui/shell/__init__.py": "from . import main_window\nfrom .. import widgets\n"}
    )
    targets = {i.target for i in package.imports() if i.importer == "tutor.ui.shell"}
    assert targets == {"tutor.ui.shell.main_window", "tutor.ui.widgets"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tutor import ui\n", "tutor.domain.levels:1 imports tutor.ui"),
        ("from ..store import sessions\n", "tutor.domain.levels:1 imports tutor.store.sessions"),
        ("def f():\n    import tutor.paths\n", "tutor.domain.levels:2 imports tutor.paths"),
        (
            TYPE_ONLY + "from tutor.llm import client\n",
            "tutor.domain.levels:3 imports tutor.llm.client",
        ),
        ("from tutor import __version__\n", "tutor.domain.levels:1 imports tutor "),
    ],
)
def test_the_domain_checker_catches_a_domain_importing_tutor(tmp_path, source, expected):
    offenders = domain_offenders(synthetic(tmp_path, {"domain/levels.py": source}))
    assert len(offenders) == 1
    assert offenders[0].startswith(expected)


def test_the_store_and_llm_checkers_catch_them_importing_each_other(tmp_path):
    package = synthetic(
        tmp_path,
        {
            "store/sessions.py": "from ..llm import client\n",
            "llm/client.py": (TYPE_ONLY + "from tutor import store\n"),
        },
    )
    crossings = store_llm_crossings(package)
    assert [c.split(" (")[0] for c in crossings] == [
        "tutor.llm.client:3 imports tutor.store",
        "tutor.store.sessions:1 imports tutor.llm.client",
    ]
    assert [c.split(" (")[0] for c in store_and_llm_offenders(package)] == [
        "tutor.llm.client:3 imports tutor.store",
        "tutor.store.sessions:1 imports tutor.llm.client",
    ]


@pytest.mark.parametrize(
    ("key", "source", "expected"),
    [
        (
            "store/database.py",
            "from tutor import paths\n",
            "tutor.store.database:1 imports tutor.paths",
        ),
        (
            "store/database.py",
            "import tutor.services.turns\n",
            "tutor.store.database:1 imports tutor.services.turns",
        ),
        (
            "llm/errors.py",
            "from ..ui.widgets import bidi\n",
            "tutor.llm.errors:1 imports tutor.ui.widgets.bidi",
        ),
        (
            "llm/errors.py",
            "from tutor import logging_setup\n",
            "tutor.llm.errors:1 imports tutor.logging_setup",
        ),
    ],
)
def test_the_store_and_llm_checker_catches_anything_but_the_domain(tmp_path, key, source, expected):
    offenders = store_and_llm_offenders(synthetic(tmp_path, {key: source, "logging_setup.py": ""}))
    assert [o.split(" (")[0] for o in offenders] == [expected]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def f():\n    from PySide6.QtCore import QObject\n",
            "tutor.services.turns:2 imports PySide6",
        ),
        ("import shiboken6\n", "tutor.services.turns:1 imports shiboken6"),
        ("from tutor.ui.chat import view\n", "tutor.services.turns:1 imports tutor.ui.chat.view"),
        ("from tutor import ui\n", "tutor.services.turns:1 imports tutor.ui"),
        ("from ..cli import arguments\n", "tutor.services.turns:1 imports tutor.cli.arguments"),
        ("from .. import app\n", "tutor.services.turns:1 imports tutor.app"),
    ],
)
def test_the_services_checker_catches_qt_ui_cli_and_root(tmp_path, source, expected):
    offenders = services_offenders(synthetic(tmp_path, {"services/turns.py": source}))
    assert [o.split(" (")[0] for o in offenders] == [expected]


@pytest.mark.parametrize(
    ("key", "source", "expected"),
    [
        ("domain/text.py", "import shiboken6\n", "tutor.domain.text:1 imports shiboken6"),
        (
            "cli/arguments.py",
            "def f():\n    from PySide6 import QtCore\n",
            "tutor.cli.arguments:2 imports PySide6",
        ),
        ("__main__.py", "import PySide6.QtWidgets\n", "tutor.__main__:1 imports PySide6"),
        (
            "paths.py",
            TYPE_ONLY + "from PySide6.QtGui import QIcon\n",
            "tutor.paths:3 imports PySide6",
        ),
    ],
)
def test_the_qt_checker_catches_qt_outside_the_ui_and_the_root(tmp_path, key, source, expected):
    offenders = qt_offenders(synthetic(tmp_path, {key: source}))
    assert [o.split(" (")[0] for o in offenders] == [expected]


@pytest.mark.parametrize(
    ("key", "source", "expected"),
    [
        (
            "ui/chat/view.py",
            "from ..review import window\n",
            "tutor.ui.chat.view:1 imports tutor.ui.review.window",
        ),
        (
            "ui/chat/view.py",
            "from tutor.ui import review\n",
            "tutor.ui.chat.view:1 imports tutor.ui.review",
        ),
        ("ui/chat/view.py", "from tutor import ui\n", "tutor.ui.chat.view:1 imports tutor.ui"),
        (
            "ui/review/window.py",
            "def f():\n    import tutor.ui.chat.composer\n",
            "tutor.ui.review.window:2 imports tutor.ui.chat.composer",
        ),
        (
            "ui/widgets/bidi.py",
            "from tutor.ui.shell import context\n",
            "tutor.ui.widgets.bidi:1 imports tutor.ui.shell.context",
        ),
        (
            "ui/widgets/painting.py",
            TYPE_ONLY + "from ..chat.view import View\n",
            "tutor.ui.widgets.painting:3 imports tutor.ui.chat.view",
        ),
    ],
)
def test_the_ui_checker_catches_a_feature_importing_another(tmp_path, key, source, expected):
    offenders = ui_feature_offenders(synthetic(tmp_path, {key: source}))
    assert [o.split(" (")[0] for o in offenders] == [expected]


@pytest.mark.parametrize(
    ("key", "source", "expected"),
    [
        ("cli/arguments.py", "from tutor import app\n", "tutor.cli.arguments:1 imports tutor.app"),
        (
            "ui/shell/main_window.py",
            "from ... import app\n",
            "tutor.ui.shell.main_window:1 imports tutor.app",
        ),
        (
            "domain/text.py",
            "def f():\n    from tutor.app import main\n",
            "tutor.domain.text:2 imports tutor.app",
        ),
    ],
)
def test_the_root_checker_catches_an_import_of_the_composition_root(
    tmp_path, key, source, expected
):
    offenders = composition_root_importers(synthetic(tmp_path, {key: source}))
    assert [o.split(" (")[0] for o in offenders] == [expected]


def test_the_cycle_checker_reports_each_cycle_with_its_members(tmp_path):
    package = synthetic(
        tmp_path,
        {
            # two modules, closed by a lazy import inside a function
            "domain/text.py": "def later():\n    from . import levels\n",
            # three modules across packages, spelled three ways
            "cli/arguments.py": "from tutor.store import sessions\n",
            "store/sessions.py": "import tutor.store.database\n",
            "store/database.py": "from .. import cli\nfrom ..cli.arguments import Options\n",
        },
    )
    assert import_cycles(package) == [
        "cycle of 2: tutor.domain.levels, tutor.domain.text "
        "[tutor.domain.levels -> tutor.domain.text; tutor.domain.text -> tutor.domain.levels]",
        "cycle of 3: tutor.cli.arguments, tutor.store.database, tutor.store.sessions "
        "[tutor.cli.arguments -> tutor.store.sessions; "
        "tutor.store.database -> tutor.cli.arguments; "
        "tutor.store.sessions -> tutor.store.database]",
    ]


def test_the_cycle_checker_leaves_out_type_only_imports_and_catches_self_imports(tmp_path):
    type_only = TYPE_ONLY + "from . import levels\n"
    assert import_cycles(synthetic(tmp_path / "a", {"domain/text.py": type_only})) == []
    assert import_cycles(synthetic(tmp_path / "b", {"domain/text.py": "from . import text\n"})) == [
        "cycle of 1: tutor.domain.text [tutor.domain.text -> tutor.domain.text]"
    ]


def test_the_length_checker_catches_a_long_module_without_a_reason(tmp_path):
    body = "x = 1\n"
    package = synthetic(
        tmp_path,
        {
            "domain/at_limit.py": '"""Short enough."""\n' + body * (MAX_LINES - 1),
            "domain/too_long.py": '"""No reason given."""\n' + body * MAX_LINES,
            "domain/says_why.py": '"""A table.\n\nOver 400 lines: one table."""\n'
            + body * MAX_LINES,
            "domain/comment_only.py": "# over 400 lines: a comment is not the docstring\n"
            + body * MAX_LINES,
        },
    )
    assert long_modules(package) == [
        "tutor.domain.comment_only: 401 lines, and its docstring does not say why",
        "tutor.domain.too_long: 401 lines, and its docstring does not say why",
    ]
