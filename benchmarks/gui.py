"""Tutor's real window in a benchmark process (offscreen), over a given data dir."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import offscreen, spin

offscreen()

from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tutor.app import build_context  # noqa: E402
from tutor.cli.arguments import parse_arguments  # noqa: E402
from tutor.ui.shell.context import AppContext  # noqa: E402
from tutor.ui.shell.main_window import MainWindow  # noqa: E402


@dataclass
class Running:
    app: QApplication
    context: AppContext
    window: MainWindow

    def close(self) -> None:
        self.window.close()
        self.context.tasks.wait_for_done(5000)
        self.context.sessions.close()


def application() -> QApplication:
    found = QApplication.instance()
    if isinstance(found, QApplication):
        return found
    return QApplication(["tutor-benchmark"])


def copy_data(source: Path, target: Path) -> Path:
    """A copy of a built data dir for a benchmark that writes to it."""
    shutil.copytree(source, target)
    return target


def open_window(data_dir: Path, base_url: str | None = None, model: str | None = None) -> Running:
    """Tutor's context and main window over `data_dir`, shown at the default size and
    painted once; no session is opened."""
    app = application()
    argv = ["--data-dir", str(data_dir)]
    if base_url and model:
        argv += ["--base-url", base_url, "--model", model]
    context, _problem = build_context(parse_arguments(argv), {}, key_backend=MemoryKeyring())
    window = MainWindow(context)
    window.resize(1000, 720)
    window.show()
    spin(0.1)
    return Running(app, context, window)
