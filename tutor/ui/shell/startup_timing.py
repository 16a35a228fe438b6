"""The window's first paint, as start-up waits for it and --measure-startup reports it.

Start-up is in two steps (docs/performance.md): the frame is shown and painted, then
Tutor loads into it. `on_first_paint` is how main() waits for that paint; the rest
serve `--measure-startup` (benchmarks/startup.py). It is on the path to the first
paint, so it imports only the standard library at module level and reaches Qt inside
its functions; main() imports it first of all, right after reading the arguments,
which starts the clock used where /proc is missing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.ui.shell.main_window import MainWindow

_IMPORTED_AT = time.perf_counter()  # --measure-startup's clock where /proc is missing


def process_age_ms() -> float:
    """Milliseconds since the kernel started this process, interpreter start-up included.

    Linux: the start time in /proc/self/stat (clock ticks since boot, so up to one tick,
    10 ms, early) against CLOCK_BOOTTIME, the clock it is counted on. Elsewhere: since
    this module was imported, which leaves out the interpreter's own start.
    """
    try:
        with Path("/proc/self/stat").open() as stat:
            # The name in parentheses may hold spaces; field 22 (starttime) is the 20th after it.
            fields = stat.read().rpartition(")")[2].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000


def after_first_paint(window: MainWindow, callback: Callable[[], None]) -> None:
    """Run `callback` once the window's first paint is done (soon, if it was painted)."""
    from PySide6.QtCore import Qt, QTimer

    if window.testAttribute(Qt.WidgetAttribute.WA_Mapped):  # on screen: it has been painted
        QTimer.singleShot(0, callback)
    else:
        on_first_paint(window, callback)


def on_first_paint(window: MainWindow, callback: Callable[[], None]) -> None:
    """Run `callback` once the window, not painted yet, has had its first paint.

    The window is painted first in a repaint pass and its children after it in the same
    pass, so the callback waits for the end of that pass. (A zero timer started before
    app.exec() is no substitute: it fires ahead of the expose that brings the paint.) A
    window that is never painted never runs it. main() calls this directly, as the
    window cannot have been painted before app.exec(): the check in after_first_paint
    reads `Qt`, whose first use costs 60 ms (tutor/ui/shell/main_window.py).
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                self.deleteLater()
                QTimer.singleShot(0, callback)
            return False

    window.installEventFilter(FirstPaint(window))


def report_first_paint(window: MainWindow) -> None:
    """--measure-startup: print the milliseconds from process start to the main window's
    first paint (benchmarks/startup.py runs this against a bare Qt window)."""

    def report() -> None:
        print(f"{process_age_ms():.1f} ms from process start to the first painted window")
        sys.stdout.flush()

    # Nothing paints before app.exec(), so a filter installed now sees the first paint.
    on_first_paint(window, report)


def report_ready(window: MainWindow) -> None:
    """--measure-startup: then the milliseconds until the window is ready to use, its
    last session (or the welcome) painted, and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def report() -> None:
        print(f"{process_age_ms():.1f} ms from process start to the window ready to use")
        sys.stdout.flush()
        QApplication.quit()

    # What launch() changed is painted in the next pass; a zero timer runs after it.
    window.repaint()
    QTimer.singleShot(0, report)
